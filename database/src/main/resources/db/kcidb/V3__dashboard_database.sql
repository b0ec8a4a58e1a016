-- The KernelCI dashboard's database (kernelci/dashboard, migrations kernelCI_app 0001-0018): one database that both
-- the dashboard and kcidb's tools read. Facts: spec/dashboard.md sections 1, 2 and 7.
--
-- Written to run on two kinds of database, and to change on each only what is missing:
--   * ours (V1 + V2, or a kcidb-made database baselined at V1): the status columns become varchar(10), builds gets
--     the generated column series, the dashboard's named indexes, derived tables, queues, hardware registry and the
--     Django bookkeeping are created; issues keeps its key (id, version) and gains Django's UNIQUE (id, version);
--   * a database the dashboard's migrations created (adopted by KcidbSchema, baselined at V1): every dashboard column,
--     constraint, index and table is already there and stays as it is; the kcidb function block (get_version() and
--     the aggregates kcidb-query needs) is added, and the primary key of issues moves from (id) to (id, version)
--     (spec/dashboard.md 7.2 step 4b): kcidb-ng keeps one row per issue version.
-- Every step looks first, so a second run (or a run on either kind) changes nothing twice. No column of a table
-- the dashboard owns is dropped, renamed or retyped unless it is one of our own enums (the first kind only).
--
-- get_version() stays 5003: the KCIDB columns are those of DB schema 5.3.

-- kcidb's function block (spec/dashboard.md 6 K2): the same bodies V1 creates, for databases V1 never ran on.
CREATE OR REPLACE FUNCTION first_agg(anyelement, anyelement) RETURNS anyelement
    LANGUAGE SQL IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1';
CREATE OR REPLACE FUNCTION last_agg(anyelement, anyelement) RETURNS anyelement
    LANGUAGE SQL IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $2';
CREATE OR REPLACE AGGREGATE first(anyelement) (SFUNC = first_agg, STYPE = anyelement, PARALLEL = SAFE);
CREATE OR REPLACE AGGREGATE last(anyelement) (SFUNC = last_agg, STYPE = anyelement, PARALLEL = SAFE);
CREATE OR REPLACE FUNCTION encode_uri_component(TEXT) RETURNS TEXT
    LANGUAGE SQL IMMUTABLE STRICT AS $$
    SELECT COALESCE(string_agg(
               CASE WHEN ch ~ '^[0-9A-Za-z_.!~*''()-]$' THEN ch
                    ELSE regexp_replace(encode(convert_to(ch, 'UTF8'), 'hex'), '(..)', E'%\\1', 'g')
               END,
               '' ORDER BY pos), '')
    FROM regexp_split_to_table($1, '') WITH ORDINALITY AS chars(ch, pos)
$$;
CREATE OR REPLACE FUNCTION get_version() RETURNS INTEGER
    LANGUAGE SQL IMMUTABLE AS 'SELECT 5003';

-- Status columns as the dashboard reads them (UPPER(status), COALESCE(status, 'NULL')): varchar(10), not our enums.
-- Converting rewrites builds and tests under an exclusive lock; on a database already in the dashboard's shape it
-- does nothing.
DO $$
DECLARE
    alterations TEXT;
BEGIN
    IF (SELECT format_type(atttypid, atttypmod) FROM pg_attribute
            WHERE attrelid = 'builds'::regclass AND attname = 'status') <> 'character varying(10)' THEN
        ALTER TABLE builds ALTER COLUMN status TYPE VARCHAR(10) USING status::TEXT;
    END IF;
    SELECT string_agg(format('ALTER COLUMN %I TYPE VARCHAR(10) USING %I::TEXT', attname, attname), ', ')
        INTO alterations
        FROM pg_attribute
        WHERE attrelid = 'tests'::regclass AND attname IN ('status', 'number_prefix')
          AND format_type(atttypid, atttypmod) <> 'character varying(10)';
    IF alterations IS NOT NULL THEN
        EXECUTE 'ALTER TABLE tests ' || alterations;
    END IF;
END
$$;

-- The enums V1 made are now unused; dropped unless something else of the operator's still uses them.
DO $$
BEGIN
    DROP TYPE IF EXISTS status;
    DROP TYPE IF EXISTS unit_prefix;
EXCEPTION WHEN dependent_objects_still_exist THEN
    RAISE NOTICE 'types status/unit_prefix are still used by other objects; kept';
END
$$;

-- builds.series (dashboard migration 0003): md5 of config_name || compiler || architecture, NULL taken as ''.
ALTER TABLE builds ADD COLUMN IF NOT EXISTS series TEXT GENERATED ALWAYS AS
    (md5((COALESCE(config_name, '') || COALESCE((COALESCE(compiler, '') || COALESCE(architecture, '')), '')))) STORED;

-- The dashboard's named indexes (spec/dashboard.md 1.3). Where V1 made the same index under kcidb's name, it is
-- renamed rather than built twice; the others are created when missing.
DO $$
DECLARE
    r RECORD;
BEGIN
    FOR r IN SELECT * FROM (VALUES
            ('checkouts_git_commit_tags', 'checkouts_commit_tags'),
            ('checkouts_git_repository_branch', 'checkouts_git_branch'),
            ('checkouts_git_repository_url', 'checkouts_git_url')) AS v(old_name, new_name) LOOP
        IF to_regclass(r.old_name) IS NOT NULL AND to_regclass(r.new_name) IS NULL THEN
            EXECUTE format('ALTER INDEX %I RENAME TO %I', r.old_name, r.new_name);
        END IF;
    END LOOP;
END
$$;

CREATE INDEX IF NOT EXISTS checkouts__timestamp ON checkouts (_timestamp);
CREATE INDEX IF NOT EXISTS checkouts_commit_hash ON checkouts (git_commit_hash);
CREATE INDEX IF NOT EXISTS checkouts_commit_name ON checkouts (git_commit_name);
CREATE INDEX IF NOT EXISTS checkouts_commit_tags ON checkouts USING GIN (git_commit_tags);
CREATE INDEX IF NOT EXISTS checkouts_git_branch ON checkouts (git_repository_branch);
CREATE INDEX IF NOT EXISTS checkouts_git_url ON checkouts (git_repository_url);
CREATE INDEX IF NOT EXISTS checkouts_origin ON checkouts (origin);
CREATE INDEX IF NOT EXISTS checkouts_start_time ON checkouts (start_time);
CREATE INDEX IF NOT EXISTS checkouts_tree_name ON checkouts (tree_name);

CREATE INDEX IF NOT EXISTS builds__timestamp ON builds (_timestamp);
CREATE INDEX IF NOT EXISTS builds_architecture ON builds (architecture);
CREATE INDEX IF NOT EXISTS builds_compiler ON builds (compiler);
CREATE INDEX IF NOT EXISTS builds_config_name ON builds (config_name);
CREATE INDEX IF NOT EXISTS builds_origin ON builds (origin);
CREATE INDEX IF NOT EXISTS builds_start_time ON builds (start_time);
CREATE INDEX IF NOT EXISTS builds_status ON builds (status);
CREATE INDEX IF NOT EXISTS builds_series_idx ON builds (series);

CREATE INDEX IF NOT EXISTS tests__timestamp ON tests (_timestamp);
CREATE INDEX IF NOT EXISTS tests_environment_compatible ON tests USING GIN (environment_compatible);
CREATE INDEX IF NOT EXISTS tests_origin ON tests (origin);
CREATE INDEX IF NOT EXISTS tests_path ON tests (path);
CREATE INDEX IF NOT EXISTS tests_platform_idx ON tests ((environment_misc ->> 'platform'));
CREATE INDEX IF NOT EXISTS tests_start_time ON tests (start_time);
CREATE INDEX IF NOT EXISTS tests_status ON tests (status);
CREATE INDEX IF NOT EXISTS tests_origin_time_platform ON tests (origin, start_time)
    WHERE (environment_misc ->> 'platform') IS NOT NULL;

CREATE INDEX IF NOT EXISTS issues__timestamp ON issues (_timestamp);
CREATE INDEX IF NOT EXISTS issues_categories ON issues USING GIN (categories);
CREATE INDEX IF NOT EXISTS issues_culprit_code ON issues (culprit_code);
CREATE INDEX IF NOT EXISTS issues_culprit_harness ON issues (culprit_harness);
CREATE INDEX IF NOT EXISTS issues_culprit_tool ON issues (culprit_tool);
CREATE INDEX IF NOT EXISTS issues_origin ON issues (origin);

CREATE INDEX IF NOT EXISTS incidents__timestamp ON incidents (_timestamp);
CREATE INDEX IF NOT EXISTS incidents_issue_version ON incidents (issue_version);
CREATE INDEX IF NOT EXISTS incidents_origin ON incidents (origin);

-- Issues are keyed by (id, version) (design.md). On a dashboard-made database the primary key is (id): it moves to
-- (id, version), under the same name (spec/dashboard.md 7.2 step 4b). Django's UNIQUE (id, version) is added where
-- missing, under the name its migration state knows.
DO $$
BEGIN
    IF (SELECT array_agg(a.attname::TEXT ORDER BY a.attname)
            FROM pg_constraint k JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)
            WHERE k.conrelid = 'issues'::regclass AND k.contype = 'p') = ARRAY['id'] THEN
        CREATE UNIQUE INDEX kcidb_ng_issues_id_version_pk ON issues (id, version);
        ALTER TABLE issues DROP CONSTRAINT issues_pkey,
            ADD CONSTRAINT issues_pkey PRIMARY KEY USING INDEX kcidb_ng_issues_id_version_pk;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_constraint
            WHERE conrelid = 'issues'::regclass AND conname = 'issues_id_version_a2d04e12_uniq') THEN
        ALTER TABLE issues ADD CONSTRAINT issues_id_version_a2d04e12_uniq UNIQUE (id, version);
    END IF;
END
$$;

-- Derived tables and queues (spec/dashboard.md 1.4), exactly as the dashboard's migrations leave them. The ingest
-- consumer writes latest_checkout, tree_listing, pending_test and pending_builds in the transaction of the rows; the
-- dashboard's aggregation processor writes the rest. Django creates no column DEFAULTs: every writer supplies every
-- NOT NULL column.
CREATE TABLE IF NOT EXISTS latest_checkout (
    id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    checkout_id TEXT NOT NULL,
    start_time TIMESTAMP WITH TIME ZONE NOT NULL,
    origin VARCHAR(100) NOT NULL,
    tree_name TEXT,
    git_repository_url TEXT,
    git_repository_branch TEXT,
    CONSTRAINT latest_checkout_unique UNIQUE NULLS NOT DISTINCT
        (origin, tree_name, git_repository_url, git_repository_branch)
);
CREATE INDEX IF NOT EXISTS latest_checkout_checkout_id ON latest_checkout (checkout_id);

CREATE TABLE IF NOT EXISTS tree_listing (
    id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    checkout_id TEXT NOT NULL,
    origin TEXT NOT NULL,
    tree_name TEXT,
    git_repository_url TEXT,
    git_repository_branch TEXT,
    git_commit_hash TEXT,
    git_commit_name TEXT,
    git_commit_tags TEXT[],
    start_time TIMESTAMP WITH TIME ZONE,
    build_pass INTEGER NOT NULL,
    build_failed INTEGER NOT NULL,
    build_inc INTEGER NOT NULL,
    boot_pass INTEGER NOT NULL,
    boot_failed INTEGER NOT NULL,
    boot_inc INTEGER NOT NULL,
    test_pass INTEGER NOT NULL,
    test_failed INTEGER NOT NULL,
    test_inc INTEGER NOT NULL,
    CONSTRAINT tree_listing_tree_unique UNIQUE NULLS NOT DISTINCT
        (origin, tree_name, git_repository_url, git_repository_branch, git_commit_hash)
);
CREATE INDEX IF NOT EXISTS tree_listing_start_time ON tree_listing (start_time);
CREATE INDEX IF NOT EXISTS tree_listing_checkout_id ON tree_listing (checkout_id);

CREATE TABLE IF NOT EXISTS hardware_status (
    checkout_id TEXT NOT NULL,
    test_origin VARCHAR(100) NOT NULL,
    platform VARCHAR(100) NOT NULL,
    compatibles TEXT[],
    start_time TIMESTAMP WITH TIME ZONE NOT NULL,
    build_pass INTEGER NOT NULL,
    build_failed INTEGER NOT NULL,
    build_inc INTEGER NOT NULL,
    boot_pass INTEGER NOT NULL,
    boot_failed INTEGER NOT NULL,
    boot_inc INTEGER NOT NULL,
    test_pass INTEGER NOT NULL,
    test_failed INTEGER NOT NULL,
    test_inc INTEGER NOT NULL,
    PRIMARY KEY (test_origin, platform, checkout_id)
);
CREATE INDEX IF NOT EXISTS hw_status_origin_time ON hardware_status (test_origin, start_time);
CREATE INDEX IF NOT EXISTS hw_status_checkout_id ON hardware_status (checkout_id);

CREATE TABLE IF NOT EXISTS pending_test (
    test_id TEXT PRIMARY KEY,
    origin VARCHAR(100) NOT NULL,
    platform VARCHAR(100),
    compatible TEXT[],
    build_id TEXT NOT NULL,
    status VARCHAR(1),
    is_boot BOOLEAN NOT NULL,
    full_status VARCHAR(10),
    lab TEXT,
    path TEXT,
    start_time TIMESTAMP WITH TIME ZONE
);

CREATE TABLE IF NOT EXISTS pending_builds (
    build_id TEXT PRIMARY KEY,
    origin VARCHAR(100) NOT NULL,
    checkout_id TEXT NOT NULL,
    status VARCHAR(1)
);

CREATE TABLE IF NOT EXISTS processed_listing_items (
    listing_item_key BYTEA NOT NULL,
    checkout_id TEXT NOT NULL,
    status VARCHAR(1),
    CONSTRAINT processed_hardware_status_pkey PRIMARY KEY (listing_item_key)
);
CREATE INDEX IF NOT EXISTS phs_checkout_id ON processed_listing_items (checkout_id);

CREATE TABLE IF NOT EXISTS tree_tests_rollup (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    origin TEXT NOT NULL,
    tree_name TEXT,
    git_repository_branch TEXT,
    git_repository_url TEXT,
    git_commit_hash TEXT,
    path_group TEXT NOT NULL,
    build_config_name TEXT NOT NULL,
    build_architecture TEXT NOT NULL,
    build_compiler TEXT NOT NULL,
    hardware_key TEXT NOT NULL,
    test_platform TEXT,
    test_lab TEXT,
    test_origin TEXT,
    issue_id TEXT,
    issue_version INTEGER,
    issue_uncategorized BOOLEAN NOT NULL,
    is_boot BOOLEAN NOT NULL,
    pass_tests INTEGER NOT NULL,
    fail_tests INTEGER NOT NULL,
    skip_tests INTEGER NOT NULL,
    error_tests INTEGER NOT NULL,
    miss_tests INTEGER NOT NULL,
    done_tests INTEGER NOT NULL,
    null_tests INTEGER NOT NULL,
    total_tests INTEGER NOT NULL,
    CONSTRAINT tree_tests_rollup_unique UNIQUE NULLS NOT DISTINCT (origin, tree_name, git_repository_branch,
        git_repository_url, git_commit_hash, path_group, build_config_name, build_architecture, build_compiler,
        hardware_key, test_platform, test_lab, test_origin, issue_id, issue_version, issue_uncategorized)
);
CREATE INDEX IF NOT EXISTS tree_tests_rollup_scope ON tree_tests_rollup
    (origin, tree_name, git_repository_branch, git_repository_url, git_commit_hash);
CREATE INDEX IF NOT EXISTS tree_tests_rollup_group_total ON tree_tests_rollup (path_group, total_tests);

-- The hardware registry (migration 0018), filled by the dashboard's daily cron only (a few rows; Django's indexes on
-- its foreign keys are left out).
CREATE TABLE IF NOT EXISTS hardware_registry_platform_vendors (
    id TEXT PRIMARY KEY,
    type VARCHAR(64) NOT NULL,
    url TEXT,
    details TEXT
);
CREATE TABLE IF NOT EXISTS hardware_registry_silicon_vendors (
    id TEXT PRIMARY KEY,
    type VARCHAR(64) NOT NULL,
    url TEXT,
    details TEXT
);
CREATE TABLE IF NOT EXISTS hardware_registry_processors (
    id TEXT PRIMARY KEY,
    type VARCHAR(64) NOT NULL,
    url TEXT,
    details TEXT,
    architecture TEXT,
    cores INTEGER,
    max_clock_speed_mhz INTEGER,
    vendor_id TEXT NOT NULL REFERENCES hardware_registry_silicon_vendors (id) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE IF NOT EXISTS hardware_registry_system_modules (
    id TEXT PRIMARY KEY,
    type VARCHAR(64) NOT NULL,
    url TEXT,
    details TEXT,
    form_factor TEXT,
    processor_id TEXT NOT NULL REFERENCES hardware_registry_processors (id) DEFERRABLE INITIALLY DEFERRED,
    vendor_id TEXT NOT NULL REFERENCES hardware_registry_platform_vendors (id) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE IF NOT EXISTS hardware_registry_platforms (
    id TEXT PRIMARY KEY,
    type VARCHAR(64) NOT NULL,
    url TEXT,
    details TEXT,
    form_factor TEXT,
    vendor_id TEXT NOT NULL REFERENCES hardware_registry_platform_vendors (id) DEFERRABLE INITIALLY DEFERRED,
    processor_id TEXT NOT NULL REFERENCES hardware_registry_processors (id) DEFERRABLE INITIALLY DEFERRED,
    system_module_id TEXT REFERENCES hardware_registry_system_modules (id) DEFERRABLE INITIALLY DEFERRED
);

-- Django's migration record (spec/dashboard.md 2.2): the dashboard's own apps are recorded as applied, so that the
-- backend container's start-up `manage.py migrate` leaves every table above as it is. Django's contrib apps
-- (contenttypes, auth, admin, sessions) are left unrecorded where they are missing: that migrate then creates their
-- tables itself, with Django's own DDL (it needs CREATE on schema public; their migrations depend on nothing of
-- kernelCI_app, and kernelCI_app's and kernelCI_cache's on nothing of theirs).
CREATE TABLE IF NOT EXISTS django_migrations (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    app VARCHAR(255) NOT NULL,
    name VARCHAR(255) NOT NULL,
    applied TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO django_migrations (app, name, applied)
SELECT m.app, m.name, CURRENT_TIMESTAMP
FROM (VALUES
        ('kernelCI_app', '0001_initial'),
        ('kernelCI_app', '0002_remove_fk_constraint'),
        ('kernelCI_app', '0003_add_build_series_field'),
        ('kernelCI_app', '0004_add_issues_indexes'),
        ('kernelCI_app', '0005_add_checkouts_indexes'),
        ('kernelCI_app', '0006_add_builds_indexes'),
        ('kernelCI_app', '0007_add_tests_indexes'),
        ('kernelCI_app', '0008_add_incidents_indexes'),
        ('kernelCI_app', '0009_add_test_origin_start_time_platform_index'),
        ('kernelCI_app', '0010_add_hardware_denormalization_models'),
        ('kernelCI_app', '0011_modify_latest_checkout_primary_key'),
        ('kernelCI_app', '0012_rename_processedhardwarestatus'),
        ('kernelCI_app', '0013_pendingbuilds_treelisting'),
        ('kernelCI_app', '0014_add_processed_and_pending_status'),
        ('kernelCI_app', '0015_alter_pendingtest_platform'),
        ('kernelCI_app', '0016_alter_treelisting_unique_constraint'),
        ('kernelCI_app', '0017_add_tree_tests_rollup_table'),
        ('kernelCI_app', '0018_hardwareregistryplatformvendor_and_more'),
        ('kernelCI_cache', '0001_initial'),
        ('kernelCI_cache', '0002_drop_old_table'),
        ('kernelCI_cache', '0003_recreate_model'),
        ('kernelCI_cache', '0004_rename_count_fields'),
        ('kernelCI_cache', '0005_checkoutscache_origin_finish_time'),
        ('kernelCI_cache', '0006_drop_table_for_refresh'),
        ('kernelCI_cache', '0007_refresh_table'),
        ('kernelCI_cache', '0008_notificationscheckout'),
        ('kernelCI_cache', '0009_rename_notification_id_to_notification_message_id'),
        ('kernelCI_cache', '0010_notificationsissue'),
        ('kernelCI_cache', '0011_copy_data_from_cache_if_exists'),
        ('kernelCI_cache', '0012_add_checkout_report_identification_fields'),
        ('kernelCI_cache', '0013_delete_checkoutscache')) AS m(app, name)
WHERE NOT EXISTS (SELECT 1 FROM django_migrations d WHERE d.app = m.app AND d.name = m.name)
ORDER BY m.app, m.name;

-- kcidb-ng's own: builds and tests kept out of the dashboard's queues while their checkout is stored without a
-- start_time (valid KCIDB, but the processor's hardware_status.start_time is NOT NULL: it would stop for good on
-- them, spec/dashboard.md 4.6 Q5). The ingest consumer queues them once the checkout's start_time is known.
CREATE TABLE IF NOT EXISTS kcidb_ng_held_builds (
    build_id TEXT PRIMARY KEY,
    held_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE TABLE IF NOT EXISTS kcidb_ng_held_tests (
    test_id TEXT PRIMARY KEY,
    held_at TIMESTAMP WITH TIME ZONE NOT NULL
);

COMMENT ON TABLE kcidb_ng_held_builds IS 'kcidb-ng: builds whose checkout has no start_time yet, kept out of pending_builds until it has one.';
COMMENT ON TABLE kcidb_ng_held_tests IS 'kcidb-ng: tests whose build''s checkout has no start_time yet, kept out of pending_test until it has one.';
