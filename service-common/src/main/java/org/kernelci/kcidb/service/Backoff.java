package org.kernelci.kcidb.service;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: attempt n (from 1) waits a random time in [d/2, d] where
 * d = min(max, initial * multiplier^(n-1)). Jitter keeps many consumers from retrying in lock-step.
 */
public record Backoff(Duration initial, Duration max, double multiplier) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30), 2.0);

    public Backoff {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive: " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max backoff " + max + " is below initial " + initial);
        }
        if (!(multiplier >= 1.0)) { // also refuses NaN, which would make every delay after the first zero
            throw new IllegalArgumentException("backoff multiplier must be >= 1: " + multiplier);
        }
    }

    /** The ceiling of the delay before attempt {@code attempt} (1-based), without jitter. */
    public Duration ceiling(int attempt) {
        double millis = initial.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
    }

    /** The delay before attempt {@code attempt} (1-based), with jitter. */
    public Duration delay(int attempt) {
        long ceiling = ceiling(attempt).toMillis();
        long floor = ceiling / 2;
        return Duration.ofMillis(floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1));
    }
}
