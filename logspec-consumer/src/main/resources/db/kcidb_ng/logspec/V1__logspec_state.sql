-- The logspec consumer's state, in the pipeline's own schema (never among the KCIDB tables).

-- One row per analysed build or test: redelivered events and restarts find it and neither analyse nor submit again.
-- state: analysed (document built, not yet accepted by the gateway), submitted (accepted, being followed),
-- processed (in the database), no_issues (nothing to submit), rejected (the gateway or the ingester refused the
-- document for good), unreachable (the log could not be fetched), unreadable (the log could not be decoded or the
-- parser fails on it as the reference does), empty_log.
CREATE TABLE kcidb_ng.logspec_analyses (
    kind TEXT NOT NULL CHECK (kind IN ('build', 'test')),
    id TEXT NOT NULL,
    origin TEXT NOT NULL,
    path TEXT,
    log_url TEXT,
    parser TEXT,
    state TEXT NOT NULL,
    reason TEXT,
    status_override TEXT,
    issues INTEGER NOT NULL DEFAULT 0,
    incidents INTEGER NOT NULL DEFAULT 0,
    -- The KCIDB document, kept until it is processed, so that a restart resubmits it rather than analysing again.
    document TEXT,
    submission_id TEXT,
    submissions INTEGER NOT NULL DEFAULT 0,
    parse_millis BIGINT,
    analysed_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, id)
);

CREATE INDEX logspec_analyses_state ON kcidb_ng.logspec_analyses (state);

-- Logs that can never be fetched, with the reason: never fetched again (delete the row to retry one).
CREATE TABLE kcidb_ng.logspec_unreachable_logs (
    log_url TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    detail TEXT,
    attempts INTEGER NOT NULL,
    first_seen TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    last_seen TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);
