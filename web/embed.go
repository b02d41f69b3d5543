// Package web holds the static files (CSS, scripts, icons, pictograms)
// embedded in the binary.
package web

import (
	"embed"
	"io/fs"
)

//go:embed static
var files embed.FS

// Static is the static folder, served under /static/.
var Static, _ = fs.Sub(files, "static")
