package org.kernelci.kcidb.gateway;

import java.security.SecureRandom;

/** Submission ids as the Rust gateway made them: 32 random ASCII letters and digits (about 190 bits). */
final class SubmissionIds {
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    static final int LENGTH = 32;

    private SubmissionIds() {
    }

    /** One call to the random source per id; 6-bit draws outside the alphabet are rejected, so there is no bias. */
    static String next() {
        char[] id = new char[LENGTH];
        byte[] random = new byte[48];
        int n = 0;
        while (n < LENGTH) {
            RANDOM.nextBytes(random);
            for (int i = 0; i < random.length && n < LENGTH; i++) {
                int v = random[i] & 0x3f;
                if (v < ALPHABET.length) {
                    id[n++] = ALPHABET[v];
                }
            }
        }
        return new String(id);
    }
}
