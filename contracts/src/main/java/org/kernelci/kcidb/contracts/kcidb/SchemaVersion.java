package org.kernelci.kcidb.contracts.kcidb;

import java.util.List;
import java.util.Optional;

/**
 * A KCIDB I/O schema version, as kcidb-io numbers its version classes.
 *
 * @param major backward-incompatible changes bump it
 * @param minor backward-compatible additions bump it
 */
public record SchemaVersion(int major, int minor) implements Comparable<SchemaVersion> {
    public static final SchemaVersion V1_1 = new SchemaVersion(1, 1);
    public static final SchemaVersion V2_0 = new SchemaVersion(2, 0);
    public static final SchemaVersion V3_0 = new SchemaVersion(3, 0);
    public static final SchemaVersion V4_0 = new SchemaVersion(4, 0);
    public static final SchemaVersion V4_1 = new SchemaVersion(4, 1);
    public static final SchemaVersion V4_2 = new SchemaVersion(4, 2);
    public static final SchemaVersion V4_3 = new SchemaVersion(4, 3);
    public static final SchemaVersion V4_4 = new SchemaVersion(4, 4);
    public static final SchemaVersion V4_5 = new SchemaVersion(4, 5);
    public static final SchemaVersion V5_0 = new SchemaVersion(5, 0);
    public static final SchemaVersion V5_1 = new SchemaVersion(5, 1);
    public static final SchemaVersion V5_2 = new SchemaVersion(5, 2);
    public static final SchemaVersion V5_3 = new SchemaVersion(5, 3);

    /** The version every accepted submission is upgraded to. */
    public static final SchemaVersion LATEST = V5_3;

    /** Every version kcidb-io knows, oldest first: the upgrade chain. */
    public static final List<SchemaVersion> ALL = List.of(
            V1_1, V2_0, V3_0, V4_0, V4_1, V4_2, V4_3, V4_4, V4_5, V5_0, V5_1, V5_2, V5_3);

    public SchemaVersion {
        if (major < 0 || minor < 0) {
            throw new IllegalArgumentException("negative version " + major + "." + minor);
        }
    }

    /** The known version with exactly these numbers, if any. */
    public static Optional<SchemaVersion> known(long major, long minor) {
        return ALL.stream().filter(v -> v.major == major && v.minor == minor).findFirst();
    }

    /** Whether this is the first version of its major, i.e. reached from the previous one by an inherit step. */
    public boolean isMajorStep() {
        return minor == 0 && major > 1;
    }

    /** Name of the schema resource, e.g. {@code v5.3.json}. */
    String resourceName() {
        return this + ".json";
    }

    @Override
    public int compareTo(SchemaVersion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return "v" + major + "." + minor;
    }
}
