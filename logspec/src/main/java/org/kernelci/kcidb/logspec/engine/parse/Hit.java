package org.kernelci.kcidb.logspec.engine.parse;

import org.kernelci.kcidb.logspec.engine.text.LogText;

/**
 * One match: absolute offsets into the log, groups read on demand (a {@code java.util.regex.Matcher} is reused between
 * searches, so it cannot be handed out).
 */
final class Hit {
    private final LogText text;
    private final int[] bounds;

    /** @param bounds start and end of the whole match, then of each group ({@code -1, -1} when a group did not take part) */
    Hit(LogText text, int[] bounds) {
        this.text = text;
        this.bounds = bounds;
    }

    static Hit of(LogText text, int start, int end, int... groupBounds) {
        int[] b = new int[2 + groupBounds.length];
        b[0] = start;
        b[1] = end;
        System.arraycopy(groupBounds, 0, b, 2, groupBounds.length);
        return new Hit(text, b);
    }

    int groupCount() {
        return bounds.length / 2 - 1;
    }

    int start() {
        return bounds[0];
    }

    int end() {
        return bounds[1];
    }

    int start(int group) {
        return bounds[2 * group];
    }

    int end(int group) {
        return bounds[2 * group + 1];
    }

    /** The text of a group, or {@code null} if it did not take part. */
    String group(int group) {
        int s = bounds[2 * group];
        return s < 0 ? null : text.slice(s, bounds[2 * group + 1]);
    }

    String text() {
        return text.slice(bounds[0], bounds[1]);
    }
}
