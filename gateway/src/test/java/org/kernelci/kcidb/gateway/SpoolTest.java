package org.kernelci.kcidb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelci.kcidb.contracts.cli.ConfigException;

class SpoolTest {
    private static final Instant AT = Instant.parse("2026-06-01T12:00:00.123456Z");

    @TempDir
    Path dir;

    private static InputStream body(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static SpooledSubmission put(Spool spool, String id, String json, Optional<String> origin) throws Exception {
        try (Spool.Upload up = spool.upload(id, origin, AT)) {
            up.receive(body(json), 1000, JsonStreamChecker.OriginGuard.ANY);
            return up.commit();
        }
    }

    @Test
    void receivesDurablyAndReportsEveryState() throws Exception {
        Spool spool = new Spool(dir);
        assertThat(spool.state("abc")).isEqualTo(SpoolState.NOTFOUND);
        SpooledSubmission s = put(spool, "abc", "{\"version\":{\"major\":5}}", Optional.of("maestro"));
        assertThat(s.size()).isEqualTo(23);
        assertThat(s.sha256()).hasSize(64);
        assertThat(Files.readString(dir.resolve("submission-abc.json"))).isEqualTo("{\"version\":{\"major\":5}}");
        assertThat(spool.state("abc")).isEqualTo(SpoolState.READY);
        assertThat(spool.countJsonFiles()).isEqualTo(1);

        assertThat(spool.archive("abc")).isTrue();
        assertThat(spool.state("abc")).isEqualTo(SpoolState.PROCESSED);
        assertThat(spool.archive("abc")).as("applying twice is harmless").isFalse();

        put(spool, "def", "{}", Optional.empty());
        assertThat(spool.fail("def", "{\"reason\":\"schema_violation\"}".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(spool.state("def")).isEqualTo(SpoolState.FAILED);
        assertThat(new String(spool.failureReasonOf("def").orElseThrow(), StandardCharsets.UTF_8)).contains("schema_violation");

        Files.writeString(dir.resolve("submission-ghi.json.temp"), "{");
        assertThat(spool.state("ghi")).isEqualTo(SpoolState.INPROGRESS);
    }

    @Test
    void aCommittedSubmissionIsOwedUntilPublishedWithItsMetadata() throws Exception {
        Spool spool = new Spool(dir);
        SpooledSubmission s = put(spool, "abc", "{\"a\":1}", Optional.of("maestro"));
        assertThat(spool.owed()).containsExactly("abc");
        assertThat(spool.countJsonFiles()).as("markers are not *.json in the spool root").isEqualTo(1);
        assertThat(spool.owedSubmission("abc")).contains(s);
        spool.published("abc");
        assertThat(spool.owed()).isEmpty();
        assertThat(spool.state("abc")).isEqualTo(SpoolState.READY);
    }

    @Test
    void aDamagedMarkerIsRecomputedFromTheFileAndAStaleOneDropped() throws Exception {
        Spool spool = new Spool(dir);
        SpooledSubmission s = put(spool, "abc", "{\"a\":1}", Optional.of("maestro"));
        Files.write(spool.marker("abc"), new byte[0]); // as a crash may leave it
        SpooledSubmission recovered = spool.owedSubmission("abc").orElseThrow();
        assertThat(recovered.sha256()).isEqualTo(s.sha256());
        assertThat(recovered.size()).isEqualTo(s.size());
        assertThat(recovered.receivedAt()).as("the file's mtime stands for the receive time")
                .isEqualTo(Files.getLastModifiedTime(spool.ready("abc")).toInstant());
        assertThat(recovered.origin()).isEmpty();

        Files.createFile(spool.marker("gone")); // a crash between marker and rename
        assertThat(spool.owedSubmission("gone")).isEmpty();
        assertThat(spool.owed()).containsExactly("abc");
    }

    @Test
    void anUploadInProgressKeepsItsMarkerUntilItIsCommittedOrAbandoned() throws Exception {
        Spool spool = new Spool(dir);
        try (Spool.Upload up = spool.upload("busy", Optional.of("maestro"), AT)) {
            assertThat(spool.owedSubmission("busy")).as("a relay scan during the upload").isEmpty();
            assertThat(spool.owed()).containsExactly("busy");
            up.receive(body("{}"), 1000, JsonStreamChecker.OriginGuard.ANY);
            up.commit();
        }
        assertThat(spool.owedSubmission("busy")).isPresent();
        try (Spool.Upload stale = spool.upload("stale", Optional.empty(), AT)) {
            assertThat(stale.file()).isEqualTo(spool.temp("stale"));
            Files.setLastModifiedTime(spool.temp("stale"), java.nio.file.attribute.FileTime.from(
                    Instant.now().minus(Spool.ABANDONED).minusSeconds(60)));
            assertThat(spool.owedSubmission("stale")).isEmpty();
            assertThat(spool.state("stale")).as("a day-old upload is abandoned").isEqualTo(SpoolState.NOTFOUND);
            assertThat(spool.owed()).containsExactly("busy");
        }
    }

    @Test
    void adoptsReadyFilesFromBeforeTheOutboxOnce() throws Exception {
        Files.writeString(dir.resolve("submission-old1.json"), "{}");
        Files.writeString(dir.resolve("submission-old2.json"), "{}");
        Spool spool = new Spool(dir);
        assertThat(spool.adoptLegacyReadyFiles()).isEqualTo(2);
        assertThat(spool.owed()).containsExactlyInAnyOrder("old1", "old2");
        spool.published("old1");
        assertThat(spool.adoptLegacyReadyFiles()).as("only at the first start").isEqualTo(-1);
        assertThat(spool.owed()).containsExactly("old2");
        assertThat(new Spool(dir).spoolId()).as("the spool keeps its identity").isEqualTo(spool.spoolId());
    }

    @Test
    void leavesNothingBehindWhenTheBodyIsMalformedOrTooLargeOrRefused() throws Exception {
        Spool spool = new Spool(dir);
        try (Spool.Upload up = spool.upload("bad", Optional.empty(), AT)) {
            assertThatThrownBy(() -> up.receive(body("{\"a\":"), 1000, JsonStreamChecker.OriginGuard.ANY))
                    .isInstanceOf(MalformedBodyException.class);
        }
        try (Spool.Upload up = spool.upload("big", Optional.empty(), AT)) {
            assertThatThrownBy(() -> up.receive(body("[" + "1,".repeat(600) + "1]"), 1000, JsonStreamChecker.OriginGuard.ANY))
                    .isInstanceOf(BodyTooLargeException.class);
        }
        try (Spool.Upload up = spool.upload("refused", Optional.empty(), AT)) {
            up.receive(body("{}"), 1000, JsonStreamChecker.OriginGuard.ANY);
            // closed without commit, as when origins or validation refuse it
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("archive", "failed", "outbox", ".spool-id");
        }
        assertThat(spool.owed()).isEmpty();
    }

    @Test
    void refusesAMissingDirectoryAtStartUp() {
        assertThatThrownBy(() -> new Spool(dir.resolve("nope"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("does not exist");
    }
}
