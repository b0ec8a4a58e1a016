package org.kernelci.kcidb.logspec.engine.parse;

import org.kernelci.kcidb.logspec.engine.text.LogText;

/**
 * The kernel timestamp {@code \[[ \d\.]+\]} (spec §3) matched by hand, plus small text helpers for the hand-written scanners.
 *
 * <p>From a given {@code [} there is at most one timestamp match (the class holds neither bracket), and two matches never
 * overlap, so scanning timestamps left to right costs linear time however the log is shaped.
 */
final class Ts {

    private Ts() {
    }

    /** End (exclusive) of a timestamp starting exactly at {@code i} and ending by {@code to}, or -1. */
    static int end(LogText t, int i, int to) {
        if (i >= to || t.charAt(i) != '[') {
            return -1;
        }
        int j = i + 1;
        while (j < to) {
            char c = t.charAt(j);
            if (c == ' ' || c == '.' || c >= '0' && c <= '9') {
                j++;
            } else if (c == ']') {
                return j > i + 1 ? j + 1 : -1;
            } else if (c >= 0x80) {
                int cp = codePointAt(t, j, to);
                if (!Py.isDigit(cp)) {
                    return -1;
                }
                j += Character.charCount(cp);
            } else {
                return -1;
            }
        }
        return -1;
    }

    /** The code point at {@code i}, pairing surrogates only within {@code [i, to)}. */
    static int codePointAt(LogText t, int i, int to) {
        char c = t.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < to) {
            char d = t.charAt(i + 1);
            if (Character.isLowSurrogate(d)) {
                return Character.toCodePoint(c, d);
            }
        }
        return c;
    }

    /** End of the run of Python decimal digits starting at {@code i} (returns {@code i} if there is none). */
    static int digitsEnd(LogText t, int i, int to) {
        int j = i;
        while (j < to) {
            int cp = codePointAt(t, j, to);
            if (!Py.isDigit(cp)) {
                break;
            }
            j += Character.charCount(cp);
        }
        return j;
    }
}
