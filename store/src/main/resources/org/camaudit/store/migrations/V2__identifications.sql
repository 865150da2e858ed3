-- V2: identifications, derived from a scan's observations by the rule packs. Unlike observations they
-- are replaced when a scan is re-identified with newer rules (rules_version says which rules).
CREATE TABLE identifications (
    id             INTEGER PRIMARY KEY,
    scan_id        BIGINT  NOT NULL REFERENCES scans (id),
    device_key     TEXT    NOT NULL,
    address        TEXT    NOT NULL,
    mac            TEXT,
    brand          TEXT,
    platform       TEXT,
    model          TEXT,
    firmware       TEXT,
    type           TEXT,
    confidence     REAL    NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    oem_rebrand    INTEGER NOT NULL CHECK (oem_rebrand IN (0, 1)),
    evidence_json  TEXT    NOT NULL DEFAULT '[]',
    conflicts_json TEXT    NOT NULL DEFAULT '[]',
    rules_version  TEXT    NOT NULL,
    UNIQUE (scan_id, device_key)
);

CREATE INDEX identifications_scan ON identifications (scan_id, id);
