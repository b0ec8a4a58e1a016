package org.kernelci.kcidb.contracts.kcidb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Carries a validated KCIDB document to {@link SchemaVersion#LATEST}, step by step as kcidb-io's {@code upgrade()}:
 * every later version in turn, running the inherit step of each major version and then writing that version's
 * numbers. Minor steps only rewrite {@code version}.
 *
 * <p>Stateless and thread-safe. {@link #upgrade} never modifies its input.
 */
public final class KcidbUpgrader {
    /** v5.0 test path: dot-separated non-empty segments, or the empty string (Python {@code $} semantics). */
    private static final Pattern V5_TEST_PATH =
            Pattern.compile("^([a-zA-Z0-9_-]+(\\.[a-zA-Z0-9_-]+)*)?$", Pattern.UNIX_LINES);
    /** v3.0 takes the origin from the ID prefix. */
    private static final Pattern ID_ORIGIN = Pattern.compile("^([a-z0-9_]+):");

    /** The issue v5.0 creates for tests that v4 marked as waived. */
    static final String WAIVED_ISSUE_ID = "_:waived";
    static final int WAIVED_ISSUE_VERSION = 1;

    /**
     * Returns a copy of {@code document}, which must be valid in schema {@code from}, upgraded to
     * {@link SchemaVersion#LATEST}. A document already at LATEST comes back as an equal copy.
     */
    public JsonNode upgrade(JsonNode document, SchemaVersion from) throws UpgradeImpossibleException {
        if (!document.isObject()) {
            throw new IllegalArgumentException("a KCIDB document is a JSON object, not " + document.getNodeType());
        }
        return upgradeInPlace((ObjectNode) document.deepCopy(), from);
    }

    /** As {@link #upgrade} on a tree the caller owns and no longer needs as it was. */
    ObjectNode upgradeInPlace(ObjectNode document, SchemaVersion from) throws UpgradeImpossibleException {
        for (SchemaVersion next : SchemaVersion.ALL) {
            if (next.compareTo(from) <= 0) {
                continue;
            }
            if (next.isMajorStep()) {
                inherit(document, next);
            }
            document.putObject("version").put("major", next.major()).put("minor", next.minor());
        }
        return document;
    }

    private static void inherit(ObjectNode data, SchemaVersion to) throws UpgradeImpossibleException {
        switch (to.major()) {
            case 2 -> toV2(data);
            case 3 -> toV3(data);
            case 4 -> toV4(data);
            case 5 -> toV5(data);
            default -> throw new IllegalStateException("no inherit step defined for " + to);
        }
    }

    /** v1.1 → v2.0: split origin/origin_id pairs become single {@code origin:origin_id} IDs. */
    private static void toV2(ObjectNode data) {
        Map<String, List<String[]>> idPairs = Map.of(
                "revisions", List.<String[]>of(new String[] {"id", "origin", "origin_id"}),
                "builds", List.of(new String[] {"id", "origin", "origin_id"},
                        new String[] {"revision_id", "revision_origin", "revision_origin_id"}),
                "tests", List.of(new String[] {"id", "origin", "origin_id"},
                        new String[] {"build_id", "build_origin", "build_origin_id"}));
        for (String list : List.of("revisions", "builds", "tests")) {
            for (String[] pair : idPairs.get(list)) {
                for (ObjectNode obj : objects(data, list)) {
                    String merged = obj.path(pair[1]).asText() + ":" + obj.path(pair[2]).asText();
                    obj.put(pair[0], merged);
                    obj.remove(pair[1]);
                    obj.remove(pair[2]);
                }
            }
        }
        // Resource names became file names: no slashes.
        Map<String, List<String>> resourceLists = Map.of(
                "revisions", List.of("patch_mboxes"),
                "builds", List.of("input_files", "output_files"),
                "tests", List.of("output_files"));
        for (String list : List.of("revisions", "builds", "tests")) {
            for (ObjectNode obj : objects(data, list)) {
                for (String property : resourceLists.get(list)) {
                    for (ObjectNode resource : objects(obj, property)) {
                        resource.put("name", resource.path("name").asText().replace('/', '_'));
                    }
                }
            }
        }
    }

    /** v2.0 → v3.0: {@code origin} fields from the ID prefixes; revision IDs lose theirs. */
    private static void toV3(ObjectNode data) throws UpgradeImpossibleException {
        for (String list : List.of("revisions", "builds", "tests")) {
            List<ObjectNode> objects = objects(data, list);
            for (int i = 0; i < objects.size(); i++) {
                ObjectNode obj = objects.get(i);
                String id = obj.path("id").asText();
                Matcher m = ID_ORIGIN.matcher(id);
                if (!m.find()) {
                    // Reachable from v1.1, whose origins may be empty; kcidb-io fails here too.
                    throw new UpgradeImpossibleException(JsonPointers.child("/" + list + "/" + i, "id"),
                            "ID " + StringChecks.quote(id) + " does not start with an origin and a colon, so no"
                                    + " v3.0 origin can be derived from it");
                }
                obj.put("origin", m.group(1));
            }
        }
        for (ObjectNode revision : objects(data, "revisions")) {
            revision.put("id", afterFirstColon(revision.path("id").asText()));
            rename(revision, "git_repository_commit_hash", "git_commit_hash");
            rename(revision, "git_repository_commit_name", "git_commit_name");
        }
        for (ObjectNode build : objects(data, "builds")) {
            build.put("revision_id", afterFirstColon(build.path("revision_id").asText()));
        }
    }

    /**
     * v3.0 → v4.0: revisions become checkouts. Each gets the placeholder-origin ID {@code _:<origin>:<old id>} (old
     * submitters only referenced their own revisions), and builds point at it the same way.
     */
    private static void toV4(ObjectNode data) {
        if (data.has("revisions")) {
            for (ObjectNode revision : objects(data, "revisions")) {
                String id = "_:" + revision.path("origin").asText() + ":" + revision.path("id").asText();
                revision.put("id", id);
                rename(revision, "patch_mboxes", "patchset_files");
                // The old ID is "<commit>[+<patchset hash>]": kcidb-io takes the second "+"-separated part.
                String[] parts = id.split("\\+", -1);
                revision.put("patchset_hash", parts.length > 1 ? parts[1] : "");
                rename(revision, "discovery_time", "start_time");
                rename(revision, "description", "comment");
                revision.remove("publishing_time");
            }
            data.set("checkouts", data.remove("revisions"));
        }
        for (ObjectNode build : objects(data, "builds")) {
            JsonNode revisionId = build.remove("revision_id");
            build.put("checkout_id", "_:" + build.path("origin").asText() + ":"
                    + (revisionId == null ? "" : revisionId.asText()));
            rename(build, "description", "comment");
        }
        for (ObjectNode test : objects(data, "tests")) {
            rename(test, "description", "comment");
            if (test.get("environment") instanceof ObjectNode environment) {
                rename(environment, "description", "comment");
            }
        }
    }

    /** v4.5 → v5.0, the step that matters in practice. */
    private static void toV5(ObjectNode data) throws UpgradeImpossibleException {
        List<ObjectNode> checkouts = objects(data, "checkouts");
        for (int i = 0; i < checkouts.size(); i++) {
            ObjectNode checkout = checkouts.get(i);
            checkout.remove("contacts");
            JsonNode url = checkout.get("git_repository_url");
            if (url != null && !url.asText().startsWith("https://")) {
                throw new UpgradeImpossibleException("/checkouts/" + i + "/git_repository_url",
                        "git_repository_url " + StringChecks.quote(url.asText()) + " cannot be carried to v5,"
                                + " which accepts https:// repository URLs only; resubmit with the repository's"
                                + " https URL");
            }
        }
        for (ObjectNode build : objects(data, "builds")) {
            JsonNode valid = build.remove("valid");
            if (valid != null) {
                build.put("status", valid.asBoolean() ? "PASS" : "FAIL");
            }
        }
        boolean waivedIssueAdded = false;
        List<ObjectNode> tests = objects(data, "tests");
        for (int i = 0; i < tests.size(); i++) {
            ObjectNode test = tests.get(i);
            JsonNode path = test.get("path");
            if (path != null && !V5_TEST_PATH.matcher(path.asText()).find()) {
                throw new UpgradeImpossibleException("/tests/" + i + "/path",
                        "test path " + StringChecks.quote(path.asText()) + " is ambiguous in v5, which requires"
                                + " dot-separated non-empty segments of letters, digits, \"_\" and \"-\";"
                                + " correct it and resubmit");
            }
            JsonNode waived = test.remove("waived");
            if (waived == null || !waived.asBoolean()) {
                continue;
            }
            if (!waivedIssueAdded) {
                waivedIssueAdded = true;
                list(data, "issues").addObject()
                        .put("id", WAIVED_ISSUE_ID)
                        .put("origin", "_")
                        .put("version", WAIVED_ISSUE_VERSION)
                        .put("comment", "Test waived as unreliable");
            }
            String testId = test.path("id").asText();
            list(data, "incidents").addObject()
                    .put("id", WAIVED_ISSUE_ID + ":" + WAIVED_ISSUE_VERSION + ":" + testId)
                    .put("origin", "_")
                    .put("issue_id", WAIVED_ISSUE_ID)
                    .put("issue_version", WAIVED_ISSUE_VERSION)
                    .put("test_id", testId)
                    .put("present", true);
        }
        for (ObjectNode issue : objects(data, "issues")) {
            issue.remove("build_valid");
            issue.remove("test_status");
        }
        rejectNul(data, "");
    }

    /** v5 forbids NUL in every string outside {@code misc}; data holding one cannot be carried over. */
    private static void rejectNul(JsonNode node, String pointer) throws UpgradeImpossibleException {
        if (node.isTextual()) {
            if (node.textValue().indexOf('\0') >= 0) {
                throw new UpgradeImpossibleException(pointer, "string " + StringChecks.quote(node.textValue())
                        + " contains a NUL character, which v5 forbids outside \"misc\"");
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (!field.getKey().equals("misc")) {
                    rejectNul(field.getValue(), JsonPointers.child(pointer, field.getKey()));
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                rejectNul(node.get(i), JsonPointers.child(pointer, i));
            }
        }
    }

    /** The objects of a list property; non-objects are skipped (a validated document has none). */
    private static List<ObjectNode> objects(JsonNode parent, String property) {
        JsonNode list = parent.get(property);
        if (list == null || !list.isArray()) {
            return List.of();
        }
        List<ObjectNode> objects = new ArrayList<>(list.size());
        for (JsonNode element : list) {
            if (element instanceof ObjectNode object) {
                objects.add(object);
            }
        }
        return objects;
    }

    /** The list property of the document, created (at the end, like Python's setdefault) when absent. */
    private static ArrayNode list(ObjectNode data, String property) {
        return data.get(property) instanceof ArrayNode existing ? existing : data.putArray(property);
    }

    private static void rename(ObjectNode object, String from, String to) {
        JsonNode value = object.remove(from);
        if (value != null) {
            object.set(to, value);
        }
    }

    private static String afterFirstColon(String id) {
        return id.substring(id.indexOf(':') + 1);
    }
}
