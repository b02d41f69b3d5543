-- The audit trail: append-only, hash-chained. Each entry carries the hash
-- of the previous one; audit_head holds the last sequence number and hash
-- (so removing the newest rows is detected too) and the anchor left by the
-- retention purge.
CREATE TABLE audit_log (
  seq         BIGINT PRIMARY KEY,
  at          @ts NOT NULL,
  org_id      TEXT NOT NULL DEFAULT '',
  actor_id    TEXT NOT NULL DEFAULT '',
  actor_label TEXT NOT NULL DEFAULT '',
  action      TEXT NOT NULL,
  object_type TEXT NOT NULL DEFAULT '',
  object_id   TEXT NOT NULL DEFAULT '',
  site_id     TEXT NOT NULL DEFAULT '',
  ip          TEXT NOT NULL DEFAULT '',
  request_id  TEXT NOT NULL DEFAULT '',
  details     TEXT NOT NULL DEFAULT '{}',
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
);
CREATE INDEX audit_org_seq ON audit_log (org_id, seq);
CREATE INDEX audit_org_actor ON audit_log (org_id, actor_id, seq);
CREATE INDEX audit_org_object ON audit_log (org_id, object_type, object_id, seq);
CREATE INDEX audit_at ON audit_log (at);

CREATE TABLE audit_head (
  id          INTEGER PRIMARY KEY,
  seq         BIGINT NOT NULL,
  hash        TEXT NOT NULL,
  first_seq   BIGINT NOT NULL,
  anchor_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash, first_seq, anchor_hash) VALUES (1, 0, 'genesis', 1, 'genesis');
