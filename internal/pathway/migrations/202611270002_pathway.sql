-- A person's pathway: objectives and steps on six axes, applications for
-- rights with their dates, referrals to partners, the legal triage grid,
-- the three-way follow-up notes, and the worklist items of the staff.
CREATE TABLE pathway_objectives (
  id         TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL,
  person_id  TEXT NOT NULL REFERENCES persons (id),
  axis       TEXT NOT NULL CHECK (axis IN ('rights', 'health', 'housing', 'language', 'work', 'social')),
  title      TEXT NOT NULL,
  status     TEXT NOT NULL CHECK (status IN ('open', 'reached', 'abandoned')),
  created_by TEXT NOT NULL DEFAULT '',
  created_at @ts NOT NULL,
  closed_at  @ts
);
CREATE INDEX pathway_objectives_person ON pathway_objectives (person_id, status);

CREATE TABLE pathway_steps (
  id           TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL,
  person_id    TEXT NOT NULL REFERENCES persons (id),
  -- The person's site (worklists by site).
  site_id      TEXT NOT NULL,
  objective_id TEXT NOT NULL DEFAULT '',
  axis         TEXT NOT NULL CHECK (axis IN ('rights', 'health', 'housing', 'language', 'work', 'social')),
  title        TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'standby', 'done', 'abandoned')),
  -- Planned, in progress or on standby: the step still has to happen.
  open         BOOLEAN NOT NULL,
  due_on       DATE,
  owner_id     TEXT NOT NULL DEFAULT '',
  done_at      @ts,
  created_by   TEXT NOT NULL DEFAULT '',
  created_at   @ts NOT NULL,
  updated_at   @ts NOT NULL
);
CREATE INDEX pathway_steps_person ON pathway_steps (person_id, open, due_on);
CREATE INDEX pathway_steps_owner ON pathway_steps (org_id, owner_id, open, due_on);

CREATE TABLE pathway_applications (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL,
  person_id       TEXT NOT NULL REFERENCES persons (id),
  site_id         TEXT NOT NULL,
  -- rules.RightID, or residence_permit.
  right_id        TEXT NOT NULL,
  prepared_on     DATE,
  submitted_on    DATE,
  acknowledged_on DATE,
  decided_on      DATE,
  expires_on      DATE,
  outcome         TEXT NOT NULL CHECK (outcome IN ('pending', 'granted', 'refused', 'withdrawn')),
  note            TEXT NOT NULL DEFAULT '',
  owner_id        TEXT NOT NULL DEFAULT '',
  created_by      TEXT NOT NULL DEFAULT '',
  created_at      @ts NOT NULL,
  updated_at      @ts NOT NULL
);
CREATE INDEX pathway_applications_person ON pathway_applications (person_id, right_id);
CREATE INDEX pathway_applications_expiry ON pathway_applications (org_id, owner_id, outcome, expires_on);
CREATE INDEX pathway_applications_decided ON pathway_applications (org_id, decided_on);

CREATE TABLE pathway_referrals (
  id           TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL,
  person_id    TEXT NOT NULL REFERENCES persons (id),
  site_id      TEXT NOT NULL,
  service_id   TEXT NOT NULL,
  service_name TEXT NOT NULL,
  organisation TEXT NOT NULL,
  -- The partner organisation, folded (lower case, single spaces): users
  -- whose partner_org folds the same see the referral in their inbox.
  partner_key  TEXT NOT NULL,
  reason       TEXT NOT NULL,
  -- Fields of the file the partner sees (people.ShareFields).
  fields       TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('sent', 'accepted', 'refused', 'done', 'revoked')),
  -- Why the partner refused, or why the sender revoked.
  answer       TEXT NOT NULL DEFAULT '',
  -- What the partner reports back when done.
  outcome      TEXT NOT NULL DEFAULT '',
  -- The triage flag that proposed the referral, if any.
  flag         TEXT NOT NULL DEFAULT '',
  sent_by      TEXT NOT NULL,
  sent_at      @ts NOT NULL,
  answered_by  TEXT NOT NULL DEFAULT '',
  answered_at  @ts,
  closed_at    @ts,
  ends_on      DATE NOT NULL,
  reminded_at  @ts,
  updated_at   @ts NOT NULL
);
CREATE INDEX pathway_referrals_person ON pathway_referrals (person_id, sent_at);
CREATE INDEX pathway_referrals_partner ON pathway_referrals (org_id, partner_key, status, sent_at);
CREATE INDEX pathway_referrals_sender ON pathway_referrals (org_id, sent_by, status, sent_at);
CREATE INDEX pathway_referrals_sleeping ON pathway_referrals (status, reminded_at, sent_at);

-- Worklist items: a renewal to prepare, a partner's answer, a sleeping
-- referral. dedup keeps jobs that run twice from adding an item twice.
CREATE TABLE pathway_tasks (
  id         TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL,
  person_id  TEXT NOT NULL REFERENCES persons (id),
  user_id    TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('renewal', 'referral_answer', 'referral_sleeping')),
  ref_id     TEXT NOT NULL,
  msg_key    TEXT NOT NULL,
  args       TEXT NOT NULL DEFAULT '{}',
  due_on     DATE,
  dedup      TEXT NOT NULL,
  created_at @ts NOT NULL,
  done_at    @ts
);
CREATE UNIQUE INDEX pathway_tasks_dedup ON pathway_tasks (org_id, dedup);
CREATE INDEX pathway_tasks_user ON pathway_tasks (org_id, user_id, done_at, created_at);
CREATE INDEX pathway_tasks_person ON pathway_tasks (person_id);

-- The three-way follow-up (social worker, legal specialist, person): each
-- note has an audience, and may be shared with the person (export).
CREATE TABLE pathway_notes (
  id         TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL,
  person_id  TEXT NOT NULL REFERENCES persons (id),
  author_id  TEXT NOT NULL,
  audience   TEXT NOT NULL CHECK (audience IN ('team', 'social', 'legal')),
  for_person BOOLEAN NOT NULL DEFAULT FALSE,
  body       TEXT NOT NULL,
  created_at @ts NOT NULL
);
CREATE INDEX pathway_notes_person ON pathway_notes (person_id, created_at);

-- Legal triage grid answers and the flags they raised.
CREATE TABLE pathway_triage (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL,
  person_id   TEXT NOT NULL REFERENCES persons (id),
  answers     TEXT NOT NULL,
  flags       TEXT NOT NULL,
  assessed_by TEXT NOT NULL,
  assessed_at @ts NOT NULL
);
CREATE INDEX pathway_triage_person ON pathway_triage (person_id, assessed_at);
