package org.kernelci.kcidb.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.kernelci.kcidb.contracts.gateway.GatewayAnswer;
import org.kernelci.kcidb.contracts.gateway.GatewayAnswer.AnswerError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP routes, compatible with kcidb-restd-rs: {@code POST /submit}, {@code GET /status},
 * {@code GET /authtest}, {@code GET /metrics}, {@code GET /}, {@code GET /.well-known/acme-challenge/{token}}.
 * Answers are the Rust service's JSON shapes and messages, served as {@code text/plain; charset=utf-8} as it did.
 * Handlers throw; {@link #failed} maps every failure to its answer in one place.
 */
final class GatewayRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT = "text/plain; charset=utf-8";

    private final Authenticator auth;
    private final Spool spool;
    private final Consumer<SpooledSubmission> relay;
    private final GatewayMetrics metrics;
    private final Supplier<byte[]> registryMetrics;
    private final SubmitValidation validation;
    private final long maxBodySize;
    private final Optional<Path> acmeWebroot;
    private final Clock clock;
    private final byte[] indexPage;

    GatewayRoutes(Authenticator auth, Spool spool, Consumer<SpooledSubmission> relay, GatewayMetrics metrics,
                  Supplier<byte[]> registryMetrics, SubmitValidation validation, long maxBodySize,
                  Optional<Path> acmeWebroot, Clock clock) {
        this.auth = auth;
        this.spool = spool;
        this.relay = relay;
        this.metrics = metrics;
        this.registryMetrics = registryMetrics;
        this.validation = validation;
        this.maxBodySize = maxBodySize;
        this.acmeWebroot = acmeWebroot;
        this.clock = clock;
        this.indexPage = loadIndexPage();
    }

    /** Registers the routes; {@code /metrics} here wins over a later generic one (routes match in order). */
    void routing(HttpRouting.Builder routing) {
        routing.get("/", this::index)
                .post("/submit", this::submit)
                .get("/status", this::status)
                .get("/authtest", this::authtest)
                .get("/metrics", this::metricsText)
                .get("/.well-known/acme-challenge/{token}", this::acmeChallenge)
                .error(Exception.class, this::failed);
    }

    private void submit(ServerRequest req, ServerResponse res) throws Exception {
        long started = System.nanoTime();
        Caller caller = auth.authenticate(req.headers().first(HeaderNames.AUTHORIZATION));
        Optional<Long> declared = req.headers().contentLength().stream().boxed().findFirst();
        if (declared.isPresent() && declared.get() > maxBodySize) {
            throw Refusal.of(Status.REQUEST_ENTITY_TOO_LARGE_413,
                    "Submission body of " + declared.get() + " bytes exceeds the limit of " + maxBodySize + " bytes");
        }
        Instant receivedAt = clock.instant();
        String id = SubmissionIds.next();
        SpooledSubmission spooled;
        try (SpoolUpload upload = spool.upload(id, caller.origin(), receivedAt)) {
            JsonStreamChecker.Result scan;
            try (InputStream body = body(req)) {
                scan = upload.receive(body, maxBodySize, guardFor(caller));
            } catch (IOException | UncheckedIOException e) {
                throw Refusal.of(Status.BAD_REQUEST_400, "Cannot read the submission body: " + e.getMessage());
            } catch (RuntimeException e) {
                if (e.getClass().getName().startsWith("io.helidon.")) { // the client went away mid-body
                    throw Refusal.of(Status.BAD_REQUEST_400, "Cannot read the submission body: " + e.getMessage());
                }
                throw e;
            }
            if (scan.violationCount() > 0) {
                metrics.originRefusals.inc();
                throw originRefusal(caller, scan);
            }
            try {
                validation.check(upload.file(), upload.size());
            } catch (Refusal r) {
                metrics.validationRefusals.inc();
                throw r;
            }
            spooled = upload.commit();
        }
        metrics.accepted(spooled.size(), caller.origin().orElse("none"));
        LOG.info("Submission {} received: {} bytes from {}", id, spooled.size(), caller.origin().orElse("(no auth)"));
        send(res, Status.OK_200, GatewayAnswer.received(id, spooled.size()));
        relay.accept(spooled);
        metrics.submitSeconds.observe((System.nanoTime() - started) / 1e9);
    }

    private static JsonStreamChecker.OriginGuard guardFor(Caller caller) {
        return caller.mayWriteAny() ? JsonStreamChecker.OriginGuard.ANY : caller::mayWrite;
    }

    private static Refusal originRefusal(Caller caller, JsonStreamChecker.Result scan) {
        StringBuilder m = new StringBuilder("Token of origin '").append(caller.origin().orElse(""))
                .append("' may not submit objects of other origins: ");
        List<AnswerError> errors = new ArrayList<>();
        String sep = "";
        for (JsonStreamChecker.OriginViolation v : scan.violations()) {
            String id = v.id() == null ? "(no id)" : "'" + v.id() + "'";
            m.append(sep).append(v.list()).append('[').append(v.index()).append("] ").append(id)
                    .append(" (origin '").append(v.origin()).append("')");
            sep = ", ";
            errors.add(new AnswerError(v.pointer(), v.id(), "origin '" + v.origin() + "' is not allowed for this token"));
        }
        if (scan.violationCount() > scan.violations().size()) {
            m.append(" and ").append(scan.violationCount() - scan.violations().size()).append(" more");
        }
        return new Refusal(Status.FORBIDDEN_403, GatewayAnswer.error(m.toString()).withErrors(null, errors));
    }

    /** The body, decoded when the client compressed it ({@code Content-Encoding: gzip} or {@code deflate}). */
    private InputStream body(ServerRequest req) throws IOException, Refusal {
        InputStream in = req.content().inputStream();
        String encoding = req.headers().first(HeaderNames.CONTENT_ENCODING).orElse("identity").trim()
                .toLowerCase(Locale.ROOT);
        return switch (encoding) {
            case "", "identity" -> in;
            case "gzip", "x-gzip" -> new GZIPInputStream(in, 64 * 1024);
            case "deflate" -> new InflaterInputStream(in);
            default -> throw Refusal.of(Status.UNSUPPORTED_MEDIA_TYPE_415,
                    "Content-Encoding " + encoding + " is not supported (gzip, deflate or none)");
        };
    }

    private void status(ServerRequest req, ServerResponse res) throws Exception {
        auth.authenticate(req.headers().first(HeaderNames.AUTHORIZATION));
        String id = req.query().first("id").orElse("");
        if (id.isEmpty()) {
            throw Refusal.of(Status.BAD_REQUEST_400, "Empty id");
        }
        if (!id.codePoints().allMatch(Character::isLetterOrDigit)) {
            throw Refusal.of(Status.BAD_REQUEST_400, "Invalid id");
        }
        switch (spool.state(id)) {
            case INPROGRESS -> send(res, Status.OK_200, GatewayAnswer.inProgress(id));
            case READY -> send(res, Status.OK_200, GatewayAnswer.ready(id));
            case PROCESSED -> send(res, Status.OK_200, GatewayAnswer.processed(id));
            case FAILED -> send(res, Status.OK_200, failedAnswer(id));
            case NOTFOUND -> throw new Refusal(Status.NOT_FOUND_404, GatewayAnswer.notFound(id));
        }
    }

    /** The Rust answer for {@code failed}, plus why: {@code reason}, {@code detail} and {@code errors}. */
    private GatewayAnswer failedAnswer(String id) {
        GatewayAnswer a = GatewayAnswer.failed(id);
        Optional<byte[]> stored = spool.failureReasonOf(id);
        if (stored.isPresent()) {
            try {
                JsonNode reason = JSON.readTree(stored.get());
                List<AnswerError> errors = new ArrayList<>();
                for (JsonNode e : reason.path("errors")) {
                    errors.add(AnswerError.at(e.path("pointer").asText(), e.path("message").asText()));
                }
                return a.withFailure(reason.path("reason").textValue(), reason.path("message").textValue(), errors,
                        reason.path("at").textValue());
            } catch (IOException e) {
                LOG.warn("Failure reason of submission {} is not JSON: {}", id, e.toString());
            }
        }
        return a;
    }

    private void authtest(ServerRequest req, ServerResponse res) throws Exception {
        Caller caller = auth.authenticate(req.headers().first(HeaderNames.AUTHORIZATION));
        send(res, Status.OK_200, GatewayAnswer.authenticated(caller.origin().orElse(null)));
    }

    private void metricsText(ServerRequest req, ServerResponse res) {
        byte[] rust = metrics.rustCompatibleText().getBytes(StandardCharsets.UTF_8);
        byte[] rest = registryMetrics.get();
        byte[] all = new byte[rust.length + rest.length];
        System.arraycopy(rust, 0, all, 0, rust.length);
        System.arraycopy(rest, 0, all, rust.length, rest.length);
        res.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, PrometheusTextFormatWriter.CONTENT_TYPE));
        res.send(all);
    }

    /**
     * HTTP-01 challenges for an external certbot in webroot mode ({@code ACME_WEBROOT}), answered as the Rust service
     * did: 400 {@code Invalid token} for anything but letters, digits, {@code -} and {@code _}; 404
     * {@code Challenge not found} otherwise.
     */
    private void acmeChallenge(ServerRequest req, ServerResponse res) throws IOException {
        String token = req.path().pathParameters().first("token").orElse("");
        res.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, TEXT));
        if (token.isEmpty() || !token.codePoints().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
            res.status(Status.BAD_REQUEST_400).send("Invalid token");
            return;
        }
        if (acmeWebroot.isPresent()) {
            try {
                res.send(Files.readAllBytes(acmeWebroot.get().resolve(token)));
                return;
            } catch (NoSuchFileException e) {
                // fall through
            }
        }
        res.status(Status.NOT_FOUND_404).send("Challenge not found");
    }

    private void index(ServerRequest req, ServerResponse res) {
        res.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8"));
        res.send(indexPage);
    }

    /** Every failure's answer, in one place. */
    private void failed(ServerRequest req, ServerResponse res, Exception e) {
        Refusal r = switch (e) {
            case Refusal refusal -> refusal;
            case AuthenticationException a -> Refusal.of(Status.UNAUTHORIZED_401, a.getMessage());
            case MalformedBodyException m -> Refusal.of(Status.BAD_REQUEST_400, m.getMessage());
            case BodyTooLargeException b -> Refusal.of(Status.REQUEST_ENTITY_TOO_LARGE_413, b.getMessage());
            case SpoolFailure s -> Refusal.of(s.noSpace() ? Status.INSUFFICIENT_STORAGE_507 : Status.INTERNAL_SERVER_ERROR_500,
                    (s.noSpace() ? "The spool is full" : "The spool cannot store submissions")
                            + "; nothing was kept, please retry later (" + s.getMessage() + ")");
            default -> Refusal.of(Status.INTERNAL_SERVER_ERROR_500, "Internal server error");
        };
        if (r.systemError()) {
            metrics.systemError();
            LOG.error("{} {}: {}", req.prologue().method().text(), req.path().path(), r.answer().message(),
                    e instanceof Refusal ? null : e);
        } else {
            metrics.userError();
            LOG.info("{} {} refused ({}): {}", req.prologue().method().text(), req.path().path(), r.status().code(),
                    r.answer().message());
        }
        if (!res.isSent()) {
            send(res, r.status(), r.answer());
        }
    }

    private static void send(ServerResponse res, Status status, GatewayAnswer answer) {
        res.status(status);
        res.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, TEXT));
        res.send(answer.toJson());
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
