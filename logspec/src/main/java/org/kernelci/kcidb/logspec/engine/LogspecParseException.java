package org.kernelci.kcidb.logspec.engine;

/**
 * The reference implementation raises on this input, so the port refuses it too rather than invent a result (spec §10):
 * a boot log with no newline after the bootloader tag ({@code ValueError}), a chromebook log without "Starting depthcharge"
 * ({@code KeyError}), or a make target that is not a valid regular expression ({@code re.error}).
 */
public final class LogspecParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String pythonError;

    public LogspecParseException(String pythonError, String message) {
        super(pythonError + ": " + message);
        this.pythonError = pythonError;
    }

    /** The Python exception class the reference raises, e.g. {@code ValueError}. */
    public String pythonError() {
        return pythonError;
    }
}
