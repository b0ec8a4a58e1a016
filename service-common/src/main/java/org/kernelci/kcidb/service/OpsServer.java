package org.kernelci.kcidb.service;

import io.helidon.webserver.WebServer;
import java.time.Duration;

/** The small HTTP server of a background service: {@code /health} and {@code /metrics} only. */
public final class OpsServer implements AutoCloseable {
    private final WebServer server;

    private OpsServer(WebServer server) {
        this.server = server;
    }

    public static OpsServer start(String host, int port, Observability observability) {
        WebServer server = WebServer.builder()
                .host(host)
                .port(port)
                .shutdownGracePeriod(Duration.ofSeconds(5))
                .routing(observability::routing)
                .build()
                .start();
        return new OpsServer(server);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
