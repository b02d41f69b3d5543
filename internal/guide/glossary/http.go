package glossary

import (
	"embed"
	"encoding/base64"
	"html/template"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"parcours/internal/guide/seed"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/i18n"
	"parcours/internal/platform/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

// HTTP serves the glossary, checklists, printable sheets, the waiting-room
// screen, the offline page and service worker, and the staff audio pages.
type HTTP struct {
	S    *Service
	K    *web.Kit
	Auth *auth.HTTP
	// BaseURL is the public address the QR codes point to ("https://...").
	BaseURL string
	// Static holds web/static (the service worker is served from it at /sw.js).
	Static fs.FS
	// Services is the directory's service source (nil until it is wired).
	Services ServiceSource
}

// Register adds the routes and templates.
func (h *HTTP) Register(rt *web.Router) error {
	if err := h.K.R.AddPages("glossary", templatesFS, "templates"); err != nil {
		return err
	}
	k, need := h.K, h.Auth.Need
	pub := func(fn web.Handler) http.Handler { return k.H(public(fn)) }
	rt.Handle("GET /guide/glossary", pub(h.index))
	rt.Handle("GET /guide/glossary/a-z", pub(h.az))
	rt.Handle("GET /guide/glossary/themes/{theme}", pub(h.theme))
	rt.Handle("GET /guide/glossary/themes/{theme}/print", pub(h.themePrint))
	rt.Handle("GET /guide/glossary/{slug}", pub(h.term))
	rt.Handle("GET /guide/checklists", pub(h.checklists))
	rt.Handle("GET /guide/checklists/{slug}", pub(h.checklist))
	rt.Handle("GET /guide/checklists/{slug}/print", pub(h.checklistPrint))
	rt.Handle("GET /guide/services/{id}/print", pub(h.servicePrint))
	rt.Handle("GET /guide/screen", pub(h.screen(false)))
	rt.Handle("GET /guide/screen/bilingual", pub(h.screen(true)))
	rt.Handle("GET /guide/saved", pub(h.saved))
	rt.Root("GET /audio/glossary/{lang}/{file}", k.H(h.audio))
	rt.Root("GET /sw.js", k.H(h.serviceWorker))
	rt.Handle("GET /admin/glossary/audio", need(auth.PermGlossaryAudio, k.H(h.audioList)))
	rt.Handle("GET /admin/glossary/audio/{slug}", need(auth.PermGlossaryAudio, k.H(h.audioTerm)))
	rt.Handle("POST /admin/glossary/audio/{slug}", need(auth.PermGlossaryAudio, k.HLimit(MaxUploadBytes+64<<10, h.audioUpload)))
	rt.Handle("POST /admin/glossary/audio/{slug}/delete", need(auth.PermGlossaryAudio, k.H(h.audioDelete)))
	return nil
}

// public marks a public guide page cacheable by browsers, proxies and the
// service worker for a few minutes (it holds nothing personal).
func public(fn web.Handler) web.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Cache-Control", "public, max-age=300")
		return fn(w, r)
	}
}

// themePictos gives each theme the pictogram of its tile.
var themePictos = map[string]string{
	"papers": "personal_passport.svg", "asylum": "cat-asylum.svg", "health": "cat-health.svg", "housing": "cat-shelter.svg",
	"money": "money.svg", "work": "cat-work-training.svg", "school": "cat-children-families.svg", "daily": "mobile_phone_number.svg",
	"transport": "cat-transport.svg", "justice": "cat-legal-aid.svg",
}

// checklistPictos gives each checklist the pictogram of its procedure.
var checklistPictos = map[string]string{
	"domiciliation": "cat-domiciliation.svg", "ame": "cat-health.svg", "css": "cat-health.svg", "puma": "cat-health.svg",
	"solidarite-transport": "cat-transport.svg", "rsa": "money.svg", "caf": "family.svg", "france-travail": "cat-work-training.svg",
	"bank-account": "bank.svg", "school-enrolment": "school.svg", "french-course": "cat-french-courses.svg", "asylum-appointment": "cat-asylum.svg",
	"ada": "bank_card.svg", "emergency-accommodation": "cat-shelter.svg", "work-permit": "briefcase_1.svg",
}

// ThemeIn is a theme as a reader sees it.
type ThemeIn struct {
	Slug    string
	Label   Text
	LabelFR Text
	Picto   string
	Count   int
}

func (h *HTTP) themes(lang string) []ThemeIn {
	out := make([]ThemeIn, 0, len(h.S.C.Themes))
	for _, th := range h.S.C.Themes {
		out = append(out, h.themeIn(th, lang))
	}
	return out
}

func (h *HTTP) themeIn(th seed.Theme, lang string) ThemeIn {
	return ThemeIn{Slug: th.Slug, Label: ThemeLabel(th, lang), LabelFR: ThemeLabel(th, "fr"), Picto: themePictos[th.Slug],
		Count: len(h.S.C.byTheme[th.Slug])}
}

func (h *HTTP) terms(ts []seed.Term, lang string) []TermIn {
	out := make([]TermIn, len(ts))
	for i, t := range ts {
		out[i] = TermFor(t, lang)
	}
	return out
}

func lang(r *http.Request) string { return web.Lang(r.Context()).Tag }

// liveURL is the absolute address of a page in the request's language.
func (h *HTTP) liveURL(r *http.Request, path string) string {
	return strings.TrimRight(h.BaseURL, "/") + web.LangURL(r, path)
}

// QR returns a PNG QR code of url as a data URL (the CSP allows data:
// images), for the printed sheets.
func QR(url string) (template.URL, error) {
	png, err := qrcode.Encode(url, qrcode.Medium, 320)
	if err != nil {
		return "", err
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)), nil
}

type indexData struct {
	Query   Query
	Results []TermIn
	Themes  []ThemeIn
	Letters []string
	Count   int
}

func (h *HTTP) index(w http.ResponseWriter, r *http.Request) error {
	l := lang(r)
	d := indexData{Query: ParseQuery(r.URL.Query().Get("q")), Themes: h.themes(l), Letters: h.letters(), Count: len(h.S.C.Terms)}
	for _, res := range h.S.C.Search(d.Query, l) {
		d.Results = append(d.Results, TermFor(res.Term, l))
	}
	return h.K.Render(w, r, http.StatusOK, "glossary/index", d)
}

func (h *HTTP) letters() []string {
	var out []string
	for _, t := range h.S.C.Terms {
		if l := Letter(t.FR); !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// LetterGroup is the terms under one letter of the A-Z list.
type LetterGroup struct {
	Letter string
	Terms  []TermIn
}

func (h *HTTP) az(w http.ResponseWriter, r *http.Request) error {
	l := lang(r)
	var groups []LetterGroup
	for _, t := range h.S.C.Terms {
		letter := Letter(t.FR)
		if len(groups) == 0 || groups[len(groups)-1].Letter != letter {
			groups = append(groups, LetterGroup{Letter: letter})
		}
		g := &groups[len(groups)-1]
		g.Terms = append(g.Terms, TermFor(t, l))
	}
	return h.K.Render(w, r, http.StatusOK, "glossary/az", groups)
}

type themeData struct {
	Theme ThemeIn
	Terms []TermIn
	Langs []i18n.Language
	QR    template.URL
	Live  string
}

// BackPath is the live page of the theme.
func (d themeData) BackPath() string { return "/guide/glossary/themes/" + d.Theme.Slug }

func (h *HTTP) themeData(r *http.Request) (themeData, error) {
	th, ok := h.S.C.Theme(r.PathValue("theme"))
	if !ok {
		return themeData{}, apperr.ErrNotFound
	}
	l := lang(r)
	return themeData{Theme: h.themeIn(th, l), Terms: h.terms(h.S.C.ThemeTerms(th.Slug), l), Langs: i18n.Languages}, nil
}

func (h *HTTP) theme(w http.ResponseWriter, r *http.Request) error {
	d, err := h.themeData(r)
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "glossary/theme", d)
}

func (h *HTTP) themePrint(w http.ResponseWriter, r *http.Request) error {
	d, err := h.themeData(r)
	if err != nil {
		return err
	}
	d.Live = h.liveURL(r, "/guide/glossary/themes/"+d.Theme.Slug)
	if d.QR, err = QR(d.Live); err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "glossary/print_theme", d)
}

type termData struct {
	Term   TermIn
	Theme  ThemeIn
	FR     []Clip // audio of the French word
	Own    []Clip // audio of the word in the reader's language, if recorded
	OwnTag string
}

func (h *HTTP) term(w http.ResponseWriter, r *http.Request) error {
	t, ok := h.S.C.Term(r.PathValue("slug"))
	if !ok {
		return apperr.ErrNotFound
	}
	l := lang(r)
	clips, err := h.S.Clips(r.Context(), t.Slug)
	if err != nil {
		return err
	}
	th, _ := h.S.C.Theme(t.Theme)
	d := termData{Term: TermFor(t, l), Theme: h.themeIn(th, l), FR: Choose(clips, "fr")}
	if l != "fr" {
		d.Own, d.OwnTag = Choose(clips, l), l
	}
	return h.K.Render(w, r, http.StatusOK, "glossary/term", d)
}

// ChecklistCard is a checklist in the list.
type ChecklistCard struct {
	ChecklistIn
	TitleFR Text
	Picto   string
	Count   int
}

func (h *HTTP) checklists(w http.ResponseWriter, r *http.Request) error {
	l := lang(r)
	var cards []ChecklistCard
	for _, c := range h.S.C.Checklists {
		ci := ChecklistFor(c, l)
		cards = append(cards, ChecklistCard{ChecklistIn: ci, TitleFR: in(c.Title, "fr"), Picto: checklistPictos[c.Slug], Count: len(ci.Items)})
	}
	return h.K.Render(w, r, http.StatusOK, "glossary/checklists", cards)
}

type checklistData struct {
	C     ChecklistIn
	FR    ChecklistIn
	Picto string
	Langs []i18n.Language
	QR    template.URL
	Live  string
}

// BackPath is the live page of the checklist.
func (d checklistData) BackPath() string { return "/guide/checklists/" + d.C.Slug }

func (h *HTTP) checklistData(r *http.Request) (checklistData, error) {
	c, ok := h.S.C.Checklist(r.PathValue("slug"))
	if !ok {
		return checklistData{}, apperr.ErrNotFound
	}
	return checklistData{C: ChecklistFor(c, lang(r)), FR: ChecklistFor(c, "fr"), Picto: checklistPictos[c.Slug], Langs: i18n.Languages}, nil
}

func (h *HTTP) checklist(w http.ResponseWriter, r *http.Request) error {
	d, err := h.checklistData(r)
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "glossary/checklist", d)
}

func (h *HTTP) checklistPrint(w http.ResponseWriter, r *http.Request) error {
	d, err := h.checklistData(r)
	if err != nil {
		return err
	}
	d.Live = h.liveURL(r, "/guide/checklists/"+d.C.Slug)
	if d.QR, err = QR(d.Live); err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "glossary/print_checklist", d)
}

type serviceData struct {
	S, FR      *ServiceSheet
	Checklists []ChecklistCard
	QR         template.URL
	Live       string
}

// Bilingual reports whether the sheet shows a second language.
func (d serviceData) Bilingual() bool { return d.S != d.FR }

// BackPath is the live page of the service.
func (d serviceData) BackPath() string { return "/guide/services/" + d.S.ID }

// DocPair is a document to bring in the reader's language and in French.
type DocPair struct{ S, FR Text }

// Docs pairs the documents to bring with their French text.
func (d serviceData) Docs() []DocPair {
	out := make([]DocPair, len(d.S.Documents))
	for i, t := range d.S.Documents {
		out[i].S = t
		if i < len(d.FR.Documents) {
			out[i].FR = d.FR.Documents[i]
		}
	}
	return out
}

// Spoken lists the languages spoken at the service that have a name here
// (served languages by endonym; other tags as they are).
func (d serviceData) Spoken() []i18n.Language {
	var out []i18n.Language
	for _, t := range d.S.Languages {
		l, ok := i18n.Lookup(t)
		if !ok {
			l = i18n.Language{Tag: t, Name: t}
		}
		out = append(out, l)
	}
	return out
}

func (h *HTTP) servicePrint(w http.ResponseWriter, r *http.Request) error {
	if h.Services == nil {
		return apperr.ErrNotFound
	}
	id, l := r.PathValue("id"), lang(r)
	if len(id) > 64 {
		return apperr.ErrNotFound
	}
	s, err := h.Services.ServiceSheet(r.Context(), id, l)
	if err != nil {
		return err
	}
	d := serviceData{S: s, FR: s}
	if l != "fr" {
		if d.FR, err = h.Services.ServiceSheet(r.Context(), id, "fr"); err != nil {
			return err
		}
	}
	for _, slug := range s.Checklists {
		if c, ok := h.S.C.Checklist(slug); ok {
			d.Checklists = append(d.Checklists, ChecklistCard{ChecklistIn: ChecklistFor(c, l), TitleFR: in(c.Title, "fr")})
		}
	}
	d.Live = h.liveURL(r, "/guide/services/"+s.ID)
	if d.QR, err = QR(d.Live); err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "glossary/print_service", d)
}

func (h *HTTP) saved(w http.ResponseWriter, r *http.Request) error {
	return h.K.Render(w, r, http.StatusOK, "glossary/saved", nil)
}

// audio serves a recording: /audio/glossary/{lang}/{term}.{format}.
func (h *HTTP) audio(w http.ResponseWriter, r *http.Request) error {
	tag := r.PathValue("lang")
	slug, format, ok := strings.Cut(r.PathValue("file"), ".")
	if _, known := i18n.Lookup(tag); !ok || !known || !slices.Contains(formatOrder, format) {
		return apperr.ErrNotFound
	}
	if _, ok := h.S.C.Term(slug); !ok {
		return apperr.ErrNotFound
	}
	c, data, err := h.S.Audio(r.Context(), slug, tag, format)
	if err != nil {
		return err
	}
	hd := w.Header()
	hd.Set("Content-Type", ContentType(format))
	hd.Set("ETag", `"`+c.SHA256[:32]+`"`)
	if v := r.URL.Query().Get("v"); v != "" && strings.HasPrefix(c.SHA256, v) {
		hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hd.Set("Cache-Control", "public, max-age=300")
	}
	http.ServeContent(w, r, "", c.CreatedAt, strings.NewReader(string(data)))
	return nil
}

// serviceWorker serves web/static/sw.js at the root, so that its scope is
// the whole site (it only ever handles public guide pages and static files).
func (h *HTTP) serviceWorker(w http.ResponseWriter, r *http.Request) error {
	b, err := fs.ReadFile(h.Static, "sw.js")
	if err != nil {
		return err
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/javascript; charset=utf-8")
	hd.Set("Cache-Control", "no-cache")
	hd.Set("Service-Worker-Allowed", "/")
	_, err = w.Write(b)
	return err
}

// Screen parameters.
const (
	DefaultPace = 15
	MinPace     = 5
	MaxPace     = 300
)

// ScreenParams are the validated query parameters of the screen.
type ScreenParams struct {
	Pace  int    // seconds per item
	Theme string // a glossary theme, "checklists", or "" for everything
	Start int    // item shown first (and the only one without JavaScript)
}

// ParseScreenParams validates pace (MinPace..MaxPace seconds), theme (a
// theme slug, "checklists" or "all") and i (the item to show first).
func (c *Content) ParseScreenParams(q map[string][]string) (ScreenParams, error) {
	p := ScreenParams{Pace: DefaultPace, Start: -1}
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	fields := map[string]string{}
	if v := get("pace"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < MinPace || n > MaxPace {
			fields["pace"] = "glossary.screen.error.pace"
		} else {
			p.Pace = n
		}
	}
	switch v := get("theme"); v {
	case "", "all":
	case "checklists":
		p.Theme = v
	default:
		if _, ok := c.Theme(v); !ok {
			fields["theme"] = "glossary.screen.error.theme"
		} else {
			p.Theme = v
		}
	}
	if v := get("i"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 100000 {
			fields["i"] = "common.form.invalid_choice"
		} else {
			p.Start = n
		}
	}
	if len(fields) > 0 {
		e := apperr.Validation(fields)
		e.Key = "glossary.screen.error"
		e.Args = map[string]any{"Min": MinPace, "Max": MaxPace}
		return p, e
	}
	return p, nil
}

// ScreenItem is one slide of the waiting-room screen.
type ScreenItem struct {
	Kind    string // "term", "checklist", "service"
	Picto   string
	Title   Text // in the reader's language
	TitleFR Text
	Body    Text
	BodyFR  Text
	Say     Text
	List    []Text // checklist items, or service hours
	ListFR  []Text
	Link    string
	// Notice is shown first on a service's slide: that it is demo data.
	Notice Text
}

type screenData struct {
	Params    ScreenParams
	Bilingual bool
	Items     []ScreenItem
	Current   int
	Next      string // query of the next item (a link, for screens with a pointer)
}

func (h *HTTP) screen(bilingual bool) web.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := h.S.C.ParseScreenParams(r.URL.Query())
		if err != nil {
			return err
		}
		l := lang(r)
		items := h.screenItems(r, p, l)
		if len(items) == 0 {
			return apperr.ErrNotFound
		}
		d := screenData{Params: p, Bilingual: bilingual && l != "fr", Items: items}
		if p.Start >= 0 {
			d.Current = p.Start % len(items)
		} else {
			// Without JavaScript, each load shows the item of the moment.
			d.Current = int(h.K.Clock.Now().Unix()/int64(p.Pace)) % len(items)
		}
		q := r.URL.Query()
		q.Set("i", strconv.Itoa((d.Current+1)%len(items)))
		d.Next = q.Encode()
		w.Header().Set("Cache-Control", "no-cache")
		return h.K.Render(w, r, http.StatusOK, "glossary/screen", d)
	}
}

func (h *HTTP) screenItems(r *http.Request, p ScreenParams, l string) []ScreenItem {
	var terms, lists, services []ScreenItem
	if p.Theme != "checklists" {
		ts := h.S.C.Terms
		if p.Theme != "" {
			ts = h.S.C.ThemeTerms(p.Theme)
		}
		for _, t := range ts {
			ti := TermFor(t, l)
			terms = append(terms, ScreenItem{Kind: "term", Picto: ti.Pictogram, Title: ti.Term, TitleFR: ti.FR, Body: ti.Def, BodyFR: ti.DefFR,
				Say: ti.Say, Link: "/guide/glossary/" + t.Slug})
		}
	}
	if p.Theme == "" || p.Theme == "checklists" {
		for _, c := range h.S.C.Checklists {
			ci, fr := ChecklistFor(c, l), ChecklistFor(c, "fr")
			it := ScreenItem{Kind: "checklist", Picto: checklistPictos[c.Slug], Title: ci.Title, TitleFR: fr.Title, Link: "/guide/checklists/" + c.Slug}
			for i := range ci.Items {
				it.List = append(it.List, ci.Items[i].Text)
				it.ListFR = append(it.ListFR, fr.Items[i].Text)
			}
			lists = append(lists, it)
		}
		if sl, ok := h.Services.(ServiceLister); ok {
			ss, err := sl.ScreenServices(r.Context(), l, 30)
			if err != nil {
				web.Log(r.Context()).Warn("screen: services", "err", err)
			}
			for _, s := range ss {
				services = append(services, ScreenItem{Kind: "service", Picto: s.Pictogram, Title: s.Name, Body: s.Description,
					List: s.Hours, Link: "/guide/services/" + s.ID, Notice: s.Demo})
			}
		}
	}
	// Interleave: a checklist or a service after every four words.
	others := append(lists, services...)
	if len(terms) == 0 {
		return others
	}
	var out []ScreenItem
	for i, t := range terms {
		out = append(out, t)
		if (i+1)%4 == 0 && len(others) > 0 {
			out = append(out, others[0])
			others = others[1:]
		}
	}
	return append(out, others...)
}
