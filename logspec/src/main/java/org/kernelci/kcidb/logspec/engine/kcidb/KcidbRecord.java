package org.kernelci.kcidb.logspec.engine.kcidb;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One record of the KCIDB logspec worker, {@code {version, parser, error: {...}}} (spec §8): what becomes an issue's
 * {@code misc.logspec}.
 *
 * @param error the error fields: public attributes with truthy values, {@code signature}, {@code signature_loc} (absent on
 *              the boot pseudo-error), {@code log_excerpt}, {@code signature_fields}
 */
public record KcidbRecord(String version, String parser, Map<String, Object> error) {

    public KcidbRecord {
        error = Collections.unmodifiableMap(new LinkedHashMap<>(error));
    }

    public String errorType() {
        return (String) error.get("error_type");
    }

    public String errorSummary() {
        return (String) error.get("error_summary");
    }

    /** The signature, which names the issue: {@code <origin>:<signature>}. May be {@code ""} ({@code kbuild.unknown}). */
    public String signature() {
        return (String) error.get("signature");
    }

    /** The location signature builds fold on, or {@code null} for the boot pseudo-error. */
    public String signatureLoc() {
        return (String) error.get("signature_loc");
    }

    /**
     * Whether the worker makes an issue of it: not when the signature is empty, nor for
     * {@code linux.kernel.error_return_code} (non-fatal, noisy).
     */
    public boolean isIssueCandidate() {
        String s = signature();
        return s != null && !s.isEmpty() && !"linux.kernel.error_return_code".equals(errorType());
    }

    /** The record as a JSON value for {@link org.kernelci.kcidb.logspec.engine.json.CanonicalJson}. */
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", error);
        out.put("parser", parser);
        out.put("version", version);
        return out;
    }
}
