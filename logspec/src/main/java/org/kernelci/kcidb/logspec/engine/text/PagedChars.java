package org.kernelci.kcidb.logspec.engine.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Characters stored as UTF-16 in a temporary file and read back through a fixed number of cached pages: the heap held is
 * {@value #CACHE_PAGES} pages of {@value #PAGE_CHARS} characters, whatever the size of the log.
 *
 * <p>The parsers scan forwards and backtrack locally, so a one-page fast path plus a small least-recently-used cache is
 * enough. Not thread-safe. The file is deleted when closed (and by the OS on exit, via {@code DELETE_ON_CLOSE}).
 */
final class PagedChars implements CharSequence, AutoCloseable {

    static final int PAGE_BITS = 19;
    static final int PAGE_CHARS = 1 << PAGE_BITS;
    static final int CACHE_PAGES = 8;
    private static final int PAGE_MASK = PAGE_CHARS - 1;

    private final FileChannel channel;
    private final int length;
    private final char[][] cache = new char[CACHE_PAGES][];
    private final int[] cachedPage = new int[CACHE_PAGES];
    private final long[] lastUse = new long[CACHE_PAGES];
    private final ByteBuffer readBuffer = ByteBuffer.allocate(PAGE_CHARS * 2).order(ByteOrder.nativeOrder());
    private long clock;
    private char[] current;
    private int currentBase = Integer.MIN_VALUE / 2;
    private int currentLength;

    private PagedChars(FileChannel channel, int length) {
        this.channel = channel;
        this.length = length;
        java.util.Arrays.fill(cachedPage, -1);
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        int off = index - currentBase;
        if (off >= 0 && off < currentLength) {
            return current[off];
        }
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("index " + index + ", length " + length);
        }
        select(index >>> PAGE_BITS);
        return current[index & PAGE_MASK];
    }

    int indexOf(char c, int from, int to) {
        int i = Math.max(from, 0);
        int end = Math.min(to, length);
        while (i < end) {
            int page = i >>> PAGE_BITS;
            select(page);
            int base = page << PAGE_BITS;
            int stop = Math.min(end - base, currentLength);
            for (int k = i - base; k < stop; k++) {
                if (current[k] == c) {
                    return base + k;
                }
            }
            i = base + stop;
        }
        return -1;
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        if (start < 0 || end > length || start > end) {
            throw new IndexOutOfBoundsException("range [" + start + ", " + end + "), length " + length);
        }
        char[] out = new char[end - start];
        int i = start;
        while (i < end) {
            int page = i >>> PAGE_BITS;
            select(page);
            int base = page << PAGE_BITS;
            int n = Math.min(end, base + currentLength) - i;
            System.arraycopy(current, i - base, out, i - start, n);
            i += n;
        }
        return new String(out);
    }

    /** The whole text as a string: defeats the purpose of spilling, so only for debugging. */
    @Override
    public String toString() {
        return subSequence(0, length).toString();
    }

    private void select(int page) {
        long now = ++clock;
        for (int s = 0; s < CACHE_PAGES; s++) {
            if (cachedPage[s] == page) {
                lastUse[s] = now;
                use(s, page);
                return;
            }
        }
        int victim = 0;
        for (int s = 1; s < CACHE_PAGES; s++) {
            if (lastUse[s] < lastUse[victim]) {
                victim = s;
            }
        }
        if (cache[victim] == null) {
            cache[victim] = new char[PAGE_CHARS];
        }
        int chars = Math.min(PAGE_CHARS, length - (page << PAGE_BITS));
        readBuffer.clear().limit(chars * 2);
        long pos = ((long) page << PAGE_BITS) * 2;
        try {
            while (readBuffer.hasRemaining()) {
                if (channel.read(readBuffer, pos + readBuffer.position()) < 0) {
                    throw new IOException("spill file truncated at page " + page);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("reading the spilled log text", e);
        }
        readBuffer.flip();
        readBuffer.asCharBuffer().get(cache[victim], 0, chars);
        cachedPage[victim] = page;
        lastUse[victim] = now;
        use(victim, page);
    }

    private void use(int slot, int page) {
        current = cache[slot];
        currentBase = page << PAGE_BITS;
        currentLength = Math.min(PAGE_CHARS, length - currentBase);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Writes characters sequentially to a fresh temporary file. */
    static final class Writer {
        private final Path path;
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.nativeOrder());
        private long chars;

        private Writer(Path path, FileChannel channel) {
            this.path = path;
            this.channel = channel;
        }

        static Writer create() throws IOException {
            Path path = Files.createTempFile("logspec-", ".utf16");
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
            return new Writer(path, channel);
        }

        void write(char[] buf, int off, int len) throws IOException {
            int i = off;
            int end = off + len;
            while (i < end) {
                int n = Math.min(end - i, buffer.remaining() / 2);
                buffer.asCharBuffer().put(buf, i, n);
                buffer.position(buffer.position() + n * 2);
                i += n;
                if (buffer.remaining() < 2) {
                    flush();
                }
            }
            chars += len;
        }

        private void flush() throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        }

        PagedChars finish() throws IOException {
            flush();
            return new PagedChars(channel, (int) chars);
        }

        void abandon() {
            try {
                channel.close();
            } catch (IOException e) {
                // Closing deletes the file (DELETE_ON_CLOSE); nothing else to do on this path.
            }
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // Best effort: the file is a temporary one.
            }
        }
    }
}
