package org.kernelci.kcidb.logspec.engine.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The decoded text of one log, addressed by UTF-16 offsets.
 *
 * <p>Small logs are held as one {@link String}, so that {@code java.util.regex} and {@code String.indexOf} run at full speed.
 * Logs above the spill threshold live in a temporary file and are read back through a small page cache ({@link PagedChars}),
 * so a 200 MB log is analysed in bounded heap (issue 5, "Robustness"). Either way the parsers see the same characters at the
 * same offsets, which is what keeps signatures identical.
 *
 * <p>Python indexes strings by code point; the hidden {@code _match_end} is the only offset that reaches the output, so the
 * positions of surrogate pairs are recorded while decoding and {@link #codePointIndex(int)} converts (spec §2.2).
 *
 * <p>Not thread-safe when spilled: the page cache is mutable. One parse uses one instance on one thread.
 */
public final class LogText implements AutoCloseable {

    private final String string;
    private final PagedChars paged;
    private final CharSequence chars;
    private final int length;
    /** UTF-16 index of the high surrogate of every surrogate pair, ascending. */
    private final int[] pairs;

    private LogText(String string, PagedChars paged, int[] pairs) {
        this.string = string;
        this.paged = paged;
        this.chars = string != null ? string : paged;
        this.length = chars.length();
        this.pairs = pairs;
    }

    /** An in-memory text; surrogate pairs are located by scanning. */
    public static LogText of(String text) {
        int[] found = new int[8];
        int n = 0;
        for (int i = 0; i + 1 < text.length(); i++) {
            if (Character.isHighSurrogate(text.charAt(i)) && Character.isLowSurrogate(text.charAt(i + 1))) {
                if (n == found.length) {
                    found = Arrays.copyOf(found, n * 2);
                }
                found[n++] = i++;
            }
        }
        return new LogText(text, null, Arrays.copyOf(found, n));
    }

    public int length() {
        return length;
    }

    public char charAt(int index) {
        return string != null ? string.charAt(index) : paged.charAt(index);
    }

    /** The characters, for {@code java.util.regex}; matchers must be given regions, never the whole text to copy. */
    public CharSequence chars() {
        return chars;
    }

    public boolean isSpilled() {
        return paged != null;
    }

    /** First index of {@code c} in {@code [from, to)}, or -1. */
    public int indexOf(char c, int from, int to) {
        if (from >= to) {
            return -1;
        }
        return string != null ? string.indexOf(c, from, to) : paged.indexOf(c, from, to);
    }

    /** First index at which {@code needle} lies wholly inside {@code [from, to)}, or -1. */
    public int indexOf(String needle, int from, int to) {
        if (to - from < needle.length()) {
            return -1;
        }
        if (string != null) {
            return string.indexOf(needle, from, to);
        }
        char first = needle.charAt(0);
        int last = to - needle.length();
        for (int i = paged.indexOf(first, from, last + 1); i >= 0; i = paged.indexOf(first, i + 1, last + 1)) {
            if (regionMatches(i, needle, to)) {
                return i;
            }
        }
        return -1;
    }

    /** Last index of {@code c} in {@code [from, to)}, or -1. */
    public int lastIndexOf(char c, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code s} occurs at {@code at} and ends at or before {@code to}. */
    public boolean regionMatches(int at, String s, int to) {
        if (at < 0 || at + s.length() > to) {
            return false;
        }
        if (string != null) {
            return string.startsWith(s, at);
        }
        for (int k = 0; k < s.length(); k++) {
            if (paged.charAt(at + k) != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** End of the line holding {@code from}: the index of the next {@code '\n'} before {@code to}, else {@code to}. */
    public int lineEnd(int from, int to) {
        int nl = indexOf('\n', from, to);
        return nl < 0 ? to : nl;
    }

    /** A copy of {@code [from, to)}. */
    public String slice(int from, int to) {
        if (string != null) {
            return string.substring(from, to);
        }
        return paged.subSequence(from, to).toString();
    }

    /** Number of code points before {@code utf16Index} (Python's string index). */
    public long codePointIndex(int utf16Index) {
        int pos = Arrays.binarySearch(pairs, utf16Index);
        int before = pos >= 0 ? pos : -pos - 1;
        return (long) utf16Index - before;
    }

    @Override
    public void close() {
        if (paged != null) {
            try {
                paged.close();
            } catch (IOException e) {
                throw new UncheckedIOException("closing the spilled log text", e);
            }
        }
    }

    @Override
    public String toString() {
        return "LogText[" + length + " chars" + (paged != null ? ", spilled" : "") + "]";
    }

    /** Accumulates decoded characters; spills to a temporary file past the threshold. */
    public static final class Builder {
        private final int spillThresholdChars;
        private StringBuilder memory = new StringBuilder();
        private PagedChars.Writer spill;
        private long length;
        private int[] pairs = new int[8];
        private int pairCount;

        /** @param spillThresholdChars texts longer than this are kept on disk, not in the heap */
        public Builder(int spillThresholdChars) {
            if (spillThresholdChars < 0) {
                throw new IllegalArgumentException("spill threshold must not be negative: " + spillThresholdChars);
            }
            this.spillThresholdChars = spillThresholdChars;
        }

        public long length() {
            return length;
        }

        /** Records that a surrogate pair starts at {@code index} (an absolute UTF-16 index). */
        void recordPair(long index) {
            if (pairCount == pairs.length) {
                pairs = Arrays.copyOf(pairs, pairCount * 2);
            }
            pairs[pairCount++] = (int) index;
        }

        public void append(char[] buf, int off, int len) throws IOException {
            if (length + len > Integer.MAX_VALUE - 16) {
                throw new IOException("log too large: more than " + (Integer.MAX_VALUE - 16) + " characters");
            }
            length += len;
            if (spill == null && memory.length() + len > spillThresholdChars) {
                spill = PagedChars.Writer.create();
                // Copied in slices: a full copy would double the heap this class exists to bound.
                char[] slice = new char[1 << 16];
                for (int at = 0; at < memory.length(); at += slice.length) {
                    int n = Math.min(slice.length, memory.length() - at);
                    memory.getChars(at, at + n, slice, 0);
                    spill.write(slice, 0, n);
                }
                memory = null;
            }
            if (spill != null) {
                spill.write(buf, off, len);
            } else {
                memory.append(buf, off, len);
            }
        }

        public LogText build() throws IOException {
            int[] p = Arrays.copyOf(pairs, pairCount);
            if (spill != null) {
                return new LogText(null, spill.finish(), p);
            }
            return new LogText(memory.toString(), null, p);
        }

        /** Releases the temporary file of a builder that will not be built. */
        public void abandon() {
            if (spill != null) {
                spill.abandon();
            }
        }
    }
}
