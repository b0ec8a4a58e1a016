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

    /** RFC 3986 {@code URI} (rfc3987's rule "URI"): a scheme is required, only ASCII, no spaces. */
    private static final Pattern URI = Pattern.compile("^" + UriGrammar.uri() + "$", Pattern.UNIX_LINES);

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

    static boolean isUri(String value) {
        return URI.matcher(value).find();
    }

    /** jsonschema's {@code email} check only looks for an {@code @}. */
    static boolean isEmail(String value) {
        return value.indexOf('@') >= 0;
    }

    /** The RFC 3986 grammar (appendix A), composed from its rules. */
    private static final class UriGrammar {
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
            // rfc3987 spells the "v" in lower case only.
            String ipvFuture = "v[0-9A-Fa-f]+\\.[" + UNRESERVED + SUB_DELIMS + ":]+";
            String host = "(?:\\[(?:" + ipv6() + "|" + ipvFuture + ")\\]|" + regName + ")";
            return "(?:" + userinfo + "@)?" + host + "(?::[0-9]*)?";
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
