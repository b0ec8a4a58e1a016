package org.kernelci.kcidb.contracts.kcidb;

/**
 * A submission body is not a JSON document KCIDB accepts: empty, not UTF-8, a byte-order mark, a syntax error,
 * trailing garbage, or a non-finite number.
 */
public final class MalformedJsonException extends Exception {
    private static final long serialVersionUID = 1L;

    /** 1-based line of the problem, 0 when unknown. */
    private final long line;
    /** 1-based column (in characters) of the problem, 0 when unknown. */
    private final long column;

    public MalformedJsonException(String message, long line, long column) {
        super(line > 0 ? message + " (line " + line + ", column " + column + ")" : message);
        this.line = line;
        this.column = column;
    }

    public long line() {
        return line;
    }

    public long column() {
        return column;
    }
}
