package org.kernelci.kcidb.logspec.consumer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.kernelci.kcidb.contracts.events.FailureEvent.Kind;
import org.kernelci.kcidb.logspec.engine.LogspecResult;
import org.kernelci.kcidb.logspec.engine.kcidb.IncidentId;
import org.kernelci.kcidb.logspec.engine.kcidb.IssueId;
import org.kernelci.kcidb.logspec.engine.kcidb.KcidbRecord;
import org.kernelci.kcidb.logspec.engine.kcidb.KcidbRecords;

/**
 * The issues and incidents of one analysed failure, as the original worker made them (logspec spec §8), in a KCIDB 5.3
 * document.
 *
 * <ul>
 *   <li>One issue per record with a non-empty signature that is not {@code linux.kernel.error_return_code}: id
 *       {@code <origin>:<signature>}, version 1, {@code culprit} code, the original's comment, and the record without
 *       its signature as {@code misc.logspec}. For builds, an issue of the same origin seen in the last 25 days with the
 *       same {@code signature_loc} is reused (folding one error reported by different compilers).</li>
 *   <li>One incident per such record: id {@code <origin>:} + SHA-1 of {@code [result_id, issue_id, issue_version]},
 *       {@code build_id} or {@code test_id}, {@code present}.</li>
 *   <li>Issues with the same id are kept once (the last one, at the place of the first), and so are incidents.</li>
 *   <li>{@code null} values are dropped at every level, as KCIDB does not allow them.</li>
 * </ul>
 * Deviations, both forced by KCIDB 5.3 and PostgreSQL: the original's v4 issue fields {@code build_valid} and
 * {@code test_status} no longer exist and are not written; NUL characters, which PostgreSQL cannot store in JSON and
 * KCIDB forbids in comments, are removed from every string (signatures and ids are not affected: they are hex).
 */
final class IssueDocument {
    /** How far back a build issue with the same location signature is reused. */
    static final int FOLD_DAYS = 25;
    static final String INCIDENT_COMMENT = "test incident, automatically generated";

    /** Finds an issue to fold a build error onto. */
    @FunctionalInterface
    interface Folder {
        /** An issue (id, version) of {@code origin} seen in the last {@value #FOLD_DAYS} days with this signature_loc. */
        Optional<IssueKey> find(String origin, String signatureLoc, String ownId) throws Exception;
    }

    record IssueKey(String id, int version) {
    }

    /**
     * @param issues         the issues, ready for the document
     * @param incidents      the incidents, ready for the document
     * @param statusOverride the status the original worker computed for a boot (PASS for an unclean boot, MISS when
     *                       nothing booted); recorded, not written back, as the original never applied it
     */
    record Content(List<Map<String, Object>> issues, List<Map<String, Object>> incidents, Optional<String> statusOverride) {
        boolean isEmpty() {
            return issues.isEmpty() && incidents.isEmpty();
        }

        /** The KCIDB 5.3 document. */
        Map<String, Object> document() {
            Map<String, Object> doc = new LinkedHashMap<>();
            Map<String, Object> version = new LinkedHashMap<>();
            version.put("major", 5);
            version.put("minor", 3);
            doc.put("version", version);
            doc.put("issues", issues);
            doc.put("incidents", incidents);
            return doc;
        }
    }

    private IssueDocument() {
    }

    static Content of(Kind kind, String resultId, String origin, LogspecResult result, Folder folder) throws Exception {
        String parser = result.parser().id();
        Map<String, Map<String, Object>> issues = new LinkedHashMap<>();
        Map<String, Map<String, Object>> incidents = new LinkedHashMap<>();
        for (KcidbRecord record : KcidbRecords.of(result)) {
            if (!record.isIssueCandidate()) {
                continue;
            }
            String issueId = IssueId.of(origin, record.signature());
            int version = IssueId.VERSION;
            if (kind == Kind.BUILD && record.signatureLoc() != null) {
                Optional<IssueKey> existing = folder.find(origin, record.signatureLoc(), issueId);
                if (existing.isPresent()) {
                    issueId = existing.get().id();
                    version = existing.get().version();
                }
            }
            issues.put(issueId, issue(origin, issueId, version, parser, record));
            Map<String, Object> incident = new LinkedHashMap<>();
            String incidentId = IncidentId.of(origin, resultId, issueId, version);
            incident.put("id", incidentId);
            incident.put("issue_id", issueId);
            incident.put("issue_version", version);
            incident.put(kind == Kind.BUILD ? "build_id" : "test_id", resultId);
            incident.put("comment", INCIDENT_COMMENT);
            incident.put("origin", origin);
            incident.put("present", true);
            incidents.put(incidentId, incident);
        }
        return new Content(clean(new ArrayList<>(issues.values())), clean(new ArrayList<>(incidents.values())),
                KcidbRecords.statusOverride(result));
    }

    private static Map<String, Object> issue(String origin, String id, int version, String parser, KcidbRecord record) {
        Map<String, Object> error = new LinkedHashMap<>(record.error());
        error.remove("signature");
        Map<String, Object> logspec = new LinkedHashMap<>();
        logspec.put("version", record.version());
        logspec.put("parser", record.parser());
        logspec.put("error", error);

        StringBuilder comment = new StringBuilder();
        if (error.containsKey("error_summary")) {
            comment.append(' ').append(error.get("error_summary"));
        }
        if (error.containsKey("target")) {
            comment.append(" in ").append(error.get("target"));
            if (error.containsKey("src_file")) {
                comment.append(" (").append(error.get("src_file")).append(')');
            } else if (error.containsKey("script")) {
                comment.append(" (").append(error.get("script")).append(')');
            }
        }
        comment.append(" [logspec:").append(parser).append(',').append(error.get("error_type")).append(']');

        Map<String, Object> issue = new LinkedHashMap<>();
        issue.put("origin", origin);
        issue.put("id", id);
        issue.put("version", version);
        issue.put("comment", comment.toString());
        issue.put("misc", Map.of("logspec", logspec));
        Map<String, Object> culprit = new LinkedHashMap<>();
        culprit.put("code", true);
        culprit.put("harness", false);
        culprit.put("tool", false);
        issue.put("culprit", culprit);
        return issue;
    }

    @SuppressWarnings("unchecked")
    private static <T> T clean(T value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                if (v != null) {
                    out.put((String) k, clean(v));
                }
            });
            return (T) out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(clean(o));
            }
            return (T) out;
        }
        if (value instanceof String s && s.indexOf('\0') >= 0) {
            return (T) s.replace("\0", "");
        }
        return value;
    }
}
