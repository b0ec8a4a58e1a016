package org.kernelci.kcidb.logspec.engine.parse;

import java.util.ArrayList;
import java.util.List;
import org.kernelci.kcidb.logspec.engine.json.CanonicalJson;

/**
 * The few Python built-ins logspec relies on, with Python's semantics (spec §9.3, §9.7, §9.8): Unicode-aware {@code \d},
 * {@code \w} and whitespace, {@code str.strip}/{@code split}, {@code os.path} on POSIX, and code-point sorting.
 */
final class Py {

    /** Python's {@code \s} and {@code str.isspace()}: note U+001C..U+001F, which Java's classes leave out. */
    static final String WHITESPACE_CLASS_BODY = "\\t\\n\\x0B\\f\\r\\x1C-\\x1F \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029"
            + "\\u202F\\u205F\\u3000";
    /** Python's {@code \w} for {@code str} patterns: alphanumerics ({@code isalpha} or numeric) and underscore. */
    static final String WORD_CLASS_BODY = "\\p{L}\\p{N}_";
    /** Python's {@code \d} for {@code str} patterns: decimal digits, any script. */
    static final String DIGIT = "\\p{Nd}";

    private Py() {
    }

    static boolean isSpace(int cp) {
        return switch (cp) {
            case '\t', '\n', 0x0B, '\f', '\r', 0x1C, 0x1D, 0x1E, 0x1F, ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F,
                 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }

    static boolean isDigit(int cp) {
        return cp >= '0' && cp <= '9' || cp >= 0x80 && Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER;
    }

    static boolean isWord(int cp) {
        if (cp < 0x80) {
            return cp >= 'a' && cp <= 'z' || cp >= 'A' && cp <= 'Z' || cp >= '0' && cp <= '9' || cp == '_';
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER, Character.MODIFIER_LETTER,
                 Character.OTHER_LETTER, Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
            default -> false;
        };
    }

    /** {@code s.strip()}. */
    static String strip(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && isSpace(s.codePointAt(a))) {
            a += Character.charCount(s.codePointAt(a));
        }
        while (b > a && isSpace(s.codePointBefore(b))) {
            b -= Character.charCount(s.codePointBefore(b));
        }
        return s.substring(a, b);
    }

    /** {@code s.strip(chars)} for a set of BMP characters. */
    static String strip(String s, String chars) {
        int a = 0;
        int b = s.length();
        while (a < b && chars.indexOf(s.charAt(a)) >= 0) {
            a++;
        }
        while (b > a && chars.indexOf(s.charAt(b - 1)) >= 0) {
            b--;
        }
        return s.substring(a, b);
    }

    /** {@code s.split()}: runs of whitespace separate, no empty fields. */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && isSpace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            int start = i;
            while (i < n && !isSpace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            if (i > start) {
                out.add(s.substring(start, i));
            }
        }
        return out;
    }

    /** {@code sorted(s.split())}. */
    static List<String> sortedSplit(String s) {
        List<String> out = split(s);
        out.sort(CanonicalJson.CODE_POINT_ORDER);
        return List.copyOf(out);
    }

    /** {@code os.path.splitext(p)[0]}. */
    static String splitextRoot(String p) {
        int ext = extensionIndex(p);
        return ext < 0 ? p : p.substring(0, ext);
    }

    /** {@code os.path.splitext(p)[1]}. */
    static String splitextExt(String p) {
        int ext = extensionIndex(p);
        return ext < 0 ? "" : p.substring(ext);
    }

    private static int extensionIndex(String p) {
        int sep = p.lastIndexOf('/');
        int dot = p.lastIndexOf('.');
        if (dot > sep) {
            // Dots leading the basename do not start an extension (".config" has none).
            for (int i = sep + 1; i < dot; i++) {
                if (p.charAt(i) != '.') {
                    return dot;
                }
            }
        }
        return -1;
    }

    /** {@code os.path.basename(p)}. */
    static String basename(String p) {
        return p.substring(p.lastIndexOf('/') + 1);
    }

    /** {@code os.path.dirname(p)}: trailing slashes go unless the head is all slashes. */
    static String dirname(String p) {
        String head = p.substring(0, p.lastIndexOf('/') + 1);
        if (!head.isEmpty() && !head.chars().allMatch(c -> c == '/')) {
            int end = head.length();
            while (end > 0 && head.charAt(end - 1) == '/') {
                end--;
            }
            head = head.substring(0, end);
        }
        return head;
    }

    /** {@code os.path.join(a, b)}. */
    static String join(String a, String b) {
        if (b.startsWith("/")) {
            return b;
        }
        if (a.isEmpty() || a.endsWith("/")) {
            return a + b;
        }
        return a + "/" + b;
    }
}
