package org.kernelci.kcidb.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.contracts.cli.ConfigException;

class UnitsTest {
    @Test
    void durations() {
        assertThat(Units.duration("250ms", "x")).isEqualTo(Duration.ofMillis(250));
        assertThat(Units.duration("30s", "x")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Units.duration(" 5m ", "x")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Units.duration("2h", "x")).isEqualTo(Duration.ofHours(2));
        assertThat(Units.duration("1d", "x")).isEqualTo(Duration.ofDays(1));
        assertThat(Units.duration("PT90S", "x")).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> Units.duration("soon", "--catch-up / KCIDB_WATCH_CATCH_UP"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--catch-up / KCIDB_WATCH_CATCH_UP");
    }

    @Test
    void sizes() {
        assertThat(Units.bytes("1048576", "x")).isEqualTo(1 << 20);
        assertThat(Units.bytes("512k", "x")).isEqualTo(512 * 1024);
        assertThat(Units.bytes("256M", "x")).isEqualTo(256L << 20);
        assertThat(Units.bytes("2g", "x")).isEqualTo(2L << 30);
        assertThat(Units.bytes("1GiB", "x")).isEqualTo(1L << 30);
        assertThat(Units.bytes("0", "x")).isZero();
        assertThatThrownBy(() -> Units.bytes("lots", "--cache-size")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> Units.bytes("99999999999t", "--cache-size")).hasMessageContaining("too large");
    }
}
