package org.kernelci.kcidb.contracts.kcidb;

import java.time.YearMonth;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON Schema {@code format} checks exactly as the reference applies them (jsonschema's Draft 7 format checker
 * with rfc3339-validator and rfc3987 installed). Vert.x's own checks differ (they accept a date-time without zone
 * and reject {@code <id@host>} as an e-mail), so the schemas hand these formats to this class instead.
 *
 * <p>Patterns are compiled with {@code UNIX_LINES}: the reference uses Python's {@code $}, which also matches before
 * a final {@code \n}, so {@code "2025-05-20T08:40:00Z\n"} is a valid date-time there too.
 */
final class ReferenceFormats {
    /**
     * RFC 3339 {@code date-time} as rfc3339-validator reads it: four-digit year, month, day, {@code T}, hours,
     * minutes, <em>mandatory</em> seconds, optional fraction, and a mandatory zone ({@code Z} or {@code ±hh:mm}).
     * The reference upper-cases the string first, hence {@code [Tt]} and {@code [Zz]}. No leap seconds.
     */
    private static final Pattern DATE_TIME = Pattern.compile(
            "^(\\d{4})-(0[1-9]|1[0-2])-(\\d{2})[Tt]([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d+)?"
                    + "([Zz]|[+-]([01]\\d|2[0-3]):[0-5]\\d)$",
            Pattern.UNIX_LINES);

    /** IPv6 and IPvFuture host literals between brackets, by the RFC 3986 grammar (rare: a regex is fine). */
    private static final Pattern IP_LITERAL = Pattern.compile(UriGrammar.ipLiteralContent());

    /** Character classes of RFC 3986, for ASCII code points. */
    private static final boolean[] UNRESERVED_OR_SUB_DELIM = charTable("A-Za-z0-9._~\\-!$&'()*+,;=");
    private static final boolean[] SCHEME_CHAR = charTable("A-Za-z0-9+.\\-");

    private ReferenceFormats() {
    }

    /** RFC 3339 date-time with the calendar checks of rfc3339-validator (year 0 and 31 April are invalid). */
    static boolean isDateTime(String value) {
        Matcher m = DATE_TIME.matcher(value);
        if (!m.find()) {
            return false;
        }
        int year = Integer.parseInt(m.group(1));
        int month = Integer.parseInt(m.group(2));
        int day = Integer.parseInt(m.group(3));
        // Proleptic Gregorian calendar, as Python's calendar.monthrange.
        return year != 0 && day >= 1 && day <= YearMonth.of(year, month).lengthOfMonth();
    }

    /**
     * RFC 3986 {@code URI} as rfc3987's rule "URI" reads it: a scheme is required, then only URI characters (ASCII,
     * no spaces), well-formed percent escapes, an authority whose port is digits. A hand-written scanner rather
     * than the equivalent regular expression, which costs microseconds per URL ({@code ReferenceFormatsTest}
     * checks both agree).
     */
    static boolean isUri(String value) {
        // Python's "$" also matches before a final newline, and no URI character is a newline.
        int end = value.endsWith("\n") ? value.length() - 1 : value.length();
        int colon = schemeEnd(value, end);
        if (colon < 0) {
            return false;
        }
        int hash = value.indexOf('#', colon);
        int fragmentEnd = end;
        if (hash >= 0 && hash < end) {
            if (!allQueryChars(value, hash + 1, end)) {
                return false;
            }
            fragmentEnd = hash;
        }
        int question = value.indexOf('?', colon);
        int hierEnd = fragmentEnd;
        if (question >= 0 && question < fragmentEnd) {
            if (!allQueryChars(value, question + 1, fragmentEnd)) {
                return false;
            }
            hierEnd = question;
        }
        return isHierPart(value, colon + 1, hierEnd);
    }

    /** Index of the ":" ending a valid scheme at the start, or -1. */
    private static int schemeEnd(String value, int end) {
        if (end == 0 || !isAsciiLetter(value.charAt(0))) {
            return -1;
        }
        for (int i = 1; i < end; i++) {
            char c = value.charAt(i);
            if (c == ':') {
                return i;
            }
            if (!in(SCHEME_CHAR, c)) {
                return -1;
            }
        }
        return -1;
    }

    /** {@code "//" authority path-abempty / path-absolute / path-rootless / path-empty}. */
    private static boolean isHierPart(String value, int from, int to) {
        if (to - from >= 2 && value.charAt(from) == '/' && value.charAt(from + 1) == '/') {
            int slash = value.indexOf('/', from + 2);
            int authorityEnd = slash < 0 || slash > to ? to : slash;
            return isAuthority(value, from + 2, authorityEnd) && allPathChars(value, authorityEnd, to);
        }
        // path-absolute ("/" not followed by "/", handled above), path-rootless and path-empty all reduce to:
        // pchar and "/" only.
        return allPathChars(value, from, to);
    }

    /** {@code [ userinfo "@" ] host [ ":" port ]}. Neither userinfo nor host may hold an "@". */
    private static boolean isAuthority(String value, int from, int to) {
        int at = value.indexOf('@', from);
        int hostFrom = from;
        if (at >= 0 && at < to) {
            if (!allChars(value, from, at, true)) {
                return false; // userinfo: unreserved, pct-encoded, sub-delims, ":"
            }
            hostFrom = at + 1;
        }
        int portColon;
        if (hostFrom < to && value.charAt(hostFrom) == '[') {
            int close = value.indexOf(']', hostFrom);
            if (close < 0 || close >= to || !IP_LITERAL.matcher(value.substring(hostFrom + 1, close)).matches()) {
                return false;
            }
            portColon = close + 1;
            if (portColon < to && value.charAt(portColon) != ':') {
                return false;
            }
        } else {
            int colon = value.indexOf(':', hostFrom);
            portColon = colon < 0 || colon >= to ? to : colon;
            if (!allChars(value, hostFrom, portColon, false)) {
                return false; // reg-name (which covers IPv4 addresses): unreserved, pct-encoded, sub-delims
            }
        }
        for (int i = portColon + 1; i < to; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Characters of a path: pchar or "/". */
    private static boolean allPathChars(String value, int from, int to) {
        return scan(value, from, to, "/:@");
    }

    /** Characters of a query or fragment: pchar, "/" or "?". */
    private static boolean allQueryChars(String value, int from, int to) {
        return scan(value, from, to, "/?:@");
    }

    /** Characters of a userinfo ({@code withColon}) or a reg-name. */
    private static boolean allChars(String value, int from, int to, boolean withColon) {
        return scan(value, from, to, withColon ? ":" : "");
    }

    /** Whether {@code value[from, to)} holds only unreserved, sub-delims, {@code extra} and valid %XX escapes. */
    private static boolean scan(String value, int from, int to, String extra) {
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 2 >= to) {
                    return false;
                }
                if (!isHex(value.charAt(i + 1)) || !isHex(value.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (!in(UNRESERVED_OR_SUB_DELIM, c) && extra.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean in(boolean[] table, char c) {
        return c < table.length && table[c];
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** A lookup table for a regex character class body. */
    private static boolean[] charTable(String classBody) {
        Pattern one = Pattern.compile("[" + classBody + "]");
        boolean[] table = new boolean[128];
        for (char c = 0; c < 128; c++) {
            table[c] = one.matcher(String.valueOf(c)).matches();
        }
        return table;
    }

    /** jsonschema's {@code email} check only looks for an {@code @}. */
    static boolean isEmail(String value) {
        return value.indexOf('@') >= 0;
    }

    /**
     * The RFC 3986 grammar (appendix A) as a regular expression, composed from its rules. {@link #isUri} is the
     * fast equivalent; the whole expression stays as the readable specification it is tested against.
     */
    static final class UriGrammar {
        private static final String ALPHA_DIGIT = "A-Za-z0-9";
        private static final String UNRESERVED = ALPHA_DIGIT + "._~\\-";
        private static final String SUB_DELIMS = "!$&'()*+,;=";
        private static final String PCT_ENCODED = "%[0-9A-Fa-f]{2}";
        private static final String PCHAR = "(?:[" + UNRESERVED + SUB_DELIMS + ":@]|" + PCT_ENCODED + ")";

        private UriGrammar() {
        }

        static String uri() {
            String scheme = "[A-Za-z][A-Za-z0-9+.\\-]*";
            String query = "(?:" + PCHAR + "|[/?])*";
            return scheme + ":" + hierPart() + "(?:\\?" + query + ")?(?:#" + query + ")?";
        }

        private static String hierPart() {
            String segment = PCHAR + "*";
            String segmentNz = PCHAR + "+";
            String pathAbempty = "(?:/" + segment + ")*";
            String pathAbsolute = "/(?:" + segmentNz + "(?:/" + segment + ")*)?";
            String pathRootless = segmentNz + "(?:/" + segment + ")*";
            return "(?://" + authority() + pathAbempty + "|" + pathAbsolute + "|" + pathRootless + "|)";
        }

        private static String authority() {
            String userinfo = "(?:[" + UNRESERVED + SUB_DELIMS + ":]|" + PCT_ENCODED + ")*";
            // An IPv4 address is also a reg-name, so it needs no alternative of its own.
            String regName = "(?:[" + UNRESERVED + SUB_DELIMS + "]|" + PCT_ENCODED + ")*";
            String host = "(?:\\[" + ipLiteralContent() + "\\]|" + regName + ")";
            return "(?:" + userinfo + "@)?" + host + "(?::[0-9]*)?";
        }

        /** What may stand between the brackets of an IP-literal host: an IPv6 address or an "IPvFuture". */
        static String ipLiteralContent() {
            // rfc3987 spells the "v" in lower case only.
            String ipvFuture = "v[0-9A-Fa-f]+\\.[" + UNRESERVED + SUB_DELIMS + ":]+";
            return "(?:" + ipv6() + "|" + ipvFuture + ")";
        }

        private static String ipv6() {
            String h16 = "[0-9A-Fa-f]{1,4}";
            // rfc3987 admits leading zeros in a dotted octet ("[01]?[0-9][0-9]?"); keep its reading.
            String decOctet = "(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)";
            String ipv4 = "(?:" + decOctet + "\\.){3}" + decOctet;
            String ls32 = "(?:" + h16 + ":" + h16 + "|" + ipv4 + ")";
            String[] forms = {
                "(?:" + h16 + ":){6}" + ls32,
                "::(?:" + h16 + ":){5}" + ls32,
                "(?:" + h16 + ")?::(?:" + h16 + ":){4}" + ls32,
                "(?:(?:" + h16 + ":){0,1}" + h16 + ")?::(?:" + h16 + ":){3}" + ls32,
                "(?:(?:" + h16 + ":){0,2}" + h16 + ")?::(?:" + h16 + ":){2}" + ls32,
                "(?:(?:" + h16 + ":){0,3}" + h16 + ")?::" + h16 + ":" + ls32,
                "(?:(?:" + h16 + ":){0,4}" + h16 + ")?::" + ls32,
                "(?:(?:" + h16 + ":){0,5}" + h16 + ")?::" + h16,
                "(?:(?:" + h16 + ":){0,6}" + h16 + ")?::",
            };
            return "(?:" + String.join("|", forms) + ")";
        }
    }
}
