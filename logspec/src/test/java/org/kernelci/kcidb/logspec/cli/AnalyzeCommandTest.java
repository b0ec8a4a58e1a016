package org.kernelci.kcidb.logspec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AnalyzeCommandTest {

    private static final String BOOT = "Starting kernel ...\n[    1.000000] foo: probe of bar failed with error -22\n/ # \n";

    private record Run(int exit, String out, String err) {
    }

    private static Run run(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        CommandLine cmd = new CommandLine(new AnalyzeCommand(new ByteArrayInputStream(stdin),
                new PrintStream(out, true, StandardCharsets.UTF_8), errStream));
        cmd.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cmd.setErr(new PrintWriter(errStream, true, StandardCharsets.UTF_8));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run run(String... args) {
        return run(new byte[0], args);
    }

    @Test
    void printsThePublicShapeByDefault(@TempDir Path dir) throws IOException {
        Path log = Files.writeString(dir.resolve("boot.log"), BOOT);
        Run r = run("--parser", "generic_linux_boot", log.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("""
                {
                    "bootloader.done": true,
                    "errors": [
                        {
                            "error_summary": "probe of bar failed with error -22",
                            "error_type": "linux.kernel.error_return_code"
                        }
                    ],
                    "linux.boot.kernel_started": true,
                    "linux.boot.prompt": true
                }
                """);
    }

    @Test
    void printsTheFullAndKcidbShapes(@TempDir Path dir) throws IOException {
        Path log = Files.writeString(dir.resolve("boot.log"), BOOT);
        Run full = run("--parser", "generic_linux_boot", "--format", "full", log.toString());
        assertThat(full.exit()).isZero();
        assertThat(full.out()).startsWith("{\n  \"_match_end\": ").contains("\"_signature\": \"721516cb")
                .contains("\"_report\": \"[    1.000000] foo: probe of bar failed with error -22\"")
                .contains("\"_class\": \"ErrorReturnCode\"");
        Run kcidb = run("--parser", "generic_linux_boot", "--format", "kcidb", log.toString());
        assertThat(kcidb.exit()).isZero();
        assertThat(kcidb.out()).startsWith("[\n  {\n    \"error\": {")
                .contains("\"error_summary\": \"WARNING: Unclean boot. Reached prompt but marked as failed.\"")
                .contains("\"signature_loc\": ").contains("\"version\": \"1.0.0\"").endsWith("]\n");
    }

    @Test
    void recognisesGzipByItsMagicBytesAndReadsStandardInput(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(BOOT.getBytes(StandardCharsets.UTF_8));
        }
        Path log = Files.write(dir.resolve("boot.txt"), gz.toByteArray());
        String expected = run("--parser", "generic_linux_boot", Files.writeString(dir.resolve("plain"), BOOT).toString()).out();
        assertThat(run("--parser", "generic_linux_boot", log.toString()).out()).isEqualTo(expected);
        assertThat(run(gz.toByteArray(), "--parser", "generic_linux_boot", "-").out()).isEqualTo(expected);
    }

    @Test
    void badInputGivesAMessageAndANonZeroExitNeverAStackTrace(@TempDir Path dir) throws IOException {
        Run missing = run("--parser", "kbuild", dir.resolve("nope.log").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("no such file").doesNotContain("Exception").doesNotContain("\tat ");

        Run directory = run("--parser", "kbuild", dir.toString());
        assertThat(directory.exit()).isEqualTo(1);
        assertThat(directory.err()).contains("is a directory");

        Path log = Files.writeString(dir.resolve("boot.log"), BOOT);
        Run parser = run("--parser", "nonsense", log.toString());
        assertThat(parser.exit()).isEqualTo(2);
        assertThat(parser.err()).contains("unknown parser 'nonsense'").contains("generic_linux_boot");

        Run format = run("--parser", "kbuild", "--format", "yaml", log.toString());
        assertThat(format.exit()).isEqualTo(2);
        assertThat(format.err()).contains("unknown format 'yaml'");

        Run noParser = run(log.toString());
        assertThat(noParser.exit()).isEqualTo(2);
        assertThat(noParser.err()).contains("Missing required option: '--parser=P'");
    }

    @Test
    void logsTheReferenceCannotParseAreRefusedWithItsError(@TempDir Path dir) throws IOException {
        Path log = Files.writeString(dir.resolve("short.log"), "U-Boot\nStarting kernel ...");
        Run r = run("--parser", "generic_linux_boot", log.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("ValueError").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void fileInputModeRefusesInvalidUtf8(@TempDir Path dir) throws IOException {
        Path log = Files.write(dir.resolve("bad.log"), new byte[] {'o', 'k', '\n', (byte) 0xC3, '(', '\n'});
        Run worker = run("--parser", "kbuild", log.toString());
        assertThat(worker.exit()).isZero();
        Run file = run("--parser", "kbuild", "--input-mode", "file", log.toString());
        assertThat(file.exit()).isEqualTo(1);
        assertThat(file.err()).contains("invalid UTF-8 at byte offset 3");
    }

    @Test
    void helpDescribesTheCommand() {
        Run r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--parser=P").contains("--format=F").contains("standard").contains("input");
    }
}
