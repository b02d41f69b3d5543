-- Audio of the glossary's words. The words themselves are content shipped
-- in the binary (internal/guide/seed); only their recordings live here, so
-- that every instance on one PostgreSQL plays the same ones. The guide is
-- public and shared by the centres of a deployment: a recording is not a
-- centre's row (org_id only says who uploaded it, for the audit).
-- source: 'tts' (espeak-ng, `parcours glossary audio`) or 'human' (uploaded
-- by staff); a human recording of a word in a language takes precedence.
CREATE TABLE glossary_audio (
  id          TEXT PRIMARY KEY,
  term        TEXT NOT NULL,
  lang        TEXT NOT NULL,
  source      TEXT NOT NULL CHECK (source IN ('tts', 'human')),
  format      TEXT NOT NULL CHECK (format IN ('opus', 'ogg', 'mp3', 'm4a', 'wav')),
  data        @bytes NOT NULL,
  size        INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL DEFAULT 0,
  sha256      TEXT NOT NULL,
  voice       TEXT NOT NULL DEFAULT '',
  org_id      TEXT NOT NULL DEFAULT '',
  created_by  TEXT NOT NULL DEFAULT '',
  created_at  @ts NOT NULL
);
CREATE UNIQUE INDEX glossary_audio_uniq ON glossary_audio (term, lang, source, format);
