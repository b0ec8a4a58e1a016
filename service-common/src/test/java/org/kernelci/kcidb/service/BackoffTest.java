package org.kernelci.kcidb.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0);

    @Test
    void ceilingGrowsGeometricallyUpToTheCap() {
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.ceiling(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.ceiling(4)).isEqualTo(Duration.ofMillis(800));
        assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.ceiling(6)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void ceilingStaysCappedForHugeAttemptNumbers() {
        assertThat(backoff.ceiling(64)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.ceiling(100_000)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.ceiling(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(Integer.MAX_VALUE)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void attemptsBeforeTheFirstCountAsTheFirst() {
        assertThat(backoff.ceiling(0)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.ceiling(-5)).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void fractionalMultiplierAndConstantBackoff() {
        Backoff slow = new Backoff(Duration.ofMillis(100), Duration.ofMillis(300), 1.5);
        assertThat(slow.ceiling(2)).isEqualTo(Duration.ofMillis(150));
        assertThat(slow.ceiling(3)).isEqualTo(Duration.ofMillis(225));
        assertThat(slow.ceiling(4)).isEqualTo(Duration.ofMillis(300));
        Backoff constant = new Backoff(Duration.ofMillis(50), Duration.ofMillis(50), 1.0);
        assertThat(constant.ceiling(1)).isEqualTo(constant.ceiling(1000)).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void jitteredDelayStaysBetweenHalfTheCeilingAndTheCeiling() {
        for (int attempt = 1; attempt <= 8; attempt++) {
            Duration ceiling = backoff.ceiling(attempt);
            Duration floor = ceiling.dividedBy(2);
            Set<Duration> seen = new HashSet<>();
            for (int i = 0; i < 2_000; i++) {
                Duration d = backoff.delay(attempt);
                assertThat(d).as("attempt %d", attempt).isBetween(floor, ceiling);
                seen.add(d);
            }
            // 2000 draws from at least 51 equally likely values: all equal would mean no jitter at all.
            assertThat(seen).as("attempt %d is jittered", attempt).hasSizeGreaterThan(10);
        }
    }

    @Test
    void theDefaultIsTwoHundredMillisecondsDoublingToThirtySeconds() {
        assertThat(Backoff.DEFAULT.ceiling(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(Backoff.DEFAULT.ceiling(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(Backoff.DEFAULT.ceiling(20)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void initialMustBePositive() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("initial backoff must be positive: PT0S");
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(-1), Duration.ofSeconds(1), 2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void maxMustNotBeBelowInitial() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("max backoff PT1S is below initial PT2S");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.99, 0.0, -2.0, Double.NaN, Double.NEGATIVE_INFINITY})
    void multiplierMustBeAtLeastOne(double multiplier) {
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(1), Duration.ofSeconds(1), multiplier))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("backoff multiplier must be >= 1");
    }

    @Test
    void nullDurationsAreRefused() {
        assertThatThrownBy(() -> new Backoff(null, Duration.ofSeconds(1), 2)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), null, 2)).isInstanceOf(NullPointerException.class);
    }
}
