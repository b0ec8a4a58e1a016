package org.kernelci.kcidb.logspec.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A 200 MB boot log parsed by a child JVM whose heap is capped at {@value #HEAP}: the text spills to disk and is read
 * through a bounded page cache, so the heap needed does not grow with the log (issue 5, "Robustness").
 */
class BoundedMemoryTest {

    private static final Logger LOG = LoggerFactory.getLogger(BoundedMemoryTest.class);
    private static final String HEAP = "64m";
    private static final long TARGET_BYTES = 200L << 20;

    @Test
    void twoHundredMegabyteLogParsesInASixtyFourMegabyteHeap(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("boot-200mb.log");
        int expectedErrors = writeBootLog(log);
        assertThat(Files.size(log)).isGreaterThanOrEqualTo(TARGET_BYTES);

        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + HEAP, "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + dir,
                "-cp", System.getProperty("java.class.path"),
                BoundedMemoryProbe.class.getName(), log.toString(), "generic_linux_boot", "kbuild"));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        child.waitFor(10, TimeUnit.MINUTES);
        LOG.info("200 MB log in a {} heap:\n{}", HEAP, out);

        assertThat(child.exitValue()).as(out).isZero();
        assertThat(out).contains("parser=generic_linux_boot errors=" + expectedErrors
                + " signature=721516cb40a17ba5aaddc2e6e410d3eec5c49fc6");
        assertThat(out).contains("parser=kbuild errors=0 signature=null");
        assertThat(out).contains("maxHeapBytes=");
    }

    /**
     * Writes a boot log of at least {@link #TARGET_BYTES}: routine kernel lines, an "error -2" line every 4096 lines and
     * a terminated WARNING every 65536 lines, then the prompt. Returns the number of errors logspec reports.
     */
    private static int writeBootLog(Path log) throws IOException {
        int errors = 0;
        long written = 0;
        try (BufferedWriter w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            w.write("U-Boot 2024.01\nStarting kernel ...\n[    0.000000] Booting Linux on physical CPU 0x0\n");
            for (long i = 1; written < TARGET_BYTES; i++) {
                String ts = String.format("[%5d.%06d] ", i / 1_000_000, i % 1_000_000);
                String line;
                if (i % 65_536 == 0) {
                    line = ts + "------------[ cut here ]------------\n"
                            + ts + "WARNING: CPU: 0 PID: 1 at drivers/foo.c:" + (i % 7) + " foo_probe+0x10/0x20\n"
                            + ts + "Modules linked in: b a\n"
                            + ts + "Hardware name: Generated board\n"
                            + ts + "Call trace:\n"
                            + ts + " foo_probe+0x10/0x20\n"
                            + ts + "---[ end trace 0000000000000000 ]---\n";
                    errors++;
                } else if (i % 4096 == 0) {
                    line = ts + "platform regulatory.0: Direct firmware load for fw" + (i % 13) + ".bin failed with error -2\n";
                    errors++;
                } else {
                    line = ts + "usb 1-1: new high-speed USB device number " + (i % 100) + " using ehci-platform\n";
                }
                w.write(line);
                written += line.length();
            }
            w.write("/ # \n");
        }
        return errors;
    }
}
