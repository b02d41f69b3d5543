-- The duplicate check looks for names with a compatible year of birth:
-- the year is kept with each name key, so that the check reads only the
-- keys of those years (and of files without a year) instead of every file
-- with a common name.
ALTER TABLE person_name_keys ADD COLUMN birth_year INTEGER NOT NULL DEFAULT 0;
UPDATE person_name_keys SET birth_year = (SELECT p.birth_year FROM persons AS p WHERE p.id = person_name_keys.person_id);
DROP INDEX person_name_keys_org_key;
CREATE INDEX person_name_keys_org_key ON person_name_keys (org_id, name_key, birth_year, person_id);
