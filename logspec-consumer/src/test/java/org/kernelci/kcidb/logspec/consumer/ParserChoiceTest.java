package org.kernelci.kcidb.logspec.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.contracts.events.FailureEvent.Kind;
import org.kernelci.kcidb.logspec.engine.Parser;

class ParserChoiceTest {
    @Test
    void byKindAndTestPath() {
        ParserChoice p = ParserChoice.defaults();
        assertThat(p.choose(Kind.BUILD, null)).isEqualTo(Parser.KBUILD);
        assertThat(p.choose(Kind.TEST, "boot")).isEqualTo(Parser.GENERIC_LINUX_BOOT);
        assertThat(p.choose(Kind.TEST, "boot.nfs")).isEqualTo(Parser.GENERIC_LINUX_BOOT);
        assertThat(p.choose(Kind.TEST, "kselftest.cpufreq")).isEqualTo(Parser.TEST_KSELFTEST);
        assertThat(p.choose(Kind.TEST, "baseline.login")).isEqualTo(Parser.TEST_BASELINE);
        assertThat(p.choose(Kind.TEST, "ltp.syscalls")).isEqualTo(Parser.KERNEL_ONLY);
        assertThat(p.choose(Kind.TEST, null)).isEqualTo(Parser.KERNEL_ONLY);
    }

    @Test
    void configuredRulesComeFirst() {
        ParserChoice p = ParserChoice.of(List.of("boot.chromebook*=chromebook_single_boot"), "generic_linux_boot");
        assertThat(p.choose(Kind.TEST, "boot.chromebook.x")).isEqualTo(Parser.CHROMEBOOK_SINGLE_BOOT);
        assertThat(p.choose(Kind.TEST, "boot")).isEqualTo(Parser.GENERIC_LINUX_BOOT);
        assertThat(p.choose(Kind.TEST, "other")).isEqualTo(Parser.GENERIC_LINUX_BOOT);
        assertThatThrownBy(() -> ParserChoice.of(List.of("x=nope"), null)).hasMessageContaining("unknown parser 'nope'");
        assertThatThrownBy(() -> ParserChoice.of(List.of("novalue"), null)).hasMessageContaining("GLOB=PARSER");
    }
}
