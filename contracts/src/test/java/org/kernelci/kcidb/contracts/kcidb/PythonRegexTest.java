package org.kernelci.kcidb.contracts.kcidb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PythonRegexTest {
    @Test
    void dollarMatchesBeforeAFinalNewlineOnly() {
        Pattern origin = PythonRegex.compile("^[a-z0-9_]+$");
        assertThat(origin.matcher("maestro").find()).isTrue();
        assertThat(origin.matcher("maestro\n").find()).as("Python $ before a final \\n").isTrue();
        assertThat(origin.matcher("maestro\n\n").find()).isFalse();
        assertThat(origin.matcher("maestro\r\n").find()).isFalse();
        assertThat(origin.matcher("maestro\r").find()).isFalse();
        assertThat(origin.matcher("maestro\u2028").find()).isFalse();
        assertThat(origin.matcher("maestro\u2029").find()).isFalse();
        assertThat(origin.matcher("maestro\u0085").find()).isFalse();
    }

    @Test
    void plainJavaWouldDisagree() {
        // Why the flag is there: without it Java accepts what Python refuses.
        assertThat(Pattern.compile("^[a-z0-9_]+$").matcher("maestro\r\n").find()).isTrue();
        assertThat(Pattern.compile("^[a-z0-9_]+$").matcher("maestro\u2028").find()).isTrue();
    }

    @Test
    void dotExcludesOnlyNewline() {
        Pattern v4Id = PythonRegex.compile("^[a-z0-9_]+:.*$");
        assertThat(v4Id.matcher("maestro:a\rb").find()).isTrue();
        assertThat(v4Id.matcher("maestro:a\u2028b").find()).isTrue();
        assertThat(v4Id.matcher("maestro:a\nb").find()).isFalse();
    }

    @Test
    void nulEscapeCompilesAndExcludesNul() {
        Pattern noNul = PythonRegex.compile("^[^\\0]*$");
        assertThat(noNul.matcher("anything at all, even \n newlines").find()).isTrue();
        assertThat(noNul.matcher("nul\0here").find()).isFalse();
        Pattern v5Id = PythonRegex.compile("^[a-z0-9_]+:[^\\0]*$");
        assertThat(v5Id.matcher("maestro:a/b c:d\nünïcode").find()).isTrue();
        assertThat(v5Id.matcher("maestro:\0").find()).isFalse();
        Pattern resource = PythonRegex.compile("^[^/\\0]+$");
        assertThat(resource.matcher("log.txt").find()).isTrue();
        assertThat(resource.matcher("a/b").find()).isFalse();
        assertThat(resource.matcher("a\0b").find()).isFalse();
    }

    @Test
    void octalEscapesKeepTheirPythonValue() {
        assertThat(PythonRegex.toJava("\\012")).isEqualTo("(?d)\\x{a}");
        assertThat(PythonRegex.compile("^a\\012$").matcher("a\n").find()).isTrue();
        assertThat(PythonRegex.toJava("\\\\0")).as("an escaped backslash then 0 is no NUL").isEqualTo("(?d)\\\\0");
    }

    @Test
    void searchSemanticsForUnanchoredPatterns() {
        Pattern v2Id = PythonRegex.compile("^[a-z0-9_]+:");
        assertThat(v2Id.matcher("origin:whatever else").find()).isTrue();
        assertThat(v2Id.matcher("Origin:x").find()).isFalse();
    }

    @Test
    void everySchemaPatternCompiles() {
        ObjectMapper mapper = new ObjectMapper();
        List<String> patterns = new ArrayList<>();
        for (SchemaVersion version : SchemaVersion.ALL) {
            KcidbSchemas.forEachSubschema(KcidbSchemas.load(mapper, version), node -> {
                if (node.path("pattern").isTextual()) {
                    patterns.add(node.get("pattern").textValue());
                }
            });
        }
        assertThat(patterns).hasSizeGreaterThan(100);
        patterns.forEach(PythonRegex::compile);
    }
}
