package org.kernelci.kcidb.logspec.engine.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.logspec.engine.text.LogText;

/**
 * The hand-written linear scanners must find exactly what the regular expressions they replace find (those expressions,
 * in {@code java.util.regex} with Python's semantics, are the reference's). Random logs built from the tokens the
 * patterns care about, random regions, fixed seeds: deterministic.
 */
class ScannerEquivalenceTest {

    private static final String TS = PyRegex.TS;
    private static final String[] TOKENS = {
        "[", "]", " ", "  ", "1", "0.5", ".", "\n", "\n", "x", "A", "WARNING", "CPU", ":", ": ", " at ", " in ", "at",
        "error -", "7", "42", "BUG", " BUG", "kernel BUG", " kernel BUG at ", "!", " Kernel panic ", "UBSAN:", " UBSAN: ",
        " Unable to handle kernel NULL pointer dereference", "-", "---", "[ cut here ]", "[ end trace", "=",
        "=".repeat(40), "make", ": *** ", "ld: ", ".o", "_", "\r", "é", "\u0663", "\uD835\uDFCE", "] Error", "[ 1.0]",
        "[    2.000] ", "[ 3.5] ", "[ 1] error -5", "Kernel panic - not syncing: ", "[", "ld", ".c", ": Error"
    };

    private static String randomLog(Random rnd, String... favoured) {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(60);
        for (int i = 0; i < n; i++) {
            if (favoured.length > 0 && rnd.nextInt(8) == 0) {
                sb.append(favoured[rnd.nextInt(favoured.length)]);
            } else {
                sb.append(TOKENS[rnd.nextInt(TOKENS.length)]);
            }
        }
        return sb.toString();
    }

    /** Compares a scanner with a pattern's first match (whole match and groups) on random regions. */
    private static void compare(String name, Pattern reference, BiFunction<Scan, int[], Hit> scanner, long seed,
            String... favoured) {
        Random rnd = new Random(seed);
        int matched = 0;
        for (int iteration = 0; iteration < 20_000; iteration++) {
            String s = randomLog(rnd, favoured);
            int from = s.isEmpty() ? 0 : rnd.nextInt(s.length() + 1);
            int to = from + (s.length() == from ? 0 : rnd.nextInt(s.length() - from + 1));
            if (rnd.nextBoolean()) {
                from = 0;
                to = s.length();
            }
            Scan scan = new Scan(LogText.of(s));
            Hit actual = scanner.apply(scan, new int[] {from, to});
            Matcher m = reference.matcher(s).region(from, to);
            String where = name + " on " + escape(s) + " [" + from + ", " + to + ")";
            if (!m.find()) {
                assertThat(actual).as(where).isNull();
                continue;
            }
            assertThat(actual).as(where).isNotNull();
            assertThat(new int[] {actual.start(), actual.end()}).as(where).containsExactly(m.start(), m.end());
            for (int g = 1; g <= m.groupCount(); g++) {
                assertThat(actual.group(g)).as(where + " group " + g).isEqualTo(m.group(g));
            }
            matched++;
        }
        assertThat(matched).as("%s: the random logs must often hold a match", name).isGreaterThan(500);
    }

    @Test
    void kernelMarkersMatchTheAlternationOfStartMarkers() {
        for (boolean generic : new boolean[] {true, false}) {
            Pattern reference = PyRegex.compile("(" + TS + " Unable to handle kernel NULL pointer dereference)|(" + TS
                    + " (?:kernel )?BUG)|(" + TS + " UBSAN:)|(" + TS + " Kernel panic)|(" + TS + " .*?error -\\p{Nd}+.*?)"
                    + (generic ? "|(" + TS + " -+\\[ cut here \\].*)" : ""));
            Random rnd = new Random(generic ? 11 : 12);
            for (int iteration = 0; iteration < 20_000; iteration++) {
                String s = randomLog(rnd);
                KernelMarkers markers = new KernelMarkers(LogText.of(s));
                // Several queries on one instance, left to right, as kernel_load makes them: exercises the line cache.
                int from = 0;
                while (from <= s.length()) {
                    int to = rnd.nextInt(4) == 0 ? from + rnd.nextInt(s.length() - from + 1) : s.length();
                    KernelMarkers.Marker actual = markers.find(from, to, generic);
                    Matcher m = reference.matcher(s).region(from, to);
                    String where = escape(s) + " [" + from + ", " + to + ")";
                    if (!m.find()) {
                        assertThat(actual).as(where).isNull();
                        break;
                    }
                    int group = 1;
                    while (m.group(group) == null) {
                        group++;
                    }
                    assertThat(actual).as(where).isNotNull();
                    assertThat(List.of(actual.kind().ordinal() + 1, actual.start(), actual.end())).as(where)
                            .containsExactly(group, m.start(), m.end());
                    from = actual.end() + rnd.nextInt(3);
                }
            }
        }
    }

    @Test
    void genericBannerMatchesItsPattern() {
        compare("banner", PyRegex.compile(TS + ".*?([A-Z]+):.*? at (.*)"),
                (scan, r) -> GenericBanner.find(scan.text(), r[0], r[1]), 21,
                "[ 1.0] WARNING: CPU: 0 at ", "AB:", " at ");
    }

    @Test
    void errorReturnCodeMatchesItsPattern() {
        compare("error_return_code", PyRegex.compile(".*?: (.*error -\\p{Nd}+)"),
                (scan, r) -> new KernelErrors(scan).errorReturnCode(r[0], r[1]), 22,
                ": ", "error -", "error -12");
    }

    @Test
    void ubsanEndMatchesItsPattern() {
        compare("ubsan end", PyRegex.compile("(-+\\[ end trace)|(={80})"),
                (scan, r) -> withoutGroups(new KernelErrors(scan).ubsanEnd(r[0], r[1]), scan), 23,
                "-[ end trace", "--[ end trace", "=".repeat(80), "=".repeat(79), "[ end trace");
    }

    @Test
    void kernelBugAtMatchesItsPattern() {
        compare("kernel BUG at", PyRegex.compile(TS + " kernel BUG at (.*)!"),
                (scan, r) -> new KernelErrors(scan).bugAt(r[0], r[1]), 24,
                "[ 1.0] kernel BUG at ", "!", "a!b");
    }

    @Test
    void panicSummaryMatchesItsPattern() {
        compare("panic summary", PyRegex.compile(TS + " Kernel panic .*?: (.*)"),
                (scan, r) -> new KernelErrors(scan).panicSummary(r[0], r[1]), 25,
                "[ 1.0] Kernel panic ", ": ", "- not syncing: VFS: ");
    }

    @Test
    void ubsanHeadMatchesItsPattern() {
        compare("ubsan head", PyRegex.compile(TS + " UBSAN: (.*?) in (.*)"),
                (scan, r) -> new KernelErrors(scan).ubsanHead(r[0], r[1]), 26,
                "[ 1.0] UBSAN: ", " in ", "shift in x.c");
    }

    @Test
    void makeLineMatchesItsPattern() {
        compare("make line", PyRegex.compile("make.*?: \\*\\*\\* (.*)"),
                (scan, r) -> new KbuildErrors(scan).makeLine(r[0], r[1]), 27,
                "make[2]", ": *** ", "make");
    }

    @Test
    void linkerLineMatchesItsPattern() {
        compare("linker line", PyRegex.compile("(.*?ld): (.*?)\\." + PyRegex.WORD + "+: (.*)"),
                (scan, r) -> {
                    Hit h = new KbuildErrors(scan).linkerLine(r[0], r[1]);
                    // The scanner leaves out the unused error_str group: add it for the comparison.
                    return h == null ? null : Hit.of(scan.text(), h.start(), h.end(), h.start(1), h.end(1), h.start(2),
                            h.end(2), scan.text().indexOf(": ", h.end(2), h.end()) + 2, h.end());
                }, 28, "arm-ld: ", "ld: ", ".o: ", "a.o_1: ", ".\u0663: ");
    }

    @Test
    void scriptTargetMatchesItsPattern() {
        Pattern reference = PyRegex.compile("\\[(.*?): (.*?)\\] Error");
        Random rnd = new Random(29);
        for (int iteration = 0; iteration < 20_000; iteration++) {
            String s = randomLog(rnd).replace("\n", "");
            KbuildErrors.ScriptTarget actual = KbuildErrors.scriptTarget(s);
            Matcher m = reference.matcher(s);
            if (m.find()) {
                assertThat(actual).as(escape(s)).isEqualTo(new KbuildErrors.ScriptTarget(m.group(1), m.group(2)));
            } else {
                assertThat(actual).as(escape(s)).isNull();
            }
        }
    }

    @Test
    void timestampedLiteralsMatchTheirPatterns() {
        compare("hardware", PyRegex.compile(TS + " Hardware name: (.*)"),
                (scan, r) -> KernelErrors.HARDWARE.find(scan.text(), r[0], r[1]), 34,
                " Hardware name: ", "[ 1.0] Hardware name: x", "[\uD835\uDFCE]", "[ 1.0]  Hardware name: ");
        compare("modules (KernelBug)", PyRegex.compile(TS + " Modules linked in: *(.*)"),
                (scan, r) -> KernelErrors.MODULES_BUG.find(scan.text(), r[0], r[1]), 35,
                " Modules linked in:", "[ 1.0] Modules linked in:", "   a b");
        compare("end trace", PyRegex.compile(TS + " ---\\[ end trace"),
                (scan, r) -> KernelErrors.END_TRACE.find(scan.text(), r[0], r[1]), 36,
                " ---[ end trace", "[ 1.0] ---[ end trace", "[ 1.0] ----[ end trace", " --");
        compare("end trace, any dashes", PyRegex.compile(TS + " -+\\[ end trace"),
                (scan, r) -> TsLiteral.endTraceAnyDashes(scan.text(), r[0], r[1]), 37,
                " ---[ end trace", "[ 1.0] ---[ end trace", "[ 1.0] -[ end trace", " --", "[ 1.0] ");
        compare("BUG message", PyRegex.compile(TS + " BUG: (.*)"),
                (scan, r) -> KernelErrors.BUG_MESSAGE.find(scan.text(), r[0], r[1]), 38,
                " BUG: ", "[ 1.0] BUG: x", "[ 2.0]");
    }

    @Test
    void bootTagsMatchTheirAlternation() {
        compare("generic_boot tags", PyRegex.compile("Starting kernel ...|jumping to kernel|Booting from ROM...|" + TS
                + " Booting Linux"), (scan, r) -> BootTags.find(scan.text(), r[0], r[1], true), 32,
                "Starting kernel ", "Starting kernel ...", "jumping to kernel", "Booting from ROM", " Booting Linux",
                "[ 1.0] Booting Linux", "\uD835\uDFCE] Booting Linux");
        compare("chromebook tags", PyRegex.compile("Starting kernel ...|jumping to kernel|" + TS + " Booting Linux"),
                (scan, r) -> BootTags.find(scan.text(), r[0], r[1], false), 33,
                "Starting kernel ", "jumping to kernel", "Booting from ROM...", " Booting Linux", "[ 1.0] Booting Linux");
    }

    @Test
    void compilerLineMatchesItsPatternForFixedLengthStems() {
        for (String stem : new String[] {"a", "ab", "a.b", " ", "x/y", "\u0663", "."}) {
            Pattern reference = PyRegex.compile("(?m)^.*?(" + PyRegex.translate(stem)
                    + ".*?):(\\p{Nd}+):(\\p{Nd}+): (.*?): (.*?)\n");
            Pattern stemPattern = PyRegex.compile(PyRegex.translate(stem));
            compare("compiler line " + stem, reference,
                    (scan, r) -> CompilerLine.find(scan.text(), stemPattern, r[0], r[1]), 31 + stem.hashCode(),
                    stem, stem + ".c:12:3: error: x", ":1:2: ", "ab.c:7:8: warning: ", "\n", "a" + stem);
        }
    }

    @Test
    void lastStemLineMatchesItsPattern() {
        for (String stem : new String[] {"a", "ab", "a.b", " ", "x/y", "."}) {
            Pattern reference = PyRegex.compile("(?m)^.*" + PyRegex.translate(stem) + ".*$");
            Random rnd = new Random(40 + stem.hashCode());
            for (int iteration = 0; iteration < 20_000; iteration++) {
                String s = randomLog(rnd, stem, "\n", "a" + stem);
                int from = rnd.nextInt(s.length() + 1);
                int to = from + rnd.nextInt(s.length() - from + 1);
                Matcher m = reference.matcher(s).region(from, to);
                int expected = -1;
                while (m.find()) {
                    expected = m.start();
                }
                assertThat(new KbuildErrors(new Scan(LogText.of(s))).lastLineWithStem(stem, from, to))
                        .as(escape(s) + " [" + from + ", " + to + ")").isEqualTo(expected);
            }
        }
    }

    /** Memoised answers equal fresh ones for any sequence of queries sharing an end. */
    @Test
    void memoisedSearchesAnswerAsFreshOnes() {
        Random rnd = new Random(30);
        for (int iteration = 0; iteration < 5_000; iteration++) {
            String s = randomLog(rnd);
            Scan memo = new Scan(LogText.of(s));
            Scan fresh = new Scan(LogText.of(s));
            KernelErrors memoErrors = new KernelErrors(memo);
            KernelErrors freshErrors = new KernelErrors(fresh);
            int to = rnd.nextInt(3) == 0 ? rnd.nextInt(s.length() + 1) : s.length();
            List<Integer> froms = new ArrayList<>();
            for (int q = 0; q < 6; q++) {
                froms.add(rnd.nextInt(to + 1));
            }
            if (rnd.nextBoolean()) {
                froms.sort(null);
            }
            for (int from : froms) {
                assertThat(key(memo.memo("end", from, to, (f, x) -> KernelErrors.END_TRACE.find(memo.text(), f, x))))
                        .isEqualTo(key(KernelErrors.END_TRACE.find(fresh.text(), from, to)));
                assertThat(key(memo.memo("erc", from, to, memoErrors::errorReturnCode)))
                        .as(escape(s) + " from " + from + " to " + to)
                        .isEqualTo(key(freshErrors.errorReturnCode(from, to)));
                assertThat(key(memo.memo("bug", from, to, memoErrors::bugAt))).isEqualTo(key(freshErrors.bugAt(from, to)));
                assertThat(key(memo.memo("ubsan", from, to, memoErrors::ubsanEnd)))
                        .isEqualTo(key(freshErrors.ubsanEnd(from, to)));
            }
        }
    }

    private static Hit withoutGroups(Hit h, Scan scan) {
        if (h == null) {
            return null;
        }
        boolean dashes = scan.text().charAt(h.start()) == '-';
        return dashes ? Hit.of(scan.text(), h.start(), h.end(), h.start(), h.end(), -1, -1)
                : Hit.of(scan.text(), h.start(), h.end(), -1, -1, h.start(), h.end());
    }

    private static String key(Hit h) {
        return h == null ? "none" : h.start() + ".." + h.end() + (h.groupCount() > 0 ? ":" + h.group(1) : "");
    }

    private static String escape(String s) {
        return "\"" + s.replace("\n", "\\n").replace("\r", "\\r") + "\"";
    }
}
