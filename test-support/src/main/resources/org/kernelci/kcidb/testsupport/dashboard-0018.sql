-- A database as the KernelCI dashboard's migrations kernelCI_app 0001-0018 leave it, with Django's contrib apps
-- migrated: written from spec/dashboard.md sections 1.2-1.4 and 2.2-2.3 (shapes, constraint and index names,
-- django_migrations rows), for the tests of taking such a database over. Django's own contrib tables are reduced to
-- the two that migrate needs (django_content_type, auth_permission).

CREATE TABLE checkouts (_timestamp timestamptz, id text PRIMARY KEY, origin text NOT NULL, tree_name text,
  git_repository_url text, git_commit_hash text, git_commit_name text, git_repository_branch text, patchset_files jsonb,
  patchset_hash text, message_id text, comment text, start_time timestamptz, log_url text, log_excerpt varchar(16384),
  valid boolean, misc jsonb, git_commit_message text, git_repository_branch_tip boolean, git_commit_tags text[],
  origin_builds_finish_time timestamptz, origin_tests_finish_time timestamptz);
CREATE TABLE builds (_timestamp timestamptz, id text PRIMARY KEY, origin text NOT NULL, comment text,
  start_time timestamptz, duration double precision, architecture text, command text, compiler text, input_files jsonb,
  output_files jsonb, config_name text, config_url text, log_url text, log_excerpt varchar(16384), misc jsonb,
  status varchar(10), checkout_id text NOT NULL,
  series text GENERATED ALWAYS AS (md5((COALESCE(config_name, '') || COALESCE((COALESCE(compiler, '')
         || COALESCE(architecture, '')), '')))) STORED);
CREATE TABLE tests (_timestamp timestamptz, id text PRIMARY KEY, origin text NOT NULL, environment_comment text,
  environment_misc jsonb, path text, comment text, log_url text, log_excerpt varchar(16384), status varchar(10),
  start_time timestamptz, duration double precision, output_files jsonb, misc jsonb, number_value double precision,
  environment_compatible text[], number_prefix varchar(10), number_unit text, input_files jsonb, build_id text NOT NULL);
CREATE TABLE issues (_timestamp timestamptz, id text PRIMARY KEY, version integer NOT NULL, origin text NOT NULL,
  report_url text, report_subject text, culprit_code boolean, culprit_tool boolean, culprit_harness boolean,
  comment text, misc jsonb, categories text[], CONSTRAINT issues_id_version_a2d04e12_uniq UNIQUE (id, version));
CREATE TABLE incidents (_timestamp timestamptz, id text PRIMARY KEY, origin text NOT NULL, issue_version integer NOT NULL,
  present boolean, comment text, misc jsonb, build_id text, issue_id text NOT NULL, test_id text);

-- Indexes Django generated in 0001 (their names do not matter).
CREATE INDEX checkouts_id_0952242d_like ON checkouts (id text_pattern_ops);
CREATE INDEX builds_checkout_id_e340e47e ON builds (checkout_id);
CREATE INDEX builds_checkout_id_e340e47e_like ON builds (checkout_id text_pattern_ops);
CREATE INDEX builds_id_1a7220a9_like ON builds (id text_pattern_ops);
CREATE INDEX tests_build_id_551a24f9 ON tests (build_id);
CREATE INDEX tests_build_id_551a24f9_like ON tests (build_id text_pattern_ops);
CREATE INDEX tests_id_17be4c77_like ON tests (id text_pattern_ops);
CREATE INDEX issues_id_84053640_like ON issues (id text_pattern_ops);
CREATE INDEX incidents_build_id_b4c2a4d1 ON incidents (build_id);
CREATE INDEX incidents_build_id_b4c2a4d1_like ON incidents (build_id text_pattern_ops);
CREATE INDEX incidents_issue_id_0b5c1b0e ON incidents (issue_id);
CREATE INDEX incidents_issue_id_0b5c1b0e_like ON incidents (issue_id text_pattern_ops);
CREATE INDEX incidents_test_id_3a4e3c8f ON incidents (test_id);
CREATE INDEX incidents_test_id_3a4e3c8f_like ON incidents (test_id text_pattern_ops);
CREATE INDEX incidents_id_3157cef8_like ON incidents (id text_pattern_ops);

-- The named indexes of 0003-0009.
CREATE INDEX builds_series_idx ON builds (series);
CREATE INDEX issues__timestamp ON issues (_timestamp);
CREATE INDEX issues_categories ON issues USING GIN (categories);
CREATE INDEX issues_culprit_code ON issues (culprit_code);
CREATE INDEX issues_culprit_harness ON issues (culprit_harness);
CREATE INDEX issues_culprit_tool ON issues (culprit_tool);
CREATE INDEX issues_origin ON issues (origin);
CREATE INDEX checkouts__timestamp ON checkouts (_timestamp);
CREATE INDEX checkouts_commit_hash ON checkouts (git_commit_hash);
CREATE INDEX checkouts_commit_name ON checkouts (git_commit_name);
CREATE INDEX checkouts_commit_tags ON checkouts USING GIN (git_commit_tags);
CREATE INDEX checkouts_git_branch ON checkouts (git_repository_branch);
CREATE INDEX checkouts_git_url ON checkouts (git_repository_url);
CREATE INDEX checkouts_origin ON checkouts (origin);
CREATE INDEX checkouts_start_time ON checkouts (start_time);
CREATE INDEX checkouts_tree_name ON checkouts (tree_name);
CREATE INDEX builds__timestamp ON builds (_timestamp);
CREATE INDEX builds_architecture ON builds (architecture);
CREATE INDEX builds_compiler ON builds (compiler);
CREATE INDEX builds_config_name ON builds (config_name);
CREATE INDEX builds_origin ON builds (origin);
CREATE INDEX builds_start_time ON builds (start_time);
CREATE INDEX builds_status ON builds (status);
CREATE INDEX tests__timestamp ON tests (_timestamp);
CREATE INDEX tests_environment_compatible ON tests USING GIN (environment_compatible);
CREATE INDEX tests_origin ON tests (origin);
CREATE INDEX tests_path ON tests (path);
CREATE INDEX tests_platform_idx ON tests ((environment_misc ->> 'platform'));
CREATE INDEX tests_start_time ON tests (start_time);
CREATE INDEX tests_status ON tests (status);
CREATE INDEX incidents__timestamp ON incidents (_timestamp);
CREATE INDEX incidents_issue_version ON incidents (issue_version);
CREATE INDEX incidents_origin ON incidents (origin);
CREATE INDEX tests_origin_time_platform ON tests (origin, start_time) WHERE (environment_misc ->> 'platform') IS NOT NULL;

-- Derived tables and queues (0010-0017).
CREATE TABLE latest_checkout (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, checkout_id text NOT NULL,
  start_time timestamptz NOT NULL, origin varchar(100) NOT NULL, tree_name text, git_repository_url text,
  git_repository_branch text,
  CONSTRAINT latest_checkout_unique UNIQUE NULLS NOT DISTINCT (origin, tree_name, git_repository_url, git_repository_branch));
CREATE INDEX latest_checkout_checkout_id ON latest_checkout (checkout_id);
CREATE TABLE tree_listing (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, checkout_id text NOT NULL,
  origin text NOT NULL, tree_name text, git_repository_url text, git_repository_branch text, git_commit_hash text,
  git_commit_name text, git_commit_tags text[], start_time timestamptz,
  build_pass int NOT NULL, build_failed int NOT NULL, build_inc int NOT NULL, boot_pass int NOT NULL,
  boot_failed int NOT NULL, boot_inc int NOT NULL, test_pass int NOT NULL, test_failed int NOT NULL, test_inc int NOT NULL,
  CONSTRAINT tree_listing_tree_unique UNIQUE NULLS NOT DISTINCT
    (origin, tree_name, git_repository_url, git_repository_branch, git_commit_hash));
CREATE INDEX tree_listing_start_time ON tree_listing (start_time);
CREATE INDEX tree_listing_checkout_id ON tree_listing (checkout_id);
CREATE TABLE hardware_status (checkout_id text NOT NULL, test_origin varchar(100) NOT NULL, platform varchar(100) NOT NULL,
  compatibles text[], start_time timestamptz NOT NULL, build_pass int NOT NULL, build_failed int NOT NULL,
  build_inc int NOT NULL, boot_pass int NOT NULL, boot_failed int NOT NULL, boot_inc int NOT NULL, test_pass int NOT NULL,
  test_failed int NOT NULL, test_inc int NOT NULL, PRIMARY KEY (test_origin, platform, checkout_id));
CREATE INDEX hw_status_origin_time ON hardware_status (test_origin, start_time);
CREATE INDEX hw_status_checkout_id ON hardware_status (checkout_id);
CREATE TABLE pending_test (test_id text PRIMARY KEY, origin varchar(100) NOT NULL, platform varchar(100),
  compatible text[], build_id text NOT NULL, status varchar(1), is_boot boolean NOT NULL, full_status varchar(10),
  lab text, path text, start_time timestamptz);
CREATE INDEX pending_test_test_id_3ac2a31a_like ON pending_test (test_id text_pattern_ops);
CREATE TABLE pending_builds (build_id text PRIMARY KEY, origin varchar(100) NOT NULL, checkout_id text NOT NULL,
  status varchar(1));
CREATE INDEX pending_builds_build_id_c75fe935_like ON pending_builds (build_id text_pattern_ops);
CREATE TABLE processed_listing_items (listing_item_key bytea NOT NULL, checkout_id text NOT NULL, status varchar(1),
  CONSTRAINT processed_hardware_status_pkey PRIMARY KEY (listing_item_key));
CREATE INDEX phs_checkout_id ON processed_listing_items (checkout_id);
CREATE TABLE tree_tests_rollup (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, origin text NOT NULL,
  tree_name text, git_repository_branch text, git_repository_url text, git_commit_hash text, path_group text NOT NULL,
  build_config_name text NOT NULL, build_architecture text NOT NULL, build_compiler text NOT NULL,
  hardware_key text NOT NULL, test_platform text, test_lab text, test_origin text, issue_id text, issue_version int,
  issue_uncategorized boolean NOT NULL, is_boot boolean NOT NULL, pass_tests int NOT NULL, fail_tests int NOT NULL,
  skip_tests int NOT NULL, error_tests int NOT NULL, miss_tests int NOT NULL, done_tests int NOT NULL,
  null_tests int NOT NULL, total_tests int NOT NULL,
  CONSTRAINT tree_tests_rollup_unique UNIQUE NULLS NOT DISTINCT (origin, tree_name, git_repository_branch,
    git_repository_url, git_commit_hash, path_group, build_config_name, build_architecture, build_compiler,
    hardware_key, test_platform, test_lab, test_origin, issue_id, issue_version, issue_uncategorized));
CREATE INDEX tree_tests_rollup_scope ON tree_tests_rollup
  (origin, tree_name, git_repository_branch, git_repository_url, git_commit_hash);
CREATE INDEX tree_tests_rollup_group_total ON tree_tests_rollup (path_group, total_tests);

-- The hardware registry (0018).
CREATE TABLE hardware_registry_platform_vendors (id text PRIMARY KEY, type varchar(64) NOT NULL, url text, details text);
CREATE TABLE hardware_registry_silicon_vendors (id text PRIMARY KEY, type varchar(64) NOT NULL, url text, details text);
CREATE TABLE hardware_registry_processors (id text PRIMARY KEY, type varchar(64) NOT NULL, url text, details text,
  architecture text, cores int, max_clock_speed_mhz int,
  vendor_id text NOT NULL REFERENCES hardware_registry_silicon_vendors (id) DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE hardware_registry_system_modules (id text PRIMARY KEY, type varchar(64) NOT NULL, url text, details text,
  form_factor text,
  processor_id text NOT NULL REFERENCES hardware_registry_processors (id) DEFERRABLE INITIALLY DEFERRED,
  vendor_id text NOT NULL REFERENCES hardware_registry_platform_vendors (id) DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE hardware_registry_platforms (id text PRIMARY KEY, type varchar(64) NOT NULL, url text, details text,
  form_factor text,
  vendor_id text NOT NULL REFERENCES hardware_registry_platform_vendors (id) DEFERRABLE INITIALLY DEFERRED,
  processor_id text NOT NULL REFERENCES hardware_registry_processors (id) DEFERRABLE INITIALLY DEFERRED,
  system_module_id text REFERENCES hardware_registry_system_modules (id) DEFERRABLE INITIALLY DEFERRED);

-- Django's bookkeeping (2.2, 2.3).
CREATE TABLE django_migrations (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, app varchar(255) NOT NULL,
  name varchar(255) NOT NULL, applied timestamptz NOT NULL);
CREATE TABLE django_content_type (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  app_label varchar(100) NOT NULL, model varchar(100) NOT NULL,
  CONSTRAINT django_content_type_app_label_model_76bd3d3b_uniq UNIQUE (app_label, model));
CREATE TABLE auth_permission (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name varchar(255) NOT NULL,
  content_type_id integer NOT NULL REFERENCES django_content_type (id) DEFERRABLE INITIALLY DEFERRED,
  codename varchar(100) NOT NULL,
  CONSTRAINT auth_permission_content_type_id_codename_01ab375a_uniq UNIQUE (content_type_id, codename));
INSERT INTO django_migrations (app, name, applied)
SELECT app, name, '2026-08-20T12:00:00Z' FROM (VALUES
  ('contenttypes', '0001_initial'), ('contenttypes', '0002_remove_content_type_name'),
  ('auth', '0001_initial'), ('auth', '0002_alter_permission_name_max_length'), ('auth', '0003_alter_user_email_max_length'),
  ('auth', '0004_alter_user_username_opts'), ('auth', '0005_alter_user_last_login_null'),
  ('auth', '0006_require_contenttypes_0002'), ('auth', '0007_alter_validators_add_error_messages'),
  ('auth', '0008_alter_user_username_max_length'), ('auth', '0009_alter_user_last_name_max_length'),
  ('auth', '0010_alter_group_name_max_length'), ('auth', '0011_update_proxy_permissions'),
  ('auth', '0012_alter_user_first_name_max_length'),
  ('admin', '0001_initial'), ('admin', '0002_logentry_remove_auto_add'), ('admin', '0003_logentry_add_action_flag_choices'),
  ('sessions', '0001_initial'),
  ('kernelCI_app', '0001_initial'), ('kernelCI_app', '0002_remove_fk_constraint'), ('kernelCI_app', '0003_add_build_series_field'),
  ('kernelCI_app', '0004_add_issues_indexes'), ('kernelCI_app', '0005_add_checkouts_indexes'),
  ('kernelCI_app', '0006_add_builds_indexes'), ('kernelCI_app', '0007_add_tests_indexes'),
  ('kernelCI_app', '0008_add_incidents_indexes'), ('kernelCI_app', '0009_add_test_origin_start_time_platform_index'),
  ('kernelCI_app', '0010_add_hardware_denormalization_models'), ('kernelCI_app', '0011_modify_latest_checkout_primary_key'),
  ('kernelCI_app', '0012_rename_processedhardwarestatus'), ('kernelCI_app', '0013_pendingbuilds_treelisting'),
  ('kernelCI_app', '0014_add_processed_and_pending_status'), ('kernelCI_app', '0015_alter_pendingtest_platform'),
  ('kernelCI_app', '0016_alter_treelisting_unique_constraint'), ('kernelCI_app', '0017_add_tree_tests_rollup_table'),
  ('kernelCI_app', '0018_hardwareregistryplatformvendor_and_more'),
  ('kernelCI_cache', '0001_initial'), ('kernelCI_cache', '0002_drop_old_table'), ('kernelCI_cache', '0003_recreate_model'),
  ('kernelCI_cache', '0004_rename_count_fields'), ('kernelCI_cache', '0005_checkoutscache_origin_finish_time'),
  ('kernelCI_cache', '0006_drop_table_for_refresh'), ('kernelCI_cache', '0007_refresh_table'),
  ('kernelCI_cache', '0008_notificationscheckout'),
  ('kernelCI_cache', '0009_rename_notification_id_to_notification_message_id'),
  ('kernelCI_cache', '0010_notificationsissue'), ('kernelCI_cache', '0011_copy_data_from_cache_if_exists'),
  ('kernelCI_cache', '0012_add_checkout_report_identification_fields'), ('kernelCI_cache', '0013_delete_checkoutscache')
) AS m(app, name);
INSERT INTO django_content_type (app_label, model) VALUES ('kernelCI_app', 'checkouts'), ('kernelCI_app', 'builds');
INSERT INTO auth_permission (name, content_type_id, codename) VALUES ('Can view checkouts', 1, 'view_checkouts');
