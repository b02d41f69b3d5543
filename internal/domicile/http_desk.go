package domicile

import (
	"net/http"
	"time"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/web"
)

// The reception desk, keyboard first: the search field has the focus; a
// name (any spelling), a number or a scanned card, then Enter; with one
// file found its intake form shows, letter and quantity 1 already chosen,
// so Enter records it; the confirmation says what was recorded and the
// focus is back in the search field for the next one.

type deskData struct {
	Query   string
	Results []Entry
	// Chosen is the file whose intake form shows.
	Chosen  *fileData
	In      IntakeInput
	Today   []DeskRow
	Problem *apperr.Error
	Now     time.Time
}

// MailKinds are the kinds, for the template.
func (d *deskData) MailKinds() []string { return MailKinds }

func (h *HTTP) deskData(r *http.Request, q, fileID string) (*deskData, error) {
	ctx, p := r.Context(), auth.From(r.Context())
	d := &deskData{Query: clip(web.Clean(q), 100), In: IntakeInput{Kind: "letter", Quantity: 1}, Now: h.S.Clock.Now()}
	var err error
	if d.Query != "" {
		if d.Results, err = h.S.Find(ctx, p, d.Query, 20); err != nil {
			return nil, err
		}
		if len(d.Results) == 1 && fileID == "" {
			fileID = d.Results[0].File.ID
		}
	}
	if fileID != "" {
		if d.Chosen, err = h.fileData(r, fileID, "desk"); err != nil {
			return nil, err
		}
	}
	if d.Today, err = h.S.TodayIntakes(ctx, p, 15); err != nil {
		return nil, err
	}
	return d, nil
}

func (h *HTTP) desk(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d, err := h.deskData(r, q.Get("q"), q.Get("file"))
	if err != nil {
		return err
	}
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") == "desk-results" {
		return h.K.Fragment(w, r, "domicile/desk", "deskresults", d)
	}
	return h.K.Render(w, r, http.StatusOK, "domicile/desk", d)
}

func (h *HTTP) intake(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := IntakeInput{FileID: f.Value("file"), Kind: f.Value("kind"), Quantity: intField(f, "quantity", 1, maxQuantity, 1),
		Sender: f.Optional("sender", maxShort), NPAI: f.Bool("npai")}
	var m *Mail
	var fl *File
	if f.OK() {
		m, fl, err = h.S.Intake(r.Context(), auth.From(r.Context()), in)
	} else {
		err = apperr.Validation(f.Errors)
	}
	if err != nil {
		ae, isInvalid := invalid(err)
		ce, isConflict := conflict(err)
		if !isInvalid && !isConflict {
			return err
		}
		d, derr := h.deskData(r, f.Value("q"), in.FileID)
		if derr != nil {
			return derr
		}
		d.In = in
		if isConflict {
			d.Problem = ce
			return h.K.Render(w, r, http.StatusConflict, "domicile/desk", d)
		}
		return h.K.RenderInvalid(w, r, "domicile/desk", d, ae.Fields)
	}
	key := "domicile.mail.recorded." + m.Kind
	if m.Status == OutNPAI {
		key = "domicile.mail.recorded_npai"
	}
	return h.K.Done(w, r, "/domiciliation/mail", key, "Count", m.Quantity, "Number", fl.Number, "Pending", fl.Pending())
}

// ---- batch ----

type batchData struct {
	SitesData
	Site   string
	Text   string
	Errors []BatchError
}

func (h *HTTP) batchForm(w http.ResponseWriter, r *http.Request) error {
	sd, err := h.sites(r.Context(), auth.From(r.Context()), auth.PermDomicileMail)
	if err != nil {
		return err
	}
	d := batchData{SitesData: sd, Site: siteParam(r, sd)}
	if d.Site == "" && len(sd.Sites) > 0 {
		d.Site = sd.Sites[0].ID
	}
	return h.K.Render(w, r, http.StatusOK, "domicile/batch", d)
}

func (h *HTTP) batch(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	sd, err := h.sites(r.Context(), p, auth.PermDomicileMail)
	if err != nil {
		return err
	}
	d := batchData{SitesData: sd, Site: f.Value("site"), Text: f.Value("lines")}
	lines, errs := ParseBatch(d.Text)
	if len(errs) > 0 {
		d.Errors = errs
		return h.K.RenderInvalid(w, r, "domicile/batch", d, map[string]string{"lines": "domicile.batch.has_errors"})
	}
	res, errs, err := h.S.BatchIntake(r.Context(), p, d.Site, lines)
	if ae, ok := invalid(err); ok {
		return h.K.RenderInvalid(w, r, "domicile/batch", d, ae.Fields)
	}
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		d.Errors = errs
		return h.K.RenderInvalid(w, r, "domicile/batch", d, map[string]string{"lines": "domicile.batch.has_errors"})
	}
	return h.K.Done(w, r, "/domiciliation/mail/batch?site="+d.Site, "domicile.batch.done", "Count", res.Items, "Files", res.Files,
		"Letters", res.ByKind["letter"], "Registered", res.ByKind["registered"], "Parcels", res.ByKind["parcel"])
}
