package people

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
)

// Consent is the person's agreement to one purpose.
type Consent struct {
	bun.BaseModel `bun:"table:person_consents"`

	ID          string     `bun:"id,pk" json:"-"`
	OrgID       string     `bun:"org_id" json:"-"`
	PersonID    string     `bun:"person_id" json:"-"`
	Purpose     Purpose    `bun:"purpose" json:"purpose"`
	Partner     string     `bun:"partner" json:"partner,omitempty"`
	GivenOn     time.Time  `bun:"given_on,type:date" json:"given_on"`
	ExpiresOn   *time.Time `bun:"expires_on,type:date" json:"expires_on,omitempty"`
	WithdrawnAt *time.Time `bun:"withdrawn_at" json:"withdrawn_at,omitempty"`
	RecordedBy  string     `bun:"recorded_by" json:"-"`
	CreatedAt   time.Time  `bun:"created_at" json:"-"`
}

// ActiveOn reports whether the consent holds on day (a date at midnight UTC).
func (c Consent) ActiveOn(day time.Time) bool {
	return c.WithdrawnAt == nil && !c.GivenOn.After(day) && (c.ExpiresOn == nil || !c.ExpiresOn.Before(day))
}

// ConsentInput records a consent.
type ConsentInput struct {
	Purpose   Purpose
	Partner   string // required for PurposeSharePartner
	GivenOn   *time.Time
	ExpiresOn *time.Time
}

// errNoConsent is returned by RequireConsent when the person has not
// agreed: Forbidden, with the message "people.consent.missing.<purpose>".
func errNoConsent(purpose Purpose, partner string) error {
	return &apperr.Error{Kind: apperr.Forbidden, Key: "people.consent.missing." + string(purpose), Args: map[string]any{"Partner": partner}}
}

// RequireConsent returns nil when the person has an active consent for
// purpose today, and a Forbidden error ("people.consent.missing")
// otherwise. Modules call it before doing what needs consent (sending an
// SMS, counting the file in anonymised statistics, assigning a volunteer).
// For sharing with a partner, use RequirePartnerConsent.
func (s *Service) RequireConsent(ctx context.Context, personID string, purpose Purpose) error {
	return s.requireConsent(ctx, s.DB.R, personID, purpose, "")
}

// RequirePartnerConsent is RequireConsent for sharing with the named
// partner organisation (names compare without case or extra spaces).
func (s *Service) RequirePartnerConsent(ctx context.Context, personID, partner string) error {
	return s.requireConsent(ctx, s.DB.R, personID, PurposeSharePartner, partner)
}

// RequireConsentTx is RequireConsent inside a transaction (for jobs that
// check and act at once).
func (s *Service) RequireConsentTx(ctx context.Context, tx bun.Tx, personID string, purpose Purpose, partner string) error {
	return s.requireConsent(ctx, tx, personID, purpose, partner)
}

func (s *Service) requireConsent(ctx context.Context, q bun.IDB, personID string, purpose Purpose, partner string) error {
	ok, err := s.HasConsent(ctx, q, personID, purpose, partner)
	if err != nil {
		return err
	}
	if !ok {
		return errNoConsent(purpose, partner)
	}
	return nil
}

// HasConsent reports whether the person has an active consent for purpose
// (and partner) today. The file's centre is taken from the principal or
// the audit actor in ctx when there is one.
func (s *Service) HasConsent(ctx context.Context, q bun.IDB, personID string, purpose Purpose, partner string) (bool, error) {
	if !purpose.Valid() {
		return false, apperr.New(apperr.Invalid, "common.error.invalid")
	}
	var cs []Consent
	sel := q.NewSelect().Model(&cs).Where("person_id = ? AND purpose = ? AND withdrawn_at IS NULL", personID, purpose)
	if p := auth.From(ctx); p != nil {
		sel = sel.Where("org_id = ?", p.OrgID)
	} else if a, ok := audit.ActorFrom(ctx); ok && a.OrgID != "" {
		sel = sel.Where("org_id = ?", a.OrgID)
	}
	if err := sel.Scan(ctx); err != nil {
		return false, err
	}
	day := s.today()
	for _, c := range cs {
		if purpose == PurposeSharePartner && !samePartner(c.Partner, partner) {
			continue
		}
		if c.ActiveOn(day) {
			return true, nil
		}
	}
	return false, nil
}

func samePartner(a, b string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " "))
}

// Consents lists a file's consents, newest first.
func (s *Service) Consents(ctx context.Context, p *auth.Principal, personID string) ([]Consent, error) {
	if _, _, err := s.Find(ctx, p, personID); err != nil {
		return nil, err
	}
	return s.consents(ctx, s.DB.R, personID)
}

func (s *Service) consents(ctx context.Context, q bun.IDB, personID string) ([]Consent, error) {
	var cs []Consent
	err := q.NewSelect().Model(&cs).Where("person_id = ?", personID).Order("created_at DESC").Scan(ctx)
	return cs, err
}

// GiveConsent records a consent (the person agreed today, or on GivenOn).
func (s *Service) GiveConsent(ctx context.Context, p *auth.Principal, personID string, in ConsentInput) (*Consent, error) {
	per, _, err := s.Find(ctx, p, personID)
	if err != nil {
		return nil, err
	}
	if err := Writable(per); err != nil {
		return nil, err
	}
	var c *Consent
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		c, err = s.GiveConsentTx(ctx, tx, p, per, in)
		return err
	})
	return c, err
}

// GiveConsentTx records a consent inside the caller's transaction (a
// referral records the partner consent it needs together with itself).
// The caller has checked that p may open per.
func (s *Service) GiveConsentTx(ctx context.Context, tx bun.Tx, p *auth.Principal, per *Person, in ConsentInput) (*Consent, error) {
	fields := map[string]string{}
	if !in.Purpose.Valid() {
		fields["purpose"] = "common.form.invalid_choice"
	}
	in.Partner = strings.Join(strings.Fields(in.Partner), " ")
	if in.Purpose == PurposeSharePartner && in.Partner == "" {
		fields["partner"] = "people.error.partner_required"
	}
	if in.Purpose != PurposeSharePartner {
		in.Partner = ""
	}
	if utf8.RuneCountInString(in.Partner) > 120 {
		fields["partner"] = "common.form.too_long"
	}
	today := s.today()
	given := today
	if in.GivenOn != nil {
		given = *in.GivenOn
	}
	if given.After(today) {
		fields["given_on"] = "people.error.future"
	}
	if in.ExpiresOn != nil && in.ExpiresOn.Before(given) {
		fields["expires_on"] = "people.error.dates_order"
	}
	if len(fields) > 0 {
		return nil, apperr.Validation(fields)
	}
	now := s.Clock.Now()
	c := &Consent{ID: db.NewID(), OrgID: per.OrgID, PersonID: per.ID, Purpose: in.Purpose, Partner: in.Partner, GivenOn: given,
		ExpiresOn: in.ExpiresOn, RecordedBy: p.UserID, CreatedAt: now}
	if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
		return nil, err
	}
	if err := s.Append(ctx, tx, per.OrgID, Event{PersonID: per.ID, Kind: "people.consent", Contact: true,
		Summary: Message{Key: "people.event.consent_given", Args: map[string]any{"Purpose": string(in.Purpose), "Partner": in.Partner}}}); err != nil {
		return nil, err
	}
	return c, s.Audit.Record(ctx, tx, audit.Event{Action: "person.consent.give", ObjectType: "person", ObjectID: per.ID, SiteID: per.SiteID,
		Details: map[string]any{"purpose": in.Purpose, "partner": in.Partner, "expires": dateOrEmpty(in.ExpiresOn)}})
}

// WithdrawConsent records that the person withdrew a consent; what needs it
// stops at once: the shares with a partner or a volunteer that rested on it
// end (unless another consent for the same purpose is in force).
func (s *Service) WithdrawConsent(ctx context.Context, p *auth.Principal, personID, consentID string) (*Consent, error) {
	per, _, err := s.Find(ctx, p, personID)
	if err != nil {
		return nil, err
	}
	if err := Writable(per); err != nil {
		return nil, err
	}
	c := new(Consent)
	if err := s.DB.R.NewSelect().Model(c).Where("org_id = ? AND person_id = ? AND id = ?", p.OrgID, per.ID, consentID).Scan(ctx); err != nil {
		return nil, db.Translate(err)
	}
	if c.WithdrawnAt != nil {
		return c, nil
	}
	now := s.Clock.Now()
	c.WithdrawnAt = &now
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model(c).Column("withdrawn_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		// The partner's or volunteer's access that rested on it ends now.
		if err := s.endConsentShares(ctx, tx, per, c); err != nil {
			return err
		}
		if err := s.Append(ctx, tx, p.OrgID, Event{PersonID: per.ID, Kind: "people.consent", Contact: true,
			Summary: Message{Key: "people.event.consent_withdrawn", Args: map[string]any{"Purpose": string(c.Purpose), "Partner": c.Partner}}}); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "person.consent.withdraw", ObjectType: "person", ObjectID: per.ID,
			SiteID: per.SiteID, Details: map[string]any{"purpose": c.Purpose, "partner": c.Partner}})
	})
	return c, err
}
