// Package locales embeds the go-i18n JSON catalogs, one file per module and
// language: <module>.<tag>.json. French is the source; see docs/i18n.md.
package locales

import "embed"

// FS holds every catalog.
//
//go:embed *.json
var FS embed.FS
