package org.kernelci.kcidb.contracts.filter;

import java.util.regex.Pattern;

/**
 * A glob in Python's {@code fnmatch} dialect, compiled once: {@code *} (any run, including {@code /} and {@code .}),
 * {@code ?}, {@code [seq]}, {@code [!seq]}; it matches a whole test path. Its {@link #regex()} reads the same in
 * {@code java.util.regex} (with DOTALL) and in PostgreSQL's {@code ~}, so a database query selects what
 * {@link #matches} accepts.
 */
public final class Glob {
    private final String text;
    private final Pattern pattern;

    private Glob(String text) {
        this.text = text;
        this.pattern = Pattern.compile(toRegex(text), Pattern.DOTALL);
    }

    public static Glob of(String text) {
        return new Glob(text);
    }

    public boolean matches(String path) {
        return path != null && pattern.matcher(path).matches();
    }

    /** The anchored regular expression, for PostgreSQL's {@code ~}. */
    public String regex() {
        return pattern.pattern();
    }

    /**
     * The glob as an anchored regular expression that {@code java.util.regex} (with DOTALL) and PostgreSQL's {@code ~}
     * read the same way: every character other than letters and digits is escaped.
     */
    static String toRegex(String glob) {
        StringBuilder re = new StringBuilder("^");
        int i = 0;
        int n = glob.length();
        while (i < n) {
            char c = glob.charAt(i++);
            if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[') {
                int end = classEnd(glob, i);
                if (end < 0) {
                    re.append("\\[");
                } else {
                    re.append(charClass(glob.substring(i, end)));
                    i = end + 1;
                }
            } else if (Character.isLetterOrDigit(c)) {
                re.append(c);
            } else {
                re.append('\\').append(c);
            }
        }
        return re.append('$').toString();
    }

    /** Where the class opened before {@code from} closes ({@code ]} may come first, or after {@code !}); -1 if never. */
    private static int classEnd(String glob, int from) {
        int j = from;
        if (j < glob.length() && glob.charAt(j) == '!') {
            j++;
        }
        if (j < glob.length() && glob.charAt(j) == ']') {
            j++;
        }
        while (j < glob.length() && glob.charAt(j) != ']') {
            j++;
        }
        return j < glob.length() ? j : -1;
    }

    private static String charClass(String body) {
        StringBuilder cls = new StringBuilder("[");
        int k = 0;
        if (body.startsWith("!")) {
            cls.append('^');
            k = 1;
        }
        for (; k < body.length(); k++) {
            char b = body.charAt(k);
            cls.append(b == '-' || Character.isLetterOrDigit(b) ? String.valueOf(b) : "\\" + b);
        }
        return cls.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Glob g && g.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The glob as written. */
    @Override
    public String toString() {
        return text;
    }
}
