package org.kernelci.kcidb.logspec.consumer;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which files {@code file:} URLs may name: none, unless the operator names a root folder; then only regular files inside
 * it, named without {@code ..} and reached without a symbolic link that leads out of it. Paths outside the root are
 * refused before anything there is looked at, so a refusal tells nothing about what exists.
 */
final class LogFileRoot {
    static final String OFF = "file_urls_off";
    static final String OUTSIDE = "file_outside_root";
    static final String NOT_REGULAR = "file_not_regular";

    private final Path root;
    private final Path realRoot;

    private LogFileRoot(Path root, Path realRoot) {
        this.root = root;
        this.realRoot = realRoot;
    }

    /** No file: URL is read. */
    static LogFileRoot none() {
        return new LogFileRoot(null, null);
    }

    /**
     * @throws IOException when the folder does not exist or is not a folder
     */
    static LogFileRoot of(Path folder) throws IOException {
        Path absolute = folder.toAbsolutePath().normalize();
        Path real = absolute.toRealPath();
        if (!Files.isDirectory(real)) {
            throw new IOException(folder + " is not a folder");
        }
        return new LogFileRoot(absolute, real);
    }

    Optional<Path> root() {
        return Optional.ofNullable(root);
    }

    /**
     * The file a {@code file:} URL names, as its real path (symbolic links resolved), to be read from there.
     *
     * @throws UrlRefusedException      when the policy does not let it be read
     * @throws IllegalArgumentException when the URL is not a local file URL
     * @throws IOException              when it is inside the root but cannot be found or read
     */
    Path resolve(URI uri) throws IOException {
        if (root == null) {
            throw new UrlRefusedException(OFF, "file: URLs are not read (no log file root is configured)");
        }
        Path path = Path.of(uri);
        for (Path name : path) {
            if (name.toString().equals("..")) {
                throw new UrlRefusedException(OUTSIDE, "the path " + uri.getPath() + " has a '..' segment");
            }
        }
        Path absolute = path.toAbsolutePath().normalize();
        if (!absolute.startsWith(root) && !absolute.startsWith(realRoot)) {
            throw new UrlRefusedException(OUTSIDE, uri.getPath() + " is outside the log file root");
        }
        Path real = absolute.toRealPath();
        if (!real.startsWith(realRoot)) {
            throw new UrlRefusedException(OUTSIDE, uri.getPath() + " is a symbolic link leading out of the log file root");
        }
        if (!Files.isRegularFile(real)) {
            throw new UrlRefusedException(NOT_REGULAR, uri.getPath() + " is not a regular file");
        }
        return real;
    }

    @Override
    public String toString() {
        return root == null ? "file: URLs refused" : "file: URLs read under " + root;
    }
}
