package org.kernelci.kcidb.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class UpsertSqlTest {
    @Test
    void checkoutsStatementHasTheExpectedShape() {
        String sql = UpsertSql.of(KcidbTable.CHECKOUTS);
        assertThat(sql).startsWith("INSERT INTO checkouts (_timestamp, id, origin, tree_name, git_repository_url, ")
                .contains(" VALUES (CURRENT_TIMESTAMP, #{id,jdbcType=VARCHAR}, #{origin,jdbcType=VARCHAR}, ")
                .contains("CAST(#{patchset_files,jdbcType=VARCHAR} AS jsonb)")
                .contains("#{start_time,jdbcType=TIMESTAMP_WITH_TIMEZONE}")
                .contains("#{valid,jdbcType=BOOLEAN}")
                .contains("#{git_commit_tags,jdbcType=ARRAY,typeHandler=org.apache.ibatis.type.ArrayTypeHandler}")
                .contains(" ON CONFLICT (id) DO UPDATE SET _timestamp = GREATEST(checkouts._timestamp, EXCLUDED._timestamp), "
                        + "origin = COALESCE(EXCLUDED.origin, checkouts.origin), ")
                .endsWith("origin_tests_finish_time = COALESCE(EXCLUDED.origin_tests_finish_time, "
                        + "checkouts.origin_tests_finish_time)");
    }

    @Test
    void enumsIntegersAndDoublesAreCastOrTypedForPostgresql() {
        assertThat(UpsertSql.of(KcidbTable.BUILDS)).contains("CAST(#{status,jdbcType=VARCHAR} AS status)")
                .contains("#{duration,jdbcType=DOUBLE}");
        assertThat(UpsertSql.of(KcidbTable.TESTS)).contains("CAST(#{number_prefix,jdbcType=VARCHAR} AS unit_prefix)")
                .contains("CAST(#{environment_misc,jdbcType=VARCHAR} AS jsonb)");
        assertThat(UpsertSql.of(KcidbTable.ISSUES)).contains("CAST(#{version,jdbcType=VARCHAR} AS integer)");
        assertThat(UpsertSql.of(KcidbTable.INCIDENTS)).contains("CAST(#{issue_version,jdbcType=VARCHAR} AS integer)");
    }

    @Test
    void issuesConflictOnIdAndVersion() {
        assertThat(UpsertSql.of(KcidbTable.ISSUES)).contains(" ON CONFLICT (id, version) DO UPDATE SET ");
    }

    @ParameterizedTest
    @EnumSource(KcidbTable.class)
    void insertsEveryColumnAndMergesEveryNonKeyColumnWithoutErasing(KcidbTable table) {
        String sql = UpsertSql.of(table);
        String name = table.tableName();
        List<String> columns = table.columns().stream().map(Column::name).toList();

        String insertList = sql.substring(sql.indexOf('(') + 1, sql.indexOf(')'));
        assertThat(Arrays.asList(insertList.split(", "))).first().isEqualTo("_timestamp");
        assertThat(Arrays.asList(insertList.split(", "))).hasSize(columns.size() + 1).containsAll(columns);

        List<String> sets = Arrays.asList(sql.substring(sql.indexOf(" DO UPDATE SET ") + 15).split(", (?=[a-z_]+ = )"));
        assertThat(sets.get(0)).isEqualTo("_timestamp = GREATEST(" + name + "._timestamp, EXCLUDED._timestamp)");
        List<String> merged = columns.stream().filter(c -> !table.key().contains(c)).toList();
        assertThat(sets.subList(1, sets.size())).containsExactlyElementsOf(merged.stream()
                .map(c -> c + " = COALESCE(EXCLUDED." + c + ", " + name + "." + c + ")").toList());
        assertThat(sql).contains(" ON CONFLICT (" + String.join(", ", table.key()) + ") ");
    }

    @Test
    void theMapperProvidersServeTheGeneratedStatements() {
        assertThat(UpsertSql.checkouts()).isEqualTo(UpsertSql.of(KcidbTable.CHECKOUTS));
        assertThat(UpsertSql.builds()).isEqualTo(UpsertSql.of(KcidbTable.BUILDS));
        assertThat(UpsertSql.tests()).isEqualTo(UpsertSql.of(KcidbTable.TESTS));
        assertThat(UpsertSql.issues()).isEqualTo(UpsertSql.of(KcidbTable.ISSUES));
        assertThat(UpsertSql.incidents()).isEqualTo(UpsertSql.of(KcidbTable.INCIDENTS));
    }
}
