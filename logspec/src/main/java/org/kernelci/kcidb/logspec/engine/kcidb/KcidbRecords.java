package org.kernelci.kcidb.logspec.engine.kcidb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kernelci.kcidb.logspec.engine.Logspec;
import org.kernelci.kcidb.logspec.engine.LogspecError;
import org.kernelci.kcidb.logspec.engine.LogspecResult;
import org.kernelci.kcidb.logspec.engine.Parser;

/** {@code get_logspec_errors} of the KCIDB logspec worker (spec §8). */
public final class KcidbRecords {

    static final String UNCLEAN_BOOT = "WARNING: Unclean boot. Reached prompt but marked as failed.";
    static final String NO_BOOT = "Bootloader did not finish or kernel did not start.";

    private KcidbRecords() {
    }

    /**
     * The records, in order: for {@code generic_linux_boot} a boot pseudo-error first (when the prompt was reached, or when
     * the bootloader or kernel did not get going), then one per error. Records with an empty signature and
     * {@code error_return_code} ones are listed too; {@link KcidbRecord#isIssueCandidate()} tells them apart.
     */
    public static List<KcidbRecord> of(LogspecResult result) {
        String parser = result.parser().id();
        List<KcidbRecord> records = new ArrayList<>();
        bootSummary(result).ifPresent(summary -> {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("error_type", "linux.kernel.boot");
            error.put("error_summary", summary);
            error.put("signature", result.signature());
            error.put("log_excerpt", "");
            error.put("signature_fields", result.signatureFields());
            records.add(new KcidbRecord(Logspec.VERSION, parser, error));
        });
        for (LogspecError e : result.errors()) {
            Map<String, Object> error = new LinkedHashMap<>();
            e.attributes().forEach((k, v) -> {
                if (truthy(v)) {
                    error.put(k, v);
                }
            });
            error.put("signature", e.signature());
            error.put("signature_loc", e.signatureLocOrSignature());
            error.put("log_excerpt", e.report());
            Map<String, Object> fields = new LinkedHashMap<>();
            for (String f : e.signatureFields()) {
                fields.put(f, e.attributes().get(f));
            }
            error.put("signature_fields", fields);
            records.add(new KcidbRecord(Logspec.VERSION, parser, error));
        }
        return List.copyOf(records);
    }

    /**
     * The test status the worker sets for a failed boot: {@code PASS} when the prompt was reached (an unclean boot),
     * {@code MISS} when the bootloader or kernel did not start; empty for other parsers and outcomes.
     */
    public static Optional<String> statusOverride(LogspecResult result) {
        return bootSummary(result).map(s -> s.equals(UNCLEAN_BOOT) ? "PASS" : "MISS");
    }

    private static Optional<String> bootSummary(LogspecResult result) {
        if (result.parser() != Parser.GENERIC_LINUX_BOOT) {
            return Optional.empty();
        }
        if (result.flag("linux.boot.prompt")) {
            return Optional.of(UNCLEAN_BOOT);
        }
        if (!result.flag("bootloader.done") || !result.flag("linux.boot.kernel_started")) {
            return Optional.of(NO_BOOT);
        }
        return Optional.empty();
    }

    private static boolean truthy(Object v) {
        if (v == null) {
            return false;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof List<?> l) {
            return !l.isEmpty();
        }
        return !Boolean.FALSE.equals(v);
    }

    /** The records as a JSON list, the {@code kcidb} member of {@code *.oracle.json}. */
    public static List<Object> toJson(List<KcidbRecord> records) {
        return records.stream().<Object>map(KcidbRecord::toJson).toList();
    }
}
