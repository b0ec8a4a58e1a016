package org.kernelci.kcidb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.webserver.WebServer;
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
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelci.kcidb.contracts.cli.ConfigException;

/**
 * certbot's files as it writes them, read by Helidon's PEM support and served: an EC key in PKCS#8 (certbot's default
 * since 2.0), an RSA key in PKCS#8 (earlier certbot), and an RSA key in PKCS#1 ({@code BEGIN RSA PRIVATE KEY}).
 */
class CertbotTlsTest {
    @TempDir
    Path dir;

    @Test
    void servesWithAnEcKeyInPkcs8() throws Exception {
        KeyAndCert k = generate("EC");
        assertServes(files(k.cert(), pem("PRIVATE KEY", k.key().getEncoded())), k.cert());
    }

    @Test
    void servesWithAnRsaKeyInPkcs8() throws Exception {
        KeyAndCert k = generate("RSA");
        assertServes(files(k.cert(), pem("PRIVATE KEY", k.key().getEncoded())), k.cert());
    }

    @Test
    void servesWithAnRsaKeyInPkcs1() throws Exception {
        KeyAndCert k = generate("RSA");
        String pkcs1 = pem("RSA PRIVATE KEY", pkcs1(k.key().getEncoded()));
        assertThat(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertServes(files(k.cert(), pkcs1), k.cert());
    }

    @Test
    void unusableFilesAreAConfigurationError() throws Exception {
        KeyAndCert k = generate("EC");
        GatewayConfig.TlsFiles noKey = files(k.cert(), "no key here\n");
        assertThatThrownBy(() -> CertbotTls.load(noKey)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot load TLS certificate").hasMessageContaining("privkey.pem");
    }

    private record KeyAndCert(PrivateKey key, Certificate cert) {
    }

    private KeyAndCert generate(String algorithm) throws Exception {
        Path p12 = dir.resolve(algorithm + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "s", "-keyalg", algorithm, "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", p12.toString(), "-storepass", "changeit").redirectErrorStream(true).start();
        keytool.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(p12)) {
            ks.load(in, "changeit".toCharArray());
        }
        return new KeyAndCert((PrivateKey) ks.getKey("s", "changeit".toCharArray()), ks.getCertificate("s"));
    }

    private GatewayConfig.TlsFiles files(Certificate cert, String privkey) throws Exception {
        Path live = Files.createDirectories(dir.resolve("live/kcidb.example.org"));
        Files.writeString(live.resolve("fullchain.pem"), pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(live.resolve("privkey.pem"), privkey);
        return new GatewayConfig.TlsFiles(live.resolve("fullchain.pem"), live.resolve("privkey.pem"));
    }

    private static void assertServes(GatewayConfig.TlsFiles files, Certificate cert) throws Exception {
        WebServer server = WebServer.builder().host("127.0.0.1").port(0).tls(CertbotTls.load(files))
                .routing(r -> r.get("/", (req, res) -> res.send("tls"))).build().start();
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("s", cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            HttpResponse<String> r = HttpClient.newBuilder().sslContext(ctx).build().send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + server.port() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).isEqualTo("tls");
        } finally {
            server.stop();
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** The RSAPrivateKey (PKCS#1) inside a PKCS#8 PrivateKeyInfo: version, algorithm, then the key as an OCTET STRING. */
    private static byte[] pkcs1(byte[] pkcs8) {
        int[] at = {0};
        length(pkcs8, at, 0x30);
        int version = length(pkcs8, at, 0x02);
        at[0] += version;
        int algorithm = length(pkcs8, at, 0x30);
        at[0] += algorithm;
        int n = length(pkcs8, at, 0x04);
        return Arrays.copyOfRange(pkcs8, at[0], at[0] + n);
    }

    /** Reads a DER tag and length at {@code at}, leaving it at the content. */
    private static int length(byte[] der, int[] at, int tag) {
        assertThat(der[at[0]++] & 0xff).isEqualTo(tag);
        int len = der[at[0]++] & 0xff;
        if (len >= 0x80) {
            int bytes = len & 0x7f;
            len = 0;
            for (int i = 0; i < bytes; i++) {
                len = (len << 8) | (der[at[0]++] & 0xff);
            }
        }
        return len;
    }
}
