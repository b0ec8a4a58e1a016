package org.kernelci.kcidb.testsupport;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Unique, valid names for per-test resources (topics, consumer groups, databases), so that tests sharing one
 * broker or one PostgreSQL server never see each other's data.
 */
public final class TestNames {

    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final int SUFFIX_LENGTH = 10;
    // SecureRandom rather than a seeded generator: forks of the same build must not pick the same names.
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern NOT_TOPIC_CHAR = Pattern.compile("[^a-zA-Z0-9._-]");
    private static final Pattern NOT_IDENTIFIER_CHAR = Pattern.compile("[^a-z0-9_]");

    private TestNames() {
    }

    /** A random lower-case alphanumeric suffix (10 characters, about 51 bits). */
    public static String suffix() {
        char[] chars = new char[SUFFIX_LENGTH];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(chars);
    }

    /**
     * A Kafka topic or group name: {@code prefix-<suffix>}. Characters Kafka rejects are replaced by '-'; the
     * prefix is shortened so the name stays under Kafka's 249-character limit.
     */
    public static String topic(String prefix) {
        String clean = NOT_TOPIC_CHAR.matcher(prefix == null || prefix.isEmpty() ? "test" : prefix).replaceAll("-");
        if (clean.length() > 200) {
            clean = clean.substring(0, 200);
        }
        return clean + "-" + suffix();
    }

    /**
     * A PostgreSQL identifier (database or role name) that needs no quoting: lower case, {@code prefix_<suffix>},
     * at most 63 bytes.
     */
    public static String identifier(String prefix) {
        String clean = NOT_IDENTIFIER_CHAR.matcher(prefix == null || prefix.isEmpty() ? "test" : prefix.toLowerCase())
                .replaceAll("_");
        if (!Character.isLetter(clean.charAt(0)) && clean.charAt(0) != '_') {
            clean = "t_" + clean;
        }
        int max = 63 - SUFFIX_LENGTH - 1;
        if (clean.length() > max) {
            clean = clean.substring(0, max);
        }
        return clean + "_" + suffix();
    }
}
