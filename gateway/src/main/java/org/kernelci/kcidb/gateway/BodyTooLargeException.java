package org.kernelci.kcidb.gateway;

/** The submitted body is larger than the configured limit. */
final class BodyTooLargeException extends Exception {
    BodyTooLargeException(long limit) {
        super("Submission body exceeds the limit of " + limit + " bytes");
    }

    /** Thrown from inside a stream, where checked exceptions cannot pass; unwrapped by the spool. */
    static final class Unchecked extends RuntimeException {
        private final long limit;

        Unchecked(long limit) {
            super("body exceeds " + limit + " bytes");
            this.limit = limit;
        }

        BodyTooLargeException checked() {
            return new BodyTooLargeException(limit);
        }
    }
}
