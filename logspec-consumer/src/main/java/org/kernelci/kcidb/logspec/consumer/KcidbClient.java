package org.kernelci.kcidb.logspec.consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The gateway's submission API as the consumer uses it: {@code POST /submit} with the service token, and
 * {@code GET /status?id=}. Failures are sorted: {@link Rejected} when the gateway refuses the document itself (400,
 * 413: sending it again changes nothing), {@link IOException} for everything worth retrying (unreachable, 5xx, 401 and
 * 403 while the secret is being fixed).
 */
class KcidbClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** What {@code GET /status} said. */
    record Status(String status, String reason, String message) {
        boolean processed() {
            return status.equals("processed");
        }

        boolean failed() {
            return status.equals("failed");
        }

        boolean notFound() {
            return status.equals("notfound");
        }
    }

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
        HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = parse(r);
        if (r.statusCode() == 200 && "ok".equals(body.path("status").asText())) {
            return body.path("id").asText();
        }
        String message = "gateway answered " + r.statusCode() + ": " + body.path("message").asText(r.body());
        if (r.statusCode() == 400 || r.statusCode() == 413) {
            throw new Rejected(message);
        }
        throw new IOException(message);
    }

    Status status(String id) throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(base.resolve("status?id=" + URLEncoder.encode(id,
                StandardCharsets.UTF_8))).timeout(TIMEOUT).GET();
        token.authorization().ifPresent(a -> req.header("Authorization", a));
        HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = parse(r);
        String status = body.path("status").asText("");
        if (r.statusCode() == 200 || status.equals("notfound")) {
            return new Status(status, body.path("reason").asText(null), body.path("message").asText(""));
        }
        throw new IOException("status of " + id + ": gateway answered " + r.statusCode() + ": " + r.body());
    }

    private static JsonNode parse(HttpResponse<String> r) throws IOException {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IOException("gateway answered " + r.statusCode() + " with a body that is not JSON: "
                    + (r.body().length() > 200 ? r.body().substring(0, 200) : r.body()), e);
        }
    }

    @Override
    public String toString() {
        return base.toString();
    }
}
