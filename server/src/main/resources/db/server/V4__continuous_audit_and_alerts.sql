-- Continuous audit: a schedule per site that its agent runs, and alerts on what is new after each
-- stored scan, delivered through an outbox (one row per alert and channel) that survives restarts.

-- What a site's agent scans, and how often. The agent checks every target against the ranges its
-- own operator allowed (agent run --within) before it sends anything.
CREATE TABLE site_schedule (
    site_id bigint PRIMARY KEY REFERENCES site (id),
    every_seconds bigint NOT NULL CHECK (every_seconds BETWEEN 1 AND 2678400),
    targets jsonb NOT NULL CHECK (jsonb_typeof(targets) = 'array' AND jsonb_array_length(targets) > 0),
    excludes jsonb NOT NULL CHECK (jsonb_typeof(excludes) = 'array'),
    ports jsonb CHECK (ports IS NULL OR jsonb_typeof(ports) = 'array'),
    authorized_by text NOT NULL CHECK (length(authorized_by) BETWEEN 1 AND 500),
    updated timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL
);

-- Where alerts go. A webhook's secret signs each body (HMAC-SHA256); it is needed to sign, so it
-- is kept as given and never shown by the API.
CREATE TABLE alert_channel (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('webhook', 'syslog')),
    target text NOT NULL CHECK (length(target) BETWEEN 1 AND 2000),
    secret text,
    created timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL,
    removed timestamptz,
    CHECK (kind <> 'webhook' OR secret IS NOT NULL)
);

-- One fact worth telling once: the dedup key names the fact (rule, site, device, finding), so a
-- fact seen again in a later scan, or a scan evaluated twice, adds nothing.
CREATE TABLE alert (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dedup_key text NOT NULL UNIQUE,
    site_id bigint NOT NULL REFERENCES site (id),
    scan_id bigint NOT NULL,
    rule text NOT NULL CHECK (rule IN ('new-covered-device', 'new-critical-finding',
        'new-vendor-cloud')),
    severity text NOT NULL,
    device_key text NOT NULL,
    address text NOT NULL,
    title text NOT NULL,
    detail jsonb NOT NULL,
    created timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (site_id, scan_id) REFERENCES scan (site_id, id)
);

-- The outbox: each alert to each channel that existed when it was raised, until delivered or given up.
CREATE TABLE alert_delivery (
    alert_id bigint NOT NULL REFERENCES alert (id),
    channel_id bigint NOT NULL REFERENCES alert_channel (id),
    state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt timestamptz NOT NULL DEFAULT now(),
    last_error text,
    delivered timestamptz,
    PRIMARY KEY (alert_id, channel_id)
);
CREATE INDEX alert_delivery_due ON alert_delivery (next_attempt) WHERE state = 'pending';

-- Every delivery attempt and its outcome.
CREATE TABLE alert_attempt (
    alert_id bigint NOT NULL,
    channel_id bigint NOT NULL,
    attempt integer NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    outcome text NOT NULL CHECK (outcome IN ('delivered', 'failed')),
    detail text NOT NULL,
    PRIMARY KEY (alert_id, channel_id, attempt),
    FOREIGN KEY (alert_id, channel_id) REFERENCES alert_delivery (alert_id, channel_id)
);

-- Which complete scans were looked at for alerts. A scan stored while the server was down, or
-- stored just before a crash, is found here missing and looked at on the next start.
CREATE TABLE alert_evaluation (
    site_id bigint NOT NULL,
    scan_id bigint NOT NULL,
    evaluated timestamptz NOT NULL DEFAULT now(),
    alerts integer NOT NULL,
    PRIMARY KEY (site_id, scan_id),
    FOREIGN KEY (site_id, scan_id) REFERENCES scan (site_id, id)
);
-- The scans stored before alerts existed are history, not news.
INSERT INTO alert_evaluation (site_id, scan_id, alerts)
    SELECT site_id, id, 0 FROM scan WHERE complete;
