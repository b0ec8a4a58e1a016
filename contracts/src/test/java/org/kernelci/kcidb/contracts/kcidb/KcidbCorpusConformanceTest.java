package org.kernelci.kcidb.contracts.kcidb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.kernelci.kcidb.contracts.kcidb.Verdict.Accepted;
import org.kernelci.kcidb.contracts.kcidb.Verdict.Reason;
import org.kernelci.kcidb.contracts.kcidb.Verdict.Rejected;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every input of the shared KCIDB corpus through {@link KcidbSubmissions} and compares with the verdict the
 * reference (kcidb-io) gave it: accepted or not, schema-valid or refused by the upgrade, and the upgraded document.
 */
class KcidbCorpusConformanceTest {
    private static final Logger LOG = LoggerFactory.getLogger(KcidbCorpusConformanceTest.class);
    private static final int CORPUS_SIZE = 159;
    private static final List<String> PARTS = List.of("valid", "invalid", "real", "upstream");

    /**
     * Inputs where we deliberately decide otherwise than kcidb-io, each with the outcome we produce instead and
     * the reason. They are counted apart, and each must still come out exactly as described here.
     */
    private static final Map<String, Deviation> DELIBERATE = Map.of(
            "valid/valid-v5.3-nan-duration", new Deviation(
                    "NaN refused as malformed JSON: Python's json.loads accepts it, but the REST gateway"
                            + " (serde_json) refuses it, so it never reaches ingestion in production",
                    v -> v instanceof Rejected r && r.reason() == Reason.MALFORMED_JSON));

    private record Deviation(String reason, Predicate<Verdict> ourOutcome) {
    }

    /** Verdicts are Python's json.dumps output, which writes NaN where the reference accepted one. */
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    @Test
    void agreesWithReferenceVerdicts() throws IOException {
        Path corpus = SharedDir.require("KCIDB corpus conformance").resolve("corpus").resolve("kcidb");
        List<Path> inputs = inputs(corpus);
        assertThat(inputs).as("corpus inputs under %s", corpus).hasSize(CORPUS_SIZE);

        KcidbSubmissions submissions = KcidbSubmissions.create();
        int agree = 0;
        int deviations = 0;
        int pathComparable = 0;
        int pathAgree = 0;
        int versionAgree = 0;
        List<String> disagreements = new ArrayList<>();
        List<String> pathMismatches = new ArrayList<>();
        for (Path input : inputs) {
            String name = corpus.relativize(input).toString().replace('\\', '/').replaceFirst("\\.json$", "");
            JsonNode expected = mapper.readTree(input.resolveSibling(
                    input.getFileName().toString().replaceFirst("\\.json$", ".verdict.json")).toFile());
            Verdict verdict = submissions.check(Files.readAllBytes(input));

            Deviation deviation = DELIBERATE.get(name);
            if (deviation != null) {
                assertThat(deviation.ourOutcome().test(verdict))
                        .as("%s should deviate as documented (%s) but gave %s", name, deviation.reason(), verdict)
                        .isTrue();
                deviations++;
                continue;
            }
            Optional<String> problem = compare(expected, verdict);
            if (problem.isPresent()) {
                disagreements.add(name + ": " + problem.get());
            } else {
                agree++;
            }
            if (exactVersionAgrees(expected, input)) {
                versionAgree++;
            }
            JsonNode errorPath = expected.path("error").path("path");
            if (verdict instanceof Rejected rejected && rejected.reason() == Reason.SCHEMA_VIOLATION
                    && errorPath.isArray()) {
                pathComparable++;
                String reference = toPointer(errorPath);
                String ours = rejected.violations().get(0).pointer();
                if (reference.equals(ours)) {
                    pathAgree++;
                } else {
                    pathMismatches.add(name + ": reference " + reference + ", ours " + rejected.violations().get(0));
                }
            }
        }
        String figure = String.format("conformance: %d agree, %d deliberate deviations, %d disagree (of %d)",
                agree, deviations, disagreements.size(), inputs.size());
        LOG.info(figure);
        DELIBERATE.forEach((name, d) -> LOG.info("deliberate deviation {}: {}", name, d.reason()));
        LOG.info("first violation at the reference's error path: {} of {} schema rejections", pathAgree,
                pathComparable);
        pathMismatches.forEach(m -> LOG.info("  path differs: {}", m));
        LOG.info("exactly compatible version as the reference: {} of {}", versionAgree,
                inputs.size() - deviations);
        disagreements.forEach(d -> LOG.error("disagreement: {}", d));
        assertThat(disagreements).as(figure).isEmpty();
        assertThat(agree + deviations).isEqualTo(CORPUS_SIZE);
    }

    /** What differs between the reference verdict and ours, if anything. */
    private Optional<String> compare(JsonNode expected, Verdict verdict) {
        boolean parseOk = expected.path("parse").path("ok").asBoolean();
        boolean schemaValid = expected.path("schema_valid").asBoolean(false);
        boolean valid = expected.path("valid").asBoolean();
        boolean oursParsed = !(verdict instanceof Rejected r && r.reason() == Reason.MALFORMED_JSON);
        boolean oursSchemaValid = verdict.accepted() || ((Rejected) verdict).reason().schemaValid();
        if (parseOk != oursParsed) {
            return Optional.of("parse ok: reference " + parseOk + ", ours " + verdict);
        }
        if (schemaValid != oursSchemaValid) {
            return Optional.of("schema valid: reference " + schemaValid + ", ours " + verdict);
        }
        if (valid != verdict.accepted()) {
            return Optional.of("accepted: reference " + valid + " (upgrade " + expected.path("upgrade") + "), ours "
                    + verdict);
        }
        if (verdict instanceof Accepted accepted) {
            if (!jsonEquals(expected.path("upgraded"), accepted.upgraded())) {
                return Optional.of("upgraded documents differ: ours " + accepted.upgraded());
            }
            JsonNode counts = expected.path("counts");
            ObjectCounts reference = new ObjectCounts(counts.path("checkouts").asInt(), counts.path("builds").asInt(),
                    counts.path("tests").asInt(), counts.path("issues").asInt(), counts.path("incidents").asInt());
            if (!reference.equals(accepted.counts())) {
                return Optional.of("counts: reference " + reference + ", ours " + accepted.counts());
            }
        }
        return Optional.empty();
    }

    private boolean exactVersionAgrees(JsonNode expected, Path input) throws IOException {
        if (!expected.path("parse").path("ok").asBoolean()) {
            return true;
        }
        JsonNode document;
        try {
            document = new KcidbJson().parse(Files.readAllBytes(input));
        } catch (MalformedJsonException e) {
            return false;
        }
        String ours = KcidbValidator.exactVersion(document).map(SchemaVersion::toString).orElse(null);
        JsonNode reference = expected.path("exactly_compatible_version");
        return reference.isNull() ? ours == null : reference.asText().equals(ours);
    }

    /** Object key order is irrelevant, numbers compare numerically (2.0 equals 2), arrays compare in order. */
    static boolean jsonEquals(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return new BigDecimal(a.asText()).compareTo(new BigDecimal(b.asText())) == 0;
        }
        if (a.getNodeType() != b.getNodeType()) {
            return false;
        }
        if (a.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Iterator<String> names = a.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!b.has(name) || !jsonEquals(a.get(name), b.get(name))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!jsonEquals(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static String toPointer(JsonNode path) {
        StringBuilder pointer = new StringBuilder();
        path.forEach(segment -> pointer.append('/')
                .append(segment.asText().replace("~", "~0").replace("/", "~1")));
        return pointer.toString();
    }

    private static List<Path> inputs(Path corpus) throws IOException {
        List<Path> inputs = new ArrayList<>();
        for (String part : PARTS) {
            try (Stream<Path> files = Files.list(corpus.resolve(part))) {
                files.filter(p -> p.getFileName().toString().endsWith(".json"))
                        .filter(p -> !p.getFileName().toString().endsWith(".verdict.json"))
                        .filter(p -> !p.getFileName().toString().equals("SOURCES.json"))
                        .sorted()
                        .forEach(inputs::add);
            }
        }
        return inputs;
    }
}
