package org.kernelci.kcidb.contracts.kcidb;

import java.util.Objects;

/**
 * One reason a submission was refused, located in the document.
 *
 * @param pointer JSON pointer (RFC 6901) to the offending value, {@code ""} for the whole document
 * @param message what is wrong with it, readable by the submitter
 */
public record Violation(String pointer, String message) {
    public Violation {
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return (pointer.isEmpty() ? "/" : pointer) + ": " + message;
    }
}
