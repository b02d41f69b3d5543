package web

import (
	"net/http"
	"net/url"
	"strings"

	"parcours/internal/platform/i18n"
)

// Router sends /{lang}/... to the language mux (with the language in the
// context and the prefix stripped) and everything else to the root mux
// (health, metrics, static files, APIs).
type Router struct {
	kit  *Kit
	root *http.ServeMux
	lang *http.ServeMux
	// patterns records every registered route, for the authorization
	// test that checks each one.
	patterns []Route
	// Cache keeps the public pages handlers declare shareable (nil: off).
	Cache *PageCache
}

// Route is a registered pattern; Lang tells whether it is under /{lang}/.
type Route struct {
	Pattern string
	Lang    bool
}

// NewRouter builds an empty router.
func NewRouter(k *Kit) *Router {
	rt := &Router{kit: k, root: http.NewServeMux(), lang: http.NewServeMux()}
	rt.root.HandleFunc("/", rt.dispatch)
	rt.lang.Handle("/", k.H(func(w http.ResponseWriter, r *http.Request) error {
		return errNotFound
	}))
	return rt
}

// Handle registers a language-prefixed route: pattern "GET /admin/sites"
// answers /fr/admin/sites, /ar/admin/sites...
func (rt *Router) Handle(pattern string, h http.Handler) {
	rt.lang.Handle(pattern, h)
	rt.patterns = append(rt.patterns, Route{Pattern: pattern, Lang: true})
}

// Root registers a route outside the language prefix.
func (rt *Router) Root(pattern string, h http.Handler) {
	rt.root.Handle(pattern, h)
	rt.patterns = append(rt.patterns, Route{Pattern: pattern})
}

// Routes lists the registered routes in registration order.
func (rt *Router) Routes() []Route { return append([]Route(nil), rt.patterns...) }

// ServeHTTP serves the request.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) { rt.root.ServeHTTP(w, r) }

const langCookie = "parcours_lang"

func (rt *Router) dispatch(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if p == "/" {
		rt.redirectHome(w, r)
		return
	}
	seg, rest, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	l, ok := i18n.Lookup(seg)
	if !ok {
		r = r.WithContext(WithLang(r.Context(), i18n.Negotiate(r.Header.Get("Accept-Language"))))
		rt.kit.H(func(w http.ResponseWriter, r *http.Request) error { return errNotFound }).ServeHTTP(w, r)
		return
	}
	if seg != l.Tag || !strings.Contains(strings.TrimPrefix(p, "/"), "/") {
		// Canonical case (/fa-af -> /fa-AF) and trailing slash (/fr -> /fr/).
		u := *r.URL
		u.Path = "/" + l.Tag + "/" + rest
		u.RawPath = ""
		http.Redirect(w, r, u.String(), http.StatusMovedPermanently)
		return
	}
	if c, err := r.Cookie(langCookie); err != nil || c.Value != l.Tag {
		if r.Method == http.MethodGet {
			http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l.Tag, Path: "/", MaxAge: 365 * 24 * 3600,
				HttpOnly: true, Secure: rt.kit.Secure, SameSite: http.SameSiteLaxMode})
		}
	}
	r2 := new(http.Request)
	*r2 = *r
	r2.URL = new(url.URL)
	*r2.URL = *r.URL
	r2.URL.Path = "/" + rest
	r2.URL.RawPath = ""
	r2 = r2.WithContext(WithLang(r.Context(), l))
	// The key is the full path, language included (r, not r2).
	rt.Cache.Wrap(w, r.WithContext(r2.Context()), http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		rt.lang.ServeHTTP(w, r2)
	}))
}

// redirectHome sends / to the language of the cookie, else of
// Accept-Language, else French.
func (rt *Router) redirectHome(w http.ResponseWriter, r *http.Request) {
	var l i18n.Language
	if c, err := r.Cookie(langCookie); err == nil {
		l, _ = i18n.Lookup(c.Value)
	}
	if l.Tag == "" {
		l = i18n.Negotiate(r.Header.Get("Accept-Language"))
	}
	w.Header().Add("Vary", "Accept-Language, Cookie")
	http.Redirect(w, r, "/"+l.Tag+"/", http.StatusSeeOther)
}
