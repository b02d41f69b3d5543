package people

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
)

// Share opens a file to another site, to a partner organisation (the
// fields a referral names) or to one volunteer (the fields a mission
// names), for a reason and until an end date.
type Share struct {
	bun.BaseModel `bun:"table:person_shares"`

	ID         string     `bun:"id,pk" json:"-"`
	OrgID      string     `bun:"org_id" json:"-"`
	PersonID   string     `bun:"person_id" json:"-"`
	Kind       string     `bun:"kind" json:"kind"`
	SiteID     string     `bun:"site_id" json:"site_id,omitempty"`
	PartnerOrg string     `bun:"partner_org" json:"partner,omitempty"`
	UserID     string     `bun:"user_id" json:"-"`
	Fields     string     `bun:"fields" json:"fields,omitempty"`
	Reason     string     `bun:"reason" json:"reason"`
	Source     string     `bun:"source" json:"-"`
	EndsOn     time.Time  `bun:"ends_on,type:date" json:"ends_on"`
	EndedAt    *time.Time `bun:"ended_at" json:"ended_at,omitempty"`
	CreatedBy  string     `bun:"created_by" json:"-"`
	CreatedAt  time.Time  `bun:"created_at" json:"created_at"`
}

// Share kinds.
const (
	ShareSite      = "site"
	SharePartner   = "partner"
	ShareVolunteer = "volunteer"
)

// ActiveOn reports whether the share still opens the file on day.
func (sh Share) ActiveOn(day time.Time) bool { return sh.EndedAt == nil && !sh.EndsOn.Before(day) }

// ShareInput opens a file to a site, a partner or a volunteer.
type ShareInput struct {
	Kind       string
	SiteID     string
	PartnerOrg string
	UserID     string       // the volunteer (ShareVolunteer)
	Fields     []ShareField // partner and volunteer shares
	Reason     string
	EndsOn     *time.Time
	// Source names what created the share ("referral:<id>").
	Source string
}

// MaxShareDays bounds a share's length.
const MaxShareDays = 366

func (s *Service) validateShare(ctx context.Context, q bun.IDB, per *Person, in *ShareInput) error {
	fields := map[string]string{}
	in.Reason = strings.TrimSpace(in.Reason)
	switch {
	case in.Reason == "":
		fields["reason"] = "common.form.required"
	case utf8.RuneCountInString(in.Reason) > 500:
		fields["reason"] = "common.form.too_long"
	}
	today := s.today()
	switch {
	case in.EndsOn == nil:
		fields["ends_on"] = "people.error.end_required"
	case in.EndsOn.Before(today):
		fields["ends_on"] = "people.error.past"
	case in.EndsOn.After(today.AddDate(0, 0, MaxShareDays)):
		fields["ends_on"] = "people.error.share_too_long"
	}
	switch in.Kind {
	case ShareSite:
		n, err := q.NewSelect().Table("sites").Where("org_id = ? AND id = ? AND archived_at IS NULL", per.OrgID, in.SiteID).Count(ctx)
		if err != nil {
			return err
		}
		if !db.ValidID(in.SiteID) || n == 0 {
			fields["site"] = "common.form.invalid_choice"
		}
		in.PartnerOrg, in.UserID, in.Fields = "", "", nil
	case SharePartner:
		in.PartnerOrg = strings.Join(strings.Fields(in.PartnerOrg), " ")
		if in.PartnerOrg == "" {
			fields["partner"] = "people.error.partner_required"
		}
		in.SiteID, in.UserID = "", ""
	case ShareVolunteer:
		vols, err := s.volunteers(ctx, q, per)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(vols, func(c Colleague) bool { return c.ID == in.UserID }) {
			fields["user"] = "common.form.invalid_choice"
		}
		in.Fields = slices.DeleteFunc(slices.Clone(in.Fields), func(f ShareField) bool { return !slices.Contains(VolunteerShareFields, f) })
		in.SiteID, in.PartnerOrg = "", ""
	default:
		fields["kind"] = "common.form.invalid_choice"
	}
	if len(fields) > 0 {
		return apperr.Validation(fields)
	}
	return nil
}

// ShareFile opens a file to another site (kind ShareSite) from the person's
// page.
func (s *Service) ShareFile(ctx context.Context, p *auth.Principal, personID string, in ShareInput) (*Share, error) {
	per, _, err := s.Find(ctx, p, personID)
	if err != nil {
		return nil, err
	}
	if err := Writable(per); err != nil {
		return nil, err
	}
	in.Kind, in.Source = ShareSite, ""
	if in.SiteID == per.SiteID {
		return nil, apperr.Validation(map[string]string{"site": "people.error.same_site"})
	}
	var sh *Share
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		sh, err = s.ShareTx(ctx, tx, p, per, in)
		return err
	})
	return sh, err
}

// ShareTx opens a file inside the caller's transaction (a referral opens
// the fields it names to the partner, a mission to the volunteer). A
// partner share needs the person's consent to share with that partner, a
// volunteer share the consent to a volunteer's accompaniment, and the
// volunteer must hold the volunteer role in the file's site. The caller has
// checked that p may open per.
func (s *Service) ShareTx(ctx context.Context, tx bun.Tx, p *auth.Principal, per *Person, in ShareInput) (*Share, error) {
	if err := s.validateShare(ctx, tx, per, &in); err != nil {
		return nil, err
	}
	if purpose, ok := sharePurpose[in.Kind]; ok {
		if err := s.requireConsent(ctx, tx, per.ID, purpose, in.PartnerOrg); err != nil {
			return nil, err
		}
	}
	now := s.Clock.Now()
	sh := &Share{ID: db.NewID(), OrgID: per.OrgID, PersonID: per.ID, Kind: in.Kind, SiteID: in.SiteID, PartnerOrg: in.PartnerOrg,
		UserID: in.UserID, Fields: JoinShareFields(in.Fields), Reason: in.Reason, Source: in.Source, EndsOn: *in.EndsOn,
		CreatedBy: p.UserID, CreatedAt: now}
	if _, err := tx.NewInsert().Model(sh).Exec(ctx); err != nil {
		return nil, err
	}
	if err := s.Append(ctx, tx, per.OrgID, Event{PersonID: per.ID, Kind: "people.share",
		Summary: Message{Key: "people.event.shared_" + in.Kind, Args: map[string]any{"Site": in.SiteID, "Partner": in.PartnerOrg,
			"User": in.UserID, "Until": in.EndsOn.Format(time.DateOnly)}}}); err != nil {
		return nil, err
	}
	return sh, s.Audit.Record(ctx, tx, audit.Event{Action: "person.share", ObjectType: "person", ObjectID: per.ID, SiteID: per.SiteID,
		Details: map[string]any{"kind": in.Kind, "site": in.SiteID, "partner": in.PartnerOrg, "user": in.UserID, "fields": sh.Fields,
			"until": in.EndsOn.Format(time.DateOnly), "source": in.Source}})
}

// sharePurpose is the consent each kind of share rests on (a site share
// stays inside the centre's professionals).
var sharePurpose = map[string]Purpose{SharePartner: PurposeSharePartner, ShareVolunteer: PurposeVolunteer}

// live reports whether a partner or volunteer share still opens the file
// on day: not ended, its end date not passed, and the consent it rests on
// still in force (withdrawing or letting it expire closes access at once).
func (s *Service) live(ctx context.Context, q bun.IDB, sh Share, day time.Time) (bool, error) {
	if !sh.ActiveOn(day) {
		return false, nil
	}
	purpose, ok := sharePurpose[sh.Kind]
	if !ok {
		return true, nil
	}
	return s.HasConsent(ctx, q, sh.PersonID, purpose, sh.PartnerOrg)
}

// LiveSources returns the sources ("referral:<id>", "mission:<id>") of a
// file's shares that still open it today (see live).
func (s *Service) LiveSources(ctx context.Context, orgID, personID string) (map[string]bool, error) {
	var shares []Share
	if err := s.DB.R.NewSelect().Model(&shares).Where("org_id = ? AND person_id = ? AND source <> '' AND ended_at IS NULL", orgID, personID).
		Scan(ctx); err != nil {
		return nil, err
	}
	return s.liveSources(ctx, shares)
}

// liveSources keeps the sources of the shares that still open their file
// today.
func (s *Service) liveSources(ctx context.Context, shares []Share) (map[string]bool, error) {
	out := map[string]bool{}
	day := s.today()
	for _, sh := range shares {
		ok, err := s.live(ctx, s.DB.R, sh, day)
		if err != nil {
			return nil, err
		}
		if ok {
			out[sh.Source] = true
		}
	}
	return out, nil
}

// Shares lists a file's shares, newest first.
func (s *Service) Shares(ctx context.Context, p *auth.Principal, personID string) ([]Share, error) {
	if _, _, err := s.Find(ctx, p, personID); err != nil {
		return nil, err
	}
	var out []Share
	err := s.DB.R.NewSelect().Model(&out).Where("org_id = ? AND person_id = ?", p.OrgID, personID).Order("created_at DESC").Scan(ctx)
	return out, err
}

// EndShare ends a share before its date.
func (s *Service) EndShare(ctx context.Context, p *auth.Principal, personID, shareID string) error {
	per, _, err := s.Find(ctx, p, personID)
	if err != nil {
		return err
	}
	sh := new(Share)
	if err := s.DB.R.NewSelect().Model(sh).Where("org_id = ? AND person_id = ? AND id = ?", p.OrgID, per.ID, shareID).Scan(ctx); err != nil {
		return db.Translate(err)
	}
	if sh.EndedAt != nil {
		return nil
	}
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error { return s.endShares(ctx, tx, per, "id = ?", sh.ID) })
}

// EndSharesTx ends the shares a source created (a referral closed), inside
// the caller's transaction.
func (s *Service) EndSharesTx(ctx context.Context, tx bun.Tx, orgID, personID, source string) error {
	per, err := s.load(ctx, tx, orgID, personID)
	if err != nil {
		return err
	}
	return s.endShares(ctx, tx, per, "source = ?", source)
}

func (s *Service) endShares(ctx context.Context, tx bun.Tx, per *Person, where string, arg any) error {
	now := s.Clock.Now()
	res, err := tx.NewUpdate().Model((*Share)(nil)).Set("ended_at = ?", now).
		Where("org_id = ? AND person_id = ? AND ended_at IS NULL", per.OrgID, per.ID).Where(where, arg).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	if err := s.Append(ctx, tx, per.OrgID, Event{PersonID: per.ID, Kind: "people.share_end", Summary: Message{Key: "people.event.share_ended"}}); err != nil {
		return err
	}
	return s.Audit.Record(ctx, tx, audit.Event{Action: "person.share.end", ObjectType: "person", ObjectID: per.ID, SiteID: per.SiteID,
		Details: map[string]any{"by": where, "ref": arg}})
}

// SweepShares closes the shares whose end date has passed (access already
// ends at that date: reads check it). It returns how many were closed.
func (s *Service) SweepShares(ctx context.Context) (int, error) {
	var due []Share
	if err := s.DB.R.NewSelect().Model(&due).Where("ended_at IS NULL AND ends_on < ?", s.today()).Limit(1000).Scan(ctx); err != nil {
		return 0, err
	}
	for _, sh := range due {
		err := s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
			per, err := s.load(ctx, tx, sh.OrgID, sh.PersonID)
			if err != nil {
				return err
			}
			now := s.Clock.Now()
			if _, err := tx.NewUpdate().Model((*Share)(nil)).Set("ended_at = ?", now).Where("id = ? AND ended_at IS NULL", sh.ID).Exec(ctx); err != nil {
				return err
			}
			if err := s.Append(ctx, tx, sh.OrgID, Event{PersonID: sh.PersonID, Kind: "people.share_end",
				Summary: Message{Key: "people.event.share_expired"}}); err != nil {
				return err
			}
			return s.Audit.Record(ctx, tx, audit.Event{Action: "person.share.expire", OrgID: sh.OrgID, ObjectType: "person",
				ObjectID: sh.PersonID, SiteID: per.SiteID, ActorLabel: "system", Details: map[string]any{"share": sh.ID}})
		})
		if err != nil {
			return 0, err
		}
	}
	return len(due), nil
}

// PartnerPerson is what a partner or a volunteer sees of a file: the
// fields of its share.
type PartnerPerson struct {
	ID          string
	Fields      []ShareField
	Name        string
	LatinName   string
	BirthYear   int
	Phone       string
	MsgLang     string
	Languages   []string
	FrenchLevel string
	Status      string
	Document    string
	StatusUntil *time.Time
	Household   int
	Dependants  int
	LegalNote   string
	EndsOn      time.Time
}

// Has reports whether the share includes field f.
func (pp *PartnerPerson) Has(f string) bool {
	for _, x := range pp.Fields {
		if string(x) == f {
			return true
		}
	}
	return false
}

// Spoken are the languages spoken (shown by their own names).
func (pp *PartnerPerson) Spoken() []SpokenLanguage {
	out := make([]SpokenLanguage, 0, len(pp.Languages))
	for _, c := range pp.Languages {
		if l, ok := SpokenLanguageByCode(c); ok {
			out = append(out, l)
		}
	}
	return out
}

// PartnerView returns, for a user of a partner organisation, the fields a
// share created by source ("referral:<id>") opens to their organisation,
// and writes the read to the audit trail. Without a live share (see live)
// it is NotFound.
func (s *Service) PartnerView(ctx context.Context, p *auth.Principal, personID, source string) (*PartnerPerson, error) {
	if p == nil || !p.Can(auth.PermReferralInbox) || strings.TrimSpace(p.PartnerOrg) == "" {
		return nil, apperr.ErrNotFound
	}
	return s.sharedView(ctx, p, personID, source, SharePartner, func(_ *Person, sh Share) bool { return samePartner(sh.PartnerOrg, p.PartnerOrg) })
}

// VolunteerView returns, for a volunteer, the fields a mission's share
// (source "mission:<id>") opens to them, never the health or legal notes,
// and writes the read to the audit trail. The volunteer must still hold
// the role in the file's site; without a live share it is NotFound.
func (s *Service) VolunteerView(ctx context.Context, p *auth.Principal, personID, source string) (*PartnerPerson, error) {
	if p == nil || !p.Can(auth.PermMissions) {
		return nil, apperr.ErrNotFound
	}
	return s.sharedView(ctx, p, personID, source, ShareVolunteer, func(per *Person, sh Share) bool {
		return sh.UserID == p.UserID && p.CanAt(auth.PermMissions, per.SiteID)
	})
}

// VolunteerSources returns the sources of the live shares that open files
// to the volunteer p (their missions in force).
func (s *Service) VolunteerSources(ctx context.Context, p *auth.Principal) (map[string]bool, error) {
	if p == nil || !p.Can(auth.PermMissions) {
		return map[string]bool{}, nil
	}
	var shares []Share
	if err := s.DB.R.NewSelect().Model(&shares).Where("org_id = ? AND user_id = ? AND kind = ? AND ended_at IS NULL AND ends_on >= ?",
		p.OrgID, p.UserID, ShareVolunteer, s.today()).Limit(500).Scan(ctx); err != nil {
		return nil, err
	}
	return s.liveSources(ctx, shares)
}

// sharedView finds the live share of kind made by source that is the
// user's (mine), projects the file onto its fields and audits the read.
func (s *Service) sharedView(ctx context.Context, p *auth.Principal, personID, source, kind string, mine func(*Person, Share) bool) (*PartnerPerson, error) {
	per, err := s.load(ctx, s.DB.R, p.OrgID, personID)
	if err != nil {
		return nil, err
	}
	if per.Anonymised() {
		return nil, apperr.ErrNotFound
	}
	var shares []Share
	if err := s.DB.R.NewSelect().Model(&shares).Where("org_id = ? AND person_id = ? AND kind = ? AND source = ?",
		p.OrgID, per.ID, kind, source).Scan(ctx); err != nil {
		return nil, err
	}
	day := s.today()
	var sh *Share
	for i := range shares {
		if !mine(per, shares[i]) {
			continue
		}
		ok, err := s.live(ctx, s.DB.R, shares[i], day)
		if err != nil {
			return nil, err
		}
		if ok {
			sh = &shares[i]
		}
	}
	if sh == nil {
		return nil, apperr.ErrNotFound
	}
	pp := project(per, sh)
	if err := s.recordRead(ctx, per, kind, source); err != nil {
		return nil, err
	}
	return pp, nil
}

// project keeps of a file the fields a share names (a volunteer's share
// never shows the legal note).
func project(per *Person, sh *Share) *PartnerPerson {
	pp := &PartnerPerson{ID: per.ID, Fields: ParseShareFields(sh.Fields), EndsOn: sh.EndsOn}
	if sh.Kind == ShareVolunteer {
		pp.Fields = slices.DeleteFunc(pp.Fields, func(f ShareField) bool { return !slices.Contains(VolunteerShareFields, f) })
	}
	for _, f := range pp.Fields {
		switch f {
		case FieldIdentity:
			pp.Name, pp.LatinName, pp.BirthYear = per.DisplayName(), per.LatinName(), per.BirthYear
		case FieldContact:
			pp.Phone, pp.MsgLang = FormatPhone(per.Phone), per.MsgLang
		case FieldLanguages:
			pp.FrenchLevel = per.FrenchLevel
			if per.Languages != "" {
				pp.Languages = strings.Split(per.Languages, ",")
			}
		case FieldStatus:
			pp.Status, pp.Document, pp.StatusUntil = per.Status, per.StatusDocument, per.StatusUntil
		case FieldHousehold:
			pp.Household, pp.Dependants = per.HouseholdSize, per.Dependants
		case FieldLegalNote:
			pp.LegalNote = per.LegalNote
		}
	}
	return pp
}

// Volunteers lists the active users who hold the volunteer role in the
// file's site (or in every site), who may be given a mission for it.
func (s *Service) Volunteers(ctx context.Context, per *Person) ([]Colleague, error) {
	return s.volunteers(ctx, s.DB.R, per)
}

func (s *Service) volunteers(ctx context.Context, q bun.IDB, per *Person) ([]Colleague, error) {
	var out []Colleague
	err := q.NewSelect().Table("users").Column("id", "name").
		Where("org_id = ? AND disabled_at IS NULL", per.OrgID).
		Where("id IN (SELECT user_id FROM memberships WHERE org_id = ? AND role = ? AND (site_id = ? OR site_id IS NULL))",
			per.OrgID, string(auth.Volunteer), per.SiteID).
		Order("name").Limit(500).Scan(ctx, &out)
	return out, err
}

// endConsentShares ends, inside tx, the partner or volunteer shares that
// rested on a consent just withdrawn, unless another consent for the same
// purpose (and partner) is still in force.
func (s *Service) endConsentShares(ctx context.Context, tx bun.Tx, per *Person, c *Consent) error {
	var kind string
	for k, purpose := range sharePurpose {
		if purpose == c.Purpose {
			kind = k
		}
	}
	if kind == "" {
		return nil
	}
	if ok, err := s.HasConsent(ctx, tx, per.ID, c.Purpose, c.Partner); err != nil || ok {
		return err
	}
	var open []Share
	if err := tx.NewSelect().Model(&open).Where("org_id = ? AND person_id = ? AND kind = ? AND ended_at IS NULL", per.OrgID, per.ID, kind).
		Scan(ctx); err != nil {
		return err
	}
	for _, sh := range open {
		if kind == SharePartner && !samePartner(sh.PartnerOrg, c.Partner) {
			continue
		}
		if err := s.endShares(ctx, tx, per, "id = ?", sh.ID); err != nil {
			return err
		}
	}
	return nil
}

// TeamMember is a user of the follow-up team.
type TeamMember struct {
	UserID   string    `bun:"user_id"`
	Name     string    `bun:"name"`
	Referent bool      `bun:"-"`
	AddedAt  time.Time `bun:"added_at"`
}

// Team lists the follow-up team of a file, the referent first.
func (s *Service) Team(ctx context.Context, p *auth.Principal, personID string) ([]TeamMember, error) {
	per, _, err := s.Find(ctx, p, personID)
	if err != nil {
		return nil, err
	}
	return s.team(ctx, s.DB.R, per)
}

func (s *Service) team(ctx context.Context, q bun.IDB, per *Person) ([]TeamMember, error) {
	var out []TeamMember
	if per.ReferentID != "" {
		var name string
		if err := q.NewSelect().Table("users").Column("name").Where("org_id = ? AND id = ?", per.OrgID, per.ReferentID).Scan(ctx, &name); err == nil {
			out = append(out, TeamMember{UserID: per.ReferentID, Name: name, Referent: true})
		}
	}
	var rows []TeamMember
	err := q.NewSelect().TableExpr("person_team AS t").ColumnExpr("t.user_id, u.name, t.added_at").Join("JOIN users AS u ON u.id = t.user_id").
		Where("t.person_id = ? AND u.org_id = ?", per.ID, per.OrgID).Order("u.name").Scan(ctx, &rows)
	for _, r := range rows {
		if r.UserID != per.ReferentID {
			out = append(out, r)
		}
	}
	return out, err
}

// Colleague is a user who may join a follow-up team.
type Colleague struct {
	ID   string `bun:"id"`
	Name string `bun:"name"`
}

// Colleagues lists the active users of the centre who may open files (to
// choose a referent or a team member).
func (s *Service) Colleagues(ctx context.Context, p *auth.Principal) ([]Colleague, error) {
	var roles []string
	for _, r := range auth.Roles {
		if r.Grants(auth.PermPersonRead) {
			roles = append(roles, string(r))
		}
	}
	var out []Colleague
	err := s.DB.R.NewSelect().Table("users").Column("id", "name").
		Where("org_id = ? AND disabled_at IS NULL", p.OrgID).
		Where("id IN (SELECT user_id FROM memberships WHERE org_id = ? AND role IN (?))", p.OrgID, bun.List(roles)).
		Order("name").Limit(500).Scan(ctx, &out)
	return out, err
}

// SetReferent makes a colleague the referent of a file ("" removes it).
func (s *Service) SetReferent(ctx context.Context, p *auth.Principal, personID, userID string) error {
	per, _, err := s.Find(ctx, p, personID)
	if err != nil {
		return err
	}
	if err := Writable(per); err != nil {
		return err
	}
	if userID != "" {
		if err := s.checkColleague(ctx, p, userID); err != nil {
			return err
		}
	}
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model((*Person)(nil)).Set("referent_id = ?", userID).Set("updated_at = ?", s.Clock.Now()).
			Where("org_id = ? AND id = ?", p.OrgID, per.ID).Exec(ctx); err != nil {
			return err
		}
		if err := s.Append(ctx, tx, p.OrgID, Event{PersonID: per.ID, Kind: "people.referent",
			Summary: Message{Key: "people.event.referent", Args: map[string]any{"User": userID}}}); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "person.referent", ObjectType: "person", ObjectID: per.ID, SiteID: per.SiteID,
			Details: map[string]any{"from": per.ReferentID, "to": userID}})
	})
}

func (s *Service) checkColleague(ctx context.Context, p *auth.Principal, userID string) error {
	cs, err := s.Colleagues(ctx, p)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.ID == userID {
			return nil
		}
	}
	return apperr.Validation(map[string]string{"user": "common.form.invalid_choice"})
}

type teamRow struct {
	bun.BaseModel `bun:"table:person_team"`

	OrgID    string    `bun:"org_id"`
	PersonID string    `bun:"person_id"`
	UserID   string    `bun:"user_id"`
	AddedBy  string    `bun:"added_by"`
	AddedAt  time.Time `bun:"added_at"`
}

// AddToTeam adds a colleague to the follow-up team (for instance the legal
// specialist of another site, for a three-way follow-up).
func (s *Service) AddToTeam(ctx context.Context, p *auth.Principal, personID, userID string) error {
	per, _, err := s.Find(ctx, p, personID)
	if err != nil {
		return err
	}
	if err := Writable(per); err != nil {
		return err
	}
	if err := s.checkColleague(ctx, p, userID); err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		row := &teamRow{OrgID: p.OrgID, PersonID: per.ID, UserID: userID, AddedBy: p.UserID, AddedAt: s.Clock.Now()}
		if _, err := tx.NewInsert().Model(row).On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
			return err
		}
		if err := s.Append(ctx, tx, p.OrgID, Event{PersonID: per.ID, Kind: "people.team",
			Summary: Message{Key: "people.event.team_added", Args: map[string]any{"User": userID}}}); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "person.team.add", ObjectType: "person", ObjectID: per.ID, SiteID: per.SiteID,
			Details: map[string]any{"user": userID}})
	})
}

// RemoveFromTeam removes a colleague from the follow-up team.
func (s *Service) RemoveFromTeam(ctx context.Context, p *auth.Principal, personID, userID string) error {
	per, _, err := s.Find(ctx, p, personID)
	if err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewDelete().Model((*teamRow)(nil)).Where("org_id = ? AND person_id = ? AND user_id = ?", p.OrgID, per.ID, userID).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // not (or no longer) in the team
		}
		if err := s.Append(ctx, tx, p.OrgID, Event{PersonID: per.ID, Kind: "people.team",
			Summary: Message{Key: "people.event.team_removed", Args: map[string]any{"User": userID}}}); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "person.team.remove", ObjectType: "person", ObjectID: per.ID, SiteID: per.SiteID,
			Details: map[string]any{"user": userID}})
	})
}
