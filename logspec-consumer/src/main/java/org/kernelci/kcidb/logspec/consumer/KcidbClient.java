package org.kernelci.kcidb.logspec.consumer;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.kernelci.kcidb.contracts.gateway.GatewayAnswer;

/**
 * The gateway's submission API as the consumer uses it: {@code POST /submit} with the service token, and
 * {@code GET /status?id=}, both answered with {@link GatewayAnswer}s. Failures are sorted: {@link Rejected} when the
 * gateway refuses the document itself (400, 413: sending it again changes nothing), {@link IOException} for everything
 * worth retrying (unreachable, 5xx, 401 and 403 while the secret is being fixed).
 */
class KcidbClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** The gateway refused the document for good. */
    static final class Rejected extends Exception {
        Rejected(String message) {
            super(message);
        }
    }

    private final URI base;
    private final ServiceToken token;
    private final HttpClient http;

    KcidbClient(URI base, ServiceToken token) {
        this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Submits a document; returns the submission id. */
    String submit(byte[] document) throws IOException, InterruptedException, Rejected {
        HttpRequest.Builder req = HttpRequest.newBuilder(base.resolve("submit")).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(document));
        token.authorization().ifPresent(a -> req.header("Authorization", a));
        HttpResponse<byte[]> r = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        GatewayAnswer answer = parse(r);
        if (r.statusCode() == 200 && answer.is(GatewayAnswer.OK)) {
            return answer.id();
        }
        String message = "gateway answered " + r.statusCode() + ": " + answer.message();
        if (r.statusCode() == 400 || r.statusCode() == 413) {
            throw new Rejected(message);
        }
        throw new IOException(message);
    }

    /** What {@code GET /status} says: {@code notfound} (404) is an answer too. */
    GatewayAnswer status(String id) throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(base.resolve("status?id=" + URLEncoder.encode(id,
                StandardCharsets.UTF_8))).timeout(TIMEOUT).GET();
        token.authorization().ifPresent(a -> req.header("Authorization", a));
        HttpResponse<byte[]> r = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        GatewayAnswer answer = parse(r);
        if (r.statusCode() == 200 || answer.is(GatewayAnswer.NOTFOUND)) {
            return answer;
        }
        throw new IOException("status of " + id + ": gateway answered " + r.statusCode() + ": " + answer.message());
    }

    private static GatewayAnswer parse(HttpResponse<byte[]> r) throws IOException {
        try {
            GatewayAnswer answer = GatewayAnswer.fromJson(r.body());
            if (answer.status() == null) {
                throw new IOException("no status");
            }
            return answer;
        } catch (IOException e) {
            String body = new String(r.body(), StandardCharsets.UTF_8);
            throw new IOException("gateway answered " + r.statusCode() + " with a body that is not an answer: "
                    + (body.length() > 200 ? body.substring(0, 200) : body), e);
        }
    }

    @Override
    public String toString() {
        return base.toString();
    }
}
