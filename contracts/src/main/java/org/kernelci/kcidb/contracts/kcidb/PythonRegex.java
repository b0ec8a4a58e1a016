package org.kernelci.kcidb.contracts.kcidb;

import java.util.regex.Pattern;

/**
 * Ports the regular expressions of the KCIDB schemas from Python {@code re} to {@code java.util.regex}, keeping
 * Python's meaning. jsonschema applies a {@code pattern} with {@code re.search}, i.e. {@link java.util.regex.Matcher#find()}.
 *
 * <p>Two differences matter for these schemas:
 * <ul>
 *   <li>Python reads {@code \0} as an octal escape for NUL; Java refuses to compile it ("Illegal octal escape
 *       sequence"). It is rewritten to {@code \x{0}}.</li>
 *   <li>Python's {@code $} matches at the end or before a final {@code \n} only, and {@code .} excludes only
 *       {@code \n}; Java's honour every line terminator ({@code \r\n}, {@code \u2028}, ...). The
 *       {@code UNIX_LINES} flag ({@code (?d)}) gives Java Python's behaviour, so {@code "maestro\n"} matches
 *       {@code ^[a-z0-9_]+$} and {@code "maestro\r\n"} does not, as in the reference.</li>
 * </ul>
 */
final class PythonRegex {
    private PythonRegex() {
    }

    /** The Java source of a Python pattern, flags included: suitable for a JSON Schema {@code pattern}. */
    static String toJava(String python) {
        return "(?d)" + translateEscapes(python);
    }

    /** Compiles a Python pattern; throws {@link java.util.regex.PatternSyntaxException} if it cannot be ported. */
    static Pattern compile(String python) {
        return Pattern.compile(toJava(python));
    }

    private static String translateEscapes(String python) {
        StringBuilder java = new StringBuilder(python.length() + 8);
        int i = 0;
        while (i < python.length()) {
            char c = python.charAt(i);
            if (c != '\\' || i + 1 == python.length()) {
                java.append(c);
                i++;
                continue;
            }
            char next = python.charAt(i + 1);
            if (next == '0') {
                // Python: "\0" plus up to two more octal digits is an octal escape.
                int end = i + 2;
                while (end < python.length() && end < i + 4 && isOctal(python.charAt(end))) {
                    end++;
                }
                int value = Integer.parseInt(python.substring(i + 1, end), 8);
                java.append("\\x{").append(Integer.toHexString(value)).append('}');
                i = end;
            } else if (next == 'Z') {
                java.append("\\z"); // Python's \Z is the very end, Java's \z
                i += 2;
            } else {
                java.append(c).append(next);
                i += 2;
            }
        }
        return java.toString();
    }

    private static boolean isOctal(char c) {
        return c >= '0' && c <= '7';
    }
}
