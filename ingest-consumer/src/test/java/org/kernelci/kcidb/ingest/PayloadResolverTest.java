package org.kernelci.kcidb.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernelci.kcidb.contracts.events.SubmissionEvent;
import org.kernelci.kcidb.ingest.PayloadResolver.PayloadUnavailableException;

class PayloadResolverTest {
    private static final String ID = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6";
    private static final byte[] BODY = "{\"version\": {\"major\": 5, \"minor\": 3}}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path spool;

    @Test
    void inlineBodiesComeFromTheRecord() throws Exception {
        SubmissionEvent event = SubmissionEvent.inline(ID, Optional.empty(), Instant.EPOCH, "", BODY);
        assertThat(new PayloadResolver(Optional.empty()).read(event)).isEqualTo(BODY);
    }

    @Test
    void claimChecksAreReadFromTheSpool() throws Exception {
        Files.write(spool.resolve("submission-" + ID + ".json"), BODY);
        assertThat(new PayloadResolver(Optional.of(spool)).read(claimCheck("submission-" + ID + ".json"))).isEqualTo(BODY);
    }

    @Test
    void aRelativeSpoolDirectoryWorks() throws Exception {
        Files.write(spool.resolve("s.json"), BODY);
        Path relative = Path.of("").toAbsolutePath().relativize(spool);
        assertThat(new PayloadResolver(Optional.of(relative)).read(claimCheck("s.json"))).isEqualTo(BODY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../secret.json", "..", ".", "archive/submission-x.json", "/etc/passwd", "a\\b.json",
            "nul\0.json", ".hidden"})
    void referencesThatAreNotPlainFileNamesAreRefused(String ref) throws Exception {
        Files.write(spool.resolve(".hidden"), BODY);
        PayloadResolver resolver = new PayloadResolver(Optional.of(spool));
        assertThatThrownBy(() -> resolver.read(claimCheck(ref))).isInstanceOf(PayloadUnavailableException.class)
                .hasMessage("spool reference '" + ref + "' is not a plain file name");
    }

    @Test
    void aMissingFileIsUnavailable() {
        assertThatThrownBy(() -> new PayloadResolver(Optional.of(spool)).read(claimCheck("submission-gone.json")))
                .isInstanceOf(PayloadUnavailableException.class)
                .hasMessage("spool file " + spool.resolve("submission-gone.json") + " of submission " + ID
                        + " does not exist (nor in archive/ or failed/)");
    }

    @Test
    void aClaimCheckRedeliveredAfterTheGatewayMovedItsFileIsReadFromArchiveOrFailed() throws Exception {
        // A crash between the result and the offset commit redelivers the event; the gateway has moved the file.
        Files.createDirectories(spool.resolve("archive"));
        Files.createDirectories(spool.resolve("failed"));
        Files.write(spool.resolve("archive").resolve("submission-a.json"), BODY);
        Files.write(spool.resolve("failed").resolve("submission-f.json"), BODY);
        PayloadResolver resolver = new PayloadResolver(Optional.of(spool));
        assertThat(resolver.read(claimCheck("submission-a.json"))).isEqualTo(BODY);
        assertThat(resolver.read(claimCheck("submission-f.json"))).isEqualTo(BODY);
    }

    @Test
    void aDirectoryIsUnavailableNotRetriedForever() throws Exception {
        // The gateway's spool holds archive/ and failed/: naming one must fail the submission, not loop on EISDIR.
        Files.createDirectories(spool.resolve("archive"));
        assertThatThrownBy(() -> new PayloadResolver(Optional.of(spool)).read(claimCheck("archive")))
                .isInstanceOf(PayloadUnavailableException.class)
                .hasMessage("spool file " + spool.resolve("archive") + " of submission " + ID + " is not a regular file");
    }

    @Test
    void withoutASpoolDirectoryTheMessageSaysWhatIsMissing() {
        assertThatThrownBy(() -> new PayloadResolver(Optional.empty()).read(claimCheck("submission-x.json")))
                .isInstanceOf(PayloadUnavailableException.class)
                .hasMessage("submission " + ID + " is a claim check on submission-x.json but this consumer has no "
                        + "--spool-dir");
    }

    private static SubmissionEvent claimCheck(String ref) {
        return SubmissionEvent.claimCheck(ID, Optional.empty(), Instant.EPOCH, BODY.length, "", ref);
    }
}
