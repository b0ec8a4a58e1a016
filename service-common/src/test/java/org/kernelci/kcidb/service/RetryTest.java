package org.kernelci.kcidb.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryTest {
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0);

    /** The waits Retry asked for, instead of sleeping. */
    private final List<Duration> slept = new ArrayList<>();
    private final Retry.Pause sleeper = slept::add;

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void aFirstSuccessNeitherRetriesNorWaits() throws Exception {
        Retry retry = new Retry("op", 5, BACKOFF, e -> true, sleeper);
        assertThat(retry.call(() -> "done")).isEqualTo("done");
        assertThat(slept).isEmpty();
    }

    @Test
    void retriesWhatThePredicateAllowsWithGrowingBackoff() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Retry retry = new Retry("op", 5, BACKOFF, e -> e instanceof IOException, sleeper);
        String result = retry.call(() -> {
            if (calls.incrementAndGet() < 4) {
                throw new IOException("not yet " + calls.get());
            }
            return "done";
        });
        assertThat(result).isEqualTo("done");
        assertThat(calls).hasValue(4);
        assertThat(slept).hasSize(3);
        for (int i = 0; i < slept.size(); i++) {
            Duration ceiling = BACKOFF.ceiling(i + 1);
            assertThat(slept.get(i)).as("wait after attempt %d", i + 1).isBetween(ceiling.dividedBy(2), ceiling);
        }
    }

    @Test
    void doesNotRetryWhatThePredicateRefuses() {
        AtomicInteger calls = new AtomicInteger();
        List<Throwable> asked = new ArrayList<>();
        IllegalStateException permanent = new IllegalStateException("permanent");
        Retry retry = new Retry("op", 5, BACKOFF, e -> {
            asked.add(e);
            return e instanceof IOException;
        }, sleeper);
        assertThatThrownBy(() -> retry.call(() -> {
            calls.incrementAndGet();
            throw permanent;
        })).isSameAs(permanent);
        assertThat(calls).hasValue(1);
        assertThat(asked).containsExactly(permanent);
        assertThat(slept).isEmpty();
    }

    @Test
    void givesUpAfterMaxAttemptsRethrowingTheLastFailureUnchanged() {
        AtomicInteger calls = new AtomicInteger();
        List<IOException> thrown = new ArrayList<>();
        Retry retry = new Retry("op", 3, BACKOFF, e -> true, sleeper);
        assertThatThrownBy(() -> retry.call(() -> {
            IOException e = new IOException("failure " + calls.incrementAndGet());
            thrown.add(e);
            throw e;
        })).isSameAs(thrown.get(2)).isInstanceOf(IOException.class).hasMessage("failure 3");
        assertThat(calls).hasValue(3);
        assertThat(slept).as("no wait after the last attempt").hasSize(2);
    }

    @Test
    void oneAttemptMeansNoRetry() {
        AtomicInteger calls = new AtomicInteger();
        Retry retry = new Retry("op", 1, BACKOFF, e -> true, sleeper);
        assertThatThrownBy(() -> retry.call(() -> {
            calls.incrementAndGet();
            throw new IOException("once");
        })).hasMessage("once");
        assertThat(calls).hasValue(1);
        assertThat(slept).isEmpty();
    }

    @Test
    void atLeastOneAttemptIsRequired() {
        assertThatThrownBy(() -> new Retry("op", 0, BACKOFF, e -> true, sleeper))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxAttempts must be >= 1: 0");
    }

    @Test
    void anInterruptedCallIsNeverRetriedAndKeepsTheInterruptStatus() {
        AtomicInteger calls = new AtomicInteger();
        InterruptedException interrupted = new InterruptedException("stop");
        Retry retry = new Retry("op", 5, BACKOFF, e -> true, sleeper);
        assertThatThrownBy(() -> retry.call(() -> {
            calls.incrementAndGet();
            throw interrupted;
        })).isSameAs(interrupted);
        assertThat(calls).hasValue(1);
        assertThat(slept).isEmpty();
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void anInterruptWhileWaitingEndsTheRetries() {
        AtomicInteger calls = new AtomicInteger();
        Retry retry = new Retry("op", 5, BACKOFF, e -> true, d -> {
            throw new InterruptedException("shutting down");
        });
        assertThatThrownBy(() -> retry.call(() -> {
            calls.incrementAndGet();
            throw new IOException("down");
        })).isInstanceOf(InterruptedException.class).hasMessage("shutting down");
        assertThat(calls).hasValue(1);
    }

    @Test
    void theDefaultSleeperRespectsAnInterruptAlreadyPending() {
        // Thread.sleep throws at once when the thread is already interrupted: nothing actually sleeps here.
        AtomicInteger calls = new AtomicInteger();
        Retry retry = new Retry("op", 5, new Backoff(Duration.ofMinutes(10), Duration.ofMinutes(10), 1), e -> true);
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> retry.call(() -> {
            calls.incrementAndGet();
            throw new IOException("down");
        })).isInstanceOf(InterruptedException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void errorsAreNeverRetried() {
        AtomicInteger calls = new AtomicInteger();
        Retry retry = new Retry("op", 5, BACKOFF, e -> true, sleeper);
        assertThatThrownBy(() -> retry.call(() -> {
            calls.incrementAndGet();
            throw new AssertionError("bug");
        })).isInstanceOf(AssertionError.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void aStopWhileWaitingEndsTheRetriesAndIsNeverRetriedItself() throws Exception {
        Lifecycle lifecycle = new Lifecycle("svc");
        lifecycle.stop();
        AtomicInteger calls = new AtomicInteger();
        Retry retry = new Retry("op", Retry.FOREVER, BACKOFF, e -> true, lifecycle::pause);
        assertThatThrownBy(() -> retry.call(() -> {
            calls.incrementAndGet();
            throw new IOException("down");
        })).isInstanceOf(StoppingException.class).hasMessage("svc is stopping");
        assertThat(calls).hasValue(1);

        Retry patient = new Retry("op", Retry.FOREVER, BACKOFF, e -> true, sleeper);
        assertThatThrownBy(() -> patient.call(() -> {
            calls.incrementAndGet();
            throw new StoppingException("svc");
        })).isInstanceOf(StoppingException.class);
        assertThat(slept).isEmpty();
    }

    @Test
    void aLoopsAttemptsStartAgainAfterASuccess() throws Exception {
        Retry retry = new Retry("op", 3, BACKOFF, e -> true, sleeper);
        Retry.Attempts attempts = retry.attempts();
        assertThat(attempts.retryAfter(new IOException("1"))).isTrue();
        assertThat(attempts.retryAfter(new IOException("2"))).isTrue();
        attempts.succeeded();
        assertThat(attempts.retryAfter(new IOException("1 again"))).isTrue();
        assertThat(attempts.retryAfter(new IOException("2 again"))).isTrue();
        assertThat(attempts.retryAfter(new IOException("3: spent"))).isFalse();
        assertThat(slept).hasSize(4);
        assertThat(slept.get(2)).isLessThanOrEqualTo(BACKOFF.ceiling(1));
    }
}
