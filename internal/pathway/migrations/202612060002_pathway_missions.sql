-- Volunteer missions: a social worker or site manager gives a volunteer of
-- the file's site a mission for the person (what, when); the volunteer
-- sees only the fields it names (a volunteer share of the file, which
-- needs the person's consent to a volunteer's accompaniment) until ends_on,
-- and reports when it is done.
CREATE TABLE pathway_missions (
  id           TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL,
  person_id    TEXT NOT NULL REFERENCES persons (id),
  site_id      TEXT NOT NULL,
  volunteer_id TEXT NOT NULL,
  title        TEXT NOT NULL,
  on_date      DATE NOT NULL,
  -- "15:30", or '' for the whole day.
  at_time      TEXT NOT NULL DEFAULT '',
  -- Fields of the file the volunteer sees (people.VolunteerShareFields).
  fields       TEXT NOT NULL,
  ends_on      DATE NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('assigned', 'done', 'cancelled')),
  -- What the volunteer reports when the mission is done.
  report       TEXT NOT NULL DEFAULT '',
  created_by   TEXT NOT NULL,
  created_at   @ts NOT NULL,
  done_at      @ts,
  closed_at    @ts,
  updated_at   @ts NOT NULL
);
CREATE INDEX pathway_missions_person ON pathway_missions (person_id, on_date);
CREATE INDEX pathway_missions_volunteer ON pathway_missions (org_id, volunteer_id, status, on_date);
