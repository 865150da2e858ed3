-- V4: what a running scan has finished, so that one killed at any moment can be resumed.
--   * scans.owner names the lock file its process holds while the scan runs (data dir,
--     running/<owner>.lock); a 'running' scan whose lock nobody holds was killed, and the next
--     open of the log marks it 'interrupted'.
--   * scan_checkpoints.state_json says which units of work are done (written in the same
--     transaction as their observations, so a unit is either stored and marked or neither).
ALTER TABLE scans ADD COLUMN owner TEXT;

CREATE TABLE scan_checkpoints (
    scan_id    BIGINT PRIMARY KEY REFERENCES scans (id),
    state_json TEXT   NOT NULL,
    updated    TEXT   NOT NULL
);
