package org.kernelci.kcidb.logspec.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.logspec.engine.kcidb.KcidbRecord;
import org.kernelci.kcidb.logspec.engine.kcidb.KcidbRecords;
import org.kernelci.kcidb.logspec.engine.text.InputMode;
import org.kernelci.kcidb.logspec.engine.text.MalformedLogException;

/**
 * Cases the corpus lacks (issue 5): an empty log, invalid UTF-8, binary garbage, non-ASCII text in summaries and a clean
 * boot. CRLF logs, a log ending right after the kernel start line, reports without end markers and kselftest failures
 * are in {@link QuirksTest}, next to the quirks they show. Expected signatures are CPython digests of the expected fields.
 */
class OwnCasesTest {

    private static String publicJson(LogspecResult r) {
        return LogspecJson.render(LogspecJson.publicView(r), 4);
    }

    @Test
    void emptyLog() {
        for (Parser p : List.of(Parser.GENERIC_LINUX_BOOT, Parser.TEST_BASELINE, Parser.TEST_KSELFTEST)) {
            LogspecResult r = Logspec.analyze("", p);
            assertThat(publicJson(r)).isEqualTo("{\n    \"bootloader.done\": false,\n    \"errors\": []\n}\n");
            assertThat(r.signature()).isEqualTo("e602fca280d85d8e603f7c0aff68363bb0cd7993");
            assertThat(r.matchEnd()).isZero();
        }
        LogspecResult boot = Logspec.analyze("", Parser.GENERIC_LINUX_BOOT);
        assertThat(KcidbRecords.of(boot)).singleElement().extracting(KcidbRecord::errorSummary)
                .isEqualTo("Bootloader did not finish or kernel did not start.");

        LogspecResult kbuild = Logspec.analyze("", Parser.KBUILD);
        assertThat(publicJson(kbuild)).isEqualTo("{\n    \"errors\": []\n}\n");
        assertThat(kbuild.signature()).isNull();
        assertThat(KcidbRecords.of(kbuild)).isEmpty();

        // kernel_only is kernel_load alone, which needs a newline when there is no prompt (spec §3.2).
        assertThatThrownBy(() -> Logspec.analyze("", Parser.KERNEL_ONLY)).isInstanceOf(LogspecParseException.class)
                .hasMessageStartingWith("ValueError");
        assertThatThrownBy(() -> Logspec.analyze("", Parser.CHROMEBOOK_SINGLE_BOOT))
                .isInstanceOf(LogspecParseException.class).hasMessageStartingWith("KeyError");
    }

    private static final byte[] INVALID_UTF8 = concat("Starting kernel ...\n[    1.000000] foo: bad ",
            new byte[] {(byte) 0xFF, (byte) 0xFE}, " byte ", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            " failed with error -5\n");

    @Test
    void invalidUtf8IsReplacedPerMaximalSubpartInWorkerModeAndRefusedInFileMode() throws IOException {
        LogspecResult r = new Logspec(InputMode.WORKER).analyze(INVALID_UTF8, Parser.GENERIC_LINUX_BOOT);
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.errorSummary()).isEqualTo("bad \uFFFD\uFFFD byte \uFFFD\uFFFD\uFFFD failed with error -5");
            assertThat(e.signature()).isEqualTo("da792c374137e619839e7282ffd85c59b50a485b");
        });
        assertThatThrownBy(() -> new Logspec(InputMode.FILE).analyze(INVALID_UTF8, Parser.GENERIC_LINUX_BOOT))
                .isInstanceOf(MalformedLogException.class).hasMessageContaining("byte offset 44");
    }

    @Test
    void controlCharactersInSummariesAreEscapedAsPythonDoes() {
        LogspecResult r = Logspec.analyze("Starting kernel ...\n[    1.000000] x: \u0000\u0001\u001f\u007f failed error -3\n",
                Parser.GENERIC_LINUX_BOOT);
        LogspecError e = r.errors().get(0);
        assertThat(e.errorSummary()).isEqualTo("\u0000\u0001\u001f\u007f failed error -3");
        assertThat(e.signature()).isEqualTo("9bad5d065c088c5175d1e1d5568dac68f1541348");
        assertThat(LogspecJson.render(KcidbRecords.toJson(KcidbRecords.of(r)), 2))
                .contains("\"error_summary\": \"\\u0000\\u0001\\u001f\u007f failed error -3\"");
    }

    /** Random bytes: no parser may fail other than where the reference raises, and spilling changes nothing. */
    @Test
    void binaryGarbage() throws IOException {
        Random rnd = new Random(5);
        for (int sample = 0; sample < 4; sample++) {
            byte[] garbage = new byte[1 << 19];
            rnd.nextBytes(garbage);
            if (sample % 2 == 1) {
                byte[] marker = "\n[ 1.0] Kernel panic - not syncing: x\n[ 1.0] BUG: y\nmake: *** [a: b.o] Error 1\n"
                        .getBytes(StandardCharsets.UTF_8);
                System.arraycopy(marker, 0, garbage, 1000, marker.length);
            }
            for (Parser p : Parser.values()) {
                String inMemory = fullOrFailure(new Logspec(InputMode.WORKER), garbage, p);
                String spilled = fullOrFailure(new Logspec(InputMode.WORKER, 1024), garbage, p);
                assertThat(spilled).as("%s on sample %d", p, sample).isEqualTo(inMemory);
                assertThat(inMemory).as("%s on sample %d", p, sample)
                        .doesNotStartWith("internal:");
            }
        }
    }

    private static String fullOrFailure(Logspec logspec, byte[] log, Parser p) throws IOException {
        try {
            return LogspecJson.render(LogspecJson.fullView(logspec.analyze(log, p)), 2);
        } catch (LogspecParseException e) {
            assertThat(e.pythonError()).isIn("KeyError", "ValueError", "re.error");
            return e.getMessage();
        } catch (RuntimeException e) {
            return "internal: " + e;
        }
    }

    private static final String NON_ASCII = """
            Starting kernel ...
            [    0.000000] Linux version 6.1.0 (bob@ünïcødé) 😀
            [    1.000000] ------------[ cut here ]------------
            [    1.000001] WARNING: CPU: 0 PID: 1 at drivers/gpu/ドライバ.c:42 föö_probe+0x10/0x20
            [    1.000002] Modules linked in: ζeta alpha Ωmega beta
            [    1.000003] Hardware name: Café board 🙂
            [    1.000004] Call trace:
            [    1.000005]  föö_probe+0x10/0x20
            [    1.000006] ---[ end trace 0000000000000000 ]---
            [    2.000000] Ошибка: загрузка firmware failed with error -2
            / #\s
            """;

    @Test
    void nonAsciiTextInSummaries() throws IOException {
        LogspecResult r = new Logspec(InputMode.WORKER).analyze(NON_ASCII.getBytes(StandardCharsets.UTF_8),
                Parser.GENERIC_LINUX_BOOT);
        assertThat(r.errors()).hasSize(2);
        LogspecError warning = r.errors().get(0);
        assertThat(warning.attributes())
                .containsEntry("error_type", "linux.kernel.warning")
                .containsEntry("error_summary", "WARNING at drivers/gpu/ドライバ.c:42 föö_probe+0x10/0x20")
                .containsEntry("location", "drivers/gpu/ドライバ.c:42 föö_probe+0x10/0x20")
                .containsEntry("hardware", "Café board 🙂")
                .containsEntry("call_trace", List.of("föö_probe+0x10/0x20"))
                // sorted() compares code points: Ω (U+03A9) before ζ (U+03B6), both after ASCII.
                .containsEntry("modules", List.of("alpha", "beta", "Ωmega", "ζeta"));
        assertThat(warning.signature()).isEqualTo("ef3a4a57560ab5e2f5cffba0d85b5396d759a49c");
        LogspecError firmware = r.errors().get(1);
        assertThat(firmware.errorSummary()).isEqualTo("загрузка firmware failed with error -2");
        assertThat(firmware.signature()).isEqualTo("666e6b716ea32b6e3f6c643efb3fc7c44738b4fb");
        // _match_end counts code points as Python does: the two emoji before the prompt are one each, not two.
        assertThat(r.matchEnd()).isEqualTo(485);
        assertThat(NON_ASCII.indexOf("/ #") + 3).isEqualTo(487);
        assertThat(LogspecJson.render(LogspecJson.publicView(r), 4)).contains("\"hardware\": \"Café board 🙂\"");
    }

    private static final String CLEAN_BOOT = """
            U-Boot SPL 2024.01
            Starting kernel ...

            [    0.000000] Booting Linux on physical CPU 0x0
            [    0.000000] Linux version 6.6.0
            [    1.000000] Run /init as init process
            / # /opt/kernelci/dmesg.sh emerg
            kern  :emerg : call_irq_handler: 2.55 No irq handler for vector
            / # /opt/kernelci/dmesg.sh alert
            kern  :alert : outside the window
            """;

    @Test
    void cleanBoot() {
        LogspecResult r = Logspec.analyze(CLEAN_BOOT, Parser.GENERIC_LINUX_BOOT);
        assertThat(publicJson(r)).isEqualTo("""
                {
                    "bootloader.done": true,
                    "errors": [],
                    "linux.boot.kernel_started": true,
                    "linux.boot.prompt": true
                }
                """);
        assertThat(r.signature()).isEqualTo("721516cb40a17ba5aaddc2e6e410d3eec5c49fc6");
        // The worker only analyses failed boots: reaching the prompt makes it an "unclean boot", and PASS.
        assertThat(KcidbRecords.of(r)).singleElement().satisfies(rec -> {
            assertThat(rec.errorSummary()).isEqualTo("WARNING: Unclean boot. Reached prompt but marked as failed.");
            assertThat(rec.signature()).isEqualTo("721516cb40a17ba5aaddc2e6e410d3eec5c49fc6");
            assertThat(rec.signatureLoc()).isNull();
            assertThat(rec.error()).containsEntry("signature_fields",
                    List.of("bootloader.done", "linux.boot.prompt", "linux.boot.kernel_started"));
            assertThat(rec.isIssueCandidate()).isTrue();
        });
        assertThat(KcidbRecords.statusOverride(r)).contains("PASS");
    }

    @Test
    void baselineReportsKernLinesBetweenTheTwoDmesgCalls() {
        LogspecResult r = Logspec.analyze(CLEAN_BOOT, Parser.TEST_BASELINE);
        assertThat(r.flags()).containsEntry("test.baseline.start", true);
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.pythonClass()).isEqualTo("TestError");
            assertThat(e.errorType()).isEqualTo("test.baseline.dmesg");
            assertThat(e.errorSummary()).isEqualTo("emerg : call_irq_handler: 2.55 No irq handler for vector");
            assertThat(e.report()).isEmpty();
            assertThat(e.signature()).isEqualTo("23be577fc5df994926294b5d8eb74c1ada6f57f7");
        });
        assertThat(r.signature()).isEqualTo("35829ad53f5e896dae12e5fd5cdee0d582e5bfbe");
        assertThat(r.matchEnd()).isEqualTo(CLEAN_BOOT.lastIndexOf("dmesg.sh") + "dmesg.sh".length());
        assertThat(KcidbRecords.of(r)).as("no boot pseudo-error outside generic_linux_boot").hasSize(1);
    }

    private static byte[] concat(Object... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Object p : parts) {
            byte[] b = p instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) p;
            out.writeBytes(b);
        }
        return out.toByteArray();
    }
}
