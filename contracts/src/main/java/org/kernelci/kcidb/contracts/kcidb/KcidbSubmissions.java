package org.kernelci.kcidb.contracts.kcidb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.kernelci.kcidb.contracts.kcidb.Verdict.Accepted;
import org.kernelci.kcidb.contracts.kcidb.Verdict.Reason;
import org.kernelci.kcidb.contracts.kcidb.Verdict.Rejected;

/**
 * The one call the ingest path needs: a submission body in, a {@link Verdict} out. It parses ({@link KcidbJson}),
 * validates ({@link KcidbValidator}) and upgrades ({@link KcidbUpgrader}) exactly as kcidb-io's
 * {@code LATEST.validate()} then {@code LATEST.upgrade()} decide, except for the deviations listed in those
 * classes (NaN/Infinity refused, float version numbers refused).
 *
 * <p>Thread-safe: build one and share it between consumer threads.
 */
public final class KcidbSubmissions {
    private final KcidbJson json;
    private final KcidbValidator validator;
    private final KcidbUpgrader upgrader;

    public KcidbSubmissions(KcidbJson json, KcidbValidator validator, KcidbUpgrader upgrader) {
        this.json = json;
        this.validator = validator;
        this.upgrader = upgrader;
    }

    /** With the schemas shipped in this module. Loading them takes a moment: build once, share. */
    public static KcidbSubmissions create() {
        return new KcidbSubmissions(new KcidbJson(), new KcidbValidator(), new KcidbUpgrader());
    }

    public Verdict check(byte[] body) {
        JsonNode document;
        try {
            document = json.parse(body);
        } catch (MalformedJsonException e) {
            return new Rejected(Reason.MALFORMED_JSON, "not a JSON document: " + e.getMessage(),
                    List.of(new Violation("", e.getMessage())));
        }
        return checkOwned(document);
    }

    /** As {@link #check(byte[])} for a tree already parsed; the tree is not modified. */
    public Verdict check(JsonNode document) {
        return checkOwned(document.deepCopy());
    }

    /** Validates and upgrades a tree nobody else holds: the upgrade works in place, sparing a copy. */
    private Verdict checkOwned(JsonNode document) {
        ValidationResult result = validator.validate(document);
        if (!result.valid()) {
            return new Rejected(Reason.SCHEMA_VIOLATION, schemaMessage(result), result.violations());
        }
        SchemaVersion declared = result.validatedAgainst();
        if (!result.exactMatch()) {
            // Only reachable with float-typed version numbers such as {"major": 5.0, "minor": 3}.
            String message = "version " + document.get("version") + " names no KCIDB schema version: version"
                    + " numbers must be JSON integers, e.g. {\"major\": 5, \"minor\": 3}";
            return new Rejected(Reason.UNSUPPORTED_VERSION, message, List.of(new Violation("/version", message)));
        }
        ObjectNode upgraded;
        try {
            upgraded = upgrader.upgradeInPlace((ObjectNode) document, declared);
        } catch (UpgradeImpossibleException e) {
            return new Rejected(Reason.UPGRADE_IMPOSSIBLE,
                    "valid " + declared + " data that cannot be upgraded to " + SchemaVersion.LATEST + ": "
                            + e.getMessage(),
                    List.of(e.violation()));
        }
        Optional<Rejected> unsound = checkUpgraded(upgraded, declared);
        if (unsound.isPresent()) {
            return unsound.get();
        }
        return new Accepted(upgraded, declared, ObjectCounts.of(upgraded));
    }

    /**
     * Minor steps only add optional things, so v5.x data is valid v5.3 data. Data from older majors went through
     * inherit steps: those are checked again, so that an accepted document is always valid v5.3 (kcidb-io would
     * pass on whatever its inherit steps produced; e.g. a v1.1 revision ID with a "+" yields a patchset hash v5.3
     * refuses).
     */
    private Optional<Rejected> checkUpgraded(ObjectNode upgraded, SchemaVersion declared) {
        if (declared.major() == SchemaVersion.LATEST.major()) {
            return Optional.empty();
        }
        ValidationResult again = validator.validateAgainst(upgraded, SchemaVersion.LATEST);
        if (again.valid()) {
            return Optional.empty();
        }
        return Optional.of(new Rejected(Reason.UPGRADE_IMPOSSIBLE,
                "valid " + declared + " data whose upgrade is not valid " + SchemaVersion.LATEST + ": "
                        + count(again.violationCount()) + "; first: " + again.violations().get(0),
                again.violations()));
    }

    private static String count(int violations) {
        return violations + (violations == 1 ? " violation" : " violations");
    }

    private static String schemaMessage(ValidationResult result) {
        String against = result.exactMatch()
                ? "KCIDB schema " + result.validatedAgainst()
                : "KCIDB schema " + result.validatedAgainst() + " (the document declares no known version)";
        return "does not match " + against + ": " + count(result.violationCount())
                + (result.truncated() ? ", first " + result.violations().size() + " listed" : "")
                + "; first: " + result.violations().get(0);
    }
}
