package guide

import (
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"parcours/internal/guide/seed"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/i18n"
	"parcours/internal/platform/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

// HTTP serves the public guide and its staff pages.
type HTTP struct {
	S    *Store
	K    *web.Kit
	Auth *auth.HTTP
	// BaseURL is the site's public address (share texts).
	BaseURL string

	checklists map[string]seed.Checklist
}

// Register adds the routes and templates.
func (h *HTTP) Register(rt *web.Router) error {
	if err := h.K.R.AddPages("guide", templatesFS, "templates"); err != nil {
		return err
	}
	cls, err := seed.Checklists()
	if err != nil {
		return err
	}
	h.checklists = map[string]seed.Checklist{}
	for _, c := range cls {
		h.checklists[c.Slug] = c
	}
	k, need := h.K, h.Auth.Need
	rt.Handle("GET /{$}", k.H(h.home))
	rt.Handle("GET /guide/search", k.H(h.search))
	rt.Handle("GET /guide/services/{id}", k.H(h.service))

	rt.Handle("GET /admin/guide", need(auth.PermGuideEdit, k.H(h.services)))
	rt.Handle("GET /admin/guide/services/new", need(auth.PermGuideEdit, k.H(h.serviceNew)))
	rt.Handle("POST /admin/guide/services", need(auth.PermGuideEdit, k.H(h.serviceCreate)))
	rt.Handle("GET /admin/guide/services/{id}", need(auth.PermGuideEdit, k.H(h.serviceEdit)))
	rt.Handle("POST /admin/guide/services/{id}", need(auth.PermGuideEdit, k.H(h.serviceUpdate)))
	rt.Handle("POST /admin/guide/services/{id}/checked", need(auth.PermGuideEdit, k.H(h.serviceChecked)))
	rt.Handle("GET /admin/guide/services/{id}/hours", need(auth.PermGuideEdit, k.H(h.hoursEdit)))
	rt.Handle("POST /admin/guide/services/{id}/hours", need(auth.PermGuideEdit, k.H(h.hoursSave)))
	rt.Handle("POST /admin/guide/services/{id}/exceptions", need(auth.PermGuideEdit, k.H(h.exceptionAdd)))
	rt.Handle("POST /admin/guide/services/{id}/exceptions/{eid}/delete", need(auth.PermGuideEdit, k.H(h.exceptionDelete)))
	rt.Handle("POST /admin/guide/services/{id}/phones", need(auth.PermGuideEdit, k.H(h.phoneAdd)))
	rt.Handle("POST /admin/guide/services/{id}/phones/{pid}/delete", need(auth.PermGuideEdit, k.H(h.phoneDelete)))
	rt.Handle("GET /admin/guide/organizations", need(auth.PermGuideEdit, k.H(h.organizations)))
	rt.Handle("GET /admin/guide/organizations/new", need(auth.PermGuideEdit, k.H(h.organizationNew)))
	rt.Handle("POST /admin/guide/organizations", need(auth.PermGuideEdit, k.H(h.organizationSave)))
	rt.Handle("GET /admin/guide/organizations/{id}", need(auth.PermGuideEdit, k.H(h.organizationEdit)))
	rt.Handle("POST /admin/guide/organizations/{id}", need(auth.PermGuideEdit, k.H(h.organizationSave)))
	rt.Handle("GET /admin/guide/locations", need(auth.PermGuideEdit, k.H(h.locations)))
	rt.Handle("GET /admin/guide/locations/new", need(auth.PermGuideEdit, k.H(h.locationNew)))
	rt.Handle("POST /admin/guide/locations", need(auth.PermGuideEdit, k.H(h.locationSave)))
	rt.Handle("GET /admin/guide/locations/{id}", need(auth.PermGuideEdit, k.H(h.locationEdit)))
	rt.Handle("POST /admin/guide/locations/{id}", need(auth.PermGuideEdit, k.H(h.locationSave)))
	rt.Handle("GET /admin/guide/translations", need(auth.PermTranslate, k.H(h.queue)))
	rt.Handle("GET /admin/guide/services/{id}/translations/{lang}", need(auth.PermStaff, k.H(h.translations)))
	rt.Handle("POST /admin/guide/services/{id}/translations/{lang}", need(auth.PermStaff, k.H(h.translationsSave)))
	return nil
}

// ---- Public pages ----

// publicView is what every public guide page shares: the texts of its
// services in the page language, and the labels it needs.
type publicView struct {
	texts *texts
	lang  string
}

// Tr resolves a field of an owner for the page (reviewed translations,
// then the fallback chain).
func (v publicView) Tr(ownerID, field, french string) Text {
	return v.texts.get(ownerID, field, french)
}

// Arrondissements are 1..20, for the selects.
var Arrondissements = func() []int {
	out := make([]int, 20)
	for i := range out {
		out[i] = i + 1
	}
	return out
}()

type homeData struct {
	Categories []Category
	Arrs       []int
	Demo       bool
}

func (h *HTTP) home(w http.ResponseWriter, r *http.Request) error {
	demo, err := h.S.HasDemo(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "public, max-age=300")
	return h.K.Render(w, r, http.StatusOK, "guide/home", homeData{Categories: Categories, Arrs: Arrondissements, Demo: demo})
}

type searchData struct {
	publicView
	Q       Search
	Bad     map[string]string
	Res     *Results
	Arrs    []int
	Spoken  []Spoken
	Who     []string
	Access  []string
	Cats    []Category
	Pager   web.Page
	Demo    bool
	NowDate time.Time
}

// Active counts the filters in force besides the words and the category
// (shown on the folded filters panel).
func (d searchData) Active() int {
	v := d.Q.Values()
	v.Del("q")
	v.Del("cat")
	return len(v)
}

func (h *HTTP) search(w http.ResponseWriter, r *http.Request) error {
	q, bad := ParseSearch(r.URL.Query())
	res, err := h.S.Search(r.Context(), q)
	if err != nil {
		return err
	}
	lang := web.Lang(r.Context()).Tag
	tx, err := loadTexts(r.Context(), h.S.DB.R, lang, res.OwnerIDs)
	if err != nil {
		return err
	}
	d := searchData{publicView: publicView{tx, lang}, Q: q, Bad: bad, Res: res, Arrs: Arrondissements, Spoken: SpokenLanguages,
		Who: WhoChoices, Access: AccessChoices, Cats: Categories, NowDate: h.S.today()}
	v := q.Values()
	d.Pager.Number = q.Page
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page-1))
		d.Pager.Prev = v.Encode()
	}
	if res.More {
		v.Set("page", strconv.Itoa(q.Page+1))
		d.Pager.Next = v.Encode()
	}
	for _, hit := range res.Hits {
		d.Demo = d.Demo || hit.Demo
	}
	return h.K.Render(w, r, http.StatusOK, "guide/search", d)
}

// Checklist is a link to a "documents to bring" checklist.
type Checklist struct {
	Slug  string
	Title Text
}

type serviceData struct {
	publicView
	D          *Detail
	Status     Status
	Week       []Day
	Upcoming   []Exception
	Stale      bool
	Today      time.Time
	Checklists []Checklist
	Share      string
	ShareURL   string
}

func (h *HTTP) service(w http.ResponseWriter, r *http.Request) error {
	d, err := h.S.PublicService(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	lang := web.Lang(r.Context())
	tx, err := loadTexts(r.Context(), h.S.DB.R, lang.Tag, d.ownerIDs())
	if err != nil {
		return err
	}
	now := h.S.Clock.Now()
	today := DateOf(now)
	sd := serviceData{publicView: publicView{tx, lang.Tag}, D: d, Status: d.Hours.StatusAt(now), Week: d.Hours.Week(today),
		Upcoming: d.Hours.Upcoming(today), Stale: d.Service.Stale(today), Today: today}
	for _, slug := range d.Documents {
		if c, ok := h.checklists[slug]; ok {
			sd.Checklists = append(sd.Checklists, Checklist{Slug: slug, Title: checklistTitle(c, lang.Tag)})
		}
	}
	sd.ShareURL = strings.TrimRight(h.BaseURL, "/") + "/" + lang.Tag + "/guide/services/" + d.Service.ID
	sd.Share = h.shareText(h.K.Catalog.Localizer(lang.Tag), &sd)
	w.Header().Set("Cache-Control", "public, max-age=120")
	return h.K.Render(w, r, http.StatusOK, "guide/service", sd)
}

// checklistTitle is the checklist's title in lang, or along its chain.
func checklistTitle(c seed.Checklist, lang string) Text {
	for i, l := range i18n.Chain(lang) {
		if t, ok := c.Title[l]; ok && t != "" {
			return Text{Value: t, Lang: l, Fallback: i > 0}
		}
	}
	return Text{Value: c.Slug, Lang: i18n.Source}
}

// shareText is the message to send by SMS or WhatsApp: name, where,
// today's hours, a phone, the link.
func (h *HTTP) shareText(l *i18n.L, sd *serviceData) string {
	var b strings.Builder
	b.WriteString(sd.Tr(sd.D.Service.ID, "name", sd.D.Service.Name).Value)
	b.WriteString(" — " + sd.D.Organization.Name + "\n")
	for _, loc := range sd.D.Locations {
		b.WriteString(loc.Name)
		if loc.Address != "" {
			b.WriteString(", " + loc.Address)
		}
		if loc.Arrondissement > 0 {
			b.WriteString(", " + l.T("guide.arr", "N", loc.Arrondissement))
		}
		b.WriteString("\n")
	}
	if hours := sd.Status.Today.Hours(); hours != "" {
		// The hours are isolated left-to-right (U+2066 … U+2069): after
		// Arabic letters, "09:00–12:00" would otherwise read backwards.
		b.WriteString(l.T("guide.share.today", "Hours", "\u2066"+hours+"\u2069") + "\n")
	}
	if len(sd.D.Phones) > 0 {
		b.WriteString("☎ " + sd.D.Phones[0].Number + "\n")
	}
	b.WriteString(sd.ShareURL)
	return b.String()
}

// escape encodes a text for a URL query, spaces as %20 (SMS applications
// do not all read "+" as a space).
func escape(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }

// SMSURL is the sms: link with the share text (html/template does not let
// an sms: URL through unless it is marked safe; the text is escaped here).
func (d serviceData) SMSURL() template.URL { return template.URL("sms:?&body=" + escape(d.Share)) }

// WhatsAppURL is the wa.me link with the share text.
func (d serviceData) WhatsAppURL() string { return "https://wa.me/?text=" + escape(d.Share) }

// OSM is the opening_hours string of the service.
func (d serviceData) OSM() string { return d.D.Hours.OSM() }

// StatusLine says the status in words: a message ID with a time and,
// beyond tomorrow, a weekday (1 Monday).
type StatusLine struct {
	Key   string
	Time  string
	Day   int
	Open  bool
	Known bool
}

// Say turns a status into its sentence for a page on date today.
func Say(st Status, today time.Time) StatusLine {
	switch {
	case st.Open:
		return StatusLine{Key: "guide.status.open_until", Time: st.Until.In(clock.Paris).Format("15:04"), Open: true, Known: true}
	case st.Closure != nil && st.Next.IsZero():
		return StatusLine{Key: "guide.status.closed_temporarily", Known: true}
	case st.Next.IsZero():
		return StatusLine{Key: "guide.status.no_hours"}
	}
	l := StatusLine{Time: st.Next.In(clock.Paris).Format("15:04"), Known: true}
	switch DateOf(st.Next).Sub(today) / (24 * time.Hour) {
	case 0:
		l.Key = "guide.status.opens_today"
	case 1:
		l.Key = "guide.status.opens_tomorrow"
	default:
		l.Key, l.Day = "guide.status.opens_on", isoWeekday(DateOf(st.Next))
	}
	return l
}

// Line is the status sentence of the page's service.
func (d serviceData) Line() StatusLine { return Say(d.Status, d.Today) }

// Line is the status sentence of a hit.
func (d searchData) Line(st Status) StatusLine { return Say(st, d.NowDate) }

// Range formats an exception's hours.
func (e Exception) Range() string { return Clock(e.Opens) + "–" + Clock(e.Closes) }

// Weekday is the ISO weekday of a date (1 Monday).
func (d Day) Weekday() int { return isoWeekday(d.Date) }

// Hours formats the day's openings: "09:00–12:00, 14:00–17:00".
func (d Day) Hours() string {
	parts := make([]string, len(d.Intervals))
	for i, iv := range d.Intervals {
		parts[i] = Clock(iv.Opens) + "–" + Clock(iv.Closes)
	}
	return strings.Join(parts, ", ")
}

// Phone formats a stored number for reading: +33 1 23 45 67 89.
func (p Phone) Display() string {
	n := p.Number
	if strings.HasPrefix(n, "+33") && len(n) == 12 {
		return fmt.Sprintf("+33 %s %s %s %s %s", n[3:4], n[4:6], n[6:8], n[8:10], n[10:12])
	}
	if len(n) == 10 && n[0] == '0' {
		return fmt.Sprintf("%s %s %s %s %s", n[0:2], n[2:4], n[4:6], n[6:8], n[8:10])
	}
	return n
}

// Spoken returns the spoken languages of codes.
func (v publicView) Spoken(codes []string) []Spoken {
	var out []Spoken
	for _, c := range codes {
		if s, ok := SpokenByCode(c); ok {
			out = append(out, s)
		}
	}
	return out
}

// Km formats a distance.
func (hit Hit) KmText() string { return strconv.FormatFloat(hit.Km, 'f', 1, 64) }
