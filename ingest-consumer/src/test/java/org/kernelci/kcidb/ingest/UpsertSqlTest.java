package org.kernelci.kcidb.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class UpsertSqlTest {
    @Test
    void checkoutsStatementHasTheExpectedShape() {
        String sql = UpsertSql.of(KcidbTable.CHECKOUTS);
        assertThat(sql).startsWith("INSERT INTO checkouts AS t (_timestamp, id, origin, tree_name, git_repository_url, ")
                .contains(" VALUES (CURRENT_TIMESTAMP, #{id,jdbcType=VARCHAR}, #{origin,jdbcType=VARCHAR}, ")
                .contains("CAST(#{patchset_files,jdbcType=VARCHAR} AS jsonb)")
                .contains("#{start_time,jdbcType=TIMESTAMP_WITH_TIMEZONE}")
                .contains("#{valid,jdbcType=BOOLEAN}")
                .contains("#{git_commit_tags,jdbcType=ARRAY,typeHandler=org.apache.ibatis.type.ArrayTypeHandler}")
                .contains("#{_stamp_origin,jdbcType=BIGINT}")
                .contains(" ON CONFLICT (id) DO UPDATE SET _timestamp = GREATEST(t._timestamp, EXCLUDED._timestamp), "
                        + "origin = CASE WHEN EXCLUDED.origin IS NOT NULL AND (t.origin IS NULL OR "
                        + "(t._stamp_origin IS NULL AND EXCLUDED._stamp_origin > 0) OR "
                        + "EXCLUDED._stamp_origin > t._stamp_origin OR (EXCLUDED._stamp_origin = t._stamp_origin AND "
                        + "EXCLUDED.origin > t.origin)) THEN EXCLUDED.origin ELSE t.origin END, "
                        + "_stamp_origin = CASE WHEN EXCLUDED.origin IS NOT NULL")
                .endsWith(" THEN EXCLUDED._stamp_origin_tests_finish_time ELSE t._stamp_origin_tests_finish_time END");
    }

    @Test
    void statusesAreTextIntegersAndDoublesAreCastOrTypedForPostgresql() {
        // The dashboard's database has status and number_prefix as varchar(10): no cast to an enum (spec R1).
        assertThat(UpsertSql.of(KcidbTable.BUILDS)).contains("#{status,jdbcType=VARCHAR}").doesNotContain("AS status)")
                .contains("#{duration,jdbcType=DOUBLE}").doesNotContain("series");
        assertThat(UpsertSql.of(KcidbTable.TESTS)).contains("#{number_prefix,jdbcType=VARCHAR}")
                .doesNotContain("unit_prefix)").contains("CAST(#{environment_misc,jdbcType=VARCHAR} AS jsonb)");
        assertThat(UpsertSql.of(KcidbTable.ISSUES)).contains("CAST(#{version,jdbcType=VARCHAR} AS integer)");
        assertThat(UpsertSql.of(KcidbTable.INCIDENTS)).contains("CAST(#{issue_version,jdbcType=VARCHAR} AS integer)");
    }

    @Test
    void issuesConflictOnIdAndVersionAndNeitherIsUpdatedNorStamped() {
        String sql = UpsertSql.of(KcidbTable.ISSUES);
        assertThat(sql).contains(" ON CONFLICT (id, version) DO UPDATE SET ");
        assertThat(sql).doesNotContain("_stamp_id").doesNotContain("_stamp_version").doesNotContain(" id = ")
                .doesNotContain(" version = ");
    }

    @ParameterizedTest
    @EnumSource(KcidbTable.class)
    void insertsEveryColumnAndStampAndMergesEveryNonKeyColumnByTheRule(KcidbTable table) {
        String sql = UpsertSql.of(table);
        List<String> columns = table.columns().stream().map(Column::name).toList();
        List<String> merged = columns.stream().filter(c -> !table.key().contains(c)).toList();
        List<String> expectedInsert = new ArrayList<>(List.of("_timestamp"));
        expectedInsert.addAll(columns);
        merged.forEach(c -> expectedInsert.add("_stamp_" + c));

        String insertList = sql.substring(sql.indexOf('(') + 1, sql.indexOf(')'));
        assertThat(Arrays.asList(insertList.split(", "))).containsExactlyElementsOf(expectedInsert);
        assertThat(UpsertSql.copyColumns(table)).containsExactlyElementsOf(expectedInsert.subList(1, expectedInsert.size()));

        List<String> sets = Arrays.asList(sql.substring(sql.indexOf(" DO UPDATE SET ") + 15).split(", (?=[a-z_]+ = )"));
        assertThat(sets.get(0)).isEqualTo("_timestamp = GREATEST(t._timestamp, EXCLUDED._timestamp)");
        List<String> expectedSets = new ArrayList<>();
        for (String c : merged) {
            String wins = UpsertSql.wins(c, "_stamp_" + c);
            expectedSets.add(c + " = CASE WHEN " + wins + " THEN EXCLUDED." + c + " ELSE t." + c + " END");
            expectedSets.add("_stamp_" + c + " = CASE WHEN " + wins + " THEN EXCLUDED._stamp_" + c + " ELSE t._stamp_"
                    + c + " END");
        }
        assertThat(sets.subList(1, sets.size())).containsExactlyElementsOf(expectedSets);
        assertThat(sql).contains(" ON CONFLICT (" + String.join(", ", table.key()) + ") ");
        assertThat(UpsertSql.mergeFromStage(table)).startsWith("INSERT INTO " + table.tableName() + " AS t (_timestamp, ")
                .contains(" FROM kcidb_ng_stage_" + table.tableName() + " ORDER BY " + String.join(", ", table.key())
                        + " ON CONFLICT (")
                .endsWith(sql.substring(sql.indexOf(" ON CONFLICT (")));
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
