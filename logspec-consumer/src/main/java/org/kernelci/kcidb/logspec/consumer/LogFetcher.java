package org.kernelci.kcidb.logspec.consumer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.ssl.SSLContexts;
import org.kernelci.kcidb.service.Backoff;
import org.kernelci.kcidb.service.Retry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches logs over http(s) and file URLs, reading only what the operator's policy allows: http(s) connects only to
 * addresses the {@link AddressPolicy} allows (checked on the address connected to, at every redirect), file URLs only
 * below the {@link LogFileRoot}. Connect and read timeouts, a deadline for the whole fetch, a size cap on the bytes
 * fetched and on what a gzip log inflates to, retries with backoff on transient errors (unreachable, timeouts, 408,
 * 429, 5xx), and the cache. What cannot be fetched ends in a {@link FetchException} that says whether it is permanent;
 * transient failures that outlast the attempts become permanent too, so that a dead log is recorded once and never
 * retried forever; a refusal ({@code url_refused}) is never retried. Decompression is left to the parser (gzip by magic
 * bytes).
 */
class LogFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(LogFetcher.class);
    private static final int MAX_REDIRECTS = 5;
    static final String URL_REFUSED = "url_refused";

    /**
     * @param deadline  the longest one fetch may take, attempts and waits between them included
     * @param attempts  attempts per log for transient failures
     * @param maxBytes  the largest log fetched, as stored and, when gzip-compressed, once inflated
     * @param addresses where http(s) URLs may lead
     * @param files     what file URLs may name
     */
    record Settings(Duration connectTimeout, Duration readTimeout, Duration deadline, int attempts, Backoff backoff,
                    long maxBytes, AddressPolicy addresses, LogFileRoot files) {
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

        /** The policy refuses the URL: a verdict on the URL, not on the log behind it. */
        boolean refused() {
            return reason.equals(URL_REFUSED);
        }
    }

    /** A failure of one attempt; {@code retryable} ones are retried; {@code rule} is set on refusals. */
    private static final class AttemptFailure extends Exception {
        final String reason;
        final boolean retryable;
        final String rule;

        AttemptFailure(String reason, String detail, boolean retryable) {
            this(reason, detail, retryable, null);
        }

        private AttemptFailure(String reason, String detail, boolean retryable, String rule) {
            super(detail);
            this.reason = reason;
            this.retryable = retryable;
            this.rule = rule;
        }

        static AttemptFailure refused(String rule, String detail) {
            return new AttemptFailure(URL_REFUSED, detail, false, rule);
        }

        @Override
        public String toString() {
            return reason + ": " + getMessage();
        }
    }

    private final Settings settings;
    private final LogCache cache;
    private final LogspecMetrics metrics;
    private final Retry.Pause sleeper;
    private final CloseableHttpClient http;

    LogFetcher(Settings settings, LogCache cache, LogspecMetrics metrics, Retry.Pause sleeper) {
        this(settings, cache, metrics, sleeper, PolicyDnsResolver.SYSTEM, SSLContexts.createSystemDefault());
    }

    /** Visible for testing: names resolved by {@code lookup}, servers trusted through {@code tls}. */
    LogFetcher(Settings settings, LogCache cache, LogspecMetrics metrics, Retry.Pause sleeper,
               PolicyDnsResolver.Lookup lookup, SSLContext tls) {
        this.settings = settings;
        this.cache = cache;
        this.metrics = metrics;
        this.sleeper = sleeper;
        this.http = LogHttpClient.create(settings.connectTimeout(), settings.readTimeout(),
                new PolicyDnsResolver(lookup, settings.addresses()), tls);
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
        long deadline = System.nanoTime() + settings.deadline().toNanos();
        int[] attempts = {0};
        Retry retry = new Retry("Fetching " + url, settings.attempts(), settings.backoff(),
                e -> e instanceof AttemptFailure f && f.retryable && System.nanoTime() < deadline, sleeper);
        try {
            return retry.call(() -> {
                attempts[0]++;
                return attempt(url, uri, deadline);
            });
        } catch (AttemptFailure e) {
            if (e.rule != null) {
                metrics.urlsRefused.labelValues(e.rule).inc();
            }
            throw new FetchException(e.reason, e.getMessage() + (e.retryable ? " (after " + attempts[0] + " attempts)"
                    : ""), attempts[0]);
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("fetching " + url, e);
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

    private Fetched attempt(String url, URI uri, long deadline) throws AttemptFailure {
        Path part = null;
        try {
            part = cache.newPartFile();
            long bytes = download(uri, part, deadline);
            checkInflatedSize(part, uri.toString());
            metrics.logsFetched.inc();
            metrics.bytesFetched.inc(bytes);
            if (cache.enabled()) {
                Path file = cache.put(url, part);
                return new Fetched(file, bytes, false, false);
            }
            Fetched f = new Fetched(part, bytes, false, true);
            part = null;
            return f;
        } catch (IOException e) {
            throw new AttemptFailure("cache_error", "cannot store the log: " + e, false);
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

    private Fetched file(URI uri) throws FetchException {
        Path path;
        try {
            path = settings.files().resolve(uri);
        } catch (UrlRefusedException e) {
            throw refused(e);
        } catch (IllegalArgumentException e) {
            throw new FetchException("bad_url", "not a local file URL: " + uri, 0);
        } catch (IOException e) {
            throw new FetchException("not_found", "no readable file " + uri.getPath(), 1);
        }
        if (!Files.isReadable(path)) {
            throw new FetchException("not_found", "no readable file " + uri.getPath(), 1);
        }
        try {
            long size = Files.size(path);
            if (size > settings.maxBytes()) {
                throw new FetchException("too_large", uri.getPath() + " holds " + size + " bytes, above the limit of "
                        + settings.maxBytes(), 1);
            }
            checkInflatedSize(path, uri.getPath());
            metrics.logsFetched.inc();
            metrics.bytesFetched.inc(size);
            return new Fetched(path, size, false, false);
        } catch (AttemptFailure e) {
            throw new FetchException(e.reason, e.getMessage(), 1);
        } catch (IOException e) {
            throw new FetchException("not_found", "cannot read " + uri.getPath() + ": " + e.getMessage(), 1);
        }
    }

    private FetchException refused(UrlRefusedException e) {
        metrics.urlsRefused.labelValues(e.rule()).inc();
        return new FetchException(URL_REFUSED, e.getMessage(), 0);
    }

    private long download(URI uri, Path part, long deadline) throws AttemptFailure {
        URI current = uri;
        for (int redirects = 0; ; redirects++) {
            HttpGet get = new HttpGet(current);
            get.setHeader("Accept-Encoding", "identity");
            try (Watchdog watchdog = Watchdog.start(get, deadline)) {
                try (ClassicHttpResponse response = http.executeOpen(null, get, null)) {
                    int code = response.getCode();
                    Header location = response.getFirstHeader("Location");
                    if (code >= 300 && code < 400 && location != null) {
                        if (redirects >= MAX_REDIRECTS) {
                            throw new AttemptFailure("too_many_redirects", "more than " + MAX_REDIRECTS + " redirects",
                                    false);
                        }
                        current = redirect(current, location.getValue());
                        continue;
                    }
                    if (code != 200) {
                        boolean retryable = code == 408 || code == 429 || code >= 500;
                        String reason = code == 404 || code == 410 ? "not_found" : "http_" + code;
                        throw new AttemptFailure(reason, "HTTP " + code + " from " + current, retryable);
                    }
                    HttpEntity entity = response.getEntity();
                    long declared = entity == null ? 0 : entity.getContentLength();
                    if (declared > settings.maxBytes()) {
                        throw new AttemptFailure("too_large", current + " declares " + declared
                                + " bytes, above the limit of " + settings.maxBytes(), false);
                    }
                    return entity == null ? 0 : copy(entity.getContent(), part, current);
                } catch (UrlRefusedException e) {
                    throw AttemptFailure.refused(e.rule(), current == uri ? e.getMessage()
                            : "redirected to " + current + ": " + e.getMessage());
                } catch (IOException e) {
                    if (watchdog.fired()) {
                        throw new AttemptFailure("too_slow", current + " was not fetched within "
                                + settings.deadline().toSeconds() + " s", false);
                    }
                    if (e instanceof SocketTimeoutException) {
                        throw new AttemptFailure("timeout", "timed out on " + current + ": " + e.getMessage(), true);
                    }
                    throw new AttemptFailure("unreachable", current + ": " + e, true);
                }
            }
        }
    }

    /** The target of a redirect; only to http(s), whose address is checked again when connecting. */
    private static URI redirect(URI from, String location) throws AttemptFailure {
        URI to;
        try {
            to = from.resolve(new URI(location.strip()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new AttemptFailure("bad_url", from + " redirects to a malformed URL", false);
        }
        String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw AttemptFailure.refused("redirect_scheme", from + " redirects to a '" + scheme + ":' URL, which is "
                    + "never followed (rule redirect_scheme)");
        }
        return to;
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

    /**
     * Refuses a gzip-compressed log that inflates to more than the size cap, reading no further than the cap: the
     * parser inflates it again, whole. A log that is not gzip, or whose gzip is broken, is left to the parser.
     */
    private void checkInflatedSize(Path file, String what) throws IOException, AttemptFailure {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            if (raw.read() != 0x1f || raw.read() != 0x8b) {
                return;
            }
            raw.reset();
            long total = 0;
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = new GZIPInputStream(raw, 1 << 16)) {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    total += n;
                    if (total > settings.maxBytes()) {
                        throw new AttemptFailure("too_large", what + " inflates to more than the limit of "
                                + settings.maxBytes() + " bytes", false);
                    }
                }
            } catch (java.util.zip.ZipException | java.io.EOFException e) {
                LOG.debug("{}: broken gzip after {} bytes ({}); left to the parser", what, total, e.toString());
            }
        }
    }

    /**
     * Cancels a request still running at the fetch's deadline, whatever it waits for (connect, TLS, headers, body), so
     * that a server trickling bytes is cut off even though each byte comes within the read timeout.
     */
    private static final class Watchdog implements AutoCloseable {
        /** Completes with true at the deadline, or with false when the request ends first (which unschedules it). */
        private final CompletableFuture<Boolean> expiry = new CompletableFuture<>();
        private volatile boolean fired;

        static Watchdog start(HttpGet request, long deadline) {
            Watchdog w = new Watchdog();
            long remaining = Math.max(0, deadline - System.nanoTime());
            w.expiry.completeOnTimeout(true, remaining, TimeUnit.NANOSECONDS).thenAccept(expired -> {
                if (expired) {
                    w.fired = true;
                    request.cancel();
                }
            });
            return w;
        }

        boolean fired() {
            return fired;
        }

        @Override
        public void close() {
            expiry.complete(false);
        }
    }
}
