-- Staff and volunteer accounts, their roles per site, sessions, sign-in
-- attempts (for throttling) and password reset tokens.
CREATE TABLE users (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL REFERENCES orgs (id),
  email           TEXT NOT NULL,
  name            TEXT NOT NULL,
  password_hash   TEXT NOT NULL DEFAULT '',
  totp_secret     TEXT NOT NULL DEFAULT '',
  totp_enabled_at @ts,
  totp_last_step  BIGINT NOT NULL DEFAULT 0,
  lang            TEXT NOT NULL DEFAULT 'fr',
  partner_org     TEXT NOT NULL DEFAULT '',
  demo            BOOLEAN NOT NULL DEFAULT FALSE,
  disabled_at     @ts,
  last_login_at   @ts,
  created_at      @ts NOT NULL,
  updated_at      @ts NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);
CREATE INDEX users_org_name ON users (org_id, name);

-- A role held in one site, or in every site of the centre when site_id is NULL.
CREATE TABLE memberships (
  id         TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL REFERENCES orgs (id),
  user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role       TEXT NOT NULL,
  site_id    TEXT REFERENCES sites (id),
  created_at @ts NOT NULL
);
CREATE UNIQUE INDEX memberships_uniq ON memberships (user_id, role, COALESCE(site_id, ''));
CREATE INDEX memberships_org_site ON memberships (org_id, site_id);

CREATE TABLE sessions (
  id           TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  org_id       TEXT NOT NULL,
  mfa_ok       BOOLEAN NOT NULL DEFAULT FALSE,
  created_at   @ts NOT NULL,
  last_seen_at @ts NOT NULL,
  expires_at   @ts NOT NULL,
  ip           TEXT NOT NULL DEFAULT '',
  user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE auth_attempts (
  id  @serial,
  key TEXT NOT NULL,
  at  @ts NOT NULL,
  ok  BOOLEAN NOT NULL
);
CREATE INDEX auth_attempts_key_at ON auth_attempts (key, at);

CREATE TABLE password_resets (
  id         TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at @ts NOT NULL,
  expires_at @ts NOT NULL,
  used_at    @ts
);
