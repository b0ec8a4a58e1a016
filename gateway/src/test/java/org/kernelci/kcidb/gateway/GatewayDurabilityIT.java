package org.kernelci.kcidb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.kernelci.kcidb.gateway.GatewayFixture.token;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelci.kcidb.service.KafkaSettings;

/**
 * What the gateway promises when things go wrong: Kafka unreachable (it keeps accepting, and what it owes is published
 * by the next gateway over the same spool), a full or read-only spool (a clear 5xx and no half file), ready files from
 * before the outbox (adopted and published), and HTTPS from certbot's PEM files.
 */
class GatewayDurabilityIT {
    @TempDir
    Path dir;

    @Test
    void withKafkaUnreachableItKeepsAcceptingAndTheNextGatewayPublishesWhatItOwed() throws Exception {
        Path spool = Files.createDirectories(dir.resolve("spool"));
        List<String> ids = new ArrayList<>();
        try (GatewayFixture down = new GatewayFixture(spool)) {
            KafkaSettings nowhere = KafkaSettings.of("127.0.0.1:" + closedPort(), down.topics)
                    .withExtra(Map.of("reconnect.backoff.max.ms", "1000"));
            down.start(GatewayConfig.of("127.0.0.1", 0, spool, List.of(GatewayFixture.SECRET), nowhere));
            for (int i = 0; i < 20; i++) {
                ids.add(down.submitOk("maestro", GatewayIT.doc("maestro", "down-" + i)));
            }
            assertThat(down.status(ids.get(0)).body()).contains("\"ready\"");
            assertThat(new Spool(spool, java.time.Clock.systemUTC()).outbox().owed()).containsExactlyInAnyOrderElementsOf(ids);
            down.stopGateway(); // as a crash would, before any acknowledgement

            // A new gateway over the same spool, with the broker back.
            down.start(down.config());
            down.awaitPublished(ids, Duration.ofSeconds(90));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> new Spool(spool, java.time.Clock.systemUTC()).outbox().owed().isEmpty());
            assertThat(down.get("/metrics").body()).contains("kcidb_gateway_relayed_total 20.0");
        }
    }

    @Test
    void uploadsAKilledGatewayLeftUnfinishedAreRemovedAtStartUp() throws Exception {
        Path spool = Files.createDirectories(dir.resolve("orphans"));
        Path temp = spool.resolve("submission-killedmidupload.json.temp");
        Path marker = Files.createDirectories(spool.resolve("outbox")).resolve("submission-killedmidupload");
        Files.writeString(temp, "{\"checkouts\":[");
        Files.writeString(marker, "");
        Files.setLastModifiedTime(temp, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(SpoolUpload.ORPHAN_GRACE).minusSeconds(60)));
        try (GatewayFixture gw = new GatewayFixture(spool)) {
            gw.start(gw.config());
            assertThat(gw.status("killedmidupload").body()).as("not inprogress forever").contains("\"notfound\"");
            assertThat(temp).doesNotExist();
            assertThat(marker).doesNotExist();
        }
    }

    @Test
    void gatewaysWithSeparateSpoolsEachApplyTheirOwnResults() throws Exception {
        Path spoolA = Files.createDirectories(dir.resolve("a"));
        Path spoolB = Files.createDirectories(dir.resolve("b"));
        try (GatewayFixture a = new GatewayFixture(spoolA); GatewayFixture b = new GatewayFixture(spoolB)) {
            // The same topics for both, as two gateways of one deployment with their own volumes.
            GatewayConfig shared = a.config();
            a.start(shared);
            b.start(new GatewayConfig(shared.host(), 0, spoolB, shared.secrets(), shared.maxBodySize(), shared.inlineLimit(),
                    shared.kafka(), Optional.empty(), shared.validation(), shared.relayInterval(), Optional.empty(),
                    Optional.empty(), shared.backoff()));
            assertThat(a.gateway.statusGroup()).isNotEqualTo(b.gateway.statusGroup()).startsWith("kcidb-gateway-");
            List<String> inA = new ArrayList<>();
            List<String> inB = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                inA.add(a.submitOk("maestro", GatewayIT.doc("maestro", "a" + i)));
                inB.add(b.submitOk("maestro", GatewayIT.doc("maestro", "b" + i)));
            }
            for (String id : inA) {
                a.sendResult(org.kernelci.kcidb.contracts.events.SubmissionResult.processed(id,
                        org.kernelci.kcidb.contracts.kcidb.ObjectCounts.NONE, java.time.Instant.now()));
            }
            for (String id : inB) {
                a.sendResult(org.kernelci.kcidb.contracts.events.SubmissionResult.processed(id,
                        org.kernelci.kcidb.contracts.kcidb.ObjectCounts.NONE, java.time.Instant.now()));
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (String id : inA) {
                    assertThat(spoolA.resolve("archive/submission-" + id + ".json")).exists();
                }
                for (String id : inB) {
                    assertThat(spoolB.resolve("archive/submission-" + id + ".json")).exists();
                }
            });
        }
    }

    @Test
    void readyFilesFromBeforeTheOutboxAreAdoptedAndPublishedOnce() throws Exception {
        Path spool = Files.createDirectories(dir.resolve("legacy"));
        Files.write(spool.resolve("submission-LegacyRust1.json"), GatewayIT.doc("maestro", "legacy"));
        try (GatewayFixture gw = new GatewayFixture(spool)) {
            gw.start(gw.config());
            gw.awaitPublished(List.of("LegacyRust1"), Duration.ofSeconds(60));
            assertThat(gw.published.get("LegacyRust1").value()).isEqualTo(GatewayIT.doc("maestro", "legacy"));
            assertThat(gw.status("LegacyRust1").body()).contains("\"ready\"");
        }
    }

    @Test
    void aFullSpoolAnswers507AndAReadOnlyOne500AndNeitherLeavesAFile() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("tmpfs"));
        assumeThat(run("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", mount.toString()))
                .as("mounting a small tmpfs needs root (CI and the dev machines run as root)").isZero();
        try (GatewayFixture gw = new GatewayFixture(mount)) {
            gw.start(gw.config());
            String small = gw.submitOk("maestro", GatewayIT.doc("maestro", "fits"));
            byte[] big = ("{\"pad\":\"" + "x".repeat(900 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> full = gw.submit(token("maestro"), big);
            assertThat(full.statusCode()).as(full.body()).isEqualTo(507);
            assertThat(full.body()).startsWith("{\"id\":\"0\",\"status\":\"error\",\"message\":\"The spool is full; nothing was kept");
            assertOnly(mount, small);

            assertThat(run("mount", "-o", "remount,ro", mount.toString())).isZero();
            HttpResponse<String> ro = gw.submit(token("maestro"), GatewayIT.doc("maestro", "ro"));
            assertThat(ro.statusCode()).as(ro.body()).isEqualTo(500);
            assertThat(ro.body()).contains("The spool cannot store submissions");
            assertOnly(mount, small);
            assertThat(gw.get("/health").statusCode()).isIn(200, 503);
            assertThat(gw.get("/metrics").body()).contains("kcidb_system_errors_total 2\n");
        } finally {
            run("umount", "-l", mount.toString());
        }
    }

    @Test
    void servesHttpsFromCertbotPemFiles() throws Exception {
        Path live = Files.createDirectories(dir.resolve("live/kcidb.example.org"));
        char[] pass = "changeit".toCharArray();
        Path p12 = dir.resolve("ks.p12");
        assertThat(run(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "s",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", p12.toString(), "-storepass", "changeit")).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(p12)) {
            ks.load(in, pass);
        }
        Certificate cert = ks.getCertificate("s");
        PrivateKey key = (PrivateKey) ks.getKey("s", pass);
        Files.writeString(live.resolve("fullchain.pem"), pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(live.resolve("privkey.pem"), pem("PRIVATE KEY", key.getEncoded()));

        // The command line finds them from CERTBOT_DOMAIN's name, and listens on 443 when -p is 0.
        GatewayMain main = new GatewayMain();
        org.kernelci.kcidb.contracts.cli.ServiceLauncher.commandLine(main).parseArgs("--certbot-domain", "kcidb.example.org",
                "--certificates-dir", dir.resolve("live").toString(), "-d", dir.toString(), "-p", "0");
        GatewayConfig parsed = main.config();
        assertThat(parsed.tls()).contains(new GatewayConfig.TlsFiles(live.resolve("fullchain.pem"), live.resolve("privkey.pem")));
        assertThat(parsed.port()).isEqualTo(GatewayMain.effectivePort(0, true));

        Path spool = Files.createDirectories(dir.resolve("tls-spool"));
        try (GatewayFixture gw = new GatewayFixture(spool)) {
            gw.start(gw.config().withTls(parsed.tls(), Optional.empty()));
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("s", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            HttpClient https = HttpClient.newBuilder().sslContext(ctx).build();
            HttpResponse<String> health = https.send(HttpRequest.newBuilder(URI.create(gw.url + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).isEqualTo("OK");
            HttpResponse<String> submit = https.send(HttpRequest.newBuilder(URI.create(gw.url + "/submit"))
                    .header("Authorization", "Bearer " + token("maestro"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(GatewayIT.doc("maestro", "tls"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(submit.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aMissingCertificateIsAOneLineConfigurationError() {
        var out = new java.io.StringWriter();
        var cl = org.kernelci.kcidb.contracts.cli.ServiceLauncher.commandLine(new GatewayMain());
        cl.setErr(new java.io.PrintWriter(out));
        int code = cl.execute("--certbot-domain", "nowhere.example.org", "--certificates-dir", dir.toString(),
                "--certificate-wait", "0", "-d", dir.toString());
        assertThat(code).isEqualTo(org.kernelci.kcidb.contracts.cli.ServiceLauncher.EXIT_CONFIG);
        assertThat(out.toString().strip()).isEqualTo("gateway: configuration error: TLS key file "
                + dir.resolve("nowhere.example.org/privkey.pem") + " does not exist (CERTBOT_DOMAIN=nowhere.example.org)");
    }

    private static void assertOnly(Path spool, String id) throws IOException {
        try (var files = Files.list(spool)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("submission-")))
                    .containsExactly("submission-" + id + ".json");
        }
        try (var files = Files.list(spool.resolve("outbox"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")))
                    .isSubsetOf("submission-" + id);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
