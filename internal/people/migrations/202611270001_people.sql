-- The persons a centre accompanies: minimal identity, administrative status,
-- consents, who follows them, time-boxed sharing, and the timeline every
-- module appends to. No field for ethnicity or religion, by design.
CREATE TABLE persons (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL REFERENCES orgs (id),
  -- The site that opened the file (site scoping).
  site_id         TEXT NOT NULL REFERENCES sites (id),
  -- Names as the person writes them, and in Latin letters.
  given_name      TEXT NOT NULL DEFAULT '',
  family_name     TEXT NOT NULL DEFAULT '',
  given_latin     TEXT NOT NULL DEFAULT '',
  family_latin    TEXT NOT NULL DEFAULT '',
  -- Folded Latin name, for sorting lists.
  sort_name       TEXT NOT NULL DEFAULT '',
  birth_date      DATE,
  -- Year of birth: from birth_date, or approximate when only that is known.
  birth_year      INTEGER NOT NULL DEFAULT 0,
  birth_approx    BOOLEAN NOT NULL DEFAULT FALSE,
  phone           TEXT NOT NULL DEFAULT '',
  msg_lang        TEXT NOT NULL DEFAULT 'fr',
  languages       TEXT NOT NULL DEFAULT '',
  french_level    TEXT NOT NULL DEFAULT '',
  household_size  INTEGER NOT NULL DEFAULT 1,
  dependants      INTEGER NOT NULL DEFAULT 0,
  -- Administrative status (rules.StatusID) and the document held.
  status          TEXT NOT NULL DEFAULT '',
  status_document TEXT NOT NULL DEFAULT '',
  status_from     DATE,
  status_until    DATE,
  -- Sensitive notes, shown by role (see access.go).
  health_note     TEXT NOT NULL DEFAULT '',
  legal_note      TEXT NOT NULL DEFAULT '',
  referent_id     TEXT NOT NULL DEFAULT '',
  -- Last contact coming from the person: the retention clock.
  last_contact_at @ts NOT NULL,
  -- A duplicate merged into another file keeps its row (history).
  merged_into     TEXT NOT NULL DEFAULT '',
  anonymised_at   @ts,
  created_by      TEXT NOT NULL DEFAULT '',
  created_at      @ts NOT NULL,
  updated_at      @ts NOT NULL
);
CREATE INDEX persons_org_site ON persons (org_id, site_id, sort_name);
CREATE INDEX persons_org_referent ON persons (org_id, referent_id);
CREATE INDEX persons_org_phone ON persons (org_id, phone);
CREATE INDEX persons_org_birth ON persons (org_id, birth_year);
CREATE INDEX persons_org_contact ON persons (org_id, last_contact_at);

-- Search keys of the names (see names.go): one row per key.
CREATE TABLE person_name_keys (
  org_id    TEXT NOT NULL,
  name_key  TEXT NOT NULL,
  person_id TEXT NOT NULL REFERENCES persons (id),
  PRIMARY KEY (person_id, name_key)
);
CREATE INDEX person_name_keys_org_key ON person_name_keys (org_id, name_key, person_id);

-- Consent per purpose, with its date, expiry and withdrawal.
CREATE TABLE person_consents (
  id           TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL,
  person_id    TEXT NOT NULL REFERENCES persons (id),
  purpose      TEXT NOT NULL CHECK (purpose IN ('share_partner', 'sms', 'volunteer', 'statistics')),
  -- The named partner, for share_partner.
  partner      TEXT NOT NULL DEFAULT '',
  given_on     DATE NOT NULL,
  expires_on   DATE,
  withdrawn_at @ts,
  recorded_by  TEXT NOT NULL DEFAULT '',
  created_at   @ts NOT NULL
);
CREATE INDEX person_consents_person ON person_consents (person_id, purpose);

-- Sharing with another site or a partner: a reason, an end date; access
-- ends by itself (checked at read time, closed by the sweep).
CREATE TABLE person_shares (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL,
  person_id   TEXT NOT NULL REFERENCES persons (id),
  kind        TEXT NOT NULL CHECK (kind IN ('site', 'partner')),
  site_id     TEXT NOT NULL DEFAULT '',
  partner_org TEXT NOT NULL DEFAULT '',
  -- Fields a partner sees (comma-separated, see ShareFields).
  fields      TEXT NOT NULL DEFAULT '',
  reason      TEXT NOT NULL,
  -- What created the share ("referral:<id>"), empty for a manual share.
  source      TEXT NOT NULL DEFAULT '',
  ends_on     DATE NOT NULL,
  ended_at    @ts,
  created_by  TEXT NOT NULL DEFAULT '',
  created_at  @ts NOT NULL
);
CREATE INDEX person_shares_person ON person_shares (person_id, kind);
CREATE INDEX person_shares_site ON person_shares (org_id, site_id, ended_at);
CREATE INDEX person_shares_open ON person_shares (ended_at, ends_on);

-- The follow-up team (the referent is persons.referent_id).
CREATE TABLE person_team (
  org_id    TEXT NOT NULL,
  person_id TEXT NOT NULL REFERENCES persons (id),
  user_id   TEXT NOT NULL,
  added_by  TEXT NOT NULL DEFAULT '',
  added_at  @ts NOT NULL,
  PRIMARY KEY (person_id, user_id)
);
CREATE INDEX person_team_user ON person_team (org_id, user_id);

-- The timeline: what happened, from every module.
CREATE TABLE person_events (
  id         TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL,
  person_id  TEXT NOT NULL REFERENCES persons (id),
  kind       TEXT NOT NULL,
  at         @ts NOT NULL,
  msg_key    TEXT NOT NULL,
  args       TEXT NOT NULL DEFAULT '{}',
  link       TEXT NOT NULL DEFAULT '',
  -- '' for everyone who may open the file, else health or legal.
  audience   TEXT NOT NULL DEFAULT '',
  actor_id   TEXT NOT NULL DEFAULT '',
  created_at @ts NOT NULL
);
CREATE INDEX person_events_person ON person_events (person_id, at);

-- Files announced for anonymisation (the dry run of the retention job).
CREATE TABLE person_retention (
  person_id   TEXT PRIMARY KEY REFERENCES persons (id),
  org_id      TEXT NOT NULL,
  noticed_at  @ts NOT NULL,
  last_contact_at @ts NOT NULL
);
CREATE INDEX person_retention_org ON person_retention (org_id, noticed_at);
