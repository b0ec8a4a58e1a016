package org.kernelci.kcidb.logspec.engine.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.kernelci.kcidb.logspec.engine.LogspecError;
import org.kernelci.kcidb.logspec.engine.text.LogText;

/**
 * {@code find_kernel_error} (spec §4.2): finds the next kernel report, dispatches it to its class, and reports where the
 * search resumes. Offsets are absolute; a region {@code [from, to)} stands for the reference's slice.
 */
final class KernelErrors {

    // TS<literal>(.*) searches, by literal (see TsLiteral); the patterns they stand for are in their comments.
    /** {@code TS Hardware name: (?P<hardware>.*)}. */
    static final TsLiteral HARDWARE = new TsLiteral(" Hardware name: ", true, false);
    /** {@code TS Modules linked in: (?P<modules>.*)}. */
    static final TsLiteral MODULES = new TsLiteral(" Modules linked in: ", true, false);
    /** {@code TS Modules linked in: *(?P<modules>.*)} (KernelBug). */
    static final TsLiteral MODULES_BUG = new TsLiteral(" Modules linked in:", true, true);
    /** {@code TS ---\[ end trace}. */
    static final TsLiteral END_TRACE = new TsLiteral(" ---[ end trace", false, false);
    /** {@code TS ---\[ end Kernel panic}. */
    static final TsLiteral END_PANIC = new TsLiteral(" ---[ end Kernel panic", false, false);
    /** {@code TS kernel BUG at } (the prefix of {@code TS kernel BUG at (?P<location>.*)!}). */
    static final TsLiteral BUG_AT_PREFIX = new TsLiteral(" kernel BUG at ", false, false);
    /** {@code TS BUG: (?P<message>.*)}. */
    static final TsLiteral BUG_MESSAGE = new TsLiteral(" BUG: ", true, false);
    /** {@code TS Kernel panic } (the prefix of {@code TS Kernel panic .*?: (?P<message>.*)}). */
    static final TsLiteral PANIC_PREFIX = new TsLiteral(" Kernel panic ", false, false);
    /** {@code TS UBSAN: } (the prefix of {@code TS UBSAN: (?P<error_msg>.*?) in (?P<location>.*)}). */
    static final TsLiteral UBSAN_PREFIX = new TsLiteral(" UBSAN: ", false, false);

    static final Pattern CALL_TRACE = PyRegex.compile(PyRegex.TS + " call trace:",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    static final Pattern TRACE_LINE = PyRegex.compile(PyRegex.TS + "  (.*)");
    static final Pattern TRACE_LINE_BUG = PyRegex.compile(PyRegex.TS + "  (" + PyRegex.NOT_SPACE + ".*)");
    static final Pattern VIRTUAL_ADDRESS = PyRegex.compile("at virtual address (.*)");
    static final Pattern UBSAN_DETAILS = PyRegex.compile("^" + PyRegex.TS + " ([^:]*?)\n", Pattern.MULTILINE);

    // Memo keys for searches whose region end differs from their pattern's other uses.
    private static final Object BUG_TRACE_BEFORE_MODULES = new Object();
    private static final Object BUG_TRACE_AFTER_MODULES = new Object();
    private static final Object BUG_HARDWARE = new Object();
    private static final Object BUG_MODULES = new Object();
    private static final Object BUG_AT = new Object();
    private static final Object ERROR_RETURN_CODE = new Object();
    private static final Object UBSAN_END = new Object();
    private static final Object END_TRACE_ANY = new Object();

    /** A found report: the error ({@code null} when its parser gave up) and where the search resumes. */
    record Report(LogspecError error, int end) {
    }

    private final Scan scan;
    private final LogText t;
    private final KernelMarkers markers;

    KernelErrors(Scan scan) {
        this.scan = scan;
        this.t = scan.text();
        this.markers = new KernelMarkers(t);
    }

    /** The loop of {@code kernel_load} (spec §3.2, step 4): every error in {@code [from, to)}. */
    List<LogspecError> findAll(int from, int to) {
        List<LogspecError> errors = new ArrayList<>();
        int at = from;
        while (true) {
            Report r = find(at, to, true);
            if (r == null) {
                return errors;
            }
            at = r.end();
            if (r.error() != null) {
                errors.add(r.error());
            }
        }
    }

    /** {@code find_error_report(text[from:to], include_generic)}. */
    Report find(int from, int to, boolean includeGeneric) {
        KernelMarkers.Marker m = markers.find(from, to, includeGeneric);
        if (m == null) {
            return null;
        }
        if (m.kind() == KernelMarkers.Kind.GENERIC) {
            // A "cut here" block may hold a more specific report; if so only that one is reported, with the
            // search resuming after the block, even when the specific parser gave up (spec §4.2, Dispatch).
            Hit end = scan.memo(END_TRACE_ANY, m.end(), to, (f, x) -> TsLiteral.endTraceAnyDashes(t, f, x));
            if (end != null) {
                Report inner = find(m.end(), end.end(), false);
                if (inner != null) {
                    return new Report(inner.error(), end.end());
                }
            }
        }
        ErrorBuilder err = newError(m.kind());
        int n = parse(m.kind(), err, m.start(), to);
        if (n <= 0) {
            // Python's "if not error_parse_end": None and 0 both mean the report is skipped.
            return new Report(null, m.end());
        }
        return new Report(err.parsed(), m.start() + n);
    }

    private static ErrorBuilder newError(KernelMarkers.Kind kind) {
        return switch (kind) {
            case GENERIC -> new ErrorBuilder("GenericError").set("error_type", "linux.kernel").set("hardware", null)
                    .set("location", null).set("call_trace", List.of()).set("modules", List.of())
                    .signatureField("location");
            case NULL_POINTER -> new ErrorBuilder("NullPointerDereference")
                    .set("error_type", "linux.kernel.null_pointer_dereference")
                    .set("error_summary", "NULL pointer dereference").set("hardware", null).set("address", null)
                    .set("call_trace", List.of()).signatureField("address").signatureField("call_trace");
            case BUG -> new ErrorBuilder("KernelBug").set("error_type", "linux.kernel.bug").set("hardware", null)
                    .set("call_trace", List.of());
            case KERNEL_PANIC -> new ErrorBuilder("KernelPanic").set("error_type", "linux.kernel.panic")
                    .set("hardware", null).set("call_trace", List.of());
            case UBSAN -> new ErrorBuilder("UBSANError").set("error_type", "linux.kernel.ubsan").set("location", null)
                    .set("hardware", null).signatureField("location");
            case ERROR_RETURN_CODE -> new ErrorBuilder("ErrorReturnCode")
                    .set("error_type", "linux.kernel.error_return_code");
        };
    }

    /** The class's {@code _parse(text[p:to])}: the report length, or 0 for None/0 (the report is then skipped). */
    private int parse(KernelMarkers.Kind kind, ErrorBuilder err, int p, int to) {
        return switch (kind) {
            case GENERIC -> parseGeneric(err, p, to);
            case NULL_POINTER -> parseNullPointer(err, p, to);
            case BUG -> parseBug(err, p, to);
            case KERNEL_PANIC -> parsePanic(err, p, to);
            case UBSAN -> parseUbsan(err, p, to);
            case ERROR_RETURN_CODE -> parseErrorReturnCode(err, p, to);
        };
    }

    /** GenericError ("cut here"): without an end marker the error is dropped, so the rest is not even read. */
    private int parseGeneric(ErrorBuilder err, int p, int to) {
        int nl = t.indexOf('\n', p, to);
        int msgStart = nl < 0 ? p : nl + 1;
        Hit endMarker = scan.memo(END_TRACE_ANY, msgStart, to, (f, x) -> TsLiteral.endTraceAnyDashes(t, f, x));
        if (endMarker == null) {
            return 0;
        }
        int e = endMarker.start();
        err.report(t.slice(msgStart, e));
        int c = msgStart;
        Hit banner = GenericBanner.find(t, msgStart, e);
        if (banner != null) {
            c = banner.end();
            String reportType = banner.group(1);
            String location = banner.group(2);
            err.append("error_type", "." + reportType.toLowerCase(java.util.Locale.ROOT));
            err.set("location", location);
            err.set("error_summary", reportType + " at " + location);
        }
        Hit modules = MODULES.find(t, c, e);
        if (modules != null) {
            c = modules.end();
            err.set("modules", Py.sortedSplit(modules.group(1)));
        }
        Hit hardware = HARDWARE.find(t, c, e);
        if (hardware != null) {
            c = hardware.end();
            err.set("hardware", hardware.group(1));
        }
        Hit header = scan.find(CALL_TRACE, c, e);
        if (header != null) {
            err.set("call_trace", traceLines(TRACE_LINE, header.end(), e));
        }
        return e - p;
    }

    /** NullPointerDereference (arm64); dropped without an end marker. */
    private int parseNullPointer(ErrorBuilder err, int p, int to) {
        Hit endMarker = scan.memo(END_TRACE, p, to, (f, x) -> END_TRACE.find(t, f, x));
        if (endMarker == null) {
            return 0;
        }
        int e = endMarker.start();
        err.report(t.slice(p, e));
        int r = 0;
        Hit address = scan.find(VIRTUAL_ADDRESS, p, e);
        if (address != null) {
            r = address.end() - p;
            err.set("address", address.group(1));
            err.append("error_summary", " at virtual address " + address.group(1));
        }
        Hit hardware = HARDWARE.find(t, p + r, e);
        if (hardware != null) {
            // Quirk (spec §4.2): the running position is set to the end relative to the sub-slice, not advanced by it.
            r = hardware.end() - (p + r);
            err.set("hardware", hardware.group(1));
        }
        Hit header = scan.find(CALL_TRACE, p + r, e);
        if (header != null) {
            err.set("call_trace", traceLines(TRACE_LINE, header.end(), e));
        }
        return e - p;
    }

    /**
     * KernelBug. Without an end marker every search runs to the end of the region, so a later "kernel BUG at ...!" or
     * hardware line can be picked up; the report is then kept with an empty excerpt (spec §10). Those searches are
     * memoised: a log with many unterminated BUG lines would otherwise be read once per line.
     */
    private int parseBug(ErrorBuilder err, int p, int to) {
        Hit endMarker = scan.memo(END_TRACE, p, to, (f, x) -> END_TRACE.find(t, f, x));
        int e = endMarker != null ? endMarker.start() : to;
        if (endMarker != null) {
            err.report(t.slice(p, e));
        }
        int r = 0;
        int modulesStart = 0;
        Hit at = scan.memo(BUG_AT, p, e, this::bugAt);
        if (at != null) {
            r += at.end() - p;
            String location = at.group(1);
            err.set("location", location);
            err.set("error_summary", "kernel BUG at " + location);
        } else {
            Hit bug = scan.memo(BUG_MESSAGE, p, e, (f, x) -> BUG_MESSAGE.find(t, f, x));
            if (bug != null) {
                r += bug.end() - p;
                String message = bug.group(1);
                int sep = message.indexOf(" at ");
                if (sep >= 0) {
                    String location = message.substring(sep + 4);
                    err.set("location", location);
                    err.set("error_summary", message.substring(0, sep) + " at " + location);
                } else if (message.contains("spinlock bad magic")) {
                    err.set("error_summary", "spinlock bad magic");
                } else if (message.contains("scheduling while atomic")) {
                    err.set("error_summary", "scheduling while atomic");
                } else if (message.contains("workqueue lockup")) {
                    err.set("error_summary", "workqueue lockup");
                } else {
                    err.set("error_summary", message);
                }
            }
        }
        Hit hardware = scan.memo(BUG_HARDWARE, p + r, e, (f, x) -> HARDWARE.find(t, f, x));
        if (hardware != null) {
            r = hardware.end() - p;
            err.set("hardware", hardware.group(1));
        }
        Hit modules = scan.memo(BUG_MODULES, p + r, e, (f, x) -> MODULES_BUG.find(t, f, x));
        if (modules != null) {
            modulesStart = modules.start() - p;
            r = modules.end() - p;
            err.set("modules", Py.sortedSplit(modules.group(1)));
        }
        // x86 prints the trace before the modules; arm after (spec §4.2 KernelBug, step 5).
        Hit header = scan.memo(BUG_TRACE_BEFORE_MODULES, p, p + modulesStart,
                (f, x) -> scan.find(CALL_TRACE, f, x));
        if (header != null) {
            List<String> lines = traceLines(TRACE_LINE_BUG, header.end(), p + modulesStart);
            if (!lines.isEmpty()) {
                err.set("call_trace", lines);
            }
        } else {
            header = scan.memo(BUG_TRACE_AFTER_MODULES, p + r, e, (f, x) -> scan.find(CALL_TRACE, f, x));
            if (header != null) {
                List<String> lines = traceLines(TRACE_LINE_BUG, header.end(), e);
                if (!lines.isEmpty()) {
                    err.set("call_trace", lines);
                }
            }
        }
        if (endMarker != null) {
            return e - p;
        }
        return r;
    }

    /** {@code TS kernel BUG at (?P<location>.*)!}: greedy, so up to the last '!' of the line. */
    // Visible for testing: compared with the regular expression it replaces.
    Hit bugAt(int from, int to) {
        int i = from;
        while (true) {
            Hit prefix = BUG_AT_PREFIX.find(t, i, to);
            if (prefix == null) {
                return null;
            }
            int lineEnd = t.lineEnd(prefix.end(), to);
            int bang = t.lastIndexOf('!', prefix.end(), lineEnd);
            if (bang >= 0) {
                return Hit.of(t, prefix.start(), bang + 1, prefix.end(), bang);
            }
            // A later prefix on this line has even fewer characters before the line end: skip the line.
            i = lineEnd;
        }
    }

    /**
     * KernelPanic: up to {@code ---[ end Kernel panic}, or else over the leading lines that start with a timestamp.
     */
    private int parsePanic(ErrorBuilder err, int p, int to) {
        Hit endMarker = scan.memo(END_PANIC, p, to, (f, x) -> END_PANIC.find(t, f, x));
        int e;
        if (endMarker != null) {
            e = endMarker.start();
        } else {
            e = p;
            int line = p;
            while (true) {
                int lineEnd = t.lineEnd(line, to);
                if (Ts.end(t, line, lineEnd) < 0) {
                    break;
                }
                e = lineEnd;
                if (lineEnd >= to) {
                    break;
                }
                line = lineEnd + 1;
            }
        }
        err.report(t.slice(p, e));
        int r = 0;
        Hit summary = panicSummary(p, e);
        if (summary != null) {
            r += summary.end() - p;
            err.set("error_summary", summary.group(1));
        }
        Hit hardware = HARDWARE.find(t, p + r, e);
        if (hardware != null) {
            r = hardware.end() - p;
            err.set("hardware", hardware.group(1));
        }
        Hit header = scan.find(CALL_TRACE, p + r, e);
        if (header != null) {
            r = header.end() - p;
            err.set("call_trace", traceLines(TRACE_LINE, header.end(), e));
        }
        if (e - p > 0) {
            return e - p;
        }
        return r;
    }

    /** {@code TS Kernel panic .*?: (?P<message>.*)}: the message follows the first ": " after the prefix. */
    // Visible for testing: compared with the regular expression it replaces.
    Hit panicSummary(int from, int to) {
        int i = from;
        while (true) {
            Hit prefix = PANIC_PREFIX.find(t, i, to);
            if (prefix == null) {
                return null;
            }
            int lineEnd = t.lineEnd(prefix.end(), to);
            int sep = t.indexOf(": ", prefix.end(), lineEnd);
            if (sep >= 0) {
                return Hit.of(t, prefix.start(), lineEnd, sep + 2, lineEnd);
            }
            i = lineEnd;
        }
    }

    /** UBSANError: up to the first {@code -+[ end trace} or 80 {@code =} (no timestamp needed); dropped without one. */
    private int parseUbsan(ErrorBuilder err, int p, int to) {
        Hit endMarker = scan.memo(UBSAN_END, p, to, this::ubsanEnd);
        if (endMarker == null) {
            return 0;
        }
        int e = endMarker.start();
        err.report(t.slice(p, e));
        int r = 0;
        Hit head = ubsanHead(p, e);
        if (head != null) {
            r += head.end() - p;
            err.set("error_summary", head.group(1));
            err.set("location", head.group(2));
        }
        // Quirk: the reference skips one character (the newline) even when the head line was not found.
        r += 1;
        Hit details = p + r <= e ? scan.find(UBSAN_DETAILS, p + r, e) : null;
        if (details != null) {
            r = details.end() - p;
            err.append("error_summary", ": " + details.group(1));
        }
        Hit hardware = p + r <= e ? HARDWARE.find(t, p + r, e) : null;
        if (hardware != null) {
            err.set("hardware", hardware.group(1));
        }
        return e - p;
    }

    /** {@code TS UBSAN: (?P<error_msg>.*?) in (?P<location>.*)}. */
    // Visible for testing: compared with the regular expression it replaces.
    Hit ubsanHead(int from, int to) {
        int i = from;
        while (true) {
            Hit prefix = UBSAN_PREFIX.find(t, i, to);
            if (prefix == null) {
                return null;
            }
            int lineEnd = t.lineEnd(prefix.end(), to);
            int sep = t.indexOf(" in ", prefix.end(), lineEnd);
            if (sep >= 0) {
                return Hit.of(t, prefix.start(), lineEnd, prefix.end(), sep, sep + 4, lineEnd);
            }
            i = lineEnd;
        }
    }

    private static final String END_TRACE_WORDS = "[ end trace";
    private static final String RULE = "=".repeat(80);

    /**
     * {@code (-+\[ end trace)|(={80})}: the leftmost of either. Searched by hand because a backtracking engine tries
     * {@code -+} from every dash of a long run of dashes (quadratic).
     */
    // Visible for testing: compared with the regular expression it replaces.
    Hit ubsanEnd(int from, int to) {
        int dashes = -1;
        for (int x = t.indexOf(END_TRACE_WORDS, from, to); x >= 0; x = t.indexOf(END_TRACE_WORDS, x + 1, to)) {
            if (x > from && t.charAt(x - 1) == '-') {
                int s = x - 1;
                while (s > from && t.charAt(s - 1) == '-') {
                    s--;
                }
                dashes = s;
                break;
            }
        }
        int limit = dashes >= 0 ? Math.min(to, dashes + RULE.length()) : to;
        int rule = t.indexOf(RULE, from, limit);
        if (rule >= 0 && (dashes < 0 || rule < dashes)) {
            return Hit.of(t, rule, rule + RULE.length());
        }
        if (dashes >= 0) {
            return Hit.of(t, dashes, t.indexOf(END_TRACE_WORDS, dashes, to) + END_TRACE_WORDS.length());
        }
        return null;
    }

    /** ErrorReturnCode: the message runs from the first ": " to the last {@code error -N} of the first line having both. */
    private int parseErrorReturnCode(ErrorBuilder err, int p, int to) {
        Hit h = scan.memo(ERROR_RETURN_CODE, p, to, this::errorReturnCode);
        if (h == null) {
            return 0;
        }
        err.set("error_summary", h.group(1));
        err.report(t.slice(p, h.end()));
        return h.end() - p;
    }

    /**
     * {@code .*?: (?P<message>.*error -\d+)} searched from {@code from}: the leftmost match starts at {@code from} or at a
     * line start, and a line matches iff, after its first ": ", some {@code error -<digit>} occurs; greedy {@code .*} takes
     * the last one. Line by line, so a long line without a match costs one pass, not one pass per start position.
     */
    // Visible for testing: compared with the regular expression it replaces.
    Hit errorReturnCode(int from, int to) {
        int line = from;
        while (line <= to) {
            int lineEnd = t.lineEnd(line, to);
            int colon = t.indexOf(": ", line, lineEnd);
            if (colon >= 0) {
                int last = -1;
                for (int x = t.indexOf("error -", colon + 2, lineEnd); x >= 0;
                        x = t.indexOf("error -", x + 1, lineEnd)) {
                    if (x + 7 < lineEnd && Py.isDigit(Ts.codePointAt(t, x + 7, lineEnd))) {
                        last = x;
                    }
                }
                if (last >= 0) {
                    int end = Ts.digitsEnd(t, last + 7, lineEnd);
                    return Hit.of(t, line, end, colon + 2, end);
                }
            }
            if (lineEnd >= to) {
                return null;
            }
            line = lineEnd + 1;
        }
        return null;
    }

    private List<String> traceLines(Pattern linePattern, int from, int to) {
        List<String> lines = new ArrayList<>();
        for (Hit h : scan.findAll(linePattern, from, to)) {
            lines.add(h.group(1));
        }
        return List.copyOf(lines);
    }
}
