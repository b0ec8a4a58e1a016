package org.kernelci.kcidb.logspec.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What file: URLs may name: nothing without a root; regular files inside it, with no way out. */
class LogFileRootTest {
    @TempDir
    Path dir;

    private void assertRefused(LogFileRoot root, URI uri, String rule) {
        assertThatThrownBy(() -> root.resolve(uri)).isInstanceOfSatisfying(UrlRefusedException.class,
                e -> assertThat(e.rule()).isEqualTo(rule));
    }

    @Test
    void withoutARootNoFileIsRead() throws Exception {
        Path log = Files.writeString(dir.resolve("a.log"), "a");
        assertRefused(LogFileRoot.none(), log.toUri(), LogFileRoot.OFF);
        assertRefused(LogFileRoot.none(), URI.create("file:///etc/passwd"), LogFileRoot.OFF);
    }

    @Test
    void readsRegularFilesInsideTheRootOnly() throws Exception {
        Path root = Files.createDirectories(dir.resolve("logs"));
        Path sub = Files.createDirectories(root.resolve("lab/2026"));
        Path log = Files.writeString(sub.resolve("boot.log"), "boot");
        Path secret = Files.writeString(dir.resolve("secret.txt"), "secret");
        LogFileRoot files = LogFileRoot.of(root);

        assertThat(files.resolve(log.toUri())).isEqualTo(log.toRealPath());
        assertThat(files.resolve(URI.create(root.toUri() + "lab/./2026/boot.log"))).isEqualTo(log.toRealPath());
        assertRefused(files, secret.toUri(), LogFileRoot.OUTSIDE);
        assertRefused(files, URI.create("file:///etc/passwd"), LogFileRoot.OUTSIDE);
        // '..' is refused even when it would stay inside, and in its encoded form.
        assertRefused(files, URI.create(root.toUri() + "lab/../secret.txt"), LogFileRoot.OUTSIDE);
        assertRefused(files, URI.create(root.toUri() + "lab/2026/../../../secret.txt"), LogFileRoot.OUTSIDE);
        assertRefused(files, URI.create(root.toUri() + "lab/%2e%2e/2026/boot.log"), LogFileRoot.OUTSIDE);
        assertRefused(files, sub.toUri(), LogFileRoot.NOT_REGULAR);
        assertThatThrownBy(() -> files.resolve(root.resolve("missing.log").toUri())).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> files.resolve(URI.create("file://otherhost/x.log")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void symbolicLinksMayNotLeadOutOfTheRoot() throws Exception {
        Path root = Files.createDirectories(dir.resolve("logs"));
        Path log = Files.writeString(root.resolve("boot.log"), "boot");
        Path outside = Files.createDirectories(dir.resolve("elsewhere"));
        Path secret = Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(root.resolve("inside.log"), log);
        Files.createSymbolicLink(root.resolve("escape.log"), secret);
        Files.createSymbolicLink(root.resolve("escape-dir"), outside);
        Files.createSymbolicLink(root.resolve("etc"), Path.of("/etc"));
        LogFileRoot files = LogFileRoot.of(root);

        assertThat(files.resolve(root.resolve("inside.log").toUri())).isEqualTo(log.toRealPath());
        assertRefused(files, root.resolve("escape.log").toUri(), LogFileRoot.OUTSIDE);
        assertRefused(files, root.resolve("escape-dir/secret.txt").toUri(), LogFileRoot.OUTSIDE);
        assertRefused(files, URI.create(root.toUri() + "etc/passwd"), LogFileRoot.OUTSIDE);
    }

    @Test
    void aRootReachedThroughALinkHoldsWhatIsBehindIt() throws Exception {
        Path real = Files.createDirectories(dir.resolve("data/logs"));
        Path log = Files.writeString(real.resolve("a.log"), "a");
        Path link = Files.createSymbolicLink(dir.resolve("logs"), real);
        LogFileRoot files = LogFileRoot.of(link);
        assertThat(files.resolve(link.resolve("a.log").toUri())).isEqualTo(log.toRealPath());
        assertThat(files.resolve(log.toUri())).isEqualTo(log.toRealPath());
        assertThat(files.root()).contains(link.toAbsolutePath());
    }

    @Test
    void theRootMustBeAFolder() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "f");
        assertThatThrownBy(() -> LogFileRoot.of(file)).hasMessageContaining("is not a folder");
        assertThatThrownBy(() -> LogFileRoot.of(dir.resolve("missing"))).isInstanceOf(NoSuchFileException.class);
    }
}
