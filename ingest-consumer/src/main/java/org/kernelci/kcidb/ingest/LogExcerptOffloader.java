package org.kernelci.kcidb.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.kernelci.kcidb.service.Backoff;
import org.kernelci.kcidb.service.Retry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves long log excerpts out of the database, as the original ingesters could (off by default): a build's or test's
 * {@code log_excerpt} longer than {@value #THRESHOLD} characters is gzipped and uploaded to the storage service
 * ({@code POST $STORAGE_BASE_URL/upload}, multipart {@code file0=logexcerpt.txt.gz} and
 * {@code path=logexcerpt/<sha256>}, bearer token); then {@code log_excerpt} becomes {@code ""} and
 * {@code {"name": "log_excerpt", "url": "$STORAGE_BASE_URL/logexcerpt/<sha256>/logexcerpt.txt.gz"}} is appended to
 * its {@code output_files}. Uploads are retried a bounded number of times with backoff; when they all fail the
 * excerpt stays in the document unchanged (never the excerpt in place of a URL, the dashboard ingester's bug), and for
 * {@link #COOL_DOWN} further excerpts are kept without trying, so a store that is down does not slow ingestion down.
 * Runs after validation, on a document of its own. Thread-safe.
 */
final class LogExcerptOffloader {
    static final int THRESHOLD = 256;
    static final Duration COOL_DOWN = Duration.ofSeconds(60);
    static final LogExcerptOffloader DISABLED = new LogExcerptOffloader(null, null, null, 0, null, Duration.ZERO,
            Clock.systemUTC());
    private static final int CACHE_LIMIT = 100_000;
    private static final Logger LOG = LoggerFactory.getLogger(LogExcerptOffloader.class);

    private final String baseUrl;
    private final String token;
    private final HttpClient http;
    private final int attempts;
    private final Retry retry;
    private final Duration timeout;
    private final Clock clock;
    private final Map<String, String> urlBySha = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CACHE_LIMIT;
        }
    };
    private volatile Instant coolUntil = Instant.MIN;

    /**
     * @param baseUrl the storage service ({@code STORAGE_BASE_URL}), without a trailing slash
     * @param attempts uploads tried per excerpt before giving up
     * @param timeout per request
     */
    LogExcerptOffloader(String baseUrl, String token, HttpClient http, int attempts, Backoff backoff, Duration timeout,
                        Clock clock) {
        this.baseUrl = baseUrl == null ? null : baseUrl.strip().replaceAll("/+$", "");
        this.token = token;
        this.http = http;
        this.attempts = attempts;
        // Whatever goes wrong with the store is worth another try; the excerpt stays in the database otherwise.
        this.retry = attempts < 1 ? null : new Retry("log excerpt upload", attempts, backoff, e -> true);
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Enabled when both are set (the original's STORAGE_BASE_URL and STORAGE_TOKEN). */
    static LogExcerptOffloader of(String baseUrl, String token, Clock clock) {
        if (baseUrl == null || baseUrl.isBlank() || token == null || token.isBlank()) {
            return DISABLED;
        }
        URI uri;
        try {
            uri = URI.create(baseUrl.strip() + "/upload");
        } catch (IllegalArgumentException e) {
            throw new org.kernelci.kcidb.contracts.cli.ConfigException("STORAGE_BASE_URL " + baseUrl + " is not a URL: "
                    + e.getMessage(), e);
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new org.kernelci.kcidb.contracts.cli.ConfigException("STORAGE_BASE_URL " + baseUrl
                    + " must be an http or https URL");
        }
        return new LogExcerptOffloader(baseUrl, token, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .build(), 3, new Backoff(Duration.ofMillis(500), Duration.ofSeconds(4), 2.0), Duration.ofSeconds(30),
                clock);
    }

    boolean enabled() {
        return baseUrl != null;
    }

    void offload(ObjectNode document) {
        if (!enabled()) {
            return;
        }
        for (String list : new String[] {"builds", "tests"}) {
            for (JsonNode o : document.path(list)) {
                if (o instanceof ObjectNode object) {
                    offloadOne(object);
                }
            }
        }
    }

    private void offloadOne(ObjectNode object) {
        JsonNode excerpt = object.get("log_excerpt");
        if (excerpt == null || !excerpt.isTextual()) {
            return;
        }
        String text = excerpt.asText();
        if (text.length() <= THRESHOLD || text.codePointCount(0, text.length()) <= THRESHOLD) {
            return;
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        String sha = sha256(utf8);
        String url;
        synchronized (urlBySha) {
            url = urlBySha.get(sha);
        }
        if (url == null) {
            url = upload(sha, utf8);
            if (url == null) {
                return; // kept in the database: nothing is lost
            }
            synchronized (urlBySha) {
                urlBySha.put(sha, url);
            }
        }
        object.put("log_excerpt", "");
        JsonNode files = object.get("output_files");
        ArrayNode list = files instanceof ArrayNode a ? a : object.putArray("output_files");
        list.addObject().put("name", "log_excerpt").put("url", url);
    }

    /** The URL of the uploaded excerpt, or null when the store did not take it. */
    private String upload(String sha, byte[] utf8) {
        if (clock.instant().isBefore(coolUntil)) {
            return null;
        }
        byte[] body;
        String boundary = "kcidb-" + UUID.randomUUID();
        try {
            body = multipart(boundary, "logexcerpt/" + sha, gzip(utf8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/upload")).timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        String url = baseUrl + "/logexcerpt/" + sha + "/logexcerpt.txt.gz";
        try {
            return retry.call(() -> {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IOException("HTTP " + r.statusCode());
                }
                return url;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            LOG.warn("Log excerpt {}: {} upload attempt(s) failed (last: {}); keeping the excerpt in the database, and all "
                    + "excerpts for {} s", sha, attempts, e.toString(), COOL_DOWN.toSeconds());
            coolUntil = clock.instant().plus(COOL_DOWN);
            return null;
        }
    }

    private static byte[] multipart(String boundary, String path, byte[] file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(file.length + 512);
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"path\"\r\n\r\n" + path + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file0\"; filename=\"logexcerpt.txt.gz\""
                + "\r\nContent-Type: application/gzip\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.UTF_8));
        out.write(file);
        out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 3 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
