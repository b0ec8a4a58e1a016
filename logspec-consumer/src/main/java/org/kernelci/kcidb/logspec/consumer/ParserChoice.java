package org.kernelci.kcidb.logspec.consumer;

import java.util.ArrayList;
import java.util.List;
import org.kernelci.kcidb.contracts.events.FailureEvent.Kind;
import org.kernelci.kcidb.contracts.filter.Glob;
import org.kernelci.kcidb.logspec.engine.Parser;

/**
 * Which logspec parser reads a failure's log: {@code kbuild} for builds; for tests the first rule whose glob matches
 * the test path, else the default. The defaults follow the original worker's table ({@code boot} →
 * {@code generic_linux_boot}, {@code kselftest} → {@code test_kselftest}) plus {@code baseline*} →
 * {@code test_baseline}; other tests get {@code kernel_only}, which reports kernel errors without inventing a boot
 * failure for logs that hold no boot (the original read every test as a boot).
 *
 * @param rules       test path glob → parser, first match wins
 * @param defaultTest the parser of tests no rule matches
 */
record ParserChoice(List<Rule> rules, Parser defaultTest) {

    record Rule(Glob glob, Parser parser) {
        Rule(String glob, Parser parser) {
            this(Glob.of(glob), parser);
        }

        boolean matches(String path) {
            return glob.matches(path);
        }
    }

    ParserChoice {
        rules = List.copyOf(rules);
    }

    static ParserChoice defaults() {
        return new ParserChoice(List.of(new Rule("boot*", Parser.GENERIC_LINUX_BOOT),
                new Rule("kselftest*", Parser.TEST_KSELFTEST), new Rule("baseline*", Parser.TEST_BASELINE)),
                Parser.KERNEL_ONLY);
    }

    /**
     * Parses {@code GLOB=PARSER} rules (tried before the defaults) and an optional default parser.
     *
     * @throws IllegalArgumentException naming the bad rule or parser
     */
    static ParserChoice of(List<String> specs, String defaultParser) {
        List<Rule> rules = new ArrayList<>();
        for (String spec : specs) {
            int eq = spec.lastIndexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + spec + "' is not GLOB=PARSER");
            }
            rules.add(new Rule(spec.substring(0, eq).strip(), parser(spec.substring(eq + 1).strip())));
        }
        ParserChoice d = defaults();
        rules.addAll(d.rules());
        return new ParserChoice(rules, defaultParser == null || defaultParser.isBlank() ? d.defaultTest()
                : parser(defaultParser.strip()));
    }

    private static Parser parser(String id) {
        return Parser.byId(id).orElseThrow(() -> new IllegalArgumentException("unknown parser '" + id + "'"));
    }

    Parser choose(Kind kind, String path) {
        if (kind == Kind.BUILD) {
            return Parser.KBUILD;
        }
        for (Rule r : rules) {
            if (r.matches(path)) {
                return r.parser();
            }
        }
        return defaultTest;
    }
}
