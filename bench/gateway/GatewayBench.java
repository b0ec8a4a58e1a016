import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Load generator for POST /submit: for each body size and concurrency, a warm-up then a measured run of fixed length,
 * each worker on its own keep-alive HTTP/1.1 connection (raw sockets, so the client costs little CPU next to the
 * server on a small machine). Prints requests/s and latency percentiles as a table. JDK only:
 * {@code java GatewayBench.java URL TOKEN SPOOL_DIR [SECONDS]}. Between runs it empties the spool's ready files so
 * the disk does not fill.
 */
public final class GatewayBench {
    record Result(String body, int concurrency, long requests, long errors, double seconds, long[] latenciesNanos) {
        double rps() {
            return requests / seconds;
        }

        double percentileMillis(double p) {
            if (latenciesNanos.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(p / 100.0 * latenciesNanos.length) - 1;
            return latenciesNanos[Math.max(0, Math.min(i, latenciesNanos.length - 1))] / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        String token = args[1];
        Path spool = Path.of(args[2]);
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        List<Result> results = new ArrayList<>();
        // The JIT warms up on both paths first, so the first measured run is not the one paying for it.
        run(url, token, document(2 * 1024), 16, Math.max(3, seconds / 2));
        run(url, token, document(1024 * 1024), 4, Math.max(2, seconds / 4));
        clean(spool);
        for (int size : new int[] {2 * 1024, 1024 * 1024}) {
            byte[] body = document(size);
            for (int concurrency : new int[] {1, 16}) {
                run(url, token, body, concurrency, Math.max(2, seconds / 3)); // warm-up, discarded
                clean(spool);
                Result r = run(url, token, body, concurrency, seconds);
                results.add(r);
                clean(spool);
                System.err.printf("%s c=%d: %.0f req/s%n", r.body(), concurrency, r.rps());
            }
        }
        System.out.println();
        System.out.println("| body | concurrency | requests | errors | req/s | p50 ms | p99 ms | max ms |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Result r : results) {
            System.out.printf("| %s | %d | %d | %d | %.0f | %.2f | %.2f | %.2f |%n", r.body(), r.concurrency(), r.requests(),
                    r.errors(), r.rps(), r.percentileMillis(50), r.percentileMillis(99), r.percentileMillis(100));
        }
    }

    /** A valid KCIDB v5.3 document of just under {@code size} bytes: tests of one origin. */
    static byte[] document(int size) {
        StringBuilder b = new StringBuilder("{\"version\":{\"major\":5,\"minor\":3},\"tests\":[");
        int i = 0;
        String item = "{\"id\":\"bench:t%08d\",\"build_id\":\"bench:b1\",\"origin\":\"bench\",\"path\":\"boot.kselftest.net\","
                + "\"status\":\"PASS\",\"start_time\":\"2026-01-01T00:00:00Z\",\"misc\":{\"lab\":\"lab-bench\"}}";
        while (b.length() + 200 < size) {
            if (i > 0) {
                b.append(',');
            }
            b.append(String.format(item, i++));
        }
        b.append("]}");
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static Result run(URI url, String token, byte[] body, int concurrency, int seconds) throws Exception {
        byte[] head = ("POST /submit HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                + "\r\nAuthorization: Bearer " + token + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        AtomicBoolean stop = new AtomicBoolean();
        long[][] lat = new long[concurrency][];
        int[] counts = new int[concurrency];
        long[] errors = new long[concurrency];
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            threads.add(Thread.ofPlatform().start(() -> {
                long[] mine = new long[1 << 16];
                int n = 0;
                Socket s = null;
                try {
                    s = connect(url);
                    OutputStream out = s.getOutputStream();
                    InputStream in = new BufferedInputStream(s.getInputStream(), 8192);
                    while (!stop.get()) {
                        long t0 = System.nanoTime();
                        out.write(head);
                        out.write(body);
                        out.flush();
                        int status = readResponse(in);
                        long t = System.nanoTime() - t0;
                        if (status != 200) {
                            errors[worker]++;
                            continue;
                        }
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, n * 2);
                        }
                        mine[n++] = t;
                    }
                } catch (IOException e) {
                    errors[worker]++;
                    System.err.println("worker " + worker + ": " + e);
                } finally {
                    lat[worker] = Arrays.copyOf(mine, n);
                    counts[worker] = n;
                    try {
                        if (s != null) {
                            s.close();
                        }
                    } catch (IOException ignored) {
                        // closing
                    }
                }
            }));
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long total = Arrays.stream(counts).sum();
        long[] all = Arrays.stream(lat).flatMapToLong(Arrays::stream).sorted().toArray();
        String label = String.format("%.1f KB", body.length / 1024.0);
        return new Result(label, concurrency, total, Arrays.stream(errors).sum(), elapsed, all);
    }

    static Socket connect(URI url) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(url.getHost(), url.getPort()), 5000);
        return s;
    }

    /** Reads one response, returns its status; the body is read per Content-Length (the gateway always sends one). */
    static int readResponse(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int status = -1;
        long length = 0;
        boolean first = true;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c == '\n') {
                String l = line.toString().trim();
                line.setLength(0);
                if (l.isEmpty()) {
                    break;
                }
                if (first) {
                    status = Integer.parseInt(l.split(" ")[1]);
                    first = false;
                } else if (l.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Long.parseLong(l.substring(15).trim());
                }
            } else {
                line.append((char) c);
            }
        }
        in.skipNBytes(length);
        return status;
    }

    static void clean(Path spool) throws IOException {
        try (Stream<Path> files = Files.list(spool)) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
