package org.kernelci.kcidb.logspec.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code parse_log} returns (spec §2.3).
 *
 * @param parser          the parser that ran
 * @param flags           the top-level keys the states set, in the order they were first set: {@code bootloader.done},
 *                        {@code linux.boot.prompt}, ... ({@link Boolean}), and {@code bootloader.id} ({@link String})
 * @param errors          errors in the order found
 * @param signature       the log-level signature ({@code _signature}), {@code null} when no state declared fields
 * @param signatureFields the log-level fields, duplicates kept ({@code _signature_fields})
 * @param statesSummary   one note per state that wrote one ({@code _states_summary})
 * @param matchEnd        where parsing stopped, in code points as Python counts them ({@code _match_end})
 */
public record LogspecResult(
        Parser parser,
        Map<String, Object> flags,
        List<LogspecError> errors,
        String signature,
        List<String> signatureFields,
        List<String> statesSummary,
        long matchEnd) {

    public LogspecResult {
        flags = Collections.unmodifiableMap(new LinkedHashMap<>(flags));
        errors = List.copyOf(errors);
        signatureFields = List.copyOf(signatureFields);
        statesSummary = List.copyOf(statesSummary);
    }

    /** Python truthiness of a top-level key: absent, {@code False} and {@code ""} are false. */
    public boolean flag(String key) {
        Object v = flags.get(key);
        return v instanceof Boolean b ? b : v instanceof String s && !s.isEmpty();
    }
}
