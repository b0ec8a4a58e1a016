package org.kernelci.kcidb.logspec.engine.parse;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kernelci.kcidb.logspec.engine.text.LogText;

/**
 * Regular-expression searches over regions of one log, the way the reference searches slices: Python's
 * {@code re.search(p, text[a:b])} is {@code find()} on the region {@code [a, b)} with anchoring bounds (so {@code ^} matches
 * at {@code a}) and opaque bounds. Offsets are absolute. Matchers are reused per pattern, so one instance serves one parse.
 *
 * <p>{@link #memo} remembers the last answer per search. The reference re-searches the rest of the log for every
 * report (an end marker, a hardware line), which is quadratic on logs with many unterminated reports. For a search
 * with no anchors or look-behind, the first match in {@code [from, to)} is the first match in {@code [from', to)} for
 * any {@code from'} between the previous query's start and its answer, so the answer can be reused.
 */
final class Scan {

    private final LogText text;
    private final Map<Pattern, Matcher> matchers = new IdentityHashMap<>();
    private final Map<Object, Memo> memos = new IdentityHashMap<>();

    Scan(LogText text) {
        this.text = text;
    }

    LogText text() {
        return text;
    }

    private Matcher matcher(Pattern p) {
        return matchers.computeIfAbsent(p, k -> k.matcher(text.chars()));
    }

    /** {@code re.search(p, text[from:to])}, or {@code null}. */
    Hit find(Pattern p, int from, int to) {
        if (from > to) {
            return null;
        }
        Matcher m = matcher(p);
        m.region(from, to);
        return m.find() ? hit(m) : null;
    }

    /**
     * {@code re.finditer(p, text[from:to])}: one matcher continues through the region, so {@code ^} matches only at
     * {@code from} and after newlines (a fresh region per match would anchor {@code ^} at every restart).
     */
    java.util.List<Hit> findAll(Pattern p, int from, int to) {
        java.util.List<Hit> hits = new java.util.ArrayList<>();
        if (from > to) {
            return hits;
        }
        Matcher m = matcher(p);
        m.region(from, to);
        while (m.find()) {
            hits.add(hit(m));
        }
        return hits;
    }

    /** {@code re.match(p, text[from:to])}: anchored at {@code from}. */
    Hit lookingAt(Pattern p, int from, int to) {
        if (from > to) {
            return null;
        }
        Matcher m = matcher(p);
        m.region(from, to);
        return m.lookingAt() ? hit(m) : null;
    }

    /**
     * Memoises a search with the property described on the class, under {@code key}: the previous answer for the same
     * key and region end is reused when it is still the first match from {@code from}.
     */
    Hit memo(Object key, int from, int to, Search search) {
        Memo memo = memos.get(key);
        if (memo != null && memo.to == to && from >= memo.from && (memo.hit == null || from <= memo.hit.start())) {
            return memo.hit;
        }
        Hit hit = search.find(from, to);
        memos.put(key, new Memo(from, to, hit));
        return hit;
    }

    private Hit hit(Matcher m) {
        int groups = m.groupCount();
        int[] b = new int[2 + 2 * groups];
        b[0] = m.start();
        b[1] = m.end();
        for (int g = 1; g <= groups; g++) {
            b[2 * g] = m.start(g);
            b[2 * g + 1] = m.end(g);
        }
        return new Hit(text, b);
    }

    @FunctionalInterface
    interface Search {
        Hit find(int from, int to);
    }

    private record Memo(int from, int to, Hit hit) {
    }
}
