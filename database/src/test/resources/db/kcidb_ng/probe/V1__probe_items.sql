-- The tables of a test service in the state schema (StateSchemaIT).
CREATE TABLE probe_items (
    id TEXT PRIMARY KEY
);
