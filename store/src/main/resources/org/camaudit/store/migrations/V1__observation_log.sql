-- V1: the observation log. Scans, and the append-only observations each scan gathered.
--
-- Written for SQLite, kept close to what PostgreSQL accepts so a server variant needs few edits:
--   * ids are "INTEGER PRIMARY KEY" (SQLite's 64-bit rowid); PostgreSQL: BIGINT GENERATED ALWAYS AS IDENTITY.
--   * times are TEXT, ISO-8601 UTC with a fixed nine-digit fraction ("2026-11-22T12:00:00.000000000Z"),
--     so text order is time order; PostgreSQL: TIMESTAMPTZ.
--   * fields_json is TEXT holding a JSON object of strings; PostgreSQL: JSONB.
--   * the append-only triggers use RAISE(ABORT); PostgreSQL: a plpgsql trigger that RAISEs EXCEPTION.

CREATE TABLE scans (
    id                INTEGER PRIMARY KEY,
    kind              TEXT    NOT NULL,
    started           TEXT    NOT NULL,
    finished          TEXT,
    authorized_by     TEXT    NOT NULL,
    scope_json        TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    addresses_probed  BIGINT  NOT NULL DEFAULT 0,
    hosts_up          BIGINT  NOT NULL DEFAULT 0,
    open_ports        BIGINT  NOT NULL DEFAULT 0,
    observation_count BIGINT  NOT NULL DEFAULT 0,
    duration_millis   BIGINT  NOT NULL DEFAULT 0
);

CREATE INDEX scans_started ON scans (started);

CREATE TABLE observations (
    id          INTEGER PRIMARY KEY,
    scan_id     BIGINT  NOT NULL REFERENCES scans (id),
    time        TEXT    NOT NULL,
    source      TEXT    NOT NULL CHECK (source IN ('active', 'passive', 'import')),
    address     TEXT    NOT NULL,
    mac         TEXT,
    port        INTEGER NOT NULL CHECK (port BETWEEN 0 AND 65535),
    transport   TEXT    NOT NULL CHECK (transport IN ('tcp', 'udp', 'none')),
    protocol    TEXT    NOT NULL,
    fields_json TEXT    NOT NULL DEFAULT '{}',
    raw         TEXT    NOT NULL DEFAULT ''
);

CREATE INDEX observations_scan ON observations (scan_id, id);
CREATE INDEX observations_address ON observations (address);

-- Evidence is never rewritten: the database refuses it even if a bug in the code tries.
CREATE TRIGGER observations_no_update BEFORE UPDATE ON observations
BEGIN
    SELECT RAISE(ABORT, 'observations are append-only: UPDATE refused');
END;

CREATE TRIGGER observations_no_delete BEFORE DELETE ON observations
BEGIN
    SELECT RAISE(ABORT, 'observations are append-only: DELETE refused');
END;

-- A scan that has evidence keeps it: foreign keys are per connection in SQLite, this is not.
CREATE TRIGGER scans_no_delete_with_observations BEFORE DELETE ON scans
WHEN EXISTS (SELECT 1 FROM observations WHERE scan_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'observations are append-only: a scan with observations cannot be deleted');
END;
