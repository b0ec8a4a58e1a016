package org.kernelci.kcidb.gateway;

import java.io.IOException;

/**
 * The spool could not store a submission: the server's fault (disk full, spool missing or read-only, I/O error), never
 * the client's. Nothing is left behind that {@code /status} would call {@code ready}.
 */
final class SpoolFailure extends Exception {
    private final boolean noSpace;

    SpoolFailure(String what, IOException cause) {
        super(what + ": " + describe(cause), cause);
        this.noSpace = isNoSpace(cause);
    }

    /** Whether the device is full (ENOSPC or a quota), which the client should hear as 507. */
    boolean noSpace() {
        return noSpace;
    }

    static boolean isNoSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " " + m);
    }
}
