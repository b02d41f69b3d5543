package pathway_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"parcours/internal/pathway"
	"parcours/internal/people"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// missionForm is the mission form for the fixture's volunteer.
func (f *fx) missionForm(title string, extra ...string) url.Values {
	v := url.Values{"volunteer": {f.volunteer.ID}, "mission_title": {title}, "mission_on": {"2026-11-27"}, "mission_at": {"10:30"},
		"fields": {"contact"}}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return v
}

// missionID returns the id of the person's mission with that title.
func (f *fx) missionID(t *testing.T, personID, title string) string {
	t.Helper()
	var id string
	f.scalar(t, &id, "SELECT id FROM pathway_missions WHERE person_id = ? AND title = ?", personID, title)
	return id
}

// A social worker gives a volunteer of the site a mission, which needs the
// person's consent; the volunteer sees the mission and only the fields it
// shares, never the notes, and reports; the report comes back to the file
// and the worker, and the access ends. Other volunteers, other sites and
// other centres see nothing.
func TestVolunteerMission(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		ctx, p := f.sw()
		id := f.person(t)
		health, legal := "Suivi psychologique", "Recours CNDA en cours"
		if err := f.App.People.SetNotes(ctx, p, id, people.Notes{Health: &health, Legal: &legal}); err != nil {
			t.Fatal(err)
		}
		if err := f.App.People.SetStatus(ctx, p, id, people.StatusInput{Status: "no_permit"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.App.People.Update(ctx, p, id, people.Input{GivenLatin: "Rokia", FamilyLatin: "Traoré", Phone: "0611223344",
			HouseholdSize: 1}); err != nil {
			t.Fatal(err)
		}
		sw := f.as(f.worker)
		form := "/fr/people/" + id + "/missions"

		// Without the person's consent: refused, with the people module's words.
		r := sw.Post(form, f.missionForm("Accompagner à la CPAM"))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, f.fr("people.consent.missing.volunteer")) {
			t.Fatalf("mission without consent: %d %s", r.Status, errorsOf(r.Body))
		}
		if _, err := f.App.Pathway.Assign(ctx, p, id, pathway.MissionInput{VolunteerID: f.volunteer.ID, Title: "x", OnDate: date("2026-11-27")}); err == nil {
			t.Fatal("Assign without consent succeeded")
		} else if ae, ok := apperr.As(err); !ok || ae.Kind != apperr.Forbidden || ae.Key != "people.consent.missing.volunteer" {
			t.Fatalf("Assign without consent: %v", err)
		}
		// A volunteer of another site, a date past, an access too long.
		volB := f.User(f.org, "benevole-b@casvp.test", auth.Membership{Role: auth.Volunteer, SiteID: f.siteB.ID})
		for msg, v := range map[string]url.Values{
			"common.form.invalid_choice":     f.missionForm("x", "consent_now", "1", "volunteer", volB.ID),
			"pathway.error.mission_past":     f.missionForm("x", "consent_now", "1", "mission_on", "2026-11-20"),
			"pathway.error.mission_too_long": f.missionForm("x", "consent_now", "1", "mission_ends_on", "2027-06-01"),
			"pathway.error.mission_end":      f.missionForm("x", "consent_now", "1", "mission_ends_on", "2026-11-26"),
			"pathway.error.mission_time":     f.missionForm("x", "consent_now", "1", "mission_at", "25:99"),
			"common.form.required":           f.missionForm("", "consent_now", "1"),
		} {
			if r := sw.Post(form, v); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, f.fr(msg)) {
				t.Errorf("form for %s: %d %s", msg, r.Status, errorsOf(r.Body))
			}
		}
		var n int
		f.scalar(t, &n, "SELECT COUNT(*) FROM pathway_missions")
		if n != 0 {
			t.Fatalf("%d missions after refused forms", n)
		}
		// The form, and a reception agent who may not give missions.
		if !strings.Contains(get(t, sw, form+"/new"), f.volunteer.Name) {
			t.Error("the site's volunteer is not offered")
		}
		if r := f.as(f.reception).Post(form, f.missionForm("x", "consent_now", "1")); r.Status != http.StatusForbidden {
			t.Errorf("reception gives a mission: %d", r.Status)
		}
		if r := f.as(f.workerB).Post(form, f.missionForm("x", "consent_now", "1")); r.Status != http.StatusNotFound {
			t.Errorf("a worker of another site gives a mission: %d", r.Status)
		}
		if r := f.as(f.admin2).Post(form, f.missionForm("x", "consent_now", "1")); r.Status != http.StatusNotFound {
			t.Errorf("another centre gives a mission: %d", r.Status)
		}

		// With the consent given now.
		post(t, sw, form, f.missionForm("Accompagner à la CPAM", "consent_now", "1"))
		mid := f.missionID(t, id, "Accompagner à la CPAM")
		vb := f.as(f.volunteer)
		list := get(t, vb, "/fr/missions")
		if !strings.Contains(list, "Accompagner à la CPAM") || strings.Contains(list, "Rokia") {
			t.Error("the list shows the mission without names")
		}
		page := get(t, vb, "/fr/missions/"+mid)
		for _, want := range []string{"Rokia Traoré", "06 11 22 33 44", f.worker.Name} {
			if !strings.Contains(page, want) {
				t.Errorf("mission page lacks %q", want)
			}
		}
		for _, never := range []string{health, legal, f.fr("rights.status.no_permit.name")} {
			if strings.Contains(page, never) {
				t.Errorf("mission page shows %q", never)
			}
		}
		var reads int
		f.scalar(t, &reads, "SELECT COUNT(*) FROM audit_log WHERE action = 'person.read' AND object_id = ? AND details LIKE ?", id, `%volunteer%`)
		if reads != 1 {
			t.Errorf("%d audited volunteer reads, want 1", reads)
		}
		var mails int
		f.scalar(t, &mails, "SELECT COUNT(*) FROM outbox WHERE recipient = ? AND purpose = 'pathway.mission'", f.volunteer.Email)
		if mails != 1 {
			t.Errorf("%d e-mails to the volunteer, want 1", mails)
		}
		// Another volunteer of the site, not assigned; the volunteer's own
		// staff pages stay closed to others.
		other := f.Browser().Login(f.User(f.org, "autre-benevole@casvp.test", auth.Membership{Role: auth.Volunteer, SiteID: f.siteA.ID}))
		if r := other.Get("/fr/missions/" + mid); r.Status != http.StatusNotFound {
			t.Errorf("another volunteer opens the mission: %d", r.Status)
		}
		if r := other.Post("/fr/missions/"+mid+"/done", url.Values{"report": {"Fait"}}); r.Status != http.StatusNotFound {
			t.Errorf("another volunteer reports: %d", r.Status)
		}
		if strings.Contains(get(t, other, "/fr/missions"), "CPAM") {
			t.Error("another volunteer's list shows the mission")
		}
		if r := vb.Get("/fr/people/" + id); r.Status != http.StatusForbidden {
			t.Errorf("the volunteer opens the file: %d", r.Status)
		}

		// The report: required, then it comes back and the access ends.
		if r := vb.Post("/fr/missions/"+mid+"/done", url.Values{"report": {" "}}); r.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.Body, f.fr("pathway.error.mission_report")) {
			t.Errorf("empty report: %d", r.Status)
		}
		post(t, vb, "/fr/missions/"+mid+"/done", url.Values{"report": {"RDV tenu, carte Vitale demandée"}})
		if r := vb.Get("/fr/missions/" + mid); r.Status != http.StatusNotFound {
			t.Errorf("mission page after the report: %d", r.Status)
		}
		if strings.Contains(get(t, vb, "/fr/missions"), "CPAM") {
			t.Error("a done mission is still listed")
		}
		file := get(t, sw, "/fr/people/"+id)
		if !strings.Contains(file, "RDV tenu, carte Vitale demandée") || !strings.Contains(file, f.fr("pathway.mission.status.done")) {
			t.Error("the report is not on the person's page")
		}
		if !strings.Contains(get(t, sw, "/fr/worklists"), f.fr("pathway.task.mission_done", "User", f.volunteer.Name, "Title", "Accompagner à la CPAM")) {
			t.Error("the report is not in the worker's worklist")
		}
		f.scalar(t, &mails, "SELECT COUNT(*) FROM outbox WHERE recipient = ? AND purpose = 'pathway.mission_done'", f.worker.Email)
		if mails != 1 {
			t.Errorf("%d e-mails to the worker, want 1", mails)
		}

		// Withdrawing the consent ends the access at once.
		post(t, sw, form, f.missionForm("Aller à la préfecture", "mission_on", "2026-11-30"))
		mid2 := f.missionID(t, id, "Aller à la préfecture")
		get(t, vb, "/fr/missions/"+mid2)
		cs, err := f.App.People.Consents(ctx, p, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.Purpose == people.PurposeVolunteer {
				post(t, sw, "/fr/people/"+id+"/consents/"+c.ID+"/withdraw", nil)
			}
		}
		if r := vb.Get("/fr/missions/" + mid2); r.Status != http.StatusNotFound {
			t.Errorf("mission page after the consent was withdrawn: %d", r.Status)
		}
		if strings.Contains(get(t, vb, "/fr/missions"), "préfecture") {
			t.Error("the list still shows a mission without consent")
		}
		if !strings.Contains(get(t, sw, "/fr/people/"+id), f.fr("pathway.mission.status.ended")) {
			t.Error("the person's page does not say the access ended")
		}

		// The end date passes; a withdrawn mission ends at once.
		post(t, sw, form, f.missionForm("Atelier numérique", "consent_now", "1", "mission_on", "2026-11-26", "mission_ends_on", "2026-11-28"))
		post(t, sw, form, f.missionForm("Banque alimentaire", "mission_on", "2026-11-26"))
		mid3, mid4 := f.missionID(t, id, "Atelier numérique"), f.missionID(t, id, "Banque alimentaire")
		post(t, sw, "/fr/people/"+id+"/missions/"+mid4+"/cancel", nil)
		if r := vb.Get("/fr/missions/" + mid4); r.Status != http.StatusNotFound {
			t.Errorf("withdrawn mission: %d", r.Status)
		}
		get(t, vb, "/fr/missions/"+mid3)
		f.Clock.Set(time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC))
		vb = f.Browser().Login(f.volunteer) // the session has expired meanwhile
		if r := vb.Get("/fr/missions/" + mid3); r.Status != http.StatusNotFound {
			t.Errorf("mission after its end date: %d", r.Status)
		}
		if r := vb.Post("/fr/missions/"+mid3+"/done", url.Values{"report": {"Fait"}}); r.Status != http.StatusNotFound {
			t.Errorf("report after the end date: %d", r.Status)
		}
		// The person's copy of the file holds the missions.
		if x := get(t, f.Browser().Login(f.manager), "/fr/people/"+id+"/export"); !strings.Contains(x, "RDV tenu, carte Vitale demandée") {
			t.Error("the export lacks the mission's report")
		}
	})
}

func date(s string) *time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return &t
}

// The observatory export counts only the persons whose consent to
// anonymised statistics is in force, masks small counts and publishes no
// total; the centre's own delays count everyone.
func TestObservatoryCountsConsent(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		ctx, p := f.sw()
		open := func(name string, consent bool) string {
			t.Helper()
			per, _, err := f.App.People.Create(ctx, p, people.Input{SiteID: f.siteA.ID, GivenLatin: name, FamilyLatin: "Test", HouseholdSize: 1},
				people.CreateOptions{NotADuplicate: true})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.App.Pathway.SaveApplication(ctx, p, per.ID, "", pathway.ApplicationInput{Right: "ame", Outcome: "granted",
				Submitted: date("2026-09-10"), Decided: date("2026-10-20")}); err != nil {
				t.Fatal(err)
			}
			if consent {
				if _, err := f.App.People.GiveConsent(ctx, p, per.ID, people.ConsentInput{Purpose: people.PurposeStatistics}); err != nil {
					t.Fatal(err)
				}
			}
			return per.ID
		}
		yes := open("Consent", true)
		no := open("Refus", false)
		mgr := &auth.Principal{UserID: f.manager.ID, OrgID: f.org.ID, Memberships: []auth.Membership{{Role: auth.SiteManager, SiteID: f.siteA.ID}}}
		mctx := audit.WithActor(auth.WithPrincipal(context.Background(), mgr), audit.Actor{UserID: mgr.UserID, OrgID: mgr.OrgID})
		period := pathway.DelayFilter{From: *date("2026-01-01"), To: *date("2026-11-25")}
		counts := func(want string) {
			t.Helper()
			rows, err := f.App.Pathway.Observatory(mctx, mgr, period)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rows {
				got = append(got, r.Month+" "+r.Right+" "+itoa(r.Submitted.N)+"/"+itoa(r.Granted.N))
			}
			if strings.Join(got, "; ") != want {
				t.Errorf("observatory: %q, want %q", strings.Join(got, "; "), want)
			}
		}
		// The person without consent is not counted, the one with it is.
		counts("2026-09 ame 1/0; 2026-10 ame 0/1")
		// The delays of the centre count both decisions.
		ds, err := f.App.Pathway.Delays(mctx, mgr, period)
		if err != nil || len(ds) == 0 || ds[0].N != 2 {
			t.Fatalf("delays: %+v %v", ds, err)
		}
		// Consent given: counted; withdrawn: not any more.
		if _, err := f.App.People.GiveConsent(ctx, p, no, people.ConsentInput{Purpose: people.PurposeStatistics}); err != nil {
			t.Fatal(err)
		}
		counts("2026-09 ame 2/0; 2026-10 ame 0/2")
		cs, _ := f.App.People.Consents(ctx, p, yes)
		if _, err := f.App.People.WithdrawConsent(ctx, p, yes, cs[0].ID); err != nil {
			t.Fatal(err)
		}
		counts("2026-09 ame 1/0; 2026-10 ame 0/1")
		// Small counts are masked, from MinCell on they are published.
		for i := range pathway.MinCell - 2 {
			open("Personne"+itoa(i), true)
		}
		b := f.as(f.manager)
		r := b.Get("/fr/pathway/observatory.csv?from=2026-01-01&to=2026-11-25")
		if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("CSV: %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		lines := strings.Split(strings.TrimSpace(r.Body), "\n")
		if len(lines) != 3 || !strings.HasPrefix(lines[0], f.raw("pathway.observatory.col.month")+",") ||
			!strings.HasPrefix(lines[1], "2026-09,PSA Bastille,ame,") || !strings.HasSuffix(lines[1], ",<11,0") {
			t.Errorf("CSV with 10 persons: %q", lines)
		}
		open("Onzieme", true)
		r = b.Get("/fr/pathway/observatory.csv?from=2026-01-01&to=2026-11-25")
		if lines = strings.Split(strings.TrimSpace(r.Body), "\n"); len(lines) != 3 || !strings.HasSuffix(lines[1], ",11,0") ||
			!strings.HasSuffix(lines[2], ",0,11") {
			t.Errorf("CSV with 11 persons: %q", lines)
		}
		page := get(t, b, "/fr/pathway/observatory?from=2026-01-01&to=2026-11-25")
		if !strings.Contains(page, "2026-09") || !strings.Contains(page, f.fr("pathway.observatory.rules", "N", pathway.MinCell)) {
			t.Error("observatory page")
		}
		var exports int
		f.scalar(t, &exports, "SELECT COUNT(*) FROM audit_log WHERE action = 'export.observatory'")
		if exports < 2 {
			t.Errorf("%d audited exports", exports)
		}
		if r := f.as(f.worker).Get("/fr/pathway/observatory.csv"); r.Status != http.StatusForbidden {
			t.Errorf("a social worker exports: %d", r.Status)
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }
