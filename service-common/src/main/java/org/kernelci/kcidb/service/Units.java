package org.kernelci.kcidb.service;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kernelci.kcidb.contracts.cli.ConfigException;

/** Durations ({@code 30s}, {@code 5m}, {@code 1d}, {@code 250ms}, ISO {@code PT1H}) and sizes ({@code 512k}, {@code 1g}) in options. */
public final class Units {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)i?b?");

    private Units() {
    }

    /**
     * @param option the flag and variable, named in the error
     * @throws ConfigException when the text is not a duration
     */
    public static Duration duration(String text, String option) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text.strip().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException | NullPointerException e) {
            throw new ConfigException(option + ": '" + text + "' is not a duration (e.g. 250ms, 30s, 5m, 1h, 1d)");
        }
    }

    /**
     * A size in bytes; suffixes k, m, g, t are powers of 1024.
     *
     * @throws ConfigException when the text is not a size
     */
    public static long bytes(String text, String option) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Matcher m = SIZE.matcher(t);
        if (!m.matches()) {
            throw new ConfigException(option + ": '" + text + "' is not a size (e.g. 1048576, 512k, 256m, 1g)");
        }
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new ConfigException(option + ": '" + text + "' is too large");
        }
    }
}
