package org.kernelci.kcidb.service;

import org.kernelci.kcidb.contracts.cli.CommonOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one skeleton of a service's {@code main} and start-up: a {@link Lifecycle} that owns what the start-up
 * registers, stops it all when start-up fails, and stops it in reverse order on SIGTERM. The shutdown hook is in
 * place before the start-up begins, so a stop during a start-up retry (PostgreSQL still starting, say) ends it; the
 * hook waits for the stop to finish.
 */
public final class ServiceMain {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceMain.class);

    /** Builds and starts a service's parts, registering each with the lifecycle. */
    @FunctionalInterface
    public interface Starter {
        /** @return the port of the service's HTTP endpoints */
        int start(Lifecycle lifecycle) throws Exception;
    }

    private ServiceMain() {
    }

    /** Starts a service in this JVM (tests, embedding); {@link RunningService#close()} stops it. */
    public static RunningService start(String name, Starter starter) throws Exception {
        Lifecycle lifecycle = new Lifecycle(name);
        try {
            return new RunningService(lifecycle, starter.start(lifecycle));
        } catch (Exception | Error e) {
            lifecycle.stop();
            throw e;
        }
    }

    /** A service's {@code call()}: logging, the shutdown hook, the start-up, then waiting for the stop. */
    public static int run(CommonOptions common, String name, Starter starter) throws Exception {
        common.applyLogging();
        Lifecycle lifecycle = new Lifecycle(name);
        lifecycle.stopOnShutdownSignal();
        try {
            starter.start(lifecycle);
        } catch (StoppingException e) {
            LOG.info("{} stopped during its start-up", name);
            return 0;
        } catch (Exception | Error e) {
            lifecycle.stop();
            throw e;
        }
        lifecycle.awaitStop();
        return 0;
    }

    /**
     * A service started by {@link #start}.
     *
     * @param httpPort the port of its HTTP endpoints ({@code /health}, {@code /metrics}, and the gateway's API)
     */
    public record RunningService(Lifecycle lifecycle, int httpPort) implements AutoCloseable {
        @Override
        public void close() {
            lifecycle.stop();
        }
    }
}
