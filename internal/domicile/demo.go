package domicile

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/people"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
)

// DemoStaff are the demo accounts that fill the demo domiciliations.
type DemoStaff struct {
	Worker, Manager, Reception *auth.Principal
}

func asActor(ctx context.Context, p *auth.Principal) context.Context {
	return audit.WithActor(ctx, audit.Actor{UserID: p.UserID, OrgID: p.OrgID, Label: p.Email})
}

// LoadDemo fills a demo site with a few domiciled persons in the states
// the screens show: in force with mail waiting (one with a proxy), silent
// for four months, ending within the month, a request awaiting decision,
// a refusal. It does nothing if the site already has files.
func (s *Service) LoadDemo(ctx context.Context, st DemoStaff, siteID string) error {
	n, err := s.DB.R.NewSelect().Model((*File)(nil)).Where("f.site_id = ?", siteID).Count(ctx)
	if err != nil || n > 0 {
		return err
	}
	w, m, r := st.Worker, st.Manager, st.Reception
	set := &Settings{SiteID: siteID, Organism: "CASVP — PSA Bastille (démonstration)", Manager: "Marc Lefèvre, responsable de site",
		MailAddress: "PSA Bastille\n12 rue de la Roquette\n75011 Paris", Email: "psa.bastille@demo.invalid", Phone: "01 00 00 00 00",
		Attachment: "Paris 11e", Hours: "Lundi à vendredi, 9 h 30 – 12 h 30", SMSDays: "2,4", SMSHour: 19, PortalEnabled: true}
	if err := s.SaveSettings(asActor(ctx, m), m, *set); err != nil {
		return err
	}
	today := s.today()
	type demoPerson struct {
		given, family, givenLatin, familyLatin, birth, lang, phone, civility string
		// monthsAgo is when the request was filed.
		monthsAgo int
		to        string
		letters   int
		parcels   int
		silent    bool
		proxy     string
	}
	demo := []demoPerson{
		{"خديجة", "منصوري", "Khadija", "Mansouri", "1984-03-12", "ar", "+33612345678", "mme", 2, StatusValid, 3, 1, false, "Karim Mansouri"},
		{"Aminata", "Diallo", "", "", "1990-06-01", "fr", "+33611111111", "mme", 6, StatusValid, 1, 0, false, ""},
		{"Yohannes", "Tesfaye", "", "", "1987-11-20", "ti", "", "m", 7, StatusValid, 0, 0, true, ""},
		{"Ion", "Popescu", "", "", "1975-02-14", "ro", "+40722000000", "m", 11, StatusValid, 2, 0, false, ""},
		{"گل احمد", "نوری", "Gul Ahmad", "Noori", "1998-09-09", "fa-AF", "", "m", 0, StatusAwaiting, 0, 0, false, ""},
		{"Chen", "Li", "", "", "2001-07-07", "zh-Hans", "", "mme", 1, StatusRefused, 0, 0, false, ""},
	}
	for _, d := range demo {
		birth, _ := time.Parse(time.DateOnly, d.birth)
		per, _, err := s.People.Create(asActor(ctx, w), w, people.Input{SiteID: siteID, GivenName: d.given, FamilyName: d.family,
			GivenLatin: d.givenLatin, FamilyLatin: d.familyLatin, BirthDate: &birth, Phone: d.phone, MsgLang: d.lang, HouseholdSize: 1},
			people.CreateOptions{NotADuplicate: true})
		if err != nil {
			return err
		}
		requested := today.AddDate(0, -d.monthsAgo, 0)
		f, err := s.CreateRequest(asActor(ctx, w), w, RequestInput{PersonID: per.ID, SiteID: siteID, RequestedOn: &requested,
			Civility: d.civility, BirthPlace: "—"})
		if err != nil {
			return err
		}
		if err := s.SaveInterview(asActor(ctx, w), w, f.ID, Interview{HeldOn: &requested, Link: "residential", Household: "man",
			Residence: "street", Cause: "eviction", Reason: "benefits", Work: "rsa"}); err != nil {
			return err
		}
		switch d.to {
		case StatusValid:
			if _, err := s.Decide(asActor(ctx, m), m, f.ID, DecisionInput{To: StatusValid, On: &requested}); err != nil {
				return err
			}
		case StatusAwaiting:
			if _, err := s.Decide(asActor(ctx, w), w, f.ID, DecisionInput{To: StatusAwaiting}); err != nil {
				return err
			}
		case StatusRefused:
			if _, err := s.Decide(asActor(ctx, m), m, f.ID, DecisionInput{To: StatusRefused, On: &today, Reason: "no_link", Referral: "ccas",
				ReferralDetail: "CCAS de Montreuil"}); err != nil {
				return err
			}
		}
		if d.proxy != "" {
			if _, err := s.AddProxy(asActor(ctx, r), r, f.ID, ProxyInput{Family: d.proxy}); err != nil {
				return err
			}
		}
		if d.silent {
			// The demo backdates the last contact (the desk cannot).
			last := today.AddDate(0, -4, 0)
			if err := s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
				_, err := tx.NewUpdate().Model((*File)(nil)).Set("last_contact_on = ?", last).Where("id = ?", f.ID).Exec(ctx)
				return err
			}); err != nil {
				return err
			}
		}
		for kind, q := range map[string]int{"letter": d.letters, "parcel": d.parcels} {
			if q > 0 {
				if _, _, err := s.Intake(asActor(ctx, r), r, IntakeInput{FileID: f.ID, Kind: kind, Quantity: q, Sender: "CAF de Paris"}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
