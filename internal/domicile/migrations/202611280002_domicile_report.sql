-- Speed at the scale of Paris (docs/PERFORMANCE.md, "Domiciliation").
--
-- The activity report (D264-8) counts the people domiciled at a date by
-- their characteristics. Reading them from the files, persons and
-- interviews of every election in force took seconds Paris-wide (100,000
-- files): the latest grant of a file now carries them (profile.go keeps
-- them up to date), and the report reads dom_decisions alone.
ALTER TABLE dom_decisions ADD COLUMN civility TEXT NOT NULL DEFAULT '';
ALTER TABLE dom_decisions ADD COLUMN birth_date DATE;
ALTER TABLE dom_decisions ADD COLUMN birth_year INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dom_decisions ADD COLUMN household TEXT NOT NULL DEFAULT '';
ALTER TABLE dom_decisions ADD COLUMN cause TEXT NOT NULL DEFAULT '';
ALTER TABLE dom_decisions ADD COLUMN link TEXT NOT NULL DEFAULT '';
ALTER TABLE dom_decisions ADD COLUMN motive TEXT NOT NULL DEFAULT '';
ALTER TABLE dom_decisions ADD COLUMN residence TEXT NOT NULL DEFAULT '';
-- 'yes', 'no', or '' (no interview).
ALTER TABLE dom_decisions ADD COLUMN support TEXT NOT NULL DEFAULT '';
ALTER TABLE dom_decisions ADD COLUMN work TEXT NOT NULL DEFAULT '';

UPDATE dom_decisions SET
  civility = COALESCE((SELECT f.civility FROM dom_files AS f WHERE f.id = dom_decisions.file_id), ''),
  birth_date = (SELECT p.birth_date FROM dom_files AS f JOIN persons AS p ON p.id = f.person_id WHERE f.id = dom_decisions.file_id),
  birth_year = COALESCE((SELECT p.birth_year FROM dom_files AS f JOIN persons AS p ON p.id = f.person_id WHERE f.id = dom_decisions.file_id), 0),
  household = COALESCE((SELECT i.household FROM dom_interviews AS i WHERE i.file_id = dom_decisions.file_id), ''),
  cause = COALESCE((SELECT i.cause FROM dom_interviews AS i WHERE i.file_id = dom_decisions.file_id), ''),
  link = COALESCE((SELECT i.link FROM dom_interviews AS i WHERE i.file_id = dom_decisions.file_id), ''),
  motive = COALESCE((SELECT i.reason FROM dom_interviews AS i WHERE i.file_id = dom_decisions.file_id), ''),
  residence = COALESCE((SELECT i.residence FROM dom_interviews AS i WHERE i.file_id = dom_decisions.file_id), ''),
  support = COALESCE((SELECT CASE WHEN i.support THEN 'yes' ELSE 'no' END FROM dom_interviews AS i WHERE i.file_id = dom_decisions.file_id), ''),
  work = COALESCE((SELECT i.work FROM dom_interviews AS i WHERE i.file_id = dom_decisions.file_id), ''),
  dependants = (SELECT COUNT(*) FROM dom_dependants AS dd WHERE dd.file_id = dom_decisions.file_id)
WHERE status = 'valid';

-- The decisions of a period, counted from the index alone.
DROP INDEX dom_decisions_period;
CREATE INDEX dom_decisions_period ON dom_decisions (org_id, decided_on, status, undone_at, site_id, kind, reason, referral, dependants);

-- The "no contact for 3 months" worklist (D264-3) and the counters of the
-- elections in force read this index alone: every column they use is
-- there (it replaces dom_files_contact, its beginning).
DROP INDEX dom_files_contact;
CREATE INDEX dom_files_state ON dom_files (org_id, status, last_contact_on, site_id, start_on, end_on, cut_on, excuse, excuse_until,
  anonymised_at, pending_letters, pending_registered, pending_parcels, number, id);

-- The activity of a period for every site, from the index alone (the
-- primary key starts with the site).
CREATE INDEX dom_daily_day ON dom_daily (org_id, day, site_id, metric, n);
