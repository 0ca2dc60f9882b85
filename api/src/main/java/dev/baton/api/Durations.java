package dev.baton.api;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration syntax of Baton configs: a number and a unit, {@code 100ms}, {@code 1s},
 * {@code 1.5s}, {@code 2m}. Shared by the engine and plugins so both read the same words.
 */
public final class Durations {

    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,9})(?:\\.(\\d{1,6}))?\\s*(ms|s|m|h)");

    private Durations() {}

    /**
     * Parses {@code text}; returns null when it is not a duration, so callers can name the field
     * in their own error.
     */
    public static Duration parseOrNull(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        long unitNanos = switch (m.group(3)) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        };
        long whole = Long.parseLong(m.group(1));
        long nanos = whole * unitNanos;
        if (m.group(2) != null) {
            String frac = m.group(2);
            nanos += Long.parseLong(frac) * unitNanos / (long) Math.pow(10, frac.length());
        }
        return Duration.ofNanos(nanos);
    }

    /** {@code 100ms}, {@code 1s}, {@code 1.5s}: the shortest exact form for logs and messages. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 == 0 && ms != 0) {
            return (ms / 1000) + "s";
        }
        if (d.toNanos() % 1_000_000 == 0) {
            return ms + "ms";
        }
        return d.toNanos() / 1000 + "us";
    }
}
