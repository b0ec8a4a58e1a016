package org.kernelci.kcidb.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.kernelci.kcidb.contracts.kcidb.Violation;

/**
 * Values the dashboard's tables refuse ({@code spec/dashboard.md} R7): the origin of a checkout, build or test and a
 * test's platform go into {@code varchar(100)} columns of its derived tables and queues. Such a submission fails on
 * its own, with the pointer to the value, rather than being cut short: truncated, the keys would stop matching.
 * Checked per object, before the database, so that the verdict never depends on which submissions share a batch.
 */
final class DashboardLimits {
    /** The length of {@code latest_checkout.origin}, {@code pending_test.platform} and the like. */
    static final int MAX_CHARACTERS = 100;

    private DashboardLimits() {
    }

    /**
     * @param pointer the JSON pointer of the object in its document
     * @throws UnloadableValueException when a value is longer than the dashboard holds
     */
    static void check(KcidbTable table, JsonNode object, String pointer) {
        switch (table) {
            case CHECKOUTS, BUILDS -> limit(object.path("origin"), pointer + "/origin", "origin");
            case TESTS -> {
                limit(object.path("origin"), pointer + "/origin", "origin");
                limit(object.path("environment").path("misc").path("platform"),
                        pointer + "/environment/misc/platform", "platform");
            }
            default -> {
            }
        }
    }

    private static void limit(JsonNode value, String pointer, String what) {
        if (value.isMissingNode() || value.isNull()) {
            return;
        }
        String text = value.isTextual() ? value.textValue() : value.toString();
        int length = text.codePointCount(0, text.length());
        if (length > MAX_CHARACTERS) {
            String message = "the " + what + " is " + length + " characters long; the KernelCI dashboard's tables hold "
                    + MAX_CHARACTERS + " at most";
            throw new UnloadableValueException(pointer + ": " + message, null, List.of(new Violation(pointer, message)));
        }
    }
}
