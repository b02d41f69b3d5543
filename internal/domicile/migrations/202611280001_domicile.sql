-- Domiciliation of people without a stable address (CASF L264-1 to L264-10,
-- D264-1 to D264-15): the file of a domiciled person, its decisions, the
-- interview, the mail register, the contact log, proxies and forwarding.
-- Dates are DATE columns holding the calendar day in Paris.

-- One row per centre: the domiciliation number counter (printed on the card)
-- and the retention period of the module's data.
CREATE TABLE dom_orgs (
  org_id           TEXT PRIMARY KEY REFERENCES orgs (id),
  last_number      INTEGER NOT NULL DEFAULT 0,
  retention_months INTEGER NOT NULL DEFAULT 24
);

-- A site that domiciles: what the CERFA and the letters print, and its SMS
-- and portal settings (the site's consent to SMS).
CREATE TABLE dom_sites (
  site_id        TEXT PRIMARY KEY REFERENCES sites (id),
  org_id         TEXT NOT NULL,
  organism       TEXT NOT NULL DEFAULT '',
  manager        TEXT NOT NULL DEFAULT '',
  prefecture     TEXT NOT NULL DEFAULT '',
  approval       TEXT NOT NULL DEFAULT '',
  mail_address   TEXT NOT NULL DEFAULT '',
  email          TEXT NOT NULL DEFAULT '',
  phone          TEXT NOT NULL DEFAULT '',
  attachment     TEXT NOT NULL DEFAULT '',
  hours          TEXT NOT NULL DEFAULT '',
  capacity       INTEGER NOT NULL DEFAULT 0,
  sms_enabled    BOOLEAN NOT NULL DEFAULT FALSE,
  sms_days       TEXT NOT NULL DEFAULT '2,4',
  sms_hour       INTEGER NOT NULL DEFAULT 19,
  portal_enabled BOOLEAN NOT NULL DEFAULT FALSE,
  updated_by     TEXT NOT NULL DEFAULT '',
  updated_at     @ts NOT NULL
);

-- The domiciliation file of a person: the current decision denormalised,
-- the last contact (D264-3), the pending mail counters.
CREATE TABLE dom_files (
  id               TEXT PRIMARY KEY,
  org_id           TEXT NOT NULL REFERENCES orgs (id),
  site_id          TEXT NOT NULL REFERENCES sites (id),
  -- NULL once the file is anonymised (retention).
  person_id        TEXT REFERENCES persons (id),
  number           INTEGER NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('instruction', 'awaiting', 'valid', 'refused', 'ended')),
  kind             TEXT NOT NULL CHECK (kind IN ('first', 'renewal')),
  civility         TEXT NOT NULL DEFAULT '',
  birth_place      TEXT NOT NULL DEFAULT '',
  email            TEXT NOT NULL DEFAULT '',
  restricted       BOOLEAN NOT NULL DEFAULT FALSE,
  requested_on     DATE NOT NULL,
  receipt_at       @ts,
  appointment_at   @ts,
  appointment_with TEXT NOT NULL DEFAULT '',
  start_on         DATE,
  end_on           DATE,
  cut_on           DATE,
  first_on         DATE,
  decided_on       DATE,
  last_contact_on  DATE NOT NULL,
  excuse           TEXT NOT NULL DEFAULT '',
  excuse_until     DATE,
  pending_letters  INTEGER NOT NULL DEFAULT 0,
  pending_registered INTEGER NOT NULL DEFAULT 0,
  pending_parcels  INTEGER NOT NULL DEFAULT 0,
  mail_sms_at      @ts,
  expiry_sms_for   DATE,
  portal           BOOLEAN NOT NULL DEFAULT FALSE,
  version          INTEGER NOT NULL DEFAULT 1,
  retention_noticed_at @ts,
  anonymised_at    @ts,
  created_by       TEXT NOT NULL DEFAULT '',
  created_at       @ts NOT NULL,
  updated_at       @ts NOT NULL
);
CREATE UNIQUE INDEX dom_files_number ON dom_files (org_id, number);
CREATE INDEX dom_files_person ON dom_files (org_id, person_id);
CREATE INDEX dom_files_contact ON dom_files (org_id, status, last_contact_on);
CREATE INDEX dom_files_end ON dom_files (org_id, status, end_on);
CREATE INDEX dom_files_requested ON dom_files (org_id, status, requested_on);
CREATE INDEX dom_files_site ON dom_files (org_id, site_id, status);

-- Household members covered by the election (ayants droit, CERFA).
CREATE TABLE dom_dependants (
  id         TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL,
  file_id    TEXT NOT NULL REFERENCES dom_files (id),
  given      TEXT NOT NULL DEFAULT '',
  family     TEXT NOT NULL DEFAULT '',
  birth_date DATE,
  link       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dom_dependants_file ON dom_dependants (file_id);

-- The interview of every first request and renewal (D264-2), in the
-- official categories.
CREATE TABLE dom_interviews (
  file_id         TEXT PRIMARY KEY REFERENCES dom_files (id),
  org_id          TEXT NOT NULL,
  held_on         DATE,
  held_by         TEXT NOT NULL DEFAULT '',
  elsewhere       BOOLEAN NOT NULL DEFAULT FALSE,
  referred        BOOLEAN NOT NULL DEFAULT FALSE,
  referred_by     TEXT NOT NULL DEFAULT '',
  income          BOOLEAN NOT NULL DEFAULT FALSE,
  income_kind     TEXT NOT NULL DEFAULT '',
  link            TEXT NOT NULL DEFAULT '',
  link_detail     TEXT NOT NULL DEFAULT '',
  household       TEXT NOT NULL DEFAULT '',
  residence       TEXT NOT NULL DEFAULT '',
  residence_detail TEXT NOT NULL DEFAULT '',
  cause           TEXT NOT NULL DEFAULT '',
  cause_detail    TEXT NOT NULL DEFAULT '',
  reason          TEXT NOT NULL DEFAULT '',
  reason_detail   TEXT NOT NULL DEFAULT '',
  support         BOOLEAN NOT NULL DEFAULT FALSE,
  support_by      TEXT NOT NULL DEFAULT '',
  work            TEXT NOT NULL DEFAULT '',
  work_detail     TEXT NOT NULL DEFAULT '',
  comments        TEXT NOT NULL DEFAULT '',
  updated_by      TEXT NOT NULL DEFAULT '',
  updated_at      @ts NOT NULL
);

-- Every decision, in order; the last one not undone is the file's state.
-- A valid decision carries its period; a radiation cuts it (cut_on).
CREATE TABLE dom_decisions (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL,
  site_id         TEXT NOT NULL,
  file_id         TEXT NOT NULL REFERENCES dom_files (id),
  seq             INTEGER NOT NULL,
  status          TEXT NOT NULL,
  kind            TEXT NOT NULL,
  decided_on      DATE NOT NULL,
  start_on        DATE,
  end_on          DATE,
  cut_on          DATE,
  reason          TEXT NOT NULL DEFAULT '',
  reason_detail   TEXT NOT NULL DEFAULT '',
  referral        TEXT NOT NULL DEFAULT '',
  referral_detail TEXT NOT NULL DEFAULT '',
  dependants      INTEGER NOT NULL DEFAULT 0,
  prev            TEXT NOT NULL DEFAULT '{}',
  decided_by      TEXT NOT NULL DEFAULT '',
  decided_at      @ts NOT NULL,
  undone_at       @ts,
  undone_by       TEXT NOT NULL DEFAULT '',
  undo_reason     TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX dom_decisions_seq ON dom_decisions (file_id, seq);
CREATE INDEX dom_decisions_period ON dom_decisions (org_id, decided_on, status);
CREATE INDEX dom_decisions_cover ON dom_decisions (org_id, status, end_on, start_on);

-- The mail register: one row per intake line (letters, registered-mail
-- notices, parcels), with what became of it, who and when.
CREATE TABLE dom_mail (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL,
  site_id     TEXT NOT NULL,
  file_id     TEXT NOT NULL REFERENCES dom_files (id),
  kind        TEXT NOT NULL CHECK (kind IN ('letter', 'registered', 'parcel')),
  quantity    INTEGER NOT NULL DEFAULT 1,
  sender      TEXT NOT NULL DEFAULT '',
  batch_id    TEXT NOT NULL DEFAULT '',
  received_at @ts NOT NULL,
  received_by TEXT NOT NULL DEFAULT '',
  status      TEXT NOT NULL CHECK (status IN ('pending', 'handed', 'proxy', 'returned', 'forwarded', 'npai')),
  out_at      @ts,
  out_by      TEXT NOT NULL DEFAULT '',
  out_to      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dom_mail_file ON dom_mail (file_id, status, kind);
CREATE INDEX dom_mail_site_day ON dom_mail (org_id, site_id, received_at);

-- Contacts with the person: visits, calls, handovers, portal sign-ins.
CREATE TABLE dom_contacts (
  id      TEXT PRIMARY KEY,
  org_id  TEXT NOT NULL,
  site_id TEXT NOT NULL,
  file_id TEXT NOT NULL REFERENCES dom_files (id),
  kind    TEXT NOT NULL,
  at      @ts NOT NULL,
  by_user TEXT NOT NULL DEFAULT '',
  note    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dom_contacts_file ON dom_contacts (file_id, at);

-- Proxies (procurations), at most five in force; ended rows stay (history).
CREATE TABLE dom_proxies (
  id         TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL,
  file_id    TEXT NOT NULL REFERENCES dom_files (id),
  given      TEXT NOT NULL,
  family     TEXT NOT NULL,
  birth_date DATE,
  starts_on  DATE NOT NULL,
  ends_on    DATE,
  created_by TEXT NOT NULL DEFAULT '',
  created_at @ts NOT NULL,
  ended_by   TEXT NOT NULL DEFAULT '',
  ended_at   @ts
);
CREATE INDEX dom_proxies_file ON dom_proxies (file_id);

-- Forwarding of the mail (transfert), one in force at a time; history kept.
CREATE TABLE dom_forwards (
  id         TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL,
  file_id    TEXT NOT NULL REFERENCES dom_files (id),
  name       TEXT NOT NULL,
  address    TEXT NOT NULL,
  starts_on  DATE NOT NULL,
  ends_on    DATE,
  created_by TEXT NOT NULL DEFAULT '',
  created_at @ts NOT NULL,
  ended_by   TEXT NOT NULL DEFAULT '',
  ended_at   @ts
);
CREATE INDEX dom_forwards_file ON dom_forwards (file_id);

-- Daily counters per site (mail in and out by kind, contacts): the live
-- counters and the annual report read these, not millions of mail rows.
CREATE TABLE dom_daily (
  org_id  TEXT NOT NULL,
  site_id TEXT NOT NULL,
  day     DATE NOT NULL,
  metric  TEXT NOT NULL,
  n       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, site_id, day, metric)
);

-- One row per site and SMS slot already scheduled (mail-arrived SMS go out
-- together at the hour the site chose).
CREATE TABLE dom_sms_slots (
  site_id TEXT NOT NULL,
  slot_at @ts NOT NULL,
  PRIMARY KEY (site_id, slot_at)
);

-- Sign-in codes of the person's portal (sent by SMS) and its sessions.
CREATE TABLE dom_portal_codes (
  id         TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL,
  file_id    TEXT NOT NULL DEFAULT '',
  code_hash  TEXT NOT NULL DEFAULT '',
  ip         TEXT NOT NULL DEFAULT '',
  attempts   INTEGER NOT NULL DEFAULT 0,
  created_at @ts NOT NULL,
  expires_at @ts NOT NULL,
  used_at    @ts
);
CREATE INDEX dom_portal_codes_file ON dom_portal_codes (file_id, created_at);
CREATE INDEX dom_portal_codes_ip ON dom_portal_codes (ip, created_at);

CREATE TABLE dom_portal_sessions (
  token_hash TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL,
  file_id    TEXT NOT NULL REFERENCES dom_files (id),
  created_at @ts NOT NULL,
  expires_at @ts NOT NULL
);
CREATE INDEX dom_portal_sessions_file ON dom_portal_sessions (file_id);

-- Uploaded import files between the preview and the confirmation.
CREATE TABLE dom_imports (
  id         TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL,
  site_id    TEXT NOT NULL,
  user_id    TEXT NOT NULL,
  filename   TEXT NOT NULL,
  data       @bytes NOT NULL,
  row_count  INTEGER NOT NULL DEFAULT 0,
  created_at @ts NOT NULL,
  done_at    @ts
);
