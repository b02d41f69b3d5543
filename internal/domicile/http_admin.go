package domicile

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/web"
)

// ---- annual report ----

type reportData struct {
	SitesData
	Site     string
	From, To time.Time
	Year     int
	Years    []int
	R        *Report
	SiteName string
}

// Vocab maps a breakdown to its labels' vocabulary.
func (d reportData) Vocab(name string) string { return breakdownVocab(name) }

// Outcomes are the columns of the mail table.
func (d reportData) Outcomes() []string { return MailOutcomes }

// reportPeriod reads the period: a year (the calendar year, D264-8: the
// situation at 31 December), or explicit dates.
func (h *HTTP) reportPeriod(r *http.Request) (from, to time.Time, year int, fields map[string]string) {
	q := r.URL.Query()
	today := h.S.today()
	year = today.Year()
	if y, err := strconv.Atoi(q.Get("year")); err == nil && y >= 2000 && y <= today.Year() {
		year = y
	}
	from = time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	to = time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
	if to.After(today) {
		to = today
	}
	fields = map[string]string{}
	if v := q.Get("from"); v != "" {
		if t, ok := web.ParseDate(v); ok {
			from = t
		} else {
			fields["from"] = "common.form.date_invalid"
		}
	}
	if v := q.Get("to"); v != "" {
		if t, ok := web.ParseDate(v); ok {
			to = t
		} else {
			fields["to"] = "common.form.date_invalid"
		}
	}
	return from, to, year, fields
}

func (h *HTTP) reportData(r *http.Request) (*reportData, map[string]string, error) {
	p := auth.From(r.Context())
	sd, err := h.sites(r.Context(), p, auth.PermDomicileMail)
	if err != nil {
		return nil, nil, err
	}
	from, to, year, fields := h.reportPeriod(r)
	d := &reportData{SitesData: sd, Site: siteParam(r, sd), From: from, To: to, Year: year}
	for y := h.S.today().Year(); y >= h.S.today().Year()-5; y-- {
		d.Years = append(d.Years, y)
	}
	d.SiteName = sd.Names[d.Site]
	if len(fields) > 0 {
		return d, fields, nil
	}
	d.R, err = h.S.Report(r.Context(), p, from, to, d.Site)
	if ae, ok := invalid(err); ok {
		return d, ae.Fields, nil
	}
	return d, nil, err
}

func (h *HTTP) report(w http.ResponseWriter, r *http.Request) error {
	d, fields, err := h.reportData(r)
	if err != nil {
		return err
	}
	if len(fields) > 0 {
		return h.K.RenderInvalid(w, r, "domicile/report", d, fields)
	}
	return h.K.Render(w, r, http.StatusOK, "domicile/report", d)
}

func (h *HTTP) reportXLSX(w http.ResponseWriter, r *http.Request) error {
	d, fields, err := h.reportData(r)
	if err != nil {
		return err
	}
	if len(fields) > 0 {
		return apperr.Validation(fields)
	}
	l := h.K.Catalog.Localizer(web.Lang(r.Context()).Tag)
	name := d.SiteName
	if name == "" {
		name = auth.From(r.Context()).OrgName
	}
	b, err := h.S.ReportXLSX(d.R, l, name)
	if err != nil {
		return err
	}
	return download(w, fmt.Sprintf("rapport-domiciliation-%s-%s.xlsx", d.From.Format(time.DateOnly), d.To.Format(time.DateOnly)),
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b)
}

// ---- import ----

type importData struct {
	SitesData
	Site     string
	Preview  *Preview
	Columns  []string
	Imported int
}

// Column is the template's header of an error's column.
func (d importData) Column(col string) string { return ColumnName(col) }

func (h *HTTP) importSites(r *http.Request) (importData, error) {
	sd, err := h.sites(r.Context(), auth.From(r.Context()), auth.PermDomicileManage)
	if err != nil {
		return importData{}, err
	}
	d := importData{SitesData: sd, Columns: TemplateColumns}
	if len(sd.Sites) > 0 {
		d.Site = sd.Sites[0].ID
	}
	return d, nil
}

func (h *HTTP) importForm(w http.ResponseWriter, r *http.Request) error {
	d, err := h.importSites(r)
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "domicile/import", d)
}

func (h *HTTP) importTemplate(w http.ResponseWriter, r *http.Request) error {
	return download(w, "modele-import-domiciliation.csv", "text/csv; charset=utf-8", TemplateCSV())
}

func (h *HTTP) importUpload(w http.ResponseWriter, r *http.Request) error {
	d, err := h.importSites(r)
	if err != nil {
		return err
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		return h.K.RenderInvalid(w, r, "domicile/import", d, map[string]string{"file": "domicile.import.unreadable"})
	}
	d.Site = web.Clean(r.FormValue("site"))
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return h.K.RenderInvalid(w, r, "domicile/import", d, map[string]string{"file": "common.form.required"})
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, MaxImportBytes+1))
	if err != nil {
		return err
	}
	pv, err := h.S.UploadImport(r.Context(), auth.From(r.Context()), d.Site, hdr.Filename, data)
	if ae, ok := invalid(err); ok {
		return h.K.RenderInvalid(w, r, "domicile/import", d, ae.Fields)
	}
	if err != nil {
		return err
	}
	return web.Redirect(w, r, "/domiciliation/import/"+pv.Import.ID)
}

func (h *HTTP) importPreview(w http.ResponseWriter, r *http.Request) error {
	d, err := h.importSites(r)
	if err != nil {
		return err
	}
	if d.Preview, err = h.S.PreviewImport(r.Context(), auth.From(r.Context()), r.PathValue("id")); err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "domicile/preview", d)
}

func (h *HTTP) importConfirm(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	n, errs, err := h.S.ConfirmImport(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		d, err := h.importSites(r)
		if err != nil {
			return err
		}
		if d.Preview, err = h.S.PreviewImport(r.Context(), p, r.PathValue("id")); err != nil {
			return err
		}
		return h.K.RenderInvalid(w, r, "domicile/preview", d, map[string]string{"file": "domicile.import.has_errors"})
	}
	return h.K.Done(w, r, "/domiciliation", "domicile.import.done", "Count", n)
}

// ---- export ----

func (h *HTTP) exportForm(w http.ResponseWriter, r *http.Request) error {
	sd, err := h.sites(r.Context(), auth.From(r.Context()), auth.PermDomicileManage)
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "domicile/export", sd)
}

// export is the second confirmation: the box must be ticked.
func (h *HTTP) export(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	if !f.Bool("confirm") {
		sd, err := h.sites(r.Context(), p, auth.PermDomicileManage)
		if err != nil {
			return err
		}
		return h.K.RenderInvalid(w, r, "domicile/export", sd, map[string]string{"confirm": "domicile.export.confirm_required"})
	}
	b, _, err := h.S.ExportXLSX(r.Context(), p, h.K.Catalog.Localizer(web.Lang(r.Context()).Tag))
	if err != nil {
		return err
	}
	return download(w, "domiciliation-"+h.S.today().Format(time.DateOnly)+".xlsx",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b)
}

// ---- retention ----

type retentionData struct {
	Rows   []RetentionRow
	Months int
	All    bool
}

func (h *HTTP) retention(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	rows, months, err := h.S.RetentionReport(r.Context(), p)
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "domicile/retention", retentionData{Rows: rows, Months: months, All: p.Can(auth.PermSitesManage)})
}

func (h *HTTP) retentionSet(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	months := intField(f, "retention_months", 1, 1000, 0)
	if f.OK() {
		err = h.S.SetRetention(r.Context(), p, months)
	} else {
		err = apperr.Validation(f.Errors)
	}
	if ae, ok := invalid(err); ok {
		rows, m, rerr := h.S.RetentionReport(r.Context(), p)
		if rerr != nil {
			return rerr
		}
		return h.K.RenderInvalid(w, r, "domicile/retention", retentionData{Rows: rows, Months: m, All: true}, ae.Fields)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/domiciliation/retention", "domicile.retention.saved", "Months", months)
}

// ---- settings ----

type settingsData struct {
	SitesData
	Site string
	S    *Settings
	Days []int
}

func (h *HTTP) settingsData(r *http.Request, site string) (*settingsData, error) {
	p := auth.From(r.Context())
	sd, err := h.sites(r.Context(), p, auth.PermDomicileManage)
	if err != nil {
		return nil, err
	}
	if _, ok := sd.Names[site]; !ok {
		site = ""
		if len(sd.Sites) > 0 {
			site = sd.Sites[0].ID
		}
	}
	d := &settingsData{SitesData: sd, Site: site, Days: []int{1, 2, 3, 4, 5, 6, 7}}
	if site != "" {
		if d.S, err = h.S.Settings(r.Context(), h.S.DB.R, p.OrgID, site); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (h *HTTP) settingsForm(w http.ResponseWriter, r *http.Request) error {
	d, err := h.settingsData(r, r.URL.Query().Get("site"))
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "domicile/settings", d)
}

func (h *HTTP) settings(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	st := Settings{SiteID: f.Value("site"), Organism: f.Value("organism"), Manager: f.Value("manager"), Prefecture: f.Value("prefecture"),
		Approval: f.Value("approval"), MailAddress: f.Value("mail_address"), Email: f.Value("email"), Phone: f.Value("phone"),
		Attachment: f.Value("attachment"), Hours: f.Value("hours"), Capacity: intField(f, "capacity", 0, 1_000_000, 0),
		SMSEnabled: f.Bool("sms_enabled"), SMSDays: strings.Join(f.Values("sms_days"), ","), SMSHour: intField(f, "sms_hour", 0, 23, 19),
		PortalEnabled: f.Bool("portal_enabled")}
	if f.OK() {
		err = h.S.SaveSettings(r.Context(), auth.From(r.Context()), st)
	} else {
		err = apperr.Validation(f.Errors)
	}
	if ae, ok := invalid(err); ok {
		d, derr := h.settingsData(r, st.SiteID)
		if derr != nil {
			return derr
		}
		d.S = &st
		return h.K.RenderInvalid(w, r, "domicile/settings", d, ae.Fields)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/domiciliation/settings?site="+st.SiteID, "domicile.settings.saved")
}
