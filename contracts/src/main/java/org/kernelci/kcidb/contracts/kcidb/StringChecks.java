package org.kernelci.kcidb.contracts.kcidb;

import io.vertx.json.schema.JsonFormatValidator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The string checks of the KCIDB schemas ({@code format}, and {@code pattern} when pre-compiled), run by Vert.x
 * through its {@link JsonFormatValidator} hook.
 *
 * <p>When the schemas are loaded, every schema location holding a {@code format} (and, in
 * {@link KcidbValidator.PatternMode#PRECOMPILED} mode, a {@code pattern}) gets a {@code format} token naming a
 * {@link Check} instead. Vert.x does not know the token, so its own format code passes the string, then calls this
 * hook, which runs the reference rules. Pre-compiling patterns here avoids Vert.x's {@code Pattern.compile} of the
 * schema's pattern for every single string it checks.
 *
 * <p>Immutable; safe to share between threads.
 */
final class StringChecks implements JsonFormatValidator {
    /** Prefix of the format tokens; nothing else in a schema starts with it. */
    static final String TOKEN_PREFIX = "kcidb-check:";
    /** The formats the KCIDB schemas use. A schema using another one fails to load rather than pass silently. */
    static final Set<String> FORMATS = Set.of("date-time", "uri", "email");

    private static final int MAX_QUOTED = 80;

    private final Map<String, Check> checks;

    StringChecks(Map<String, Check> checks) {
        this.checks = Map.copyOf(checks);
    }

    /** The token that stands for a check in a loaded schema. */
    static String token(String format, String pythonPattern) {
        return TOKEN_PREFIX + Objects.requireNonNullElse(format, "") + "|"
                + Objects.requireNonNullElse(pythonPattern, "");
    }

    @Override
    public String validateFormat(String instanceType, String format, Object instance) {
        // Vert.x calls this for every instance, with a null format where the schema has none.
        if (format == null || !(instance instanceof String value)) {
            return null; // Draft 7: format and pattern only constrain strings
        }
        Check check = checks.get(format);
        return check == null ? null : check.failure(value);
    }

    /**
     * What the reference checks on a string at one schema location.
     *
     * @param format a JSON Schema format name, or null
     * @param pythonPattern the schema's pattern as written (Python syntax), or null
     * @param pattern that pattern ported by {@link PythonRegex}, or null
     */
    record Check(String format, String pythonPattern, Pattern pattern) {
        Check {
            if (format != null && !FORMATS.contains(format)) {
                throw new IllegalArgumentException("unsupported format \"" + format + "\"");
            }
            if ((pythonPattern == null) != (pattern == null)) {
                throw new IllegalArgumentException("pattern given in one form only");
            }
        }

        static Check of(String format, String pythonPattern) {
            return new Check(format, pythonPattern, pythonPattern == null ? null : PythonRegex.compile(pythonPattern));
        }

        /** Why a string fails this check, as a violation message, or null when it passes. */
        String failure(String value) {
            String formatFailure = format == null || formatHolds(value) ? null
                    : "format: " + quote(value) + " is not a valid " + describe(format);
            String patternFailure = pattern == null || pattern.matcher(value).find() ? null
                    : "pattern: " + quote(value) + " does not match " + pythonPattern;
            if (formatFailure != null && patternFailure != null) {
                return formatFailure + "; " + patternFailure;
            }
            return formatFailure != null ? formatFailure : patternFailure;
        }

        private boolean formatHolds(String value) {
            return switch (format) {
                case "date-time" -> ReferenceFormats.isDateTime(value);
                case "uri" -> ReferenceFormats.isUri(value);
                case "email" -> ReferenceFormats.isEmail(value);
                default -> throw new IllegalStateException("unsupported format " + format);
            };
        }

        private static String describe(String format) {
            return switch (format) {
                case "date-time" -> "date-time (RFC 3339: date, \"T\", time with seconds, zone \"Z\" or \"+hh:mm\")";
                case "uri" -> "URI (RFC 3986: a scheme, then only URI characters; no spaces)";
                case "email" -> "e-mail address (must contain \"@\")";
                default -> format;
            };
        }
    }

    /** A value as JSON text, shortened so that a huge string does not flood the report. */
    static String quote(String value) {
        int cut = Math.min(value.length(), MAX_QUOTED);
        if (cut < value.length() && Character.isHighSurrogate(value.charAt(cut - 1))) {
            cut--; // never split a surrogate pair
        }
        String shown = value.substring(0, cut);
        StringBuilder out = new StringBuilder(shown.length() + 8).append('"');
        shown.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (cp < 0x20 || cp == 0x7F || cp == 0x2028 || cp == 0x2029
                            || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)) {
                        out.append(String.format("\\u%04x", cp));
                    } else {
                        out.appendCodePoint(cp);
                    }
                }
            }
        });
        out.append('"');
        if (shown.length() < value.length()) {
            out.append("… (").append(value.codePointCount(0, value.length())).append(" characters)");
        }
        return out.toString();
    }
}
