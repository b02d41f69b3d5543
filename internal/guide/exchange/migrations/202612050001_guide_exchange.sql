-- Data exchange of the guide (internal/guide/exchange): the files uploaded
-- for an import, kept between the preview and the confirmation, and the
-- link between a record of another source and the guide row it became, so
-- that importing the same file again updates rather than duplicates.

CREATE TABLE guide_exchange_imports (
  id         TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL REFERENCES orgs (id),
  user_id    TEXT NOT NULL REFERENCES users (id),
  -- The uploaded files, as JSON: [{"name": ..., "data": base64}].
  files      @bytes NOT NULL,
  row_count  INTEGER NOT NULL DEFAULT 0,
  created_at @ts NOT NULL,
  done_at    @ts
);
CREATE INDEX guide_exchange_imports_org ON guide_exchange_imports (org_id, created_at);

-- kind: structure (-> guide_organizations), place (-> guide_locations, the
-- address of a structure or of a service), service (-> guide_services).
CREATE TABLE guide_exchange_links (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES orgs (id),
  kind        TEXT NOT NULL CHECK (kind IN ('structure', 'place', 'service')),
  source      TEXT NOT NULL,
  external_id TEXT NOT NULL,
  local_id    TEXT NOT NULL,
  created_at  @ts NOT NULL,
  updated_at  @ts NOT NULL
);
CREATE UNIQUE INDEX guide_exchange_links_key ON guide_exchange_links (org_id, kind, source, external_id);
CREATE INDEX guide_exchange_links_local ON guide_exchange_links (local_id);
