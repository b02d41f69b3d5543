// Package admin serves the administrator's views of the platform: the
// audit trail and the outbox of e-mails and SMS.
package admin

import (
	"embed"
	"net/http"
	"strconv"
	"time"

	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/db"
	"parcours/internal/platform/notify"
	"parcours/internal/platform/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

// HTTP serves the admin pages.
type HTTP struct {
	K      *web.Kit
	Auth   *auth.HTTP
	Audit  *audit.Log
	Outbox *notify.Outbox
}

// Register adds the routes and templates.
func (h *HTTP) Register(rt *web.Router) error {
	if err := h.K.R.AddPages("admin", templatesFS, "templates"); err != nil {
		return err
	}
	rt.Handle("GET /admin/audit", h.Auth.Need(auth.PermAuditRead, h.K.H(h.audit)))
	rt.Handle("GET /admin/outbox", h.Auth.Need(auth.PermOutboxRead, h.K.H(h.outbox)))
	return nil
}

type auditData struct {
	Filter  audit.Filter
	From    string
	To      string
	Entries []audit.Entry
	Next    string // query of the next (older) page
}

const pageSize = 100

// parseDay reads a YYYY-MM-DD date in Paris time; bad input is ignored
// and reported as the empty string.
func parseDay(s string) (time.Time, string) {
	if s == "" {
		return time.Time{}, ""
	}
	t, err := time.ParseInLocation(time.DateOnly, s, clock.Paris)
	if err != nil {
		return time.Time{}, ""
	}
	return t, s
}

func (h *HTTP) audit(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	q := r.URL.Query()
	f := audit.Filter{OrgID: p.OrgID, Action: web.Clean(q.Get("action")), ObjectType: web.Clean(q.Get("object_type")),
		ObjectID: web.Clean(q.Get("object_id")), Limit: pageSize}
	if a := q.Get("actor"); db.ValidID(a) {
		f.ActorID = a
	}
	if len(f.Action) > 60 || len(f.ObjectType) > 60 || len(f.ObjectID) > 60 {
		f.Action, f.ObjectType, f.ObjectID = "", "", ""
	}
	d := auditData{}
	f.From, d.From = parseDay(q.Get("from"))
	var to time.Time
	to, d.To = parseDay(q.Get("to"))
	if !to.IsZero() {
		f.To = to.AddDate(0, 0, 1)
	}
	if b, err := strconv.ParseInt(q.Get("before"), 10, 64); err == nil && b > 0 {
		f.BeforeSeq = b
	}
	es, err := h.Audit.List(r.Context(), f)
	if err != nil {
		return err
	}
	d.Filter, d.Entries = f, es
	if len(es) == pageSize {
		nq := r.URL.Query()
		nq.Set("before", strconv.FormatInt(es[len(es)-1].Seq, 10))
		d.Next = nq.Encode()
	}
	return h.K.Render(w, r, http.StatusOK, "admin/audit", d)
}

type outboxData struct {
	Filter notify.Filter
	Items  []notify.Item
	Next   string
}

func (h *HTTP) outbox(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	q := r.URL.Query()
	f := notify.Filter{OrgID: p.OrgID, Limit: 50}
	switch c := q.Get("channel"); c {
	case notify.ChannelEmail, notify.ChannelSMS:
		f.Channel = c
	}
	switch s := q.Get("status"); s {
	case notify.StatusQueued, notify.StatusSent, notify.StatusFailed, notify.StatusHeld:
		f.Status = s
	}
	if b, err := time.Parse(time.RFC3339Nano, q.Get("before")); err == nil {
		f.Before = b
	}
	items, err := h.Outbox.List(r.Context(), f)
	if err != nil {
		return err
	}
	d := outboxData{Filter: f, Items: items}
	if len(items) == f.Limit {
		nq := r.URL.Query()
		nq.Set("before", items[len(items)-1].CreatedAt.Format(time.RFC3339Nano))
		d.Next = nq.Encode()
	}
	return h.K.Render(w, r, http.StatusOK, "admin/outbox", d)
}
