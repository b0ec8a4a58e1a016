package org.kernelci.kcidb.logspec.engine.parse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kernelci.kcidb.logspec.engine.text.LogText;

/**
 * Strategy A of the compiler error (spec §4.1.1) in linear time, for the usual stems: literal characters and {@code .}
 * wildcards, so a stem match has one fixed length in code points. The pattern is
 * <pre>^.*?(?P&lt;src_file&gt;STEM.*?):(?P&lt;line_no&gt;\d+):(?P&lt;position&gt;\d+): (?P&lt;type&gt;.*?): (?P&lt;message&gt;.*?)\n</pre>
 * (MULTILINE). On a line, call a colon at {@code x} <em>valid</em> when {@code :\d+:\d+: } starts there and a later
 * {@code ": "} follows on the line. The line matches iff its first stem match ends at or before its last valid colon;
 * the source file then runs to the first valid colon after the stem. A backtracking engine instead tries every stem
 * occurrence against the rest of the line: quadratic on a long line (a target named " .o" and a line of spaces).
 */
final class CompilerLine {

    private CompilerLine() {
    }

    /** Whether the raw stem is a fixed-length pattern this scanner handles. */
    static boolean handles(String rawStem) {
        for (int i = 0; i < rawStem.length(); i++) {
            if ("\\[](){}*+?|^$\n".indexOf(rawStem.charAt(i)) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** Groups: 1 src_file, 2 line_no, 3 position, 4 type, 5 message. */
    static Hit find(LogText t, Pattern stem, int from, int to) {
        Matcher m = stem.matcher(t.chars());
        int line = from;
        while (line < to) {
            int nl = t.indexOf('\n', line, to);
            if (nl < 0) {
                return null; // the message must end with a newline inside the region
            }
            int lastValid = -1;
            int lastColonSpace = lastIndexOfColonSpace(t, line, nl);
            for (int x = t.indexOf(':', line, nl); x >= 0; x = t.indexOf(':', x + 1, nl)) {
                int end = diagnosticEnd(t, x, nl);
                if (end >= 0 && lastColonSpace >= end) {
                    lastValid = x;
                }
            }
            if (lastValid >= 0) {
                m.region(line, nl);
                if (m.find() && m.end() <= lastValid) {
                    int x = m.end();
                    int end;
                    while (true) {
                        x = t.indexOf(':', x, nl);
                        end = diagnosticEnd(t, x, nl);
                        if (end >= 0 && lastColonSpace >= end) {
                            break;
                        }
                        x++;
                    }
                    int lineNoEnd = Ts.digitsEnd(t, x + 1, nl);
                    int positionEnd = Ts.digitsEnd(t, lineNoEnd + 1, nl);
                    int typeEnd = t.indexOf(": ", end, nl);
                    return Hit.of(t, line, nl + 1, m.start(), x, x + 1, lineNoEnd, lineNoEnd + 1, positionEnd,
                            end, typeEnd, typeEnd + 2, nl);
                }
            }
            line = nl + 1;
        }
        return null;
    }

    /** End of {@code :\d+:\d+: } starting at {@code x}, or -1. */
    private static int diagnosticEnd(LogText t, int x, int to) {
        if (x < 0 || x >= to || t.charAt(x) != ':') {
            return -1;
        }
        int d1 = Ts.digitsEnd(t, x + 1, to);
        if (d1 == x + 1 || d1 >= to || t.charAt(d1) != ':') {
            return -1;
        }
        int d2 = Ts.digitsEnd(t, d1 + 1, to);
        if (d2 == d1 + 1 || !t.regionMatches(d2, ": ", to)) {
            return -1;
        }
        return d2 + 2;
    }

    private static int lastIndexOfColonSpace(LogText t, int from, int to) {
        for (int i = to - 2; i >= from; i--) {
            if (t.charAt(i) == ':' && t.charAt(i + 1) == ' ') {
                return i;
            }
        }
        return -1;
    }
}
