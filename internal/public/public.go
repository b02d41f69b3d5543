// Package public serves the pages anyone can read without an account:
// what parcours is and the accessibility statement (the home page is the
// guide's, internal/guide).
package public

import (
	"embed"
	"net/http"

	"parcours/internal/platform/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

// HTTP serves the public pages.
type HTTP struct {
	K *web.Kit
}

// Register adds the routes and templates.
func (h *HTTP) Register(rt *web.Router) error {
	if err := h.K.R.AddPages("public", templatesFS, "templates"); err != nil {
		return err
	}
	rt.Handle("GET /about", h.K.H(h.page("public/about")))
	rt.Handle("GET /accessibility", h.K.H(h.page("public/accessibility")))
	return nil
}

func (h *HTTP) page(name string) web.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Cache-Control", "public, max-age=300")
		return h.K.Render(w, r, http.StatusOK, name, nil)
	}
}
