// Package exchange opens the guide to other systems (docs/exchange.md).
//
// # HSDS 3.0 API (hsds*.go)
//
// A read-only Open Referral HSDS 3.0 API under /hsds/ (root routes, JSON):
// the published services of every centre, their organisations, places,
// hours, phones, languages and categories, paged as the HSDS OpenAPI says
// (total_items, total_pages, page_number, size, first_page, last_page,
// empty, contents). Texts are in the language asked (?lang= or
// Accept-Language) under the public pages' rules: reviewed translations
// only, along the language's fallback chain. What HSDS cannot say (the
// translations with their status, demo data, stale information, dated
// closures) is carried by a small profile (profile.json, served at
// /hsds/profile). Drafts and everything else of the staff area never
// appear.
//
// # data·inclusion (di*.go, osm.go)
//
// Export of a centre's published services in the French data·inclusion v1
// schema (structures and services, JSON or CSV), and import of such files
// through a staff page: upload, a preview with every line's errors and
// warnings, then a confirmation that writes everything in one transaction
// or nothing. Imported rows are linked to their source and id
// (guide_exchange_links), so importing a file again updates the same rows.
// New services arrive as drafts, to be checked before they are published.
// The controlled vocabularies (thématiques, publics, modes d'accueil and
// de mobilisation, frais) are mapped onto the guide's categories and flags
// by the tables of di_vocab.go; a value without equivalent is a warning on
// its line, an unknown value an error. What the schema has no field for but
// can still say travels in the fields meant for it and comes back on import:
// the checklists and "no papers asked" as lines of conditions_acces
// (di_conditions.go), a place's way in as complement_adresse, the reasons of
// dated closures as opening_hours comments. What it cannot carry at all is
// listed in docs/exchange.md §4.1.
package exchange
