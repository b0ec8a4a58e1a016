package org.kernelci.kcidb.logspec.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelci.kcidb.logspec.consumer.LogFetcher.FetchException;
import org.kernelci.kcidb.service.Backoff;

/** The fetcher against a real local HTTP server: cache, retries, permanent failures, size cap, file URLs. */
class LogFetcherTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private String base;
    /** Path -> statuses to answer in turn (the last one repeats); 200 answers the body. */
    private final Map<String, Deque<Integer>> script = new ConcurrentHashMap<>();
    private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private LogspecMetrics metrics;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            Deque<Integer> statuses = script.getOrDefault(path, new ArrayDeque<>(List.of(404)));
            int status = statuses.size() > 1 ? statuses.poll() : statuses.peek();
            byte[] body = status == 200 ? bodies.get(path) : new byte[0];
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        metrics = new LogspecMetrics(new PrometheusRegistry());
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    /** The local server's address allowed, as an operator's lab would; file: URLs read below {@code dir}. */
    private LogFetcher fetcher(long cacheBytes, int attempts, long maxBytes) throws IOException {
        return new LogFetcher(new LogFetcher.Settings(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(30),
                attempts, new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), 2), maxBytes,
                AddressPolicy.allowing(List.of("127.0.0.1/32")), LogFileRoot.of(dir)),
                new LogCache(dir.resolve("cache"), cacheBytes, Clock.systemUTC()), metrics, d -> { });
    }

    private void serve(String path, byte[] body, Integer... statuses) {
        bodies.put(path, body);
        script.put(path, new ArrayDeque<>(List.of(statuses)));
    }

    @Test
    void fetchesOnceThenServesFromTheCache() throws Exception {
        serve("/a.log", "hello".getBytes(), 200);
        LogFetcher f = fetcher(1 << 20, 3, 1 << 20);
        LogFetcher.Fetched first = f.fetch(base + "/a.log");
        assertThat(first.cacheHit()).isFalse();
        assertThat(Files.readString(first.file())).isEqualTo("hello");
        LogFetcher.Fetched second = f.fetch(base + "/a.log");
        assertThat(second.cacheHit()).isTrue();
        assertThat(requests).hasValue(1);
        assertThat(metrics.cacheHits.get()).isEqualTo(1);
        assertThat(metrics.bytesFetched.get()).isEqualTo(5);
        // A new fetcher on the same folder still has it.
        assertThat(fetcher(1 << 20, 3, 1 << 20).fetch(base + "/a.log").cacheHit()).isTrue();
    }

    @Test
    void transientErrorsAreRetriedAndPermanentOnesAreNot() throws Exception {
        serve("/flaky.log", "ok".getBytes(), 503, 429, 200);
        assertThat(Files.readString(fetcher(0, 3, 100).fetch(base + "/flaky.log").file())).isEqualTo("ok");
        assertThat(requests).hasValue(3);

        requests.set(0);
        serve("/down.log", new byte[0], 502);
        assertThatThrownBy(() -> fetcher(0, 3, 100).fetch(base + "/down.log")).isInstanceOfSatisfying(FetchException.class,
                e -> {
                    assertThat(e.reason()).isEqualTo("http_502");
                    assertThat(e.attempts()).isEqualTo(3);
                });
        assertThat(requests).hasValue(3);

        requests.set(0);
        assertThatThrownBy(() -> fetcher(0, 3, 100).fetch(base + "/missing.log"))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.reason()).isEqualTo("not_found"));
        assertThat(requests).hasValue(1);

        serve("/big.log", new byte[200], 200);
        assertThatThrownBy(() -> fetcher(0, 3, 100).fetch(base + "/big.log"))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.reason()).isEqualTo("too_large"));

        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertThatThrownBy(() -> fetcher(0, 2, 100).fetch("http://127.0.0.1:" + closed + "/x"))
                .isInstanceOfSatisfying(FetchException.class, e -> {
                    assertThat(e.reason()).isEqualTo("unreachable");
                    assertThat(e.attempts()).isEqualTo(2);
                });
        assertThatThrownBy(() -> fetcher(0, 2, 100).fetch("ftp://example.org/x"))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.reason()).isEqualTo("unsupported_scheme"));
        assertThatThrownBy(() -> fetcher(0, 2, 100).fetch("http://[bad"))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.reason()).isEqualTo("bad_url"));
    }

    @Test
    void fileUrlsAreReadInPlace() throws Exception {
        Path log = Files.writeString(dir.resolve("local.log"), "local");
        LogFetcher.Fetched f = fetcher(1 << 20, 1, 100).fetch(log.toUri().toString());
        assertThat(f.file()).isEqualTo(log.toRealPath());
        assertThat(f.temporary()).isFalse();
        assertThatThrownBy(() -> fetcher(0, 1, 100).fetch(dir.resolve("nope.log").toUri().toString()))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.reason()).isEqualTo("not_found"));
    }

    @Test
    void withoutCacheDownloadsAreTemporary() throws Exception {
        serve("/t.log", "t".getBytes(), 200);
        LogFetcher f = fetcher(0, 1, 100);
        LogFetcher.Fetched got = f.fetch(base + "/t.log");
        assertThat(got.temporary()).isTrue();
        f.release(got);
        assertThat(got.file()).doesNotExist();
    }

    @Test
    void theCacheEvictsTheLeastRecentlyUsedLogs() throws Exception {
        Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                now[0] = now[0].plusSeconds(1);
                return now[0];
            }
        };
        LogCache cache = new LogCache(dir.resolve("lru"), 1000, clock);
        put(cache, "u1", 400);
        put(cache, "u2", 400);
        assertThat(cache.get("u1")).isPresent(); // u1 is now more recent than u2
        put(cache, "u3", 400);
        assertThat(cache.get("u2")).isEmpty();
        assertThat(cache.get("u1")).isPresent();
        assertThat(cache.get("u3")).isPresent();
        assertThat(cache.totalBytes()).isEqualTo(800);
        // The order survives a restart (modification times).
        LogCache again = new LogCache(dir.resolve("lru"), 1000, clock);
        put(again, "u4", 400);
        assertThat(again.get("u1")).isEmpty();
        assertThat(again.get("u3")).isPresent();
        assertThat(again.get("u4")).isPresent();
    }

    private static void put(LogCache cache, String url, int size) throws IOException {
        Path part = cache.newPartFile();
        Files.write(part, new byte[size]);
        cache.put(url, part);
    }
}
