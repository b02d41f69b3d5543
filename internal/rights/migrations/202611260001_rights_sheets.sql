-- Status fact sheets, per centre. The law is national, but each centre
-- reviews and dates its own copy: a centre starts from the sheets embedded
-- in the binary (seeded the first time it has none) and edits them.
CREATE TABLE rights_sheets (
  id           TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL REFERENCES orgs (id),
  slug         TEXT NOT NULL,
  -- The status group the sheet belongs to (asylum, protection, ...), for
  -- the list filter.
  grp          TEXT NOT NULL,
  -- Current version: its number, title, date of application and count of
  -- "⚠ À confirmer" markers, copied here for the list.
  version      INTEGER NOT NULL,
  title        TEXT NOT NULL,
  applies_from DATE NOT NULL,
  unconfirmed  INTEGER NOT NULL DEFAULT 0,
  -- Last review (an edit is a review; "mark reviewed" is one without change).
  reviewed_on  DATE NOT NULL,
  reviewed_by  TEXT NOT NULL,
  reviewer_id  TEXT REFERENCES users (id),
  created_at   @ts NOT NULL,
  updated_at   @ts NOT NULL
);
CREATE UNIQUE INDEX rights_sheets_org_slug ON rights_sheets (org_id, slug);

-- Every version of a sheet, kept: the whole Markdown document (front matter
-- included, as the parser reads it) and what changed.
CREATE TABLE rights_sheet_versions (
  id           TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL REFERENCES orgs (id),
  sheet_id     TEXT NOT NULL REFERENCES rights_sheets (id),
  version      INTEGER NOT NULL,
  title        TEXT NOT NULL,
  source       TEXT NOT NULL,
  changes      TEXT NOT NULL,
  applies_from DATE NOT NULL,
  reviewed_on  DATE NOT NULL,
  reviewed_by  TEXT NOT NULL,
  -- NULL for the version seeded from the embedded sheet.
  author_id    TEXT REFERENCES users (id),
  created_at   @ts NOT NULL
);
CREATE UNIQUE INDEX rights_sheet_versions_sheet ON rights_sheet_versions (sheet_id, version);

-- Review reminders sent, one per sheet and month (Paris time, YYYY-MM), so
-- that the daily job never sends the same reminder twice.
CREATE TABLE rights_sheet_reminders (
  sheet_id TEXT NOT NULL REFERENCES rights_sheets (id),
  period   TEXT NOT NULL,
  org_id   TEXT NOT NULL REFERENCES orgs (id),
  sent_at  @ts NOT NULL,
  PRIMARY KEY (sheet_id, period)
);
