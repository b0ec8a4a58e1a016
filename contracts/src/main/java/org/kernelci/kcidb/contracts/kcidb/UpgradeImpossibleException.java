package org.kernelci.kcidb.contracts.kcidb;

import java.util.Objects;

/**
 * A document valid in its own schema version cannot be carried to {@link SchemaVersion#LATEST}, as kcidb-io's
 * {@code InheritanceImpossible}: e.g. a {@code git://} repository URL or a test path with an empty segment, which
 * v5 forbids and which cannot be fixed without guessing.
 */
public final class UpgradeImpossibleException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String pointer;

    /**
     * @param pointer JSON pointer (RFC 6901) to the value that cannot be upgraded, in the document as upgraded so
     *                far (for v4.x input, the same as in the input)
     * @param message what is wrong and what the submitter can do about it
     */
    public UpgradeImpossibleException(String pointer, String message) {
        super(message);
        this.pointer = Objects.requireNonNull(pointer, "pointer");
    }

    public String pointer() {
        return pointer;
    }

    /** The problem as a violation, for a rejection report. */
    public Violation violation() {
        return new Violation(pointer, getMessage());
    }
}
