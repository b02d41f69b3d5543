-- Shares gain a third kind: a volunteer's mission opens the fields it
-- names to one volunteer (user_id). SQLite cannot change a CHECK
-- constraint: the table is rebuilt (nothing references it).
CREATE TABLE person_shares_new (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL,
  person_id   TEXT NOT NULL REFERENCES persons (id),
  kind        TEXT NOT NULL CHECK (kind IN ('site', 'partner', 'volunteer')),
  site_id     TEXT NOT NULL DEFAULT '',
  partner_org TEXT NOT NULL DEFAULT '',
  -- The volunteer of a mission's share.
  user_id     TEXT NOT NULL DEFAULT '',
  fields      TEXT NOT NULL DEFAULT '',
  reason      TEXT NOT NULL,
  source      TEXT NOT NULL DEFAULT '',
  ends_on     DATE NOT NULL,
  ended_at    @ts,
  created_by  TEXT NOT NULL DEFAULT '',
  created_at  @ts NOT NULL
);
INSERT INTO person_shares_new (id, org_id, person_id, kind, site_id, partner_org, fields, reason, source, ends_on, ended_at, created_by, created_at)
  SELECT id, org_id, person_id, kind, site_id, partner_org, fields, reason, source, ends_on, ended_at, created_by, created_at FROM person_shares;
DROP TABLE person_shares;
ALTER TABLE person_shares_new RENAME TO person_shares;
CREATE INDEX person_shares_person ON person_shares (person_id, kind);
CREATE INDEX person_shares_site ON person_shares (org_id, site_id, ended_at);
CREATE INDEX person_shares_open ON person_shares (ended_at, ends_on);
CREATE INDEX person_shares_user ON person_shares (org_id, user_id, ended_at);
