package org.kernelci.kcidb.contracts.kcidb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kernelci.kcidb.contracts.kcidb.KcidbValidatorTest.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KcidbUpgraderTest {
    private static final String COMMIT = "f00af9d68ed146b47fdbfe91134fcf04c36e6d78";
    private static final String PATCHSET = "903638c087335b10293663c682b9aa0076f9f7be478a8e7828bc22e12d301b42";

    private static KcidbValidator validator;
    private final KcidbUpgrader upgrader = new KcidbUpgrader();

    @BeforeAll
    static void load() {
        validator = new KcidbValidator();
    }

    @Test
    void v45ToV5FollowsEveryRule() throws Exception {
        ObjectNode v45 = validIn(SchemaVersion.V4_5, """
                {"version": {"major": 4, "minor": 5},
                 "checkouts": [{"id": "maestro:c1", "origin": "maestro", "contacts": ["a@example.com"],
                                "git_repository_url": "https://git.kernel.org/linux.git", "valid": true}],
                 "builds": [{"id": "maestro:b1", "checkout_id": "maestro:c1", "origin": "maestro", "valid": true},
                            {"id": "maestro:b2", "checkout_id": "maestro:c1", "origin": "maestro", "valid": false},
                            {"id": "maestro:b3", "checkout_id": "maestro:c1", "origin": "maestro"}],
                 "tests": [{"id": "maestro:t1", "build_id": "maestro:b1", "origin": "maestro", "path": "boot",
                            "status": "FAIL", "waived": true},
                           {"id": "maestro:t2", "build_id": "maestro:b1", "origin": "maestro", "waived": false},
                           {"id": "maestro:t3", "build_id": "maestro:b1", "origin": "maestro", "path": "",
                            "waived": true, "misc": {"waived": "kept: misc is free-form"}}],
                 "issues": [{"id": "maestro:i1", "version": 1, "origin": "maestro", "build_valid": false,
                             "test_status": "FAIL", "comment": "regression"}],
                 "incidents": [{"id": "maestro:x1", "origin": "maestro", "issue_id": "maestro:i1",
                                "issue_version": 1, "test_id": "maestro:t2"}]}
                """);
        JsonNode upgraded = upgrader.upgrade(v45, SchemaVersion.V4_5);
        assertThat(upgraded).isEqualTo(parse("""
                {"version": {"major": 5, "minor": 3},
                 "checkouts": [{"id": "maestro:c1", "origin": "maestro",
                                "git_repository_url": "https://git.kernel.org/linux.git", "valid": true}],
                 "builds": [{"id": "maestro:b1", "checkout_id": "maestro:c1", "origin": "maestro", "status": "PASS"},
                            {"id": "maestro:b2", "checkout_id": "maestro:c1", "origin": "maestro", "status": "FAIL"},
                            {"id": "maestro:b3", "checkout_id": "maestro:c1", "origin": "maestro"}],
                 "tests": [{"id": "maestro:t1", "build_id": "maestro:b1", "origin": "maestro", "path": "boot",
                            "status": "FAIL"},
                           {"id": "maestro:t2", "build_id": "maestro:b1", "origin": "maestro"},
                           {"id": "maestro:t3", "build_id": "maestro:b1", "origin": "maestro", "path": "",
                            "misc": {"waived": "kept: misc is free-form"}}],
                 "issues": [{"id": "maestro:i1", "version": 1, "origin": "maestro", "comment": "regression"},
                            {"id": "_:waived", "origin": "_", "version": 1, "comment": "Test waived as unreliable"}],
                 "incidents": [{"id": "maestro:x1", "origin": "maestro", "issue_id": "maestro:i1",
                                "issue_version": 1, "test_id": "maestro:t2"},
                               {"id": "_:waived:1:maestro:t1", "origin": "_", "issue_id": "_:waived",
                                "issue_version": 1, "test_id": "maestro:t1", "present": true},
                               {"id": "_:waived:1:maestro:t3", "origin": "_", "issue_id": "_:waived",
                                "issue_version": 1, "test_id": "maestro:t3", "present": true}]}
                """));
        assertThat(validator.validateAgainst(upgraded, SchemaVersion.V5_3).violations()).isEmpty();
    }

    @Test
    void waivedTestsCreateTheListsWhenAbsent() throws Exception {
        ObjectNode v40 = validIn(SchemaVersion.V4_0, """
                {"version": {"major": 4},
                 "tests": [{"id": "a:1", "build_id": "a:b", "origin": "a", "waived": true}]}
                """);
        JsonNode upgraded = upgrader.upgrade(v40, SchemaVersion.V4_0);
        assertThat(upgraded.get("issues")).hasSize(1);
        assertThat(upgraded.at("/incidents/0/id").asText()).isEqualTo("_:waived:1:a:1");
        assertThat(upgraded.at("/incidents/0/present").booleanValue()).isTrue();
        assertThat(upgraded.at("/tests/0").has("waived")).isFalse();
    }

    @Test
    void noWaivedTestNoWaivedIssue() throws Exception {
        ObjectNode v45 = validIn(SchemaVersion.V4_5, """
                {"version": {"major": 4, "minor": 5},
                 "tests": [{"id": "a:1", "build_id": "a:b", "origin": "a", "waived": false}]}
                """);
        JsonNode upgraded = upgrader.upgrade(v45, SchemaVersion.V4_5);
        assertThat(upgraded.has("issues")).isFalse();
        assertThat(upgraded.has("incidents")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"git://git.kernel.org/linux.git", "http://git.kernel.org/linux.git"})
    void nonHttpsGitUrlCannotBeUpgraded(String url) {
        ObjectNode v45 = parse("""
                {"version": {"major": 4, "minor": 5},
                 "checkouts": [{"id": "a:0", "origin": "a", "git_repository_url": "https://ok.example/x.git"},
                               {"id": "a:1", "origin": "a"}]}
                """);
        ((ObjectNode) v45.at("/checkouts/1")).put("git_repository_url", url);
        assertThatThrownBy(() -> upgrader.upgrade(v45, SchemaVersion.V4_5))
                .isInstanceOf(UpgradeImpossibleException.class)
                .hasMessageContaining(url).hasMessageContaining("https")
                .asInstanceOf(InstanceOfAssertFactories.type(UpgradeImpossibleException.class))
                .extracting(UpgradeImpossibleException::pointer).isEqualTo("/checkouts/1/git_repository_url");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a..b", ".x", "x.", "."})
    void ambiguousTestPathCannotBeUpgraded(String path) {
        ObjectNode v45 = validIn(SchemaVersion.V4_5, """
                {"version": {"major": 4, "minor": 5},
                 "tests": [{"id": "a:0", "build_id": "a:b", "origin": "a", "path": "fine.path"},
                           {"id": "a:1", "build_id": "a:b", "origin": "a", "path": "%s"}]}
                """.formatted(path));
        assertThatThrownBy(() -> upgrader.upgrade(v45, SchemaVersion.V4_5))
                .isInstanceOf(UpgradeImpossibleException.class)
                .hasMessageContaining("test path \"" + path + "\"")
                .asInstanceOf(InstanceOfAssertFactories.type(UpgradeImpossibleException.class))
                .extracting(UpgradeImpossibleException::pointer).isEqualTo("/tests/1/path");
    }

    @Test
    void testPathWithFinalNewlineIsAcceptedAsInPython() throws Exception {
        ObjectNode v45 = validIn(SchemaVersion.V4_5, """
                {"version": {"major": 4, "minor": 5},
                 "tests": [{"id": "a:1", "build_id": "a:b", "origin": "a", "path": "a.b\\n"}]}
                """);
        assertThat(upgrader.upgrade(v45, SchemaVersion.V4_5).at("/tests/0/path").asText()).isEqualTo("a.b\n");
    }

    @Test
    void nulOutsideMiscCannotBeUpgraded() {
        ObjectNode v42 = validIn(SchemaVersion.V4_2, """
                {"version": {"major": 4, "minor": 2},
                 "checkouts": [{"id": "a:1", "origin": "a", "misc": {"raw": "x\\u0000y"}}],
                 "tests": [{"id": "a:1", "build_id": "a:b", "origin": "a",
                            "environment": {"misc": {"nul": "\\u0000"}}, "comment": "x\\u0000y"}]}
                """);
        assertThatThrownBy(() -> upgrader.upgrade(v42, SchemaVersion.V4_2))
                .isInstanceOf(UpgradeImpossibleException.class)
                .hasMessageContaining("NUL")
                .asInstanceOf(InstanceOfAssertFactories.type(UpgradeImpossibleException.class))
                .extracting(UpgradeImpossibleException::pointer).isEqualTo("/tests/0/comment");
    }

    @Test
    void nulInsideMiscAnywhereIsKept() throws Exception {
        ObjectNode v42 = validIn(SchemaVersion.V4_2, """
                {"version": {"major": 4, "minor": 2},
                 "checkouts": [{"id": "a:1", "origin": "a", "misc": {"raw": "x\\u0000y"}}],
                 "tests": [{"id": "a:1", "build_id": "a:b", "origin": "a", "environment": {"misc": {"n": "\\u0000"}}}]}
                """);
        JsonNode upgraded = upgrader.upgrade(v42, SchemaVersion.V4_2);
        assertThat(upgraded.at("/checkouts/0/misc/raw").asText()).isEqualTo("x\0y");
        assertThat(validator.validateAgainst(upgraded, SchemaVersion.V5_3).valid()).isTrue();
    }

    @Test
    void minorStepsOnlyRewriteTheVersion() throws Exception {
        ObjectNode v50 = validIn(SchemaVersion.V5_0, """
                {"version": {"major": 5},
                 "builds": [{"id": "a:1", "checkout_id": "a:c", "origin": "a", "status": "PASS"}]}
                """);
        JsonNode upgraded = upgrader.upgrade(v50, SchemaVersion.V5_0);
        ObjectNode expected = v50.deepCopy();
        expected.putObject("version").put("major", 5).put("minor", 3);
        assertThat(upgraded).isEqualTo(expected);
        ObjectNode latest = validIn(SchemaVersion.V5_3, "{\"version\": {\"major\": 5, \"minor\": 3}, \"tests\": []}");
        assertThat(upgrader.upgrade(latest, SchemaVersion.V5_3)).isEqualTo(latest).isNotSameAs(latest);
    }

    @Test
    void neverModifiesItsInput() throws Exception {
        ObjectNode v40 = validIn(SchemaVersion.V4_0, """
                {"version": {"major": 4, "minor": 0},
                 "builds": [{"id": "a:1", "checkout_id": "a:c", "origin": "a", "valid": true}],
                 "tests": [{"id": "a:1", "build_id": "a:b", "origin": "a", "waived": true}]}
                """);
        ObjectNode before = v40.deepCopy();
        upgrader.upgrade(v40, SchemaVersion.V4_0);
        assertThat(v40).isEqualTo(before);
    }

    @Test
    void v3ToV4TurnsRevisionsIntoCheckouts() throws Exception {
        ObjectNode v30 = validIn(SchemaVersion.V3_0, """
                {"version": {"major": 3, "minor": 0},
                 "revisions": [{"id": "%1$s+%2$s", "origin": "redhat", "discovery_time": "2020-01-01T00:00:00Z",
                                "publishing_time": "2019-12-31T00:00:00Z", "description": "v5.4-rc1 + fix",
                                "patch_mboxes": [{"name": "0001.patch", "url": "https://x.example/0001.patch"}],
                                "contacts": ["a@example.com"], "valid": true},
                               {"id": "%1$s", "origin": "redhat"}],
                 "builds": [{"id": "redhat:b1", "revision_id": "%1$s+%2$s", "origin": "redhat",
                             "description": "build", "valid": true}],
                 "tests": [{"id": "redhat:t1", "build_id": "redhat:b1", "origin": "redhat", "description": "ltp",
                            "environment": {"description": "x86 host", "misc": {}}, "path": "ltp", "waived": false}]}
                """.formatted(COMMIT, PATCHSET));
        JsonNode upgraded = upgrader.upgrade(v30, SchemaVersion.V3_0);
        assertThat(upgraded).isEqualTo(parse("""
                {"version": {"major": 5, "minor": 3},
                 "checkouts": [{"id": "_:redhat:%1$s+%2$s", "origin": "redhat",
                                "start_time": "2020-01-01T00:00:00Z", "comment": "v5.4-rc1 + fix",
                                "patchset_files": [{"name": "0001.patch", "url": "https://x.example/0001.patch"}],
                                "patchset_hash": "%2$s", "valid": true},
                               {"id": "_:redhat:%1$s", "origin": "redhat", "patchset_hash": ""}],
                 "builds": [{"id": "redhat:b1", "checkout_id": "_:redhat:%1$s+%2$s", "origin": "redhat",
                             "comment": "build", "status": "PASS"}],
                 "tests": [{"id": "redhat:t1", "build_id": "redhat:b1", "origin": "redhat", "comment": "ltp",
                            "environment": {"comment": "x86 host", "misc": {}}, "path": "ltp"}]}
                """.formatted(COMMIT, PATCHSET)));
        assertThat(validator.validateAgainst(upgraded, SchemaVersion.V5_3).violations()).isEmpty();
    }

    @Test
    void v2ToV3ExtractsOrigins() throws Exception {
        ObjectNode v20 = validIn(SchemaVersion.V2_0, """
                {"version": {"major": 2, "minor": 0},
                 "revisions": [{"id": "redhat:%s", "git_repository_commit_hash": "%s",
                                "git_repository_commit_name": "v5.4"}],
                 "builds": [{"id": "redhat:b1", "revision_id": "redhat:%s"}],
                 "tests": [{"id": "kernelci:t1", "build_id": "redhat:b1"}]}
                """.formatted(COMMIT, COMMIT, COMMIT));
        JsonNode upgraded = upgrader.upgrade(v20, SchemaVersion.V2_0);
        assertThat(upgraded.at("/checkouts/0")).isEqualTo(parse("""
                {"id": "_:redhat:%s", "origin": "redhat", "git_commit_hash": "%s", "git_commit_name": "v5.4",
                 "patchset_hash": ""}
                """.formatted(COMMIT, COMMIT)));
        assertThat(upgraded.at("/builds/0")).isEqualTo(parse(
                "{\"id\": \"redhat:b1\", \"origin\": \"redhat\", \"checkout_id\": \"_:redhat:" + COMMIT + "\"}"));
        assertThat(upgraded.at("/tests/0/origin").asText()).isEqualTo("kernelci");
        assertThat(validator.validateAgainst(upgraded, SchemaVersion.V5_3).violations()).isEmpty();
    }

    @Test
    void v1ToV2MergesIdsAndCleansResourceNames() throws Exception {
        ObjectNode v11 = validIn(SchemaVersion.V1_1, """
                {"version": "1",
                 "revisions": [{"origin": "redhat", "origin_id": "%1$s+%2$s",
                                "patch_mboxes": [{"name": "dir/0001.patch", "url": "https://x.example/1"}]}],
                 "builds": [{"origin": "redhat", "origin_id": "b1", "revision_origin": "redhat",
                             "revision_origin_id": "%1$s+%2$s", "valid": false,
                             "output_files": [{"name": "arch/x86/boot/bzImage", "url": "https://x.example/b"}]}],
                 "tests": [{"origin": "redhat", "origin_id": "t1", "build_origin": "redhat",
                            "build_origin_id": "b1", "waived": true, "path": "ltp.sem01", "status": "PASS",
                            "description": "sem01", "environment": {"description": "host"}}]}
                """.formatted(COMMIT, PATCHSET));
        JsonNode upgraded = upgrader.upgrade(v11, SchemaVersion.V1_1);
        assertThat(upgraded).isEqualTo(parse("""
                {"version": {"major": 5, "minor": 3},
                 "checkouts": [{"id": "_:redhat:%1$s+%2$s", "origin": "redhat", "patchset_hash": "%2$s",
                                "patchset_files": [{"name": "dir_0001.patch", "url": "https://x.example/1"}]}],
                 "builds": [{"id": "redhat:b1", "origin": "redhat", "checkout_id": "_:redhat:%1$s+%2$s",
                             "status": "FAIL",
                             "output_files": [{"name": "arch_x86_boot_bzImage", "url": "https://x.example/b"}]}],
                 "tests": [{"id": "redhat:t1", "origin": "redhat", "build_id": "redhat:b1", "path": "ltp.sem01",
                            "status": "PASS", "comment": "sem01", "environment": {"comment": "host"}}],
                 "issues": [{"id": "_:waived", "origin": "_", "version": 1, "comment": "Test waived as unreliable"}],
                 "incidents": [{"id": "_:waived:1:redhat:t1", "origin": "_", "issue_id": "_:waived",
                                "issue_version": 1, "test_id": "redhat:t1", "present": true}]}
                """.formatted(COMMIT, PATCHSET)));
        assertThat(validator.validateAgainst(upgraded, SchemaVersion.V5_3).violations()).isEmpty();
    }

    @Test
    void v1EmptyOriginCannotBeUpgraded() {
        ObjectNode v11 = validIn(SchemaVersion.V1_1, """
                {"version": {"major": 1, "minor": 1},
                 "revisions": [{"origin": "", "origin_id": "x"}]}
                """);
        assertThatThrownBy(() -> upgrader.upgrade(v11, SchemaVersion.V1_1))
                .isInstanceOf(UpgradeImpossibleException.class)
                .hasMessageContaining("\":x\"")
                .asInstanceOf(InstanceOfAssertFactories.type(UpgradeImpossibleException.class))
                .extracting(UpgradeImpossibleException::pointer).isEqualTo("/revisions/0/id");
    }

    @Test
    void refusesNonObjects() {
        assertThatThrownBy(() -> upgrader.upgrade(KcidbValidatorTest.parseAny("[]"), SchemaVersion.V5_3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Fixtures must be what they claim: valid documents of their version. */
    private static ObjectNode validIn(SchemaVersion version, String json) {
        ObjectNode doc = parse(json);
        ValidationResult result = validator.validate(doc);
        assertThat(result.violations()).as("fixture valid in %s", version).isEmpty();
        assertThat(result.exactMatch()).isTrue();
        assertThat(result.validatedAgainst()).isEqualTo(version);
        return doc;
    }
}
