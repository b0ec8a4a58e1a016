package org.kernelci.kcidb.logspec.engine.parse;

import org.kernelci.kcidb.logspec.engine.text.LogText;

/**
 * The bootloader hand-over tags (spec §3.1, §3.5): the leftmost match of
 * {@code Starting kernel ...|jumping to kernel|Booting from ROM...|TS Booting Linux}, where each {@code .} is any character
 * but a newline. The alternatives start with different characters, so the leftmost occurrence of any of them wins.
 *
 * <p>By hand because {@code java.util.regex} tries the four alternatives at every offset of what is often megabytes of
 * bootloader output; this searches each literal with {@code indexOf} instead, about ten times faster, same answer.
 */
final class BootTags {

    private static final String STARTING_KERNEL = "Starting kernel ";
    private static final String JUMPING = "jumping to kernel";
    private static final String ROM = "Booting from ROM";
    private static final String BOOTING_LINUX = " Booting Linux";

    private BootTags() {
    }

    /** @param withRom whether "Booting from ROM..." counts (generic_boot: yes; the chromebook states: no) */
    static Hit find(LogText t, int from, int to, boolean withRom) {
        Hit best = wildcardTail(t, STARTING_KERNEL, from, to);
        int jumping = t.indexOf(JUMPING, from, best != null ? Math.min(to, best.start() + JUMPING.length()) : to);
        if (jumping >= 0 && (best == null || jumping < best.start())) {
            best = Hit.of(t, jumping, jumping + JUMPING.length());
        }
        if (withRom) {
            Hit rom = wildcardTail(t, ROM, from, to);
            if (rom != null && (best == null || rom.start() < best.start())) {
                best = rom;
            }
        }
        Hit linux = timestampedBootingLinux(t, from, to);
        if (linux != null && (best == null || linux.start() < best.start())) {
            best = linux;
        }
        return best;
    }

    /** {@code literal...}: the literal followed by three code points other than a newline. */
    private static Hit wildcardTail(LogText t, String literal, int from, int to) {
        for (int x = t.indexOf(literal, from, to); x >= 0; x = t.indexOf(literal, x + 1, to)) {
            int end = x + literal.length();
            int k = 0;
            while (k < 3 && end < to && t.charAt(end) != '\n') {
                end += Character.charCount(Ts.codePointAt(t, end, to));
                k++;
            }
            if (k == 3 && end <= to) {
                return Hit.of(t, x, end);
            }
        }
        return null;
    }

    /** {@code TS Booting Linux}: find the words, then the timestamp that must end right before them. */
    private static Hit timestampedBootingLinux(LogText t, int from, int to) {
        for (int q = t.indexOf(BOOTING_LINUX, from, to); q >= 0; q = t.indexOf(BOOTING_LINUX, q + 1, to)) {
            int s = timestampStartEndingAt(t, from, q);
            if (s >= 0) {
                return Hit.of(t, s, q + BOOTING_LINUX.length());
            }
        }
        return null;
    }

    /** Start of the timestamp {@code \[[ \d\.]+\]} that ends exactly at {@code end}, not before {@code from}; or -1. */
    static int timestampStartEndingAt(LogText t, int from, int end) {
        int i = end - 1;
        if (i <= from || t.charAt(i) != ']') {
            return -1;
        }
        i--;
        int inside = 0;
        while (i >= from) {
            char c = t.charAt(i);
            if (c == '[') {
                return inside > 0 ? i : -1;
            }
            if (c == ' ' || c == '.' || c >= '0' && c <= '9') {
                i--;
            } else if (Character.isLowSurrogate(c) && i - 1 >= from && Character.isHighSurrogate(t.charAt(i - 1))
                    && Py.isDigit(Character.toCodePoint(t.charAt(i - 1), c))) {
                i -= 2;
            } else if (c >= 0x80 && !Character.isSurrogate(c) && Py.isDigit(c)) {
                i--;
            } else {
                return -1;
            }
            inside++;
        }
        return -1;
    }
}
