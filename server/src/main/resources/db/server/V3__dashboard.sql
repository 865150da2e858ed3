-- The dashboard's sessions and people's reviews of findings.

-- A browser's session: the cookie holds a random id, the store only its SHA-256. A session is
-- tied to the API token its user logged in with, so revoking the token ends the session.
CREATE TABLE web_session (
    id_hash bytea PRIMARY KEY CHECK (octet_length(id_hash) = 32),
    token_hash bytea NOT NULL REFERENCES api_token (token_hash),
    csrf text NOT NULL CHECK (length(csrf) >= 32),
    created timestamptz NOT NULL DEFAULT now(),
    expires timestamptz NOT NULL
);
CREATE INDEX web_session_expires ON web_session (expires);

-- What a person decided about a finding. Keyed by the device and the finding's id, not by the
-- scan: the same finding in a later scan of the same device shows the decision. Every change
-- is also written to the audit log (who, when, what) in the same transaction.
CREATE TABLE finding_review (
    site_id bigint NOT NULL REFERENCES site (id),
    device_key text NOT NULL,
    finding_id text NOT NULL,
    state text NOT NULL CHECK (state IN ('acknowledged', 'risk-accepted', 'replaced')),
    until date,
    reason text CHECK (length(reason) <= 500),
    actor text NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, device_key, finding_id),
    CHECK (state <> 'risk-accepted' OR (until IS NOT NULL AND reason IS NOT NULL))
);

-- The dashboard lists devices by their latest scan and their findings by device.
CREATE INDEX device_last_scan ON device (site_id, last_scan_id);
CREATE INDEX finding_device ON finding (site_id, device_key, scan_id);
