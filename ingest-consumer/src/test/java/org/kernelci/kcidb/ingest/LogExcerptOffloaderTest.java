package org.kernelci.kcidb.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.service.Backoff;

/** The log-excerpt offload against a storage service on a real socket (the JDK's HTTP server). */
class LogExcerptOffloaderTest {
    private static final String LONG = "x".repeat(LogExcerptOffloader.THRESHOLD) + " kernel BUG at mm/slub.c";
    private HttpServer server;
    private final List<byte[]> uploads = new CopyOnWriteArrayList<>();
    private final List<String> auth = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private String base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/storage/upload", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            auth.add(exchange.getRequestHeaders().getFirst("Authorization"));
            int status = failuresLeft.getAndDecrement() > 0 ? 503 : 200;
            if (status == 200) {
                uploads.add(body);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort() + "/storage";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void longExcerptsAreUploadedGzippedAndLinkedShortOnesStay() throws Exception {
        ObjectNode doc = document();
        offloader(3).offload(doc);

        String sha = LogExcerptOffloader.sha256(LONG.getBytes(StandardCharsets.UTF_8));
        String url = base + "/logexcerpt/" + sha + "/logexcerpt.txt.gz";
        ObjectNode build = (ObjectNode) doc.get("builds").get(0);
        assertThat(build.get("log_excerpt").asText()).isEmpty();
        assertThat(build.get("output_files").toString())
                .isEqualTo("[{\"name\":\"kernel\",\"url\":\"https://example.org/bzImage\"},"
                        + "{\"name\":\"log_excerpt\",\"url\":\"" + url + "\"}]");
        ObjectNode test = (ObjectNode) doc.get("tests").get(0);
        assertThat(test.get("log_excerpt").asText()).isEmpty();
        assertThat(test.get("output_files").toString()).isEqualTo("[{\"name\":\"log_excerpt\",\"url\":\"" + url + "\"}]");
        assertThat(doc.get("tests").get(1).get("log_excerpt").asText()).isEqualTo("short");

        assertThat(uploads).as("the same excerpt is uploaded once (cache)").hasSize(1);
        assertThat(auth).containsOnly("Bearer secret-token");
        String multipart = new String(uploads.get(0), StandardCharsets.ISO_8859_1);
        assertThat(multipart).contains("name=\"path\"\r\n\r\nlogexcerpt/" + sha + "\r\n")
                .contains("name=\"file0\"; filename=\"logexcerpt.txt.gz\"");
        int start = multipart.indexOf("\r\n\r\n", multipart.indexOf("name=\"file0\"")) + 4;
        int end = multipart.lastIndexOf("\r\n--");
        byte[] gz = java.util.Arrays.copyOfRange(uploads.get(0), start, end);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(LONG);
        }
    }

    @Test
    void aTransientStoreFailureIsRetried() {
        failuresLeft.set(2);
        ObjectNode doc = document();
        offloader(3).offload(doc);
        assertThat(doc.at("/builds/0/log_excerpt").asText()).isEmpty();
        assertThat(uploads).hasSize(1);
    }

    @Test
    void whenTheStoreIsDownTheExcerptStaysUnchangedAndNothingIsLost() {
        failuresLeft.set(Integer.MAX_VALUE);
        ObjectNode doc = document();
        ObjectNode before = doc.deepCopy();
        LogExcerptOffloader offloader = offloader(3);
        offloader.offload(doc);
        assertThat(doc).isEqualTo(before);
        int attempts = auth.size();
        assertThat(attempts).as("bounded retries").isEqualTo(3);

        // Cooling down: the next documents do not wait for a store that is down.
        ObjectNode next = document();
        offloader.offload(next);
        assertThat(next).isEqualTo(before);
        assertThat(auth).hasSize(attempts);
    }

    @Test
    void aStoreThatDoesNotAnswerAtAllKeepsTheExcerpt() {
        server.stop(0);
        ObjectNode doc = document();
        ObjectNode before = doc.deepCopy();
        offloader(2).offload(doc);
        assertThat(doc).isEqualTo(before);
    }

    @Test
    void offIsTheDefault() {
        assertThat(LogExcerptOffloader.of(null, "t", Clock.systemUTC()).enabled()).isFalse();
        assertThat(LogExcerptOffloader.of(base, "", Clock.systemUTC()).enabled()).isFalse();
        assertThat(LogExcerptOffloader.of(base, "t", Clock.systemUTC()).enabled()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LogExcerptOffloader.of("ftp://store", "t",
                Clock.systemUTC())).isInstanceOf(org.kernelci.kcidb.contracts.cli.ConfigException.class)
                .hasMessageContaining("http or https");
    }

    private LogExcerptOffloader offloader(int attempts) {
        return new LogExcerptOffloader(base, "secret-token", HttpClient.newHttpClient(), attempts,
                new Backoff(Duration.ofMillis(5), Duration.ofMillis(20), 2.0), Duration.ofSeconds(5), Clock.systemUTC());
    }

    private static ObjectNode document() {
        ObjectNode doc = Documents.parse("{\"version\": {\"major\": 5, \"minor\": 3}}");
        doc.putArray("builds").addObject().put("id", "o:b").put("origin", "o").put("checkout_id", "o:c")
                .put("log_excerpt", LONG).putArray("output_files").addObject().put("name", "kernel")
                .put("url", "https://example.org/bzImage");
        var tests = doc.putArray("tests");
        tests.addObject().put("id", "o:t").put("origin", "o").put("build_id", "o:b").put("log_excerpt", LONG);
        tests.addObject().put("id", "o:t2").put("origin", "o").put("build_id", "o:b").put("log_excerpt", "short");
        return doc;
    }
}
