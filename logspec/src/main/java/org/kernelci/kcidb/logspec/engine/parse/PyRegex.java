package org.kernelci.kcidb.logspec.engine.parse;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.kernelci.kcidb.logspec.engine.LogspecParseException;

/**
 * Python {@code re} patterns on {@code java.util.regex} (spec §9).
 *
 * <p>Every pattern is compiled with {@link Pattern#UNIX_LINES}: Python's {@code .} stops only at {@code \n} (it matches
 * {@code \r}, so CRLF logs keep a trailing {@code \r} in captures), and {@code ^}/{@code $} only see {@code \n}. The
 * fixed patterns of the port spell Python's Unicode {@code \d}, {@code \w} and {@code \s} as explicit classes.
 *
 * <p>Make targets, stems and object names are pasted into patterns unescaped by the reference, so they act as regular
 * expressions. {@link #translate(String)} keeps Python's reading of such a fragment: {@code {} that is not a quantifier is
 * literal, {@code [} and {@code &&} inside a class are literal, the class escapes get Python's Unicode meaning, and what
 * Python rejects (a bad escape, an unbalanced parenthesis) raises {@link LogspecParseException} as {@code re.error}.
 */
final class PyRegex {

    static final String TS = "\\[[ " + Py.DIGIT + ".]+\\]";
    static final String WORD = "[" + Py.WORD_CLASS_BODY + "]";
    static final String SPACE = "[" + Py.WHITESPACE_CLASS_BODY + "]";
    static final String NOT_SPACE = "[^" + Py.WHITESPACE_CLASS_BODY + "]";
    /** kbuild's optional {@code HH:MM:SS } prefix, {@code (?:\d\d:\d\d:\d\d *)?}. */
    static final String CLOCK = "(?:" + Py.DIGIT + Py.DIGIT + ":" + Py.DIGIT + Py.DIGIT + ":" + Py.DIGIT + Py.DIGIT + " *)?";

    private PyRegex() {
    }

    /** Compiles a pattern already written in Java syntax with Python semantics. */
    static Pattern compile(String javaRegex) {
        return Pattern.compile(javaRegex, Pattern.UNIX_LINES);
    }

    static Pattern compile(String javaRegex, int extraFlags) {
        return Pattern.compile(javaRegex, Pattern.UNIX_LINES | extraFlags);
    }

    /** Compiles a pattern assembled around translated fragments; a syntax error is Python's {@code re.error}. */
    static Pattern compileInterpolated(String javaRegex) {
        try {
            return compile(javaRegex);
        } catch (PatternSyntaxException e) {
            throw new LogspecParseException("re.error", "log text used as a regular expression is invalid: "
                    + e.getDescription());
        }
    }

    /** A Python regular-expression fragment in Java syntax, meaning the same. */
    static String translate(String py) {
        StringBuilder out = new StringBuilder(py.length() + 16);
        int n = py.length();
        int i = 0;
        while (i < n) {
            char c = py.charAt(i);
            if (c == '\\') {
                i = escape(py, i, out, false);
            } else if (c == '[') {
                i = charClass(py, i, out);
            } else if (c == '{') {
                int end = quantifierEnd(py, i);
                if (end < 0) {
                    out.append("\\{");
                    i++;
                } else {
                    String q = py.substring(i, end);
                    out.append(q.startsWith("{,") ? "{0" + q.substring(1) : q);
                    i = end;
                }
            } else if (c == '}') {
                out.append("\\}");
                i++;
            } else if (py.startsWith("(?P<", i)) {
                out.append("(?<");
                i += 4;
            } else if (py.startsWith("(?P=", i)) {
                int close = py.indexOf(')', i);
                if (close < 0) {
                    throw reError("missing ), unterminated name");
                }
                out.append("\\k<").append(py, i + 4, close).append('>');
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** End of a Python quantifier {@code {m}}, {@code {m,}}, {@code {,n}} or {@code {m,n}} starting at {@code i}, else -1. */
    private static int quantifierEnd(String py, int i) {
        int j = i + 1;
        int n = py.length();
        int lo = j;
        while (j < n && Character.isDigit(py.charAt(j)) && py.charAt(j) < 0x80) {
            j++;
        }
        boolean hasLo = j > lo;
        if (j < n && py.charAt(j) == '}') {
            return hasLo ? j + 1 : -1;
        }
        if (j >= n || py.charAt(j) != ',') {
            return -1;
        }
        j++;
        while (j < n && Character.isDigit(py.charAt(j)) && py.charAt(j) < 0x80) {
            j++;
        }
        if (j < n && py.charAt(j) == '}') {
            return j + 1;
        }
        return -1;
    }

    private static int charClass(String py, int start, StringBuilder out) {
        int n = py.length();
        int i = start + 1;
        out.append('[');
        if (i < n && py.charAt(i) == '^') {
            out.append('^');
            i++;
        }
        int first = i;
        while (i < n) {
            char c = py.charAt(i);
            if (c == ']' && i > first) {
                out.append(']');
                return i + 1;
            }
            if (c == '\\') {
                i = escape(py, i, out, true);
                continue;
            }
            if (c == ']' || c == '[') {
                out.append('\\').append(c);
            } else if (c == '&' && i + 1 < n && py.charAt(i + 1) == '&') {
                out.append("&\\&");
                i++;
            } else {
                out.append(c);
            }
            i++;
        }
        throw reError("unterminated character set at position " + start);
    }

    private static int escape(String py, int i, StringBuilder out, boolean inClass) {
        if (i + 1 >= py.length()) {
            throw reError("bad escape (end of pattern)");
        }
        char e = py.charAt(i + 1);
        String body;
        switch (e) {
            case 'd' -> body = "\\p{Nd}";
            case 'D' -> body = "\\P{Nd}";
            case 'w' -> body = inClass ? Py.WORD_CLASS_BODY : WORD;
            case 'W' -> body = "[^" + Py.WORD_CLASS_BODY + "]";
            case 's' -> body = inClass ? Py.WHITESPACE_CLASS_BODY : SPACE;
            case 'S' -> body = NOT_SPACE;
            case 'b' -> body = inClass ? "\\x08" : "\\b";
            case 'B', 'A' -> {
                if (inClass) {
                    throw reError("bad escape \\" + e);
                }
                body = "\\" + e;
            }
            case 'Z' -> {
                if (inClass) {
                    throw reError("bad escape \\Z");
                }
                body = "\\z";
            }
            case 'n', 't', 'r', 'f' -> body = "\\" + e;
            case 'a' -> body = "\\x07";
            case 'v' -> body = "\\x0B";
            case 'x' -> {
                requireHex(py, i + 2, 2);
                out.append(py, i, i + 4);
                return i + 4;
            }
            case 'u' -> {
                requireHex(py, i + 2, 4);
                out.append(py, i, i + 6);
                return i + 6;
            }
            case 'U' -> {
                requireHex(py, i + 2, 8);
                out.append("\\x{").append(py, i + 2, i + 10).append('}');
                return i + 10;
            }
            case 'N' -> {
                int close = py.indexOf('}', i);
                if (i + 2 >= py.length() || py.charAt(i + 2) != '{' || close < 0) {
                    throw reError("missing { after \\N");
                }
                out.append(py, i, close + 1);
                return close + 1;
            }
            case '0' -> {
                int j = i + 2;
                while (j < py.length() && j < i + 4 && py.charAt(j) >= '0' && py.charAt(j) <= '7') {
                    j++;
                }
                int value = Integer.parseInt("0" + py.substring(i + 2, j), 8);
                out.append(String.format("\\x{%x}", value));
                return j;
            }
            default -> {
                if (e >= '1' && e <= '9') {
                    int j = i + 1;
                    while (j < py.length() && j < i + 3 && Character.isDigit(py.charAt(j)) && py.charAt(j) < 0x80) {
                        j++;
                    }
                    if (inClass) {
                        throw reError("bad escape \\" + e);
                    }
                    out.append(py, i, j);
                    return j;
                }
                if (e < 0x80 && Character.isLetter(e)) {
                    throw reError("bad escape \\" + e);
                }
                body = "\\" + e;
            }
        }
        out.append(body);
        return i + 2;
    }

    private static void requireHex(String py, int from, int count) {
        if (from + count > py.length()) {
            throw reError("incomplete escape at position " + (from - 2));
        }
        for (int k = from; k < from + count; k++) {
            if (Character.digit(py.charAt(k), 16) < 0) {
                throw reError("incomplete escape at position " + (from - 2));
            }
        }
    }

    private static LogspecParseException reError(String what) {
        return new LogspecParseException("re.error", "log text used as a regular expression is invalid: " + what);
    }
}
