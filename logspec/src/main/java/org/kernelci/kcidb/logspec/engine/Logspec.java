package org.kernelci.kcidb.logspec.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.kernelci.kcidb.logspec.engine.parse.StateMachine;
import org.kernelci.kcidb.logspec.engine.text.InputMode;
import org.kernelci.kcidb.logspec.engine.text.LogReader;
import org.kernelci.kcidb.logspec.engine.text.LogText;

/**
 * Entry point: analyse a log with one of the logspec parsers.
 *
 * <pre>{@code
 * LogspecResult r = new Logspec(InputMode.WORKER).analyze(Path.of("boot.log.gz"), Parser.GENERIC_LINUX_BOOT);
 * List<KcidbRecord> records = KcidbRecords.of(r);
 * }</pre>
 *
 * Instances are immutable and may be shared; each call reads, decodes and parses independently.
 */
public final class Logspec {

    /** {@code logspec.main.logspec_version()} of the reference snapshot (spec §1), written into every KCIDB record. */
    public static final String VERSION = "1.0.0";

    private final LogReader reader;

    /** @param spillThresholdChars logs longer than this many characters are held on disk while parsed */
    public Logspec(InputMode mode, int spillThresholdChars) {
        this.reader = new LogReader(mode, spillThresholdChars);
    }

    public Logspec(InputMode mode) {
        this.reader = new LogReader(mode);
    }

    /** Reads a file (gzip recognised by its magic bytes) and parses it. */
    public LogspecResult analyze(Path log, Parser parser) throws IOException {
        try (LogText text = reader.read(log)) {
            return analyze(text, parser);
        }
    }

    /** Reads the stream to its end (the caller closes it) and parses it. */
    public LogspecResult analyze(InputStream log, Parser parser) throws IOException {
        try (LogText text = reader.read(log)) {
            return analyze(text, parser);
        }
    }

    public LogspecResult analyze(byte[] log, Parser parser) throws IOException {
        try (LogText text = reader.read(log)) {
            return analyze(text, parser);
        }
    }

    /** Parses already decoded text. */
    public static LogspecResult analyze(LogText text, Parser parser) {
        return StateMachine.run(text, parser);
    }

    /** Parses a string as the reference parses a {@code str}. */
    public static LogspecResult analyze(String text, Parser parser) {
        return StateMachine.run(LogText.of(text), parser);
    }
}
