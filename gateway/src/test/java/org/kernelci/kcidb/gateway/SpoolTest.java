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
import org.kernelci.kcidb.testsupport.TestClock;

class SpoolTest {
    private static final Instant AT = Instant.parse("2026-06-01T12:00:00.123456Z");

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.now());

    private static InputStream body(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static SpooledSubmission put(Spool spool, String id, String json, Optional<String> origin) throws Exception {
        try (SpoolUpload up = spool.upload(id, origin, AT)) {
            up.receive(body(json), 1000, JsonStreamChecker.OriginGuard.ANY);
            return up.commit();
        }
    }

    @Test
    void receivesDurablyAndReportsEveryState() throws Exception {
        Spool spool = new Spool(dir, clock);
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
        Spool spool = new Spool(dir, clock);
        SpooledSubmission s = put(spool, "abc", "{\"a\":1}", Optional.of("maestro"));
        assertThat(spool.outbox().owed()).containsExactly("abc");
        assertThat(spool.countJsonFiles()).as("markers are not *.json in the spool root").isEqualTo(1);
        assertThat(spool.outbox().owedSubmission("abc")).contains(s);
        spool.outbox().published("abc");
        assertThat(spool.outbox().owed()).isEmpty();
        assertThat(spool.state("abc")).isEqualTo(SpoolState.READY);
    }

    @Test
    void aDamagedMarkerIsRecomputedFromTheFileAndAStaleOneDropped() throws Exception {
        Spool spool = new Spool(dir, clock);
        SpooledSubmission s = put(spool, "abc", "{\"a\":1}", Optional.of("maestro"));
        Files.write(spool.layout().marker("abc"), new byte[0]); // as a crash may leave it
        SpooledSubmission recovered = spool.outbox().owedSubmission("abc").orElseThrow();
        assertThat(recovered.sha256()).isEqualTo(s.sha256());
        assertThat(recovered.size()).isEqualTo(s.size());
        assertThat(recovered.receivedAt()).as("the file's mtime stands for the receive time")
                .isEqualTo(Files.getLastModifiedTime(spool.layout().ready("abc")).toInstant());
        assertThat(recovered.origin()).isEmpty();

        Files.createFile(spool.layout().marker("gone")); // a crash between marker and rename
        assertThat(spool.outbox().owedSubmission("gone")).isEmpty();
        assertThat(spool.outbox().owed()).containsExactly("abc");
    }

    @Test
    void anUploadInProgressKeepsItsMarkerAndIsNeverTakenForAnOrphan() throws Exception {
        Spool spool = new Spool(dir, clock);
        try (SpoolUpload up = spool.upload("busy", Optional.of("maestro"), AT)) {
            assertThat(spool.outbox().owedSubmission("busy")).as("a relay scan during the upload").isEmpty();
            assertThat(spool.outbox().owed()).containsExactly("busy");
            up.receive(body("{}"), 1000, JsonStreamChecker.OriginGuard.ANY);
            up.commit();
        }
        assertThat(spool.outbox().owedSubmission("busy")).isPresent();
        try (SpoolUpload slow = spool.upload("slow", Optional.empty(), AT)) {
            assertThat(slow.file()).isEqualTo(spool.layout().temp("slow"));
            clock.advance(SpoolUpload.ORPHAN_GRACE.multipliedBy(10));
            assertThat(spool.outbox().owedSubmission("slow")).isEmpty();
            assertThat(spool.removeOrphanUploads()).as("a live upload owns it, however slow").isZero();
            assertThat(spool.state("slow")).isEqualTo(SpoolState.INPROGRESS);
        }
    }

    @Test
    void uploadsADeadGatewayLeftAreRemovedAtStartUpAndByTheRelay() throws Exception {
        Spool spool = new Spool(dir, clock);
        // What a gateway killed mid-upload leaves: the temporary file and its marker, nobody holding them.
        Files.writeString(spool.layout().temp("killed"), "{\"che");
        Files.writeString(spool.layout().marker("killed"), "");
        Files.writeString(spool.layout().temp("met"), "{");
        Files.writeString(spool.layout().marker("met"), "");
        assertThat(spool.removeOrphanUploads()).as("too recent to be sure").isZero();
        assertThat(spool.state("killed")).isEqualTo(SpoolState.INPROGRESS);

        clock.advance(SpoolUpload.ORPHAN_GRACE.plusSeconds(1));
        assertThat(spool.outbox().owedSubmission("met")).as("the relay meets one").isEmpty();
        assertThat(spool.state("met")).isEqualTo(SpoolState.NOTFOUND);
        assertThat(new Spool(dir, clock).removeOrphanUploads()).as("the next start").isEqualTo(1);
        assertThat(spool.state("killed")).isEqualTo(SpoolState.NOTFOUND);
        assertThat(spool.outbox().owed()).isEmpty();
    }

    @Test
    void adoptsReadyFilesFromBeforeTheOutboxOnce() throws Exception {
        Files.writeString(dir.resolve("submission-old1.json"), "{}");
        Files.writeString(dir.resolve("submission-old2.json"), "{}");
        Spool spool = new Spool(dir, clock);
        assertThat(spool.outbox().adoptLegacyReadyFiles()).isEqualTo(2);
        assertThat(spool.outbox().owed()).containsExactlyInAnyOrder("old1", "old2");
        spool.outbox().published("old1");
        assertThat(spool.outbox().adoptLegacyReadyFiles()).as("only at the first start").isEqualTo(-1);
        assertThat(spool.outbox().owed()).containsExactly("old2");
        assertThat(new Spool(dir, clock).spoolId()).as("the spool keeps its identity").isEqualTo(spool.spoolId());
    }

    @Test
    void leavesNothingBehindWhenTheBodyIsMalformedOrTooLargeOrRefused() throws Exception {
        Spool spool = new Spool(dir, clock);
        try (SpoolUpload up = spool.upload("bad", Optional.empty(), AT)) {
            assertThatThrownBy(() -> up.receive(body("{\"a\":"), 1000, JsonStreamChecker.OriginGuard.ANY))
                    .isInstanceOf(MalformedBodyException.class);
        }
        try (SpoolUpload up = spool.upload("big", Optional.empty(), AT)) {
            assertThatThrownBy(() -> up.receive(body("[" + "1,".repeat(600) + "1]"), 1000, JsonStreamChecker.OriginGuard.ANY))
                    .isInstanceOf(BodyTooLargeException.class);
        }
        try (SpoolUpload up = spool.upload("refused", Optional.empty(), AT)) {
            up.receive(body("{}"), 1000, JsonStreamChecker.OriginGuard.ANY);
            // closed without commit, as when origins or validation refuse it
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("archive", "failed", "outbox", ".spool-id");
        }
        assertThat(spool.outbox().owed()).isEmpty();
    }

    @Test
    void refusesAMissingDirectoryAtStartUp() {
        assertThatThrownBy(() -> new Spool(dir.resolve("nope"), clock)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("does not exist");
    }
}
