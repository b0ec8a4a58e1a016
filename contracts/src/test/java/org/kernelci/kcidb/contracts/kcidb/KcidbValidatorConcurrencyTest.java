package org.kernelci.kcidb.contracts.kcidb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * One shared facade (and so one set of Vert.x validators) used from several threads gives each thread the same
 * verdicts as a lone thread does. This backs the thread-safety claim of {@link KcidbValidator}.
 */
class KcidbValidatorConcurrencyTest {
    private static final int THREADS = 4;
    private static final int ROUNDS = 25;

    @Test
    void sharedValidatorsGiveTheSameVerdictsOnEveryThread() throws Exception {
        KcidbSubmissions submissions = KcidbSubmissions.create();
        List<byte[]> bodies = bodies();
        List<String> expected = new ArrayList<>();
        for (byte[] body : bodies) {
            expected.add(describe(submissions.check(body)));
        }

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int offset = t;
                Callable<List<String>> worker = () -> {
                    start.await();
                    List<String> mismatches = new ArrayList<>();
                    for (int round = 0; round < ROUNDS; round++) {
                        // Each thread walks the bodies from a different starting point, so they overlap.
                        for (int i = 0; i < bodies.size(); i++) {
                            int k = (i + offset * 3 + round) % bodies.size();
                            String got = describe(submissions.check(bodies.get(k)));
                            if (!got.equals(expected.get(k))) {
                                mismatches.add(k + ": " + got);
                            }
                        }
                    }
                    return mismatches;
                };
                results.add(pool.submit(worker));
            }
            start.countDown();
            for (Future<List<String>> result : results) {
                assertThat(result.get()).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String describe(Verdict verdict) {
        return switch (verdict) {
            case Verdict.Accepted a -> "accepted " + a.declared() + " " + a.counts() + " " + a.upgraded().hashCode();
            case Verdict.Rejected r -> r.reason() + " " + r.message() + " " + r.violations();
        };
    }

    private static List<byte[]> bodies() {
        List<String> json = List.of(
                "{\"version\": {\"major\": 5, \"minor\": 3}}",
                "{\"version\": {\"major\": 5, \"minor\": 3}, \"tests\": [{\"id\": \"a:1\", \"build_id\": \"a:b\","
                        + " \"origin\": \"a\", \"path\": \"a..b\", \"status\": \"pass\", \"log_url\": \"x y\"}]}",
                "{\"version\": {\"major\": 4, \"minor\": 5}, \"tests\": [{\"id\": \"a:1\", \"build_id\": \"a:b\","
                        + " \"origin\": \"a\", \"waived\": true}]}",
                "{\"version\": {\"major\": 4, \"minor\": 5}, \"tests\": [{\"id\": \"a:1\", \"build_id\": \"a:b\","
                        + " \"origin\": \"a\", \"path\": \"a..b\"}]}",
                "{\"version\": {\"major\": 5.0, \"minor\": 3}}",
                "{\"version\": \"1\", \"revisions\": [{\"origin\": \"a\", \"origin_id\": \"x\"}]}",
                "{\"version\": {\"major\": 5}, \"checkouts\": [{\"id\": \"a:1\", \"origin\": \"a\","
                        + " \"start_time\": \"2025-05-20T08:40:00\", \"message_id\": \"<m@k.org>\"}]}",
                "[1, 2, 3]",
                "{\"version\": {\"major\": 5, \"minor\": 3}, \"checkouts\": [{\"id\": \"a:1\", \"origin\": \"a\\r\\n\"}]}",
                "not json");
        List<byte[]> bodies = new ArrayList<>();
        json.forEach(j -> bodies.add(j.getBytes(StandardCharsets.UTF_8)));
        bodies.add(new SyntheticSubmissions(new ObjectMapper()).bytes(200_000));
        return bodies;
    }
}
