package org.kernelci.kcidb.logspec.engine.kcidb;

/**
 * KCIDB issue ids derived from logspec signatures (spec §8): {@code <origin>:<signature>}, version 1. Other tools compute
 * the same ids, which is why signatures must be byte-identical to the reference.
 */
public final class IssueId {

    /** The version of every issue the worker creates. */
    public static final int VERSION = 1;

    private IssueId() {
    }

    /**
     * @param origin    the submitting origin, e.g. {@code maestro}
     * @param signature a 40-hex-digit logspec signature; empty signatures never make issues
     */
    public static String of(String origin, String signature) {
        requireText(origin, "origin");
        requireText(signature, "signature");
        return origin + ":" + signature;
    }

    static void requireText(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
    }
}
