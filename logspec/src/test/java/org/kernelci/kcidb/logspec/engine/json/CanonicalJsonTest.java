package org.kernelci.kcidb.logspec.engine.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected texts and digests below were produced by CPython 3.11's {@code json.dumps} and {@code hashlib.sha1}. */
class CanonicalJsonTest {

    @Test
    void specWorkedExampleKbuild001() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", "drivers/gpu/drm/nouveau/nvkm/subdev/gsp/r535.o");
        m.put("src_file", "drivers/gpu/drm/nouveau/nvkm/subdev/gsp/r535.c");
        m.put("error_type", "kbuild.compiler.error");
        m.put("line_no", "1266");
        m.put("error_summary", "label at end of compound statement");
        m.put("position", "3");
        assertThat(CanonicalJson.compact(m)).isEqualTo("{\"error_summary\": \"label at end of compound statement\", "
                + "\"error_type\": \"kbuild.compiler.error\", \"line_no\": \"1266\", \"position\": \"3\", "
                + "\"src_file\": \"drivers/gpu/drm/nouveau/nvkm/subdev/gsp/r535.c\", "
                + "\"target\": \"drivers/gpu/drm/nouveau/nvkm/subdev/gsp/r535.o\"}");
        assertThat(CanonicalJson.generateSignature(m)).isEqualTo("bdff5ace6a40728f86df44c842c1020c71f9fe89");
        m.remove("error_summary");
        m.remove("position");
        assertThat(CanonicalJson.generateSignature(m)).as("spec §5.2 signature_loc").isEqualTo("dfe30968806316c5b10a6458d7fb3c48aff50a61");
    }

    @Test
    void specWorkedExampleLogLevelSignature() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bootloader.done", true);
        m.put("linux.boot.prompt", true);
        m.put("linux.boot.kernel_started", true);
        assertThat(CanonicalJson.generateSignature(m)).isEqualTo("721516cb40a17ba5aaddc2e6e410d3eec5c49fc6");
    }

    @Test
    void escapesOnlyQuoteBackslashAndControlCharactersWithLowerCaseHex() {
        StringBuilder s = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            s.append(c);
        }
        s.append("\"\\/\u007f\u2028\u2029é\uD83D\uDE00\uFFFD");
        String expected = "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f"
                + "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d"
                + "\\u001e\\u001f\\\"\\\\/\u007f\u2028\u2029é\uD83D\uDE00\uFFFD\"";
        assertThat(CanonicalJson.compact(s.toString())).isEqualTo(expected);
        assertThat(CanonicalJson.generateSignature(s.toString())).isEqualTo("fffb8e436dabf4a3d04c998af0b79cda3da5ca14");
    }

    @Test
    void separatorsAndIndentationFollowPython() {
        Map<String, Object> y = new LinkedHashMap<>();
        y.put("k", "v");
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("z", List.of());
        a.put("y", y);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", Arrays.asList(1, "x", null, true, false, Map.of()));
        m.put("a", a);
        assertThat(CanonicalJson.compact(m))
                .isEqualTo("{\"a\": {\"y\": {\"k\": \"v\"}, \"z\": []}, \"b\": [1, \"x\", null, true, false, {}]}");
        assertThat(CanonicalJson.indented(m, 2)).isEqualTo("{\n  \"a\": {\n    \"y\": {\n      \"k\": \"v\"\n    },\n"
                + "    \"z\": []\n  },\n  \"b\": [\n    1,\n    \"x\",\n    null,\n    true,\n    false,\n    {}\n  ]\n}");
        assertThat(CanonicalJson.indented(m, 4)).isEqualTo("{\n    \"a\": {\n        \"y\": {\n            \"k\": \"v\"\n"
                + "        },\n        \"z\": []\n    },\n    \"b\": [\n        1,\n        \"x\",\n        null,\n        true,\n"
                + "        false,\n        {}\n    ]\n}");
    }

    @Test
    void keysSortByCodePointNotByUtf16Unit() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("\uFFFF", 1);
        m.put("\uD83D\uDE00", 2);
        m.put("a", 3);
        assertThat(CanonicalJson.compact(m)).isEqualTo("{\"a\": 3, \"\uFFFF\": 1, \"\uD83D\uDE00\": 2}");
    }

    @Test
    void incidentIdInputIsAListOfThree() {
        List<Object> l = new ArrayList<>(List.of("build:1", "maestro:abc", 1));
        assertThat(CanonicalJson.compact(l)).isEqualTo("[\"build:1\", \"maestro:abc\", 1]");
        assertThat(CanonicalJson.generateSignature(l)).isEqualTo("88d1d6a3fcadf5f71ce8f650a75b6131bf477df7");
    }

    @Test
    void rejectsValuesOutsideTheModel() {
        assertThatThrownBy(() -> CanonicalJson.compact(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.compact(Map.of(1, "x"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(CanonicalJson.compact(null)).isEqualTo("null");
        assertThat(CanonicalJson.compact(Map.of())).isEqualTo("{}");
    }
}
