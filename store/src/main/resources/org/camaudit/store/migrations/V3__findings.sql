-- V3: findings, derived from a scan's identifications and observations by the evaluation packs.
-- Like identifications they are replaced when a scan is evaluated again.
CREATE TABLE findings (
    id            INTEGER PRIMARY KEY,
    scan_id       BIGINT  NOT NULL REFERENCES scans (id),
    finding_id    TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    severity      TEXT    NOT NULL,
    device_key    TEXT    NOT NULL,
    address       TEXT    NOT NULL,
    title         TEXT    NOT NULL,
    evidence_json TEXT    NOT NULL DEFAULT '[]',
    citation      TEXT,
    remediation   TEXT    NOT NULL,
    details_json  TEXT    NOT NULL DEFAULT '{}',
    UNIQUE (scan_id, device_key, finding_id)
);

CREATE INDEX findings_scan ON findings (scan_id, id);
