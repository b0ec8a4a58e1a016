package org.kernelci.kcidb.logspec.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kernelci.kcidb.logspec.engine.json.CanonicalJson;

/** The JSON shapes of a result, as in the reference corpus (spec §2.3 and the corpus README). */
public final class LogspecJson {

    private LogspecJson() {
    }

    /**
     * {@code format_data_output(full=False)}: hidden ({@code _}) keys removed everywhere and error attributes equal to
     * {@code ""} dropped ({@code null} and {@code []} stay). The shape of {@code *.expected.json}.
     */
    public static Map<String, Object> publicView(LogspecResult result) {
        Map<String, Object> out = new LinkedHashMap<>(result.flags());
        List<Object> errors = new ArrayList<>();
        for (LogspecError e : result.errors()) {
            Map<String, Object> attrs = new LinkedHashMap<>();
            e.attributes().forEach((k, v) -> {
                if (!"".equals(v)) {
                    attrs.put(k, v);
                }
            });
            errors.add(attrs);
        }
        out.put("errors", errors);
        return out;
    }

    /** The complete internal result, hidden keys included: the {@code result} object of {@code *.oracle.json}. */
    public static Map<String, Object> fullView(LogspecResult result) {
        Map<String, Object> out = new LinkedHashMap<>(result.flags());
        List<Object> errors = new ArrayList<>();
        for (LogspecError e : result.errors()) {
            errors.add(fullError(e));
        }
        out.put("errors", errors);
        out.put("_match_end", result.matchEnd());
        out.put("_signature", result.signature());
        out.put("_signature_fields", result.signatureFields());
        out.put("_states_summary", result.statesSummary());
        return out;
    }

    /** One error with every attribute, hidden ones included. */
    public static Map<String, Object> fullError(LogspecError e) {
        Map<String, Object> out = new LinkedHashMap<>(e.attributes());
        out.put("_class", e.pythonClass());
        out.put("_report", e.report());
        out.put("_signature", e.signature());
        out.put("_signature_fields", e.signatureFields());
        if (e.signatureLoc() != null) {
            out.put("_signature_loc", e.signatureLoc());
        }
        if (e.addSignatureLoc()) {
            out.put("_add_signature_loc", true);
        }
        return out;
    }

    /** {@code json.dumps(view, indent=indent, sort_keys=True, ensure_ascii=False)} plus a final newline. */
    public static String render(Object view, int indent) {
        return CanonicalJson.indented(view, indent) + "\n";
    }
}
