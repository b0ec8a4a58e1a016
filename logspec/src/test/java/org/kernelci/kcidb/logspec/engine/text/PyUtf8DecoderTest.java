package org.kernelci.kcidb.logspec.engine.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Decoding must match CPython exactly: every extra or missing U+FFFD moves offsets and changes excerpts (spec §9.9). The
 * cases were produced by CPython 3.11 ({@code decoder/python-utf8-cases.txt}), biased towards the bytes where decoders
 * disagree (encoded surrogates, overlongs, truncated sequences, CR/LF).
 */
class PyUtf8DecoderTest {

    private record Case(byte[] bytes, String replaced, String textMode) {
    }

    @Test
    void workerModeReplacesMalformedInputExactlyAsCPython() throws IOException {
        for (Case c : cases()) {
            assertThat(decode(c.bytes(), InputMode.WORKER, false)).as("bytes %s", HexFormat.of().formatHex(c.bytes()))
                    .isEqualTo(c.replaced());
        }
    }

    @Test
    void decodingIsTheSameWhenBytesArriveOneAtATime() throws IOException {
        for (Case c : cases()) {
            assertThat(decode(c.bytes(), InputMode.WORKER, true)).as("bytes %s", HexFormat.of().formatHex(c.bytes()))
                    .isEqualTo(c.replaced());
        }
    }

    @Test
    void fileModeIsStrictAndTranslatesNewlinesAsPythonTextMode() throws IOException {
        int errors = 0;
        for (Case c : cases()) {
            if (c.textMode() == null) {
                errors++;
                assertThatThrownBy(() -> decode(c.bytes(), InputMode.FILE, true))
                        .as("bytes %s", HexFormat.of().formatHex(c.bytes()))
                        .isInstanceOf(MalformedLogException.class).hasMessageContaining("invalid UTF-8 at byte offset");
            } else {
                assertThat(decode(c.bytes(), InputMode.FILE, true)).as("bytes %s", HexFormat.of().formatHex(c.bytes()))
                        .isEqualTo(c.textMode());
            }
        }
        assertThat(errors).as("the fixture exercises strict failures").isGreaterThan(100);
    }

    @Test
    void theJdkDecoderWouldDisagreeOnEncodedSurrogates() throws IOException {
        byte[] surrogate = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
        assertThat(decode(surrogate, InputMode.WORKER, false)).isEqualTo("\uFFFD\uFFFD\uFFFD");
        assertThat(new String(surrogate, StandardCharsets.UTF_8)).as("why the port decodes by hand")
                .isNotEqualTo("\uFFFD\uFFFD\uFFFD");
    }

    @Test
    void codePointIndexCountsSurrogatePairsOnce() throws IOException {
        try (LogText t = LogReader.decode("a\uD83D\uDE00b\uD835\uDFCEc".getBytes(StandardCharsets.UTF_8), InputMode.WORKER)) {
            assertThat(t.length()).isEqualTo(7);
            assertThat(t.codePointIndex(0)).isZero();
            assertThat(t.codePointIndex(3)).isEqualTo(2);
            assertThat(t.codePointIndex(7)).isEqualTo(5);
        }
        assertThat(LogText.of("x\uD83D\uDE00y").codePointIndex(4)).isEqualTo(3);
    }

    private static String decode(byte[] bytes, InputMode mode, boolean trickle) throws IOException {
        InputStream in = new java.io.ByteArrayInputStream(bytes);
        if (trickle) {
            in = new FilterInputStream(in) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return super.read(b, off, Math.min(len, 1));
                }
            };
        }
        try (LogText t = new LogReader(mode, 1 << 20).read(in)) {
            return t.slice(0, t.length());
        }
    }

    private static List<Case> cases() throws IOException {
        try (InputStream in = Objects.requireNonNull(
                PyUtf8DecoderTest.class.getResourceAsStream("/decoder/python-utf8-cases.txt"))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank())
                    .map(l -> {
                        String[] f = l.split("\\|", -1);
                        return new Case(HexFormat.of().parseHex(f[0]), codePoints(f[1]),
                                f[2].equals("ERR") ? null : codePoints(f[2]));
                    })
                    .collect(Collectors.toList());
        }
    }

    private static String codePoints(String hex) {
        if (hex.equals("-")) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (String cp : hex.split(" ")) {
            sb.appendCodePoint(Integer.parseInt(cp, 16));
        }
        return sb.toString();
    }
}
