package org.kernelci.kcidb.service;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounded retries with backoff that respect interrupts. Only failures the predicate calls retryable are retried; the
 * last failure is rethrown unchanged once the attempts are spent.
 */
public final class Retry {
    private static final Logger LOG = LoggerFactory.getLogger(Retry.class);

    private final String operation;
    private final int maxAttempts;
    private final Backoff backoff;
    private final Predicate<Throwable> retryable;
    private final Sleeper sleeper;

    /** Waits between attempts; a seam so unit tests need not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    public Retry(String operation, int maxAttempts, Backoff backoff, Predicate<Throwable> retryable) {
        this(operation, maxAttempts, backoff, retryable, d -> Thread.sleep(d.toMillis()));
    }

    public Retry(String operation, int maxAttempts, Backoff backoff, Predicate<Throwable> retryable, Sleeper sleeper) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
        }
        this.operation = operation;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        this.retryable = retryable;
        this.sleeper = sleeper;
    }

    public <T> T call(Callable<T> callable) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return callable.call();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw e;
            } catch (Exception e) {
                if (attempt >= maxAttempts || !retryable.test(e)) {
                    throw e;
                }
                Duration delay = backoff.delay(attempt);
                LOG.warn("{}: attempt {} of {} failed ({}); retrying in {} ms", operation, attempt, maxAttempts, e.toString(),
                        delay.toMillis());
                sleeper.sleep(delay);
            }
        }
    }
}
