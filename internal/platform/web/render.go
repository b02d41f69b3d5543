package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"parcours/internal/platform/i18n"
)

// Renderer holds one template set per page: the shared layout and
// partials, plus the module's partials and the page. Every set is parsed at
// start-up, so a template error stops the boot; but a set is kept only once
// the page is first rendered (it is parsed again then), and Prune drops the
// sets of pages unused for a while: a server holds the pages it is serving,
// not all of them (about 200 KB each, parsed and escaped; see
// docs/PERFORMANCE.md).
type Renderer struct {
	base  *template.Template
	pages map[string]*page
	// mu serialises the parsing of pages on first use.
	mu sync.Mutex
	// AssetVersion is appended to static URLs for cache busting.
	AssetVersion string
}

// page is where a page's set comes from, and the set once parsed.
type page struct {
	fsys     fs.FS
	partials []string
	file     string
	t        atomic.Pointer[template.Template]
	used     atomic.Int64 // last render, Unix seconds
}

// NewRenderer parses the layout and partials from web's own templates.
func NewRenderer(static fs.FS) (*Renderer, error) {
	base := template.New("").Funcs(funcs)
	base, err := base.ParseFS(layoutFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	v, err := hashFS(static)
	if err != nil {
		return nil, err
	}
	rd := &Renderer{base: base, pages: map[string]*page{}, AssetVersion: v}
	if err := rd.AddPages("web", layoutFS, "templates/pages"); err != nil {
		return nil, err
	}
	return rd, nil
}

// AddPages parses every *.html file of dir in fsys as a page named
// module/file (without .html). Files whose name starts with "_" are
// partials shared by the module's pages.
func (rd *Renderer) AddPages(module string, fsys fs.FS, dir string) error {
	files, err := fs.Glob(fsys, path.Join(dir, "*.html"))
	if err != nil {
		return err
	}
	var partials, pages []string
	for _, f := range files {
		if strings.HasPrefix(path.Base(f), "_") {
			partials = append(partials, f)
		} else {
			pages = append(pages, f)
		}
	}
	for _, f := range pages {
		p := &page{fsys: fsys, partials: partials, file: f}
		// Parsed to check it, then dropped: see Renderer.
		if _, err := rd.parse(p); err != nil {
			return fmt.Errorf("%s: %w", module, err)
		}
		name := module + "/" + strings.TrimSuffix(path.Base(f), ".html")
		if _, dup := rd.pages[name]; dup {
			return fmt.Errorf("page %s defined twice", name)
		}
		rd.pages[name] = p
	}
	return nil
}

// parse builds a page's set: a clone of the layout, the module's partials,
// the page.
func (rd *Renderer) parse(p *page) (*template.Template, error) {
	t, err := rd.base.Clone()
	if err != nil {
		return nil, err
	}
	if len(p.partials) > 0 {
		if t, err = t.ParseFS(p.fsys, p.partials...); err != nil {
			return nil, fmt.Errorf("parse partials: %w", err)
		}
	}
	if t, err = t.ParseFS(p.fsys, p.file); err != nil {
		return nil, fmt.Errorf("parse %s: %w", p.file, err)
	}
	return t, nil
}

// set returns a page's set, parsing it on first use.
func (rd *Renderer) set(p *page) (*template.Template, error) {
	if now := time.Now().Unix(); p.used.Load() != now {
		p.used.Store(now)
	}
	if t := p.t.Load(); t != nil {
		return t, nil
	}
	rd.mu.Lock()
	defer rd.mu.Unlock()
	if t := p.t.Load(); t != nil {
		return t, nil
	}
	t, err := rd.parse(p)
	if err != nil {
		return nil, err
	}
	p.t.Store(t)
	return t, nil
}

// Prune drops the template sets of the pages not rendered for unused or
// more; they are parsed again on their next use. It returns how many it
// dropped.
func (rd *Renderer) Prune(unused time.Duration) int {
	limit := time.Now().Add(-unused).Unix()
	rd.mu.Lock()
	defer rd.mu.Unlock()
	n := 0
	for _, p := range rd.pages {
		if p.t.Load() != nil && p.used.Load() <= limit {
			p.t.Store(nil)
			n++
		}
	}
	return n
}

// Pages lists the page names, sorted (used by the render-every-page test).
func (rd *Renderer) Pages() []string {
	out := make([]string, 0, len(rd.pages))
	for n := range rd.pages {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// View is what every page template receives.
type View struct {
	L         *i18n.L
	Langs     []i18n.Language
	Path      string // request path without the language prefix
	Query     string // raw query, kept by the language switcher
	User      *Viewer
	Flash     *Flash
	Data      any
	Errors    map[string]string // field name -> message ID
	RequestID string
	Asset     string // static asset version
	Public    bool   // the public (guide) chrome rather than the staff one
}

// FieldError returns the message ID of a field's validation error.
func (v *View) FieldError(name string) string { return v.Errors[name] }

// Execute renders the named template of a page into a buffer.
func (rd *Renderer) Execute(page, tmpl string, v *View) ([]byte, error) {
	var buf bytes.Buffer
	if err := rd.execute(&buf, page, tmpl, v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (rd *Renderer) execute(buf *bytes.Buffer, page, tmpl string, v *View) error {
	p, ok := rd.pages[page]
	if !ok {
		return fmt.Errorf("no page %q", page)
	}
	t, err := rd.set(p)
	if err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	if err := t.ExecuteTemplate(buf, tmpl, v); err != nil {
		return fmt.Errorf("render %s/%s: %w", page, tmpl, err)
	}
	return nil
}

// bufPool recycles the buffers pages are rendered into: growing a fresh
// buffer to a page's few kilobytes took several allocations and copies
// per request (see docs/PERFORMANCE.md).
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuf keeps the buffer of an unusually large page out of the pool.
const maxPooledBuf = 256 << 10

func getBuf() *bytes.Buffer { return bufPool.Get().(*bytes.Buffer) }

func putBuf(b *bytes.Buffer) {
	if b.Cap() > maxPooledBuf {
		return
	}
	b.Reset()
	bufPool.Put(b)
}

func hashFS(fsys fs.FS) (string, error) {
	h := sha256.New()
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		h.Write([]byte(p))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

var funcs = template.FuncMap{
	"add": func(a, b int) int { return a + b },
	"dict": func(kv ...any) map[string]any {
		m := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			if k, ok := kv[i].(string); ok {
				m[k] = kv[i+1]
			}
		}
		return m
	},
	"list": func(v ...any) []any { return v },
	"contains": func(list []string, s string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	},
	"join": strings.Join,
	// deref turns an optional date into a date (zero when nil).
	"deref": func(t *time.Time) time.Time {
		if t == nil {
			return time.Time{}
		}
		return *t
	},
	// isodate formats an optional date for <input type=date>.
	"isodate": func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.Format(time.DateOnly)
	},
}

// Render writes a full page (or, for an htmx request, its "content"
// block) with the given status.
func (k *Kit) Render(w http.ResponseWriter, r *http.Request, status int, page string, data any) error {
	return k.render(w, r, status, page, data, nil)
}

// RenderInvalid re-renders a form page with field errors (status 422).
func (k *Kit) RenderInvalid(w http.ResponseWriter, r *http.Request, page string, data any, fields map[string]string) error {
	return k.render(w, r, http.StatusUnprocessableEntity, page, data, fields)
}

// Fragment renders one named template of a page (for htmx swaps).
func (k *Kit) Fragment(w http.ResponseWriter, r *http.Request, page, tmpl string, data any) error {
	buf := getBuf()
	defer putBuf(buf)
	if err := k.R.execute(buf, page, tmpl, k.view(w, r, data, nil, false)); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Add("Vary", "HX-Request")
	_, err := w.Write(buf.Bytes())
	return err
}

func (k *Kit) render(w http.ResponseWriter, r *http.Request, status int, page string, data any, fields map[string]string) error {
	v := k.view(w, r, data, fields, true)
	tmpl := "layout"
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Boosted") != "true" && r.Header.Get("HX-Target") != "" {
		tmpl = "content"
	}
	buf := getBuf()
	defer putBuf(buf)
	if err := k.R.execute(buf, page, tmpl, v); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", v.L.Tag)
	h.Add("Vary", "HX-Request")
	if v.User != nil {
		h.Set("Cache-Control", "no-store")
	}
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

func (k *Kit) view(w http.ResponseWriter, r *http.Request, data any, fields map[string]string, popFlash bool) *View {
	lang := Lang(r.Context())
	v := &View{
		L:         k.Catalog.Localizer(lang.Tag),
		Langs:     i18n.Languages,
		Path:      r.URL.Path,
		Query:     r.URL.RawQuery,
		User:      ViewerFrom(r.Context()),
		Data:      data,
		Errors:    fields,
		RequestID: RequestID(r.Context()),
		Asset:     k.R.AssetVersion,
	}
	v.Public = v.User == nil
	if popFlash {
		v.Flash = k.popFlash(w, r)
	}
	return v
}
