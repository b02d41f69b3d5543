package app

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/org"
	"parcours/internal/platform/apperr"
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
			{"benevole@demo.invalid", "Farid Rahimi (bénévole démo)", auth.Volunteer, "PSA Belleville"},
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
	if err := loadGuideDemo(ctx, a); err != nil {
		return nil, fmt.Errorf("guide demo: %w", err)
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
