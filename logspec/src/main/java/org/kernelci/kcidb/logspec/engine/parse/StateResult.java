package org.kernelci.kcidb.logspec.engine.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kernelci.kcidb.logspec.engine.LogspecError;

/**
 * The dict a state function returns (spec §2.2): top-level values, signature fields, an optional summary, optional
 * errors, and where it stopped ({@code _match_end}, here absolute).
 */
final class StateResult {
    final Map<String, Object> values = new LinkedHashMap<>();
    final List<String> signatureFields = new ArrayList<>();
    String summary;
    List<LogspecError> errors;
    int matchEnd;

    StateResult put(String key, Object value) {
        values.put(key, value);
        return this;
    }

    StateResult signatureFields(String... names) {
        signatureFields.addAll(List.of(names));
        return this;
    }

    boolean flag(String key) {
        return Boolean.TRUE.equals(values.get(key));
    }
}
