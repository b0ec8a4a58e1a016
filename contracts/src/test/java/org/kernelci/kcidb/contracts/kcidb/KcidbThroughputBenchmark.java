package org.kernelci.kcidb.contracts.kcidb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.contracts.kcidb.KcidbValidator.PatternMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throughput of parse + validate + upgrade, printed only (no assertions: timings on shared machines are noise).
 * Not part of the normal build (the name does not end in Test); run it with
 * {@code mvn -B -q -pl contracts test -Dtest=KcidbThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false},
 * and again with {@code JAVA_TOOL_OPTIONS=-XX:-DontCompileHugeMethods} in the environment to see the effect of
 * letting HotSpot compile Vert.x's validate method. Configurations are measured in interleaved passes so that
 * load from other processes spreads over all of them.
 */
class KcidbThroughputBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(KcidbThroughputBenchmark.class);
    private static final int SYNTHETIC_BYTES = 5 * 1024 * 1024;
    private static final int PASSES = 4;
    private static final int ROUNDS_PER_PASS = 5;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void measure() throws Exception {
        byte[] synthetic = new SyntheticSubmissions(mapper).bytes(SYNTHETIC_BYTES);
        List<byte[]> real = realCorpus();
        long realBytes = real.stream().mapToLong(b -> b.length).sum();
        LOG.info("synthetic v5.3 document: {} bytes, {} tests; real corpus: {} files, {} bytes", synthetic.length,
                new KcidbJson().parse(synthetic).get("tests").size(), real.size(), realBytes);

        KcidbJson json = new KcidbJson();
        KcidbUpgrader upgrader = new KcidbUpgrader();
        JsonNode parsed = json.parse(synthetic);
        Map<String, Measured> work = new LinkedHashMap<>();
        work.put("parse only (synthetic)", new Measured(synthetic.length, () -> json.parse(synthetic)));
        work.put("upgrade only, copying v5.3 (synthetic)",
                new Measured(synthetic.length, () -> upgrader.upgrade(parsed, SchemaVersion.V5_3)));
        for (PatternMode mode : PatternMode.values()) {
            KcidbValidator validator = new KcidbValidator(mode, KcidbValidator.DEFAULT_MAX_VIOLATIONS);
            KcidbSubmissions submissions = new KcidbSubmissions(json, validator, upgrader);
            if (!submissions.check(synthetic).accepted()) {
                throw new IllegalStateException("synthetic document refused: " + submissions.check(synthetic));
            }
            work.put("validate only, " + mode + " (synthetic)",
                    new Measured(synthetic.length, () -> validator.validate(parsed)));
            work.put("check(bytes), " + mode + " (synthetic)",
                    new Measured(synthetic.length, () -> submissions.check(synthetic)));
            if (!real.isEmpty()) {
                work.put("check(bytes), " + mode + " (13 real submissions)", new Measured(realBytes, () -> {
                    real.forEach(submissions::check);
                    return null;
                }));
            }
        }
        for (Measured m : work.values()) {
            m.run(2); // warm-up
        }
        for (int pass = 0; pass < PASSES; pass++) {
            for (Measured m : work.values()) {
                m.sample(ROUNDS_PER_PASS);
            }
        }
        work.forEach((what, m) -> LOG.info(m.report(what)));
        uriCheckCost();
    }

    /** The URI format check alone: the RFC 3986 grammar as one regex against the hand-written scanner. */
    private static void uriCheckCost() {
        Pattern grammar = Pattern.compile("^" + ReferenceFormats.UriGrammar.uri() + "$", Pattern.UNIX_LINES);
        String[] urls = {"https://files.kernelci.org/test-123-4/lava_log.txt",
            "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git",
            "https://storage.tuxsuite.com/public/clangbuiltlinux/builds/2KtyFbORDouvFKy49kQtfgCmcac/config"};
        double regexNs = 0;
        double scannerNs = 0;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            int hits = 0;
            for (int i = 0; i < 200_000; i++) {
                hits += grammar.matcher(urls[i % urls.length]).find() ? 1 : 0;
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < 200_000; i++) {
                hits += ReferenceFormats.isUri(urls[i % urls.length]) ? 1 : 0;
            }
            long t2 = System.nanoTime();
            regexNs = (t1 - t0) / 200_000.0;
            scannerNs = (t2 - t1) / 200_000.0;
            if (hits != 400_000) {
                throw new IllegalStateException("URI checks disagree");
            }
        }
        LOG.info(String.format("uri check per URL: grammar regex %.0f ns, scanner %.0f ns", regexNs, scannerNs));
    }

    private static List<byte[]> realCorpus() throws IOException {
        Optional<Path> shared = SharedDir.find();
        List<byte[]> files = new ArrayList<>();
        if (shared.isEmpty()) {
            LOG.warn("shared folder absent: real corpus not measured");
            return files;
        }
        try (Stream<Path> paths = Files.list(shared.get().resolve("corpus/kcidb/real"))) {
            for (Path p : paths.filter(p -> !p.toString().endsWith(".verdict.json")).sorted().toList()) {
                files.add(Files.readAllBytes(p));
            }
        }
        return files;
    }

    @FunctionalInterface
    private interface Work {
        Object run() throws Exception;
    }

    private static final class Measured {
        private final long bytes;
        private final Work work;
        private final List<Long> nanos = new ArrayList<>();

        Measured(long bytes, Work work) {
            this.bytes = bytes;
            this.work = work;
        }

        void run(int times) throws Exception {
            for (int i = 0; i < times; i++) {
                work.run();
            }
        }

        void sample(int times) throws Exception {
            for (int i = 0; i < times; i++) {
                long start = System.nanoTime();
                work.run();
                nanos.add(System.nanoTime() - start);
            }
        }

        String report(String what) {
            List<Long> sorted = nanos.stream().sorted().toList();
            double mb = bytes / 1e6;
            double median = sorted.get(sorted.size() / 2) / 1e9;
            double best = sorted.get(0) / 1e9;
            return String.format("%-52s median %6.1f MB/s (%6.1f ms), best %6.1f MB/s", what, mb / median,
                    median * 1e3, mb / best);
        }
    }
}
