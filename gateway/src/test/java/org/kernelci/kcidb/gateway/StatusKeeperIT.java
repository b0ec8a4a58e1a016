package org.kernelci.kcidb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelci.kcidb.contracts.events.SubmissionResult;
import org.kernelci.kcidb.contracts.kcidb.ObjectCounts;
import org.kernelci.kcidb.service.Backoff;

/**
 * The status keeper with a real broker and a spool whose {@code archive/} becomes unusable (a plain file in its place)
 * for several times {@code max.poll.interval.ms}: it keeps its place in the group, {@code /health} reports the
 * trouble, and once {@code archive/} is usable again every result is applied, without a restart. The times are
 * scaled down (a 3 s poll interval, 12 s of trouble, backoff up to 500 ms) so that the scenario of minutes runs in
 * seconds; what matters is the trouble outlasting the poll interval several times over.
 */
class StatusKeeperIT {
    private static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(3);
    private static final Duration TROUBLE = MAX_POLL_INTERVAL.multipliedBy(4);

    @TempDir
    Path spool;

    private GatewayFixture gw;

    @AfterEach
    void stop() {
        gw.close();
    }

    @Test
    void survivesAnUnusableArchiveFolderLongerThanThePollIntervalAndAppliesEveryResultOnceItIsBack() throws Exception {
        gw = new GatewayFixture(spool);
        GatewayConfig config = GatewayConfig.of("127.0.0.1", 0, spool, List.of(GatewayFixture.SECRET),
                        gw.kafkaSettings().withExtra(Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                                Long.toString(MAX_POLL_INTERVAL.toMillis()))))
                .withBackoff(new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), 2.0));
        gw.start(config);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(gw.submitOk("maestro", ("{\"version\":{\"major\":5,\"minor\":3},\"n\":" + i + "}")
                    .getBytes(StandardCharsets.UTF_8)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> gw.get("/health").statusCode() == 200);

        Path archive = spool.resolve("archive");
        Files.delete(archive);
        Files.writeString(archive, "not a directory");
        for (String id : ids) {
            gw.sendResult(SubmissionResult.processed(id, ObjectCounts.NONE, Instant.now()));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> gw.get("/health").statusCode() == 503);
        assertThat(gw.get("/health").body()).contains("status-keeper: failing for", "cannot apply the result");

        Instant troubleEnds = Instant.now().plus(TROUBLE);
        await().pollInterval(Duration.ofMillis(500)).atMost(TROUBLE.plusSeconds(10))
                .until(() -> Instant.now().isAfter(troubleEnds) && stillInTrouble(ids));
        assertThat(gw.get("/health").body()).as("it polled all along").doesNotContain("no poll");

        Files.delete(archive);
        Files.createDirectory(archive);
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(this::processed));
        await().atMost(Duration.ofSeconds(10)).until(() -> gw.get("/health").statusCode() == 200);

        // And the next result too: the keeper is the same, alive.
        String later = gw.submitOk("maestro", "{\"version\":{\"major\":5,\"minor\":3}}".getBytes(StandardCharsets.UTF_8));
        gw.sendResult(SubmissionResult.processed(later, ObjectCounts.NONE, Instant.now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> processed(later));
    }

    /** Every submission still waits, and /health says why. */
    private boolean stillInTrouble(List<String> ids) throws Exception {
        HttpResponse<String> health = gw.get("/health");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
        assertThat(health.body()).contains("status-keeper: failing for");
        for (String id : ids) {
            assertThat(gw.json(gw.status(id)).path("status").asText()).isEqualTo("ready");
        }
        return true;
    }

    private boolean processed(String id) {
        try {
            return gw.json(gw.status(id)).path("status").asText().equals("processed");
        } catch (Exception e) {
            return false;
        }
    }
}
