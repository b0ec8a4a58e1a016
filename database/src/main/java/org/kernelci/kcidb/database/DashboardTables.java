package org.kernelci.kcidb.database;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The KernelCI dashboard ingester's work ({@code spec/dashboard.md} 3.5, 4.6), done in the transaction of the rows:
 * after the KCIDB rows of a batch are written, the dashboard's derived table and queues get what its aggregation
 * processor needs to count them.
 * <ul>
 *   <li><b>D1</b> {@code latest_checkout}: per tree (origin, tree name, repository, branch) the checkout with the latest
 *       start time; a tie keeps the stored row.</li>
 *   <li><b>D2</b> {@code tree_listing}: a row per tree and commit, with zero counts (the processor adds them); the
 *       checkout and commit fields move only to a strictly later checkout. Rows are upserted in the processor's lock
 *       order (the key by code point, non-NULL first).</li>
 *   <li><b>D3, D4</b> {@code pending_test}, {@code pending_builds}: one queue row per test and build written, in id
 *       order.</li>
 * </ul>
 * All of it is derived from the <i>merged</i> rows as stored (rule M5), not from the submitted objects: the queue then
 * carries the values that stand, whatever the order submissions arrived in, and a value is taken over the queued one
 * unless it is NULL (with kcidb-ng's merge rule, M1).
 *
 * <p><b>Checkouts without a start time.</b> Valid KCIDB, stored like any other, but the processor cannot count them
 * ({@code hardware_status.start_time} is NOT NULL: it would stop for good, Q5). Such a checkout gets no derived rows,
 * and the builds and tests under it are held ({@code kcidb_ng_held_builds}, {@code kcidb_ng_held_tests}) instead of
 * queued, including those queued before the checkout arrived. Once a later submission gives the checkout a start
 * time (a NULL never erases it again), its derived rows are written and what was held is queued.
 *
 * <p><b>Concurrency.</b> Consumers of several machines run this concurrently, and whether an item is held depends on
 * rows other transactions write (a test's build, the build's checkout). So this part of a transaction runs under one
 * transaction-level advisory lock, taken after the KCIDB upserts: each transaction's derived statements see every
 * row committed by the ones before it. It never waits for a KCIDB row lock, so the lock cannot close a deadlock cycle.
 */
public final class DashboardTables {
    /** The advisory lock serialising the derived writes of all ingest consumers ("kcidbngd" in ASCII). */
    static final long ADVISORY_LOCK = 0x6b6369_64626e_6764L;

    private static final String SIMPLIFIED_STATUS = "CASE WHEN %1$s IS NULL THEN NULL WHEN %1$s = 'PASS' THEN 'P' "
            + "WHEN %1$s = 'FAIL' THEN 'F' ELSE 'I' END";

    /** D1: the latest checkout of each tree among those written; strictly later wins, a tie keeps the stored one. */
    private static final String LATEST_CHECKOUT = """
            INSERT INTO latest_checkout AS l
                   (checkout_id, start_time, origin, tree_name, git_repository_url, git_repository_branch)
            SELECT DISTINCT ON (c.origin, c.tree_name, c.git_repository_url, c.git_repository_branch)
                   c.id, c.start_time, c.origin, c.tree_name, c.git_repository_url, c.git_repository_branch
            FROM checkouts c
            WHERE c.id = ANY (?) AND c.start_time IS NOT NULL
            ORDER BY c.origin, c.tree_name, c.git_repository_url, c.git_repository_branch, c.start_time DESC, c.id
            ON CONFLICT ON CONSTRAINT latest_checkout_unique DO UPDATE
            SET start_time = EXCLUDED.start_time, checkout_id = EXCLUDED.checkout_id
            WHERE l.start_time < EXCLUDED.start_time""";

    /** D2: a tree_listing row per tree and commit, zero counts on insert, counts never touched. */
    private static final String TREE_LISTING = """
            INSERT INTO tree_listing AS l
                   (checkout_id, origin, tree_name, git_repository_url, git_repository_branch, git_commit_hash,
                    git_commit_name, git_commit_tags, start_time, build_pass, build_failed, build_inc, boot_pass,
                    boot_failed, boot_inc, test_pass, test_failed, test_inc)
            SELECT DISTINCT ON (c.origin COLLATE "C", c.tree_name COLLATE "C", c.git_repository_url COLLATE "C",
                                c.git_repository_branch COLLATE "C", c.git_commit_hash COLLATE "C")
                   c.id, c.origin, c.tree_name, c.git_repository_url, c.git_repository_branch, c.git_commit_hash,
                   c.git_commit_name, c.git_commit_tags, c.start_time, 0, 0, 0, 0, 0, 0, 0, 0, 0
            FROM checkouts c
            WHERE c.id = ANY (?) AND c.start_time IS NOT NULL
            ORDER BY c.origin COLLATE "C", c.tree_name COLLATE "C", c.git_repository_url COLLATE "C",
                     c.git_repository_branch COLLATE "C", c.git_commit_hash COLLATE "C", c.start_time DESC, c.id
            ON CONFLICT ON CONSTRAINT tree_listing_tree_unique DO UPDATE
            SET checkout_id = EXCLUDED.checkout_id, git_commit_hash = EXCLUDED.git_commit_hash,
                git_commit_name = EXCLUDED.git_commit_name, git_commit_tags = EXCLUDED.git_commit_tags,
                start_time = EXCLUDED.start_time
            WHERE l.start_time < EXCLUDED.start_time""";

    /**
     * Holds the builds under a checkout without start time, among those written and those of the checkouts written;
     * any of them already queued leave the queue. Parameters: build ids, checkout ids.
     */
    private static final String HOLD_BUILDS = """
            WITH blocked AS (
                SELECT b.id FROM builds b JOIN checkouts c ON c.id = b.checkout_id
                WHERE b.id = ANY (?) AND c.start_time IS NULL
                UNION
                SELECT b.id FROM checkouts c JOIN builds b ON b.checkout_id = c.id
                WHERE c.id = ANY (?) AND c.start_time IS NULL
            ), unqueued AS (
                DELETE FROM pending_builds p USING blocked WHERE p.build_id = blocked.id
            )
            INSERT INTO kcidb_ng_held_builds (build_id, held_at)
            SELECT id, CURRENT_TIMESTAMP FROM blocked ORDER BY id
            ON CONFLICT (build_id) DO NOTHING""";

    /** Holds the tests under a checkout without start time. Parameters: test ids, build ids, checkout ids. */
    private static final String HOLD_TESTS = """
            WITH blocked AS (
                SELECT t.id FROM tests t JOIN builds b ON b.id = t.build_id JOIN checkouts c ON c.id = b.checkout_id
                WHERE t.id = ANY (?) AND c.start_time IS NULL
                UNION
                SELECT t.id FROM builds b JOIN checkouts c ON c.id = b.checkout_id JOIN tests t ON t.build_id = b.id
                WHERE b.id = ANY (?) AND c.start_time IS NULL
                UNION
                SELECT t.id FROM checkouts c JOIN builds b ON b.checkout_id = c.id JOIN tests t ON t.build_id = b.id
                WHERE c.id = ANY (?) AND c.start_time IS NULL
            ), unqueued AS (
                DELETE FROM pending_test p USING blocked WHERE p.test_id = blocked.id
            )
            INSERT INTO kcidb_ng_held_tests (test_id, held_at)
            SELECT id, CURRENT_TIMESTAMP FROM blocked ORDER BY id
            ON CONFLICT (test_id) DO NOTHING""";

    /**
     * Releases held builds whose checkout now has a start time (or changed, or is unknown), among those written and
     * those of the checkouts written. Parameters: build ids, checkout ids. Returns the released ids.
     */
    private static final String RELEASE_BUILDS = """
            WITH candidates AS (
                SELECT unnest(?::TEXT[]) AS id
                UNION
                SELECT b.id FROM builds b WHERE b.checkout_id = ANY (?)
            )
            DELETE FROM kcidb_ng_held_builds h
            USING candidates k JOIN builds b ON b.id = k.id LEFT JOIN checkouts c ON c.id = b.checkout_id
            WHERE h.build_id = k.id AND NOT (c.id IS NOT NULL AND c.start_time IS NULL)
            RETURNING h.build_id""";

    /** Releases held tests no longer under a checkout without start time. Parameters: test ids, build ids. */
    private static final String RELEASE_TESTS = """
            WITH candidates AS (
                SELECT unnest(?::TEXT[]) AS id
                UNION
                SELECT t.id FROM tests t WHERE t.build_id = ANY (?)
            )
            DELETE FROM kcidb_ng_held_tests h
            USING candidates k JOIN tests t ON t.id = k.id LEFT JOIN builds b ON b.id = t.build_id
                  LEFT JOIN checkouts c ON c.id = b.checkout_id
            WHERE h.test_id = k.id AND NOT (c.id IS NOT NULL AND c.start_time IS NULL)
            RETURNING h.test_id""";

    /** D4, from the merged build rows; held builds excluded. */
    private static final String PENDING_BUILDS = """
            INSERT INTO pending_builds AS p (build_id, origin, checkout_id, status)
            SELECT b.id, b.origin, b.checkout_id, %s
            FROM builds b
            WHERE b.id = ANY (?) AND NOT EXISTS (SELECT 1 FROM kcidb_ng_held_builds h WHERE h.build_id = b.id)
            ORDER BY b.id
            ON CONFLICT (build_id) DO UPDATE
            SET checkout_id = EXCLUDED.checkout_id, status = COALESCE(EXCLUDED.status, p.status)"""
            .formatted(SIMPLIFIED_STATUS.formatted("b.status"));

    /** D3, from the merged test rows; held tests excluded. */
    private static final String PENDING_TEST = """
            INSERT INTO pending_test AS p
                   (test_id, origin, platform, compatible, build_id, status, is_boot, full_status, lab, path, start_time)
            SELECT t.id, t.origin, t.environment_misc ->> 'platform', t.environment_compatible, t.build_id, %s,
                   COALESCE(t.path = 'boot' OR starts_with(t.path, 'boot.'), FALSE), t.status, t.misc ->> 'runtime',
                   t.path, t.start_time
            FROM tests t
            WHERE t.id = ANY (?) AND NOT EXISTS (SELECT 1 FROM kcidb_ng_held_tests h WHERE h.test_id = t.id)
            ORDER BY t.id
            ON CONFLICT (test_id) DO UPDATE
            SET build_id = EXCLUDED.build_id, is_boot = EXCLUDED.is_boot,
                platform = COALESCE(EXCLUDED.platform, p.platform),
                compatible = COALESCE(EXCLUDED.compatible, p.compatible),
                status = COALESCE(EXCLUDED.status, p.status), path = COALESCE(EXCLUDED.path, p.path),
                start_time = COALESCE(EXCLUDED.start_time, p.start_time), lab = COALESCE(EXCLUDED.lab, p.lab),
                full_status = COALESCE(EXCLUDED.full_status, p.full_status)"""
            .formatted(SIMPLIFIED_STATUS.formatted("t.status"));

    private static final int BACKFILL_CHUNK = 5000;

    private static final String ANYTHING_HELD = "SELECT EXISTS (SELECT 1 FROM kcidb_ng_held_builds) "
            + "OR EXISTS (SELECT 1 FROM kcidb_ng_held_tests)";

    private DashboardTables() {
    }

    /**
     * Writes the derived rows of what the transaction wrote; call after the KCIDB upserts, before the commit.
     *
     * @param checkouts ids of the checkouts written, sorted
     * @param builds    ids of the builds written, sorted
     * @param tests     ids of the tests written, sorted
     */
    public static void write(Connection c, String[] checkouts, String[] builds, String[] tests) throws SQLException {
        if (checkouts.length == 0 && builds.length == 0 && tests.length == 0) {
            return;
        }
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, ADVISORY_LOCK);
            lock.execute();
        }
        Array checkoutIds = c.createArrayOf("text", checkouts);
        Array buildIds = c.createArrayOf("text", builds);
        Array testIds = c.createArrayOf("text", tests);
        if (checkouts.length > 0) {
            update(c, LATEST_CHECKOUT, checkoutIds);
            update(c, TREE_LISTING, checkoutIds);
        }
        update(c, HOLD_BUILDS, buildIds, checkoutIds);
        update(c, HOLD_TESTS, testIds, buildIds, checkoutIds);
        List<String> releasedBuilds = List.of();
        List<String> releasedTests = List.of();
        if (anythingHeld(c)) {
            releasedBuilds = ids(c, RELEASE_BUILDS, buildIds, checkoutIds);
            Array testBuilds = c.createArrayOf("text", union(builds, releasedBuilds));
            releasedTests = ids(c, RELEASE_TESTS, testIds, testBuilds);
        }
        update(c, PENDING_BUILDS, c.createArrayOf("text", union(builds, releasedBuilds)));
        update(c, PENDING_TEST, c.createArrayOf("text", union(tests, releasedTests)));
    }

    /**
     * Writes the derived rows of every checkout, build and test already stored, for a database that had rows before
     * it had the dashboard's tables (one kcidb-ng made before migration V3). One transaction, so that an interrupted
     * backfill leaves nothing behind and is done again whole; statements of {@value #BACKFILL_CHUNK} rows each,
     * checkouts first.
     *
     * @return how many checkouts, builds and tests it went through
     */
    public static long backfill(javax.sql.DataSource dataSource) throws SQLException {
        long total = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            for (String table : List.of("checkouts", "builds", "tests")) {
                String after = "";
                while (true) {
                    List<String> chunk = new ArrayList<>();
                    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + table
                            + " WHERE id > ? ORDER BY id LIMIT " + BACKFILL_CHUNK)) {
                        ps.setString(1, after);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                chunk.add(rs.getString(1));
                            }
                        }
                    }
                    if (chunk.isEmpty()) {
                        break;
                    }
                    String[] ids = chunk.toArray(String[]::new);
                    String[] none = new String[0];
                    write(c, table.equals("checkouts") ? ids : none, table.equals("builds") ? ids : none,
                            table.equals("tests") ? ids : none);
                    total += ids.length;
                    after = ids[ids.length - 1];
                }
            }
            c.commit();
        }
        return total;
    }

    private static boolean anythingHeld(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(ANYTHING_HELD); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static String[] union(String[] written, List<String> released) {
        if (released.isEmpty()) {
            return written;
        }
        TreeSet<String> all = new TreeSet<>(List.of(written));
        all.addAll(released);
        return all.toArray(String[]::new);
    }

    private static void update(Connection c, String sql, Array... parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setArray(i + 1, parameters[i]);
            }
            ps.executeUpdate();
        }
    }

    private static List<String> ids(Connection c, String sql, Array... parameters) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setArray(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }
}
