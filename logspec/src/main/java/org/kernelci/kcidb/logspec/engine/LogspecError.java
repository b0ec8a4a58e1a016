package org.kernelci.kcidb.logspec.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One error found in a log, with everything the reference exposes (spec §4, §6).
 *
 * @param pythonClass     name of the reference's error class ({@code _class} in the reference outputs; information only)
 * @param attributes      the public attributes in creation order. A value is a {@link String}, {@code null} (Python
 *                        {@code None}, printed as {@code null}) or a {@code List<String>}; an attribute the reference only
 *                        sets on some paths is absent, not null
 * @param signatureFields names feeding {@link #signature()}, in order ({@code _signature_fields})
 * @param report          the log excerpt ({@code _report}, the KCIDB {@code log_excerpt})
 * @param signature       40 hex digits, or {@code ""} for errors the reference never parses ({@code kbuild.unknown})
 * @param signatureLoc    the location-only signature of kbuild compiler errors ({@code _signature_loc}), else {@code null}
 * @param addSignatureLoc whether the class asks for a location signature ({@code _add_signature_loc}, compiler errors)
 */
public record LogspecError(
        String pythonClass,
        Map<String, Object> attributes,
        List<String> signatureFields,
        String report,
        String signature,
        String signatureLoc,
        boolean addSignatureLoc) {

    public LogspecError {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        signatureFields = List.copyOf(signatureFields);
    }

    public String errorType() {
        return (String) attributes.get("error_type");
    }

    public String errorSummary() {
        return (String) attributes.get("error_summary");
    }

    /** {@code _signature_loc} when the class has one, else {@code _signature}: what the KCIDB worker records. */
    public String signatureLocOrSignature() {
        return Optional.ofNullable(signatureLoc).orElse(signature);
    }
}
