-- The members of a person's household, listed when the pathway needs them
-- (a child for family benefits, a spouse for housing): names, relation,
-- birth, and optionally the file of the member when the centre follows
-- them too. persons.household_size and dependants stay the declared
-- counters and are kept at least as large as the list (household.go).
CREATE TABLE person_household (
  id               TEXT PRIMARY KEY,
  org_id           TEXT NOT NULL,
  person_id        TEXT NOT NULL REFERENCES persons (id),
  given_name       TEXT NOT NULL DEFAULT '',
  family_name      TEXT NOT NULL DEFAULT '',
  relation         TEXT NOT NULL CHECK (relation IN ('spouse', 'child', 'parent', 'other')),
  birth_date       DATE,
  -- From birth_date, or alone when only the year is known.
  birth_year       INTEGER NOT NULL DEFAULT 0,
  -- The member's own file in the same centre, or ''.
  linked_person_id TEXT NOT NULL DEFAULT '',
  created_by       TEXT NOT NULL DEFAULT '',
  created_at       @ts NOT NULL,
  updated_at       @ts NOT NULL
);
CREATE INDEX person_household_person ON person_household (person_id, created_at);
CREATE INDEX person_household_linked ON person_household (linked_person_id);
