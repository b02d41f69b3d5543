package people

import (
	"context"
	"embed"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/platform/audit"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/db"
)

//go:embed migrations/*.sql
var migrationsFS embed.FS

// Migrations returns the people tables' migrations.
func Migrations() []db.Migration { return db.MustMigrations(migrationsFS, "migrations") }

// DefaultRetention is how long a file is kept after the last contact coming
// from the person (CNIL référentiel: 2 years), unless configured.
const DefaultRetention = 2 * 365 * 24 * time.Hour

// RetentionGrace is how long a file stays on the retention report (the dry
// run) before the nightly job anonymises it.
const RetentionGrace = 30 * 24 * time.Hour

// Person is a person's file. Health and legal notes are blanked by Find and
// Read for users who may not see them (see Access).
type Person struct {
	bun.BaseModel `bun:"table:persons,alias:p"`

	ID             string     `bun:"id,pk" json:"id"`
	OrgID          string     `bun:"org_id" json:"-"`
	SiteID         string     `bun:"site_id" json:"site_id"`
	GivenName      string     `bun:"given_name" json:"given_name"`
	FamilyName     string     `bun:"family_name" json:"family_name"`
	GivenLatin     string     `bun:"given_latin" json:"given_latin"`
	FamilyLatin    string     `bun:"family_latin" json:"family_latin"`
	SortName       string     `bun:"sort_name" json:"-"`
	BirthDate      *time.Time `bun:"birth_date,type:date" json:"birth_date,omitempty"`
	BirthYear      int        `bun:"birth_year" json:"birth_year,omitempty"`
	BirthApprox    bool       `bun:"birth_approx" json:"birth_approx"`
	Phone          string     `bun:"phone" json:"phone,omitempty"`
	MsgLang        string     `bun:"msg_lang" json:"message_language"`
	Languages      string     `bun:"languages" json:"languages,omitempty"`
	FrenchLevel    string     `bun:"french_level" json:"french_level,omitempty"`
	HouseholdSize  int        `bun:"household_size" json:"household_size"`
	Dependants     int        `bun:"dependants" json:"dependants"`
	Status         string     `bun:"status" json:"status,omitempty"`
	StatusDocument string     `bun:"status_document" json:"status_document,omitempty"`
	StatusFrom     *time.Time `bun:"status_from,type:date" json:"status_from,omitempty"`
	StatusUntil    *time.Time `bun:"status_until,type:date" json:"status_until,omitempty"`
	HealthNote     string     `bun:"health_note" json:"health_note,omitempty"`
	LegalNote      string     `bun:"legal_note" json:"legal_note,omitempty"`
	ReferentID     string     `bun:"referent_id" json:"-"`
	LastContactAt  time.Time  `bun:"last_contact_at" json:"last_contact_at"`
	MergedInto     string     `bun:"merged_into" json:"-"`
	AnonymisedAt   *time.Time `bun:"anonymised_at" json:"-"`
	CreatedBy      string     `bun:"created_by" json:"-"`
	CreatedAt      time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt      time.Time  `bun:"updated_at" json:"updated_at"`
}

// DisplayName is the name as the person writes it, each part falling back
// to its Latin letters.
func (p Person) DisplayName() string {
	g, f := p.GivenName, p.FamilyName
	if g == "" {
		g = p.GivenLatin
	}
	if f == "" {
		f = p.FamilyLatin
	}
	if g == "" {
		return f
	}
	if f == "" {
		return g
	}
	return g + " " + f
}

// LatinName is the name in Latin letters ("" when the same as DisplayName).
func (p Person) LatinName() string {
	g, f := p.GivenLatin, p.FamilyLatin
	name := g
	if f != "" {
		if name != "" {
			name += " "
		}
		name += f
	}
	if name == p.DisplayName() {
		return ""
	}
	return name
}

// ListName is the name for lists read by the staff: as written, with the
// Latin letters after it when they differ ("محمد رحیمی (Mohammad Rahimi)").
func (p Person) ListName() string {
	if l := p.LatinName(); l != "" {
		return p.DisplayName() + " (" + l + ")"
	}
	return p.DisplayName()
}

// Anonymised reports whether the file was erased or anonymised.
func (p Person) Anonymised() bool { return p.AnonymisedAt != nil }

// AgeAt returns the age at t (from the date of birth, or from the year
// when only that is known), and false when unknown.
func (p Person) AgeAt(t time.Time) (int, bool) {
	t = t.In(clock.Paris)
	if p.BirthDate != nil {
		b := *p.BirthDate
		age := t.Year() - b.Year()
		if t.Month() < b.Month() || (t.Month() == b.Month() && t.Day() < b.Day()) {
			age--
		}
		return age, true
	}
	if p.BirthYear > 0 {
		return t.Year() - p.BirthYear, true
	}
	return 0, false
}

// Message is a text in the catalogs with its arguments: a message ID and
// named values ({{.Name}}).
type Message struct {
	Key  string         `json:"key"`
	Args map[string]any `json:"args,omitempty"`
}

// Audience restricts who sees a timeline event.
type Audience string

// Audiences of timeline events.
const (
	AudienceAll    Audience = ""       // everyone who may open the file
	AudienceHealth Audience = "health" // those who see the health note
	AudienceLegal  Audience = "legal"  // those who see the legal note
)

// Event is what a module appends to a person's timeline.
type Event struct {
	PersonID string
	// Kind names the event, prefixed by the module ("pathway.step_done").
	Kind string
	// At is when it happened (the clock's now when zero).
	At time.Time
	// Summary is the line shown in the timeline.
	Summary Message
	// Link is a path without the language prefix ("/people/<id>#steps"),
	// or empty.
	Link     string
	Audience Audience
	// Contact: the person came, called or wrote; it restarts the retention
	// clock (the CNIL counts from the last contact coming from the person).
	Contact bool
}

// Timeline is what other modules call to append to a person's timeline,
// inside their own transaction.
type Timeline interface {
	Append(ctx context.Context, tx bun.Tx, orgID string, e Event) error
}

// ExportRow is one line of a module's part of a person's export.
type ExportRow struct {
	// Label is shown in the person's language.
	Label Message `json:"label"`
	// Value is plain text (names, free text); Date a date; either or both.
	Value string     `json:"value,omitempty"`
	Date  *time.Time `json:"date,omitempty"`
}

// ExportSection is a module's part of a person's export (JSON and the
// printable page).
type ExportSection struct {
	Module string      `json:"module"`
	Title  Message     `json:"title"`
	Rows   []ExportRow `json:"rows"`
}

// Hook lets a module that keeps data about persons follow what happens to
// the file: a merge, an erasure or the retention purge, an export. The
// app registers hooks in Service.Hooks; each runs inside the transaction of
// the change (export excepted).
type Hook interface {
	// MergePerson moves the module's rows from the duplicate to the kept file.
	MergePerson(ctx context.Context, tx bun.Tx, orgID, fromID, intoID string) error
	// PurgePerson removes the module's personal data about the person
	// (erasure by a manager, or retention). What is not personal (dates of
	// a right's application, for delay statistics) may stay.
	PurgePerson(ctx context.Context, tx bun.Tx, orgID, personID string) error
	// ExportPerson returns the module's data about the person for the
	// person's copy of their file.
	ExportPerson(ctx context.Context, orgID, personID string) ([]ExportSection, error)
}

// Service holds the persons of the centres.
type Service struct {
	DB    *db.DB
	Audit *audit.Log
	Clock clock.Clock
	// Retention is how long a file is kept after the last contact
	// (DefaultRetention when zero).
	Retention time.Duration
	// Hooks are the modules that keep data about persons.
	Hooks []Hook
}

var _ Timeline = (*Service)(nil)

func (s *Service) retention() time.Duration {
	if s.Retention > 0 {
		return s.Retention
	}
	return DefaultRetention
}

// today is the current date in Paris, at midnight UTC (how DATE columns
// are stored).
func (s *Service) today() time.Time { return Today(s.Clock.Now()) }

// Today returns the calendar day of t in Paris, at midnight UTC.
func Today(t time.Time) time.Time {
	p := t.In(clock.Paris)
	return time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, time.UTC)
}

// PhoneText is the phone number as people read it.
func (p Person) PhoneText() string { return FormatPhone(p.Phone) }
