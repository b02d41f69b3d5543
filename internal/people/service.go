package people

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/i18n"
	"parcours/internal/rights/rules"
)

// Input is the identity form: what the desk types when opening a file.
type Input struct {
	SiteID                  string
	GivenName, FamilyName   string // as the person writes them
	GivenLatin, FamilyLatin string // in Latin letters
	BirthDate               *time.Time
	BirthYear               int // when only the year is known (approximate)
	Phone                   string
	MsgLang                 string
	Languages               []string
	FrenchLevel             string
	HouseholdSize           int
	Dependants              int
}

// Length limits of the identity fields.
const (
	maxName = 80
	maxNote = 4000
)

// validate checks and normalises the input (the phone to E.164, Latin
// names copied from names written in Latin letters).
func (s *Service) validate(in *Input) error {
	fields := map[string]string{}
	for name, v := range map[string]*string{"given_name": &in.GivenName, "family_name": &in.FamilyName,
		"given_latin": &in.GivenLatin, "family_latin": &in.FamilyLatin} {
		*v = strings.Join(strings.Fields(*v), " ")
		if utf8.RuneCountInString(*v) > maxName {
			fields[name] = "common.form.too_long"
		}
	}
	if in.GivenLatin == "" && latin(in.GivenName) {
		in.GivenLatin = in.GivenName
	}
	if in.FamilyLatin == "" && latin(in.FamilyName) {
		in.FamilyLatin = in.FamilyName
	}
	switch {
	case in.GivenName == "" && in.FamilyName == "" && in.GivenLatin == "" && in.FamilyLatin == "":
		fields["family_name"] = "people.error.name_required"
	case in.GivenLatin == "" && in.FamilyLatin == "":
		fields["family_latin"] = "people.error.latin_required"
	}
	if !latin(in.GivenLatin) {
		fields["given_latin"] = "people.error.latin_only"
	}
	if !latin(in.FamilyLatin) {
		fields["family_latin"] = "people.error.latin_only"
	}
	checkBirth(fields, "birth_date", "birth_year", in.BirthDate, &in.BirthYear, s.today())
	if in.Phone != "" {
		e164, ok := ParsePhone(in.Phone)
		if !ok {
			fields["phone"] = "people.error.phone_invalid"
		}
		in.Phone = e164
	}
	if in.MsgLang == "" {
		in.MsgLang = i18n.Source
	}
	if _, ok := i18n.Lookup(in.MsgLang); !ok {
		fields["msg_lang"] = "common.form.invalid_choice"
	}
	for _, l := range in.Languages {
		if _, ok := SpokenLanguageByCode(l); !ok {
			fields["languages"] = "common.form.invalid_choice"
		}
	}
	if in.FrenchLevel != "" && !slices.Contains(FrenchLevels, in.FrenchLevel) {
		fields["french_level"] = "common.form.invalid_choice"
	}
	if in.HouseholdSize < 1 || in.HouseholdSize > 30 {
		fields["household_size"] = "people.error.household"
	}
	if in.Dependants < 0 || in.Dependants > 30 {
		fields["dependants"] = "people.error.household"
	}
	if len(fields) > 0 {
		return apperr.Validation(fields)
	}
	return nil
}

// checkBirth checks a date of birth (not in the future; the year is taken
// from it) or, without one, a year of birth, and records the errors in
// fields under the date's and the year's field names.
func checkBirth(fields map[string]string, dateField, yearField string, date *time.Time, year *int, today time.Time) {
	if date != nil {
		if date.After(today) {
			fields[dateField] = "people.error.birth_future"
		}
		*year = date.Year()
	} else if *year != 0 && (*year < 1900 || *year > today.Year()) {
		fields[yearField] = "people.error.birth_year"
	}
}

// latin reports whether s has no letter outside the Latin script.
func latin(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return false
		}
	}
	return true
}

func (in *Input) apply(per *Person) {
	per.GivenName, per.FamilyName, per.GivenLatin, per.FamilyLatin = in.GivenName, in.FamilyName, in.GivenLatin, in.FamilyLatin
	per.SortName = FoldName(in.FamilyLatin + " " + in.GivenLatin)
	per.BirthDate, per.BirthYear = in.BirthDate, in.BirthYear
	per.BirthApprox = in.BirthDate == nil && in.BirthYear != 0
	per.Phone, per.MsgLang, per.FrenchLevel = in.Phone, in.MsgLang, in.FrenchLevel
	per.Languages = strings.Join(in.Languages, ",")
	per.HouseholdSize, per.Dependants = in.HouseholdSize, in.Dependants
}

// InputOf returns the identity form filled from a file.
func InputOf(per *Person) Input {
	in := Input{SiteID: per.SiteID, GivenName: per.GivenName, FamilyName: per.FamilyName, GivenLatin: per.GivenLatin,
		FamilyLatin: per.FamilyLatin, BirthDate: per.BirthDate, Phone: per.Phone, MsgLang: per.MsgLang,
		FrenchLevel: per.FrenchLevel, HouseholdSize: per.HouseholdSize, Dependants: per.Dependants}
	if per.BirthApprox {
		in.BirthYear = per.BirthYear
	}
	if per.Languages != "" {
		in.Languages = strings.Split(per.Languages, ",")
	}
	return in
}

// keysOf returns the name keys of a file: of the names as written and in
// Latin letters.
func keysOf(per *Person) []string {
	var out []string
	for _, n := range []string{per.GivenName, per.FamilyName, per.GivenLatin, per.FamilyLatin} {
		for _, k := range NameKeys(n) {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}

type nameKey struct {
	bun.BaseModel `bun:"table:person_name_keys"`

	OrgID     string `bun:"org_id"`
	Key       string `bun:"name_key"`
	PersonID  string `bun:"person_id"`
	BirthYear int    `bun:"birth_year"`
}

// writeKeys replaces the name keys of a file.
func writeKeys(ctx context.Context, tx bun.Tx, per *Person) error {
	if _, err := tx.NewDelete().Model((*nameKey)(nil)).Where("person_id = ?", per.ID).Exec(ctx); err != nil {
		return err
	}
	keys := keysOf(per)
	if len(keys) == 0 {
		return nil
	}
	rows := make([]nameKey, len(keys))
	for i, k := range keys {
		rows[i] = nameKey{OrgID: per.OrgID, Key: k, PersonID: per.ID, BirthYear: per.BirthYear}
	}
	_, err := tx.NewInsert().Model(&rows).Exec(ctx)
	return err
}

// CreateOptions tune Create.
type CreateOptions struct {
	// NotADuplicate: the user looked at the possible duplicates and
	// confirmed this is another person.
	NotADuplicate bool
}

// ErrDuplicates is returned (Conflict) by Create when possible duplicates
// were found and not dismissed; the candidates come with it.
var ErrDuplicates = apperr.New(apperr.Conflict, "people.duplicates.found")

// Create opens a file in one of the user's sites, after the duplicate
// check: when candidates are found and opts.NotADuplicate is false, it
// returns them with ErrDuplicates and creates nothing.
func (s *Service) Create(ctx context.Context, p *auth.Principal, in Input, opts CreateOptions) (*Person, []Candidate, error) {
	if p == nil || !p.Can(auth.PermPersonRead) {
		return nil, nil, apperr.ErrForbidden
	}
	if err := s.validate(&in); err != nil {
		return nil, nil, err
	}
	if err := s.checkSite(ctx, s.DB.R, p, in.SiteID); err != nil {
		return nil, nil, err
	}
	if !opts.NotADuplicate {
		cands, err := s.Duplicates(ctx, p, in, "")
		if err != nil {
			return nil, nil, err
		}
		if len(cands) > 0 {
			return nil, cands, ErrDuplicates
		}
	}
	var per *Person
	err := s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		per, err = s.insert(ctx, tx, p, in, opts)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return per, nil, nil
}

// insert writes a validated new file, its name keys, its first timeline
// event and its audit entry inside tx.
func (s *Service) insert(ctx context.Context, tx bun.Tx, p *auth.Principal, in Input, opts CreateOptions) (*Person, error) {
	now := s.Clock.Now()
	per := &Person{ID: db.NewID(), OrgID: p.OrgID, SiteID: in.SiteID, ReferentID: "", LastContactAt: now,
		CreatedBy: p.UserID, CreatedAt: now, UpdatedAt: now}
	in.apply(per)
	if _, err := tx.NewInsert().Model(per).Exec(ctx); err != nil {
		return nil, err
	}
	if err := writeKeys(ctx, tx, per); err != nil {
		return nil, err
	}
	if err := s.Append(ctx, tx, p.OrgID, Event{PersonID: per.ID, Kind: "people.created", Contact: true,
		Summary: Message{Key: "people.event.created"}}); err != nil {
		return nil, err
	}
	return per, s.Audit.Record(ctx, tx, audit.Event{Action: "person.create", ObjectType: "person", ObjectID: per.ID,
		SiteID: per.SiteID, Details: map[string]any{"not_a_duplicate": opts.NotADuplicate}})
}

// Update changes the identity of a file (every user who may open it).
func (s *Service) Update(ctx context.Context, p *auth.Principal, id string, in Input) (*Person, error) {
	return s.update(ctx, p, id, in, "person.update", "")
}

// Rectify changes the identity of a file at the person's request, with the
// reason (the person's right to rectification); managers only.
func (s *Service) Rectify(ctx context.Context, p *auth.Principal, id string, in Input, reason string) (*Person, error) {
	if strings.TrimSpace(reason) == "" {
		return nil, apperr.Validation(map[string]string{"reason": "common.form.required"})
	}
	return s.update(ctx, p, id, in, "person.rectify", reason)
}

func (s *Service) update(ctx context.Context, p *auth.Principal, id string, in Input, action, reason string) (*Person, error) {
	per, a, err := s.Find(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if err := Writable(per); err != nil {
		return nil, err
	}
	if action == "person.rectify" && !a.Manage {
		return nil, apperr.ErrForbidden
	}
	in.SiteID = per.SiteID
	if err := s.validate(&in); err != nil {
		return nil, err
	}
	if err := s.checkCounts(ctx, s.DB.R, per, in); err != nil {
		return nil, err
	}
	before := InputOf(per)
	in.apply(per)
	per.UpdatedAt = s.Clock.Now()
	changed := changedFields(before, InputOf(per))
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model(per).ExcludeColumn("health_note", "legal_note", "referent_id", "status",
			"status_document", "status_from", "status_until", "last_contact_at", "merged_into", "anonymised_at", "created_by", "created_at").
			WherePK().Where("org_id = ?", p.OrgID).Exec(ctx); err != nil {
			return err
		}
		if err := writeKeys(ctx, tx, per); err != nil {
			return err
		}
		key := "people.event.updated"
		if reason != "" {
			key = "people.event.rectified"
		}
		if err := s.Append(ctx, tx, p.OrgID, Event{PersonID: per.ID, Kind: action, Summary: Message{Key: key}}); err != nil {
			return err
		}
		details := map[string]any{"fields": changed}
		if reason != "" {
			details["reason"] = reason
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: action, ObjectType: "person", ObjectID: per.ID, SiteID: per.SiteID, Details: details})
	})
	if err != nil {
		return nil, err
	}
	a.mask(per)
	return per, nil
}

// Writable refuses changes to a merged or anonymised file (Conflict).
func Writable(per *Person) error {
	if per.MergedInto != "" || per.Anonymised() {
		return apperr.New(apperr.Conflict, "people.error.closed_file")
	}
	return nil
}

// changedFields names the fields that differ (the audit trail keeps names,
// not values).
func changedFields(a, b Input) []string {
	var out []string
	add := func(name string, same bool) {
		if !same {
			out = append(out, name)
		}
	}
	add("given_name", a.GivenName == b.GivenName)
	add("family_name", a.FamilyName == b.FamilyName)
	add("given_latin", a.GivenLatin == b.GivenLatin)
	add("family_latin", a.FamilyLatin == b.FamilyLatin)
	add("birth", sameDate(a.BirthDate, b.BirthDate) && a.BirthYear == b.BirthYear)
	add("phone", a.Phone == b.Phone)
	add("msg_lang", a.MsgLang == b.MsgLang)
	add("languages", slices.Equal(a.Languages, b.Languages))
	add("french_level", a.FrenchLevel == b.FrenchLevel)
	add("household", a.HouseholdSize == b.HouseholdSize && a.Dependants == b.Dependants)
	return out
}

func sameDate(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// StatusInput is the administrative status with the document held.
type StatusInput struct {
	Status      string // a rules.StatusID, or "" for not known
	Document    string
	From, Until *time.Time
}

// SetStatus records the administrative status of a file.
func (s *Service) SetStatus(ctx context.Context, p *auth.Principal, id string, in StatusInput) error {
	per, _, err := s.Find(ctx, p, id)
	if err != nil {
		return err
	}
	if err := Writable(per); err != nil {
		return err
	}
	fields := map[string]string{}
	if in.Status != "" && !rules.StatusID(in.Status).Valid() {
		fields["status"] = "common.form.invalid_choice"
	}
	in.Document = strings.TrimSpace(in.Document)
	if utf8.RuneCountInString(in.Document) > 120 {
		fields["document"] = "common.form.too_long"
	}
	if in.From != nil && in.Until != nil && in.Until.Before(*in.From) {
		fields["until"] = "people.error.dates_order"
	}
	if len(fields) > 0 {
		return apperr.Validation(fields)
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model((*Person)(nil)).Set("status = ?", in.Status).Set("status_document = ?", in.Document).
			Set("status_from = ?", in.From).Set("status_until = ?", in.Until).Set("updated_at = ?", now).
			Where("org_id = ? AND id = ?", p.OrgID, per.ID).Exec(ctx); err != nil {
			return err
		}
		args := map[string]any{"Status": in.Status}
		if err := s.Append(ctx, tx, p.OrgID, Event{PersonID: per.ID, Kind: "people.status", Contact: true,
			Summary: Message{Key: "people.event.status", Args: args}}); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "person.status", ObjectType: "person", ObjectID: per.ID, SiteID: per.SiteID,
			Details: map[string]any{"status": in.Status, "until": dateOrEmpty(in.Until)}})
	})
}

func dateOrEmpty(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

// Notes are the sensitive notes of a file; a nil field is left as it is.
type Notes struct {
	Health, Legal *string
}

// SetNotes changes the health and legal notes, each only for users who
// may see it.
func (s *Service) SetNotes(ctx context.Context, p *auth.Principal, id string, n Notes) error {
	per, a, err := s.Find(ctx, p, id)
	if err != nil {
		return err
	}
	if err := Writable(per); err != nil {
		return err
	}
	if (n.Health != nil && !a.Health) || (n.Legal != nil && !a.Legal) {
		return apperr.ErrForbidden
	}
	q := s.DB.W.NewUpdate().Model((*Person)(nil)).Set("updated_at = ?", s.Clock.Now()).Where("org_id = ? AND id = ?", p.OrgID, per.ID)
	var changed []string
	for name, v := range map[string]*string{"health_note": n.Health, "legal_note": n.Legal} {
		if v == nil {
			continue
		}
		if utf8.RuneCountInString(*v) > maxNote {
			return apperr.Validation(map[string]string{name: "common.form.too_long"})
		}
		q = q.Set(name+" = ?", strings.TrimSpace(*v))
		changed = append(changed, name)
	}
	if len(changed) == 0 {
		return nil
	}
	slices.Sort(changed)
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := q.Conn(tx).Exec(ctx); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "person.notes", ObjectType: "person", ObjectID: per.ID, SiteID: per.SiteID,
			Details: map[string]any{"fields": changed}})
	})
}

func auditRead(per *Person, view, via string) audit.Event {
	return audit.Event{Action: "person.read", ObjectType: "person", ObjectID: per.ID, SiteID: per.SiteID,
		Details: map[string]any{"view": view, "via": via}}
}
