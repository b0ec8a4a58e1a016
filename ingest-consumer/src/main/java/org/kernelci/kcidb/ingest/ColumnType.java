package org.kernelci.kcidb.ingest;

/**
 * PostgreSQL types of the KCIDB columns, and how a JSON value becomes a JDBC parameter for each. Status and unit prefix
 * columns are text ({@code varchar(10)}, as the dashboard's database has them), never cast to an enum.
 */
enum ColumnType {
    TEXT("VARCHAR", null),
    JSONB("VARCHAR", "jsonb"),
    TEXT_ARRAY("ARRAY", null),
    BOOLEAN("BOOLEAN", null),
    DOUBLE("DOUBLE", null),
    /** Sent as text and cast, so that a value beyond INTEGER is PostgreSQL's error, reported as such. */
    INTEGER("VARCHAR", "integer"),
    TIMESTAMPTZ("TIMESTAMP_WITH_TIMEZONE", null);

    private final String jdbcType;
    private final String cast;

    ColumnType(String jdbcType, String cast) {
        this.jdbcType = jdbcType;
        this.cast = cast;
    }

    /** The MyBatis placeholder for parameter {@code name}, with its cast. */
    String placeholder(String name) {
        String handler = this == TEXT_ARRAY ? ",typeHandler=org.apache.ibatis.type.ArrayTypeHandler" : "";
        String p = "#{" + name + ",jdbcType=" + jdbcType + handler + "}";
        return cast == null ? p : "CAST(" + p + " AS " + cast + ")";
    }
}
