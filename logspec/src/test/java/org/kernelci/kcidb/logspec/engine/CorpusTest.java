package org.kernelci.kcidb.logspec.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.kernelci.kcidb.logspec.engine.kcidb.KcidbRecords;
import org.kernelci.kcidb.logspec.engine.text.InputMode;

/**
 * The acceptance bar of issue 5: for every corpus log, {@code public} equals {@code *.expected.json} byte for byte, and
 * {@code full} and {@code kcidb} equal the reference outputs field by field, signatures included.
 */
class CorpusTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everyCorpusLogMatchesTheReference() {
        return SharedCorpus.requireCases().stream()
                .map(c -> DynamicTest.dynamicTest(c.name() + " (" + c.parser().id() + ")", () -> check(c)));
    }

    /** One figure per format, so a regression reads as "33/34" rather than as one failure among many. */
    @Test
    void agreementIs34Of34OnAllThreeFormats() throws IOException {
        List<SharedCorpus.Case> cases = SharedCorpus.requireCases();
        int pub = 0;
        int full = 0;
        int kcidb = 0;
        List<String> misses = new ArrayList<>();
        for (SharedCorpus.Case c : cases) {
            JsonNode oracle = JSON.readTree(c.oracle().toFile());
            LogspecResult r = new Logspec(InputMode.WORKER).analyze(c.log(), c.parser());
            String publicText = LogspecJson.render(LogspecJson.publicView(r), 4);
            boolean publicOk = JSON.readTree(publicText).equals(oracle.get("public"))
                    && (!c.hasExpected() || publicText.equals(Files.readString(c.expected())));
            pub += publicOk ? 1 : 0;
            full += tree(LogspecJson.fullView(r)).equals(oracle.get("result")) ? 1 : 0;
            kcidb += tree(KcidbRecords.toJson(KcidbRecords.of(r))).equals(oracle.get("kcidb")) ? 1 : 0;
            if (!publicOk || !tree(LogspecJson.fullView(r)).equals(oracle.get("result"))) {
                misses.add(c.name());
            }
        }
        assertThat(cases).hasSize(34);
        assertThat(List.of(pub, full, kcidb)).as("public/full/kcidb agreement; misses %s", misses)
                .containsExactly(34, 34, 34);
    }

    private static void check(SharedCorpus.Case c) throws IOException {
        byte[] bytes = Files.readAllBytes(c.log());
        JsonNode oracle = JSON.readTree(c.oracle().toFile());
        assertThat(oracle.get("input_mode").asText()).isEqualTo("worker");
        assertThat(oracle.get("logspec_version").asText()).isEqualTo(Logspec.VERSION);

        LogspecResult r = new Logspec(InputMode.WORKER).analyze(bytes, c.parser());
        String publicText = LogspecJson.render(LogspecJson.publicView(r), 4);
        if (c.hasExpected()) {
            assertThat(publicText).as("public output of %s, byte for byte", c.name())
                    .isEqualTo(Files.readString(c.expected(), StandardCharsets.UTF_8));
        }
        assertThat(JSON.readTree(publicText)).as("public").isEqualTo(oracle.get("public"));
        assertSameFields("full", tree(LogspecJson.fullView(r)), oracle.get("result"));
        assertSameFields("kcidb", tree(KcidbRecords.toJson(KcidbRecords.of(r))), oracle.get("kcidb"));
        assertThat(r.errors()).hasSize(c.oracleErrorCount());

        // The same log spilled to disk, gzip-compressed, or read as the logspec CLI reads it (the corpus README says
        // every corpus log gives an identical result that way) must not change a byte.
        String full = LogspecJson.render(LogspecJson.fullView(r), 2);
        LogspecResult spilled = new Logspec(InputMode.WORKER, 0).analyze(bytes, c.parser());
        assertThat(LogspecJson.render(LogspecJson.fullView(spilled), 2)).as("spilled to disk").isEqualTo(full);
        LogspecResult gunzipped = new Logspec(InputMode.WORKER).analyze(gzip(bytes), c.parser());
        assertThat(LogspecJson.render(LogspecJson.fullView(gunzipped), 2)).as("gzip input").isEqualTo(full);
        LogspecResult fileMode = new Logspec(InputMode.FILE).analyze(bytes, c.parser());
        assertThat(LogspecJson.render(LogspecJson.fullView(fileMode), 2)).as("file input mode").isEqualTo(full);
    }

    /** Field by field, so that a failure names the path of the first differing value. */
    private static void assertSameFields(String what, JsonNode actual, JsonNode expected) {
        List<String> diffs = new ArrayList<>();
        diff(what, actual, expected, diffs);
        assertThat(diffs).as("%s differs from the reference", what).isEmpty();
    }

    private static void diff(String path, JsonNode a, JsonNode e, List<String> out) {
        if (a == null || e == null) {
            if (a != e) {
                out.add(path + ": " + (a == null ? "missing" : "unexpected") + " (expected " + e + ", got " + a + ")");
            }
            return;
        }
        if (e.isObject() && a.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = e.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> f = it.next();
                diff(path + "." + f.getKey(), a.get(f.getKey()), f.getValue(), out);
            }
            a.fieldNames().forEachRemaining(k -> {
                if (!e.has(k)) {
                    out.add(path + "." + k + ": unexpected " + a.get(k));
                }
            });
        } else if (e.isArray() && a.isArray() && e.size() == a.size()) {
            for (int i = 0; i < e.size(); i++) {
                diff(path + "[" + i + "]", a.get(i), e.get(i), out);
            }
        } else if (!a.equals(e)) {
            out.add(path + ": expected " + abbreviate(e) + " but got " + abbreviate(a));
        }
    }

    private static String abbreviate(JsonNode n) {
        String s = n.toString();
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static JsonNode tree(Object view) throws IOException {
        return JSON.readTree(LogspecJson.render(view, 2));
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}
