package org.kernelci.kcidb.logspec.consumer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetched logs on disk, one file per URL (named by the SHA-256 of the URL), bounded in total size: when a new log
 * would exceed the limit, the least recently used ones are deleted. Use is the file's modification time, so the order
 * survives restarts. A limit of 0 disables caching: every log is fetched into a temporary file deleted after use.
 */
final class LogCache {
    private static final Logger LOG = LoggerFactory.getLogger(LogCache.class);

    private final Path dir;
    private final long maxBytes;
    private final Clock clock;
    /** File name -> size, least recently used first. */
    private final LinkedHashMap<String, Long> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long total;

    LogCache(Path dir, long maxBytes, Clock clock) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.maxBytes = maxBytes;
        this.clock = clock;
        List<Path> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.filter(Files::isRegularFile).forEach(files::add);
        }
        record Found(String name, long size, FileTime used) {
        }
        List<Found> found = new ArrayList<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (name.endsWith(".part")) {
                Files.deleteIfExists(f); // left over by a crash mid-download
            } else if (name.matches("[0-9a-f]{64}")) {
                found.add(new Found(name, Files.size(f), Files.getLastModifiedTime(f)));
            }
        }
        found.sort((a, b) -> a.used().compareTo(b.used()));
        synchronized (this) {
            for (Found f : found) {
                entries.put(f.name(), f.size());
                total += f.size();
            }
            evict(null);
        }
    }

    boolean enabled() {
        return maxBytes > 0;
    }

    /** The cached log of {@code url}, marked as just used. */
    synchronized Optional<Path> get(String url) {
        String name = key(url);
        if (!entries.containsKey(name)) {
            return Optional.empty();
        }
        Path file = dir.resolve(name);
        try {
            Files.setLastModifiedTime(file, FileTime.from(clock.instant()));
            entries.get(name); // access order
            return Optional.of(file);
        } catch (NoSuchFileException e) {
            total -= entries.remove(name);
            return Optional.empty();
        } catch (IOException e) {
            LOG.warn("Cannot touch cached log {}: {}", file, e.toString());
            return Optional.of(file);
        }
    }

    /** A new temporary file in the cache's folder, to download into. */
    Path newPartFile() throws IOException {
        return Files.createTempFile(dir, "fetch-", ".part");
    }

    /** Moves a downloaded file into the cache under {@code url}, evicting older logs; returns its place. */
    synchronized Path put(String url, Path part) throws IOException {
        String name = key(url);
        Path file = dir.resolve(name);
        long size = Files.size(part);
        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.setLastModifiedTime(file, FileTime.from(clock.instant()));
        Long previous = entries.put(name, size);
        total += size - (previous == null ? 0 : previous);
        evict(name);
        return file;
    }

    synchronized long totalBytes() {
        return total;
    }

    private void evict(String keep) {
        for (Iterator<Map.Entry<String, Long>> it = entries.entrySet().iterator(); it.hasNext() && total > maxBytes; ) {
            Map.Entry<String, Long> e = it.next();
            if (e.getKey().equals(keep)) {
                continue;
            }
            try {
                Files.deleteIfExists(dir.resolve(e.getKey()));
            } catch (IOException ex) {
                LOG.warn("Cannot evict cached log {}: {}", e.getKey(), ex.toString());
                continue;
            }
            total -= e.getValue();
            it.remove();
        }
    }

    static String key(String url) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
