package pathway

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"parcours/internal/people"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/web"
)

// ---- the observatory export ----

type observatoryData struct {
	From, To time.Time
	Rows     []ObservatoryRow
	Sites    map[string]string
	MinCell  int
}

// RightKey is the message ID of a right (for templates).
func (observatoryData) RightKey(id string) string { return RightKey(id) }

// observatoryFilter reads the period: by default from the first day of the
// month a year ago to today.
func (h *HTTP) observatoryFilter(r *http.Request) (DelayFilter, map[string]string) {
	today := people.Today(h.S.Clock.Now())
	return period(r, DelayFilter{From: time.Date(today.Year()-1, today.Month(), 1, 0, 0, 0, 0, time.UTC), To: today})
}

// period reads the from and to dates of a statistics page's query, def
// where they are absent; an invalid date keeps def and is a field error.
func period(r *http.Request, def DelayFilter) (DelayFilter, map[string]string) {
	f := def
	var fields map[string]string
	for name, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
		if s := r.URL.Query().Get(name); s != "" {
			if t, ok := web.ParseDate(s); ok {
				*dst = t
			} else {
				fields = map[string]string{name: "common.form.date_invalid"}
			}
		}
	}
	return f, fields
}

func (h *HTTP) observatory(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	f, fields := h.observatoryFilter(r)
	rows, err := h.S.Observatory(r.Context(), p, f)
	if err != nil {
		return err
	}
	d := observatoryData{From: f.From, To: f.To, Rows: rows, MinCell: MinCell}
	if d.Sites, err = h.S.names(r.Context(), "sites", p.OrgID); err != nil {
		return err
	}
	if fields != nil {
		return h.K.RenderInvalid(w, r, "pathway/observatory", d, fields)
	}
	return h.K.Render(w, r, http.StatusOK, "pathway/observatory", d)
}

// String is a published count: the number, or "<11".
func (c Cell) String() string {
	if c.Masked {
		return "<" + strconv.Itoa(MinCell)
	}
	return strconv.Itoa(c.N)
}

func (h *HTTP) observatoryCSV(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	f, fields := h.observatoryFilter(r)
	if fields != nil {
		return apperr.Validation(fields)
	}
	rows, err := h.S.Observatory(r.Context(), p, f)
	if err != nil {
		return err
	}
	sites, err := h.S.names(r.Context(), "sites", p.OrgID)
	if err != nil {
		return err
	}
	l := h.K.Catalog.Localizer(web.Lang(r.Context()).Tag)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="observatoire-`+f.From.Format("2006-01")+`-`+f.To.Format("2006-01")+`.csv"`)
	cw := csv.NewWriter(w)
	header := []string{"pathway.observatory.col.month", "pathway.observatory.col.site", "pathway.observatory.col.right_code",
		"pathway.observatory.col.right", "pathway.observatory.col.submitted", "pathway.observatory.col.granted"}
	for i, k := range header {
		header[i] = l.T(k)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, row := range rows {
		if err := cw.Write([]string{row.Month, csvSafe(sites[row.SiteID]), row.Right, csvSafe(l.T(RightKey(row.Right))),
			row.Submitted.String(), row.Granted.String()}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a spreadsheet from reading a text cell as a formula.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@') {
		return "'" + s
	}
	return s
}
