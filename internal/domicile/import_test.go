package domicile_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"parcours/internal/domicile"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// DomiFa's column set (domifa.md §2.13), its codes and French headers.
const domifaCSV = "ID;Civilité;Nom;Prénom;Date de naissance;Lieu de naissance;Téléphone;Statut;Type dom;Date de début;Date de fin;" +
	"Date de première domiciliation;Date du dernier passage;Motif de radiation;Lien avec la commune;Composition du ménage;Cause;" +
	"AD 1 nom;AD 1 prénom;AD 1 date de naissance;AD 1 lien\n" +
	"501;F;Diallo;Aminata;12/03/1985;Conakry;0612345678;VALIDE;PREMIERE_DOM;05/01/2026;04/01/2027;05/01/2026;20/11/2026;;RESIDENTIEL;" +
	"FEMME_ISOLE_AVEC_ENFANT;RUPTURE;Diallo;Fatou;04/07/2015;ENFANT\n" +
	"502;H;Popescu;Ion;1975-02-14;;;RADIE;RENOUVELLEMENT;2025-03-01;2026-02-28;2024-03-01;2025-10-01;ENTREE_LOGEMENT;;;;;;;\n"

// The import: preview with each line's errors, nothing imported while one
// remains; then everything in one transaction, with the decisions the
// annual report counts.
func TestImportPreviewThenAllOrNothing(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		s := f.s()
		pm := f.p(f.manager)
		bad := domifaCSV + "503;X;;;31/02/2026;;;VALIDE;;;;;;;;;;;;;\n"
		pv, err := s.UploadImport(f.ctx(f.manager), pm, f.siteA.ID, "domifa.csv", []byte(bad))
		if err != nil {
			t.Fatal(err)
		}
		if pv.Rows != 2 || len(pv.Errors) < 3 {
			t.Fatalf("preview rows %d errors %+v", pv.Rows, pv.Errors)
		}
		for _, le := range pv.Errors {
			if le.Line != 4 {
				t.Errorf("error on line %d: %+v", le.Line, le)
			}
		}
		n, errs, err := s.ConfirmImport(f.ctx(f.manager), pm, pv.Import.ID)
		if err != nil || n != 0 || len(errs) == 0 {
			t.Fatalf("confirm with errors: %d %v %v", n, errs, err)
		}
		var files int
		if err := f.DB.R.NewSelect().Table("dom_files").ColumnExpr("COUNT(*)").Scan(context.Background(), &files); err != nil || files != 0 {
			t.Fatalf("imported despite errors: %d %v", files, err)
		}
		// Through the pages: upload, preview, confirm.
		b := f.as(f.manager)
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		_ = mw.WriteField("site", f.siteA.ID)
		fw, _ := mw.CreateFormFile("file", "domifa.csv")
		_, _ = fw.Write([]byte(domifaCSV))
		_ = mw.Close()
		req, _ := http.NewRequest(http.MethodPost, f.Server.URL+"/fr/domiciliation/import", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		resp, err := b.Client.Do(req)
		if err != nil || resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %v %v", err, resp)
		}
		loc := resp.Header.Get("Location")
		page := get(t, b, loc)
		mustContain(t, page, "preview", f.frN("domicile.import.ready", 2))
		page = post(t, b, loc, url.Values{})
		mustContain(t, page, "import done", f.frN("domicile.import.done", 2))
		a := f.fileByNumber(t, 501)
		if a.Status != domicile.StatusValid || !a.EndOn.Equal(day("2027-01-04")) || a.Civility != "mme" || a.LastContactOn.Format(time.DateOnly) != "2026-11-20" {
			t.Fatalf("imported 501: %+v", a)
		}
		deps, _ := s.Dependants(context.Background(), a.ID)
		if len(deps) != 1 || deps[0].Link != "child" {
			t.Fatalf("dependants %+v", deps)
		}
		// 502's radiation has no date: it is taken at the end of its period.
		r, err := s.Report(context.Background(), pm, day("2025-01-01"), day("2025-12-31"), "")
		if err != nil || r.Ended != 0 || r.Covered != 1 || r.GrantedRenewal != 1 {
			t.Fatalf("2025 report of the imported files: %+v %v", r, err)
		}
		if r, err = s.Report(context.Background(), pm, day("2026-01-01"), day("2026-11-25"), ""); err != nil || r.Ended != 1 || r.Covered != 1 {
			t.Fatalf("2026 report of the imported files: %+v %v", r, err)
		}
		// New numbers follow the imported ones.
		fl := f.domiciled(t, f.person(t, "Nouvelle", "Personne", "1999-01-01"))
		if fl.Number != 503 {
			t.Fatalf("next number %d", fl.Number)
		}
		// The same file again: every line is a possible duplicate.
		pv, err = s.UploadImport(f.ctx(f.manager), pm, f.siteA.ID, "again.csv", []byte(domifaCSV))
		if err != nil || pv.Duplicates != 2 {
			t.Fatalf("re-import: %v %+v", err, pv)
		}
	})
}

func (f *fx) fileByNumber(t *testing.T, n int) *domicile.File {
	t.Helper()
	fl := new(domicile.File)
	if err := f.DB.R.NewSelect().Model(fl).Where("f.org_id = ? AND f.number = ?", f.org.ID, n).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return fl
}

// An XLSX with dates as Excel serial numbers imports too.
func TestImportXLSX(t *testing.T) {
	x := excelize.NewFile()
	rows := [][]any{{"nom", "prenom", "statut", "date_debut", "date_fin"}, {"Camara", "Fatoumata", "VALIDE", 46027, 46391}}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	tb, err := domicile.ParseTable("f.xlsx", buf.Bytes())
	if err != nil || len(tb.Rows) != 1 || tb.Rows[0][3] != "46027" {
		t.Fatalf("xlsx: %v %+v", err, tb)
	}
}

// The export needs the second confirmation, and is in the audit trail.
func TestExportSecondConfirmationAndAudit(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		f.domiciled(t, f.person(t, "Awa", "Traoré", "1992-02-02"))
		b := f.as(f.manager)
		if r := b.Post("/fr/domiciliation/export", url.Values{}); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("export without confirmation: %d", r.Status)
		}
		r := b.Post("/fr/domiciliation/export", url.Values{"confirm": {"1"}})
		if r.Status != http.StatusOK || !strings.Contains(r.Header.Get("Content-Disposition"), ".xlsx") {
			t.Fatalf("export: %d %v", r.Status, r.Header)
		}
		x, err := excelize.OpenReader(strings.NewReader(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := x.GetRows("Sheet1")
		if len(got) != 2 || got[1][4] != "Traoré" {
			t.Fatalf("rows %v", got)
		}
		var n int
		if err := f.DB.R.NewSelect().Table("audit_log").ColumnExpr("COUNT(*)").Where("action = 'domicile.export.xlsx'").Scan(context.Background(), &n); err != nil || n != 1 {
			t.Fatalf("audit entries %d %v", n, err)
		}
	})
}

// Retention: a closed file is listed (dry run) once past the period after
// the last contact, then purged after the grace period; a file in force
// never is.
func TestRetentionDryRunThenPurge(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		s := f.s()
		ended := f.domiciled(t, f.person(t, "Awa", "Traoré", "1992-02-02"))
		kept := f.domiciled(t, f.person(t, "Bilal", "Khan", "1988-08-08"))
		if _, err := s.Decide(f.ctx(f.manager), f.p(f.manager), ended.ID, domicile.DecisionInput{To: domicile.StatusEnded,
			Reason: "person_request"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Intake(f.ctx(f.reception), f.p(f.reception), domicile.IntakeInput{FileID: kept.ID, Kind: "letter"}); err != nil {
			t.Fatal(err)
		}
		f.Clock.Advance(25 * 30 * 24 * time.Hour)
		res, err := s.RunRetention(context.Background())
		if err != nil || res.Noticed != 2 || res.Purged != 0 {
			t.Fatalf("first run %+v %v", res, err)
		}
		rows, months, err := s.RetentionReport(f.ctx(f.manager), f.p(f.manager))
		if err != nil || len(rows) != 2 || months != 24 {
			t.Fatalf("report %d %d %v", len(rows), months, err)
		}
		// Bilal's election (expired, never radiated) gets a renewal: he
		// comes back, and leaves the report.
		if _, err := s.Renew(f.ctx(f.worker), f.p(f.worker), kept.ID, nil); err != nil {
			t.Fatal(err)
		}
		f.Clock.Advance(domicile.RetentionGrace + time.Hour)
		if res, err = s.RunRetention(context.Background()); err != nil || res.Purged != 1 {
			t.Fatalf("second run %+v %v", res, err)
		}
		got := f.file(t, ended.ID)
		if got.AnonymisedAt == nil || got.PersonID != nil {
			t.Fatalf("not purged: %+v", got)
		}
		var mail int
		if err := f.DB.R.NewSelect().Table("dom_mail").ColumnExpr("COUNT(*)").Where("file_id = ?", ended.ID).Scan(context.Background(), &mail); err != nil || mail != 0 {
			t.Fatalf("mail left %d", mail)
		}
		// The decisions stay for the reports, without personal text.
		r, err := s.Report(context.Background(), f.p(f.manager), day("2026-01-01"), day("2026-12-31"), "")
		if err != nil || r.Ended != 1 || r.Granted != 2 {
			t.Fatalf("report after purge %+v %v", r, err)
		}
		if f.file(t, kept.ID).AnonymisedAt != nil {
			t.Fatal("the renewed file was purged")
		}
	})
}

// CERFA 16029 carries the request, the receipt and, once decided, the
// decision slip; attestations are re-printed per decision; the provisional
// attestation runs from today for one year.
func TestCerfaRequestReprintProvisional(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		s := f.s()
		per := f.person(t, "Ion", "Popescu", "1975-02-14")
		fl, err := s.CreateRequest(f.ctx(f.worker), f.p(f.worker), domicile.RequestInput{PersonID: per.ID, SiteID: f.siteA.ID, Civility: "m"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.GiveReceipt(f.ctx(f.worker), f.p(f.worker), fl.ID); err != nil {
			t.Fatal(err)
		}
		fields := f.cerfa(t, fl.ID, domicile.CerfaProvisional, "")
		if fields["jourDebut"] != "25" || fields["anneeFin"] != "2027" || fields["jourFin"] != "24" {
			t.Fatalf("provisional %v", fields)
		}
		if err := s.SaveInterview(f.ctx(f.worker), f.p(f.worker), fl.ID, domicile.Interview{}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Decide(f.ctx(f.manager), f.p(f.manager), fl.ID, domicile.DecisionInput{To: domicile.StatusValid}); err != nil {
			t.Fatal(err)
		}
		fields = f.cerfa(t, fl.ID, domicile.CerfaRequest, "")
		for k, v := range map[string]string{"noms1": "POPESCU", "sexe1": "2", "typeDemande": "1", "numeroUsager": "1", "decision": "1",
			"jourDecision1B": "25", "signature1B": "Paris", "noms2": "POPESCU", "jourDecision2": "25"} {
			if fields[k] != v {
				t.Errorf("request %s = %q, want %q", k, fields[k], v)
			}
		}
		// A year later, renewed: both attestations can be printed.
		first, err := s.Decisions(context.Background(), fl.ID)
		if err != nil {
			t.Fatal(err)
		}
		f.Clock.Advance(330 * 24 * time.Hour)
		if _, err := s.Renew(f.ctx(f.worker), f.p(f.worker), fl.ID, nil); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveInterview(f.ctx(f.worker), f.p(f.worker), fl.ID, domicile.Interview{}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Decide(f.ctx(f.manager), f.p(f.manager), fl.ID, domicile.DecisionInput{To: domicile.StatusValid}); err != nil {
			t.Fatal(err)
		}
		if got := f.cerfa(t, fl.ID, domicile.CerfaAttestation, ""); got["anneeDebut"] != "2027" || got["anneePremiereDom"] != "2026" {
			t.Fatalf("current attestation %v", got)
		}
		if got := f.cerfa(t, fl.ID, domicile.CerfaAttestation, first[0].ID); got["anneeDebut"] != "2026" || got["jourDecision1A"] != "25" {
			t.Fatalf("re-print %v", got)
		}
	})
}

func (f *fx) cerfa(t *testing.T, id string, kind domicile.CerfaKind, decision string) map[string]string {
	t.Helper()
	pdf, _, err := f.s().Cerfa(f.ctx(f.worker), f.p(f.worker), id, kind, decision)
	if err != nil {
		t.Fatal(err)
	}
	fields, err := domicile.FormFields(pdf)
	if err != nil {
		t.Fatal(err)
	}
	return fields
}
