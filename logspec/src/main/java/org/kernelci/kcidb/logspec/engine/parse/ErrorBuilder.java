package org.kernelci.kcidb.logspec.engine.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kernelci.kcidb.logspec.engine.LogspecError;
import org.kernelci.kcidb.logspec.engine.json.CanonicalJson;

/**
 * An error object while its detector fills it in, mirroring the reference's attribute bag (spec §4): {@code error_type} starts
 * as {@code None}, {@code error_summary} and {@code _report} as {@code ""}, and the signature fields as
 * {@code [error_type, error_summary]}.
 */
final class ErrorBuilder {

    private final String pythonClass;
    private final Map<String, Object> attributes = new LinkedHashMap<>();
    private final List<String> signatureFields = new ArrayList<>(List.of("error_type", "error_summary"));
    private String report = "";
    private boolean addSignatureLoc;

    ErrorBuilder(String pythonClass) {
        this.pythonClass = pythonClass;
        attributes.put("error_type", null);
        attributes.put("error_summary", "");
    }

    ErrorBuilder set(String name, Object value) {
        attributes.put(name, value);
        return this;
    }

    String get(String name) {
        return (String) attributes.get(name);
    }

    boolean has(String name) {
        return attributes.containsKey(name);
    }

    /** {@code self.<name> += suffix} on a string attribute. */
    ErrorBuilder append(String name, String suffix) {
        return set(name, get(name) + suffix);
    }

    ErrorBuilder signatureField(String name) {
        signatureFields.add(name);
        return this;
    }

    ErrorBuilder report(String excerpt) {
        this.report = excerpt;
        return this;
    }

    String report() {
        return report;
    }

    ErrorBuilder addSignatureLoc() {
        this.addSignatureLoc = true;
        return this;
    }

    /** After {@code parse()}: signature computed, and the location signature for classes that ask for one. */
    LogspecError parsed() {
        String signature = signature(signatureFields);
        String loc = null;
        if (addSignatureLoc) {
            // Spec §5.2: drop the message and column, so gcc and clang wordings of one line fold together.
            List<String> locFields = signatureFields.stream()
                    .filter(f -> !f.equals("error_summary") && !f.equals("position"))
                    .toList();
            loc = signature(locFields);
        }
        return new LogspecError(pythonClass, attributes, signatureFields, report, signature, loc, addSignatureLoc);
    }

    /** An error the reference never parses ({@code kbuild.unknown}): its signature stays {@code ""} (spec §5.1). */
    LogspecError unparsed() {
        return new LogspecError(pythonClass, attributes, signatureFields, report, "", null, addSignatureLoc);
    }

    private String signature(List<String> fields) {
        Map<String, Object> picked = new LinkedHashMap<>();
        for (String f : fields) {
            if (attributes.containsKey(f) && truthy(attributes.get(f))) {
                picked.put(f, attributes.get(f));
            }
        }
        return CanonicalJson.generateSignature(picked);
    }

    /** Python truthiness for the attribute values the detectors produce. */
    static boolean truthy(Object v) {
        if (v == null) {
            return false;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof List<?> l) {
            return !l.isEmpty();
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.longValue() != 0;
        }
        return true;
    }
}
