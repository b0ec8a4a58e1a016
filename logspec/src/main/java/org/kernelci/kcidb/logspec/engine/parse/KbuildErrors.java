package org.kernelci.kcidb.logspec.engine.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.kernelci.kcidb.logspec.engine.LogspecError;
import org.kernelci.kcidb.logspec.engine.text.LogText;

/**
 * {@code find_kbuild_error} (spec §4.1): only the first {@code make...: ***} line is analysed, against the text before it.
 * Targets and stems taken from the log are pasted into patterns as regular expressions, as the reference does.
 */
final class KbuildErrors {

    /** The error and the end of its make line, where {@code _match_end} lands. */
    record Found(LogspecError error, int end) {
    }

    record ScriptTarget(String script, String target) {
    }

    private static final String MAKE_FAILED = ": *** ";
    private static final Pattern STARS = PyRegex.compile("\\*\\*\\*.*");
    private static final Pattern MODPOST = PyRegex.compile(PyRegex.CLOCK + "(?:ERROR|FATAL): modpost: (.*)");
    private static final String MODPOST_WORD = "modpost: ";
    private static final Pattern UNINDENTED_LINE = PyRegex.compile("^" + PyRegex.NOT_SPACE + "+.*$", Pattern.MULTILINE);
    private static final Pattern LD_MESSAGE = PyRegex.compile("ld: (.*)");
    private static final String WORD_EXT = "\\." + PyRegex.WORD + "+";

    private final Scan scan;
    private final LogText t;

    KbuildErrors(Scan scan) {
        this.scan = scan;
        this.t = scan.text();
    }

    Found find(int from, int to) {
        Hit make = makeLine(from, to);
        if (make == null) {
            return null;
        }
        String errorStr = make.group(1);
        ScriptTarget st = scriptTarget(errorStr);
        if (st == null) {
            // No "[script: target] Error": kbuild.unknown, never parsed, so its signature stays "" (spec §4.1.5).
            LogspecError unknown = new ErrorBuilder("KbuildUnknownError").set("error_type", "kbuild.unknown")
                    .set("error_summary", errorStr).report(errorStr).unparsed();
            return new Found(unknown, make.end());
        }
        String script = st.script();
        String target = st.target();
        if (target.endsWith("vmlinux")) {
            // Spec §4.1 step 2: the linker line is looked for in the whole log, not only before the make line.
            Hit linker = linkerLine(from, to);
            if (linker != null) {
                script = linker.group(1);
                target = linker.group(2);
            }
        }
        int pre = make.start();
        ErrorBuilder err;
        if (isObjectFile(target) || isOtherCompilerTarget(target, from, pre)) {
            err = new ErrorBuilder("KbuildCompilerError").set("script", script).set("target", target)
                    .set("src_file", "").set("location", "").set("line_no", "").set("position", "")
                    .set("error_type", "kbuild.compiler").addSignatureLoc()
                    .signatureField("src_file").signatureField("target");
            parseCompiler(err, target, from, pre);
        } else if (script.contains("modpost")) {
            err = scriptTargetError("KbuildModpostError", script, target);
            parseModpost(err, from, pre);
        } else if (target.equals("modules") || target.equals("Module.symvers")) {
            err = scriptTargetError("KbuildProcessError", script, target);
            parseProcess(err, from, pre);
        } else {
            err = scriptTargetError("KbuildGenericError", script, target);
            parseGeneric(err, target, from, pre);
        }
        return new Found(err.parsed(), make.end());
    }

    private static ErrorBuilder scriptTargetError(String pythonClass, String script, String target) {
        return new ErrorBuilder(pythonClass).set("script", script).set("target", target)
                .signatureField("script").signatureField("target");
    }

    /**
     * {@code make.*?: \*\*\* (?P<error_str>.*)}: the first line with a "make" followed by ": *** ". By hand, line by line:
     * a backtracking engine re-reads a line from every "make" on it.
     */
    // Visible for testing: compared with the regular expression it replaces.
    Hit makeLine(int from, int to) {
        int x = t.indexOf(MAKE_FAILED, from, to);
        while (x >= 0) {
            int nl = t.lastIndexOf('\n', from, x);
            int lineStart = nl < 0 ? from : nl + 1;
            int lineEnd = t.lineEnd(x, to);
            int make = t.indexOf("make", lineStart, lineEnd);
            if (make >= 0) {
                int sep = t.indexOf(MAKE_FAILED, make + 4, lineEnd);
                if (sep >= 0) {
                    return Hit.of(t, make, lineEnd, sep + MAKE_FAILED.length(), lineEnd);
                }
            }
            if (lineEnd >= to) {
                return null;
            }
            x = t.indexOf(MAKE_FAILED, lineEnd + 1, to);
        }
        return null;
    }

    /**
     * {@code \[(?P<script>.*?): (?P<target>.*?)\] Error}: only the first '[' can match (a later one finds its ": " no
     * earlier), so three {@code indexOf} calls decide it, however many '[' the line holds.
     */
    // Visible for testing: compared with the regular expression it replaces.
    static ScriptTarget scriptTarget(String errorStr) {
        int open = errorStr.indexOf('[');
        if (open < 0) {
            return null;
        }
        int colon = errorStr.indexOf(": ", open + 1);
        if (colon < 0) {
            return null;
        }
        int close = errorStr.indexOf("] Error", colon + 2);
        if (close < 0) {
            return null;
        }
        return new ScriptTarget(errorStr.substring(open + 1, colon), errorStr.substring(colon + 2, close));
    }

    /**
     * {@code (?P<script>.*?ld): (?P<target>.*?)\.\w+: (?P<error_str>.*)}: on the first line with an "ld: " followed by a
     * {@code .<word>: }, the script runs to the first "ld", the target to the first such dot.
     */
    // Visible for testing: compared with the regular expression it replaces.
    Hit linkerLine(int from, int to) {
        int x = t.indexOf("ld: ", from, to);
        while (x >= 0) {
            int nl = t.lastIndexOf('\n', from, x);
            int lineStart = nl < 0 ? from : nl + 1;
            int lineEnd = t.lineEnd(x, to);
            int k = x + 4;
            while (true) {
                int dot = t.indexOf('.', k, lineEnd);
                if (dot < 0) {
                    break;
                }
                int wordEnd = wordEnd(dot + 1, lineEnd);
                if (wordEnd > dot + 1 && t.regionMatches(wordEnd, ": ", lineEnd)) {
                    return Hit.of(t, lineStart, lineEnd, lineStart, x + 2, x + 4, dot);
                }
                k = dot + 1;
            }
            if (lineEnd >= to) {
                return null;
            }
            x = t.indexOf("ld: ", lineEnd + 1, to);
        }
        return null;
    }

    private int wordEnd(int i, int to) {
        int j = i;
        while (j < to) {
            int cp = Ts.codePointAt(t, j, to);
            if (!Py.isWord(cp)) {
                break;
            }
            j += Character.charCount(cp);
        }
        return j;
    }

    private static boolean isObjectFile(String target) {
        String ext = Py.splitextExt(target);
        return ext.equals(".o") || ext.equals(".s");
    }

    private boolean isOtherCompilerTarget(String target, int from, int pre) {
        String stem = Py.splitextRoot(Py.basename(target));
        Pattern p = PyRegex.compileInterpolated(PyRegex.translate(stem) + "(?:" + WORD_EXT + ")?:");
        return scan.find(p, from, pre) != null;
    }

    // ---- KbuildCompilerError (spec §4.1.1)

    private void parseCompiler(ErrorBuilder err, String target, int from, int pre) {
        if (!compilerLine(err, target, from, pre)) {
            compilerBlock(err, target, from, pre);
        }
        for (String field : List.of("location", "line_no", "position")) {
            if (!err.get(field).isEmpty()) {
                err.signatureField(field);
            }
        }
    }

    /** Strategy A: a single-line {@code file:line:col: type: message}. */
    private boolean compilerLine(ErrorBuilder err, String target, int from, int pre) {
        String rawStem = Py.splitextRoot(target);
        String stem = PyRegex.translate(rawStem);
        Hit h;
        if (CompilerLine.handles(rawStem)) {
            h = CompilerLine.find(t, PyRegex.compileInterpolated(stem), from, pre);
        } else {
            Pattern p = PyRegex.compileInterpolated("(?m)^.*?(" + stem + ".*?):(\\p{Nd}+):(\\p{Nd}+): (.*?): (.*?)\n");
            h = scan.find(p, from, pre);
            if (h != null) {
                // The stem may hold groups of its own, numbered after src_file: count the other four from the end.
                int n = h.groupCount();
                h = Hit.of(t, h.start(), h.end(), h.start(1), h.end(1), h.start(n - 3), h.end(n - 3),
                        h.start(n - 2), h.end(n - 2), h.start(n - 1), h.end(n - 1), h.start(n), h.end(n));
            }
        }
        if (h == null) {
            return false;
        }
        err.report(t.slice(h.start(), pre));
        err.set("src_file", h.group(1));
        err.set("line_no", h.group(2));
        err.set("position", h.group(3));
        err.append("error_type", "." + h.group(4));
        err.set("error_summary", h.group(5));
        return true;
    }

    /** Strategy B: the block from the last line naming the target stem to the make line. */
    private void compilerBlock(ErrorBuilder err, String target, int from, int pre) {
        int blockStart = lastLineWithStem(Py.splitextRoot(target), from, pre);
        // Python truthiness: a block starting at offset 0 of the text counts as "not found" (spec §4.1.1).
        if (blockStart < 0 || blockStart == from) {
            return;
        }
        err.report(t.slice(blockStart, pre));
        if (!compilerMessage(err, target, blockStart, pre)) {
            linkerMessage(err, target, blockStart, pre);
        }
    }

    /** Start of the last match of {@code ^.*STEM.*$} (MULTILINE) in {@code [from, to)}, or -1. */
    // Visible for testing: compared with the regular expression it replaces.
    int lastLineWithStem(String rawStem, int from, int to) {
        String stem = PyRegex.translate(rawStem);
        if (!CompilerLine.handles(rawStem)) {
            List<Hit> lines = scan.findAll(PyRegex.compileInterpolated("(?m)^.*" + stem + ".*$"), from, to);
            return lines.isEmpty() ? -1 : lines.get(lines.size() - 1).start();
        }
        // A fixed-length stem cannot span lines, so ^.*STEM.*$ matches exactly the lines holding it: find the last one
        // by searching the stem alone, a line at a time, instead of backtracking over every line.
        int last = -1;
        Pattern p = PyRegex.compileInterpolated(stem);
        int at = from;
        Hit h;
        while (at <= to && (h = scan.find(p, at, to)) != null) {
            int nl = t.lastIndexOf('\n', from, h.start());
            last = nl < 0 ? from : nl + 1;
            at = t.lineEnd(h.start(), to) + 1;
        }
        return last;
    }

    /** B1: the first "error: "/"warning: " line of the block, and the source location of the target. */
    private boolean compilerMessage(ErrorBuilder err, String target, int from, int to) {
        if (t.indexOf("ld: ", from, to) >= 0) {
            return false;
        }
        int line = from;
        while (line < to) {
            int lineEnd = t.lineEnd(line, to);
            if (lineEnd >= to) {
                break; // the message must end with a newline inside the block
            }
            int error = t.indexOf("error: ", line, lineEnd);
            int warning = t.indexOf("warning: ", line, lineEnd);
            if (error >= 0 || warning >= 0) {
                boolean isError = error >= 0 && (warning < 0 || error < warning);
                err.append("error_type", isError ? ".error" : ".warning");
                err.set("error_summary", Py.strip(t.slice(clockEnd(line, lineEnd), lineEnd + 1)));
                break;
            }
            line = lineEnd + 1;
        }
        String stem = PyRegex.translate(Py.splitextRoot(target));
        Pattern full = PyRegex.compileInterpolated("(?<srcfile>" + stem + "(?:" + WORD_EXT + ")?):(?<location>\\p{Nd}+)");
        Hit h = scan.find(full, from, to);
        if (h != null) {
            err.set("src_file", h.group(full.namedGroups().get("srcfile")));
            err.set("location", h.group(full.namedGroups().get("location")));
            return true;
        }
        String base = PyRegex.translate(Py.splitextRoot(Py.basename(target)));
        Pattern basePattern = PyRegex.compileInterpolated("(?<srcfile>" + base + "(?:" + WORD_EXT + ")?):(?<location>\\p{Nd}+)");
        h = scan.find(basePattern, from, to);
        if (h != null) {
            err.set("src_file", Py.join(Py.dirname(target), h.group(basePattern.namedGroups().get("srcfile"))));
            err.set("location", h.group(basePattern.namedGroups().get("location")));
            return true;
        }
        return false;
    }

    /** B2: a linker error naming an object file. */
    private boolean linkerMessage(ErrorBuilder err, String target, int from, int to) {
        Pattern p = target.equals(Py.basename(target))
                ? PyRegex.compile("ld: (?<objfile>.*?):")
                : PyRegex.compileInterpolated("ld: .*?(?<objfile>" + PyRegex.translate(target) + WORD_EXT + ")");
        Hit h = scan.find(p, from, to);
        if (h != null) {
            err.append("error_type", ".linker_error");
            String obj = h.group(p.namedGroups().get("objfile"));
            String dir = Py.dirname(obj);
            String name = PyRegex.translate(Py.splitextRoot(Py.basename(obj)));
            Pattern src = PyRegex.compileInterpolated(PyRegex.CLOCK + "(?<srcfile>" + name + WORD_EXT
                    + "):(?<location>[^: ]+): (?<message>.*?)\n");
            Hit s = scan.find(src, from, to);
            if (s != null) {
                Map<String, Integer> g = src.namedGroups();
                err.set("location", s.group(g.get("location")));
                err.set("src_file", Py.join(dir, s.group(g.get("srcfile"))));
                err.set("error_summary", Py.strip(s.group(g.get("message"))));
            }
            return true;
        }
        Hit any = scan.find(LD_MESSAGE, from, to);
        if (any != null) {
            err.append("error_type", ".linker_error");
            err.set("error_summary", any.group(1));
            return true;
        }
        return false;
    }

    // ---- KbuildProcessError, KbuildModpostError, KbuildGenericError (spec §4.1.2 to §4.1.4)

    private void parseProcess(ErrorBuilder err, int from, int pre) {
        err.set("error_type", "kbuild.make");
        StringBuilder report = new StringBuilder();
        List<String> parts = new ArrayList<>();
        for (Hit h : findAll(STARS, from, pre)) {
            String line = h.text();
            report.append(line).append('\n');
            parts.add(Py.strip(line, "*\n "));
        }
        err.report(report.toString());
        if (!parts.isEmpty()) {
            err.set("error_summary", joinNonEmpty(parts));
        }
    }

    private void parseModpost(ErrorBuilder err, int from, int pre) {
        err.set("error_type", "kbuild.modpost");
        StringBuilder report = new StringBuilder();
        List<String> parts = new ArrayList<>();
        // Every match lies on one line holding "modpost: ": search only those lines (the optional clock in front of the
        // pattern keeps java.util.regex from skipping ahead by itself).
        int line = from;
        for (int x = t.indexOf(MODPOST_WORD, from, pre); x >= 0; x = t.indexOf(MODPOST_WORD, line, pre)) {
            int nl = t.lastIndexOf('\n', line, x);
            int lineStart = nl < 0 ? line : nl + 1;
            int lineEnd = t.lineEnd(x, pre);
            for (Hit h : findAll(MODPOST, lineStart, lineEnd)) {
                report.append(h.text()).append('\n');
                parts.add(h.group(1));
            }
            line = lineEnd;
            if (line >= pre) {
                break;
            }
        }
        err.report(report.toString());
        if (!parts.isEmpty()) {
            err.set("error_summary", String.join(" ", parts));
        }
    }

    private void parseGeneric(ErrorBuilder err, String target, int from, int pre) {
        err.set("error_type", "kbuild.other");
        if (target.isEmpty()) {
            return;
        }
        Hit first = scan.find(PyRegex.compileInterpolated(PyRegex.translate(target)), from, pre);
        if (first == null) {
            return;
        }
        StringBuilder report = new StringBuilder();
        List<String> parts = new ArrayList<>();
        for (Hit h : findAll(UNINDENTED_LINE, first.end(), pre)) {
            String line = h.text();
            report.append(line).append('\n');
            if (line.startsWith("***")) {
                parts.add(Py.strip(line, "*\n "));
            } else if (line.contains("error:")) {
                // (?:\d\d:\d\d:\d\d *)?(.*error:.*): the line minus a leading clock.
                parts.add(line.substring(clockEnd(line)));
            }
        }
        err.report(report.toString());
        if (!parts.isEmpty()) {
            err.set("error_summary", joinNonEmpty(parts));
        }
    }

    private List<Hit> findAll(Pattern p, int from, int to) {
        return scan.findAll(p, from, to);
    }

    private static String joinNonEmpty(List<String> parts) {
        return String.join(" ", parts.stream().filter(s -> !s.isEmpty()).toList());
    }

    /** End of the optional {@code HH:MM:SS} clock and the spaces after it, at the start of {@code [from, to)}. */
    private int clockEnd(int from, int to) {
        int i = from;
        for (int part = 0; part < 3; part++) {
            for (int d = 0; d < 2; d++) {
                if (i >= to || !Py.isDigit(Ts.codePointAt(t, i, to))) {
                    return from;
                }
                i += Character.charCount(Ts.codePointAt(t, i, to));
            }
            if (part < 2) {
                if (i >= to || t.charAt(i) != ':') {
                    return from;
                }
                i++;
            }
        }
        while (i < to && t.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static int clockEnd(String s) {
        int i = 0;
        for (int part = 0; part < 3; part++) {
            for (int d = 0; d < 2; d++) {
                if (i >= s.length() || !Py.isDigit(s.codePointAt(i))) {
                    return 0;
                }
                i += Character.charCount(s.codePointAt(i));
            }
            if (part < 2) {
                if (i >= s.length() || s.charAt(i) != ':') {
                    return 0;
                }
                i++;
            }
        }
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
