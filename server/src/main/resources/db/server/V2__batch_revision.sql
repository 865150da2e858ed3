-- The last batch of a scan carries identifications and findings, which are derived data: the agent
-- may send them again, changed, as a newer revision (identify or findings run again on the scan).
-- The stored last batch keeps the revision it was stored at; a newer one replaces the scan's
-- identifications and findings, and its body's SHA-256 takes the old one's place. Every other
-- batch stays at revision 0 (observations are stored once).
ALTER TABLE ingested_batch ADD COLUMN revision integer NOT NULL DEFAULT 0 CHECK (revision >= 0);
