package org.kernelci.kcidb.contracts.kcidb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.contracts.kcidb.KcidbValidator.PatternMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throughput of parse + validate + upgrade, printed only (no assertions: timings on shared machines are noise).
 * Not part of the normal build (the name does not end in Test); run it with
 * {@code mvn -B -q -pl contracts test -Dtest=KcidbThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class KcidbThroughputBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(KcidbThroughputBenchmark.class);
    private static final int SYNTHETIC_BYTES = 5 * 1024 * 1024;
    private static final int ROUNDS = 12;
    private static final int WARMUP_ROUNDS = 6;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void measure() throws Exception {
        byte[] synthetic = new SyntheticSubmissions(mapper).bytes(SYNTHETIC_BYTES);
        List<byte[]> real = realCorpus();
        long realBytes = real.stream().mapToLong(b -> b.length).sum();
        LOG.info("synthetic v5.3 document: {} bytes; real corpus: {} files, {} bytes", synthetic.length,
                real.size(), realBytes);

        KcidbJson json = new KcidbJson();
        KcidbUpgrader upgrader = new KcidbUpgrader();
        JsonNode parsed = json.parse(synthetic);
        report("parse only (synthetic)", synthetic.length, () -> json.parse(synthetic));
        report("upgrade only, v5.3 copy (synthetic)", synthetic.length,
                () -> upgrader.upgrade(parsed, SchemaVersion.V5_3));
        for (PatternMode mode : PatternMode.values()) {
            KcidbValidator validator = new KcidbValidator(mode, KcidbValidator.DEFAULT_MAX_VIOLATIONS);
            KcidbSubmissions submissions = new KcidbSubmissions(json, validator, upgrader);
            Verdict check = submissions.check(synthetic);
            if (!check.accepted()) {
                throw new IllegalStateException("synthetic document refused: " + check);
            }
            report("validate only, " + mode + " (synthetic)", synthetic.length, () -> validator.validate(parsed));
            report("parse+validate+upgrade, " + mode + " (synthetic)", synthetic.length,
                    () -> submissions.check(synthetic));
            if (!real.isEmpty()) {
                report("parse+validate+upgrade, " + mode + " (real corpus)", realBytes, () -> {
                    for (byte[] body : real) {
                        submissions.check(body);
                    }
                    return null;
                });
            }
        }
    }

    private static void report(String what, long bytes, Work work) throws Exception {
        for (int i = 0; i < WARMUP_ROUNDS; i++) {
            work.run();
        }
        long[] nanos = new long[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            long start = System.nanoTime();
            work.run();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        double mb = bytes / 1e6;
        LOG.info(String.format("%-58s median %7.1f MB/s (%6.1f ms), best %7.1f MB/s", what,
                mb / (nanos[ROUNDS / 2] / 1e9), nanos[ROUNDS / 2] / 1e6, mb / (nanos[0] / 1e9)));
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
}
