-- Worklist items gain a kind: a volunteer reported on a mission. SQLite
-- cannot change a CHECK constraint: the table is rebuilt (nothing
-- references it).
CREATE TABLE pathway_tasks_new (
  id         TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL,
  person_id  TEXT NOT NULL REFERENCES persons (id),
  user_id    TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('renewal', 'referral_answer', 'referral_sleeping', 'mission_done')),
  ref_id     TEXT NOT NULL,
  msg_key    TEXT NOT NULL,
  args       TEXT NOT NULL DEFAULT '{}',
  due_on     DATE,
  dedup      TEXT NOT NULL,
  created_at @ts NOT NULL,
  done_at    @ts
);
INSERT INTO pathway_tasks_new SELECT id, org_id, person_id, user_id, kind, ref_id, msg_key, args, due_on, dedup, created_at, done_at FROM pathway_tasks;
DROP TABLE pathway_tasks;
ALTER TABLE pathway_tasks_new RENAME TO pathway_tasks;
CREATE UNIQUE INDEX pathway_tasks_dedup ON pathway_tasks (org_id, dedup);
CREATE INDEX pathway_tasks_user ON pathway_tasks (org_id, user_id, done_at, created_at);
CREATE INDEX pathway_tasks_person ON pathway_tasks (person_id);
