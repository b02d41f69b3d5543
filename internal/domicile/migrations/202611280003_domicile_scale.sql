-- Speed at the scale of Paris, measured (docs/PERFORMANCE.md,
-- "Domiciliation"): 100,000 files and 20 million mail rows.
--
-- The annual report's people covered at the end date (D264-8) read the
-- grants in force from dom_decisions_cover (org_id, status, end_on,
-- start_on), then every grant's row for its profile: one row per page,
-- the rows of decisions being scattered among the mail register's pages
-- (they are written as files are): 0.65 to 0.7 s on SQLite for 37,000
-- grants in force, against 0.16 to 0.3 s from the index alone. The
-- index now holds every column the report reads, so the report reads the
-- index alone (on PostgreSQL, an index-only scan). Its beginning is the
-- old index's, which it replaces. The profile's values are short codes of
-- the official vocabularies (interview.go), so its entries stay small.
DROP INDEX dom_decisions_cover;
CREATE INDEX dom_decisions_cover ON dom_decisions (org_id, status, end_on, start_on, undone_at, cut_on, site_id, file_id, seq,
  kind, dependants, civility, birth_date, birth_year, household, cause, link, motive, residence, support, work);

-- The "no contact for 3 months" worklist (D264-3) read dom_files_state
-- from the elections in force by status, then sorted every silent one of
-- the user's sites to show the first page (thousands Paris-wide). This
-- partial index holds only the files that may be in force, in the list's
-- order (last contact, number), with the columns the list filters on: a
-- page is the first entries of the index that pass the filters. Its
-- condition is the one inForce writes (worklists.go); the columns of the
-- condition are in the index too, or SQLite would read each file's row to
-- check it again.
CREATE INDEX dom_files_silent ON dom_files (org_id, last_contact_on, number, site_id, start_on, end_on, excuse, excuse_until, id,
  status, cut_on, anonymised_at)
  WHERE status IN ('valid', 'instruction', 'awaiting') AND cut_on IS NULL AND anonymised_at IS NULL;
