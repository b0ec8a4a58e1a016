package org.kernelci.kcidb.logspec.consumer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.kernelci.kcidb.service.Backoff;
import org.kernelci.kcidb.service.Retry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches logs over http(s) and file URLs: connect and read timeouts, a size cap, retries with backoff on transient
 * errors (unreachable, timeouts, 408, 429, 5xx), and the cache. What cannot be fetched ends in a {@link FetchException}
 * that says whether it is permanent; transient failures that outlast the attempts become permanent too, so that a dead
 * log is recorded once and never retried forever. Decompression is left to the parser (gzip by magic bytes).
 */
class LogFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(LogFetcher.class);
    private static final int MAX_REDIRECTS = 5;

    /**
     * @param attempts attempts per log for transient failures
     * @param maxBytes the largest log fetched, as stored (compressed or not)
     */
    record Settings(Duration connectTimeout, Duration readTimeout, int attempts, Backoff backoff, long maxBytes) {
    }

    /** A log on disk; {@code temporary} ones are deleted by {@link #release}. */
    record Fetched(Path file, long bytes, boolean cacheHit, boolean temporary) {
    }

    /** A log that cannot be fetched: {@code reason} is a short machine-readable word, e.g. {@code not_found}. */
    static final class FetchException extends Exception {
        private final String reason;
        private final int attempts;

        FetchException(String reason, String detail, int attempts) {
            super(detail);
            this.reason = reason;
            this.attempts = attempts;
        }

        String reason() {
            return reason;
        }

        int attempts() {
            return attempts;
        }
    }

    /** A failure of one attempt; {@code transient} ones are retried. */
    private static final class AttemptFailure extends Exception {
        final String reason;
        final boolean retryable;

        AttemptFailure(String reason, String detail, boolean retryable) {
            super(detail);
            this.reason = reason;
            this.retryable = retryable;
        }
    }

    /** Sleeps between attempts; a seam for tests. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Settings settings;
    private final LogCache cache;
    private final LogspecMetrics metrics;
    private final Sleeper sleeper;

    LogFetcher(Settings settings, LogCache cache, LogspecMetrics metrics, Sleeper sleeper) {
        this.settings = settings;
        this.cache = cache;
        this.metrics = metrics;
        this.sleeper = sleeper;
    }

    Fetched fetch(String url) throws FetchException, InterruptedException {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new FetchException("bad_url", "not a URL: " + e.getMessage(), 0);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) {
            return file(uri);
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new FetchException("unsupported_scheme", "cannot fetch '" + scheme + ":' URLs: " + url, 0);
        }
        if (cache.enabled()) {
            var hit = cache.get(url);
            if (hit.isPresent()) {
                metrics.cacheHits.inc();
                try {
                    return new Fetched(hit.get(), Files.size(hit.get()), true, false);
                } catch (IOException e) {
                    LOG.debug("cached log of {} vanished: {}", url, e.toString());
                }
            }
        }
        Retry.Attempts failures = new Retry("Fetching " + url, settings.attempts(), settings.backoff(),
                e -> e instanceof AttemptFailure f && f.retryable, sleeper::sleep).attempts();
        for (int attempt = 1; ; attempt++) {
            Path part = null;
            try {
                part = cache.newPartFile();
                long bytes = download(uri, part);
                metrics.logsFetched.inc();
                metrics.bytesFetched.inc(bytes);
                if (cache.enabled()) {
                    Path file = cache.put(url, part);
                    return new Fetched(file, bytes, false, false);
                }
                Fetched f = new Fetched(part, bytes, false, true);
                part = null;
                return f;
            } catch (AttemptFailure e) {
                if (!failures.retryAfter(e)) {
                    throw new FetchException(e.reason, e.getMessage() + (e.retryable ? " (after " + attempt + " attempts)"
                            : ""), attempt);
                }
            } catch (IOException e) {
                throw new FetchException("cache_error", "cannot store the log: " + e, attempt);
            } finally {
                if (part != null) {
                    try {
                        Files.deleteIfExists(part);
                    } catch (IOException e) {
                        LOG.debug("cannot delete {}: {}", part, e.toString());
                    }
                }
            }
        }
    }

    /** Deletes a temporary download. */
    void release(Fetched f) {
        if (f.temporary()) {
            try {
                Files.deleteIfExists(f.file());
            } catch (IOException e) {
                LOG.debug("cannot delete {}: {}", f.file(), e.toString());
            }
        }
    }

    private Fetched file(URI uri) throws FetchException {
        Path path;
        try {
            path = Path.of(uri);
        } catch (IllegalArgumentException e) {
            throw new FetchException("bad_url", "not a local file URL: " + uri, 0);
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new FetchException("not_found", "no readable file " + path, 1);
        }
        try {
            long size = Files.size(path);
            if (size > settings.maxBytes()) {
                throw new FetchException("too_large", path + " holds " + size + " bytes, above the limit of "
                        + settings.maxBytes(), 1);
            }
            metrics.logsFetched.inc();
            metrics.bytesFetched.inc(size);
            return new Fetched(path, size, false, false);
        } catch (IOException e) {
            throw new FetchException("not_found", "cannot read " + path + ": " + e.getMessage(), 1);
        }
    }

    private long download(URI uri, Path part) throws AttemptFailure, InterruptedException {
        URI current = uri;
        for (int redirects = 0; ; redirects++) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            HttpURLConnection c;
            try {
                URL url = current.toURL();
                c = (HttpURLConnection) url.openConnection();
            } catch (MalformedURLException | IllegalArgumentException e) {
                throw new AttemptFailure("bad_url", "not a URL: " + current, false);
            } catch (IOException e) {
                throw new AttemptFailure("unreachable", e.toString(), true);
            }
            try {
                c.setConnectTimeout((int) settings.connectTimeout().toMillis());
                c.setReadTimeout((int) settings.readTimeout().toMillis());
                c.setInstanceFollowRedirects(true);
                c.setRequestProperty("Accept-Encoding", "identity");
                c.setRequestProperty("User-Agent", "kcidb-ng-logspec");
                int code = c.getResponseCode();
                if (code >= 300 && code < 400 && c.getHeaderField("Location") != null) {
                    // Redirects across http/https, which HttpURLConnection does not follow by itself.
                    if (redirects >= MAX_REDIRECTS) {
                        throw new AttemptFailure("too_many_redirects", "more than " + MAX_REDIRECTS + " redirects", false);
                    }
                    current = current.resolve(c.getHeaderField("Location"));
                    continue;
                }
                if (code != 200) {
                    boolean retryable = code == 408 || code == 429 || code >= 500;
                    String reason = code == 404 || code == 410 ? "not_found" : "http_" + code;
                    throw new AttemptFailure(reason, "HTTP " + code + " from " + current, retryable);
                }
                long declared = c.getContentLengthLong();
                if (declared > settings.maxBytes()) {
                    throw new AttemptFailure("too_large", current + " declares " + declared + " bytes, above the limit of "
                            + settings.maxBytes(), false);
                }
                return copy(c.getInputStream(), part, current);
            } catch (java.net.SocketTimeoutException e) {
                throw new AttemptFailure("timeout", "timed out on " + current + ": " + e.getMessage(), true);
            } catch (IOException e) {
                throw new AttemptFailure("unreachable", current + ": " + e, true);
            } finally {
                c.disconnect();
            }
        }
    }

    private long copy(InputStream in, Path part, URI from) throws IOException, AttemptFailure {
        long total = 0;
        byte[] buf = new byte[64 * 1024];
        try (in; OutputStream out = Files.newOutputStream(part)) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                total += n;
                if (total > settings.maxBytes()) {
                    throw new AttemptFailure("too_large", from + " is larger than the limit of " + settings.maxBytes()
                            + " bytes", false);
                }
                out.write(buf, 0, n);
            }
        }
        return total;
    }
}
