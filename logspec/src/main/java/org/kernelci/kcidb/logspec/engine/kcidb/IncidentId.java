package org.kernelci.kcidb.logspec.engine.kcidb;

import java.util.List;
import org.kernelci.kcidb.logspec.engine.json.CanonicalJson;

/**
 * KCIDB incident ids (spec §8): {@code <origin>:} + SHA-1 of
 * {@code json.dumps([result_id, issue_id, issue_version], sort_keys=True, ensure_ascii=False)}.
 */
public final class IncidentId {

    private IncidentId() {
    }

    /**
     * @param origin       the submitting origin
     * @param resultId     the build or test id the incident is about
     * @param issueId      the issue id, {@code <origin>:<signature>}
     * @param issueVersion the issue version
     */
    public static String of(String origin, String resultId, String issueId, long issueVersion) {
        IssueId.requireText(origin, "origin");
        IssueId.requireText(resultId, "result id");
        IssueId.requireText(issueId, "issue id");
        return origin + ":" + CanonicalJson.generateSignature(List.of(resultId, issueId, issueVersion));
    }
}
