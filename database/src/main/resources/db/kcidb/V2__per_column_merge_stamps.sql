-- kcidb-ng's merge rule needs, per row and per column, the provenance of the value standing in that column
-- (design.md, "Idempotent and order-tolerant loading"): a NULL never erases a value, and between two non-NULL values
-- the one from the submission the gateway received later wins, whatever order the consumers process them in.
--
-- One BIGINT per non-key column, _stamp_<column>: the stamp of the submission whose value stands there, or NULL when
-- the column is NULL or the value predates kcidb-ng (a row kcidb loaded before adoption: any stamped value wins over
-- it). A stamp is the gateway's receive time in microseconds since the epoch times 1024, plus a 10-bit hash of the
-- submission id as a tie-breaker (org.kernelci.kcidb.ingest.Stamp); equal stamps from different submissions are
-- resolved by comparing the values themselves, so the merge is a maximum over a total order: the result is the same
-- in any processing order and under any duplication.
--
-- Extra columns only: every existing column keeps its meaning, so kcidb, kcidb-query and the dashboard, which name
-- the columns they read, are unaffected. ADD COLUMN without a default rewrites nothing, so this is instant on a large
-- database. get_version() stays 5003: the KCIDB schema is unchanged.

ALTER TABLE checkouts
    ADD COLUMN _stamp_origin BIGINT,
    ADD COLUMN _stamp_tree_name BIGINT,
    ADD COLUMN _stamp_git_repository_url BIGINT,
    ADD COLUMN _stamp_git_commit_hash BIGINT,
    ADD COLUMN _stamp_git_commit_name BIGINT,
    ADD COLUMN _stamp_git_repository_branch BIGINT,
    ADD COLUMN _stamp_patchset_files BIGINT,
    ADD COLUMN _stamp_patchset_hash BIGINT,
    ADD COLUMN _stamp_message_id BIGINT,
    ADD COLUMN _stamp_comment BIGINT,
    ADD COLUMN _stamp_start_time BIGINT,
    ADD COLUMN _stamp_log_url BIGINT,
    ADD COLUMN _stamp_log_excerpt BIGINT,
    ADD COLUMN _stamp_valid BIGINT,
    ADD COLUMN _stamp_misc BIGINT,
    ADD COLUMN _stamp_git_commit_tags BIGINT,
    ADD COLUMN _stamp_git_commit_message BIGINT,
    ADD COLUMN _stamp_git_repository_branch_tip BIGINT,
    ADD COLUMN _stamp_origin_builds_finish_time BIGINT,
    ADD COLUMN _stamp_origin_tests_finish_time BIGINT;

ALTER TABLE builds
    ADD COLUMN _stamp_checkout_id BIGINT,
    ADD COLUMN _stamp_origin BIGINT,
    ADD COLUMN _stamp_comment BIGINT,
    ADD COLUMN _stamp_start_time BIGINT,
    ADD COLUMN _stamp_duration BIGINT,
    ADD COLUMN _stamp_architecture BIGINT,
    ADD COLUMN _stamp_command BIGINT,
    ADD COLUMN _stamp_compiler BIGINT,
    ADD COLUMN _stamp_input_files BIGINT,
    ADD COLUMN _stamp_output_files BIGINT,
    ADD COLUMN _stamp_config_name BIGINT,
    ADD COLUMN _stamp_config_url BIGINT,
    ADD COLUMN _stamp_log_url BIGINT,
    ADD COLUMN _stamp_log_excerpt BIGINT,
    ADD COLUMN _stamp_misc BIGINT,
    ADD COLUMN _stamp_status BIGINT;

ALTER TABLE tests
    ADD COLUMN _stamp_build_id BIGINT,
    ADD COLUMN _stamp_origin BIGINT,
    ADD COLUMN _stamp_environment_comment BIGINT,
    ADD COLUMN _stamp_environment_misc BIGINT,
    ADD COLUMN _stamp_path BIGINT,
    ADD COLUMN _stamp_comment BIGINT,
    ADD COLUMN _stamp_log_url BIGINT,
    ADD COLUMN _stamp_log_excerpt BIGINT,
    ADD COLUMN _stamp_status BIGINT,
    ADD COLUMN _stamp_start_time BIGINT,
    ADD COLUMN _stamp_duration BIGINT,
    ADD COLUMN _stamp_output_files BIGINT,
    ADD COLUMN _stamp_misc BIGINT,
    ADD COLUMN _stamp_environment_compatible BIGINT,
    ADD COLUMN _stamp_number_value BIGINT,
    ADD COLUMN _stamp_number_unit BIGINT,
    ADD COLUMN _stamp_number_prefix BIGINT,
    ADD COLUMN _stamp_input_files BIGINT;

ALTER TABLE issues
    ADD COLUMN _stamp_origin BIGINT,
    ADD COLUMN _stamp_report_url BIGINT,
    ADD COLUMN _stamp_report_subject BIGINT,
    ADD COLUMN _stamp_culprit_code BIGINT,
    ADD COLUMN _stamp_culprit_tool BIGINT,
    ADD COLUMN _stamp_culprit_harness BIGINT,
    ADD COLUMN _stamp_comment BIGINT,
    ADD COLUMN _stamp_misc BIGINT,
    ADD COLUMN _stamp_categories BIGINT;

ALTER TABLE incidents
    ADD COLUMN _stamp_origin BIGINT,
    ADD COLUMN _stamp_issue_id BIGINT,
    ADD COLUMN _stamp_issue_version BIGINT,
    ADD COLUMN _stamp_build_id BIGINT,
    ADD COLUMN _stamp_test_id BIGINT,
    ADD COLUMN _stamp_present BIGINT,
    ADD COLUMN _stamp_comment BIGINT,
    ADD COLUMN _stamp_misc BIGINT;

COMMENT ON TABLE checkouts IS 'KCIDB checkouts (DB schema 5.3). _stamp_<column>: provenance of the standing value, kcidb-ng merge rule (receive time in microseconds * 1024 + submission id hash).';
COMMENT ON TABLE builds IS 'KCIDB builds (DB schema 5.3). _stamp_<column>: provenance of the standing value, kcidb-ng merge rule (receive time in microseconds * 1024 + submission id hash).';
COMMENT ON TABLE tests IS 'KCIDB tests (DB schema 5.3). _stamp_<column>: provenance of the standing value, kcidb-ng merge rule (receive time in microseconds * 1024 + submission id hash).';
COMMENT ON TABLE issues IS 'KCIDB issues (DB schema 5.3). _stamp_<column>: provenance of the standing value, kcidb-ng merge rule (receive time in microseconds * 1024 + submission id hash).';
COMMENT ON TABLE incidents IS 'KCIDB incidents (DB schema 5.3). _stamp_<column>: provenance of the standing value, kcidb-ng merge rule (receive time in microseconds * 1024 + submission id hash).';
