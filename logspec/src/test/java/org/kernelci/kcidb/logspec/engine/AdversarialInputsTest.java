package org.kernelci.kcidb.logspec.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Inputs shaped to make a backtracking engine go quadratic or worse (issue 5, "Robustness"): long runs of spaces and of
 * '[', deep bracket nesting, and a long line for every hand-written scanner. Every parser must get through each of them;
 * with the reference's regular expressions several of these take hours. No timing assertion: a regression shows as a
 * test that does not finish.
 */
class AdversarialInputsTest {

    private static final int TEN_MB = 10 << 20;
    private static final int FOUR_MB = 4 << 20;

    private static Map<String, String> inputs() {
        Map<String, String> in = new LinkedHashMap<>();
        in.put("10 MB of spaces", " ".repeat(TEN_MB));
        in.put("10 MB of spaces after a boot tag, before a make line for target ' .o'",
                "Starting kernel ...\n" + " ".repeat(TEN_MB) + "\nmake: *** [Makefile:1:  .o] Error 1\n");
        in.put("10 MB run of '['", "[".repeat(TEN_MB));
        in.put("10 MB run of '[' in a make line", "make: *** " + "[".repeat(TEN_MB) + "\n");
        in.put("deep nesting of brackets", "Starting kernel ...\n" + "[".repeat(TEN_MB / 2) + " 1.0" + "]".repeat(TEN_MB / 2)
                + " BUG: x\n");
        in.put("timestamps without a closing bracket", "[ 1 2 3 ".repeat(FOUR_MB / 8) + "\n");
        in.put("one line of timestamps", "Starting kernel ...\n" + "[ 1.0] ".repeat(FOUR_MB / 7) + "\n");
        in.put("one line of timestamps and 'error -'", "[ 1.0] x error -".repeat(FOUR_MB / 16) + "\n");
        in.put("capital runs with colons in a cut-here block", "[ 1.0] --[ cut here ]\n[ 1.0] " + "AB:".repeat(FOUR_MB / 3)
                + "\n[ 1.0] --[ end trace\n");
        in.put("dashes after a UBSAN report", "[ 1.0] UBSAN: x in y\n" + "-".repeat(FOUR_MB) + "\n");
        in.put("one line of 'kernel BUG at' without '!'", "[ 1.0] kernel BUG at ".repeat(FOUR_MB / 21) + "\n");
        in.put("one line of 'make' then ': ***'", "make".repeat(FOUR_MB / 4) + ": *** x\n");
        in.put("one line of 'ld: ' before a vmlinux failure", "ld: ".repeat(FOUR_MB / 4)
                + "\nmake: *** [a: vmlinux] Error 1\n");
        in.put("a line of the stem before its make line", "a".repeat(FOUR_MB) + "\nmake: *** [Makefile:1: a.o] Error 1\n");
        in.put("many unterminated BUG lines", "Starting kernel ...\n" + "[ 1.0] BUG: x\n".repeat(FOUR_MB / 14));
        in.put("many unterminated cut-here lines", "Starting kernel ...\n" + "[ 1.0] ---[ cut here ]---\n".repeat(FOUR_MB / 26));
        in.put("many unterminated NULL pointer reports", "Starting kernel ...\n"
                + "[ 1.0] Unable to handle kernel NULL pointer dereference\n".repeat(FOUR_MB / 56));
        in.put("many error codes without ': '", "Starting kernel ...\n" + "[ 1.0] x error -5\n".repeat(FOUR_MB / 18));
        in.put("equals runs one short of a UBSAN rule", "[ 1.0] UBSAN: x in y\n" + ("=".repeat(79) + "\n").repeat(FOUR_MB / 80));
        return in;
    }

    @TestFactory
    Stream<DynamicTest> everyParserGetsThroughAdversarialInput() {
        return inputs().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            for (Parser p : Parser.values()) {
                try {
                    LogspecResult r = Logspec.analyze(e.getValue(), p);
                    assertThat(r.parser()).isEqualTo(p);
                } catch (LogspecParseException expected) {
                    // Where the reference raises (no newline after the tag, no depthcharge, a target that is no regex).
                    assertThat(expected.pythonError()).isIn("ValueError", "KeyError", "re.error");
                }
            }
        }));
    }
}
