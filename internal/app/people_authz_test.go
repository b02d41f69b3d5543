package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"parcours/internal/pathway"
	"parcours/internal/people"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// Roles of the people and pathway routes (see auth.PermPersonRead,
// PermPersonManage, PermPersonLegal, PermReferralInbox, PermPathwayStats,
// PermMissionAssign, PermMissions).
var (
	personReaders  = []auth.Role{auth.Admin, auth.SiteManager, auth.SocialWorker, auth.ReceptionAgent, auth.LegalSpecialist}
	personManagers = []auth.Role{auth.Admin, auth.SiteManager}
	legalReaders   = []auth.Role{auth.SocialWorker, auth.LegalSpecialist}
	partners       = []auth.Role{auth.Partner}
	// A worklist item is cleared by its owner: the social worker here.
	taskOwners = []auth.Role{auth.SocialWorker}
	// Missions are given by social workers and managers, and seen by the
	// volunteer they are given to.
	missionAssigners = []auth.Role{auth.Admin, auth.SiteManager, auth.SocialWorker}
	volunteers       = []auth.Role{auth.Volunteer}
)

// peopleData is centre 1's files in the authorization world: a person of
// site A with a step, an objective, an application, a consent, a share, a
// household member, a live referral to the guide's partner, whose partner
// account is set up, and a mission for the volunteer of site A (the person
// agreed to a volunteer's accompaniment).
type peopleData struct {
	ctx                               context.Context
	sw, partner                       *auth.Principal
	person, step, objective, app      string
	consent, share, referral, service string
	member, mission                   string
	pendingDup                        string
}

var peopleWorlds = map[*azWorld]*peopleData{}

func (z *azWorld) people() *peopleData {
	if d, ok := peopleWorlds[z]; ok {
		return d
	}
	sw := z.roles[auth.SocialWorker]
	d := &peopleData{sw: &auth.Principal{UserID: sw.ID, OrgID: z.org1.ID, Email: sw.Email,
		Memberships: []auth.Membership{{Role: auth.SocialWorker, SiteID: z.siteA.ID}}}}
	d.ctx = audit.WithActor(context.Background(), audit.Actor{UserID: sw.ID, OrgID: z.org1.ID, Label: sw.Email})
	must := func(err error) {
		if err != nil {
			z.T.Fatal(err)
		}
	}
	pu := z.roles[auth.Partner]
	must(z.DB.Tx(d.ctx, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewUpdate().Table("users").Set("partner_org = ?", "Partenaire Un").Where("id = ?", pu.ID).Exec(ctx)
		return err
	}))
	d.partner = &auth.Principal{UserID: pu.ID, OrgID: z.org1.ID, PartnerOrg: "Partenaire Un",
		Memberships: []auth.Membership{{Role: auth.Partner, SiteID: z.siteA.ID}}}
	d.service = z.guide().service
	d.person = z.newPerson(d)
	s, pw := z.App.People, z.App.Pathway
	st, err := pw.AddStep(d.ctx, d.sw, d.person, pathway.StepInput{Axis: "rights", Title: "Prendre rendez-vous à la CPAM"})
	must(err)
	ob, err := pw.AddObjective(d.ctx, d.sw, d.person, "health", "Ouvrir la couverture santé")
	must(err)
	ap, err := pw.SaveApplication(d.ctx, d.sw, d.person, "", pathway.ApplicationInput{Right: "ame", Outcome: "pending"})
	must(err)
	c, err := s.GiveConsent(d.ctx, d.sw, d.person, people.ConsentInput{Purpose: people.PurposeSMS})
	must(err)
	ends := z.Clock.Now().AddDate(0, 0, 30)
	sh, err := s.ShareFile(d.ctx, d.sw, d.person, people.ShareInput{SiteID: z.siteB.ID, Reason: "Accueil de jour", EndsOn: &ends})
	must(err)
	_, err = s.GiveConsent(d.ctx, d.sw, d.person, people.ConsentInput{Purpose: people.PurposeVolunteer})
	must(err)
	m, err := s.SaveMember(d.ctx, d.sw, d.person, "", people.MemberInput{GivenName: "Fatou", Relation: "child", BirthYear: 2018})
	must(err)
	d.step, d.objective, d.app, d.consent, d.share, d.member = st.ID, ob.ID, ap.ID, c.ID, sh.ID, m.ID
	peopleWorlds[z] = d
	d.referral = z.newReferral()
	d.mission = z.newMission()
	z.T.Cleanup(func() { delete(peopleWorlds, z) })
	return d
}

// newPerson opens a file of site A.
func (z *azWorld) newPerson(d *peopleData) string {
	per, _, err := z.App.People.Create(d.ctx, d.sw, people.Input{SiteID: z.siteA.ID, GivenLatin: fmt.Sprintf("Personne %d", z.next()),
		FamilyLatin: "Test", HouseholdSize: 1}, people.CreateOptions{NotADuplicate: true})
	if err != nil {
		z.T.Fatal(err)
	}
	return per.ID
}

// newReferral sends the person to the guide's service (consent given now).
func (z *azWorld) newReferral() string {
	d := z.people()
	rf, err := z.App.Pathway.Refer(d.ctx, d.sw, d.person, pathway.ReferralInput{ServiceID: d.service, Reason: "Accès aux droits",
		Fields: []people.ShareField{people.FieldIdentity}, ConsentNow: true})
	if err != nil {
		z.T.Fatal(err)
	}
	return rf.ID
}

// newMission gives the volunteer of site A a mission for the person.
func (z *azWorld) newMission() string {
	d := z.people()
	today := people.Today(z.Clock.Now())
	m, err := z.App.Pathway.Assign(d.ctx, d.sw, d.person, pathway.MissionInput{VolunteerID: z.roles[auth.Volunteer].ID,
		Title: fmt.Sprintf("Accompagner à la CPAM %d", z.next()), OnDate: &today})
	if err != nil {
		z.T.Fatal(err)
	}
	return m.ID
}

// newMember adds a household member to the person.
func (z *azWorld) newMember() string {
	d := z.people()
	m, err := z.App.People.SaveMember(d.ctx, d.sw, d.person, "", people.MemberInput{GivenName: fmt.Sprintf("Membre %d", z.next()),
		Relation: "other"})
	if err != nil {
		z.T.Fatal(err)
	}
	return m.ID
}

// newTask gives the social worker a worklist item (a partner's answer).
func (z *azWorld) newTask() string {
	d := z.people()
	rid := z.newReferral()
	if _, err := z.App.Pathway.AnswerAsPartner(d.ctx, d.partner, rid, pathway.Answer{Action: pathway.AnswerAccept}); err != nil {
		z.T.Fatal(err)
	}
	var id string
	if err := z.DB.R.NewRaw("SELECT id FROM pathway_tasks WHERE ref_id = ?", rid).Scan(d.ctx, &id); err != nil {
		z.T.Fatal(err)
	}
	return id
}

func peopleRows() []azRow {
	person := func(z *azWorld) string { return "/fr/people/" + z.people().person }
	sub := func(suffix func(d *peopleData) string) func(*azWorld) string {
		return func(z *azWorld) string { return person(z) + suffix(z.people()) }
	}
	const_ := func(s string) func(*peopleData) string { return func(*peopleData) string { return s } }
	toPerson := func(z *azWorld, _ string) string { return person(z) }
	vals := func(kv ...string) func(*azWorld) url.Values {
		return func(*azWorld) url.Values {
			v := url.Values{}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Add(kv[i], kv[i+1])
			}
			return v
		}
	}
	identity := func(z *azWorld) url.Values {
		return url.Values{"site": {z.siteA.ID}, "given_latin": {fmt.Sprintf("Nouvelle %d", z.next())}, "family_latin": {"Personne"},
			"household_size": {"1"}, "not_duplicate": {"1"}, "msg_lang": {"fr"}}
	}
	freshRef := func(suffix string) func(*azWorld) string {
		return func(z *azWorld) string { return person(z) + "/referrals/" + z.newReferral() + suffix }
	}
	partnerRef := func(action string) func(*azWorld) string {
		return func(z *azWorld) string { z.people(); return "/fr/partner/referrals/" + z.newReferral() + "/" + action }
	}
	toReferral := func(z *azWorld, path string) string { return path[:strings.LastIndex(path, "/")] }
	return []azRow{
		// The files (internal/people).
		{pattern: "GET /people", staff: personReaders, path: fixed("/fr/people?q=personne"), want: 200},
		{pattern: "GET /people/new", staff: personReaders, path: fixed("/fr/people/new"), want: 200},
		{pattern: "POST /people", staff: personReaders, path: fixed("/fr/people"), form: identity, want: 303, loc: at("/fr/people/")},
		{pattern: "GET /people/retention", staff: personManagers, path: fixed("/fr/people/retention"), want: 200},
		{pattern: "GET /people/{id}", staff: personReaders, path: person, want: 200},
		{pattern: "GET /people/{id}/edit", staff: personReaders, path: sub(const_("/edit")), want: 200},
		// The counters stay above the household members listed (see below).
		{pattern: "POST /people/{id}", staff: personReaders, path: person, form: func(z *azWorld) url.Values {
			v := identity(z)
			v.Set("household_size", "20")
			v.Set("dependants", "10")
			return v
		}, want: 303, loc: self},
		{pattern: "POST /people/{id}/status", staff: personReaders, path: sub(const_("/status")), form: vals("status", "refugee"), want: 303, loc: toPerson},
		// An empty notes form changes nothing and is allowed to every reader.
		{pattern: "POST /people/{id}/notes", staff: personReaders, path: sub(const_("/notes")), want: 303, loc: toPerson},
		{pattern: "POST /people/{id}/consents", staff: personReaders, path: sub(const_("/consents")), form: vals("purpose", "statistics"), want: 303, loc: toPerson},
		{pattern: "POST /people/{id}/consents/{cid}/withdraw", staff: personReaders,
			path: sub(func(d *peopleData) string { return "/consents/" + d.consent + "/withdraw" }), want: 303, loc: toPerson},
		{pattern: "POST /people/{id}/referent", staff: personReaders, path: sub(const_("/referent")),
			form: func(z *azWorld) url.Values { return url.Values{"user": {z.roles[auth.SocialWorker].ID}} }, want: 303, loc: toPerson},
		{pattern: "POST /people/{id}/team", staff: personReaders, path: sub(const_("/team")),
			form: func(z *azWorld) url.Values { return url.Values{"user": {z.roles[auth.LegalSpecialist].ID}} }, want: 303, loc: toPerson},
		{pattern: "POST /people/{id}/team/{uid}/remove", staff: personReaders,
			path: func(z *azWorld) string { return person(z) + "/team/" + z.roles[auth.LegalSpecialist].ID + "/remove" }, want: 303, loc: toPerson},
		{pattern: "POST /people/{id}/shares", staff: personReaders, path: sub(const_("/shares")),
			form: func(z *azWorld) url.Values {
				return url.Values{"site": {z.siteB.ID}, "reason": {"Suivi à l'ESI"}, "ends_on": {z.Clock.Now().AddDate(0, 0, 10).Format("2006-01-02")}}
			}, want: 303, loc: toPerson},
		{pattern: "POST /people/{id}/shares/{sid}/end", staff: personReaders,
			path: sub(func(d *peopleData) string { return "/shares/" + d.share + "/end" }), want: 303, loc: toPerson},
		{pattern: "GET /people/{id}/export", staff: personManagers, path: sub(const_("/export")), want: 200},
		{pattern: "GET /people/{id}/export.json", staff: personManagers, path: sub(const_("/export.json")), want: 200},
		{pattern: "GET /people/{id}/merge", staff: personManagers, path: sub(const_("/merge")), want: 200},
		// Each request merges a new duplicate (made before the request).
		{pattern: "POST /people/{id}/merge", staff: personManagers,
			path: func(z *azWorld) string { d := z.people(); d.pendingDup = z.newPerson(d); return person(z) + "/merge" },
			form: func(z *azWorld) url.Values {
				return url.Values{"duplicate": {z.people().pendingDup}, "reason": {"Même personne"}}
			},
			want: 303, loc: toPerson},
		// Each request erases a new file.
		{pattern: "POST /people/{id}/erase", staff: personManagers,
			path: func(z *azWorld) string { return "/fr/people/" + z.newPerson(z.people()) + "/erase" },
			form: vals("erase_reason", "Demande de la personne"), want: 303,
			loc: func(_ *azWorld, path string) string { return strings.TrimSuffix(path, "/erase") }},
		{pattern: "POST /people/{id}/keep", staff: personManagers, path: sub(const_("/keep")), form: vals("reason", "Rendez-vous prévu"),
			want: 303, loc: at("/fr/people/retention")},
		// The household members: whoever may open and change the file.
		{pattern: "POST /people/{id}/household", staff: personReaders, path: sub(const_("/household")),
			form: vals("member_given", "Aminata", "member_relation", "child", "member_birth_year", "2015"), want: 303, loc: toPerson},
		{pattern: "GET /people/{id}/household/{hid}", staff: personReaders, path: sub(func(d *peopleData) string { return "/household/" + d.member }),
			want: 200},
		{pattern: "POST /people/{id}/household/{hid}", staff: personReaders, path: sub(func(d *peopleData) string { return "/household/" + d.member }),
			form: vals("member_given", "Fatou", "member_relation", "child", "member_birth_year", "2018"), want: 303, loc: toPerson},
		// Each request removes a new member.
		{pattern: "POST /people/{id}/household/{hid}/remove", staff: personReaders,
			path: func(z *azWorld) string { return person(z) + "/household/" + z.newMember() + "/remove" }, want: 303, loc: toPerson},
		// The pathway (internal/pathway).
		{pattern: "POST /people/{id}/objectives", staff: personReaders, path: sub(const_("/objectives")),
			form: vals("objective_axis", "housing", "objective_title", "Trouver un hébergement stable"), want: 303, loc: toPerson},
		{pattern: "POST /people/{id}/objectives/{oid}", staff: personReaders,
			path: sub(func(d *peopleData) string { return "/objectives/" + d.objective }), form: vals("status", "open"), want: 303, loc: toPerson},
		{pattern: "POST /people/{id}/steps", staff: personReaders, path: sub(const_("/steps")),
			form: vals("step_title", "Inscription au cours de français", "step_axis", "language"), want: 303, loc: toPerson},
		{pattern: "POST /people/{id}/steps/{sid}", staff: personReaders, path: sub(func(d *peopleData) string { return "/steps/" + d.step }),
			form: vals("status", "in_progress"), want: 303, loc: toPerson},
		{pattern: "POST /people/{id}/applications", staff: personReaders, path: sub(const_("/applications")),
			form: vals("app_right", "css_free", "app_outcome", "pending"), want: 303, loc: toPerson},
		{pattern: "GET /people/{id}/applications/{aid}", staff: personReaders, path: sub(func(d *peopleData) string { return "/applications/" + d.app }), want: 200},
		{pattern: "POST /people/{id}/applications/{aid}", staff: personReaders, path: sub(func(d *peopleData) string { return "/applications/" + d.app }),
			form: vals("app_right", "ame", "app_outcome", "pending"), want: 303, loc: toPerson},
		{pattern: "GET /people/{id}/referrals/new", staff: personReaders, path: sub(const_("/referrals/new")), want: 200},
		{pattern: "POST /people/{id}/referrals", staff: personReaders, path: sub(const_("/referrals")),
			form: func(z *azWorld) url.Values {
				return url.Values{"service": {z.people().service}, "ref_reason": {"Accès aux droits"}, "consent_now": {"1"}}
			}, want: 303, loc: toPerson},
		{pattern: "POST /people/{id}/referrals/{rid}/revoke", staff: personReaders, path: freshRef("/revoke"), want: 303, loc: toPerson},
		{pattern: "POST /people/{id}/referrals/{rid}/answer", staff: personReaders, path: freshRef("/answer"), form: vals("action", "accept"),
			want: 303, loc: toPerson},
		{pattern: "GET /people/{id}/triage", staff: legalReaders, path: sub(const_("/triage")), want: 200},
		{pattern: "POST /people/{id}/triage", staff: legalReaders, path: sub(const_("/triage")), form: vals("asylum_seeker", "no"),
			want: 303, loc: self},
		{pattern: "POST /people/{id}/followup", staff: personReaders, path: sub(const_("/followup")),
			form: vals("note_body", "Point d'étape", "note_audience", "team"), want: 303, loc: toPerson},
		{pattern: "GET /worklists", staff: personReaders, path: fixed("/fr/worklists"), want: 200},
		{pattern: "POST /worklists/tasks/{tid}/done", staff: taskOwners,
			path: func(z *azWorld) string { return "/fr/worklists/tasks/" + z.newTask() + "/done" }, want: 303, loc: at("/fr/worklists")},
		{pattern: "GET /partner/referrals", staff: partners, path: fixed("/fr/partner/referrals"), want: 200},
		{pattern: "GET /partner/referrals/{rid}", staff: partners,
			path: func(z *azWorld) string { return "/fr/partner/referrals/" + z.people().referral }, want: 200},
		{pattern: "POST /partner/referrals/{rid}/accept", staff: partners, path: partnerRef("accept"), want: 303, loc: toReferral},
		{pattern: "POST /partner/referrals/{rid}/refuse", staff: partners, path: partnerRef("refuse"), form: vals("answer_text", "Complet ce mois-ci"),
			want: 303, loc: toReferral},
		{pattern: "POST /partner/referrals/{rid}/done", staff: partners, path: partnerRef("done"), form: vals("answer_text", "Rendez-vous tenu"),
			want: 303, loc: toReferral},
		{pattern: "GET /pathway/stats", staff: personManagers, path: fixed("/fr/pathway/stats"), want: 200},
		{pattern: "GET /pathway/observatory", staff: personManagers, path: fixed("/fr/pathway/observatory"), want: 200},
		{pattern: "GET /pathway/observatory.csv", staff: personManagers, path: fixed("/fr/pathway/observatory.csv"), want: 200},
		// Volunteer missions: given from the file, seen and reported by the
		// volunteer (a volunteer not assigned, of another site or centre: see
		// TestAuthorizationMissions).
		{pattern: "GET /people/{id}/missions/new", staff: missionAssigners, path: sub(const_("/missions/new")), want: 200},
		{pattern: "POST /people/{id}/missions", staff: missionAssigners, path: sub(const_("/missions")),
			form: func(z *azWorld) url.Values {
				return url.Values{"volunteer": {z.roles[auth.Volunteer].ID}, "mission_title": {"Accompagner à la préfecture"},
					"mission_on": {z.Clock.Now().Format("2006-01-02")}}
			}, want: 303, loc: toPerson},
		{pattern: "POST /people/{id}/missions/{mid}/cancel", staff: missionAssigners,
			path: func(z *azWorld) string { return person(z) + "/missions/" + z.newMission() + "/cancel" }, want: 303, loc: toPerson},
		{pattern: "GET /missions", staff: volunteers, path: fixed("/fr/missions"), want: 200},
		{pattern: "GET /missions/{mid}", staff: volunteers, path: func(z *azWorld) string { return "/fr/missions/" + z.people().mission }, want: 200},
		{pattern: "POST /missions/{mid}/done", staff: volunteers,
			path: func(z *azWorld) string { z.people(); return "/fr/missions/" + z.newMission() + "/done" },
			form: vals("report", "Rendez-vous tenu"), want: 303, loc: at("/fr/missions")},
		// Their staff areas: made-up paths and methods.
		{pattern: "/people", verb: "PUT", staff: everyone, path: fixed("/fr/people"), want: 404},
		{pattern: "/people/", verb: "GET", staff: everyone, path: fixed("/fr/people/made/up/path"), want: 404},
		{pattern: "/worklists", verb: "PUT", staff: everyone, path: fixed("/fr/worklists"), want: 404},
		{pattern: "/worklists/", verb: "GET", staff: everyone, path: fixed("/fr/worklists/made-up"), want: 404},
		{pattern: "/partner", verb: "GET", staff: everyone, path: fixed("/fr/partner"), want: 404},
		{pattern: "/partner/", verb: "GET", staff: everyone, path: fixed("/fr/partner/made-up"), want: 404},
		{pattern: "/pathway", verb: "GET", staff: everyone, path: fixed("/fr/pathway"), want: 404},
		{pattern: "/pathway/", verb: "GET", staff: everyone, path: fixed("/fr/pathway/made-up"), want: 404},
		{pattern: "/missions", verb: "PUT", staff: everyone, path: fixed("/fr/missions"), want: 404},
		{pattern: "/missions/", verb: "GET", staff: everyone, path: fixed("/fr/missions/made/up"), want: 404},
	}
}

// A mission opens a file to its volunteer only: another volunteer of the
// site, a volunteer of another site or centre, a worker of another site or
// centre get 404 (the mission's existence is not told), and a mission
// cannot be given to a volunteer of another site.
func TestAuthorizationMissions(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		z := newAZWorld(t, e)
		d := z.people()
		// A file of site A shared with no other site.
		id := z.newPerson(d)
		if _, err := z.App.People.GiveConsent(d.ctx, d.sw, id, people.ConsentInput{Purpose: people.PurposeVolunteer}); err != nil {
			t.Fatal(err)
		}
		today := people.Today(z.Clock.Now())
		m, err := z.App.Pathway.Assign(d.ctx, d.sw, id, pathway.MissionInput{VolunteerID: z.roles[auth.Volunteer].ID, Title: "Accompagner à la CPAM",
			OnDate: &today})
		if err != nil {
			t.Fatal(err)
		}
		mission := "/fr/missions/" + m.ID
		volB := z.User(z.org1, "benevole-bravo@un.example", auth.Membership{Role: auth.Volunteer, SiteID: z.siteB.ID})
		vol2 := z.User(z.org2, "benevole@deux.example", auth.Membership{Role: auth.Volunteer, SiteID: z.siteC.ID})
		volA := z.User(z.org1, "benevole-alpha@un.example", auth.Membership{Role: auth.Volunteer, SiteID: z.siteA.ID})
		vols := map[string]*testkit.Browser{"a volunteer of A not assigned": z.Browser().Login(volA),
			"a volunteer of B": z.Browser().Login(volB), "a volunteer of another centre": z.Browser().Login(vol2)}
		workers := map[string]*testkit.Browser{"a worker of B": z.Browser().Login(z.bOnly), "a worker of another centre": z.Browser().Login(z.worker2),
			"the administrator of another centre": z.Browser().Login(z.admin2)}
		before := testkit.Snapshot(t, z.DB)
		for who, b := range vols {
			if r := b.Get(mission); r.Status != http.StatusNotFound {
				t.Errorf("%s opens the mission: %d", who, r.Status)
			}
			if r := b.Post(mission+"/done", url.Values{"report": {"Fait"}}); r.Status != http.StatusNotFound {
				t.Errorf("%s reports on the mission: %d", who, r.Status)
			}
			if r := z.get200(t, b, "/fr/missions"); strings.Contains(r.Body, "CPAM") {
				t.Errorf("%s lists the mission", who)
			}
		}
		person := "/fr/people/" + id
		form := url.Values{"volunteer": {z.roles[auth.Volunteer].ID}, "mission_title": {"Intrus"}, "mission_on": {z.Clock.Now().Format("2006-01-02")}}
		for who, b := range workers {
			if r := b.Get(person + "/missions/new"); r.Status != http.StatusNotFound {
				t.Errorf("%s opens the mission form: %d", who, r.Status)
			}
			if r := b.Post(person+"/missions", form); r.Status != http.StatusNotFound {
				t.Errorf("%s gives a mission: %d", who, r.Status)
			}
			if r := b.Post(person+"/missions/"+m.ID+"/cancel", nil); r.Status != http.StatusNotFound {
				t.Errorf("%s withdraws the mission: %d", who, r.Status)
			}
		}
		testkit.SameState(t, before, testkit.Snapshot(t, z.DB), "refused mission requests")
		// The assigned volunteer does open it, and not the file.
		vol := z.as(auth.Volunteer)
		z.get200(t, vol, mission)
		if r := vol.Get(person); r.Status != http.StatusForbidden {
			t.Errorf("the volunteer opens the file: %d", r.Status)
		}
		// A volunteer of another site cannot be given the mission.
		form.Set("volunteer", volB.ID)
		if r := z.as(auth.SocialWorker).Post(person+"/missions", form); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("mission for a volunteer of B: %d", r.Status)
		}
	})
}
