package org.kernelci.kcidb.contracts.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PayloadModeTest {
    @Test
    void wireNamesRoundTrip() {
        assertThat(PayloadMode.INLINE.wire()).isEqualTo("inline");
        assertThat(PayloadMode.CLAIM_CHECK.wire()).isEqualTo("claim-check");
        for (PayloadMode mode : PayloadMode.values()) {
            assertThat(PayloadMode.fromWire(mode.wire())).isSameAs(mode);
        }
    }

    @Test
    void unknownNamesAreMalformedEvents() {
        assertThatThrownBy(() -> PayloadMode.fromWire("INLINE")).isInstanceOf(MalformedEventException.class)
                .hasMessage("unknown payload mode 'INLINE' (expected inline or claim-check)");
        assertThatThrownBy(() -> PayloadMode.fromWire("claim_check")).isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> PayloadMode.fromWire(null)).isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("'null'");
    }
}
