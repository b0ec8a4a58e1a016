package org.kernelci.kcidb.logspec.engine.parse;

import org.kernelci.kcidb.logspec.engine.text.LogText;

/**
 * Searches of the form {@code TS<literal>} and {@code TS<literal>(.*)} (a kernel timestamp, then fixed text, then maybe
 * the rest of the line), the most frequent searches of the kernel parsers. The literal is found with {@code indexOf} and
 * the timestamp checked backwards from it, instead of trying the pattern at every offset as {@code java.util.regex} does.
 *
 * <p>Order is preserved: the literal's second character is outside the timestamp class, so a literal cannot start inside
 * another match's timestamp, and the leftmost literal belongs to the leftmost match.
 */
final class TsLiteral {

    private final String literal;
    private final boolean restOfLine;
    private final boolean skipSpaces;

    /**
     * @param literal    text right after the timestamp, starting with a space; its second character must not be a space,
     *                   a digit, a dot or a bracket
     * @param restOfLine whether group 1 captures the rest of the line ({@code (.*)})
     * @param skipSpaces whether spaces between the literal and group 1 are skipped ({@code " *(.*)"})
     */
    TsLiteral(String literal, boolean restOfLine, boolean skipSpaces) {
        char second = literal.charAt(1);
        if (literal.charAt(0) != ' ' || second == ' ' || second == '.' || second == '[' || second == ']'
                || Character.isDigit(second)) {
            throw new IllegalArgumentException("literal unsuitable for a backward timestamp check: " + literal);
        }
        this.literal = literal;
        this.restOfLine = restOfLine;
        this.skipSpaces = skipSpaces;
    }

    Hit find(LogText t, int from, int to) {
        for (int x = t.indexOf(literal, from, to); x >= 0; x = t.indexOf(literal, x + 1, to)) {
            int s = BootTags.timestampStartEndingAt(t, from, x);
            if (s < 0) {
                continue;
            }
            int end = x + literal.length();
            if (!restOfLine) {
                return Hit.of(t, s, end);
            }
            int group = end;
            if (skipSpaces) {
                while (group < to && t.charAt(group) == ' ') {
                    group++;
                }
            }
            int lineEnd = t.lineEnd(group, to);
            return Hit.of(t, s, lineEnd, group, lineEnd);
        }
        return null;
    }

    /** {@code TS -+\[ end trace}: a run of dashes between the timestamp's space and the words. */
    static Hit endTraceAnyDashes(LogText t, int from, int to) {
        String words = "-[ end trace";
        for (int y = t.indexOf(words, from, to); y >= 0; y = t.indexOf(words, y + 1, to)) {
            int d = y;
            while (d > from && t.charAt(d - 1) == '-') {
                d--;
            }
            if (d - 1 < from || t.charAt(d - 1) != ' ') {
                continue;
            }
            int s = BootTags.timestampStartEndingAt(t, from, d - 1);
            if (s >= 0) {
                return Hit.of(t, s, y + words.length());
            }
        }
        return null;
    }
}
