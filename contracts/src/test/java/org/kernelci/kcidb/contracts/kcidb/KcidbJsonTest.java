package org.kernelci.kcidb.contracts.kcidb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KcidbJsonTest {
    private final KcidbJson json = new KcidbJson();

    @Test
    void duplicateKeysLastValueWinsAtFirstPosition() throws Exception {
        JsonNode doc = json.parse(utf8("{\"a\": 1, \"b\": 2, \"a\": 3}"));
        assertThat(doc.get("a").intValue()).isEqualTo(3);
        assertThat(List.copyOf(doc.properties()).stream().map(e -> e.getKey()).toList()).containsExactly("a", "b");
    }

    @Test
    void keepsNumberTypes() throws Exception {
        JsonNode doc = json.parse(utf8("{\"i\": 1, \"l\": 12345678901, \"big\": 123456789012345678901234567890,"
                + " \"d\": 2.0, \"e\": 1e3}"));
        assertThat(doc.get("i").isInt()).isTrue();
        assertThat(doc.get("l").isLong()).isTrue();
        assertThat(doc.get("big").bigIntegerValue()).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(doc.get("d").isDouble()).isTrue();
        assertThat(doc.get("d").doubleValue()).isEqualTo(2.0);
        assertThat(doc.get("e").isDouble()).isTrue();
    }

    @Test
    void acceptsScalarsAndDeepNesting() throws Exception {
        assertThat(json.parse(utf8("null")).isNull()).isTrue();
        assertThat(json.parse(utf8(" \"x\" ")).textValue()).isEqualTo("x");
        String deep = "{\"a\":".repeat(200) + "1" + "}".repeat(200);
        assertThat(json.parse(utf8(deep)).isObject()).isTrue();
    }

    @Test
    void refusesNestingBeyondTheParserLimit() {
        String tooDeep = "[".repeat(1001) + "]".repeat(1001);
        assertThatThrownBy(() -> json.parse(utf8(tooDeep)))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("nesting depth");
    }

    @Test
    void keepsUnicodeEscapesAndAstralCharacters() throws Exception {
        JsonNode doc = json.parse(utf8("{\"a\": \"\\u00e9🐧\", \"nul\": \"x\\u0000y\"}"));
        assertThat(doc.get("a").textValue()).isEqualTo("é🐧");
        assertThat(doc.get("nul").textValue()).isEqualTo("x\0y");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\t "})
    void refusesEmptyInput(String body) {
        assertThatThrownBy(() -> json.parse(utf8(body)))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("empty document");
    }

    @Test
    void refusesUtf8ByteOrderMark() {
        byte[] body = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'};
        assertThatThrownBy(() -> json.parse(body))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("byte-order mark");
    }

    @Test
    void refusesInvalidUtf8WithPosition() {
        byte[] body = {'{', '\n', '"', 'a', '"', ':', ' ', '"', (byte) 0xFF, '"', '}'};
        assertThatThrownBy(() -> json.parse(body))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("invalid UTF-8 byte 0xFF at byte offset 8")
                .asInstanceOf(InstanceOfAssertFactories.type(MalformedJsonException.class))
                .satisfies(e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isEqualTo(7);
                });
    }

    @Test
    void refusesEncodedSurrogatesAndOverlongForms() {
        byte[] surrogate = {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};
        byte[] overlong = {'"', (byte) 0xC0, (byte) 0xAF, '"'};
        assertThatThrownBy(() -> json.parse(surrogate)).isInstanceOf(MalformedJsonException.class);
        assertThatThrownBy(() -> json.parse(overlong)).isInstanceOf(MalformedJsonException.class);
    }

    @Test
    void refusesUtf16() {
        byte[] body = "{\"a\": 1}".getBytes(StandardCharsets.UTF_16LE);
        assertThatThrownBy(() -> json.parse(body)).isInstanceOf(MalformedJsonException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{} x", "{} {}", "{\"a\": 1}}", "[1] 2"})
    void refusesTrailingContent(String body) {
        assertThatThrownBy(() -> json.parse(utf8(body))).isInstanceOf(MalformedJsonException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"d\": NaN}", "{\"d\": Infinity}", "{\"d\": -Infinity}", "[NaN]"})
    void refusesNonFiniteLiterals(String body) {
        assertThatThrownBy(() -> json.parse(utf8(body)))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("line 1");
    }

    @Test
    void refusesNumbersBeyondDoubleRange() {
        assertThatThrownBy(() -> json.parse(utf8("{\"d\": 1e400}")))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("1e400 is out of range")
                .hasMessageContaining("line 1, column 7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\": 1,}", "{'a': 1}", "{\"a\": 01}", "{\"a\": \"tab\there\"}", "// c\n{}",
        "{\"a\" 1}", "{\"a\": tru}", "{\"a\": [1, 2}"})
    void refusesWhatPythonRefuses(String body) {
        assertThatThrownBy(() -> json.parse(utf8(body))).isInstanceOf(MalformedJsonException.class);
    }

    @Test
    void reportsLineAndColumnOfSyntaxErrors() {
        assertThatThrownBy(() -> json.parse(utf8("{\n  \"version\": {\"major\": 5,}\n}")))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("(line 2, column 26)")
                .hasMessageNotContaining("Source:");
    }

    @Test
    void refusesTruncatedDocumentWithoutSourceNoise() {
        assertThatThrownBy(() -> json.parse(utf8("{\"version\": {\"major\": 5")))
                .isInstanceOf(MalformedJsonException.class)
                .hasMessageContaining("end-of-input")
                .hasMessageNotContaining("REDACTED");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
