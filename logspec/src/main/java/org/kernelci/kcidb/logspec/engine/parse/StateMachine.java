package org.kernelci.kcidb.logspec.engine.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.kernelci.kcidb.logspec.engine.LogspecError;
import org.kernelci.kcidb.logspec.engine.LogspecParseException;
import org.kernelci.kcidb.logspec.engine.LogspecResult;
import org.kernelci.kcidb.logspec.engine.Parser;
import org.kernelci.kcidb.logspec.engine.json.CanonicalJson;
import org.kernelci.kcidb.logspec.engine.text.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The parser definitions (spec §2.1) and the driver loop {@code parse_log} (spec §2.2). */
public final class StateMachine {

    private static final Logger LOG = LoggerFactory.getLogger(StateMachine.class);

    private record Transition(Predicate<StateResult> when, String target) {
    }

    private record StateDef(String name, BiFunction<States, Integer, StateResult> function, List<Transition> next) {
    }

    private static final Predicate<StateResult> ALWAYS = r -> true;
    private static final Predicate<StateResult> LINUX_STARTED = r -> r.flag("bootloader.done");
    private static final Predicate<StateResult> PROMPT = r -> r.flag("linux.boot.prompt");

    private static final Map<Parser, List<StateDef>> PARSERS = Map.of(
            Parser.KBUILD, List.of(
                    state("kbuild.kbuild_start", States::kbuild)),
            Parser.GENERIC_LINUX_BOOT, List.of(
                    state("generic_boot.generic_boot", States::genericBoot,
                            new Transition(LINUX_STARTED, "linux_kernel.kernel_load")),
                    state("linux_kernel.kernel_load", States::kernelLoad)),
            Parser.TEST_BASELINE, List.of(
                    state("generic_boot.generic_boot", States::genericBoot,
                            new Transition(LINUX_STARTED, "linux_kernel.kernel_load")),
                    state("linux_kernel.kernel_load", States::kernelLoad,
                            new Transition(PROMPT, "test_baseline.test_baseline")),
                    state("test_baseline.test_baseline", States::testBaseline)),
            Parser.TEST_KSELFTEST, List.of(
                    state("generic_boot.generic_boot", States::genericBoot,
                            new Transition(LINUX_STARTED, "linux_kernel.kernel_load")),
                    state("linux_kernel.kernel_load", States::kernelLoad,
                            new Transition(PROMPT, "test_kselftest.test_kselftest")),
                    state("test_kselftest.test_kselftest", States::testKselftest)),
            Parser.CHROMEBOOK_SINGLE_BOOT, List.of(
                    state("chromebook_boot.chromebook_boot", States::chromebookBoot,
                            new Transition(ALWAYS, "chromebook_boot.chromebook_bootloader_started")),
                    state("chromebook_boot.chromebook_bootloader_started", States::chromebookBootloaderStarted,
                            new Transition(LINUX_STARTED, "linux_kernel.kernel_load")),
                    state("linux_kernel.kernel_load", States::kernelLoad)),
            Parser.CHROMEBOOK_2STAGE_BOOT, List.of(
                    state("chromebook_boot.chromebook_boot", States::chromebookBoot,
                            new Transition(ALWAYS, "chromebook_boot.chromebook_bootloader_started")),
                    state("chromebook_boot.chromebook_bootloader_started", States::chromebookBootloaderStarted,
                            new Transition(LINUX_STARTED, "linux_kernel.kernel_load")),
                    state("linux_kernel.kernel_load", States::kernelLoad,
                            new Transition(PROMPT, "chromebook_boot.chromebook_boot_stage2")),
                    state("chromebook_boot.chromebook_boot_stage2", States::chromebookBoot,
                            new Transition(ALWAYS, "chromebook_boot.chromebook_bootloader_stage2_started")),
                    state("chromebook_boot.chromebook_bootloader_stage2_started", States::chromebookBootloaderStarted,
                            new Transition(LINUX_STARTED, "linux_kernel.kernel_stage2_load")),
                    state("linux_kernel.kernel_stage2_load", States::kernelLoad)),
            Parser.KERNEL_ONLY, List.of(
                    state("linux_kernel.kernel_load", States::kernelLoad)));

    private StateMachine() {
    }

    private static StateDef state(String name, BiFunction<States, Integer, StateResult> function, Transition... next) {
        return new StateDef(name, function, List.of(next));
    }

    /**
     * Runs {@code parser} over the whole text.
     *
     * @throws LogspecParseException where the reference raises (spec §10)
     */
    public static LogspecResult run(LogText text, Parser parser) {
        List<StateDef> defs = PARSERS.get(parser);
        Map<String, StateDef> byName = new LinkedHashMap<>();
        defs.forEach(d -> byName.put(d.name(), d));
        States states = new States(new Scan(text));

        Map<String, Object> flags = new LinkedHashMap<>();
        List<String> signatureFields = new ArrayList<>();
        List<String> summaries = new ArrayList<>();
        List<LogspecError> errors = new ArrayList<>();
        int position = 0;
        StateDef state = defs.get(0);
        while (state != null) {
            StateResult r = state.function().apply(states, position);
            LOG.debug("{}: state {} ran from {} to {}", parser, state.name(), position, r.matchEnd);
            StateDef next = null;
            for (Transition tr : state.next()) {
                if (tr.when().test(r)) {
                    next = byName.get(tr.target());
                    break;
                }
            }
            if (r.errors != null) {
                errors.addAll(r.errors);
            }
            if (r.summary != null && !r.summary.isEmpty()) {
                summaries.add(r.summary);
            }
            // update_dict: lists accumulate (_signature_fields), other values are replaced.
            flags.putAll(r.values);
            signatureFields.addAll(r.signatureFields);
            position = r.matchEnd;
            state = next;
        }
        String signature = null;
        if (!signatureFields.isEmpty()) {
            Map<String, Object> picked = new LinkedHashMap<>();
            for (String field : signatureFields) {
                if (!flags.containsKey(field)) {
                    // Spec §3.5: chromebook logs without "Starting depthcharge" never set bootloader.id.
                    throw new LogspecParseException("KeyError", "'" + field + "' (log-level signature field never set)");
                }
                picked.put(field, flags.get(field));
            }
            signature = CanonicalJson.generateSignature(picked);
        }
        return new LogspecResult(parser, flags, errors, signature, signatureFields, summaries,
                text.codePointIndex(position));
    }
}
