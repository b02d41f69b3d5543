-- Worklist items gain a kind: a volunteer reported on a mission.
ALTER TABLE pathway_tasks DROP CONSTRAINT IF EXISTS pathway_tasks_kind_check;
ALTER TABLE pathway_tasks ADD CONSTRAINT pathway_tasks_kind_check
  CHECK (kind IN ('renewal', 'referral_answer', 'referral_sleeping', 'mission_done'));
