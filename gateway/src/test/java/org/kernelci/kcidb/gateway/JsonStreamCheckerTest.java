package org.kernelci.kcidb.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonStreamCheckerTest {
    /** Delivers at most {@code chunk} bytes per read, as a network might. */
    private static InputStream chunked(byte[] b, int chunk) {
        return new FilterInputStream(new ByteArrayInputStream(b)) {
            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                return super.read(buf, off, Math.min(len, chunk));
            }
        };
    }

    private static void check(String body, int chunk) throws Exception {
        JsonStreamChecker.check(chunked(body.getBytes(StandardCharsets.UTF_8), chunk));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "[]", "{\"version\":{\"major\":5,\"minor\":3}}", " {\"a\": [1, 2.5, -3e9, true, null]} \n",
            "\"just a string\"", "42", "{\"k\":\"\\u00e9\\ud83d\\udc27\"}", "{\"a\":1,\"a\":2}"})
    void acceptsOneWellFormedValueWhateverTheChunking(String body) {
        for (int chunk : new int[] {1, 2, 7, 4096}) {
            assertThatCode(() -> check(body, chunk)).doesNotThrowAnyException();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "{\"a\":}", "{\"a\":1,}", "{} {}", "{}x", "[1,2", "{\"d\": NaN}",
            "{\"d\": Infinity}", "{'a':1}", "nul", "42 43", "\"s\" x"})
    void refusesMalformedBodiesWhateverTheChunking(String body) {
        for (int chunk : new int[] {1, 3, 4096}) {
            assertThatThrownBy(() -> check(body, chunk)).as("%s in chunks of %d", body, chunk)
                    .isInstanceOf(MalformedBodyException.class);
        }
    }

    @Test
    void messagesSayWhere() {
        assertThatThrownBy(() -> check("{\"a\":\n  tru}", 4096)).hasMessageContaining("line 2");
        assertThatThrownBy(() -> check("{} []", 4096)).hasMessageContaining("trailing characters");
        assertThatThrownBy(() -> check("", 4096)).hasMessageContaining("empty");
    }

    @Test
    void refusesNestingBeyondTheLimitButAcceptsTheReferenceCorpusDepth() {
        assertThatCode(() -> check("[".repeat(200) + "]".repeat(200), 4096)).doesNotThrowAnyException();
        int n = JsonStreamChecker.MAX_DEPTH + 1;
        assertThatThrownBy(() -> check("[".repeat(n) + "]".repeat(n), 4096))
                .isInstanceOf(MalformedBodyException.class).hasMessageContaining("depth");
    }

    @Test
    void refusesInvalidUtf8() {
        byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertThatThrownBy(() -> JsonStreamChecker.check(new ByteArrayInputStream(bad)))
                .isInstanceOf(MalformedBodyException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uFEFF{}", "\u0000{}"})
    void refusesAByteOrderMarkAndNonUtf8Encodings(String body) {
        assertThatThrownBy(() -> check(body, 4096)).isInstanceOf(MalformedBodyException.class)
                .hasMessageContaining("line 1 column 1");
        byte[] utf16 = "{}".getBytes(StandardCharsets.UTF_16BE);
        assertThatThrownBy(() -> JsonStreamChecker.check(new ByteArrayInputStream(utf16)))
                .isInstanceOf(MalformedBodyException.class);
    }

    private static JsonStreamChecker.Result scan(String body, int chunk, String... allowed) throws Exception {
        Set<String> ok = Set.of(allowed);
        return JsonStreamChecker.check(chunked(body.getBytes(StandardCharsets.UTF_8), chunk), ok::contains);
    }

    @Test
    void findsEveryObjectOfAForeignOriginWithItsPathAndIdWhateverTheChunking() throws Exception {
        String doc = "{\"version\":{\"major\":5,\"minor\":3},"
                + "\"checkouts\":[{\"id\":\"maestro:c1\",\"origin\":\"maestro\",\"misc\":{\"origin\":\"x\"}}],"
                + "\"builds\":[{\"origin\":\"maestro\",\"id\":\"maestro:b1\"},{\"id\":\"redhat:b2\",\"origin\":\"redhat\"}],"
                + "\"tests\":[{\"id\":\"t1\",\"origin\":\"maestro\",\"origin\":\"evil\"}, 42, {\"id\":\"t3\"}],"
                + "\"issues\":[],\"incidents\":[{\"id\":\"i1\",\"origin\":\"or\\u0069gin\"}],"
                + "\"other\":[{\"origin\":\"ignored\"}]}";
        for (int chunk : new int[] {1, 5, 4096}) {
            JsonStreamChecker.Result r = scan(doc, chunk, "maestro");
            assertThat(r.violationCount()).isEqualTo(3);
            assertThat(r.violations()).extracting(JsonStreamChecker.OriginViolation::pointer)
                    .containsExactly("/builds/1/origin", "/tests/0/origin", "/incidents/0/origin");
            assertThat(r.violations()).extracting(JsonStreamChecker.OriginViolation::id)
                    .containsExactly("redhat:b2", "t1", "i1");
            assertThat(r.violations().get(2).origin()).isEqualTo("origin");
        }
        assertThat(scan(doc, 4096, "maestro", "redhat", "evil", "origin").violationCount()).isZero();
    }

    @Test
    void countsAllViolationsButKeepsTheFirstFifty() throws Exception {
        StringBuilder doc = new StringBuilder("{\"builds\":[");
        for (int i = 0; i < 120; i++) {
            doc.append(i == 0 ? "" : ",").append("{\"id\":\"b").append(i).append("\",\"origin\":\"other\"}");
        }
        JsonStreamChecker.Result r = scan(doc.append("]}").toString(), 4096, "maestro");
        assertThat(r.violationCount()).isEqualTo(120);
        assertThat(r.violations()).hasSize(JsonStreamChecker.MAX_REPORTED);
    }

    @Test
    void stillRefusesMalformedBodiesWhileTrackingOrigins() {
        assertThatThrownBy(() -> scan("{\"builds\":[{\"origin\":}]}", 1, "maestro"))
                .isInstanceOf(MalformedBodyException.class);
        assertThatThrownBy(() -> scan("{\"builds\":[{\"origin\":\"x\"}]} x", 3, "maestro"))
                .isInstanceOf(MalformedBodyException.class);
    }
}
