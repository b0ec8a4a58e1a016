package org.kernelci.kcidb.logspec.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.logspec.engine.kcidb.KcidbRecord;
import org.kernelci.kcidb.logspec.engine.kcidb.KcidbRecords;
import org.kernelci.kcidb.logspec.engine.text.InputMode;

/**
 * The reference's quirks (spec §10 and the ones §3 and §4 call out), reproduced on purpose: every test names one. The
 * expected signatures are SHA-1 digests of the expected fields as CPython's {@code json.dumps} writes them.
 */
class QuirksTest {

    private static LogspecResult parse(String log, Parser parser) {
        return Logspec.analyze(log, parser);
    }

    private static String publicJson(LogspecResult r) {
        return LogspecJson.render(LogspecJson.publicView(r), 4);
    }

    // ---- spec §10: crashes of the reference

    @Test
    void quirkKernelLoadRaisesValueErrorWhenNothingFollowsTheBootloaderTagOnItsLine() {
        assertThatThrownBy(() -> parse("U-Boot 2024.01\nStarting kernel ...", Parser.GENERIC_LINUX_BOOT))
                .isInstanceOf(LogspecParseException.class)
                .satisfies(e -> assertThat(((LogspecParseException) e).pythonError()).isEqualTo("ValueError"));
        // One newline more and the kernel simply did not start.
        LogspecResult r = parse("U-Boot 2024.01\nStarting kernel ...\n", Parser.GENERIC_LINUX_BOOT);
        assertThat(r.flags()).containsEntry("bootloader.done", true).containsEntry("linux.boot.prompt", false)
                .containsEntry("linux.boot.kernel_started", false);
        assertThat(r.statesSummary()).containsExactly("Bootloader stage done, jump to kernel", "Kernel didn't start");
        assertThat(r.signature()).isEqualTo("da694c56147298d223ee432ad8d6a8ee311b773a");
        assertThat(KcidbRecords.of(r)).singleElement().satisfies(rec -> {
            assertThat(rec.errorSummary()).isEqualTo("Bootloader did not finish or kernel did not start.");
            assertThat(rec.signature()).isEqualTo(r.signature());
        });
        assertThat(KcidbRecords.statusOverride(r)).contains("MISS");
    }

    @Test
    void quirkChromebookParsersRaiseKeyErrorWithoutStartingDepthcharge() {
        String log = "Starting kernel ...\n[    0.000000] Booting Linux\n/ # \n";
        for (Parser p : List.of(Parser.CHROMEBOOK_SINGLE_BOOT, Parser.CHROMEBOOK_2STAGE_BOOT)) {
            assertThatThrownBy(() -> parse(log, p)).isInstanceOf(LogspecParseException.class)
                    .hasMessageContaining("KeyError").hasMessageContaining("bootloader.id");
        }
    }

    @Test
    void chromebookSingleBootWithDepthcharge() {
        String log = """
                coreboot-v1.9308_26_0.0.22 bootblock starting
                Starting depthcharge on Asurada...
                jumping to kernel
                [    0.000000] Booting Linux on physical CPU 0x0
                / #\s
                """;
        LogspecResult r = parse(log, Parser.CHROMEBOOK_SINGLE_BOOT);
        assertThat(r.flags()).containsEntry("bootloader.start", true).containsEntry("bootloader.id", "depthcharge")
                .containsEntry("bootloader.done", true).containsEntry("linux.boot.prompt", true)
                .containsEntry("linux.boot.kernel_started", true);
        assertThat(r.signatureFields())
                .containsExactly("bootloader.start", "bootloader.id", "linux.boot.prompt", "linux.boot.kernel_started");
        assertThat(r.signature()).isEqualTo("2e78c29c3baa7f913bbfc23d5ffa280e00e61bf0");
        assertThat(r.statesSummary()).containsExactly("Depthcharge started", "Linux boot prompt found");
        assertThat(KcidbRecords.of(r)).as("the worker's boot pseudo-error is for generic_linux_boot only").isEmpty();
    }

    /** The second stage replaces bootloader.start (false) and keeps stage 1's bootloader.id; fields are listed twice. */
    @Test
    void chromebookTwoStageBootAccumulatesSignatureFields() {
        String log = """
                Starting depthcharge on Asurada...
                jumping to kernel
                [    0.000000] Booting Linux on physical CPU 0x0
                / #\s
                """;
        LogspecResult r = parse(log, Parser.CHROMEBOOK_2STAGE_BOOT);
        assertThat(r.signatureFields()).containsExactly("bootloader.start", "bootloader.id", "linux.boot.prompt",
                "linux.boot.kernel_started", "bootloader.start", "bootloader.id");
        assertThat(r.flags()).containsEntry("bootloader.start", false).containsEntry("bootloader.done", false);
        assertThat(r.signature()).isEqualTo("add022f30fcd4d191615494f0d35dc92c0879526");
        assertThat(r.statesSummary())
                .containsExactly("Depthcharge started", "Linux boot prompt found", "Depthcharge start not found");
    }

    // ---- spec §3.4: kselftest

    @Test
    void quirkLastKselftestFailureSummaryIsCutAfterSelftestsColon() {
        String log = """
                Starting kernel ...
                [    0.000000] Booting Linux on physical CPU 0x0
                / # sh /opt/kselftest.sh -c timers
                # selftests: timers: posix_timers
                ok 1 selftests: timers: posix_timers
                # selftests: timers: nanosleep
                not ok 2 selftests: timers: nanosleep # exit=1
                # selftests: timers: rtcpie
                not ok 3 selftests: timers: rtcpie # TIMEOUT 45 seconds
                """;
        LogspecResult r = parse(log, Parser.TEST_KSELFTEST);
        assertThat(r.flags()).containsEntry("test.kselftest.script_call", true).containsEntry("test.kselftest.start", true);
        assertThat(r.errors()).extracting(LogspecError::errorSummary)
                .containsExactly("not ok 2 selftests: timers: nanosleep # exit=1", "not ok 3 selftests:");
        // The first excerpt starts right after "kselftest.sh"; the next one right after the previous failure.
        assertThat(r.errors().get(0).report()).isEqualTo(" -c timers\n# selftests: timers: posix_timers\n"
                + "ok 1 selftests: timers: posix_timers\n# selftests: timers: nanosleep\n"
                + "not ok 2 selftests: timers: nanosleep # exit=1");
        assertThat(r.errors().get(1).report()).isEqualTo("\n# selftests: timers: rtcpie\nnot ok 3 selftests:");
        assertThat(r.errors()).extracting(LogspecError::signature).containsExactly(
                "35e0858bc6de8eae5513c4a4c0f781f5c7934c8a", "bc0ddbf2664565170bd25e4edbd1b62915567f8b");
        assertThat(r.signature()).isEqualTo("94a10f176a424b99090ae6f1616269a1ff87c713");
        assertThat(r.matchEnd()).isEqualTo(log.indexOf("not ok 3 selftests:") + "not ok 3 selftests:".length());
        assertThat(r.statesSummary()).containsExactly("Bootloader stage done, jump to kernel", "Linux boot prompt found",
                "Kselftest started");
    }

    // ---- spec §10: CRLF logs

    private static final String CRLF_PANIC = """
            U-Boot 2024.01
            Starting kernel ...
            [    0.000000] Booting Linux on physical CPU 0x0
            [    1.000000] foo: probe of bar failed with error -22
            [    2.000000] Kernel panic - not syncing: boom
            [    2.000001] CPU: 0 PID: 1 Comm: swapper
            [    2.000002] Hardware name: Test board
            [    2.000003] Call trace:
            [    2.000004]  dump_backtrace+0x0/0x1
            [    2.000005]  panic+0x1/0x2
            [    2.000006] ---[ end Kernel panic - not syncing: boom ]---
            """.replace("\n", "\r\n");

    @Test
    void quirkCrlfLogKeepsCarriageReturnsInWorkerModeAndSignaturesDiffer() throws IOException {
        byte[] bytes = CRLF_PANIC.getBytes(StandardCharsets.UTF_8);
        LogspecResult worker = new Logspec(InputMode.WORKER).analyze(bytes, Parser.GENERIC_LINUX_BOOT);
        LogspecResult file = new Logspec(InputMode.FILE).analyze(bytes, Parser.GENERIC_LINUX_BOOT);

        LogspecError workerPanic = worker.errors().get(1);
        assertThat(workerPanic.errorSummary()).isEqualTo("boom\r");
        assertThat(workerPanic.attributes()).containsEntry("hardware", "Test board\r")
                .containsEntry("call_trace", List.of("dump_backtrace+0x0/0x1\r", "panic+0x1/0x2\r"));
        assertThat(workerPanic.signature()).startsWith("cd97cf53").isEqualTo("cd97cf53a42e08faed576bb64117b855062caea1");

        LogspecError filePanic = file.errors().get(1);
        assertThat(filePanic.errorSummary()).isEqualTo("boom");
        assertThat(filePanic.signature()).startsWith("37756457").isEqualTo("3775645756efb9e4d0e10487ffd7a504e081613d");

        // "error -22" ends at the digits, before the carriage return: both modes agree.
        assertThat(worker.errors().get(0).errorSummary()).isEqualTo("probe of bar failed with error -22");
        assertThat(worker.errors().get(0).signature()).isEqualTo(file.errors().get(0).signature())
                .isEqualTo("7108b4d681fe55a76e4cb59428d1fac3c6d3d1ab");
        assertThat(worker.errors().get(0).report()).isEqualTo("[    1.000000] foo: probe of bar failed with error -22");
        assertThat(workerPanic.report()).endsWith("panic+0x1/0x2\r\n").startsWith("[    2.000000] Kernel panic");
    }

    // ---- spec §10: reports without end markers

    private static final String NO_END_MARKERS = """
            Starting kernel ...
            [    0.000000] Linux version 6.1.0 (test)
            [    1.000000] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000000
            [    1.000001] Hardware name: Board A
            [    2.000000] UBSAN: shift-out-of-bounds in lib/foo.c:10:5
            [    2.000001] shift exponent 64 is too large
            [    3.000000] ------------[ cut here ]------------
            [    3.000001] WARNING: CPU: 0 PID: 1 at drivers/foo.c:42 foo_probe+0x10/0x20
            [    4.000000] BUG: spinlock bad magic on CPU#0, swapper/0
            [    4.000001] Hardware name: Board B
            [    4.000002] Call Trace:
            [    4.000003]  dump_stack+0x1/0x2
            [    4.000004]  spin_bug+0x3/0x4
            [    5.000000] Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b
            [    5.000001] CPU: 0 PID: 1 Comm: init
            [    5.000002] Call trace:
            [    5.000003]  panic+0x1/0x2
            after the panic
            """;

    @Test
    void quirkBugWithoutEndMarkerIsKeptWithEmptyExcerptAndReadsOnToTheEndOfTheLog() {
        LogspecResult r = parse(NO_END_MARKERS, Parser.GENERIC_LINUX_BOOT);
        assertThat(r.errors()).extracting(LogspecError::pythonClass).containsExactly("KernelBug", "KernelPanic");
        LogspecError bug = r.errors().get(0);
        assertThat(bug.report()).isEmpty();
        assertThat(bug.errorSummary()).isEqualTo("spinlock bad magic");
        assertThat(bug.attributes()).containsEntry("hardware", "Board B").doesNotContainKeys("location", "modules");
        // With no end marker the trace runs on into the panic's trace.
        assertThat(bug.attributes()).containsEntry("call_trace",
                List.of("dump_stack+0x1/0x2", "spin_bug+0x3/0x4", "panic+0x1/0x2"));
        assertThat(bug.signature()).isEqualTo("3d183f462f3b0ea2f2a46c9a5dba778501820428");
    }

    @Test
    void quirkNullPointerUbsanAndCutHereWithoutEndMarkerGiveNoError() {
        LogspecResult r = parse(NO_END_MARKERS, Parser.GENERIC_LINUX_BOOT);
        assertThat(r.errors()).extracting(LogspecError::errorType)
                .doesNotContain("linux.kernel.null_pointer_dereference", "linux.kernel.ubsan", "linux.kernel.warning");
    }

    @Test
    void panicWithoutEndMarkerSpansTheLeadingTimestampedLines() {
        LogspecResult r = parse(NO_END_MARKERS, Parser.GENERIC_LINUX_BOOT);
        LogspecError panic = r.errors().get(1);
        assertThat(panic.report()).isEqualTo("""
                [    5.000000] Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b
                [    5.000001] CPU: 0 PID: 1 Comm: init
                [    5.000002] Call trace:
                [    5.000003]  panic+0x1/0x2""");
        assertThat(panic.errorSummary()).isEqualTo("Attempted to kill init! exitcode=0x0000000b");
        assertThat(panic.attributes()).containsEntry("call_trace", List.of("panic+0x1/0x2")).containsEntry("hardware", null);
        assertThat(panic.signature()).isEqualTo("ed9d1ad0c75be46fb49b0eea8c2e5cafa2d5c262");
        // kernel_only reads the same errors from a log with no bootloader line.
        assertThat(parse(NO_END_MARKERS.substring(NO_END_MARKERS.indexOf('[')), Parser.KERNEL_ONLY).errors())
                .extracting(LogspecError::signature).containsExactly(r.errors().get(0).signature(), panic.signature());
    }

    // ---- spec §10 and §4.2: cut-here blocks holding a specific report

    @Test
    void quirkCutHereBlockHoldingABugIsReportedAsTheBugOnly() {
        String log = """
                Starting kernel ...
                [    1.000000] ------------[ cut here ]------------
                [    1.000001] kernel BUG at mm/slub.c:123!
                [    1.000002] Internal error: Oops - BUG: 0 [#1] SMP ARM
                [    1.000003] Modules linked in: zzz aaa
                [    1.000004] Hardware name: Board C
                [    1.000005] Call trace:
                [    1.000006]  kfree+0x1/0x2
                [    1.000007] ---[ end trace 0000000000000000 ]---
                [    2.000000] done
                / #\s
                """;
        LogspecResult r = parse(log, Parser.GENERIC_LINUX_BOOT);
        assertThat(r.errors()).singleElement().satisfies(bug -> {
            assertThat(bug.pythonClass()).isEqualTo("KernelBug");
            assertThat(bug.errorSummary()).isEqualTo("kernel BUG at mm/slub.c:123");
            // Modules are looked for after the hardware line only, so the earlier list is missed.
            assertThat(bug.attributes()).containsEntry("location", "mm/slub.c:123").containsEntry("hardware", "Board C")
                    .containsEntry("call_trace", List.of("kfree+0x1/0x2")).doesNotContainKey("modules");
            assertThat(bug.report()).startsWith("[    1.000001] kernel BUG").endsWith("kfree+0x1/0x2\n");
            assertThat(bug.signature()).isEqualTo("4a303788272d2998d7199a2cda4c12548b0a7c8d");
        });
    }

    @Test
    void quirkCutHereBlockHoldingAPanicIsReportedAsThePanicOnly() {
        String log = """
                [    3.000000] ------------[ cut here ]------------
                [    3.000001] Kernel panic - not syncing: Fatal exception
                [    3.000002] ---[ end trace 0000000000000000 ]---
                [    3.000003] more
                """;
        LogspecResult r = parse(log, Parser.KERNEL_ONLY);
        assertThat(r.errors()).singleElement().satisfies(panic -> {
            assertThat(panic.pythonClass()).isEqualTo("KernelPanic");
            assertThat(panic.errorSummary()).isEqualTo("Fatal exception");
            // No "end Kernel panic" in the block: the panic runs over the timestamped lines, cut where the block ends.
            assertThat(panic.report()).isEqualTo("[    3.000001] Kernel panic - not syncing: Fatal exception\n"
                    + "[    3.000002] ---[ end trace");
            assertThat(panic.signature()).isEqualTo("099a9c8d826ac0e88ad3c60ee28f621a2876f980");
        });
    }

    /** In the marker alternation error_return_code comes before generic, so it wins on the same timestamp. */
    @Test
    void quirkErrorCodeOnACutHereLineWinsOverTheCutHereBlock() {
        String log = """
                [    1.000000] ------------[ cut here ]------------ at foo: error -5
                [    1.000001] WARNING: CPU: 0 PID: 1 at x.c:1 f+0x1/0x2
                [    1.000002] ---[ end trace 0000000000000000 ]---
                """;
        LogspecResult r = parse(log, Parser.KERNEL_ONLY);
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.errorType()).isEqualTo("linux.kernel.error_return_code");
            assertThat(e.errorSummary()).isEqualTo("error -5");
            assertThat(e.signature()).isEqualTo("873e4828f6b219065c9fba140e40d1cdd5814bb6");
        });
    }

    // ---- spec §4.2: position quirks

    /** After the hardware line the running position is set to the sub-slice offset, so the trace search restarts early. */
    @Test
    void quirkNullPointerTraceSearchRestartsBeforeTheHardwareLine() {
        String log = """
                [    1.000000] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000008
                [    1.000001] Call trace:
                [    1.000002]  early_fn+0x1/0x2
                [    1.000003] Hardware name: Board E
                [    1.000004] Call trace:
                [    1.000005]  late_fn+0x3/0x4
                [    1.000006] ---[ end trace 0000000000000000 ]---
                """;
        LogspecResult r = parse(log, Parser.KERNEL_ONLY);
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.errorSummary()).isEqualTo("NULL pointer dereference at virtual address 0000000000000008");
            assertThat(e.attributes()).containsEntry("address", "0000000000000008")
                    .containsEntry("hardware", "Board E")
                    .containsEntry("call_trace", List.of("early_fn+0x1/0x2", "late_fn+0x3/0x4"));
            assertThat(e.signatureFields()).containsExactly("error_type", "error_summary", "address", "call_trace");
            assertThat(e.signature()).isEqualTo("b805bec8457e0424bdc38f4378ba3f41f0c37824");
        });
    }

    /** The UBSAN end marker needs no timestamp, so the excerpt ends with the next line's timestamp and a space. */
    @Test
    void quirkUbsanExcerptEndsWithTheTimestampOfTheRuleLine() {
        String rule = "=".repeat(80);
        String log = "[    4.000000] " + rule + "\n"
                + "[    4.000001] UBSAN: array-index-out-of-bounds in drivers/x.c:7:9\n"
                + "[    4.000002] index 5 is out of range for type 'int [4]'\n"
                + "[    4.000003] CPU: 0 PID: 1 Comm: swapper/0\n"
                + "[    4.000004] Hardware name: Board D\n"
                + "[    4.000005] " + rule + "\n";
        LogspecResult r = parse(log, Parser.KERNEL_ONLY);
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.report()).startsWith("[    4.000001] UBSAN:").endsWith("Board D\n[    4.000005] ");
            assertThat(e.errorSummary())
                    .isEqualTo("array-index-out-of-bounds: index 5 is out of range for type 'int [4]'");
            assertThat(e.attributes()).containsEntry("location", "drivers/x.c:7:9").containsEntry("hardware", "Board D");
            assertThat(e.signature()).isEqualTo("61e3778713e7b08309c2940e2dfa8e8174527f52");
        });
    }

    @Test
    void quirkStartingKernelDotsAreWildcards() {
        LogspecResult r = parse("Starting kernelXabc\n[    0.000000] x\n", Parser.GENERIC_LINUX_BOOT);
        assertThat(r.flags()).containsEntry("bootloader.done", false);
        r = parse("Starting kernel !?#\n[    0.000000] x\n", Parser.GENERIC_LINUX_BOOT);
        assertThat(r.flags()).containsEntry("bootloader.done", true).containsEntry("linux.boot.kernel_started", true);
    }

    // ---- spec §10 and §4.1: kbuild

    private static final String TWO_FAILURES = """
              CC      kernel/a.o
            kernel/a.c:10:5: error: 'x' undeclared (first use in this function)
            make[2]: *** [scripts/Makefile.build:243: kernel/a.o] Error 1
              CC      kernel/b.o
            kernel/b.c:20:1: error: expected ';' before '}' token
            make[2]: *** [scripts/Makefile.build:243: kernel/b.o] Error 1
            make[1]: *** [Makefile:1234: kernel] Error 2
            """;

    @Test
    void quirkKbuildAnalysesOnlyTheFirstMakeFailure() {
        LogspecResult r = parse(TWO_FAILURES, Parser.KBUILD);
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.attributes()).containsEntry("error_type", "kbuild.compiler.error")
                    .containsEntry("error_summary", "'x' undeclared (first use in this function)")
                    .containsEntry("src_file", "kernel/a.c").containsEntry("line_no", "10")
                    .containsEntry("position", "5").containsEntry("target", "kernel/a.o")
                    .containsEntry("script", "scripts/Makefile.build:243").containsEntry("location", "");
            assertThat(e.report()).isEqualTo("kernel/a.c:10:5: error: 'x' undeclared (first use in this function)\n");
            assertThat(e.signature()).isEqualTo("19944d7da606754167233eba7965b3c432cefb55");
            assertThat(e.signatureLoc()).isEqualTo("b94a69b9a6ca9c1927e505cec0405e2019d34939");
        });
        assertThat(r.signature()).isNull();
        int firstMakeLineEnd = TWO_FAILURES.indexOf("Error 1") + "Error 1".length();
        assertThat(r.matchEnd()).isEqualTo(firstMakeLineEnd);
    }

    @Test
    void quirkOldStyleMakeLinesAreUnknownWithAnEmptySignature() {
        LogspecResult r = parse("  CC      kernel/time/hrtimer.o\nmake[3]: *** [kernel/time/hrtimer.o] Error 1\n",
                Parser.KBUILD);
        LogspecError e = r.errors().get(0);
        assertThat(e.attributes()).containsExactly(Map.entry("error_type", "kbuild.unknown"),
                Map.entry("error_summary", "[kernel/time/hrtimer.o] Error 1"));
        assertThat(e.signature()).isEmpty();
        assertThat(e.report()).isEqualTo("[kernel/time/hrtimer.o] Error 1");
        KcidbRecord rec = KcidbRecords.of(r).get(0);
        assertThat(rec.signature()).isEmpty();
        assertThat(rec.signatureLoc()).isEmpty();
        assertThat(rec.isIssueCandidate()).isFalse();
    }

    /** Python's "if not block_start": an error block starting at offset 0 counts as not found. */
    @Test
    void quirkCompilerBlockAtOffsetZeroCountsAsNotFound() {
        String make = "make[2]: *** [scripts/Makefile.build:243: drivers/foo/bar.o] Error 1\n";
        String warning = "drivers/foo/bar.c:12: warning: x\n";
        LogspecError atZero = parse(warning + make, Parser.KBUILD).errors().get(0);
        assertThat(publicJson(parse(warning + make, Parser.KBUILD))).isEqualTo("""
                {
                    "errors": [
                        {
                            "error_type": "kbuild.compiler",
                            "script": "scripts/Makefile.build:243",
                            "target": "drivers/foo/bar.o"
                        }
                    ]
                }
                """);
        assertThat(atZero.report()).isEmpty();
        assertThat(atZero.signature()).isEqualTo("7b7565e9a663be455199f776dee3e5622f597ab7");
        assertThat(atZero.signatureLoc()).isEqualTo(atZero.signature());

        LogspecError later = parse("  CC      drivers/foo/bar.o\n" + warning + make, Parser.KBUILD).errors().get(0);
        assertThat(later.attributes()).containsEntry("error_type", "kbuild.compiler.warning")
                .containsEntry("error_summary", "drivers/foo/bar.c:12: warning: x")
                .containsEntry("src_file", "drivers/foo/bar.c").containsEntry("location", "12");
        assertThat(later.report()).isEqualTo(warning);
        assertThat(later.signature()).isEqualTo("05d0b8affa6d4116231c966b231cd963ab9ffdb7");
        assertThat(later.signatureLoc()).isEqualTo("6cca3860695ebb1838375bf695c0805811cda7f8");
    }

    /** Targets are pasted into regular expressions unescaped: a '+' repeats, and an unbalanced '(' raises re.error. */
    @Test
    void quirkMakeTargetsActAsRegularExpressions() {
        String log = "  CC      libfoo.o\nlibfoo.c:3:1: error: boom\n"
                + "make[1]: *** [Makefile:10: lib+foo.o] Error 1\n";
        LogspecError e = parse(log, Parser.KBUILD).errors().get(0);
        // The stem "lib+foo", read as a regular expression, matches "libfoo" in the diagnostic line.
        assertThat(e.attributes()).containsEntry("src_file", "libfoo.c").containsEntry("line_no", "3");

        String broken = "x\nmake[1]: *** [Makefile:10: drivers/(oops.o] Error 1\n";
        assertThatThrownBy(() -> parse(broken, Parser.KBUILD)).isInstanceOf(LogspecParseException.class)
                .hasMessageStartingWith("re.error");

        String brace = "  CC      a{b.o\na{b.c:1:2: error: brace\nmake[1]: *** [Makefile:10: a{b.o] Error 1\n";
        assertThat(parse(brace, Parser.KBUILD).errors().get(0).attributes())
                .as("'{' that is no quantifier is literal in Python").containsEntry("src_file", "a{b.c");
    }
}
