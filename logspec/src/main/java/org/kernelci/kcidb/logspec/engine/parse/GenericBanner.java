package org.kernelci.kcidb.logspec.engine.parse;

import org.kernelci.kcidb.logspec.engine.text.LogText;

/**
 * The banner of a "cut here" report, {@code TS.*?(?P<report_type>[A-Z]+):.*? at (?P<location>.*)} (spec §4.2,
 * GenericError), searched in linear time.
 *
 * <p>For a timestamp ending at {@code q}, the lazy {@code .*?} settles on the first run of capitals followed by {@code :}
 * after {@code q}, and the match succeeds iff {@code " at "} follows that colon on the line; {@code location} is the rest
 * of the line after the first such {@code " at "}. A later timestamp on the same line only sees a suffix of it, so if the
 * first timestamp of a line fails, the line fails. A backtracking engine instead retries every capital run from every
 * timestamp: quadratic on a long line.
 */
final class GenericBanner {

    private GenericBanner() {
    }

    /** Groups: 1 = report type, 2 = location. */
    static Hit find(LogText t, int from, int to) {
        int line = from;
        while (line < to) {
            int lineEnd = t.lineEnd(line, to);
            Hit h = onLine(t, line, lineEnd);
            if (h != null) {
                return h;
            }
            line = lineEnd + 1;
        }
        return null;
    }

    private static Hit onLine(LogText t, int line, int lineEnd) {
        int s = line;
        int q = -1;
        while (true) {
            s = t.indexOf('[', s, lineEnd);
            if (s < 0) {
                return null;
            }
            q = Ts.end(t, s, lineEnd);
            if (q >= 0) {
                break;
            }
            s++;
        }
        int j = q;
        while (j < lineEnd) {
            char c = t.charAt(j);
            if (c < 'A' || c > 'Z') {
                j++;
                continue;
            }
            int runStart = j;
            while (j < lineEnd && t.charAt(j) >= 'A' && t.charAt(j) <= 'Z') {
                j++;
            }
            if (j < lineEnd && t.charAt(j) == ':') {
                int at = t.indexOf(" at ", j + 1, lineEnd);
                if (at < 0) {
                    return null;
                }
                return Hit.of(t, s, lineEnd, runStart, j, at + 4, lineEnd);
            }
        }
        return null;
    }
}
