package org.kernelci.kcidb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelci.kcidb.service.ConfigException;

class SpoolTest {
    @TempDir
    Path dir;

    private static InputStream body(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void receivesDurablyAndReportsEveryState() throws Exception {
        Spool spool = new Spool(dir);
        assertThat(spool.state("abc")).isEqualTo(SpoolState.NOTFOUND);
        SpooledSubmission s = spool.receive("abc", body("{\"version\":{\"major\":5}}"), 1000, Optional.of("maestro"),
                Instant.EPOCH);
        assertThat(s.size()).isEqualTo(23);
        assertThat(s.sha256()).hasSize(64);
        assertThat(Files.readString(dir.resolve("submission-abc.json"))).isEqualTo("{\"version\":{\"major\":5}}");
        assertThat(spool.state("abc")).isEqualTo(SpoolState.READY);
        assertThat(spool.countReady()).isEqualTo(1);

        assertThat(spool.archive("abc")).isTrue();
        assertThat(spool.state("abc")).isEqualTo(SpoolState.PROCESSED);
        assertThat(spool.archive("abc")).as("applying twice is harmless").isFalse();

        spool.receive("def", body("{}"), 1000, Optional.empty(), Instant.EPOCH);
        assertThat(spool.fail("def", "{\"reason\":\"schema_violation\"}".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(spool.state("def")).isEqualTo(SpoolState.FAILED);
        assertThat(new String(spool.failureReasonOf("def").orElseThrow(), StandardCharsets.UTF_8)).contains("schema_violation");

        Files.writeString(dir.resolve("submission-ghi.json.temp"), "{");
        assertThat(spool.state("ghi")).isEqualTo(SpoolState.INPROGRESS);
    }

    @Test
    void leavesNothingBehindWhenTheBodyIsMalformedOrTooLarge() throws IOException {
        Spool spool = new Spool(dir);
        assertThatThrownBy(() -> spool.receive("bad", body("{\"a\":"), 1000, Optional.empty(), Instant.EPOCH))
                .isInstanceOf(MalformedBodyException.class);
        assertThatThrownBy(() -> spool.receive("big", body("[" + "1,".repeat(600) + "1]"), 1000, Optional.empty(),
                Instant.EPOCH)).isInstanceOf(BodyTooLargeException.class);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("archive", "failed");
        }
    }

    @Test
    void refusesAMissingDirectoryAtStartUp() {
        assertThatThrownBy(() -> new Spool(dir.resolve("nope"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("does not exist");
    }
}
