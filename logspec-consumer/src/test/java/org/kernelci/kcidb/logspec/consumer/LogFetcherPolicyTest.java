package org.kernelci.kcidb.logspec.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelci.kcidb.logspec.consumer.LogFetcher.FetchException;
import org.kernelci.kcidb.service.Backoff;

/**
 * What a submitter may make the fetcher read. Names resolve through a fake resolver, so public-looking names can
 * lead to refused addresses, and no traffic leaves this machine's loopback interface; refused addresses are never
 * connected to (the local server counts its requests).
 */
class LogFetcherPolicyTest {
    /** Names of the fake DNS, and what they resolve to. */
    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("logs.kernelci.example", "127.0.0.1"),
            Map.entry("loopback.example.org", "127.0.0.2"),
            Map.entry("metadata.example.org", "169.254.169.254"),
            Map.entry("private.example.org", "10.1.2.3"),
            Map.entry("cgnat.example.org", "100.64.0.1"),
            Map.entry("zero.example.org", "0.0.0.0"),
            Map.entry("multicast.example.org", "224.0.0.251"),
            Map.entry("broadcast.example.org", "255.255.255.255"),
            Map.entry("ula.example.org", "fd00::1"),
            Map.entry("linklocal6.example.org", "fe80::1"),
            Map.entry("compatible.example.org", "::127.0.0.1"),
            Map.entry("internal.example.org", "10.0.0.7"),
            Map.entry("lab.example.org", "127.0.0.1"),
            Map.entry("tls.example.test", "127.0.0.1"),
            Map.entry("other.example.test", "127.0.0.1"));

    @TempDir
    Path dir;

    private HttpServer server;
    private String base;
    private int port;
    private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
    private final Map<String, String> redirects = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
    private LogspecMetrics metrics;

    private static InetAddress[] lookup(String host) throws UnknownHostException {
        String address = NAMES.get(host);
        if (address == null && (host.matches("[0-9.]+") || host.contains(":"))) {
            address = host; // a literal: parsed, not looked up
        }
        if (address == null) {
            throw new UnknownHostException(host + " (not in the test's names)");
        }
        return new InetAddress[] {InetAddress.getByAddress(host, InetAddress.getByName(address).getAddress())};
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            if (redirects.containsKey(path)) {
                exchange.getResponseHeaders().add("Location", redirects.get(path));
                exchange.sendResponseHeaders(302, -1);
            } else if (bodies.containsKey(path)) {
                byte[] body = bodies.get(path);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
            exchange.close();
        });
        server.start();
        port = server.getAddress().getPort();
        base = "http://127.0.0.1:" + port;
        metrics = new LogspecMetrics(new PrometheusRegistry());
        bodies.put("/a.log", "hello".getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(0);
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private LogFetcher fetcher(AddressPolicy addresses, LogFileRoot files) throws IOException {
        return fetcher(addresses, files, 1 << 20, Duration.ofSeconds(30), Duration.ofSeconds(10), null);
    }

    private LogFetcher fetcher(AddressPolicy addresses, LogFileRoot files, long maxBytes, Duration deadline,
                               Duration readTimeout, SSLContext tls) throws IOException {
        return new LogFetcher(new LogFetcher.Settings(Duration.ofSeconds(5), readTimeout, deadline, 3,
                new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), 2), maxBytes, addresses, files),
                new LogCache(dir.resolve("cache"), 0, Clock.systemUTC()), metrics, d -> { },
                LogFetcherPolicyTest::lookup, tls == null ? org.apache.hc.core5.ssl.SSLContexts.createDefault() : tls);
    }

    private FetchException refusal(LogFetcher f, String url, String rule) {
        FetchException[] caught = new FetchException[1];
        assertThatThrownBy(() -> f.fetch(url)).as(url).isInstanceOfSatisfying(FetchException.class, e -> {
            assertThat(e.reason()).isEqualTo("url_refused");
            assertThat(e.refused()).isTrue();
            assertThat(e.getMessage()).contains("(rule " + rule + ")");
            caught[0] = e;
        });
        return caught[0];
    }

    private double refusedCount(String rule) {
        return metrics.urlsRefused.labelValues(rule).get();
    }

    @Test
    void byDefaultLoopbackIsRefusedBeforeAnyConnection() throws Exception {
        LogFetcher f = fetcher(AddressPolicy.publicOnly(), LogFileRoot.none());
        refusal(f, base + "/a.log", "loopback");
        refusal(f, "http://[::1]:" + port + "/a.log", "loopback");
        // A public-looking name that resolves to loopback: refused too, and the message names no address.
        FetchException e = refusal(f, "https://logs.kernelci.example:" + port + "/a.log", "loopback");
        assertThat(e.getMessage()).startsWith("logs.kernelci.example resolves to a loopback address")
                .doesNotContain("127.0.0.1");
        assertThat(e.attempts()).as("never retried").isEqualTo(1);
        assertThat(requests).as("nothing reached the server").hasValue(0);
        assertThat(refusedCount("loopback")).isEqualTo(3);
    }

    @Test
    void everyNonPublicClassIsRefusedByItsRule() throws Exception {
        LogFetcher f = fetcher(AddressPolicy.publicOnly(), LogFileRoot.none());
        Map<String, String> cases = Map.ofEntries(
                Map.entry("loopback.example.org", "loopback"),
                Map.entry("metadata.example.org", "link_local"),
                Map.entry("private.example.org", "private"),
                Map.entry("cgnat.example.org", "carrier_grade_nat"),
                Map.entry("zero.example.org", "unspecified"),
                Map.entry("multicast.example.org", "multicast"),
                Map.entry("broadcast.example.org", "broadcast"),
                Map.entry("ula.example.org", "private"),
                Map.entry("linklocal6.example.org", "link_local"),
                Map.entry("compatible.example.org", "loopback"));
        for (var c : cases.entrySet()) {
            FetchException e = refusal(f, "http://" + c.getKey() + "/latest/meta-data/", c.getValue());
            assertThat(e.getMessage()).doesNotContain(NAMES.get(c.getKey()));
        }
        // Address literals, including the cloud metadata service and an IPv4-mapped IPv6 form.
        refusal(f, "http://169.254.169.254/latest/meta-data/", "link_local");
        refusal(f, "http://[::ffff:127.0.0.1]:" + port + "/a.log", "loopback");
        refusal(f, "http://[::ffff:10.0.0.1]/", "private");
        refusal(f, "http://2130706433:" + port + "/a.log", "loopback");
        assertThat(requests).hasValue(0);
    }

    @Test
    void aRedirectIsCheckedAgainWhereItLeads() throws Exception {
        LogFetcher f = fetcher(AddressPolicy.allowing(List.of("127.0.0.1/32")), LogFileRoot.none());
        redirects.put("/ok", base + "/a.log");
        assertThat(Files.readString(f.fetch(base + "/ok").file())).isEqualTo("hello");

        redirects.put("/inside", "http://internal.example.org/secret");
        FetchException e = refusal(f, base + "/inside", "private");
        assertThat(e.getMessage()).contains("redirected to http://internal.example.org/secret")
                .doesNotContain("10.0.0.7");
        redirects.put("/meta", "http://169.254.169.254/latest/meta-data/");
        refusal(f, base + "/meta", "link_local");
        redirects.put("/file", "file:///etc/passwd");
        refusal(f, base + "/file", "redirect_scheme");
        assertThat(requests).as("one request per hop, none retried").hasValue(5);
        assertThat(refusedCount("private")).isEqualTo(1);
        assertThat(refusedCount("redirect_scheme")).isEqualTo(1);
    }

    @Test
    void theAllowListLetsAHostOrARangeThrough() throws Exception {
        LogFetcher byHost = fetcher(AddressPolicy.allowing(List.of("lab.example.org")), LogFileRoot.none());
        assertThat(Files.readString(byHost.fetch("http://lab.example.org:" + port + "/a.log").file())).isEqualTo("hello");
        refusal(byHost, "http://logs.kernelci.example:" + port + "/a.log", "loopback");
        refusal(byHost, base + "/a.log", "loopback");

        LogFetcher byRange = fetcher(AddressPolicy.allowing(List.of("127.0.0.0/8")), LogFileRoot.none());
        assertThat(Files.readString(byRange.fetch("http://logs.kernelci.example:" + port + "/a.log").file()))
                .isEqualTo("hello");
        assertThat(Files.readString(byRange.fetch(base + "/a.log").file())).isEqualTo("hello");
        refusal(byRange, "http://private.example.org/a.log", "private");
        assertThat(requests).hasValue(3);
    }

    @Test
    void fileUrlsAreReadOnlyInsideTheRoot() throws Exception {
        Path root = Files.createDirectories(dir.resolve("logs"));
        Path log = Files.writeString(root.resolve("boot.log"), "boot");
        Path secret = Files.writeString(dir.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(root.resolve("escape.log"), secret);

        refusal(fetcher(AddressPolicy.publicOnly(), LogFileRoot.none()), log.toUri().toString(), "file_urls_off");
        refusal(fetcher(AddressPolicy.publicOnly(), LogFileRoot.none()), "file:///etc/passwd", "file_urls_off");

        LogFetcher f = fetcher(AddressPolicy.publicOnly(), LogFileRoot.of(root));
        assertThat(Files.readString(f.fetch(log.toUri().toString()).file())).isEqualTo("boot");
        refusal(f, secret.toUri().toString(), "file_outside_root");
        refusal(f, root.toUri() + "../secret.txt", "file_outside_root");
        refusal(f, root.resolve("escape.log").toUri().toString(), "file_outside_root");
        refusal(f, "file:///etc/passwd", "file_outside_root");
        refusal(f, root.toUri().toString(), "file_not_regular");
        assertThatThrownBy(() -> f.fetch(root.resolve("missing.log").toUri().toString()))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.reason()).isEqualTo("not_found"));
        assertThat(refusedCount("file_outside_root")).isEqualTo(4);
    }

    @Test
    void aGzipBombStopsAtTheCap() throws Exception {
        byte[] bomb = gzipOfZeros(64 << 20);
        assertThat(bomb.length).isLessThan(1 << 20);
        bodies.put("/bomb.log.gz", bomb);
        bodies.put("/small.log.gz", gzipOfZeros(1000));
        Path root = Files.createDirectories(dir.resolve("logs"));
        Files.write(root.resolve("bomb.log.gz"), bomb);
        LogFetcher f = fetcher(AddressPolicy.allowing(List.of("127.0.0.1")), LogFileRoot.of(root), 1 << 20,
                Duration.ofSeconds(30), Duration.ofSeconds(10), null);

        long start = System.nanoTime();
        for (String url : List.of(base + "/bomb.log.gz", root.resolve("bomb.log.gz").toUri().toString())) {
            assertThatThrownBy(() -> f.fetch(url)).as(url).isInstanceOfSatisfying(FetchException.class, e -> {
                assertThat(e.reason()).isEqualTo("too_large");
                assertThat(e.getMessage()).contains("inflates to more than the limit of 1048576 bytes");
            });
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("stops at the cap, not at 64 MiB")
                .isLessThan(Duration.ofSeconds(10));
        assertThat(Files.list(dir.resolve("cache")).toList()).as("no part file left").isEmpty();
        assertThat(f.fetch(base + "/small.log.gz").bytes()).isEqualTo(bodies.get("/small.log.gz").length);
    }

    @Test
    void aServerTricklingItsBodyIsCutOffAtTheDeadline() throws Exception {
        String url = trickler("HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n") + "/slow.log";
        assertCutOffAtTheDeadline(url);
    }

    @Test
    void aServerTricklingItsHeadersIsCutOffAtTheDeadline() throws Exception {
        String url = trickler("HTTP/1.1 200 OK\r\nX-Slow: ") + "/slow.log";
        assertCutOffAtTheDeadline(url);
    }

    private void assertCutOffAtTheDeadline(String url) throws IOException {
        // Each byte comes well within the read timeout; only the deadline ends it.
        LogFetcher f = fetcher(AddressPolicy.allowing(List.of("127.0.0.1")), LogFileRoot.none(), 1 << 30,
                Duration.ofSeconds(1), Duration.ofSeconds(30), null);
        long start = System.nanoTime();
        assertThatThrownBy(() -> f.fetch(url)).isInstanceOfSatisfying(FetchException.class, e -> {
            assertThat(e.reason()).isEqualTo("too_slow");
            assertThat(e.attempts()).as("not retried").isEqualTo(1);
        });
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(900)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void tlsNamesTheUrlsHostNotTheAddressConnectedTo() throws Exception {
        char[] pass = "changeit".toCharArray();
        Path p12 = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "s", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=tls.example.test",
                "-ext", "SAN=dns:tls.example.test", "-validity", "2", "-storetype", "PKCS12", "-keystore", p12.toString(),
                "-storepass", "changeit").redirectErrorStream(true).start();
        keytool.getInputStream().transferTo(OutputStream.nullOutputStream());
        assertThat(keytool.waitFor()).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, pass);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pass);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("s", ks.getCertificate("s"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);

        List<String> serverNames = new CopyOnWriteArrayList<>();
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverTls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = getSSLContext().getDefaultSSLParameters();
                p.setSNIMatchers(List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
                    @Override
                    public boolean matches(SNIServerName name) {
                        serverNames.add(new SNIHostName(name.getEncoded()).getAsciiName());
                        return true;
                    }
                }));
                params.setSSLParameters(p);
            }
        });
        https.createContext("/", exchange -> {
            byte[] body = "secure".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        https.start();
        closeables.add(() -> https.stop(0));
        int tlsPort = https.getAddress().getPort();

        LogFetcher f = fetcher(AddressPolicy.allowing(List.of("127.0.0.1")), LogFileRoot.none(), 1 << 20,
                Duration.ofSeconds(30), Duration.ofSeconds(10), clientTls);
        assertThat(Files.readString(f.fetch("https://tls.example.test:" + tlsPort + "/a.log").file()))
                .isEqualTo("secure");
        assertThat(serverNames).containsExactly("tls.example.test");
        // The same server under a name its certificate does not hold: the certificate is checked against the name.
        assertThatThrownBy(() -> f.fetch("https://other.example.test:" + tlsPort + "/a.log"))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.getMessage())
                        .containsIgnoringCase("certificate"));
        // And by address: no SNI, and no certificate for 127.0.0.1.
        assertThatThrownBy(() -> f.fetch("https://127.0.0.1:" + tlsPort + "/a.log"))
                .isInstanceOf(FetchException.class);
    }

    /**
     * A server that sends {@code head} at once, then one more byte every 20 ms for as long as the client listens: each
     * byte comes well within any read timeout.
     */
    private String trickler(String head) throws IOException {
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
        closeables.add(listener);
        closeables.add(ticks::shutdownNow);
        Thread.ofVirtual().start(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    closeables.add(s);
                    OutputStream out = s.getOutputStream();
                    out.write(head.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    ticks.scheduleAtFixedRate(() -> {
                        try {
                            out.write('x');
                            out.flush();
                        } catch (IOException e) {
                            throw new IllegalStateException("client gone", e); // ends this schedule
                        }
                    }, 20, 20, TimeUnit.MILLISECONDS);
                } catch (IOException e) {
                    return;
                }
            }
        });
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    private static byte[] gzipOfZeros(int size) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            byte[] zeros = new byte[1 << 16];
            for (int left = size; left > 0; left -= zeros.length) {
                gz.write(zeros, 0, Math.min(left, zeros.length));
            }
        }
        return bytes.toByteArray();
    }
}
