package org.kernelci.kcidb.contracts.kcidb;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of validating a document against the KCIDB schemas.
 *
 * @param validatedAgainst the schema version used: the document's own when known, otherwise {@link SchemaVersion#LATEST}
 * @param exactMatch whether the document declares exactly {@code validatedAgainst} (with JSON integers)
 * @param violations the violations found, most structural (shallowest) first, at most the validator's cap
 * @param violationCount how many violations there were in all, including any beyond the cap
 */
public record ValidationResult(
        SchemaVersion validatedAgainst, boolean exactMatch, List<Violation> violations, int violationCount) {
    public ValidationResult {
        Objects.requireNonNull(validatedAgainst, "validatedAgainst");
        violations = List.copyOf(violations);
        if (violationCount < violations.size()) {
            throw new IllegalArgumentException("violationCount below the number of listed violations");
        }
    }

    /** Whether the document satisfies the schema it was validated against. */
    public boolean valid() {
        return violationCount == 0;
    }

    /** Whether some violations were left out of {@link #violations()}. */
    public boolean truncated() {
        return violationCount > violations.size();
    }
}
