-- Centres (tenants) and their sites. Every row that belongs to a centre
-- carries org_id, the tenancy and distribution key.
CREATE TABLE orgs (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('ccas', 'cias', 'association')),
  demo       BOOLEAN NOT NULL DEFAULT FALSE,
  created_at @ts NOT NULL,
  updated_at @ts NOT NULL
);

CREATE TABLE sites (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES orgs (id),
  name        TEXT NOT NULL,
  kind        TEXT NOT NULL,
  address     TEXT NOT NULL DEFAULT '',
  postal_code TEXT NOT NULL DEFAULT '',
  city        TEXT NOT NULL DEFAULT '',
  phone       TEXT NOT NULL DEFAULT '',
  email       TEXT NOT NULL DEFAULT '',
  -- A temporary site (winter-plan gymnasium) opens and closes on dates.
  opens_on    DATE,
  closes_on   DATE,
  archived_at @ts,
  created_at  @ts NOT NULL,
  updated_at  @ts NOT NULL
);
CREATE INDEX sites_org_name ON sites (org_id, name);
CREATE UNIQUE INDEX sites_org_name_uniq ON sites (org_id, name);
