// Package guide is the public directory of services for people with a
// migration background: who offers what, where, when, in which languages
// and for whom; its public pages (home, search, service page), the staff
// pages to edit it and review its translations, and the freshness reminder.
// The glossary, checklists, audio, printable sheets, QR codes, waiting-room
// screen and offline mode live in internal/guide/glossary; the seed content
// in internal/guide/seed.
//
// # Model (migrations/202611270001_guide.sql)
//
// Every row of a centre carries org_id (the tenant, table orgs). Ids are
// UUIDv7 strings, as HSDS requires UUIDs. French is the source language: a
// text field's French value is a column of its table; its translations
// are rows of guide_translations.
//
//	table                        HSDS 3.0 object          notes
//	guide_organizations          organization             name, description, website (url), email
//	guide_locations              location + address       location_type physical; address_1, postal_code,
//	                                                      city; state_province = "Île-de-France",
//	                                                      country = "FR"; arrondissement (1..20, 0 unknown);
//	                                                      latitude/longitude; directions = transportation
//	guide_services               service                  status draft|published (published = HSDS "active";
//	                                                      draft is not exported); name, description,
//	                                                      eligibility = eligibility_description,
//	                                                      application_process, url, email;
//	                                                      checked_on = assured_date, checked_by = assurer
//	guide_service_at_locations   service_at_location      a service offered at a location
//	guide_phones                 phone                    number, kind = type (voice | text)
//	guide_languages              language                 code (BCP 47 / ISO 639); phone_id NULL = spoken
//	                                                      on site (service_id), else on that phone line
//	guide_schedules              schedule                 freq WEEKLY, byday = weekday, opens_at/closes_at
//	                                                      (Europe/Paris); valid_from/valid_to for seasons
//	guide_exceptions             schedule                 valid_from/valid_to = starts_on/ends_on; a closure
//	                                                      has no opens_at (description = reason)
//	guide_taxonomies             taxonomy                 one: "parcours-categories" (shared, no org_id)
//	guide_taxonomy_terms         taxonomy_term            the 18 categories; code = slug, pictogram
//	                                                      web/static/picto/cat-<code>.svg
//	guide_service_categories     attribute                link_type "service", taxonomy_term_id
//	guide_service_documents      required_document        document = checklist title, uri = checklist page
//	guide_translations           (profile extension)      per field and language: value, status
//	                                                      draft | reviewed, reviewer; missing = no row
//
// The flags free, no_papers, welcome_{men,women,families,minors} and
// walk_in, appointment, referral are the search filters; in HSDS they are
// attributes of two more taxonomies of ours (eligibility, access), and free
// is also a cost_option. documents_note is a required_document without uri.
//
// # Translations
//
// A translation is missing (no row), draft or reviewed. The public pages
// show reviewed translations only (machine or volunteer drafts of legal and
// asylum texts are not published unreviewed); otherwise they follow the
// language's fallback chain (i18n.Chain: Dari → Farsi → French, the others
// → French) and say so next to the text ("not yet translated: shown in
// French"). Editing the French text of a field sends its translations back
// to draft. Editors (auth.PermGuideEdit) write translations as drafts;
// translators (auth.PermTranslate) mark them reviewed.
//
// # Which centre the public pages show
//
// The public guide of a deployment lists the published services of every
// centre it hosts (a city-wide guide: each centre keeps its own listings and
// partners up to date). Services of a demo centre are marked "demo data, to
// verify" wherever they appear.
//
// # Hours
//
// For a date, the hours are, first found: the dated exception covering it
// (closure or special hours); the slots of a season covering it; the
// regular weekly slots. Open-now and "next opening" are computed on the
// Paris wall clock from the injected clock (hours.go); the OpenStreetMap
// opening_hours string is derived from the same rows (Hours.OSM).
//
// # Freshness
//
// A service not checked for six months gets one reminder e-mail to the
// centre's editors (FreshnessArgs, daily); after twelve months the public
// page flags it.
package guide
