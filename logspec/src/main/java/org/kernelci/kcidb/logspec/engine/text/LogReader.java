package org.kernelci.kcidb.logspec.engine.text;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Turns log bytes into a {@link LogText}: gunzips when the first two bytes are the gzip magic {@code 1f 8b}, whatever the file
 * is called (the KCIDB worker does the same), then decodes as {@link InputMode} says, streaming: the bytes are never all held
 * in memory, and the text spills to disk past the threshold.
 */
public final class LogReader {

    /**
     * Texts above this many characters spill to a temporary file. 16 Mi characters: at most 16 to 32 MiB of heap for the
     * text (one or two bytes a character), far above the logs of the corpus (2 MB at most), which stay in memory.
     */
    public static final int DEFAULT_SPILL_THRESHOLD_CHARS = 16 << 20;

    private final InputMode mode;
    private final int spillThresholdChars;

    public LogReader(InputMode mode, int spillThresholdChars) {
        this.mode = mode;
        this.spillThresholdChars = spillThresholdChars;
    }

    public LogReader(InputMode mode) {
        this(mode, DEFAULT_SPILL_THRESHOLD_CHARS);
    }

    public LogText read(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return read(in);
        }
    }

    public LogText read(byte[] bytes) throws IOException {
        return read(new java.io.ByteArrayInputStream(bytes));
    }

    /** Reads the stream to its end; the caller closes it. */
    public LogText read(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = b0 < 0 ? -1 : in.read();
        in.reset();
        InputStream source = (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(in, 1 << 16) : in;
        LogText.Builder builder = new LogText.Builder(spillThresholdChars);
        boolean built = false;
        try {
            PyUtf8Decoder decoder = new PyUtf8Decoder(mode, builder);
            byte[] buf = new byte[1 << 16];
            for (int n = source.read(buf); n >= 0; n = source.read(buf)) {
                decoder.feed(buf, 0, n);
            }
            decoder.finish();
            LogText text = builder.build();
            built = true;
            return text;
        } finally {
            if (!built) {
                builder.abandon();
            }
        }
    }

    /** Convenience for tests and small inputs: decodes in memory. */
    public static LogText decode(byte[] bytes, InputMode mode) throws IOException {
        return new LogReader(mode, Integer.MAX_VALUE - 16).read(bytes);
    }
}
