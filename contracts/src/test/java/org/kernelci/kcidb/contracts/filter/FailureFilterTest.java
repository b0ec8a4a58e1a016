package org.kernelci.kcidb.contracts.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.contracts.events.FailureEvent.Kind;
import org.kernelci.kcidb.contracts.filter.FailureFilter.InvalidFilterException;
import org.kernelci.kcidb.contracts.filter.FailureFilter.Selector;

class FailureFilterTest {

    @Test
    void theDefaultIsTheOriginalExample() {
        FailureFilter f = FailureFilter.defaults();
        assertThat(f.accepts(Kind.BUILD, "maestro", null)).isTrue();
        assertThat(f.accepts(Kind.BUILD, "microsoft", null)).isTrue();
        assertThat(f.accepts(Kind.TEST, "maestro", "boot")).isTrue();
        assertThat(f.accepts(Kind.TEST, "maestro", "boot.nfs")).isTrue();
        assertThat(f.accepts(Kind.TEST, "maestro", "baseline.login")).isFalse();
        assertThat(f.accepts(Kind.TEST, "maestro", null)).isFalse();
        assertThat(f.accepts(Kind.TEST, "microsoft", "boot")).isFalse();
        assertThat(f.accepts(Kind.BUILD, "redhat", null)).isFalse();
        assertThat(f.origins(Kind.BUILD)).containsExactly("maestro", "microsoft");
        assertThat(f.selectors(Kind.TEST)).containsExactly(new Selector("maestro", "^boot.*$"));
    }

    @Test
    void includePathTakesAListAndNarrowingKeepsOnlyTheNamedOrigins() {
        FailureFilter f = FailureFilter.parse("""
                redhat:
                  - type: test
                    include_path: [ "kselftest.*", "ltp?x" ]
                  - type: build
                ti:
                  - type: test
                """, "test");
        assertThat(f.accepts(Kind.TEST, "redhat", "kselftest.net")).isTrue();
        assertThat(f.accepts(Kind.TEST, "redhat", "ltp1x")).isTrue();
        assertThat(f.accepts(Kind.TEST, "redhat", "ltp")).isFalse();
        assertThat(f.accepts(Kind.TEST, "ti", "anything/at.all")).isTrue();
        FailureFilter narrowed = f.narrowedTo(Set.of("ti"));
        assertThat(narrowed.accepts(Kind.BUILD, "redhat", null)).isFalse();
        assertThat(narrowed.accepts(Kind.TEST, "ti", "x")).isTrue();
        assertThat(narrowed.wants(Kind.BUILD)).isFalse();
        assertThat(f.narrowedTo(List.of())).isEqualTo(f);
    }

    @Test
    void globsFollowFnmatch() {
        assertThat(matches("boot*", "boot")).isTrue();
        assertThat(matches("boot*", "xboot")).isFalse();
        assertThat(matches("a?c", "abc")).isTrue();
        assertThat(matches("[!a]x", "bx")).isTrue();
        assertThat(matches("[!a]x", "ax")).isFalse();
        assertThat(matches("[a-c]x", "bx")).isTrue();
        assertThat(matches("a.b_c+(d)", "a.b_c+(d)")).isTrue();
        assertThat(matches("a.b", "axb")).isFalse();
        assertThat(matches("[", "[")).isTrue();
        assertThat(matches("x[]]", "x]")).isTrue();
        assertThat(matches("*", "multi\nline")).isTrue();
    }

    @Test
    void badFilesAreRefusedWithTheEntryNamed() {
        assertThatThrownBy(() -> FailureFilter.parse("maestro:\n  - type: boot\n", "f.yaml"))
                .isInstanceOf(InvalidFilterException.class).hasMessageContaining("f.yaml").hasMessageContaining("boot");
        assertThatThrownBy(() -> FailureFilter.parse("maestro:\n  - type: test\n    paths: x\n", "f.yaml"))
                .hasMessageContaining("unknown key 'paths'");
        assertThatThrownBy(() -> FailureFilter.parse("- a\n- b\n", "f.yaml")).hasMessageContaining("map of origin");
        assertThatThrownBy(() -> FailureFilter.parse("Bad-Origin:\n  - type: build\n", "f.yaml"))
                .hasMessageContaining("not a KCIDB origin");
        assertThatThrownBy(() -> FailureFilter.parse("a: [\n", "f.yaml")).hasMessageContaining("not valid YAML");
        assertThat(FailureFilter.parse("", "empty").origins()).isEmpty();
    }

    @Test
    void aConfiguredFilterIsTheFileOrTheDefaultNarrowedAndABadFileIsAConfigurationError() throws Exception {
        assertThat(FailureFilter.configured(null, null)).isEqualTo(FailureFilter.defaults());
        assertThat(FailureFilter.configured(null, List.of(" microsoft ", "")).origins()).containsOnlyKeys("microsoft");
        java.nio.file.Path missing = java.nio.file.Path.of("/nonexistent/logspec_worker.yaml");
        assertThatThrownBy(() -> FailureFilter.configured(missing, List.of()))
                .isInstanceOf(org.kernelci.kcidb.contracts.cli.ConfigException.class)
                .hasMessageContaining("--filter-file / KCIDB_LOGSPEC_FILTER_FILE").hasMessageContaining("does not exist");
    }

    @Test
    void aGlobIsCompiledOnceAndItsRegexServesTheDatabase() {
        Glob g = Glob.of("boot*");
        assertThat(g.regex()).isEqualTo("^boot.*$");
        assertThat(g).isEqualTo(Glob.of("boot*")).hasToString("boot*");
        assertThat(g.matches(null)).isFalse();
    }

    private static boolean matches(String glob, String path) {
        return Glob.of(glob).matches(path);
    }
}
