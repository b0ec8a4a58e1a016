package org.kernelci.kcidb.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that stands still until a test moves it: the one test clock of the project, for code that takes a
 * {@link Clock}. Thread-safe, so a test may move it while the code under test reads it on another thread. Always UTC.
 */
public final class TestClock extends Clock {
    private volatile Instant now;

    public TestClock(Instant start) {
        this.now = start;
    }

    /** A clock standing at {@code 2026-01-01T00:00:00Z}. */
    public static TestClock standing() {
        return new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** Moves the clock forward (or back, with a negative duration). */
    public synchronized TestClock advance(Duration by) {
        now = now.plus(by);
        return this;
    }

    /** Puts the clock at {@code instant}. */
    public TestClock set(Instant instant) {
        now = instant;
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** The same clock: the zone does not matter to an instant. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
