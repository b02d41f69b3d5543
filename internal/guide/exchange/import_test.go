package exchange_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"parcours/internal/guide"
	"parcours/internal/guide/exchange"
	"parcours/internal/org"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// ix is a world with a centre importing into its guide.
type ix struct {
	*testkit.World
	t      *testing.T
	S      *exchange.Service
	centre *org.Org
	admin  *auth.User
	p      *auth.Principal
}

func newIX(t *testing.T, e db.Engine) *ix {
	t.Helper()
	w := testkit.NewWorld(t, e)
	x := &ix{World: w, t: t}
	x.S = &exchange.Service{DB: w.DB, Audit: w.App.Audit, Clock: w.Clock, Guide: w.App.Guide, BaseURL: "http://parcours.test"}
	x.centre = w.Org("Centre importateur")
	x.admin = w.User(x.centre, "admin@import.test", auth.Membership{Role: auth.Admin})
	x.p = principal(x.admin, x.centre)
	return x
}

func principal(u *auth.User, o *org.Org) *auth.Principal {
	return &auth.Principal{UserID: u.ID, OrgID: o.ID, Name: u.Name, Memberships: []auth.Membership{{Role: auth.Admin}}}
}

func (x *ix) upload(files ...exchange.File) string {
	x.t.Helper()
	id, err := x.S.Upload(context.Background(), x.p, files)
	if err != nil {
		x.t.Fatalf("upload: %v", err)
	}
	return id
}

func (x *ix) confirm(id string) *exchange.Result {
	x.t.Helper()
	pl, res, err := x.S.Confirm(context.Background(), x.p, id)
	if err != nil {
		x.t.Fatal(err)
	}
	if res == nil {
		x.t.Fatalf("confirm refused: %s", describe(pl))
	}
	return res
}

// describe lists a plan's messages.
func describe(pl *exchange.Plan) string {
	var b strings.Builder
	for _, l := range pl.Lines {
		for _, m := range append(slices.Clone(l.Errors), l.Warnings...) {
			fmt.Fprintf(&b, "%s:%d %s %v\n", l.File, l.Line, m.Key, m.Args)
		}
	}
	return b.String()
}

// keys lists the message IDs of a line.
func keys(ms []exchange.Msg) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Key)
	}
	return out
}

const structuresJSON = `[
 {"source": "soliguide", "id": "s-1", "nom": "Accueil Solidaire", "description": "Accueil de jour pour les personnes exilées, avec douches et conseils.",
  "date_maj": "2026-10-01", "siret": "12345678901234", "adresse": "10 rue des Lilas", "code_postal": "75019", "commune": "Paris",
  "latitude": 48.88, "longitude": 2.38, "courriel": "contact@accueil.example", "site_web": "https://accueil.example"},
 {"source": "soliguide", "id": "s-2", "nom": "Cours du Soir", "description": "Association de cours de français.", "date_maj": "2026-09-01"}
]`

const servicesJSON = `[
 {"source": "soliguide", "structure_id": "s-1", "id": "v-1", "nom": "Permanence juridique", "description": "Une juriste répond à vos questions sur le séjour et l'asile.",
  "date_maj": "2026-10-02", "type": "accompagnement", "frais": "gratuit",
  "thematiques": ["difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits", "sante--sante-mentale"],
  "publics": ["personnes-exilees", "familles", "seniors"], "publics_precisions": "Adultes et familles.",
  "conditions_acces": "Apporter une pièce d'identité si vous en avez une.", "telephone": "01 40 00 00 01",
  "modes_accueil": ["en-presentiel"], "modes_mobilisation": ["se-presenter", "telephoner"], "mobilisable_par": ["usagers", "professionnels"],
  "mobilisation_precisions": "Venez le matin.", "horaires_accueil": "Mo-Fr 09:00-12:30; We 14:00-17:00; PH off; 2026 Dec 24-2026 Dec 26 off"},
 {"source": "soliguide", "structure_id": "s-2", "id": "v-2", "nom": "Français pour tous", "description": "Cours de français du soir, tous niveaux.",
  "date_maj": "2026-09-02", "thematiques": ["lecture-ecriture-calcul--maitriser-le-francais"], "publics": ["femmes"],
  "adresse": "3 place de la Mairie", "code_postal": "75011", "commune": "Paris", "modes_mobilisation": ["envoyer-un-courriel"],
  "courriel": "cours@soir.example", "horaires_accueil": "Tu,Th 18:30-20:30", "contact_nom_prenom": "Jeanne Exemple"},
 {"source": "soliguide", "structure_id": "s-2", "id": "v-3", "nom": "Prêt de vélos", "description": "Des vélos prêtés pour aller en cours.",
  "date_maj": "2026-09-03", "thematiques": ["numerique--acquerir-un-equipement"], "modes_accueil": ["a-distance"]}
]`

func TestImportPreviewThenConfirm(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		x := newIX(t, e)
		ctx := context.Background()
		id := x.upload(exchange.File{Name: "structures.json", Data: []byte(structuresJSON)},
			exchange.File{Name: "services.json", Data: []byte(servicesJSON)})
		before := testkit.Snapshot(t, x.DB)
		pl, err := x.S.Preview(ctx, x.p, id)
		if err != nil {
			t.Fatal(err)
		}
		testkit.SameState(t, before, testkit.Snapshot(t, x.DB), "the preview")
		if pl.Errors != 0 || pl.Create != 5 || pl.Update != 0 || len(pl.Lines) != 5 {
			t.Fatalf("plan: %+v\n%s", pl, describe(pl))
		}
		var notices []string
		for _, n := range pl.Notices {
			notices = append(notices, fmt.Sprint(n.Args["Field"]))
		}
		for _, col := range []string{"siret", "type", "contact_nom_prenom"} {
			if !slices.Contains(notices, col) {
				t.Errorf("no notice for %s: %v", col, notices)
			}
		}
		v1 := pl.Lines[2]
		if v1.ID != "v-1" || !slices.Contains(keys(v1.Warnings), "exchange.import.warn.unmapped") || !slices.Contains(keys(v1.Warnings), "exchange.import.warn.hours") {
			t.Errorf("v-1 warnings: %v", v1.Warnings)
		}
		if v3 := pl.Lines[4]; !slices.Contains(keys(v3.Warnings), "exchange.import.warn.no_category") {
			t.Errorf("v-3 warnings: %v", v3.Warnings)
		}

		res := x.confirm(id)
		if res.Created != 5 || res.Updated != 0 {
			t.Errorf("result: %+v", res)
		}
		var svcs []guide.Service
		if err := x.DB.R.NewSelect().Model(&svcs).Where("org_id = ?", x.centre.ID).Order("name").Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if len(svcs) != 3 {
			t.Fatalf("%d services", len(svcs))
		}
		byName := map[string]*guide.Detail{}
		for _, sv := range svcs {
			if sv.Status != guide.Draft || sv.CheckedBy != "data·inclusion (soliguide)" {
				t.Errorf("%s: %s %s", sv.Name, sv.Status, sv.CheckedBy)
			}
			d, err := x.App.Guide.StaffService(ctx, x.p, sv.ID)
			if err != nil {
				t.Fatal(err)
			}
			byName[sv.Name] = d
		}
		pj := byName["Permanence juridique"]
		s := pj.Service
		if !s.Free || !s.WalkIn || !s.Appointment || !s.Referral || !s.WelcomeMen || !s.WelcomeWomen || !s.WelcomeFamilies || s.WelcomeMinors ||
			s.Eligibility != "Adultes et familles." || s.ApplicationProcess != "Venez le matin." || !strings.HasPrefix(s.DocumentsNote, "Apporter") ||
			s.CheckedOn.Format(time.DateOnly) != "2026-10-02" {
			t.Errorf("Permanence juridique: %+v", s)
		}
		if cats := slugs(pj.Categories); !slices.Equal(cats, []string{"legal-aid", "mental-health"}) {
			t.Errorf("categories %v", cats)
		}
		if len(pj.Phones) != 1 || pj.Phones[0].Number != "0140000001" {
			t.Errorf("phones %+v", pj.Phones)
		}
		if len(pj.Locations) != 1 || pj.Locations[0].Address != "10 rue des Lilas" || pj.Locations[0].Arrondissement != 19 || pj.Locations[0].Latitude == nil {
			t.Errorf("place %+v", pj.Locations)
		}
		if len(pj.Hours.Slots) != 5 || len(pj.Hours.Exceptions) != 1 || pj.Hours.Exceptions[0].EndsOn.Format(time.DateOnly) != "2026-12-26" {
			t.Errorf("hours %+v", pj.Hours)
		}
		for _, sl := range pj.Hours.Slots {
			if sl.Weekday == 3 && guide.Clock(sl.Opens) != "14:00" {
				t.Errorf("Wednesday is replaced by the later rule: %+v", sl)
			}
		}
		fr := byName["Français pour tous"]
		if !fr.Service.WelcomeWomen || fr.Service.WelcomeMen || !fr.Service.Appointment || fr.Service.Email != "cours@soir.example" ||
			!slices.Equal(slugs(fr.Categories), []string{"french-courses", "women"}) || len(fr.Locations) != 1 || fr.Locations[0].Arrondissement != 11 {
			t.Errorf("Français pour tous: %+v %v %+v", fr.Service, slugs(fr.Categories), fr.Locations)
		}
		if velo := byName["Prêt de vélos"]; len(velo.Categories) != 0 || len(velo.Locations) != 0 {
			t.Errorf("Prêt de vélos: %v %+v", slugs(velo.Categories), velo.Locations)
		}
		var entries []audit.Entry
		if err := x.DB.R.NewSelect().Model(&entries).Where("action = ?", "guide.exchange.import").Scan(ctx); err != nil || len(entries) != 1 ||
			!strings.Contains(entries[0].Details, `"created":5`) || entries[0].ObjectID != id {
			t.Errorf("audit: %v %+v", err, entries)
		}
		// Imported services are searchable (the guide's search text is built).
		if rows, err := x.App.Guide.Services(ctx, x.p, guide.ServiceFilter{Query: "juriste"}); err != nil || len(rows) != 1 {
			t.Errorf("search: %v %d", err, len(rows))
		}
		// The same upload cannot be confirmed twice.
		if _, _, err := x.S.Confirm(ctx, x.p, id); err == nil {
			t.Error("confirmed twice")
		}
	})
}

func slugs(cs []guide.Category) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Slug)
	}
	return out
}

// guideState fingerprints the guide's tables.
func guideState(t *testing.T, d *db.DB) map[string]string {
	out := map[string]string{}
	for tb, v := range testkit.Snapshot(t, d) {
		if strings.HasPrefix(tb, "guide_") && !strings.HasPrefix(tb, "guide_exchange") {
			out[tb] = v
		}
	}
	return out
}

func TestImportAgainUpdatesInPlace(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		x := newIX(t, e)
		ctx := context.Background()
		files := []exchange.File{{Name: "structures.json", Data: []byte(structuresJSON)}, {Name: "services.json", Data: []byte(servicesJSON)}}
		x.confirm(x.upload(files...))
		before := guideState(t, x.DB)
		x.Clock.Advance(time.Hour)
		pl, err := x.S.Preview(ctx, x.p, x.upload(files...))
		if err != nil || pl.Create != 0 || pl.Update != 5 {
			t.Fatalf("second preview: %v %+v", err, pl)
		}
		res := x.confirm(x.upload(files...))
		if res.Created != 0 || res.Updated != 0 || res.Unchanged != 5 {
			t.Errorf("second import: %+v", res)
		}
		after := guideState(t, x.DB)
		for tb, v := range after {
			if before[tb] != v {
				t.Errorf("the same import again changed %s", tb)
			}
		}
		// A changed description updates the same service, and sends its
		// reviewed translations back to draft.
		var id string
		if err := x.DB.R.NewSelect().Model((*guide.Service)(nil)).Column("id").Where("name = ?", "Permanence juridique").Scan(ctx, &id); err != nil {
			t.Fatal(err)
		}
		if _, err := x.App.Guide.SaveTranslations(ctx, x.p, id, "en",
			map[string]guide.TrInput{id + ".description": {Value: "A lawyer answers.", Reviewed: true}}); err != nil {
			t.Fatal(err)
		}
		changed := strings.Replace(servicesJSON, "sur le séjour et l'asile", "sur le séjour, l'asile et le travail", 1)
		res = x.confirm(x.upload(exchange.File{Name: "services.json", Data: []byte(changed)}))
		if res.Created != 0 || res.Updated != 1 || res.Unchanged != 2 {
			t.Errorf("changed import: %+v", res)
		}
		n, _ := x.DB.R.NewSelect().Model((*guide.Service)(nil)).Where("org_id = ?", x.centre.ID).Count(ctx)
		var tr guide.Translation
		if err := x.DB.R.NewSelect().Model(&tr).Where("owner_id = ? AND field = 'description' AND lang = 'en'", id).Scan(ctx); err != nil ||
			tr.Status != guide.TrDraft || n != 3 {
			t.Errorf("after the change: %d services, translation %s (%v)", n, tr.Status, err)
		}
	})
}

func TestImportErrorsChangeNothing(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		x := newIX(t, e)
		ctx := context.Background()
		csvServices := "source;structure_id;id;nom;description;date_maj;thematiques;courriel;code_postal;publics;frais\n" +
			"soliguide;s-1;v-1;Permanence juridique;Conseils.;2026-10-02;sante--acces-aux-soins;ok@ex.example;75019;femmes;gratuit\n" +
			"soliguide;s-9;v-2;Service orphelin;Conseils.;2026-10-02;;;;;\n" +
			"soliguide;s-1;v-3;Mauvais;Conseils.;le 2 octobre;sante--inconnu;pas-un-mail;750;tous-publics,femmes;peut-etre\n" +
			"soliguide;s-1;v-1;Doublon;Conseils.;2026-10-02;;;;;\n" +
			"soliguide;s-1\n"
		before := testkit.Snapshot(t, x.DB)
		id := x.upload(exchange.File{Name: "structures.json", Data: []byte(structuresJSON)}, exchange.File{Name: "services.csv", Data: []byte(csvServices)})
		pl, err := x.S.Preview(ctx, x.p, id)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int][]string{
			3: {"exchange.import.err.structure_unknown"},
			4: {"exchange.import.err.date", "exchange.import.err.email", "exchange.import.err.postal_code", "exchange.import.err.vocab",
				"exchange.import.err.vocab", "exchange.import.err.alone"},
			5: {"exchange.import.err.duplicate"},
			6: {"exchange.import.err.columns", "exchange.import.err.required", "exchange.import.err.required"},
		}
		got := map[int][]string{}
		for _, l := range pl.Lines {
			if l.File == "services.csv" && len(l.Errors) > 0 {
				got[l.Line] = keys(l.Errors)
			}
		}
		for line, ks := range want {
			for _, k := range ks {
				if !slices.Contains(got[line], k) {
					t.Errorf("line %d: %v lacks %s", line, got[line], k)
				}
			}
		}
		if len(got[2]) != 0 || pl.Errors == 0 {
			t.Errorf("errors: %v (%d)", got, pl.Errors)
		}
		// Translated, with their arguments, in every language.
		for _, lang := range []string{"fr", "ar", "ti"} {
			l := x.App.Catalog.Localizer(lang)
			for _, line := range pl.Lines {
				for _, m := range line.Errors {
					if s := l.TArgs(m.Key, m.Args); s == m.Key || strings.Contains(s, "{{") || strings.Contains(s, "no value") {
						t.Errorf("%s: %s -> %q", lang, m.Key, s)
					}
				}
			}
		}
		mid := testkit.Snapshot(t, x.DB)
		pl, res, err := x.S.Confirm(ctx, x.p, id)
		if err != nil || res != nil || pl == nil || pl.Errors == 0 {
			t.Fatalf("confirm with errors: %v %+v", err, res)
		}
		testkit.SameState(t, mid, testkit.Snapshot(t, x.DB), "a refused confirmation")

		// A malformed file is refused at the upload: nothing is kept.
		for _, f := range []exchange.File{
			{Name: "broken.json", Data: []byte(`[{"source": "x",`)},
			{Name: "latin1.csv", Data: []byte("source,id,nom\nx,1,Caf\xe9\n")},
			{Name: "quotes.csv", Data: []byte("source,id,nom\n\"x,1,unterminated\n")},
			{Name: "header.csv", Data: []byte("source,source\nx,y\n")},
			{Name: "object.json", Data: []byte(`{"structures": 3}`)},
			{Name: "empty.csv", Data: []byte("")},
			{Name: "big.json", Data: bytes.Repeat([]byte(" "), exchange.MaxImportBytes+1)},
			{Name: "rows.csv", Data: []byte("source,id,nom\n" + strings.Repeat("x,1,Nom\n", exchange.MaxImportRows+1))},
		} {
			_, err := x.S.Upload(ctx, x.p, []exchange.File{f})
			if _, ok := err.(*exchange.FileError); !ok {
				t.Errorf("%s: %v", f.Name, err)
			}
		}
		if _, err := x.S.Upload(ctx, x.p, nil); err == nil {
			t.Error("no file accepted")
		}
		after := testkit.Snapshot(t, x.DB)
		delete(after, "guide_exchange_imports") // the one valid upload above
		delete(before, "guide_exchange_imports")
		testkit.SameState(t, before, after, "refused imports")
	})
}

// The export validates against data·inclusion, and an export imported
// into another centre gives the same services.
func TestExportImportRoundTrip(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		x := newIX(t, e)
		ctx := context.Background()
		demo := x.Org("Centre démo")
		if _, err := x.App.Guide.LoadDemo(ctx, demo.ID); err != nil {
			t.Fatal(err)
		}
		demoAdmin := x.User(demo, "admin@demo.test", auth.Membership{Role: auth.Admin})
		dp := principal(demoAdmin, demo)
		rich := richService(t, x, dp)
		ex, err := x.S.BuildExport(ctx, dp)
		if err != nil {
			t.Fatal(err)
		}
		if len(ex.Services) < 60 || len(ex.Structures) < 25 {
			t.Fatalf("export: %d services, %d structures", len(ex.Services), len(ex.Structures))
		}
		flagged := map[string]bool{}
		for _, q := range ex.Quality {
			flagged[q.ID] = true
		}
		var files []exchange.File
		for _, table := range []string{exchange.TableStructures, exchange.TableServices} {
			body, err := ex.Encode(table, exchange.FormatJSON)
			if err != nil {
				t.Fatal(err)
			}
			var rows []json.RawMessage
			if err := json.Unmarshal(body, &rows); err != nil {
				t.Fatal(err)
			}
			checked := 0
			for _, r := range rows {
				var head struct{ ID string }
				_ = json.Unmarshal(r, &head)
				if !flagged[head.ID] {
					validate(t, diBase+strings.TrimSuffix(table, "s")+".json", r)
					checked++
				}
			}
			if checked == 0 {
				t.Errorf("no %s validated", table)
			}
			csvBody, err := ex.Encode(table, exchange.FormatCSV)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, exchange.File{Name: table + ".csv", Data: csvBody})
		}
		if len(flagged) == 0 {
			t.Error("the demo's short descriptions are not reported")
		}

		// Into another centre, from the CSV files.
		res := x.confirm(x.upload(files...))
		if res.Created != len(ex.Services)+len(ex.Structures) {
			t.Errorf("round trip: %+v", res)
		}
		var src, dst []guide.Service
		if err := x.DB.R.NewSelect().Model(&src).Where("org_id = ? AND status = ?", demo.ID, guide.Published).Order("name", "id").Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if err := x.DB.R.NewSelect().Model(&dst).Where("org_id = ?", x.centre.ID).Order("name", "id").Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if len(src) != len(dst) {
			t.Fatalf("%d services, %d imported", len(src), len(dst))
		}
		// Everything data·inclusion can carry comes back; what it cannot is
		// listed in docs/exchange.md ("What the export does not carry").
		lossy := []string{"asylum", "sport", "culture", "women", "young-people", "showers-hygiene", "phone-charging"}
		sawRich := false
		for i := range src {
			a, err := x.App.Guide.StaffService(ctx, dp, src[i].ID)
			if err != nil {
				t.Fatal(err)
			}
			b, err := x.App.Guide.StaffService(ctx, x.p, dst[i].ID)
			if err != nil {
				t.Fatal(err)
			}
			sawRich = sawRich || sa(a).ID == rich
			assertRoundTrip(t, a, b, lossy)
		}
		if !sawRich {
			t.Error("the service with every part was not exported")
		}

		// Back into the centre it came from: recognised, nothing changes.
		before := guideState(t, x.DB)
		own, err := x.S.Upload(ctx, dp, files)
		if err != nil {
			t.Fatal(err)
		}
		pl, res, err := x.S.Confirm(ctx, dp, own)
		if err != nil || res == nil {
			t.Fatalf("own export: %v %s", err, describe(pl))
		}
		if res.Created != 0 || res.Updated != 0 {
			t.Errorf("own export re-imported: %+v", res)
		}
		for tb, v := range guideState(t, x.DB) {
			if before[tb] != v {
				t.Errorf("re-importing its own export changed %s", tb)
			}
		}
	})
}

func sa(d *guide.Detail) *guide.Service { return d.Service }

// assertRoundTrip checks that service b, imported from the export of a,
// says what a says in everything data·inclusion carries.
func assertRoundTrip(t *testing.T, a, b *guide.Detail, lossy []string) {
	t.Helper()
	sa, sb := a.Service, b.Service
	// Texts, links, flags, the date of the check.
	if sa.Name != sb.Name || sa.Description != sb.Description || sa.Eligibility != sb.Eligibility ||
		sa.ApplicationProcess != sb.ApplicationProcess || sa.DocumentsNote != sb.DocumentsNote || sa.URL != sb.URL || sa.Email != sb.Email ||
		sa.Free != sb.Free || sa.NoPapers != sb.NoPapers || sa.WalkIn != sb.WalkIn || sa.Referral != sb.Referral ||
		sa.WelcomeWomen != sb.WelcomeWomen || sa.WelcomeFamilies != sb.WelcomeFamilies || sa.WelcomeMinors != sb.WelcomeMinors ||
		!sa.CheckedOn.Equal(sb.CheckedOn) {
		t.Errorf("%s:\n%+v\n%+v", sa.Name, sa, sb)
	}
	// Men are said with women (personnes-exilees, tous-publics), not alone;
	// an appointment with a way to make it (phone, e-mail, link).
	if (sa.WelcomeWomen || !sa.WelcomeMen) && sa.WelcomeMen != sb.WelcomeMen {
		t.Errorf("%s: men %v -> %v", sa.Name, sa.WelcomeMen, sb.WelcomeMen)
	}
	if (len(a.Phones) > 0 || sa.Email != "" || sa.URL != "" || !sa.Appointment) && sa.Appointment != sb.Appointment {
		t.Errorf("%s: appointment %v -> %v", sa.Name, sa.Appointment, sb.Appointment)
	}
	// The organisation.
	if a.Organization.Name != b.Organization.Name || a.Organization.Description != b.Organization.Description ||
		a.Organization.Website != b.Organization.Website || a.Organization.Email != b.Organization.Email {
		t.Errorf("%s: organisation %+v -> %+v", sa.Name, a.Organization, b.Organization)
	}
	// Categories (some share a code), checklists, hours with the reasons of
	// closures and special hours.
	if !slices.ContainsFunc(slugs(a.Categories), func(c string) bool { return slices.Contains(lossy, c) }) &&
		!slices.Equal(slugs(a.Categories), slugs(b.Categories)) {
		t.Errorf("%s: categories %v -> %v", sa.Name, slugs(a.Categories), slugs(b.Categories))
	}
	if !slices.Equal(a.Documents, b.Documents) {
		t.Errorf("%s: checklists %v -> %v", sa.Name, a.Documents, b.Documents)
	}
	if a.Hours.OSMWithReasons() != b.Hours.OSMWithReasons() {
		t.Errorf("%s: hours %q -> %q", sa.Name, a.Hours.OSMWithReasons(), b.Hours.OSMWithReasons())
	}
	// One phone line: the first voice line.
	var want []string
	for _, p := range a.Phones {
		if p.Kind == "voice" {
			want = []string{p.Number}
			break
		}
	}
	if want == nil && len(a.Phones) > 0 {
		want = []string{a.Phones[0].Number}
	}
	var got []string
	for _, p := range b.Phones {
		got = append(got, p.Number)
	}
	if !slices.Equal(want, got) {
		t.Errorf("%s: phones %v -> %v", sa.Name, want, got)
	}
	// One place: the first by name, its address, position and way in.
	if len(a.Locations) == 0 {
		if len(b.Locations) != 0 {
			t.Errorf("%s: places %+v", sa.Name, b.Locations)
		}
		return
	}
	first := slices.MinFunc(a.Locations, func(x, y guide.Location) int { return strings.Compare(x.Name+x.ID, y.Name+y.ID) })
	if len(b.Locations) != 1 {
		t.Fatalf("%s: %d places", sa.Name, len(b.Locations))
	}
	l := b.Locations[0]
	if first.Address != l.Address || first.PostalCode != l.PostalCode || first.City != l.City || first.Arrondissement != l.Arrondissement ||
		first.Directions != l.Directions || pos(first) != pos(l) {
		t.Errorf("%s: place %+v -> %+v", sa.Name, first, l)
	}
}

func pos(l guide.Location) string {
	if l.Latitude == nil || l.Longitude == nil {
		return ""
	}
	return fmt.Sprint(*l.Latitude, *l.Longitude)
}

// richService adds to a centre a published service with every part the
// guide has: two places (address, position, way in), phone lines (SMS
// first), checklists and a documents note, no papers asked, weekly and
// seasonal hours, a closure and special hours with their reasons (one with
// a double quote and a semicolon), languages and a translation.
func richService(t *testing.T, x *ix, p *auth.Principal) string {
	t.Helper()
	ctx := context.Background()
	s := x.App.Guide
	o, err := s.SaveOrganization(ctx, p, "", guide.OrganizationInput{Name: "Accueil Exemple de Belleville",
		Description: "Association d'accueil de jour pour les personnes exilées du quartier de Belleville.",
		Website:     "https://accueil-belleville.example", Email: "contact@accueil-belleville.example"})
	if err != nil {
		t.Fatal(err)
	}
	lat, lon := 48.8722, 2.3768
	a, err := s.SaveLocation(ctx, p, "", guide.LocationInput{OrganizationID: o.ID, Name: "A — Local de la rue de Belleville",
		Address: "12 rue de Belleville", PostalCode: "75020", City: "Paris", Arrondissement: 20, Latitude: &lat, Longitude: &lon,
		Directions: "Métro Belleville (lignes 2 et 11). Au fond de la cour, sonnez à « Accueil »."})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.SaveLocation(ctx, p, "", guide.LocationInput{OrganizationID: o.ID, Name: "B — Antenne du 19e",
		Address: "3 rue de Meaux", PostalCode: "75019", City: "Paris", Arrondissement: 19})
	if err != nil {
		t.Fatal(err)
	}
	sv, err := s.SaveService(ctx, p, "", guide.ServiceInput{OrganizationID: o.ID, Status: guide.Published,
		Name:               "Accueil de jour et aide aux démarches",
		Description:        "Un accueil de jour pour se reposer, se doucher et être aidé dans ses démarches administratives.",
		Eligibility:        "Adultes seuls et familles.",
		ApplicationProcess: "Venez le matin, ou appelez pour un rendez-vous l'après-midi.",
		DocumentsNote:      "Apportez les courriers reçus.\nUne photo d'identité si vous en avez une.",
		URL:                "https://accueil-belleville.example/rdv", Email: "rdv@accueil-belleville.example",
		Free: true, NoPapers: true, WelcomeMen: true, WelcomeWomen: true, WelcomeFamilies: true, WalkIn: true, Appointment: true, Referral: true,
		Categories: []string{"legal-aid", "health"}, OnSite: []string{"fr", "ar", "ti"}, Documents: []string{"ame", "domiciliation"},
		LocationIDs: []string{b.ID, a.ID}})
	if err != nil {
		t.Fatal(err)
	}
	from, to := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)
	if err := s.SaveHours(ctx, p, sv.ID, []guide.SlotInput{{Weekday: 1, Opens: "09:00", Closes: "12:30"}, {Weekday: 1, Opens: "14:00", Closes: "17:00"},
		{Weekday: 3, Opens: "09:00", Closes: "12:30"}, {Weekday: 6, Opens: "19:00", Closes: "08:00", ValidFrom: &from, ValidTo: &to}}); err != nil {
		t.Fatal(err)
	}
	d1, d2, d3 := time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 26, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	if err := s.AddException(ctx, p, sv.ID, guide.ExceptionInput{StartsOn: &d1, EndsOn: &d2, Closed: true,
		Reason: `Fermeture "exceptionnelle" ; travaux`}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddException(ctx, p, sv.ID, guide.ExceptionInput{StartsOn: &d3, EndsOn: &d3, Opens: "10:00", Closes: "12:00",
		Reason: "Horaires réduits du réveillon."}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddPhone(ctx, p, sv.ID, guide.PhoneInput{Number: "06 12 34 56 78", Kind: "text", Languages: []string{"ar"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddPhone(ctx, p, sv.ID, guide.PhoneInput{Number: "01 42 00 00 00", Kind: "voice", Languages: []string{"fr"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveTranslations(ctx, p, sv.ID, "ar", map[string]guide.TrInput{sv.ID + ".name": {Value: "استقبال نهاري", Reviewed: true}}); err != nil {
		t.Fatal(err)
	}
	return sv.ID
}

// The staff pages, through HTTP: upload, preview, confirm, export.
func TestImportPages(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		x := newIX(t, e)
		b := x.Browser().Login(x.admin)
		if r := b.Get("/fr/admin/guide/exchange"); r.Status != 200 || !strings.Contains(r.Body, `enctype="multipart/form-data"`) {
			t.Fatalf("page: %d", r.Status)
		}
		post := func(path string, files map[string]string) *testkit.Response {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			for name, content := range files {
				fw, _ := mw.CreateFormFile("files", name)
				_, _ = io.WriteString(fw, content)
			}
			_ = mw.Close()
			req, _ := http.NewRequest(http.MethodPost, x.Server.URL+path, &body)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.Header.Set("Origin", x.Server.URL)
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			resp, err := b.Client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			return &testkit.Response{Status: resp.StatusCode, Body: string(raw), Location: resp.Header.Get("Location"), Header: resp.Header}
		}
		if r := post("/fr/admin/guide/exchange/import", map[string]string{"broken.json": "[{"}); r.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.Body, "broken.json") {
			t.Errorf("broken file: %d", r.Status)
		}
		r := post("/fr/admin/guide/exchange/import", map[string]string{"s.json": structuresJSON, "v.json": servicesJSON})
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/fr/admin/guide/exchange/import/") {
			t.Fatalf("upload: %d %q", r.Status, r.Location)
		}
		for _, lang := range []string{"fr", "ar", "ti"} {
			p := b.Get(strings.Replace(r.Location, "/fr/", "/"+lang+"/", 1))
			if p.Status != 200 || !strings.Contains(p.Body, "Permanence juridique") || !strings.Contains(p.Body, "v.json:1") {
				t.Errorf("preview %s: %d", lang, p.Status)
			}
		}
		if c := b.Post(r.Location, nil); c.Status != http.StatusSeeOther {
			t.Errorf("confirm: %d %s", c.Status, c.Location)
		}
		if c := b.Post(r.Location, nil); c.Status != http.StatusNotFound {
			t.Errorf("confirm twice: %d", c.Status)
		}
		dl := b.Post("/fr/admin/guide/exchange/export", map[string][]string{"table": {"services"}, "format": {"csv"}})
		if dl.Status != 200 || !strings.HasPrefix(dl.Body, "source,structure_id,id,nom") || !strings.Contains(dl.Header.Get("Content-Disposition"), ".csv") {
			t.Errorf("export: %d %q", dl.Status, truncate(dl.Body, 100))
		}
		if bad := b.Post("/fr/admin/guide/exchange/export", map[string][]string{"table": {"people"}, "format": {"csv"}}); bad.Status != http.StatusUnprocessableEntity {
			t.Errorf("bad export: %d", bad.Status)
		}
		n, _ := x.DB.R.NewSelect().Model((*audit.Entry)(nil)).Where("action = ?", "guide.exchange.export").Count(context.Background())
		if n != 1 {
			t.Errorf("%d export audit entries", n)
		}
	})
}
