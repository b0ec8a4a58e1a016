package org.kernelci.kcidb.contracts.kcidb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/** What {@link KcidbSubmissions#check} decides about a submission body. */
public sealed interface Verdict {
    /** Whether the submission is accepted for ingestion. */
    default boolean accepted() {
        return this instanceof Accepted;
    }

    /**
     * The submission is valid and was upgraded.
     *
     * @param upgraded the document at {@link SchemaVersion#LATEST}; a tree of its own, not shared with anyone
     * @param declared the schema version the submission declared (and was validated against)
     * @param counts the objects of the upgraded document, per type
     */
    record Accepted(JsonNode upgraded, SchemaVersion declared, ObjectCounts counts) implements Verdict {
        public Accepted {
            Objects.requireNonNull(upgraded, "upgraded");
            Objects.requireNonNull(declared, "declared");
            Objects.requireNonNull(counts, "counts");
        }
    }

    /**
     * The submission is refused.
     *
     * @param reason machine-readable category
     * @param message one line for humans, naming the schema version where relevant
     * @param violations where and what, at least one entry, at most the validator's cap
     */
    record Rejected(Reason reason, String message, List<Violation> violations) implements Verdict {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
            violations = List.copyOf(violations);
        }
    }

    /** Why a submission was refused; {@link #code()} is the stable machine-readable form. */
    enum Reason {
        /** Not a JSON document: empty, not UTF-8, a BOM, a syntax error, trailing data, NaN/Infinity. */
        MALFORMED_JSON("malformed_json"),
        /** Valid JSON that violates the KCIDB schema it declares (or v5.3 when it declares no known version). */
        SCHEMA_VIOLATION("schema_violation"),
        /**
         * Schema-valid only because a version number was written as a float ({@code 5.0}); kcidb-io selects no
         * version for it and its upgrade fails, so it is refused, with the version named.
         */
        UNSUPPORTED_VERSION("unsupported_version"),
        /** Valid in its version but cannot be carried to v5.3 (kcidb-io's InheritanceImpossible). */
        UPGRADE_IMPOSSIBLE("upgrade_impossible");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        /** Whether the submission passed JSON Schema validation before being refused. */
        public boolean schemaValid() {
            return this == UNSUPPORTED_VERSION || this == UPGRADE_IMPOSSIBLE;
        }
    }
}
