package org.kernelci.kcidb.logspec.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kernelci.kcidb.logspec.engine.Logspec;
import org.kernelci.kcidb.logspec.engine.LogspecResult;
import org.kernelci.kcidb.logspec.engine.Parser;
import org.kernelci.kcidb.logspec.engine.kcidb.KcidbRecords;
import org.kernelci.kcidb.logspec.engine.text.InputMode;
import org.kernelci.kcidb.logspec.engine.text.LogReader;
import org.kernelci.kcidb.logspec.engine.text.LogText;

/**
 * Timed batch run over the reference corpus, one process, after warm-up: MB/s per parser (MB = 10^6 bytes of log as
 * stored). "end-to-end" goes from the bytes in memory to the KCIDB records (decode, parse, signatures); "parse" starts
 * from decoded text, as the Python figure (about 8 MB/s warm) starts from a {@code str}. Run by {@code bench/logspec/run.sh}.
 *
 * <p>Usage: {@code CorpusBench CORPUS_DIR [SECONDS_PER_MEASUREMENT]}. Prints a table on standard output.
 */
public final class CorpusBench {

    private record Log(Parser parser, byte[] bytes, LogText text) {
    }

    private CorpusBench() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: CorpusBench CORPUS_DIR [SECONDS_PER_MEASUREMENT]");
            System.exit(2);
        }
        Path corpus = Path.of(args[0]);
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3.0;
        Map<Parser, List<Log>> byParser = new LinkedHashMap<>();
        List<String> manifest = Files.readAllLines(corpus.resolve("manifest.tsv"));
        for (String line : manifest.subList(1, manifest.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            Parser parser = Parser.byId(f[1]).orElseThrow();
            byte[] bytes = Files.readAllBytes(corpus.resolve(f[0]));
            byParser.computeIfAbsent(parser, k -> new ArrayList<>())
                    .add(new Log(parser, bytes, LogReader.decode(bytes, InputMode.WORKER)));
        }
        List<Log> all = byParser.values().stream().flatMap(List::stream).toList();

        System.out.printf(Locale.ROOT, "logspec Java port, %s %s, %d cores, %.1f s per measurement after %.1f s warm-up%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), seconds, seconds * 2);
        // Warm-up: everything, both ways, so the JIT has seen every path before any figure is taken.
        measure(all, true, seconds * 2);
        System.out.printf(Locale.ROOT, "%-20s %5s %10s %14s %14s%n", "parser", "logs", "MB", "parse MB/s", "end-to-end MB/s");
        for (Map.Entry<Parser, List<Log>> e : byParser.entrySet()) {
            row(e.getKey().id(), e.getValue(), seconds);
        }
        row("whole corpus", all, seconds);
    }

    private static void row(String name, List<Log> logs, double seconds) throws IOException {
        long bytes = logs.stream().mapToLong(l -> l.bytes().length).sum();
        double parse = measure(logs, false, seconds);
        double endToEnd = measure(logs, true, seconds);
        System.out.printf(Locale.ROOT, "%-20s %5d %10.2f %14.1f %14.1f%n", name, logs.size(), bytes / 1e6, parse, endToEnd);
    }

    /** MB/s over repeated passes through {@code logs} for about {@code seconds}. */
    private static double measure(List<Log> logs, boolean fromBytes, double seconds) throws IOException {
        Logspec logspec = new Logspec(InputMode.WORKER);
        long budget = (long) (seconds * 1e9);
        long start = System.nanoTime();
        long bytes = 0;
        long sink = 0;
        do {
            for (Log log : logs) {
                LogspecResult r = fromBytes ? logspec.analyze(log.bytes(), log.parser()) : Logspec.analyze(log.text(),
                        log.parser());
                sink += KcidbRecords.of(r).size() + (r.signature() == null ? 0 : r.signature().hashCode());
                bytes += log.bytes().length;
            }
        } while (System.nanoTime() - start < budget);
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (sink == 42) {
            System.out.print("");
        }
        return bytes / 1e6 / elapsed;
    }
}
