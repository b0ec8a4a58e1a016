package org.kernelci.kcidb.service;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project's one way to retry: bounded (or {@link #FOREVER}) attempts, exponential backoff with jitter, a predicate
 * deciding what is retryable, "attempt n of m" in the log, and waits that a stop interrupts. The wait is a
 * {@link Pause}: a plain sleep (interrupting the thread stops it), the service's {@link Lifecycle#pause} during
 * start-up, or a consumer loop's {@link Batch#pause}, which keeps the consumer in its group. A stop
 * ({@link StoppingException}, {@link InterruptedException}) is never retried.
 *
 * <p>Call-shaped work uses {@link #call}; loops that retry forever and reset after a success (a watcher, a relay)
 * count their failures with {@link #attempts()}.
 */
public final class Retry {
    private static final Logger LOG = LoggerFactory.getLogger(Retry.class);

    /** Attempts without end: for work that must not be dropped (a consumer's batch, a watcher). */
    public static final int FOREVER = Integer.MAX_VALUE;

    /** Waits between attempts; throws when the wait must end early because the service stops. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration delay) throws InterruptedException;
    }

    /** A plain sleep: interrupting the thread stops it. */
    public static final Pause SLEEP = Thread::sleep;

    private final String operation;
    private final int maxAttempts;
    private final Backoff backoff;
    private final Predicate<? super Throwable> retryable;
    private final Pause pause;

    public Retry(String operation, int maxAttempts, Backoff backoff, Predicate<? super Throwable> retryable) {
        this(operation, maxAttempts, backoff, retryable, SLEEP);
    }

    public Retry(String operation, int maxAttempts, Backoff backoff, Predicate<? super Throwable> retryable,
                 Pause pause) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
        }
        this.operation = operation;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        this.retryable = retryable;
        this.pause = pause;
    }

    /** Calls until it succeeds; rethrows unchanged what is not retryable, and the last failure once attempts are spent. */
    public <T> T call(Callable<T> callable) throws Exception {
        Attempts attempts = attempts();
        while (true) {
            try {
                return callable.call();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw e;
            } catch (Exception e) {
                if (!attempts.retryAfter(e)) {
                    throw e;
                }
            }
        }
    }

    /** A count of failures in a row, for a loop shaped otherwise than {@link #call}. */
    public Attempts attempts() {
        return new Attempts();
    }

    /** Failures in a row of one piece of work. Not thread-safe: one per loop. */
    public final class Attempts {
        private int failures;

        private Attempts() {
        }

        /** The work succeeded: the next failure waits the shortest time again. */
        public void succeeded() {
            failures = 0;
        }

        public int failures() {
            return failures;
        }

        /**
         * After a failure: false when it is not to be retried (a stop, not retryable, or the attempts are spent);
         * otherwise logs it, waits the backoff, and returns true.
         *
         * @throws StoppingException    when the service stops during the wait
         * @throws InterruptedException when the thread is interrupted during the wait
         */
        public boolean retryAfter(Throwable failure) throws InterruptedException {
            if (failure instanceof StoppingException || failure instanceof InterruptedException) {
                return false;
            }
            int attempt = ++failures;
            if (attempt >= maxAttempts || !retryable.test(failure)) {
                return false;
            }
            Duration delay = backoff.delay(attempt);
            if (maxAttempts == FOREVER) {
                LOG.warn("{}: attempt {} failed ({}); retrying in {} ms", operation, attempt, failure.toString(),
                        delay.toMillis());
            } else {
                LOG.warn("{}: attempt {} of {} failed ({}); retrying in {} ms", operation, attempt, maxAttempts,
                        failure.toString(), delay.toMillis());
            }
            pause.pause(delay);
            return true;
        }
    }
}
