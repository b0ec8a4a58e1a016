package org.kernelci.kcidb.ingest;

/**
 * One column of a KCIDB table and where its value is in the I/O object.
 *
 * @param name the column name
 * @param path field names from the object down to the value ({@code environment.comment} is
 *     {@code ["environment", "comment"]})
 * @param type the column type
 */
record Column(String name, String[] path, ColumnType type) {
    static Column of(String name, ColumnType type) {
        return new Column(name, new String[] {name}, type);
    }

    /** A column flattened from a nested object: {@code environment_comment} from {@code environment.comment}. */
    static Column nested(String name, String parent, String field, ColumnType type) {
        return new Column(name, new String[] {parent, field}, type);
    }
}
