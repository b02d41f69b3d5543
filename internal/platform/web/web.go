// Package web is the HTTP kit every module uses: language routing, the
// handler adapter that turns returned errors into translated pages, the
// template renderer, flash messages, forms, and the middleware stack
// (request id, logs, metrics, security headers, cross-origin protection).
package web

import (
	"embed"
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/i18n"
)

//go:embed templates
var layoutFS embed.FS

// DefaultMaxBody bounds request bodies; upload handlers raise it.
const DefaultMaxBody = 1 << 20

// Kit is shared by every module's handlers.
type Kit struct {
	R       *Renderer
	Catalog *i18n.Catalog
	Log     *slog.Logger
	Clock   clock.Clock
	// Secret signs flash cookies.
	Secret []byte
	// Secure marks cookies Secure (the site is served over HTTPS).
	Secure bool
}

// Handler is an HTTP handler that returns an error; the kit renders it.
type Handler func(w http.ResponseWriter, r *http.Request) error

// H adapts a Handler with the default body limit.
func (k *Kit) H(h Handler) http.Handler { return k.HLimit(DefaultMaxBody, h) }

// HLimit adapts a Handler with a body limit of max bytes.
func (k *Kit) HLimit(max int64, h Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ri, ok := r.Context().Value(keyRequestInfo).(*requestInfo); ok && r.Pattern != "" {
			ri.route = r.Pattern
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, max)
		}
		if err := h(w, r); err != nil {
			k.Error(w, r, err)
		}
	})
}

// status maps an error kind to its HTTP status, in one place.
func status(kind apperr.Kind) int {
	switch kind {
	case apperr.Invalid:
		return http.StatusUnprocessableEntity
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.Unauthenticated:
		return http.StatusUnauthorized
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.TooMany:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// ErrorData is what the error page shows.
type ErrorData struct {
	Status int
	Key    string
	Args   map[string]any
}

// Error renders err as a translated page. Internal errors are logged with
// the request id, and the user sees only a generic message and that id.
func (k *Kit) Error(w http.ResponseWriter, r *http.Request, err error) {
	d := ErrorData{Status: http.StatusInternalServerError, Key: "common.error.internal"}
	if mbe, ok := errors.AsType[*http.MaxBytesError](err); ok {
		_ = mbe
		d = ErrorData{Status: http.StatusRequestEntityTooLarge, Key: "common.error.too_large"}
	} else if ae, ok := errors.AsType[*apperr.Error](err); ok && ae.Kind != apperr.Internal {
		d = ErrorData{Status: status(ae.Kind), Key: ae.Key, Args: ae.Args}
	}
	if d.Status >= 500 {
		Log(r.Context()).Error("request failed", "err", err)
	} else {
		Log(r.Context()).Info("request refused", "status", d.Status, "reason", err.Error())
	}
	if rerr := k.Render(w, r, d.Status, "web/error", d); rerr != nil {
		Log(r.Context()).Error("render error page", "err", rerr)
		http.Error(w, http.StatusText(d.Status), d.Status)
	}
}

// Recover turns a panic into a logged 500 page.
func (k *Kit) Recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				Log(r.Context()).Error("panic", "value", v, "stack", string(debug.Stack()))
				k.Error(w, r, errors.New("panic"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// Redirect sends a 303 to a path without language prefix, in the request's
// language.
func Redirect(w http.ResponseWriter, r *http.Request, path string) error {
	http.Redirect(w, r, LangURL(r, path), http.StatusSeeOther)
	return nil
}

// LangURL prefixes path with the request's language.
func LangURL(r *http.Request, path string) string {
	l := Lang(r.Context())
	if path == "" || path[0] != '/' {
		path = "/" + path
	}
	return "/" + l.Tag + path
}

var errNotFound = apperr.New(apperr.NotFound, "common.error.not_found")

var errCrossOrigin = apperr.New(apperr.Forbidden, "common.error.cross_origin")
