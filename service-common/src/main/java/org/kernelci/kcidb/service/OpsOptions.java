package org.kernelci.kcidb.service;

import org.kernelci.kcidb.contracts.cli.ConfigException;
import picocli.CommandLine.Option;

/** Where a background service serves {@code /health} and {@code /metrics}. */
public final class OpsOptions {
    @Option(names = "--http-host", defaultValue = "${env:KCIDB_HTTP_HOST:-0.0.0.0}",
            description = "Address of the /health and /metrics endpoints (env KCIDB_HTTP_HOST; default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--http-port", defaultValue = "${env:KCIDB_HTTP_PORT}",
            description = "Port of the /health and /metrics endpoints; 0 picks a free one "
                    + "(env KCIDB_HTTP_PORT; default: the service's own).")
    Integer port;

    /** The port to use, {@code defaultPort} when none was given. */
    public int port(int defaultPort) {
        int p = port == null ? defaultPort : port;
        if (p < 0 || p > 65535) {
            throw new ConfigException("--http-port / KCIDB_HTTP_PORT must be between 0 and 65535, not " + p);
        }
        return p;
    }

    public String host() {
        return host;
    }
}
