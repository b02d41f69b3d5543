-- Shares gain a third kind: a volunteer's mission opens the fields it
-- names to one volunteer (user_id).
ALTER TABLE person_shares DROP CONSTRAINT IF EXISTS person_shares_kind_check;
ALTER TABLE person_shares ADD CONSTRAINT person_shares_kind_check CHECK (kind IN ('site', 'partner', 'volunteer'));
ALTER TABLE person_shares ADD COLUMN user_id TEXT NOT NULL DEFAULT '';
CREATE INDEX person_shares_user ON person_shares (org_id, user_id, ended_at);
