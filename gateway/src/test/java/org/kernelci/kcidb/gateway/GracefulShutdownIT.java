package org.kernelci.kcidb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM's path: new connections are refused, a submission in flight is finished and answered 200, and kept. */
class GracefulShutdownIT {
    @TempDir
    Path spool;

    @Test
    void aSubmissionInFlightWhenTheGatewayStopsIsFinishedAndKept() throws Exception {
        try (GatewayFixture gw = new GatewayFixture(spool)) {
            gw.start(gw.config());
            int port = gw.gateway.port();
            byte[] body = GatewayIT.doc("maestro", "in-flight");
            int half = body.length / 2;
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                s.setSoTimeout(30_000);
                OutputStream out = s.getOutputStream();
                out.write(("POST /submit HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                        + GatewayFixture.token("maestro") + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body, 0, half);
                out.flush();
                await().atMost(Duration.ofSeconds(10)).until(() -> hasTemp(spool));

                Thread stopper = Thread.ofPlatform().start(gw.gateway::close);
                await().atMost(Duration.ofSeconds(10)).until(() -> refusesConnections(port));
                out.write(body, half, body.length - half);
                out.flush();
                String response = readResponse(s.getInputStream());
                assertThat(response).startsWith("HTTP/1.1 200");
                assertThat(response).contains("\"status\":\"ok\"");
                stopper.join(Duration.ofSeconds(60));
                assertThat(stopper.isAlive()).isFalse();
            }
            try (var files = Files.list(spool)) {
                assertThat(files.filter(p -> p.getFileName().toString().matches("submission-\\w+\\.json"))).hasSize(1);
            }
            gw.gateway = null; // already stopped
        }
    }

    private static boolean hasTemp(Path spool) throws Exception {
        try (var files = Files.list(spool)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".json.temp"));
        }
    }

    private static boolean refusesConnections(int port) {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return false;
        } catch (Exception e) {
            return true;
        }
    }

    private static String readResponse(InputStream in) throws Exception {
        byte[] buf = new byte[4096];
        StringBuilder b = new StringBuilder();
        int n;
        while ((n = in.read(buf)) > 0) {
            b.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            if (b.indexOf("}") > 0) {
                break;
            }
        }
        return b.toString();
    }
}
