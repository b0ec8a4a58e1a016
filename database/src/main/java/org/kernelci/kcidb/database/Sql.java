package org.kernelci.kcidb.database;

import java.security.SecureRandom;
import java.sql.SQLException;

/** Quoting for the few statements (CREATE ROLE, GRANT) that cannot take bind parameters. */
final class Sql {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Sql() {
    }

    /** A quoted identifier: {@code "name"} with embedded quotes doubled. */
    static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /**
     * A string literal in dollar quotes with a random tag, e.g. {@code $k3j9$secret$k3j9$}: correct whatever the
     * text holds and whatever {@code standard_conforming_strings} says.
     */
    static String literal(String text) {
        String tag;
        do {
            tag = "$q" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36) + "$";
        } while (text.contains(tag));
        return tag + text + tag;
    }

    /** The SQLSTATE of the first exception in the cause chain that has one, or "" . */
    static String sqlState(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException e && e.getSQLState() != null) {
                return e.getSQLState();
            }
        }
        return "";
    }

    /** The message of the innermost SQLException, for wrapping errors with context. */
    static String sqlMessage(Throwable t) {
        String message = t.getMessage();
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException) {
                message = c.getMessage();
            }
        }
        return message;
    }
}
