package org.kernelci.kcidb.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;

/**
 * The KernelCI dashboard's lab rule (its ingester's {@code standardize_labs}, {@code spec/dashboard.md} I13, R2): the
 * dashboard groups builds by {@code misc.lab} and tests by {@code misc.runtime}, so its ingester fills those fields.
 * For a build's {@code lab} or a test's {@code runtime}:
 * <ul>
 *   <li>a name given automatically ({@code shell}, {@code k8s...}) moves to {@code misc.automatic_lab} and the field
 *       becomes the object's origin;</li>
 *   <li>an absent or empty value (what Python counts as false: null, "", 0, false, [], {}) becomes the origin,
 *       {@code misc} being created if the object has none;</li>
 *   <li>anything else stays.</li>
 * </ul>
 * One deliberate difference: a non-string, non-empty value (a number, an object) stays as it is, where the
 * dashboard's ingester fails the whole file on it; the value is valid KCIDB and the pages only group by it.
 *
 * <p>A {@code misc} this rule creates (the object had none) is a default, not a submitted value: it is stored with
 * {@link Stamp#DEFAULT}, so it fills an empty column but never replaces a value someone submitted.
 */
public final class DashboardLabs {
    static final String AUTOMATIC_LAB_FIELD = "automatic_lab";
    /** Python's {@code re.match(r"^(shell|k8s.*)$", v)}: its "." stops only at "\n", and "$" allows one final "\n". */
    private static final Pattern AUTOMATIC = Pattern.compile("(shell|k8s.*)\n?", Pattern.UNIX_LINES);

    private DashboardLabs() {
    }

    /**
     * The {@code misc} to store for a build or test after the rule.
     *
     * @param misc the object's {@code misc} after the rule (unchanged for other tables)
     * @param defaulted whether the object had no {@code misc} and the rule created it
     */
    public record Misc(JsonNode misc, boolean defaulted) {
    }

    /** The lab field of a table's {@code misc}: {@code lab} for builds, {@code runtime} for tests, else null. */
    static String field(KcidbTable table) {
        return switch (table) {
            case BUILDS -> "lab";
            case TESTS -> "runtime";
            default -> null;
        };
    }

    /**
     * The rule for an object of the I/O array {@code table} ({@code builds}, {@code tests}; others are left as they
     * are), for readers that check what was stored.
     */
    public static Misc apply(String table, JsonNode object) {
        for (KcidbTable t : KcidbTable.values()) {
            if (t.tableName().equals(table)) {
                return apply(t, object);
            }
        }
        return new Misc(object.path("misc"), false);
    }

    static Misc apply(KcidbTable table, JsonNode object) {
        JsonNode misc = object.path("misc");
        String field = field(table);
        String origin = object.path("origin").asText("");
        if (field == null || origin.isEmpty() || !(misc.isMissingNode() || misc.isNull() || misc.isObject())) {
            return new Misc(misc, false);
        }
        JsonNode lab = misc.path(field);
        boolean automatic = lab.isTextual() && AUTOMATIC.matcher(lab.textValue()).matches();
        if (!automatic && !isFalsy(lab)) {
            return new Misc(misc, false);
        }
        boolean defaulted = !misc.isObject();
        ObjectNode result = defaulted ? JsonNodeFactory.instance.objectNode() : ((ObjectNode) misc).deepCopy();
        if (automatic) {
            result.put(AUTOMATIC_LAB_FIELD, lab.textValue());
        }
        result.put(field, origin);
        return new Misc(result, defaulted);
    }

    /** Python's truth value testing, for a JSON value: absent, null, "", 0, false, [] and {} are false. */
    private static boolean isFalsy(JsonNode v) {
        if (v.isMissingNode() || v.isNull()) {
            return true;
        }
        if (v.isTextual()) {
            return v.textValue().isEmpty();
        }
        if (v.isBoolean()) {
            return !v.booleanValue();
        }
        if (v.isNumber()) {
            return v.doubleValue() == 0;
        }
        return v.isContainerNode() && v.isEmpty();
    }
}
