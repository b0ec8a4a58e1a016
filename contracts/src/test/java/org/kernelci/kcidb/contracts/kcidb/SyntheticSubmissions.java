package org.kernelci.kcidb.contracts.kcidb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Realistic, valid v5.3 submissions of any size: maestro-like checkouts, builds and many tests. */
final class SyntheticSubmissions {
    private static final String[] ARCHES = {"x86_64", "arm64", "arm", "riscv"};
    private static final String[] STATUSES = {"PASS", "PASS", "PASS", "FAIL", "SKIP", "ERROR", "MISS", "DONE"};
    private static final String[] SUITES = {"kselftest.cpufreq", "ltp.syscalls", "baseline.dmesg", "kunit.exec",
        "perf.sched"};

    private final ObjectMapper mapper;

    SyntheticSubmissions(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A v5.3 document of at least {@code targetBytes} bytes of JSON, mostly tests (40 per build). */
    ObjectNode document(int targetBytes) {
        ObjectNode doc = mapper.createObjectNode();
        doc.putObject("version").put("major", 5).put("minor", 3);
        ArrayNode checkouts = doc.putArray("checkouts");
        ArrayNode builds = doc.putArray("builds");
        ArrayNode tests = doc.putArray("tests");
        ArrayNode issues = doc.putArray("issues");
        ArrayNode incidents = doc.putArray("incidents");
        int approximate = 0;
        for (int b = 0; approximate < targetBytes; b++) {
            if (b % 20 == 0) {
                checkouts.add(checkout(b / 20));
                issues.add(issue(b / 20));
            }
            builds.add(build(b));
            for (int t = 0; t < 40; t++) {
                ObjectNode test = test(b, t);
                tests.add(test);
                if (t == 0) {
                    incidents.add(incident(b, test.get("id").asText()));
                }
            }
            approximate += 40 * 780 + 1400;
        }
        return doc;
    }

    byte[] bytes(int targetBytes) {
        try {
            return mapper.writeValueAsString(document(targetBytes)).getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode checkout(int c) {
        ObjectNode o = mapper.createObjectNode()
                .put("id", "maestro:" + hex(c, 24))
                .put("origin", "maestro")
                .put("tree_name", "mainline")
                .put("git_repository_url", "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git")
                .put("git_commit_hash", hex(c, 40))
                .put("git_commit_name", "v6.15-rc7-" + c + "-g" + hex(c, 12))
                .put("git_repository_branch", "master")
                .put("start_time", "2025-05-20T08:14:03.512000+00:00")
                .put("patchset_hash", "")
                .put("log_url", "https://files.kernelci.org/checkout/" + c + "/log.txt")
                .put("valid", true);
        o.putObject("misc").put("submitted_by", "kernelci-pipeline");
        return o;
    }

    private ObjectNode build(int b) {
        String arch = ARCHES[b % ARCHES.length];
        ObjectNode o = mapper.createObjectNode()
                .put("id", "maestro:" + hex(1_000_000 + b, 24))
                .put("checkout_id", "maestro:" + hex(b / 20, 24))
                .put("origin", "maestro")
                .put("comment", "defconfig build on " + arch)
                .put("start_time", "2025-05-20T08:20:11.000000+00:00")
                .put("duration", 812.5 + b)
                .put("architecture", arch)
                .put("compiler", "gcc (Debian 12.2.0-14) 12.2.0")
                .put("config_name", "defconfig+kselftest")
                .put("config_url", "https://files.kernelci.org/kbuild-" + b + "/config")
                .put("log_url", "https://files.kernelci.org/kbuild-" + b + "/build.log")
                .put("status", b % 17 == 0 ? "FAIL" : "PASS");
        o.putArray("output_files").addObject().put("name", "bzImage")
                .put("url", "https://files.kernelci.org/kbuild-" + b + "/bzImage");
        o.putObject("misc").put("lab", "k8s-gke-eu-west4").put("platform", "kubernetes");
        return o;
    }

    private ObjectNode test(int b, int t) {
        String suite = SUITES[(b + t) % SUITES.length];
        ObjectNode o = mapper.createObjectNode()
                .put("id", "maestro:" + hex(b * 1000 + t, 24))
                .put("build_id", "maestro:" + hex(1_000_000 + b, 24))
                .put("origin", "maestro")
                .put("path", suite + ".case_" + t)
                .put("status", STATUSES[(b * 7 + t) % STATUSES.length])
                .put("start_time", "2025-05-20T08:40:00.000000+00:00")
                .put("duration", 0.5 + t)
                .put("log_url", "https://files.kernelci.org/test-" + b + "-" + t + "/log.txt.gz")
                .put("comment", suite + " on qemu-" + ARCHES[b % ARCHES.length]);
        ObjectNode environment = o.putObject("environment");
        environment.putArray("compatible").add("qemu,x86-64").add("google,kingoftown-rev" + (t % 3));
        environment.putObject("misc").put("platform", "qemu-x86").put("job_id", String.valueOf(b * 40 + t));
        o.putArray("output_files").addObject().put("name", "lava_log")
                .put("url", "https://files.kernelci.org/test-" + b + "-" + t + "/lava_log.txt");
        if (t % 10 == 0) {
            o.put("log_excerpt", "# selftests: " + suite + "\nnot ok " + t + " selftests # exit=1\n");
        }
        o.putObject("misc").put("runtime", "lava-collabora").put("arch", ARCHES[b % ARCHES.length])
                .put("kernel_type", "bzimage");
        return o;
    }

    private ObjectNode issue(int i) {
        ObjectNode o = mapper.createObjectNode()
                .put("id", "maestro:issue" + i)
                .put("version", 1)
                .put("origin", "maestro")
                .put("report_url", "https://lore.kernel.org/all/" + hex(i, 16) + "@kernel.org/")
                .put("report_subject", "boot regression " + i)
                .put("comment", "found by logspec");
        o.putObject("culprit").put("code", true).put("tool", false).put("harness", false);
        o.putArray("categories").add("boot.kernel_panic");
        return o;
    }

    private ObjectNode incident(int b, String testId) {
        return mapper.createObjectNode()
                .put("id", "maestro:incident" + b)
                .put("origin", "maestro")
                .put("issue_id", "maestro:issue" + (b / 20))
                .put("issue_version", 1)
                .put("test_id", testId)
                .put("present", true);
    }

    private static String hex(long value, int width) {
        String digits = Long.toHexString(value * 2654435761L & 0x7fffffffffffL);
        StringBuilder out = new StringBuilder(width);
        while (out.length() < width) {
            out.append(digits);
        }
        return out.substring(0, width).toLowerCase(Locale.ROOT);
    }
}
