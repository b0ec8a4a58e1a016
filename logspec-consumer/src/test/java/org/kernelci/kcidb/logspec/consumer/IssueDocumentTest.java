package org.kernelci.kcidb.logspec.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.contracts.events.FailureEvent.Kind;
import org.kernelci.kcidb.contracts.kcidb.KcidbSubmissions;
import org.kernelci.kcidb.contracts.kcidb.Verdict;
import org.kernelci.kcidb.logspec.engine.Logspec;
import org.kernelci.kcidb.logspec.engine.LogspecResult;
import org.kernelci.kcidb.logspec.engine.Parser;
import org.kernelci.kcidb.logspec.engine.text.InputMode;

class IssueDocumentTest {
    private static final IssueDocument.Folder NO_FOLD = (origin, loc, own) -> Optional.empty();

    @Test
    void aBuildErrorGivesTheOriginalsIssueAndIncident() throws Exception {
        IssueDocument.Content c = IssueDocument.of(Kind.BUILD, "demo:build-gcc", "demo", parse("build-gcc.log",
                Parser.KBUILD), NO_FOLD);
        assertThat(c.issues()).hasSize(1);
        Map<String, Object> issue = c.issues().get(0);
        assertThat(issue).containsEntry("id", "demo:" + Fixtures.GCC_SIGNATURE).containsEntry("version", 1)
                .containsEntry("origin", "demo")
                .containsEntry("comment", " 'foo' undeclared (first use in this function) in drivers/misc/kcidbng_demo.o "
                        + "(drivers/misc/kcidbng_demo.c) [logspec:kbuild,kbuild.compiler.error]")
                .containsEntry("culprit", Map.of("code", true, "harness", false, "tool", false))
                .doesNotContainKeys("build_valid", "test_status");
        Map<?, ?> logspec = (Map<?, ?>) ((Map<?, ?>) issue.get("misc")).get("logspec");
        assertThat(logspec.get("version")).isEqualTo("1.0.0");
        assertThat(logspec.get("parser")).isEqualTo("kbuild");
        Map<?, ?> error = (Map<?, ?>) logspec.get("error");
        assertThat(error.containsKey("signature")).isFalse();
        assertThat(error.get("signature_loc")).isEqualTo(Fixtures.SHARED_LOC);
        assertThat(error.get("error_type")).isEqualTo("kbuild.compiler.error");
        assertThat((String) error.get("log_excerpt")).contains("kcidbng_demo.c:42:7: error");

        assertThat(c.incidents()).containsExactly(Map.of("id", "demo:" + Fixtures.GCC_INCIDENT,
                "issue_id", "demo:" + Fixtures.GCC_SIGNATURE, "issue_version", 1, "build_id", "demo:build-gcc",
                "comment", "test incident, automatically generated", "origin", "demo", "present", true));
        assertThat(c.statusOverride()).isEmpty();
        assertValid(c);
    }

    @Test
    void buildErrorsFoldBySignatureLocOntoAnExistingIssue() throws Exception {
        List<String> asked = new ArrayList<>();
        IssueDocument.Folder folder = (origin, loc, own) -> {
            asked.add(origin + " " + loc + " " + own);
            return Optional.of(new IssueDocument.IssueKey("demo:" + Fixtures.GCC_SIGNATURE, 1));
        };
        IssueDocument.Content c = IssueDocument.of(Kind.BUILD, "demo:build-clang", "demo", parse("build-clang.log",
                Parser.KBUILD), folder);
        assertThat(asked).containsExactly("demo " + Fixtures.SHARED_LOC + " demo:" + Fixtures.CLANG_SIGNATURE);
        assertThat(c.issues()).extracting(i -> i.get("id")).containsExactly("demo:" + Fixtures.GCC_SIGNATURE);
        assertThat(c.incidents()).extracting(i -> i.get("issue_id")).containsExactly("demo:" + Fixtures.GCC_SIGNATURE);
        // Tests never fold.
        IssueDocument.Content test = IssueDocument.of(Kind.TEST, "demo:t", "demo", parse("build-clang.log",
                Parser.KBUILD), folder);
        assertThat(test.issues()).extracting(i -> i.get("id")).containsExactly("demo:" + Fixtures.CLANG_SIGNATURE);
        assertThat(test.incidents().get(0)).containsEntry("test_id", "demo:t").doesNotContainKey("build_id");
    }

    @Test
    void aFailedBootGivesItsKernelErrorsAndTheBootPseudoErrorWhenNothingBooted() throws Exception {
        IssueDocument.Content panic = IssueDocument.of(Kind.TEST, "demo:boot-panic", "demo", parse("boot-panic.log",
                Parser.GENERIC_LINUX_BOOT), NO_FOLD);
        assertThat(panic.issues()).extracting(i -> i.get("id")).containsExactly("demo:" + Fixtures.PANIC_SIGNATURE);
        assertThat(panic.incidents()).extracting(i -> i.get("id")).containsExactly("demo:" + Fixtures.PANIC_INCIDENT);
        assertThat(panic.statusOverride()).isEmpty();

        IssueDocument.Content nothing = IssueDocument.of(Kind.TEST, "demo:boot-nothing", "demo",
                parse("boot-nothing.log", Parser.GENERIC_LINUX_BOOT), NO_FOLD);
        assertThat(nothing.issues()).hasSize(1);
        assertThat(nothing.issues().get(0)).containsEntry("id", "demo:" + Fixtures.NO_BOOT_SIGNATURE)
                .containsEntry("comment", " Bootloader did not finish or kernel did not start. "
                        + "[logspec:generic_linux_boot,linux.kernel.boot]");
        Map<?, ?> error = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) nothing.issues().get(0).get("misc")).get("logspec"))
                .get("error");
        assertThat(error.containsKey("signature_loc")).isFalse();
        assertThat(error.get("log_excerpt")).isEqualTo("");
        assertThat(nothing.statusOverride()).contains("MISS");
        assertValid(nothing);
    }

    @Test
    void duplicatesCollapseAndNullsAndNulsAreDropped() throws Exception {
        String log = "Starting kernel ...\n[    0.000000] Linux version 6\n"
                + "[    1.000000] Kernel panic - not syncing: same\u0000thing\n[    1.000001] ---[ end Kernel panic\n"
                + "[    2.000000] Kernel panic - not syncing: same\u0000thing\n[    2.000001] ---[ end Kernel panic\n";
        LogspecResult r = Logspec.analyze(log, Parser.GENERIC_LINUX_BOOT);
        IssueDocument.Content c = IssueDocument.of(Kind.TEST, "demo:t", "demo", r, NO_FOLD);
        assertThat(c.issues()).hasSize(1);
        assertThat(c.incidents()).hasSize(1);
        String json = new String(json(c), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("\\u0000").doesNotContain("null").contains("samething");
        assertValid(c);
    }

    private static final KcidbSubmissions KCIDB = KcidbSubmissions.create();

    private static void assertValid(IssueDocument.Content c) throws Exception {
        assertThat(KCIDB.check(json(c))).as("KCIDB 5.3 verdict").isInstanceOf(Verdict.Accepted.class);
    }

    static LogspecResult parse(String fixture, Parser parser) throws Exception {
        return new Logspec(InputMode.WORKER).analyze(Fixtures.bytes(fixture), parser);
    }

    private static byte[] json(IssueDocument.Content c) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(c.document());
    }
}
