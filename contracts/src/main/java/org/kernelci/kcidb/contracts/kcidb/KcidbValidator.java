package org.kernelci.kcidb.contracts.kcidb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.HotSpotDiagnosticMXBean;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates KCIDB I/O documents exactly as kcidb-io's {@code LATEST.validate()} decides, with Vert.x JSON Schema
 * doing the schema walk.
 *
 * <p>Version selection follows kcidb-io: the document is validated against the schema whose (major, minor) equals
 * its {@code version} (a missing minor counts as 0); when no version matches (5.4, 6.0, a missing version, a
 * top-level array...) it is validated against {@link SchemaVersion#LATEST} and reported with that schema's
 * errors. Deliberately stricter than kcidb-io: only JSON integers count as version numbers. {@code 5.0} or
 * {@code true} never select a version (Python's {@code bool} is an {@code int}, and its upgrade of a {@code 5.0}
 * major ends in an assertion failure).
 *
 * <p>The schemas get three adjustments when loaded: patterns are ported from Python ({@link PythonRegex}), and the
 * {@code date-time}, {@code uri} and {@code email} formats are checked with the reference rules
 * ({@link ReferenceFormats}) instead of Vert.x's. Every pattern is compiled and each schema validates a sample
 * at construction, so a broken schema fails start-up rather than the first submission.
 *
 * <p>Thread safety: one Vert.x {@link Validator} per version is built once and shared. Vert.x 5.0.7's
 * {@code SchemaValidatorImpl.validate} keeps all its working state (visited set, dynamic-anchor map, output units)
 * in locals created per call, and only reads the schema tree and the {@code $ref} lookup map it filled in its
 * constructor; the format hook ({@link StringChecks}) is immutable. Sharing is therefore safe, which
 * {@code KcidbValidatorConcurrencyTest} exercises.
 */
public final class KcidbValidator {
    private static final Logger LOG = LoggerFactory.getLogger(KcidbValidator.class);

    /** How many violations a result lists at most; a huge bad document must not produce a huge report. */
    public static final int DEFAULT_MAX_VIOLATIONS = 100;

    private static final String BASE_URI = "https://schemas.kcidb-ng.kernelci.org/io/";

    /** kcidb-io v1.1 also accepted {@code "version": "1"}; it reads a missing minor as 1 there. */
    private static final Pattern LEGACY_STRING_VERSION = Pattern.compile("^([0-9]+)(?:\\.([0-9]+))?$",
            Pattern.UNIX_LINES);

    /** Vert.x "Basic" output units that only say that something below failed. */
    private static final List<String> WRAPPER_KEYWORDS = List.of(
            "properties", "items", "$ref", "allOf", "additionalItems", "patternProperties", "dependencies",
            "definitions", "$defs", "if", "then", "else", "not", "contains", "propertyNames");
    private static final Pattern COMBINATOR_BRANCH = Pattern.compile("/(?:oneOf|anyOf|allOf)/\\d+(?:/|$)");
    private static final Pattern REQUIRED_NAME = Pattern.compile("required property \"(.*)\"$");

    /** How string checks are run; only benchmarks use anything but the default. */
    enum PatternMode {
        /**
         * Patterns are compiled once at load and run through the format hook (the default). It spares Vert.x a
         * {@code Pattern.compile} per checked string; {@code KcidbThroughputBenchmark} measures both modes.
         */
        PRECOMPILED,
        /** Patterns stay {@code pattern} keywords, which Vert.x compiles again for every string it checks. */
        VERTX
    }

    private final ObjectMapper mapper;
    private final int maxViolations;
    private final Map<SchemaVersion, Loaded> schemas;

    /** A validator with the schemas shipped in this module. Building one takes a moment; share it. */
    public KcidbValidator() {
        this(PatternMode.PRECOMPILED, DEFAULT_MAX_VIOLATIONS);
    }

    KcidbValidator(PatternMode mode, int maxViolations) {
        if (maxViolations < 1) {
            throw new IllegalArgumentException("maxViolations must be positive");
        }
        this.mapper = new ObjectMapper();
        this.maxViolations = maxViolations;
        Map<SchemaVersion, Loaded> loaded = new HashMap<>();
        for (SchemaVersion version : SchemaVersion.ALL) {
            loaded.put(version, load(version, mode));
        }
        this.schemas = Map.copyOf(loaded);
        selfTest();
        warnIfValidatorRunsInterpreted();
        LOG.info("KCIDB schemas {} .. {} loaded ({} patterns)", SchemaVersion.ALL.get(0), SchemaVersion.LATEST,
                mode == PatternMode.PRECOMPILED ? "pre-compiled" : "compiled by Vert.x per string");
    }

    /**
     * The version a document declares, if it is exactly one of the known versions, as kcidb-io's
     * {@code get_exactly_compatible}, except that only JSON integers count (see the class comment).
     */
    public static Optional<SchemaVersion> exactVersion(JsonNode document) {
        if (document == null || !document.isObject()) {
            return Optional.empty();
        }
        JsonNode version = document.get("version");
        if (version == null) {
            return Optional.empty();
        }
        if (version.isTextual()) {
            return legacyStringVersion(version.textValue());
        }
        JsonNode major = version.isObject() ? version.get("major") : null;
        if (major == null || !major.isIntegralNumber()) {
            return Optional.empty();
        }
        JsonNode minor = version.get("minor");
        if (minor != null && !minor.isIntegralNumber()) {
            return Optional.empty();
        }
        return known(major.bigIntegerValue(), minor == null ? BigInteger.ZERO : minor.bigIntegerValue());
    }

    private static Optional<SchemaVersion> legacyStringVersion(String text) {
        Matcher m = LEGACY_STRING_VERSION.matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        BigInteger major = new BigInteger(m.group(1));
        BigInteger minor = m.group(2) == null ? BigInteger.ONE : new BigInteger(m.group(2));
        // Only kcidb-io's first version class reads string versions.
        return known(major, minor).filter(SchemaVersion.V1_1::equals);
    }

    private static Optional<SchemaVersion> known(BigInteger major, BigInteger minor) {
        if (major.bitLength() > 31 || minor.bitLength() > 31 || major.signum() < 0 || minor.signum() < 0) {
            return Optional.empty();
        }
        return SchemaVersion.known(major.intValue(), minor.intValue());
    }

    /** Validates a document against the version it declares, or against {@link SchemaVersion#LATEST}. */
    public ValidationResult validate(JsonNode document) {
        Optional<SchemaVersion> exact = exactVersion(document);
        return validate(document, exact.orElse(SchemaVersion.LATEST), exact.isPresent());
    }

    /** Validates a document against one given schema version, whatever it declares. */
    public ValidationResult validateAgainst(JsonNode document, SchemaVersion version) {
        return validate(document, version, exactVersion(document).filter(version::equals).isPresent());
    }

    private ValidationResult validate(JsonNode document, SchemaVersion version, boolean exact) {
        Loaded schema = schemas.get(version);
        OutputUnit output = schema.validator().validate(VertxJsonView.of(document));
        if (Boolean.TRUE.equals(output.getValid())) {
            return new ValidationResult(version, exact, List.of(), 0);
        }
        List<Violation> all = violations(output, document, schema.resource());
        if (all.isEmpty()) {
            // Never report "invalid" with nothing to show for it.
            all = List.of(new Violation("", "does not match schema " + version + ": " + output.getError()));
        }
        List<Violation> sorted = new ArrayList<>(all);
        // Most structural first, as jsonschema's best_match prefers the shallowest error; stable otherwise.
        sorted.sort(Comparator.comparingInt(v -> depth(v.pointer())));
        List<Violation> listed = sorted.size() > maxViolations ? sorted.subList(0, maxViolations) : sorted;
        return new ValidationResult(version, exact, listed, sorted.size());
    }

    /** One violation per real problem: the wrapper and cascade units of Vert.x's Basic output are left out. */
    private List<Violation> violations(OutputUnit output, JsonNode document, ObjectNode resource) {
        List<OutputUnit> units = output.getErrors() == null ? List.of() : output.getErrors();
        List<Violation> found = new ArrayList<>();
        for (OutputUnit unit : units) {
            String keywordLocation = unit.getKeywordLocation() == null ? "" : unit.getKeywordLocation();
            String keyword = keywordLocation.substring(keywordLocation.lastIndexOf('/') + 1);
            if (WRAPPER_KEYWORDS.contains(keyword) || COMBINATOR_BRANCH.matcher(keywordLocation).find()) {
                continue;
            }
            String pointer = JsonPointers.fromUriFragment(unit.getInstanceLocation());
            JsonNode keywordValue = resource.at(JsonPointers.fromUriFragment(unit.getAbsoluteKeywordLocation()));
            JsonNode instance = document.at(pointer);
            Violation violation = switch (keyword) {
                case "additionalProperties" -> additionalProperty(pointer, unit, resource);
                case "format" -> new Violation(pointer, unit.getError());
                case "pattern" -> new Violation(pointer, "pattern: " + render(instance) + " does not match "
                        + keywordValue.asText());
                case "type" -> new Violation(pointer, "type: expected " + typeNames(keywordValue) + ", got "
                        + typeName(instance));
                case "const" -> new Violation(pointer, "const: expected " + render(keywordValue) + ", got "
                        + render(instance));
                case "enum" -> new Violation(pointer, "enum: " + render(instance) + " is not one of "
                        + render(keywordValue));
                case "required" -> new Violation(pointer, "required: missing property "
                        + requiredName(unit.getError()));
                case "minimum" -> new Violation(pointer, "minimum: " + render(instance) + " is less than "
                        + render(keywordValue));
                case "maximum" -> new Violation(pointer, "maximum: " + render(instance) + " is greater than "
                        + render(keywordValue));
                case "maxLength" -> new Violation(pointer, "maxLength: " + codePoints(instance)
                        + " characters, more than " + keywordValue.asText());
                case "minLength" -> new Violation(pointer, "minLength: " + codePoints(instance)
                        + " characters, fewer than " + keywordValue.asText());
                case "oneOf" -> new Violation(pointer, "oneOf: " + render(instance)
                        + " does not match exactly one of the allowed forms");
                default -> new Violation(pointer, keyword + ": " + unit.getError());
            };
            if (violation != null) {
                found.add(violation);
            }
        }
        return found;
    }

    /**
     * Vert.x reports an additionalProperties unit for every property that failed, declared or not. Only undeclared
     * ones are real, and like the reference they are reported at the object holding them.
     */
    private static Violation additionalProperty(String pointer, OutputUnit unit, ObjectNode resource) {
        String keywordPointer = JsonPointers.fromUriFragment(unit.getAbsoluteKeywordLocation());
        JsonNode objectSchema = resource.at(JsonPointers.parent(keywordPointer));
        String name = JsonPointers.lastSegment(pointer);
        if (objectSchema.path("properties").has(name)) {
            return null;
        }
        return new Violation(JsonPointers.parent(pointer),
                "additionalProperties: property " + StringChecks.quote(name) + " is not allowed");
    }

    private static String requiredName(String vertxMessage) {
        Matcher m = REQUIRED_NAME.matcher(vertxMessage == null ? "" : vertxMessage);
        return m.find() ? StringChecks.quote(m.group(1)) : "(" + vertxMessage + ")";
    }

    private String render(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "(nothing)";
        }
        if (node.isTextual()) {
            return StringChecks.quote(node.textValue());
        }
        try {
            String json = mapper.writeValueAsString(node);
            return json.length() > 100 ? json.substring(0, 100) + "…" : json;
        } catch (JsonProcessingException e) {
            return node.getNodeType().toString();
        }
    }

    private static String typeNames(JsonNode schemaType) {
        if (schemaType.isArray()) {
            List<String> names = new ArrayList<>();
            schemaType.forEach(t -> names.add(t.asText()));
            return String.join(" or ", names);
        }
        return schemaType.asText();
    }

    private static String typeName(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> "object";
            case ARRAY -> "array";
            case STRING -> "string";
            case NUMBER -> node.isIntegralNumber() ? "integer" : "number";
            case BOOLEAN -> "boolean";
            case NULL -> "null";
            default -> node.getNodeType().toString().toLowerCase(Locale.ROOT);
        };
    }

    private static int codePoints(JsonNode node) {
        String text = node.asText();
        return text.codePointCount(0, text.length());
    }

    private static int depth(String pointer) {
        int depth = 0;
        for (int i = 0; i < pointer.length(); i++) {
            if (pointer.charAt(i) == '/') {
                depth++;
            }
        }
        return depth;
    }

    private Loaded load(SchemaVersion version, PatternMode mode) {
        ObjectNode resource = KcidbSchemas.load(mapper, version);
        ObjectNode adjusted = resource.deepCopy();
        Map<String, StringChecks.Check> checks = new HashMap<>();
        KcidbSchemas.forEachSubschema(adjusted, node -> adjust(node, mode, checks));
        JsonObject vertxSchema;
        try {
            vertxSchema = new JsonObject(mapper.writeValueAsString(adjusted));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise adjusted schema " + version, e);
        }
        Validator validator = Validator.create(JsonSchema.of(vertxSchema),
                new JsonSchemaOptions()
                        .setDraft(Draft.DRAFT7)
                        .setBaseUri(BASE_URI + version.resourceName())
                        .setOutputFormat(OutputFormat.Basic),
                new StringChecks(checks));
        return new Loaded(resource, validator);
    }

    /** The three load-time adjustments, applied to one schema object. */
    private static void adjust(ObjectNode node, PatternMode mode, Map<String, StringChecks.Check> checks) {
        String format = node.path("format").isTextual() ? node.get("format").textValue() : null;
        String pattern = node.path("pattern").isTextual() ? node.get("pattern").textValue() : null;
        if (format == null && pattern == null) {
            return;
        }
        // Compiling here makes an unportable pattern fail start-up, whatever the mode.
        StringChecks.Check check = StringChecks.Check.of(format, pattern);
        if (mode == PatternMode.PRECOMPILED) {
            node.remove("pattern");
            String token = StringChecks.token(format, pattern);
            node.put("format", token);
            checks.put(token, check);
        } else {
            if (pattern != null) {
                node.put("pattern", PythonRegex.toJava(pattern));
            }
            if (format != null) {
                String token = StringChecks.token(format, null);
                node.put("format", token);
                checks.put(token, StringChecks.Check.of(format, null));
            }
        }
    }

    /**
     * Vert.x 5.0.7 validates in a single method of about 9 300 bytecode bytes. HotSpot does not JIT-compile methods
     * over 8 000 bytes unless started with {@code -XX:-DontCompileHugeMethods}, and interpreted validation is about
     * three times slower. Say so once, at start-up, rather than leave a service mysteriously slow.
     */
    private static void warnIfValidatorRunsInterpreted() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (hotspot != null && "true".equals(hotspot.getVMOption("DontCompileHugeMethods").getValue())) {
                LOG.warn("JVM runs with DontCompileHugeMethods: Vert.x JSON Schema validation will stay interpreted"
                        + " and be about 3x slower; start the JVM with -XX:-DontCompileHugeMethods");
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("cannot read HotSpot option DontCompileHugeMethods (not HotSpot?)", e);
        }
    }

    /** Validates a minimal document per version, so that a schema Vert.x cannot use fails here, not later. */
    private void selfTest() {
        for (SchemaVersion version : SchemaVersion.ALL) {
            ObjectNode sample = mapper.createObjectNode();
            sample.putObject("version").put("major", version.major()).put("minor", version.minor());
            ValidationResult good = validate(sample);
            ObjectNode bad = sample.deepCopy();
            bad.put("no_such_property", true);
            ValidationResult wrong = validate(bad);
            if (!good.valid() || !good.validatedAgainst().equals(version) || wrong.valid()) {
                throw new IllegalStateException("KCIDB schema " + version + " failed its self-test: " + good
                        + " / " + wrong);
            }
        }
    }

    private record Loaded(ObjectNode resource, Validator validator) {
    }
}
