-- The public guide: who offers what, where, when, in which languages, for
-- whom. The tables map onto Open Referral HSDS 3.0 objects (see
-- internal/guide/doc.go). Every row of a centre carries org_id; the
-- category taxonomy is shared reference data of the deployment.

CREATE TABLE guide_organizations (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES orgs (id),
  name        TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  website     TEXT NOT NULL DEFAULT '',
  email       TEXT NOT NULL DEFAULT '',
  created_at  @ts NOT NULL,
  updated_at  @ts NOT NULL
);
CREATE UNIQUE INDEX guide_organizations_org_name ON guide_organizations (org_id, name);

CREATE TABLE guide_locations (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL REFERENCES orgs (id),
  organization_id TEXT NOT NULL REFERENCES guide_organizations (id),
  name            TEXT NOT NULL,
  address         TEXT NOT NULL DEFAULT '',
  postal_code     TEXT NOT NULL DEFAULT '',
  city            TEXT NOT NULL DEFAULT '',
  -- 1..20 for Paris, 0 when unknown or outside Paris.
  arrondissement  INTEGER NOT NULL DEFAULT 0 CHECK (arrondissement BETWEEN 0 AND 20),
  latitude        DOUBLE PRECISION,
  longitude       DOUBLE PRECISION,
  -- Plain-language directions (metro, bus, door), translatable.
  directions      TEXT NOT NULL DEFAULT '',
  created_at      @ts NOT NULL,
  updated_at      @ts NOT NULL
);
CREATE INDEX guide_locations_org ON guide_locations (org_id, name);

CREATE TABLE guide_services (
  id                  TEXT PRIMARY KEY,
  org_id              TEXT NOT NULL REFERENCES orgs (id),
  organization_id     TEXT NOT NULL REFERENCES guide_organizations (id),
  status              TEXT NOT NULL CHECK (status IN ('draft', 'published')),
  name                TEXT NOT NULL,
  description         TEXT NOT NULL DEFAULT '',
  -- Who is welcome, in words (the flags below are the filters).
  eligibility         TEXT NOT NULL DEFAULT '',
  -- How to get access (walk in, call, appointment, referral), in words.
  application_process TEXT NOT NULL DEFAULT '',
  -- Documents to bring beyond the linked checklists.
  documents_note      TEXT NOT NULL DEFAULT '',
  url                 TEXT NOT NULL DEFAULT '',
  email               TEXT NOT NULL DEFAULT '',
  free                BOOLEAN NOT NULL DEFAULT FALSE,
  no_papers           BOOLEAN NOT NULL DEFAULT FALSE,
  welcome_men         BOOLEAN NOT NULL DEFAULT FALSE,
  welcome_women       BOOLEAN NOT NULL DEFAULT FALSE,
  welcome_families    BOOLEAN NOT NULL DEFAULT FALSE,
  welcome_minors      BOOLEAN NOT NULL DEFAULT FALSE,
  walk_in             BOOLEAN NOT NULL DEFAULT FALSE,
  appointment         BOOLEAN NOT NULL DEFAULT FALSE,
  referral            BOOLEAN NOT NULL DEFAULT FALSE,
  -- Freshness: when and by whom the information was last checked, and the
  -- checked_on for which the six-month reminder went out (once).
  checked_on          DATE NOT NULL,
  checked_by          TEXT NOT NULL DEFAULT '',
  checker_id          TEXT REFERENCES users (id),
  reminded_on         DATE,
  -- Normalised text of the service in every language (search).
  search_text         TEXT NOT NULL DEFAULT '',
  created_at          @ts NOT NULL,
  updated_at          @ts NOT NULL
);
CREATE INDEX guide_services_org ON guide_services (org_id, name);
CREATE INDEX guide_services_name ON guide_services (name, id);
CREATE INDEX guide_services_checked ON guide_services (org_id, checked_on);

CREATE TABLE guide_service_at_locations (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES orgs (id),
  service_id  TEXT NOT NULL REFERENCES guide_services (id),
  location_id TEXT NOT NULL REFERENCES guide_locations (id)
);
CREATE UNIQUE INDEX guide_sal_service_location ON guide_service_at_locations (service_id, location_id);
CREATE INDEX guide_sal_location ON guide_service_at_locations (location_id);

CREATE TABLE guide_phones (
  id         TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL REFERENCES orgs (id),
  service_id TEXT NOT NULL REFERENCES guide_services (id),
  number     TEXT NOT NULL,
  -- HSDS phone.type (RFC 6350): voice or text (SMS).
  kind       TEXT NOT NULL CHECK (kind IN ('voice', 'text')),
  created_at @ts NOT NULL
);
CREATE INDEX guide_phones_service ON guide_phones (service_id);

-- Languages spoken: on site (phone_id NULL) or on a phone line.
CREATE TABLE guide_languages (
  id         TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL REFERENCES orgs (id),
  service_id TEXT NOT NULL REFERENCES guide_services (id),
  phone_id   TEXT REFERENCES guide_phones (id) ON DELETE CASCADE,
  code       TEXT NOT NULL
);
CREATE INDEX guide_languages_service ON guide_languages (service_id, code);
CREATE INDEX guide_languages_code ON guide_languages (code, service_id);

-- Weekly opening slots. Regular when valid_from/valid_to are NULL;
-- seasonal otherwise: on a date inside a season, the season's slots replace
-- the regular week. Times are Paris wall-clock "HH:MM"; closes_at at or
-- before opens_at means the slot ends the next day.
CREATE TABLE guide_schedules (
  id         TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL REFERENCES orgs (id),
  service_id TEXT NOT NULL REFERENCES guide_services (id),
  weekday    INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  opens_at   TEXT NOT NULL,
  closes_at  TEXT NOT NULL,
  valid_from DATE,
  valid_to   DATE
);
CREATE INDEX guide_schedules_service ON guide_schedules (service_id);
CREATE INDEX guide_schedules_weekday ON guide_schedules (weekday, service_id);

-- Dated exceptions: a closure (closed) or special hours, shown first.
CREATE TABLE guide_exceptions (
  id         TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL REFERENCES orgs (id),
  service_id TEXT NOT NULL REFERENCES guide_services (id),
  starts_on  DATE NOT NULL,
  ends_on    DATE NOT NULL,
  closed     BOOLEAN NOT NULL,
  opens_at   TEXT NOT NULL DEFAULT '',
  closes_at  TEXT NOT NULL DEFAULT '',
  reason     TEXT NOT NULL DEFAULT '',
  created_at @ts NOT NULL
);
CREATE INDEX guide_exceptions_service ON guide_exceptions (service_id, ends_on);

-- The category taxonomy (HSDS taxonomy / taxonomy_term), shared by every
-- centre; labels in every language come from locales/guide.*.json.
CREATE TABLE guide_taxonomies (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT ''
);
CREATE TABLE guide_taxonomy_terms (
  id          TEXT PRIMARY KEY,
  taxonomy_id TEXT NOT NULL REFERENCES guide_taxonomies (id),
  code        TEXT NOT NULL,
  name        TEXT NOT NULL,
  position    INTEGER NOT NULL
);
CREATE UNIQUE INDEX guide_taxonomy_terms_code ON guide_taxonomy_terms (taxonomy_id, code);
INSERT INTO guide_taxonomies (id, name, description) VALUES
  ('0193a000-0000-7000-8000-000000000000', 'parcours-categories', 'Catégories du guide parcours');
INSERT INTO guide_taxonomy_terms (id, taxonomy_id, code, name, position) VALUES
  ('0193a000-0000-7000-8000-000000000001', '0193a000-0000-7000-8000-000000000000', 'domiciliation', 'Domiciliation', 1),
  ('0193a000-0000-7000-8000-000000000002', '0193a000-0000-7000-8000-000000000000', 'legal-aid', 'Aide juridique', 2),
  ('0193a000-0000-7000-8000-000000000003', '0193a000-0000-7000-8000-000000000000', 'asylum', 'Demande d''asile', 3),
  ('0193a000-0000-7000-8000-000000000004', '0193a000-0000-7000-8000-000000000000', 'health', 'Santé et assurance maladie', 4),
  ('0193a000-0000-7000-8000-000000000005', '0193a000-0000-7000-8000-000000000000', 'mental-health', 'Santé mentale et ethnopsychiatrie', 5),
  ('0193a000-0000-7000-8000-000000000006', '0193a000-0000-7000-8000-000000000000', 'french-courses', 'Cours de français', 6),
  ('0193a000-0000-7000-8000-000000000007', '0193a000-0000-7000-8000-000000000000', 'work-training', 'Emploi et formation', 7),
  ('0193a000-0000-7000-8000-000000000008', '0193a000-0000-7000-8000-000000000000', 'food', 'Alimentation', 8),
  ('0193a000-0000-7000-8000-000000000009', '0193a000-0000-7000-8000-000000000000', 'showers-hygiene', 'Douches et hygiène', 9),
  ('0193a000-0000-7000-8000-000000000010', '0193a000-0000-7000-8000-000000000000', 'shelter', 'Hébergement', 10),
  ('0193a000-0000-7000-8000-000000000011', '0193a000-0000-7000-8000-000000000000', 'phone-charging', 'Recharge de téléphone', 11),
  ('0193a000-0000-7000-8000-000000000012', '0193a000-0000-7000-8000-000000000000', 'wifi', 'WiFi', 12),
  ('0193a000-0000-7000-8000-000000000013', '0193a000-0000-7000-8000-000000000000', 'sport', 'Sport', 13),
  ('0193a000-0000-7000-8000-000000000014', '0193a000-0000-7000-8000-000000000000', 'culture', 'Culture', 14),
  ('0193a000-0000-7000-8000-000000000015', '0193a000-0000-7000-8000-000000000000', 'transport', 'Transports', 15),
  ('0193a000-0000-7000-8000-000000000016', '0193a000-0000-7000-8000-000000000000', 'children-families', 'Enfants et familles', 16),
  ('0193a000-0000-7000-8000-000000000017', '0193a000-0000-7000-8000-000000000000', 'women', 'Femmes', 17),
  ('0193a000-0000-7000-8000-000000000018', '0193a000-0000-7000-8000-000000000000', 'young-people', 'Jeunes et mineurs', 18);

-- A service's categories (HSDS attribute linking a service to a term).
CREATE TABLE guide_service_categories (
  id         TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL REFERENCES orgs (id),
  service_id TEXT NOT NULL REFERENCES guide_services (id),
  term_id    TEXT NOT NULL REFERENCES guide_taxonomy_terms (id)
);
CREATE UNIQUE INDEX guide_service_categories_uniq ON guide_service_categories (service_id, term_id);
CREATE INDEX guide_service_categories_term ON guide_service_categories (term_id, service_id);

-- Documents to bring: links to the "documents to bring" checklists.
CREATE TABLE guide_service_documents (
  id             TEXT PRIMARY KEY,
  org_id         TEXT NOT NULL REFERENCES orgs (id),
  service_id     TEXT NOT NULL REFERENCES guide_services (id),
  checklist_slug TEXT NOT NULL,
  position       INTEGER NOT NULL
);
CREATE UNIQUE INDEX guide_service_documents_uniq ON guide_service_documents (service_id, checklist_slug);

-- Translations of every text field (French, the source, stays in its
-- table). Missing = no row. A change of the French text sends the
-- translations of that field back to draft.
CREATE TABLE guide_translations (
  id            TEXT PRIMARY KEY,
  org_id        TEXT NOT NULL REFERENCES orgs (id),
  owner_type    TEXT NOT NULL CHECK (owner_type IN ('organization', 'location', 'service', 'exception')),
  owner_id      TEXT NOT NULL,
  field         TEXT NOT NULL,
  lang          TEXT NOT NULL,
  value         TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('draft', 'reviewed')),
  translated_by TEXT NOT NULL DEFAULT '',
  reviewed_by   TEXT NOT NULL DEFAULT '',
  reviewer_id   TEXT REFERENCES users (id),
  reviewed_at   @ts,
  updated_at    @ts NOT NULL
);
CREATE UNIQUE INDEX guide_translations_uniq ON guide_translations (owner_id, field, lang);
CREATE INDEX guide_translations_queue ON guide_translations (org_id, lang, status);
