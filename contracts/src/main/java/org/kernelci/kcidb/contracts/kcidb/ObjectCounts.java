package org.kernelci.kcidb.contracts.kcidb;

/** How many objects of each KCIDB type a document holds. */
public record ObjectCounts(int checkouts, int builds, int tests, int issues, int incidents) {
    public static final ObjectCounts NONE = new ObjectCounts(0, 0, 0, 0, 0);

    public int total() {
        return checkouts + builds + tests + issues + incidents;
    }

    public ObjectCounts plus(ObjectCounts other) {
        return new ObjectCounts(checkouts + other.checkouts, builds + other.builds, tests + other.tests,
                issues + other.issues, incidents + other.incidents);
    }
}
