package org.kernelci.kcidb.ingest;

import static org.kernelci.kcidb.ingest.ColumnType.BOOLEAN;
import static org.kernelci.kcidb.ingest.ColumnType.DOUBLE;
import static org.kernelci.kcidb.ingest.ColumnType.INTEGER;
import static org.kernelci.kcidb.ingest.ColumnType.JSONB;
import static org.kernelci.kcidb.ingest.ColumnType.TEXT;
import static org.kernelci.kcidb.ingest.ColumnType.TEXT_ARRAY;
import static org.kernelci.kcidb.ingest.ColumnType.TIMESTAMPTZ;

import java.util.List;

/**
 * The five KCIDB tables (DB schema 5.3, {@code spec/kcidb.md} §2): the I/O array each is loaded from, its key and its
 * columns. {@code _timestamp} is not listed: it is the load's transaction time, as kcidb's {@code load()} without
 * metadata does. Tables are listed in kcidb's load order. Every non-key column has a merge stamp,
 * {@code _stamp_<column>} (see {@link Stamp}).
 */
enum KcidbTable {
    CHECKOUTS("checkouts", List.of("id"), List.of(
            Column.of("id", TEXT), Column.of("origin", TEXT), Column.of("tree_name", TEXT),
            Column.of("git_repository_url", TEXT), Column.of("git_commit_hash", TEXT), Column.of("git_commit_name", TEXT),
            Column.of("git_repository_branch", TEXT), Column.of("patchset_files", JSONB), Column.of("patchset_hash", TEXT),
            Column.of("message_id", TEXT), Column.of("comment", TEXT), Column.of("start_time", TIMESTAMPTZ),
            Column.of("log_url", TEXT), Column.of("log_excerpt", TEXT), Column.of("valid", BOOLEAN), Column.of("misc", JSONB),
            Column.of("git_commit_tags", TEXT_ARRAY), Column.of("git_commit_message", TEXT),
            Column.of("git_repository_branch_tip", BOOLEAN), Column.of("origin_builds_finish_time", TIMESTAMPTZ),
            Column.of("origin_tests_finish_time", TIMESTAMPTZ))),
    BUILDS("builds", List.of("id"), List.of(
            Column.of("checkout_id", TEXT), Column.of("id", TEXT), Column.of("origin", TEXT), Column.of("comment", TEXT),
            Column.of("start_time", TIMESTAMPTZ), Column.of("duration", DOUBLE), Column.of("architecture", TEXT),
            Column.of("command", TEXT), Column.of("compiler", TEXT), Column.of("input_files", JSONB),
            Column.of("output_files", JSONB), Column.of("config_name", TEXT), Column.of("config_url", TEXT),
            Column.of("log_url", TEXT), Column.of("log_excerpt", TEXT), Column.of("misc", JSONB), Column.of("status", TEXT))),
    TESTS("tests", List.of("id"), List.of(
            Column.of("build_id", TEXT), Column.of("id", TEXT), Column.of("origin", TEXT),
            Column.nested("environment_comment", "environment", "comment", TEXT),
            Column.nested("environment_misc", "environment", "misc", JSONB), Column.of("path", TEXT),
            Column.of("comment", TEXT), Column.of("log_url", TEXT), Column.of("log_excerpt", TEXT), Column.of("status", TEXT),
            Column.of("start_time", TIMESTAMPTZ), Column.of("duration", DOUBLE), Column.of("output_files", JSONB),
            Column.of("misc", JSONB), Column.nested("environment_compatible", "environment", "compatible", TEXT_ARRAY),
            Column.nested("number_value", "number", "value", DOUBLE), Column.nested("number_unit", "number", "unit", TEXT),
            Column.nested("number_prefix", "number", "prefix", TEXT), Column.of("input_files", JSONB))),
    ISSUES("issues", List.of("id", "version"), List.of(
            Column.of("id", TEXT), Column.of("version", INTEGER), Column.of("origin", TEXT), Column.of("report_url", TEXT),
            Column.of("report_subject", TEXT), Column.nested("culprit_code", "culprit", "code", BOOLEAN),
            Column.nested("culprit_tool", "culprit", "tool", BOOLEAN),
            Column.nested("culprit_harness", "culprit", "harness", BOOLEAN), Column.of("comment", TEXT),
            Column.of("misc", JSONB), Column.of("categories", TEXT_ARRAY))),
    INCIDENTS("incidents", List.of("id"), List.of(
            Column.of("id", TEXT), Column.of("origin", TEXT), Column.of("issue_id", TEXT), Column.of("issue_version", INTEGER),
            Column.of("build_id", TEXT), Column.of("test_id", TEXT), Column.of("present", BOOLEAN), Column.of("comment", TEXT),
            Column.of("misc", JSONB)));

    private final String tableName;
    private final List<String> key;
    private final List<Column> columns;
    private final int[] keyIndexes;
    private final boolean[] isKey;

    KcidbTable(String tableName, List<String> key, List<Column> columns) {
        this.tableName = tableName;
        this.key = key;
        this.columns = columns;
        this.keyIndexes = new int[key.size()];
        this.isKey = new boolean[columns.size()];
        for (int k = 0; k < key.size(); k++) {
            keyIndexes[k] = indexOf(key.get(k));
            isKey[keyIndexes[k]] = true;
        }
    }

    /** The position of a column in {@link #columns()}, or -1. */
    int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the column at this position is part of the key (never updated, carries no merge stamp). */
    boolean isKey(int column) {
        return isKey[column];
    }

    /** Positions of the key columns in {@link #columns()}, in key order. */
    int[] keyIndexes() {
        return keyIndexes.clone();
    }

    /** The merge-stamp column of a non-key column (database migration V2). */
    static String stampColumn(String column) {
        return "_stamp_" + column;
    }

    /** The table name, which is also the name of the I/O array its objects come from. */
    String tableName() {
        return tableName;
    }

    List<String> key() {
        return key;
    }

    List<Column> columns() {
        return columns;
    }
}
