package org.kernelci.kcidb.service;

import java.util.concurrent.Callable;
import org.kernelci.kcidb.contracts.cli.CommonOptions;
import picocli.CommandLine.Mixin;

/**
 * The command of a long-running service, the one {@code main} skeleton: the options every service has, and a
 * {@link #call()} that runs the service through {@link ServiceMain#run} (logging, the shutdown hook first, the
 * start-up, then waiting for the stop). A service's command declares its own options and says how it starts.
 */
public abstract class ServiceCommand implements Callable<Integer> {
    @Mixin
    protected CommonOptions common;

    private final String name;

    protected ServiceCommand(String name) {
        this.name = name;
    }

    /**
     * Validates the options, then builds and starts the service's parts, registering each with {@code lifecycle}.
     *
     * @return the port of the service's HTTP endpoints
     */
    protected abstract int start(Lifecycle lifecycle) throws Exception;

    @Override
    public final Integer call() throws Exception {
        return ServiceMain.run(common, name, this::start);
    }
}
