package org.kernelci.kcidb.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernelci.kcidb.testsupport.TestClock;
import org.kernelci.kcidb.contracts.cli.ConfigException;

class TreeNamesTest {
    @TempDir
    Path dir;

    @Test
    void theShippedDefaultIsTheOriginalDeploymentsFiftyTrees() {
        TreeNames names = TreeNames.defaults();
        assertThat(names.size()).isEqualTo(50);
        JsonNode doc = checkout("https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git", "torvalds");
        names.normalise(doc);
        assertThat(doc.at("/checkouts/0/tree_name").asText()).isEqualTo("mainline");
    }

    @Test
    void onlyAnExactUrlMatchRenames() {
        TreeNames names = TreeNames.defaults();
        for (String url : new String[] {"https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux",
                "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/",
                "https://GIT.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git"}) {
            JsonNode doc = checkout(url, "kept");
            names.normalise(doc);
            assertThat(doc.at("/checkouts/0/tree_name").asText()).as(url).isEqualTo("kept");
        }
        JsonNode noUrl = Documents.checkout("o:c", null);
        names.normalise(noUrl);
        assertThat(noUrl.at("/checkouts/0/tree_name").isMissingNode()).isTrue();
    }

    @Test
    void aConfiguredFileIsReReadWhenItChanges() throws Exception {
        Path file = dir.resolve("trees.yml");
        Files.writeString(file, "trees:\n  first:\n    url: 'https://example.org/a.git'\n");
        TestClock clock = new TestClock(Instant.parse("2025-01-01T00:00:00Z"));
        TreeNames names = TreeNames.fromFile(file, clock);
        JsonNode doc = checkout("https://example.org/a.git", null);
        names.normalise(doc);
        assertThat(doc.at("/checkouts/0/tree_name").asText()).isEqualTo("first");

        Files.writeString(file, "trees:\n  second:\n    url: 'https://example.org/a.git'\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(60)));
        clock.advance(TreeNames.RECHECK.plusSeconds(1));
        names.normalise(doc);
        assertThat(doc.at("/checkouts/0/tree_name").asText()).isEqualTo("second");

        Files.writeString(file, "not: [a trees file");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(120)));
        clock.advance(TreeNames.RECHECK.plusSeconds(1));
        JsonNode again = checkout("https://example.org/a.git", null);
        names.normalise(again);
        assertThat(again.at("/checkouts/0/tree_name").asText()).as("a broken file keeps the names").isEqualTo("second");
    }

    @Test
    void aFileThatIsNotATreesFileIsAConfigurationError() throws Exception {
        Path file = dir.resolve("trees.yml");
        Files.writeString(file, "origins: {}\n");
        assertThatThrownBy(() -> TreeNames.fromFile(file, Clock.systemUTC())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("has no 'trees' mapping");
    }

    private static JsonNode checkout(String url, String treeName) {
        var doc = Documents.checkout("o:c", null);
        var c = (com.fasterxml.jackson.databind.node.ObjectNode) doc.get("checkouts").get(0);
        c.put("git_repository_url", url);
        if (treeName != null) {
            c.put("tree_name", treeName);
        }
        return doc;
    }
}
