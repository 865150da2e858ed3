-- The central store of camaudit server. A site is part of every key: two sites may reuse the same
-- private ranges, so a device is (site, device key), a scan is (site, scan), a batch is
-- (site, scan, batch seq). Observations and the audit log are append-only (triggers below).

CREATE TABLE site (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$'),
    created timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE app_user (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
    role text NOT NULL CHECK (role IN ('viewer', 'auditor', 'admin')),
    created timestamptz NOT NULL DEFAULT now()
);

-- API tokens of users: only the SHA-256 of the token is kept.
CREATE TABLE api_token (
    token_hash bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    user_id bigint NOT NULL REFERENCES app_user (id),
    created timestamptz NOT NULL DEFAULT now(),
    revoked timestamptz
);

CREATE TABLE agent (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id bigint NOT NULL REFERENCES site (id),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
    credential_hash bytea NOT NULL UNIQUE CHECK (octet_length(credential_hash) = 32),
    enrolled timestamptz NOT NULL DEFAULT now(),
    last_seen timestamptz,
    revoked timestamptz
);

-- One-time enrolment tokens: used once, then never again.
CREATE TABLE enrolment_token (
    token_hash bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    site_id bigint NOT NULL REFERENCES site (id),
    created timestamptz NOT NULL DEFAULT now(),
    expires timestamptz NOT NULL,
    used timestamptz,
    agent_id bigint REFERENCES agent (id)
);

CREATE TABLE scan (
    site_id bigint NOT NULL REFERENCES site (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    agent_id bigint NOT NULL REFERENCES agent (id),
    agent_scan bigint NOT NULL,
    kind text NOT NULL,
    authorized_by text NOT NULL,
    scope text NOT NULL,
    status text NOT NULL,
    started timestamptz NOT NULL,
    finished timestamptz,
    addresses_probed bigint NOT NULL DEFAULT 0,
    hosts_up bigint NOT NULL DEFAULT 0,
    open_ports bigint NOT NULL DEFAULT 0,
    observations bigint NOT NULL DEFAULT 0,
    millis bigint NOT NULL DEFAULT 0,
    complete boolean NOT NULL DEFAULT false,
    received timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, id),
    UNIQUE (id),
    UNIQUE (site_id, agent_id, agent_scan)
);

-- The idempotency keys of stored batches: a resent batch finds its key here and is stored once.
CREATE TABLE ingested_batch (
    site_id bigint NOT NULL,
    scan_id bigint NOT NULL,
    seq integer NOT NULL CHECK (seq >= 0),
    body_sha256 bytea NOT NULL,
    observations integer NOT NULL,
    received timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, scan_id, seq),
    FOREIGN KEY (site_id, scan_id) REFERENCES scan (site_id, id)
);

CREATE TABLE observation (
    site_id bigint NOT NULL,
    scan_id bigint NOT NULL,
    batch_seq integer NOT NULL,
    ordinal integer NOT NULL,
    time timestamptz NOT NULL,
    source text NOT NULL,
    address text NOT NULL,
    mac text,
    port integer NOT NULL CHECK (port BETWEEN 0 AND 65535),
    transport text NOT NULL,
    protocol text NOT NULL,
    fields jsonb NOT NULL,
    raw text NOT NULL,
    PRIMARY KEY (site_id, scan_id, batch_seq, ordinal),
    FOREIGN KEY (site_id, scan_id, batch_seq) REFERENCES ingested_batch (site_id, scan_id, seq)
);
CREATE INDEX observation_address ON observation (site_id, address);

CREATE TABLE device (
    site_id bigint NOT NULL REFERENCES site (id),
    device_key text NOT NULL,
    address text NOT NULL,
    mac text,
    first_seen timestamptz NOT NULL,
    last_seen timestamptz NOT NULL,
    last_scan_id bigint NOT NULL,
    PRIMARY KEY (site_id, device_key),
    FOREIGN KEY (site_id, last_scan_id) REFERENCES scan (site_id, id)
);

CREATE TABLE identification (
    site_id bigint NOT NULL,
    scan_id bigint NOT NULL,
    device_key text NOT NULL,
    ordinal integer NOT NULL,
    address text NOT NULL,
    mac text,
    brand text,
    platform text,
    model text,
    firmware text,
    type text,
    confidence double precision NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    oem_rebrand boolean NOT NULL,
    evidence jsonb NOT NULL,
    conflicts jsonb NOT NULL,
    PRIMARY KEY (site_id, scan_id, device_key),
    FOREIGN KEY (site_id, scan_id) REFERENCES scan (site_id, id),
    FOREIGN KEY (site_id, device_key) REFERENCES device (site_id, device_key)
);

CREATE TABLE finding (
    site_id bigint NOT NULL,
    scan_id bigint NOT NULL,
    device_key text NOT NULL,
    finding_id text NOT NULL,
    ordinal integer NOT NULL,
    kind text NOT NULL,
    severity text NOT NULL,
    address text NOT NULL,
    title text NOT NULL,
    evidence jsonb NOT NULL,
    citation text,
    remediation text NOT NULL,
    details jsonb NOT NULL,
    PRIMARY KEY (site_id, scan_id, device_key, finding_id),
    FOREIGN KEY (site_id, scan_id) REFERENCES scan (site_id, id)
);
CREATE INDEX finding_severity ON finding (site_id, severity);

-- Every change, by whom, from where.
CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    actor text NOT NULL,
    action text NOT NULL,
    site_id bigint REFERENCES site (id),
    source text NOT NULL,
    detail jsonb NOT NULL
);

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$;
CREATE TRIGGER observation_append_only BEFORE UPDATE OR DELETE ON observation
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
