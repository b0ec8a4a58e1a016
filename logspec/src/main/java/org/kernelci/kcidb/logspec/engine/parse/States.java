package org.kernelci.kcidb.logspec.engine.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.kernelci.kcidb.logspec.engine.LogspecError;
import org.kernelci.kcidb.logspec.engine.LogspecParseException;
import org.kernelci.kcidb.logspec.engine.text.LogText;

/**
 * The state functions (spec §3). Each gets the text from {@code start} to the end (the reference's remaining-log slice)
 * and returns a {@link StateResult} with an absolute {@code matchEnd}.
 */
final class States {

    private static final Pattern TIMESTAMPED_LINE = PyRegex.compile(PyRegex.TS + " .*");
    /** {@code TS Linux version .*}. */
    private static final TsLiteral LINUX_VERSION = new TsLiteral(" Linux version ", false, false);
    private static final Pattern KSELFTEST_RESULT = PyRegex.compile("(?:not )?ok \\p{Nd}+ selftests:");
    private static final Pattern KSELFTEST_FAILURE = PyRegex.compile("not ok \\p{Nd}+ selftests:.*+");
    private static final Pattern BASELINE_DMESG = PyRegex.compile("kern  :(.*)");
    private static final String PROMPT = "/ #";
    private static final String BASELINE_TAG = "/opt/kernelci/dmesg.sh";
    private static final String KSELFTEST_TAG = "kselftest.sh";
    private static final String DEPTHCHARGE = "Starting depthcharge";

    private final Scan scan;
    private final LogText t;
    private final int n;
    private final KernelErrors kernelErrors;
    private final KbuildErrors kbuildErrors;

    States(Scan scan) {
        this.scan = scan;
        this.t = scan.text();
        this.n = t.length();
        this.kernelErrors = new KernelErrors(scan);
        this.kbuildErrors = new KbuildErrors(scan);
    }

    /** {@code generic_boot.generic_boot}: the bootloader hands over to the kernel. */
    StateResult genericBoot(int start) {
        Hit tag = BootTags.find(t, start, n, true);
        StateResult r = new StateResult().signatureFields("bootloader.done");
        r.put("bootloader.done", tag != null);
        r.matchEnd = tag != null ? tag.end() : n;
        r.summary = tag != null ? "Bootloader stage done, jump to kernel"
                : "Bootloader stage failed, inconclusive or couldn't detect handover to kernel";
        return r;
    }

    /** {@code linux_kernel.kernel_load} (and {@code kernel_stage2_load}): up to the first {@code / #} prompt. */
    StateResult kernelLoad(int start) {
        StateResult r = new StateResult().signatureFields("linux.boot.prompt", "linux.boot.kernel_started");
        int prompt = t.indexOf(PROMPT, start, n);
        int errorsEnd;
        if (prompt >= 0) {
            r.put("linux.boot.prompt", true);
            r.put("linux.boot.kernel_started", true);
            r.matchEnd = prompt + PROMPT.length();
            r.summary = "Linux boot prompt found";
            errorsEnd = prompt;
        } else {
            r.put("linux.boot.prompt", false);
            int nl = t.indexOf('\n', start, n);
            if (nl < 0) {
                // Quirk (spec §10): text.index("\n") raises when nothing follows the bootloader tag on its line.
                throw new LogspecParseException("ValueError",
                        "substring not found (kernel_load: no newline after the bootloader hand-over)");
            }
            int rest = nl + 1;
            int restNl = t.indexOf('\n', rest, n);
            boolean started = restNl >= 0
                    && (scan.lookingAt(TIMESTAMPED_LINE, rest, restNl) != null || LINUX_VERSION.find(t, rest, n) != null);
            r.put("linux.boot.kernel_started", started);
            r.matchEnd = n;
            r.summary = started ? "Linux boot prompt not found" : "Kernel didn't start";
            errorsEnd = n;
        }
        r.errors = kernelErrors.findAll(start, errorsEnd);
        return r;
    }

    /** {@code test_baseline.test_baseline}: {@code kern  :} lines between two {@code dmesg.sh} calls. */
    StateResult testBaseline(int start) {
        StateResult r = new StateResult().signatureFields("test.baseline.start");
        int tag = t.indexOf(BASELINE_TAG, start, n);
        if (tag < 0) {
            r.put("test.baseline.start", false);
            r.matchEnd = n;
            r.summary = "Baseline test not detected";
            return r;
        }
        r.put("test.baseline.start", true);
        r.summary = "Baseline test started";
        int testStart = tag + BASELINE_TAG.length();
        int second = t.indexOf(BASELINE_TAG, testStart, n);
        int testEnd = second >= 0 ? second + BASELINE_TAG.length() : n;
        r.matchEnd = testEnd;
        List<LogspecError> errors = new ArrayList<>();
        while (true) {
            Hit h = scan.find(BASELINE_DMESG, testStart, testEnd);
            if (h == null) {
                break;
            }
            errors.add(new ErrorBuilder("TestError").set("error_type", "test.baseline.dmesg")
                    .set("error_summary", h.group(1)).parsed());
            testStart = h.end();
        }
        r.errors = errors;
        return r;
    }

    /** {@code test_kselftest.test_kselftest}: results after the {@code kselftest.sh} call. */
    StateResult testKselftest(int start) {
        StateResult r = new StateResult().signatureFields("test.kselftest.script_call", "test.kselftest.start");
        int tag = t.indexOf(KSELFTEST_TAG, start, n);
        if (tag < 0) {
            r.put("test.kselftest.script_call", false);
            r.put("test.kselftest.start", false);
            r.matchEnd = n;
            r.summary = "Kselftest not detected";
            return r;
        }
        r.put("test.kselftest.script_call", true);
        r.summary = "Kselftest started";
        int testStart = tag + KSELFTEST_TAG.length();
        List<Hit> results = scan.findAll(KSELFTEST_RESULT, testStart, n);
        int testEnd;
        if (!results.isEmpty()) {
            // Quirk (spec §3.4): the slice ends right after the last result's "selftests:", so a final "not ok" line
            // has its summary cut to "not ok N selftests:".
            r.put("test.kselftest.start", true);
            testEnd = results.get(results.size() - 1).end();
            r.matchEnd = testEnd;
        } else {
            r.put("test.kselftest.start", false);
            testEnd = n;
            r.matchEnd = n;
        }
        List<LogspecError> errors = new ArrayList<>();
        while (true) {
            Hit h = scan.find(KSELFTEST_FAILURE, testStart, testEnd);
            if (h == null) {
                break;
            }
            errors.add(new ErrorBuilder("KselftestError").set("error_type", "linux.kselftest")
                    .set("error_summary", h.text()).report(t.slice(testStart, h.end())).parsed());
            testStart = h.end();
        }
        r.errors = errors;
        return r;
    }

    /** {@code chromebook_boot.chromebook_boot}: depthcharge starts. */
    StateResult chromebookBoot(int start) {
        StateResult r = new StateResult().signatureFields("bootloader.start", "bootloader.id");
        int tag = t.indexOf(DEPTHCHARGE, start, n);
        if (tag >= 0) {
            r.put("bootloader.start", true);
            r.put("bootloader.id", "depthcharge");
            r.matchEnd = tag + DEPTHCHARGE.length();
            r.summary = "Depthcharge started";
        } else {
            // bootloader.id stays unset; the log-level signature then raises KeyError (spec §3.5, §10).
            r.put("bootloader.start", false);
            r.matchEnd = n;
            r.summary = "Depthcharge start not found";
        }
        return r;
    }

    /** {@code chromebook_boot.chromebook_bootloader_started}: like generic_boot without "Booting from ROM", no fields. */
    StateResult chromebookBootloaderStarted(int start) {
        Hit tag = BootTags.find(t, start, n, false);
        StateResult r = new StateResult();
        r.put("bootloader.done", tag != null);
        r.matchEnd = tag != null ? tag.end() : n;
        return r;
    }

    /** {@code kbuild.kbuild_start}: at most one error, from the first failing make line. */
    StateResult kbuild(int start) {
        StateResult r = new StateResult();
        r.errors = new ArrayList<>();
        r.matchEnd = n;
        KbuildErrors.Found found = kbuildErrors.find(start, n);
        if (found != null) {
            r.errors.add(found.error());
            r.matchEnd = found.end();
        }
        return r;
    }
}
