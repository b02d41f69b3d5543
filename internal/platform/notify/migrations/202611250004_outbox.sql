-- Every e-mail and SMS goes through the outbox: written in the same
-- transaction as the change that causes it, sent by a job, readable by
-- administrators. In demo mode messages stay here ("held").
CREATE TABLE outbox (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL DEFAULT '',
  channel     TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
  recipient   TEXT NOT NULL,
  lang        TEXT NOT NULL,
  purpose     TEXT NOT NULL DEFAULT '',
  subject     TEXT NOT NULL DEFAULT '',
  body        TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'held')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT NOT NULL DEFAULT '',
  provider_id TEXT NOT NULL DEFAULT '',
  created_at  @ts NOT NULL,
  sent_at     @ts
);
CREATE INDEX outbox_org_created ON outbox (org_id, created_at);
CREATE INDEX outbox_status ON outbox (status, created_at);
