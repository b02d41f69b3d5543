-- Name keys compare byte by byte (prefix search with a range), whatever
-- the database's default collation.
ALTER TABLE person_name_keys ALTER COLUMN name_key TYPE TEXT COLLATE "C";
