package org.kernelci.kcidb.contracts.kcidb;

import com.fasterxml.jackson.databind.JsonNode;

/** How many objects of each KCIDB type a document holds. */
public record ObjectCounts(int checkouts, int builds, int tests, int issues, int incidents) {
    public static final ObjectCounts NONE = new ObjectCounts(0, 0, 0, 0, 0);

    /** The objects of a KCIDB document: the lengths of its five top-level lists (absent lists count 0). */
    public static ObjectCounts of(JsonNode document) {
        return new ObjectCounts(size(document, "checkouts"), size(document, "builds"), size(document, "tests"),
                size(document, "issues"), size(document, "incidents"));
    }

    private static int size(JsonNode document, String list) {
        JsonNode node = document.get(list);
        return node != null && node.isArray() ? node.size() : 0;
    }

    public int total() {
        return checkouts + builds + tests + issues + incidents;
    }

    public ObjectCounts plus(ObjectCounts other) {
        return new ObjectCounts(checkouts + other.checkouts, builds + other.builds, tests + other.tests,
                issues + other.issues, incidents + other.incidents);
    }
}
