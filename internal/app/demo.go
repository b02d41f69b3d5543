package app

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/domicile"
	"parcours/internal/org"
	"parcours/internal/pathway"
	"parcours/internal/people"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
)

// DemoPassword is the password of every demo account (printed on start;
// --demo refuses non-loopback addresses for this reason).
const DemoPassword = "demo-parcours-2026"

// DemoTOTPSecret is the second-factor secret of the demo accounts; the
// current code is also shown on the code page in demo mode.
const DemoTOTPSecret = "JBSWY3DPEHPK3PXPPARCOURSDEMOTWZS"

// DemoOrgName names the demo centre.
const DemoOrgName = "CASVP — centre de démonstration"

// DemoAccount is a printed demo account.
type DemoAccount struct {
	Email string
	Role  auth.Role
	Site  string
}

type demoSite struct {
	name, kind, address, postal string
	season                      bool
}

// Sites named in the centre's plan (kinds and names; addresses are left
// to the centre, only the arrondissement is given).
var demoSites = []demoSite{
	{"PSA Bastille", "psa", "", "75012", false},
	{"PSA Belleville", "psa", "", "75020", false},
	{"PSA Gauthey", "psa", "rue Gauthey", "75017", false},
	{"ESI Halle Saint-Didier", "esi", "", "75016", false},
	{"ESI Coty", "esi", "", "75014", false},
	{"CH Pauline Roland", "chrs", "", "75019", false},
	{"CHU Pôle Rosa Luxembourg", "chu", "", "75018", false},
	{"SSP 13e", "ssp", "", "75013", false},
	{"CASVP 18e", "casvp_arr", "", "75018", false},
	{"Résidence services Belleville", "residence", "", "75020", false},
	{"Gymnase plan hivernal 19e", "gymnase", "", "75019", true},
}

// LoadDemo creates the demo centres, sites and one account per role, once.
func LoadDemo(ctx context.Context, a *App) ([]DemoAccount, error) {
	var accounts []DemoAccount
	if _, err := org.OrgByName(ctx, a.DB.R, DemoOrgName); err == nil {
		return demoAccounts(ctx, a)
	} else if !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	err := a.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		now := a.Clock.Now()
		o, err := org.CreateOrg(ctx, tx, DemoOrgName, "ccas", true, now)
		if err != nil {
			return err
		}
		ids := map[string]string{}
		for _, s := range demoSites {
			site := &org.Site{ID: db.NewID(), OrgID: o.ID, Name: s.name, Kind: s.kind, Address: s.address,
				PostalCode: s.postal, City: "Paris", CreatedAt: now, UpdatedAt: now}
			if s.season {
				// The winter plan runs from 1 November to 31 March.
				y := now.Year()
				if now.Month() < time.April {
					y--
				}
				open := time.Date(y, time.November, 1, 0, 0, 0, 0, time.UTC)
				closes := time.Date(y+1, time.March, 31, 0, 0, 0, 0, time.UTC)
				site.OpensOn, site.ClosesOn = &open, &closes
			}
			if _, err := tx.NewInsert().Model(site).Exec(ctx); err != nil {
				return err
			}
			ids[s.name] = site.ID
		}
		users := []struct {
			email, name string
			role        auth.Role
			site        string
		}{
			{"admin@demo.invalid", "Amina Diallo (admin démo)", auth.Admin, ""},
			{"responsable@demo.invalid", "Marc Lefèvre (responsable démo)", auth.SiteManager, "PSA Bastille"},
			{"social@demo.invalid", "Sarah Benali (travailleuse sociale démo)", auth.SocialWorker, "PSA Bastille"},
			{"accueil@demo.invalid", "Yohannes Tesfaye (accueil démo)", auth.ReceptionAgent, "PSA Bastille"},
			{"juriste@demo.invalid", "Claire Martin (juriste démo)", auth.LegalSpecialist, "ESI Halle Saint-Didier"},
			{"partenaire@demo.invalid", "Karim Haddad (partenaire démo)", auth.Partner, "PSA Gauthey"},
			{"coordination@demo.invalid", "Lucie Bernard (coordination bénévoles démo)", auth.VolunteerCoordinator, "PSA Belleville"},
			{"benevole@demo.invalid", "Farid Rahimi (bénévole démo)", auth.Volunteer, "PSA Bastille"},
			{"traduction@demo.invalid", "Mariam Ahmadi (traductrice démo)", auth.Translator, ""},
			{"social.belleville@demo.invalid", "Ousmane Barry (travailleur social démo)", auth.SocialWorker, "PSA Belleville"},
		}
		for _, u := range users {
			nu := auth.NewUser{OrgID: o.ID, Email: u.email, Name: u.name, Lang: "fr", Password: DemoPassword, Demo: true,
				Memberships: []auth.Membership{{Role: u.role, SiteID: ids[u.site]}}}
			if u.role.RequiresMFA() {
				nu.TOTPSecret = DemoTOTPSecret
			}
			if _, err := a.Auth.Provision(ctx, tx, nu); err != nil {
				return fmt.Errorf("demo user %s: %w", u.email, err)
			}
		}
		// A second centre shows that centres are isolated from each other.
		o2, err := org.CreateOrg(ctx, tx, "Association Solidarité Exil — démonstration", "association", true, now)
		if err != nil {
			return err
		}
		s2 := &org.Site{ID: db.NewID(), OrgID: o2.ID, Name: "Accueil de jour Solidarité Exil", Kind: "other", PostalCode: "75011",
			City: "Paris", CreatedAt: now, UpdatedAt: now}
		if _, err := tx.NewInsert().Model(s2).Exec(ctx); err != nil {
			return err
		}
		_, err = a.Auth.Provision(ctx, tx, auth.NewUser{OrgID: o2.ID, Email: "admin.asso@demo.invalid", Name: "Nadia Okafor (admin association démo)",
			Password: DemoPassword, Demo: true, TOTPSecret: DemoTOTPSecret, Memberships: []auth.Membership{{Role: auth.Admin}}})
		return err
	})
	if err != nil {
		return nil, err
	}
	os, err := org.Orgs(ctx, a.DB.R)
	if err != nil {
		return nil, err
	}
	for _, o := range os {
		if err := a.SetUpOrg(ctx, o.ID); err != nil {
			return nil, err
		}
	}
	if err := loadGuideDemo(ctx, a); err != nil {
		return nil, fmt.Errorf("guide demo: %w", err)
	}
	if err := loadPeopleDemo(ctx, a); err != nil {
		return nil, fmt.Errorf("people demo: %w", err)
	}
	if err := loadDomicileDemo(ctx, a); err != nil {
		return nil, fmt.Errorf("domiciliation demo: %w", err)
	}
	accounts, err = demoAccounts(ctx, a)
	return accounts, err
}

func demoAccounts(ctx context.Context, a *App) ([]DemoAccount, error) {
	var rows []struct {
		Email string `bun:"email"`
		Role  string `bun:"role"`
		Site  string `bun:"site"`
	}
	err := a.DB.R.NewRaw(`SELECT u.email, m.role, COALESCE(s.name, '') AS site
		FROM users u JOIN memberships m ON m.user_id = u.id LEFT JOIN sites s ON s.id = m.site_id
		WHERE u.demo ORDER BY u.created_at, u.email`).Scan(ctx, &rows)
	out := make([]DemoAccount, len(rows))
	for i, r := range rows {
		out[i] = DemoAccount{Email: r.Email, Role: auth.Role(r.Role), Site: r.Site}
	}
	return out, err
}

// PrintDemo writes the demo accounts table.
func PrintDemo(w io.Writer, baseURL string, accounts []DemoAccount) {
	fmt.Fprintf(w, "\nDEMO MODE: demo data only, messages stay in the outbox. Sign in at %s/fr/login\n", baseURL)
	fmt.Fprintf(w, "Password of every demo account: %s\n", DemoPassword)
	fmt.Fprintf(w, "Second factor (roles that open files): secret %s in any authenticator app;\n", DemoTOTPSecret)
	fmt.Fprintf(w, "in demo mode the current code is also shown on the code page.\n\n")
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  E-MAIL\tROLE\tSITE")
	for _, a := range accounts {
		site := a.Site
		if site == "" {
			site = "(all sites)"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", a.Email, a.Role, site)
	}
	tw.Flush()
	fmt.Fprintln(w)
}

// loadGuideDemo fills the demo centre's public guide (internal/guide/demo.go).
func loadGuideDemo(ctx context.Context, a *App) error {
	o, err := org.OrgByName(ctx, a.DB.R, DemoOrgName)
	if err != nil {
		return err
	}
	_, err = a.Guide.LoadDemo(ctx, o.ID)
	return err
}

// loadPeopleDemo opens a few fictional files at PSA Bastille, followed by
// the demo social worker, with statuses, rights applications, steps, a
// referral to La Cimade (whose demo partner account receives it) and a
// mission for the demo volunteer (with the person's consent).
func loadPeopleDemo(ctx context.Context, a *App) error {
	o, err := org.OrgByName(ctx, a.DB.R, DemoOrgName)
	if err != nil {
		return err
	}
	var sw, partner, volunteer auth.User
	if err := a.DB.R.NewSelect().Model(&sw).Where("org_id = ? AND email = ?", o.ID, "social@demo.invalid").Scan(ctx); err != nil {
		return err
	}
	if err := a.DB.R.NewSelect().Model(&volunteer).Where("org_id = ? AND email = ?", o.ID, "benevole@demo.invalid").Scan(ctx); err != nil {
		return err
	}
	if err := a.DB.R.NewSelect().Model(&partner).Where("org_id = ? AND email = ?", o.ID, "partenaire@demo.invalid").Scan(ctx); err != nil {
		return err
	}
	if _, err := a.DB.W.NewUpdate().Model((*auth.User)(nil)).Set("partner_org = ?", "La Cimade").Where("id = ?", partner.ID).Exec(ctx); err != nil {
		return err
	}
	ms, err := auth.MembershipsOf(ctx, a.DB.R, o.ID, sw.ID)
	if err != nil {
		return err
	}
	p := &auth.Principal{UserID: sw.ID, OrgID: o.ID, Email: sw.Email, Name: sw.Name, Memberships: ms}
	ctx = audit.WithActor(auth.WithPrincipal(ctx, p), audit.Actor{UserID: sw.ID, OrgID: o.ID, Label: sw.Email})
	site := ms[0].SiteID
	today := people.Today(a.Clock.Now())
	day := func(days int) *time.Time { d := today.AddDate(0, 0, days); return &d }
	type demoPerson struct {
		in     people.Input
		status people.StatusInput
		sms    bool
		apps   []pathway.ApplicationInput
		steps  []pathway.StepInput
		refer  string // reason of a referral to La Cimade
		// mission for the demo volunteer, with the person's consent
		mission string
	}
	files := []demoPerson{
		{in: people.Input{GivenName: "عائشة", FamilyName: "بن علي", GivenLatin: "Aïcha", FamilyLatin: "Benali", BirthDate: day(-35 * 365),
			Phone: "06 00 00 00 01", MsgLang: "ar", Languages: []string{"ar", "fr"}, FrenchLevel: "a2", HouseholdSize: 3, Dependants: 2},
			status: people.StatusInput{Status: "no_permit"}, sms: true,
			apps: []pathway.ApplicationInput{{Right: "ame", Submitted: day(-340), Decided: day(-300), Outcome: "granted", Expires: day(65)}},
			steps: []pathway.StepInput{{Axis: "rights", Title: "Préparer le renouvellement de l'AME", DueOn: day(3)},
				{Axis: "language", Title: "Inscription à l'atelier de français", DueOn: day(12)}},
			refer:   "Refus de séjour notifié : étudier un recours (dossier de démonstration)",
			mission: "Accompagner au rendez-vous de la CPAM (renouvellement de l'AME)"},
		{in: people.Input{GivenName: "محمد", FamilyName: "رحیمی", GivenLatin: "Mohammad", FamilyLatin: "Rahimi", BirthYear: today.Year() - 26,
			Phone: "06 00 00 00 02", MsgLang: "fa-AF", Languages: []string{"prs", "ps"}, FrenchLevel: "none", HouseholdSize: 1},
			status: people.StatusInput{Status: "asylum_normal", Document: "Attestation de demande d'asile", From: day(-60), Until: day(240)},
			apps:   []pathway.ApplicationInput{{Right: "ada", Submitted: day(-58), Outcome: "pending"}},
			steps: []pathway.StepInput{{Axis: "rights", Title: "Envoyer le dossier OFPRA", DueOn: day(-2)},
				{Axis: "housing", Title: "Appeler le 115 avec la personne", DueOn: day(1)}}},
		{in: people.Input{GivenLatin: "Fatoumata", FamilyLatin: "Camara", BirthYear: today.Year() - 41, Phone: "06 00 00 00 03",
			MsgLang: "ff", Languages: []string{"ff", "fr"}, FrenchLevel: "b1", HouseholdSize: 4, Dependants: 3},
			status: people.StatusInput{Status: "refugee", Document: "Carte de résident", From: day(-700), Until: day(2950)},
			apps: []pathway.ApplicationInput{{Right: "family_benefits", Submitted: day(-40), Acknowledged: day(-33), Outcome: "pending"},
				{Right: "css_free", Submitted: day(-120), Decided: day(-95), Outcome: "granted", Expires: day(270)}},
			steps: []pathway.StepInput{{Axis: "work", Title: "Rendez-vous France Travail", DueOn: day(9)}}},
		{in: people.Input{GivenName: "ተስፋይ", GivenLatin: "Tesfay", FamilyLatin: "Gebremedhin", BirthYear: today.Year() - 22,
			MsgLang: "ti", Languages: []string{"ti", "am"}, FrenchLevel: "a1", HouseholdSize: 1},
			status: people.StatusInput{Status: "subsidiary_protection", Document: "Carte de séjour pluriannuelle", Until: day(1200)},
			steps:  []pathway.StepInput{{Axis: "social", Title: "Présenter l'association sportive du quartier"}}},
	}
	svcs, err := a.Pathway.Directory.Search(ctx, p, "Permanence étrangers", 1)
	if err != nil {
		return err
	}
	for _, f := range files {
		f.in.SiteID = site
		per, _, err := a.People.Create(ctx, p, f.in, people.CreateOptions{NotADuplicate: true})
		if err != nil {
			return err
		}
		if err := a.People.SetReferent(ctx, p, per.ID, sw.ID); err != nil {
			return err
		}
		if err := a.People.SetStatus(ctx, p, per.ID, f.status); err != nil {
			return err
		}
		if f.sms {
			if _, err := a.People.GiveConsent(ctx, p, per.ID, people.ConsentInput{Purpose: people.PurposeSMS}); err != nil {
				return err
			}
		}
		for _, ap := range f.apps {
			if _, err := a.Pathway.SaveApplication(ctx, p, per.ID, "", ap); err != nil {
				return err
			}
		}
		for _, st := range f.steps {
			if _, err := a.Pathway.AddStep(ctx, p, per.ID, st); err != nil {
				return err
			}
		}
		if f.refer != "" && len(svcs) > 0 {
			if _, err := a.Pathway.Refer(ctx, p, per.ID, pathway.ReferralInput{ServiceID: svcs[0].ID, Reason: f.refer, ConsentNow: true,
				Fields: []people.ShareField{people.FieldIdentity, people.FieldContact, people.FieldLanguages, people.FieldStatus}}); err != nil {
				return err
			}
		}
		if f.mission != "" {
			if _, err := a.Pathway.Assign(ctx, p, per.ID, pathway.MissionInput{VolunteerID: volunteer.ID, Title: f.mission, OnDate: day(2),
				AtTime: "10:00", ConsentNow: true, Fields: []people.ShareField{people.FieldIdentity, people.FieldContact, people.FieldLanguages}}); err != nil {
				return err
			}
		}
	}
	return nil
}

// loadDomicileDemo fills PSA Bastille's domiciliation (internal/domicile/demo.go)
// with the demo social worker, site manager and reception agent.
func loadDomicileDemo(ctx context.Context, a *App) error {
	o, err := org.OrgByName(ctx, a.DB.R, DemoOrgName)
	if err != nil {
		return err
	}
	principal := func(email string) (*auth.Principal, error) {
		var u auth.User
		if err := a.DB.R.NewSelect().Model(&u).Where("org_id = ? AND email = ?", o.ID, email).Scan(ctx); err != nil {
			return nil, err
		}
		ms, err := auth.MembershipsOf(ctx, a.DB.R, o.ID, u.ID)
		return &auth.Principal{UserID: u.ID, OrgID: o.ID, Email: u.Email, Name: u.Name, Memberships: ms}, err
	}
	var st domicile.DemoStaff
	for email, p := range map[string]**auth.Principal{"social@demo.invalid": &st.Worker, "responsable@demo.invalid": &st.Manager,
		"accueil@demo.invalid": &st.Reception} {
		if *p, err = principal(email); err != nil {
			return err
		}
	}
	return a.Domicile.LoadDemo(ctx, st, st.Worker.Memberships[0].SiteID)
}
