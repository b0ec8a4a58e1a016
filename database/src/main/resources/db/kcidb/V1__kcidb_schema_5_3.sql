-- The KCIDB PostgreSQL schema at DB schema version 5.3 (I/O schema 5.3), as kcidb's own kcidb-db-init creates it
-- on an empty database: the same tables, columns in the same order, types, keys, indexes and helper functions, so
-- that kcidb (kcidb-query, kcidb-db-upgrade), the KernelCI dashboard and Grafana read it unchanged.
-- Facts: spec/kcidb.md section 2; kcidb's kcidb/db/postgresql/v04_00.py ... v05_03.py.
--
-- A database that kcidb already initialised at 5.3 is not re-created: KcidbSchema baselines it at this version.
-- Never edit this file once released: Flyway verifies its checksum. Change the schema in V2__... and later files.

-- Enumerations. Unquoted names fold to lower case: "status" and "unit_prefix".
CREATE TYPE STATUS AS ENUM ('FAIL', 'ERROR', 'MISS', 'PASS', 'DONE', 'SKIP');
CREATE TYPE UNIT_PREFIX AS ENUM ('metric', 'binary');

-- No foreign keys, by design: a build may arrive before its checkout, an incident before its issue.

CREATE TABLE checkouts (
    _timestamp TIMESTAMP WITH TIME ZONE,
    id TEXT NOT NULL PRIMARY KEY,
    origin TEXT NOT NULL,
    tree_name TEXT,
    git_repository_url TEXT,
    git_commit_hash TEXT,
    git_commit_name TEXT,
    git_repository_branch TEXT,
    patchset_files JSONB,
    patchset_hash TEXT,
    message_id TEXT,
    comment TEXT,
    start_time TIMESTAMP WITH TIME ZONE,
    log_url TEXT,
    log_excerpt CHARACTER VARYING (16384),
    valid BOOLEAN,
    misc JSONB,
    git_commit_tags TEXT[],
    git_commit_message TEXT,
    git_repository_branch_tip BOOLEAN,
    origin_builds_finish_time TIMESTAMP WITH TIME ZONE,
    origin_tests_finish_time TIMESTAMP WITH TIME ZONE
);

CREATE TABLE builds (
    _timestamp TIMESTAMP WITH TIME ZONE,
    checkout_id TEXT NOT NULL,
    id TEXT NOT NULL PRIMARY KEY,
    origin TEXT NOT NULL,
    comment TEXT,
    start_time TIMESTAMP WITH TIME ZONE,
    duration DOUBLE PRECISION,
    architecture TEXT,
    command TEXT,
    compiler TEXT,
    input_files JSONB,
    output_files JSONB,
    config_name TEXT,
    config_url TEXT,
    log_url TEXT,
    log_excerpt CHARACTER VARYING (16384),
    misc JSONB,
    status STATUS
);

CREATE TABLE tests (
    _timestamp TIMESTAMP WITH TIME ZONE,
    build_id TEXT NOT NULL,
    id TEXT NOT NULL PRIMARY KEY,
    origin TEXT NOT NULL,
    environment_comment TEXT,
    environment_misc JSONB,
    path TEXT,
    comment TEXT,
    log_url TEXT,
    log_excerpt CHARACTER VARYING (16384),
    status STATUS,
    start_time TIMESTAMP WITH TIME ZONE,
    duration DOUBLE PRECISION,
    output_files JSONB,
    misc JSONB,
    environment_compatible TEXT[],
    number_value DOUBLE PRECISION,
    number_unit TEXT,
    number_prefix UNIT_PREFIX,
    input_files JSONB
);

-- Issues are versioned: the key is (id, version).
CREATE TABLE issues (
    _timestamp TIMESTAMP WITH TIME ZONE,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    origin TEXT NOT NULL,
    report_url TEXT,
    report_subject TEXT,
    culprit_code BOOLEAN,
    culprit_tool BOOLEAN,
    culprit_harness BOOLEAN,
    comment TEXT,
    misc JSONB,
    categories TEXT[],
    PRIMARY KEY (id, version)
);

CREATE TABLE incidents (
    _timestamp TIMESTAMP WITH TIME ZONE,
    id TEXT NOT NULL PRIMARY KEY,
    origin TEXT NOT NULL,
    issue_id TEXT NOT NULL,
    issue_version INTEGER NOT NULL,
    build_id TEXT,
    test_id TEXT,
    present BOOLEAN,
    comment TEXT,
    misc JSONB
);

-- Indexes, named <table>_<columns> as kcidb names them (hence the double underscore of <table>__timestamp).
CREATE INDEX checkouts__timestamp ON checkouts (_timestamp);
CREATE INDEX checkouts_git_commit_hash_patchset_hash ON checkouts (git_commit_hash, patchset_hash);
CREATE INDEX checkouts_origin ON checkouts (origin);
CREATE INDEX checkouts_start_time ON checkouts (start_time);
CREATE INDEX checkouts_git_repository_url ON checkouts (git_repository_url);
CREATE INDEX checkouts_git_repository_branch ON checkouts (git_repository_branch);
CREATE INDEX checkouts_valid ON checkouts (valid);
CREATE INDEX checkouts_tree_name ON checkouts (tree_name);
CREATE INDEX checkouts_git_commit_tags ON checkouts USING GIN (git_commit_tags);
-- Upstream slip, kept on purpose: kcidb builds this index on git_repository_url, not on git_repository_branch_tip.
-- Matching it keeps kcidb-db-upgrade and schema comparisons with kcidb-made databases clean.
CREATE INDEX checkouts_git_repository_branch_tip ON checkouts (git_repository_url);
CREATE INDEX checkouts_origin_builds_finish_time ON checkouts (origin_builds_finish_time);
CREATE INDEX checkouts_origin_tests_finish_time ON checkouts (origin_tests_finish_time);

CREATE INDEX builds__timestamp ON builds (_timestamp);
CREATE INDEX builds_checkout_id ON builds (checkout_id);
CREATE INDEX builds_origin ON builds (origin);
CREATE INDEX builds_start_time ON builds (start_time);
CREATE INDEX builds_architecture ON builds (architecture);
CREATE INDEX builds_config_name ON builds (config_name);
CREATE INDEX builds_compiler ON builds (compiler);
CREATE INDEX builds_status ON builds (status);

CREATE INDEX tests__timestamp ON tests (_timestamp);
CREATE INDEX tests_build_id ON tests (build_id);
CREATE INDEX tests_origin ON tests (origin);
CREATE INDEX tests_start_time ON tests (start_time);
CREATE INDEX tests_path ON tests (path);
CREATE INDEX tests_status ON tests (status);
CREATE INDEX tests_environment_compatible ON tests USING GIN (environment_compatible);
CREATE INDEX tests_number_value ON tests (number_value);
CREATE INDEX tests_number_unit ON tests (number_unit);

CREATE INDEX issues__timestamp ON issues (_timestamp);
CREATE INDEX issues_origin ON issues (origin);
CREATE INDEX issues_report_url ON issues (report_url);
CREATE INDEX issues_culprit_code ON issues (culprit_code);
CREATE INDEX issues_culprit_tool ON issues (culprit_tool);
CREATE INDEX issues_culprit_harness ON issues (culprit_harness);
CREATE INDEX issues_categories ON issues USING GIN (categories);

CREATE INDEX incidents__timestamp ON incidents (_timestamp);
CREATE INDEX incidents_build_id ON incidents (build_id);
CREATE INDEX incidents_test_id ON incidents (test_id);
CREATE INDEX incidents_issue_id ON incidents (issue_id);
CREATE INDEX incidents_origin ON incidents (origin);
CREATE INDEX incidents_issue_version ON incidents (issue_version);
CREATE INDEX incidents_present ON incidents (present);

-- FIRST()/LAST() aggregates (the PostgreSQL wiki's first/last pattern): kcidb's object-oriented queries, used by
-- kcidb-query and notification code, call FIRST(...) when grouping checkouts into revisions.
CREATE FUNCTION first_agg(anyelement, anyelement) RETURNS anyelement
    LANGUAGE SQL IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $1';
CREATE FUNCTION last_agg(anyelement, anyelement) RETURNS anyelement
    LANGUAGE SQL IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT $2';
CREATE AGGREGATE first(anyelement) (SFUNC = first_agg, STYPE = anyelement, PARALLEL = SAFE);
CREATE AGGREGATE last(anyelement) (SFUNC = last_agg, STYPE = anyelement, PARALLEL = SAFE);

-- encode_uri_component(text): JavaScript encodeURIComponent() semantics, which kcidb adds at DB schema 4.5 for
-- building links in queries. Characters outside A-Z a-z 0-9 - _ . ! ~ * ' ( ) become their UTF-8 bytes as %xx
-- (lower-case hex, as kcidb's version produces).
CREATE FUNCTION encode_uri_component(TEXT) RETURNS TEXT
    LANGUAGE SQL IMMUTABLE STRICT AS $$
    SELECT COALESCE(string_agg(
               CASE WHEN ch ~ '^[0-9A-Za-z_.!~*''()-]$' THEN ch
                    ELSE regexp_replace(encode(convert_to(ch, 'UTF8'), 'hex'), '(..)', E'%\\1', 'g')
               END,
               '' ORDER BY pos), '')
    FROM regexp_split_to_table($1, '') WITH ORDINALITY AS chars(ch, pos)
$$;

-- The DB schema version, major * 1000 + minor, where kcidb looks for it. Later migrations replace it.
CREATE OR REPLACE FUNCTION get_version() RETURNS INTEGER
    LANGUAGE SQL IMMUTABLE AS 'SELECT 5003';
