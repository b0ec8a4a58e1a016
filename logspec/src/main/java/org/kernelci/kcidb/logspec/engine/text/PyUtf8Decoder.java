package org.kernelci.kcidb.logspec.engine.text;

import java.io.IOException;

/**
 * Streaming UTF-8 decoder that reproduces CPython's decoder: with {@code errors='replace'}, one U+FFFD per maximal ill-formed
 * subpart (an invalid lead byte, or the longest valid prefix of a sequence that breaks off). The JDK decoder differs on
 * encoded surrogates ({@code ED A0..BF}), where it emits one replacement for two bytes (spec §9.9), and every differing
 * U+FFFD would shift offsets and change excerpts, so the port decodes by hand.
 *
 * <p>In {@link InputMode#FILE} it is strict and translates newlines as Python's universal-newlines mode does.
 */
final class PyUtf8Decoder {

    private static final char REPLACEMENT = '\uFFFD';

    private final boolean strict;
    private final boolean universalNewlines;
    private final LogText.Builder out;
    private final char[] obuf = new char[1 << 16];
    private int olen;
    private byte[] carry = new byte[0];
    private long consumed;
    private boolean lastWasCr;

    PyUtf8Decoder(InputMode mode, LogText.Builder out) {
        this.strict = mode == InputMode.FILE;
        this.universalNewlines = mode == InputMode.FILE;
        this.out = out;
    }

    void feed(byte[] buf, int off, int len) throws IOException {
        byte[] a = buf;
        int p = off;
        int end = off + len;
        if (carry.length > 0) {
            a = new byte[carry.length + len];
            System.arraycopy(carry, 0, a, 0, carry.length);
            System.arraycopy(buf, off, a, carry.length, len);
            p = 0;
            end = a.length;
            carry = new byte[0];
        }
        decode(a, p, end, false);
    }

    void finish() throws IOException {
        if (carry.length > 0) {
            byte[] a = carry;
            carry = new byte[0];
            decode(a, 0, a.length, true);
        }
        flush();
    }

    private void decode(byte[] a, int start, int end, boolean eof) throws IOException {
        int p = start;
        while (p < end) {
            if (!universalNewlines) {
                // Fast path for runs of ASCII, most of any log.
                char[] out = obuf;
                int o = olen;
                int stop = Math.min(end, p + (out.length - o));
                while (p < stop && a[p] >= 0) {
                    out[o++] = (char) a[p++];
                }
                olen = o;
                if (olen == out.length) {
                    flush();
                }
                if (p >= end) {
                    break;
                }
            }
            int b = a[p] & 0xff;
            if (b < 0x80) {
                emit((char) b);
                p++;
                continue;
            }
            int need;
            int lo = 0x80;
            int hi = 0xBF;
            if (b < 0xC2) {
                p = malformed(p, 1, start);
                continue;
            } else if (b < 0xE0) {
                need = 1;
            } else if (b < 0xF0) {
                need = 2;
                if (b == 0xE0) {
                    lo = 0xA0;
                } else if (b == 0xED) {
                    hi = 0x9F;
                }
            } else if (b < 0xF5) {
                need = 3;
                if (b == 0xF0) {
                    lo = 0x90;
                } else if (b == 0xF4) {
                    hi = 0x8F;
                }
            } else {
                p = malformed(p, 1, start);
                continue;
            }
            int cp = b & (0x3F >> need);
            int k = 1;
            boolean broken = false;
            for (; k <= need; k++) {
                if (p + k >= end) {
                    if (!eof) {
                        consumed += p - start;
                        carry = java.util.Arrays.copyOfRange(a, p, end);
                        return;
                    }
                    // Truncated at the end of the data: CPython replaces the whole valid prefix with one U+FFFD.
                    p = malformed(p, end - p, start);
                    broken = true;
                    break;
                }
                int c = a[p + k] & 0xff;
                boolean ok = k == 1 ? (c >= lo && c <= hi) : (c & 0xC0) == 0x80;
                if (!ok) {
                    p = malformed(p, k, start);
                    broken = true;
                    break;
                }
                cp = (cp << 6) | (c & 0x3F);
            }
            if (broken) {
                continue;
            }
            if (cp >= 0x10000) {
                emitPair(cp);
            } else {
                emit((char) cp);
            }
            p += need + 1;
        }
        consumed += end - start;
    }

    private int malformed(int p, int length, int start) throws IOException {
        if (strict) {
            throw new MalformedLogException("invalid UTF-8 at byte offset " + (consumed + (p - start))
                    + " (input mode 'file' decodes strictly, as Python text mode does)");
        }
        emit(REPLACEMENT);
        return p + length;
    }

    private void emit(char c) throws IOException {
        if (universalNewlines) {
            if (c == '\n' && lastWasCr) {
                lastWasCr = false;
                return;
            }
            lastWasCr = c == '\r';
            if (lastWasCr) {
                c = '\n';
            }
        }
        if (olen == obuf.length) {
            flush();
        }
        obuf[olen++] = c;
    }

    private void emitPair(int cp) throws IOException {
        if (olen >= obuf.length - 1) {
            flush();
        }
        lastWasCr = false;
        out.recordPair(out.length() + olen);
        obuf[olen++] = Character.highSurrogate(cp);
        obuf[olen++] = Character.lowSurrogate(cp);
    }

    private void flush() throws IOException {
        if (olen > 0) {
            out.append(obuf, 0, olen);
            olen = 0;
        }
    }
}
