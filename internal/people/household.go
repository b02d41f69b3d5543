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

// Household members are listed on a file when the pathway needs them (a
// child for family benefits, a spouse for housing); the list is optional
// and may be shorter than the household. The counters household_size and
// dependants stay the declared figures, kept consistent with the list:
//
//   - household_size is at least 1 (the person) + the members listed;
//   - dependants is at least the number of children listed who are minors
//     (by their date or year of birth; a child whose birth is unknown is
//     not counted).
//
// Adding or changing a member raises the counters when the list needs it
// (in the same transaction); removing one leaves them as declared; the
// identity form refuses counters smaller than the list.

// Member is a member of a person's household.
type Member struct {
	bun.BaseModel `bun:"table:person_household,alias:hm"`

	ID         string     `bun:"id,pk" json:"-"`
	OrgID      string     `bun:"org_id" json:"-"`
	PersonID   string     `bun:"person_id" json:"-"`
	GivenName  string     `bun:"given_name" json:"given_name"`
	FamilyName string     `bun:"family_name" json:"family_name"`
	Relation   string     `bun:"relation" json:"relation"`
	BirthDate  *time.Time `bun:"birth_date,type:date" json:"birth_date,omitempty"`
	BirthYear  int        `bun:"birth_year" json:"birth_year,omitempty"`
	// LinkedID is the member's own file in the centre ("" when none). The
	// person's copy does not carry it: it is about another file.
	LinkedID  string    `bun:"linked_person_id" json:"-"`
	CreatedBy string    `bun:"created_by" json:"-"`
	CreatedAt time.Time `bun:"created_at" json:"-"`
	UpdatedAt time.Time `bun:"updated_at" json:"-"`
}

// Name is the member's name as typed.
func (m Member) Name() string { return strings.TrimSpace(m.GivenName + " " + m.FamilyName) }

// AgeAt returns the member's age at t, and false when the birth is unknown.
func (m Member) AgeAt(t time.Time) (int, bool) {
	return Person{BirthDate: m.BirthDate, BirthYear: m.BirthYear}.AgeAt(t)
}

// Minor reports whether the member is a child known to be under 18 at t
// (counted among the dependants).
func (m Member) Minor(t time.Time) bool {
	age, ok := m.AgeAt(t)
	return m.Relation == "child" && ok && age < 18
}

// MemberInput is the form of a household member.
type MemberInput struct {
	GivenName, FamilyName string
	Relation              string
	BirthDate             *time.Time
	BirthYear             int // when only the year is known
	LinkedID              string
}

// MemberOf returns the form filled from a member.
func MemberOf(m *Member) MemberInput {
	in := MemberInput{GivenName: m.GivenName, FamilyName: m.FamilyName, Relation: m.Relation, BirthDate: m.BirthDate, LinkedID: m.LinkedID}
	if m.BirthDate == nil {
		in.BirthYear = m.BirthYear
	}
	return in
}

// HouseholdCounts are the smallest counters a list of members allows.
type HouseholdCounts struct {
	Size, Dependants int
}

// countsOf returns the counters the list needs at t.
func countsOf(ms []Member, t time.Time) HouseholdCounts {
	c := HouseholdCounts{Size: 1 + len(ms)}
	for _, m := range ms {
		if m.Minor(t) {
			c.Dependants++
		}
	}
	return c
}

// Household lists the members of a file's household (everyone who may
// open the file).
func (s *Service) Household(ctx context.Context, p *auth.Principal, personID string) ([]Member, error) {
	per, _, err := s.Find(ctx, p, personID)
	if err != nil {
		return nil, err
	}
	return s.household(ctx, s.DB.R, per.OrgID, per.ID)
}

func (s *Service) household(ctx context.Context, q bun.IDB, orgID, personID string) ([]Member, error) {
	var out []Member
	err := q.NewSelect().Model(&out).Where("hm.org_id = ? AND hm.person_id = ?", orgID, personID).Order("hm.created_at", "hm.id").Scan(ctx)
	return out, err
}

// Member returns a member of a file's household.
func (s *Service) Member(ctx context.Context, p *auth.Principal, personID, memberID string) (*Person, *Member, error) {
	per, _, err := s.Find(ctx, p, personID)
	if err != nil {
		return nil, nil, err
	}
	m, err := s.member(ctx, s.DB.R, per, memberID)
	return per, m, err
}

func (s *Service) member(ctx context.Context, q bun.IDB, per *Person, id string) (*Member, error) {
	if !db.ValidID(id) {
		return nil, apperr.ErrNotFound
	}
	m := new(Member)
	err := q.NewSelect().Model(m).Where("hm.org_id = ? AND hm.person_id = ? AND hm.id = ?", per.OrgID, per.ID, id).Scan(ctx)
	return m, db.Translate(err)
}

// validateMember checks a member's form; the linked file must be one the
// user may open, of the same centre, and not the person's own.
func (s *Service) validateMember(ctx context.Context, p *auth.Principal, per *Person, in *MemberInput) error {
	fields := map[string]string{}
	for name, v := range map[string]*string{"member_given": &in.GivenName, "member_family": &in.FamilyName} {
		*v = strings.Join(strings.Fields(*v), " ")
		if utf8.RuneCountInString(*v) > maxName {
			fields[name] = "common.form.too_long"
		}
	}
	if in.GivenName == "" && in.FamilyName == "" {
		fields["member_given"] = "people.error.name_required"
	}
	if !slices.Contains(Relations, in.Relation) {
		fields["member_relation"] = "common.form.invalid_choice"
	}
	checkBirth(fields, "member_birth_date", "member_birth_year", in.BirthDate, &in.BirthYear, s.today())
	if in.LinkedID != "" {
		linked, _, err := s.Find(ctx, p, in.LinkedID)
		switch {
		case apperr.Is(err, apperr.NotFound):
			fields["member_link"] = "common.form.invalid_choice"
		case err != nil:
			return err
		case linked.ID == per.ID || Writable(linked) != nil:
			fields["member_link"] = "people.error.member_link"
		}
	}
	if len(fields) > 0 {
		return apperr.Validation(fields)
	}
	return nil
}

// SaveMember adds a member to a file's household (memberID "") or changes
// one; those who may change the file may do it. The counters are raised
// when the list needs it.
func (s *Service) SaveMember(ctx context.Context, p *auth.Principal, personID, memberID string, in MemberInput) (*Member, error) {
	per, _, err := s.Find(ctx, p, personID)
	if err != nil {
		return nil, err
	}
	if err := Writable(per); err != nil {
		return nil, err
	}
	var m *Member
	if memberID != "" {
		if m, err = s.member(ctx, s.DB.R, per, memberID); err != nil {
			return nil, err
		}
	}
	if err := s.validateMember(ctx, p, per, &in); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	action, key := "person.household.update", "people.event.household_updated"
	if m == nil {
		m = &Member{ID: db.NewID(), OrgID: per.OrgID, PersonID: per.ID, CreatedBy: p.UserID, CreatedAt: now}
		action, key = "person.household.add", "people.event.household_added"
	}
	m.GivenName, m.FamilyName, m.Relation, m.BirthDate, m.BirthYear, m.LinkedID = in.GivenName, in.FamilyName, in.Relation,
		in.BirthDate, in.BirthYear, in.LinkedID
	m.UpdatedAt = now
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if action == "person.household.add" {
			_, err = tx.NewInsert().Model(m).Exec(ctx)
		} else {
			_, err = tx.NewUpdate().Model(m).WherePK().Where("org_id = ?", per.OrgID).Exec(ctx)
		}
		if err != nil {
			return err
		}
		raised, err := s.raiseCounts(ctx, tx, per)
		if err != nil {
			return err
		}
		if err := s.Append(ctx, tx, per.OrgID, Event{PersonID: per.ID, Kind: "people.household",
			Summary: Message{Key: key, Args: map[string]any{"Relation": m.Relation}}}); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: action, ObjectType: "person", ObjectID: per.ID, SiteID: per.SiteID,
			Details: map[string]any{"member": m.ID, "relation": m.Relation, "linked": m.LinkedID != "", "counts_raised": raised}})
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// raiseCounts raises the file's counters to what its list needs, inside
// tx, and reports whether it did.
func (s *Service) raiseCounts(ctx context.Context, tx bun.Tx, per *Person) (bool, error) {
	ms, err := s.household(ctx, tx, per.OrgID, per.ID)
	if err != nil {
		return false, err
	}
	var cur HouseholdCounts
	if err := tx.NewSelect().Model((*Person)(nil)).Column("household_size", "dependants").Where("org_id = ? AND id = ?", per.OrgID, per.ID).
		Scan(ctx, &cur.Size, &cur.Dependants); err != nil {
		return false, err
	}
	need := countsOf(ms, s.Clock.Now())
	if cur.Size >= need.Size && cur.Dependants >= need.Dependants {
		return false, nil
	}
	_, err = tx.NewUpdate().Model((*Person)(nil)).Set("household_size = ?", max(cur.Size, need.Size)).
		Set("dependants = ?", max(cur.Dependants, need.Dependants)).Set("updated_at = ?", s.Clock.Now()).
		Where("org_id = ? AND id = ?", per.OrgID, per.ID).Exec(ctx)
	return err == nil, err
}

// checkCounts refuses identity counters smaller than the household list.
func (s *Service) checkCounts(ctx context.Context, q bun.IDB, per *Person, in Input) error {
	ms, err := s.household(ctx, q, per.OrgID, per.ID)
	if err != nil {
		return err
	}
	need := countsOf(ms, s.Clock.Now())
	fields := map[string]string{}
	if in.HouseholdSize < need.Size {
		fields["household_size"] = "people.error.household_list"
	}
	if in.Dependants < need.Dependants {
		fields["dependants"] = "people.error.dependants_list"
	}
	if len(fields) > 0 {
		return apperr.Validation(fields)
	}
	return nil
}

// RemoveMember takes a member off a file's household (the counters stay as
// declared).
func (s *Service) RemoveMember(ctx context.Context, p *auth.Principal, personID, memberID string) error {
	per, _, err := s.Find(ctx, p, personID)
	if err != nil {
		return err
	}
	if err := Writable(per); err != nil {
		return err
	}
	m, err := s.member(ctx, s.DB.R, per, memberID)
	if err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*Member)(nil)).Where("org_id = ? AND id = ?", per.OrgID, m.ID).Exec(ctx); err != nil {
			return err
		}
		if err := s.Append(ctx, tx, per.OrgID, Event{PersonID: per.ID, Kind: "people.household",
			Summary: Message{Key: "people.event.household_removed", Args: map[string]any{"Relation": m.Relation}}}); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "person.household.remove", ObjectType: "person", ObjectID: per.ID,
			SiteID: per.SiteID, Details: map[string]any{"member": m.ID, "relation": m.Relation}})
	})
}

// mergeHousehold moves the duplicate's members to the kept file and points
// the links to the duplicate at the kept file (a member linked to the file
// it belongs to loses the link).
func mergeHousehold(ctx context.Context, tx bun.Tx, orgID, dupID, keepID string) error {
	if _, err := tx.NewUpdate().Model((*Member)(nil)).Set("person_id = ?", keepID).Where("org_id = ? AND person_id = ?", orgID, dupID).
		Exec(ctx); err != nil {
		return err
	}
	if _, err := tx.NewUpdate().Model((*Member)(nil)).Set("linked_person_id = ?", keepID).
		Where("org_id = ? AND linked_person_id = ?", orgID, dupID).Exec(ctx); err != nil {
		return err
	}
	_, err := tx.NewUpdate().Model((*Member)(nil)).Set("linked_person_id = ''").Where("org_id = ? AND person_id = ? AND linked_person_id = ?",
		orgID, keepID, keepID).Exec(ctx)
	return err
}

// purgeHousehold deletes a file's members and the links other files'
// members have to it (erasure, retention).
func purgeHousehold(ctx context.Context, tx bun.Tx, orgID, id string) error {
	if _, err := tx.NewDelete().Model((*Member)(nil)).Where("org_id = ? AND person_id = ?", orgID, id).Exec(ctx); err != nil {
		return err
	}
	_, err := tx.NewUpdate().Model((*Member)(nil)).Set("linked_person_id = ''").Where("org_id = ? AND linked_person_id = ?", orgID, id).Exec(ctx)
	return err
}
