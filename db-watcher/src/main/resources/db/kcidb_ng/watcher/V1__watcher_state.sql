-- The db-watcher's state, in the pipeline's own schema (never among the KCIDB tables).

-- Where each kind's scan starts: every failed object stored at or after scan_from that is not in watcher_emitted is
-- still to be published. It trails the last scan by an overlap, so that a row whose _timestamp (its transaction's
-- start) is older than the scan but committed after it is still found; watcher_emitted keeps the overlap from
-- publishing anything twice.
CREATE TABLE kcidb_ng.watcher_cursor (
    kind TEXT PRIMARY KEY CHECK (kind IN ('build', 'test')),
    scan_from TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);

-- One row per published object (the failure event's key): a restart, a rescan of the overlap or a second instance
-- finds it here and publishes nothing again.
CREATE TABLE kcidb_ng.watcher_emitted (
    kind TEXT NOT NULL CHECK (kind IN ('build', 'test')),
    id TEXT NOT NULL,
    origin TEXT NOT NULL,
    status TEXT,
    log_url TEXT NOT NULL,
    object_timestamp TIMESTAMP WITH TIME ZONE,
    emitted_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, id)
);

CREATE INDEX watcher_emitted_emitted_at ON kcidb_ng.watcher_emitted (emitted_at);
