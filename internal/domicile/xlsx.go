package domicile

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/xuri/excelize/v2"

	"parcours/internal/people"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/i18n"
)

// sheetWriter writes rows to one sheet of a workbook.
type sheetWriter struct {
	f     *excelize.File
	sheet string
	row   int
	err   error
}

func newSheet(f *excelize.File, name string, first bool) *sheetWriter {
	if first {
		if err := f.SetSheetName("Sheet1", name); err != nil {
			return &sheetWriter{err: err}
		}
	} else if _, err := f.NewSheet(name); err != nil {
		return &sheetWriter{err: err}
	}
	return &sheetWriter{f: f, sheet: name}
}

func (w *sheetWriter) add(cells ...any) {
	if w.err != nil {
		return
	}
	w.row++
	cell, err := excelize.CoordinatesToCellName(1, w.row)
	if err != nil {
		w.err = err
		return
	}
	w.err = w.f.SetSheetRow(w.sheet, cell, &cells)
}

// ReportXLSX writes the annual report as a workbook in the user's language:
// one sheet per axis.
func (s *Service) ReportXLSX(r *Report, l *i18n.L, siteName string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	label := func(name, key string) string {
		if key == "" {
			return l.T("domicile.report.not_given")
		}
		return l.T("domicile." + name + "." + key)
	}
	a1 := newSheet(f, l.T("domicile.report.axis1_short"), true)
	a1.add(l.T("domicile.report.title"), siteName)
	a1.add(l.T("domicile.report.period"), r.From.Format("02/01/2006"), r.To.Format("02/01/2006"))
	a1.add()
	a1.add(l.T("domicile.report.covered"), r.Covered)
	a1.add(l.T("domicile.report.dependants"), r.Dependants)
	a1.add(l.T("domicile.report.total_people"), r.Covered+r.Dependants)
	for _, b := range r.Breakdowns {
		a1.add()
		a1.add(l.T("domicile.report.by." + b.Name))
		for _, c := range b.Lines {
			a1.add(label(breakdownVocab(b.Name), c.Key), c.N)
		}
	}
	a2 := newSheet(f, l.T("domicile.report.axis2_short"), false)
	a2.add(l.T("domicile.report.granted"), r.Granted)
	a2.add(l.T("domicile.report.granted_first"), r.GrantedFirst)
	a2.add(l.T("domicile.report.granted_renewal"), r.GrantedRenewal)
	a2.add(l.T("domicile.report.granted_dependants"), r.GrantedDependants)
	a2.add()
	a2.add(l.T("domicile.report.ended"), r.Ended)
	for _, c := range r.EndedBy {
		a2.add(label("end_reason", c.Key), c.N)
	}
	a2.add()
	a2.add(l.T("domicile.report.refused"), r.Refused)
	for _, c := range r.RefusedBy {
		a2.add(label("refusal_reason", c.Key), c.N)
	}
	a2.add()
	a2.add(l.T("domicile.report.referrals"))
	for _, c := range r.Referrals {
		a2.add(label("referral", c.Key), c.N)
	}
	a3 := newSheet(f, l.T("domicile.report.axis3_short"), false)
	head := []any{""}
	for _, o := range MailOutcomes {
		head = append(head, l.T("domicile.report.outcome."+o))
	}
	a3.add(head...)
	for _, row := range r.MailRows() {
		cells := []any{l.T("domicile.mail_kind." + row.Kind)}
		for _, n := range row.Counts {
			cells = append(cells, n)
		}
		a3.add(cells...)
	}
	a3.add()
	for _, c := range r.Contacts() {
		a3.add(l.T("domicile.contact_kind."+c.Key), c.N)
	}
	for _, w := range []*sheetWriter{a1, a2, a3} {
		if w.err != nil {
			return nil, w.err
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// breakdownVocab maps a breakdown to the vocabulary of its labels.
func breakdownVocab(name string) string {
	switch name {
	case "age":
		return "age_band"
	case "kind":
		return "request_kind"
	case "support":
		return "yes_no"
	}
	return name
}

// ExportColumns are the columns of the files export, also the import
// template's first columns (see importer.go).
var ExportColumns = []string{"numero", "statut", "type", "civilite", "nom", "prenom", "date_naissance", "lieu_naissance", "telephone",
	"email", "date_demande", "date_debut", "date_fin", "date_premiere_dom", "date_dernier_passage", "courriers_en_attente", "site"}

// ExportXLSX writes the files of the user's sites as a workbook (personal
// data: managers, after a second confirmation; the export is in the audit
// trail with its row count).
func (s *Service) ExportXLSX(ctx context.Context, p *auth.Principal, l *i18n.L) ([]byte, int, error) {
	sc, err := scope(p, auth.PermDomicileManage)
	if err != nil {
		return nil, 0, err
	}
	sites, err := s.Sites(ctx, p, auth.PermDomicileManage)
	if err != nil {
		return nil, 0, err
	}
	siteNames := map[string]string{}
	for _, st := range sites {
		siteNames[st.ID] = st.Name
	}
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return nil, 0, err
	}
	head := make([]any, len(ExportColumns))
	for i, c := range ExportColumns {
		head[i] = c
	}
	if err := sw.SetRow("A1", head); err != nil {
		return nil, 0, err
	}
	date := func(t *time.Time) any {
		if t == nil {
			return ""
		}
		return t.Format("02/01/2006")
	}
	n := 0
	last := 0
	for {
		var fs []File
		q := inScope(s.DB.R.NewSelect().Model(&fs).Where("f.org_id = ? AND f.anonymised_at IS NULL AND f.number > ?", p.OrgID, last), sc)
		if err := q.Order("f.number").Limit(2000).Scan(ctx); err != nil {
			return nil, 0, err
		}
		if len(fs) == 0 {
			break
		}
		last = fs[len(fs)-1].Number
		es, err := s.entries(ctx, s.DB.R, p.OrgID, fs)
		if err != nil {
			return nil, 0, err
		}
		for _, e := range es {
			f := e.File
			given, family := e.LatinName()
			var birth *time.Time
			phone := ""
			if per := e.Person; per != nil {
				birth, phone = per.BirthDate, people.FormatPhone(per.Phone)
			}
			n++
			cell, _ := excelize.CoordinatesToCellName(1, n+1)
			row := []any{f.Number, l.T("domicile.status." + f.Status), l.T("domicile.request_kind." + f.Kind), f.Civility, family, given,
				date(birth), f.BirthPlace, phone, f.Email, date(&f.RequestedOn), date(f.StartOn), date(f.EndOn), date(f.FirstOn),
				date(&f.LastContactOn), f.Pending(), siteNames[f.SiteID]}
			if err := sw.SetRow(cell, row); err != nil {
				return nil, 0, err
			}
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, 0, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, 0, err
	}
	if err := s.Audit.RecordNow(ctx, audit.Event{Action: "domicile.export.xlsx", ObjectType: "org", ObjectID: p.OrgID,
		Details: map[string]any{"rows": n, "bytes": buf.Len(), "sites": fmt.Sprint(len(siteNames))}}); err != nil {
		return nil, 0, err
	}
	return buf.Bytes(), n, nil
}
