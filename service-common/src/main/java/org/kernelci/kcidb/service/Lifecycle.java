package org.kernelci.kcidb.service;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns what a service started and stops it once, in reverse order, on SIGTERM/SIGINT or when {@link #stop()} is
 * called. The shutdown hook waits for the stop to finish so that in-flight work (a batch, a publish) completes before
 * the JVM exits.
 */
public final class Lifecycle implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private final String name;
    private final Deque<Component> started = new ArrayDeque<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    private record Component(String name, AutoCloseable stop) {
    }

    public Lifecycle(String name) {
        this.name = name;
    }

    /** Registers something already started; it will be closed before everything registered earlier. */
    public synchronized <T extends AutoCloseable> T register(String component, T stop) {
        if (stopping.get()) {
            throw new IllegalStateException(name + " is stopping; cannot start " + component);
        }
        started.push(new Component(component, stop));
        return stop;
    }

    /** Stops on SIGTERM/SIGINT. */
    public void stopOnShutdownSignal() {
        Thread hook = new Thread(this::stop, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Waits, unless the service begins stopping first: the pause of start-up retries (waiting for PostgreSQL, say), so
     * that a SIGTERM during start-up ends them at once.
     *
     * @throws StoppingException when {@link #stop()} begins before the delay is over
     */
    public void pause(Duration delay) throws InterruptedException {
        if (stopRequested.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new StoppingException(name);
        }
    }

    /** Blocks until {@link #stop()} has completed. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Idempotent; the first caller stops everything, later callers wait for it. */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        stopRequested.countDown();
        LOG.info("{} stopping", name);
        try {
            while (true) {
                Component c;
                synchronized (this) {
                    c = started.poll();
                }
                if (c == null) {
                    break;
                }
                try {
                    c.stop().close();
                } catch (Exception e) {
                    LOG.warn("{}: stopping {} failed", name, c.name(), e);
                }
            }
        } finally {
            LOG.info("{} stopped", name);
            stopped.countDown();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
