package org.kernelci.kcidb.logspec.engine.parse;

import org.kernelci.kcidb.logspec.engine.text.LogText;

/**
 * Finds the start marker of the next kernel report (spec §4.2): the leftmost match of the alternation
 * <pre>
 * (?P&lt;null_pointer&gt;TS Unable to handle kernel NULL pointer dereference)|(?P&lt;bug&gt;TS (kernel )?BUG)|(?P&lt;ubsan&gt;TS UBSAN:)
 * |(?P&lt;kernel_panic&gt;TS Kernel panic)|(?P&lt;error_return_code&gt;TS .*?error -\d+.*?)|(?P&lt;generic&gt;TS -+\[ cut here \].*)
 * </pre>
 * with the first alternative winning at equal positions. Every alternative starts with a timestamp, so the scan walks the
 * timestamps left to right and tries the alternatives in order after each.
 *
 * <p>Done by hand because {@code TS .*?error -\d+} searched by a backtracking engine re-reads the rest of the line from every
 * timestamp on it: quadratic on a long line of timestamps. Here the first {@code error -<digit>} at or after a position is
 * remembered per line, so each line is read a bounded number of times.
 */
final class KernelMarkers {

    enum Kind {
        NULL_POINTER, BUG, UBSAN, KERNEL_PANIC, ERROR_RETURN_CODE, GENERIC
    }

    record Marker(Kind kind, int start, int end) {
    }

    private static final String NULL_POINTER = " Unable to handle kernel NULL pointer dereference";
    private static final String KERNEL_BUG = " kernel BUG";
    private static final String BUG = " BUG";
    private static final String UBSAN = " UBSAN:";
    private static final String KERNEL_PANIC = " Kernel panic";
    private static final String ERROR_CODE = "error -";
    private static final String CUT_HERE = "[ cut here ]";

    private final LogText t;
    // The line (bounded by cacheTo) for which the first "error -<digit>" at or after cacheFrom is cacheAt (-1: none).
    private int cacheLineEnd = -1;
    private int cacheTo = -1;
    private int cacheFrom;
    private int cacheAt;

    KernelMarkers(LogText text) {
        this.t = text;
    }

    /** The leftmost marker in {@code [from, to)}, or {@code null}. */
    Marker find(int from, int to, boolean includeGeneric) {
        int i = from;
        while (true) {
            int s = t.indexOf('[', i, to);
            if (s < 0) {
                return null;
            }
            int q = Ts.end(t, s, to);
            if (q < 0) {
                i = s + 1;
                continue;
            }
            Marker m = at(s, q, to, includeGeneric);
            if (m != null) {
                return m;
            }
            // No '[' lies inside a timestamp, so the next candidate is after it.
            i = q;
        }
    }

    private Marker at(int s, int q, int to, boolean includeGeneric) {
        if (t.regionMatches(q, NULL_POINTER, to)) {
            return new Marker(Kind.NULL_POINTER, s, q + NULL_POINTER.length());
        }
        if (t.regionMatches(q, KERNEL_BUG, to)) {
            return new Marker(Kind.BUG, s, q + KERNEL_BUG.length());
        }
        if (t.regionMatches(q, BUG, to)) {
            return new Marker(Kind.BUG, s, q + BUG.length());
        }
        if (t.regionMatches(q, UBSAN, to)) {
            return new Marker(Kind.UBSAN, s, q + UBSAN.length());
        }
        if (t.regionMatches(q, KERNEL_PANIC, to)) {
            return new Marker(Kind.KERNEL_PANIC, s, q + KERNEL_PANIC.length());
        }
        if (q >= to || t.charAt(q) != ' ') {
            return null;
        }
        int lineEnd = lineEnd(q + 1, to);
        int at = firstErrorCode(q + 1, lineEnd, to);
        if (at >= 0) {
            // ".*?" after the digits matches the empty string: the marker ends with the digit run.
            return new Marker(Kind.ERROR_RETURN_CODE, s, Ts.digitsEnd(t, at + ERROR_CODE.length(), lineEnd));
        }
        if (includeGeneric) {
            int k = q + 1;
            while (k < to && t.charAt(k) == '-') {
                k++;
            }
            if (k > q + 1 && t.regionMatches(k, CUT_HERE, to)) {
                return new Marker(Kind.GENERIC, s, lineEnd);
            }
        }
        return null;
    }

    private int lineEnd(int from, int to) {
        if (to == cacheTo && from <= cacheLineEnd && from >= cacheFrom) {
            return cacheLineEnd;
        }
        return t.lineEnd(from, to);
    }

    /** First {@code error -<digit>} at or after {@code from} on the line ending at {@code lineEnd}, or -1. */
    private int firstErrorCode(int from, int lineEnd, int to) {
        if (lineEnd == cacheLineEnd && to == cacheTo && from >= cacheFrom && (cacheAt < 0 || from <= cacheAt)) {
            return cacheAt;
        }
        int found = -1;
        for (int x = t.indexOf(ERROR_CODE, from, lineEnd); x >= 0; x = t.indexOf(ERROR_CODE, x + 1, lineEnd)) {
            int d = x + ERROR_CODE.length();
            if (d < lineEnd && Py.isDigit(Ts.codePointAt(t, d, lineEnd))) {
                found = x;
                break;
            }
        }
        cacheLineEnd = lineEnd;
        cacheTo = to;
        cacheFrom = from;
        cacheAt = found;
        return found;
    }
}
