package org.kernelci.kcidb.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP routes, compatible with kcidb-restd-rs: {@code POST /submit}, {@code GET /status},
 * {@code GET /authtest} and {@code GET /}. Answers are the Rust service's JSON shapes, served as
 * {@code text/plain; charset=utf-8} as it did.
 */
final class GatewayRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT = "text/plain; charset=utf-8";

    private final Authenticator auth;
    private final Spool spool;
    private final SubmissionPublisher publisher;
    private final GatewayMetrics metrics;
    private final long maxBodySize;
    private final Clock clock;
    private final byte[] indexPage;

    GatewayRoutes(Authenticator auth, Spool spool, SubmissionPublisher publisher, GatewayMetrics metrics, long maxBodySize,
                  Clock clock) {
        this.auth = auth;
        this.spool = spool;
        this.publisher = publisher;
        this.metrics = metrics;
        this.maxBodySize = maxBodySize;
        this.clock = clock;
        this.indexPage = loadIndexPage();
    }

    void routing(HttpRouting.Builder routing) {
        routing.get("/", this::index)
                .post("/submit", this::submit)
                .get("/status", this::status)
                .get("/authtest", this::authtest);
    }

    private void submit(ServerRequest req, ServerResponse res) {
        Caller caller;
        try {
            caller = auth.authenticate(req.headers().first(HeaderNames.AUTHORIZATION));
        } catch (AuthenticationException e) {
            metrics.userError();
            LOG.info("Submission refused: {}", e.getMessage());
            send(res, Status.UNAUTHORIZED_401, Answer.error(e.getMessage()));
            return;
        }
        Optional<Long> declared = req.headers().contentLength().stream().boxed().findFirst();
        if (declared.isPresent() && declared.get() > maxBodySize) {
            metrics.userError();
            send(res, Status.REQUEST_ENTITY_TOO_LARGE_413,
                    Answer.error("Submission body of " + declared.get() + " bytes exceeds the limit of " + maxBodySize + " bytes"));
            return;
        }
        String id = SubmissionIds.next();
        SpooledSubmission spooled;
        try (InputStream body = body(req)) {
            spooled = spool.receive(id, body, maxBodySize, caller.origin(), clock.instant());
        } catch (MalformedBodyException e) {
            metrics.userError();
            send(res, Status.BAD_REQUEST_400, Answer.error(e.getMessage()));
            return;
        } catch (BodyTooLargeException e) {
            metrics.userError();
            send(res, Status.REQUEST_ENTITY_TOO_LARGE_413, Answer.error(e.getMessage()));
            return;
        } catch (IOException | UncheckedIOException e) {
            if (isClientSide(e)) {
                metrics.userError();
                send(res, Status.BAD_REQUEST_400, Answer.error("Cannot read the submission body: " + e.getMessage()));
                return;
            }
            metrics.systemError();
            LOG.error("Cannot spool submission {}", id, e);
            send(res, Status.INTERNAL_SERVER_ERROR_500,
                    Answer.error("The submission could not be stored (server error); nothing was kept, please retry"));
            return;
        }
        metrics.submissions.inc();
        metrics.submissionBytes.inc(spooled.size());
        caller.origin().ifPresent(o -> metrics.byOrigin.labelValues(GatewayMetrics.originLabel(o)).inc());
        LOG.info("Submission {} received: {} bytes from {}", id, spooled.size(), caller.origin().orElse("(no auth)"));
        send(res, Status.OK_200, Answer.of(id, "ok", "Received submission " + id + " with size " + spooled.size() + " bytes"));
        publisher.publish(spooled);
    }

    private InputStream body(ServerRequest req) throws IOException {
        InputStream in = req.content().inputStream();
        Optional<String> encoding = req.headers().first(HeaderNames.CONTENT_ENCODING);
        if (encoding.isPresent() && encoding.get().trim().equalsIgnoreCase("gzip")) {
            return new GZIPInputStream(in, 64 * 1024);
        }
        return in;
    }

    /** Errors in reading the request (client disconnect, corrupt gzip) are the client's, not the server's. */
    private static boolean isClientSide(Exception e) {
        return e instanceof java.util.zip.ZipException || e instanceof java.io.EOFException
                || e.getClass().getName().startsWith("io.helidon");
    }

    private void status(ServerRequest req, ServerResponse res) {
        try {
            auth.authenticate(req.headers().first(HeaderNames.AUTHORIZATION));
        } catch (AuthenticationException e) {
            metrics.userError();
            send(res, Status.UNAUTHORIZED_401, Answer.error(e.getMessage()));
            return;
        }
        String id = req.query().first("id").orElse("");
        if (id.isEmpty()) {
            send(res, Status.BAD_REQUEST_400, Answer.error("Empty id"));
            return;
        }
        if (!id.codePoints().allMatch(Character::isLetterOrDigit)) {
            send(res, Status.BAD_REQUEST_400, Answer.error("Invalid id"));
            return;
        }
        SpoolState state = spool.state(id);
        switch (state) {
            case INPROGRESS -> send(res, Status.OK_200, Answer.of(id, state.wire(), "Submission is being received"));
            case READY -> send(res, Status.OK_200, Answer.of(id, state.wire(), "Submission received, waiting to be processed"));
            case PROCESSED -> send(res, Status.OK_200, Answer.of(id, state.wire(), "Submission processed"));
            case FAILED -> send(res, Status.OK_200, failedAnswer(id));
            case NOTFOUND -> send(res, Status.NOT_FOUND_404, Answer.of(id, state.wire(), "Submission not found"));
        }
    }

    private Answer failedAnswer(String id) {
        Optional<byte[]> stored = spool.failureReasonOf(id);
        if (stored.isEmpty()) {
            return Answer.of(id, "failed", "Submission failed");
        }
        try {
            JsonNode reason = JSON.readTree(stored.get());
            String message = reason.path("message").asText("");
            Answer a = Answer.of(id, "failed", message.isEmpty() ? "Submission failed" : "Submission failed: " + message);
            a.extra().set("reason", reason.path("reason"));
            a.extra().set("errors", reason.path("errors"));
            return a;
        } catch (IOException e) {
            return Answer.of(id, "failed", "Submission failed");
        }
    }

    private void authtest(ServerRequest req, ServerResponse res) {
        try {
            Caller caller = auth.authenticate(req.headers().first(HeaderNames.AUTHORIZATION));
            Answer a = Answer.of("0", "ok", "Authentication successful");
            caller.origin().ifPresent(o -> a.extra().put("origin", o));
            send(res, Status.OK_200, a);
        } catch (AuthenticationException e) {
            metrics.userError();
            send(res, Status.UNAUTHORIZED_401, Answer.error(e.getMessage()));
        }
    }

    private void index(ServerRequest req, ServerResponse res) {
        res.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8"));
        res.send(indexPage);
    }

    private static void send(ServerResponse res, Status status, Answer answer) {
        res.status(status);
        res.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, TEXT));
        res.send(answer.json().getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] loadIndexPage() {
        try (InputStream in = GatewayRoutes.class.getResourceAsStream("/static/index.html")) {
            if (in != null) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            LOG.warn("Cannot read the index page: {}", e.toString());
        }
        return "<html><body><h1>Welcome to KCIDB REST API</h1></body></html>".getBytes(StandardCharsets.UTF_8);
    }
}
