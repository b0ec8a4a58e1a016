package org.kernelci.kcidb.gateway;

import io.helidon.http.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kernelci.kcidb.contracts.gateway.GatewayAnswer;
import org.kernelci.kcidb.contracts.gateway.GatewayAnswer.AnswerError;
import org.kernelci.kcidb.contracts.kcidb.KcidbSubmissions;
import org.kernelci.kcidb.contracts.kcidb.Verdict;
import org.kernelci.kcidb.contracts.kcidb.Violation;

/**
 * {@code --validate-on-submit}: the KCIDB schema check (and upgrade) run before the 200, so that a submitter hears of
 * schema errors at once (400 with the list) instead of polling {@code /status} for {@code failed}. Bodies larger than
 * {@code maxBytes} are not validated here (a tree of them would not fit the request's memory budget); the ingest
 * consumer validates every submission anyway.
 */
final class SubmitValidation {
    static final SubmitValidation OFF = new SubmitValidation(null, -1);
    private static final int MAX_ERRORS = 100;

    private final KcidbSubmissions kcidb;
    private final long maxBytes;

    SubmitValidation(KcidbSubmissions kcidb, long maxBytes) {
        this.kcidb = kcidb;
        this.maxBytes = maxBytes;
    }

    boolean enabled() {
        return kcidb != null;
    }

    /** @throws Refusal 400 with {@code reason} and {@code errors} when the document is not valid KCIDB */
    void check(Path body, long size) throws Refusal, IOException {
        if (kcidb == null || size > maxBytes) {
            return;
        }
        Verdict verdict = kcidb.check(Files.readAllBytes(body));
        if (verdict instanceof Verdict.Rejected r) {
            List<AnswerError> errors = new ArrayList<>();
            for (Violation v : r.violations().subList(0, Math.min(MAX_ERRORS, r.violations().size()))) {
                errors.add(AnswerError.at(v.pointer(), v.message()));
            }
            throw new Refusal(Status.BAD_REQUEST_400, GatewayAnswer.error("Submission is not valid KCIDB ("
                    + r.reason().code() + "): " + r.message()).withErrors(r.reason().code(), errors));
        }
    }
}
