package domicile

import (
	"embed"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/people"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/db"
	"parcours/internal/platform/i18n"
	"parcours/internal/platform/jobs"
	"parcours/internal/platform/notify"
)

//go:embed migrations/*.sql
var migrationsFS embed.FS

// Migrations returns the domiciliation tables' migrations.
func Migrations() []db.Migration { return db.MustMigrations(migrationsFS, "migrations") }

// Service holds the domiciliation files of the centres.
type Service struct {
	DB      *db.DB
	Audit   *audit.Log
	Clock   clock.Clock
	People  *people.Service
	Outbox  *notify.Outbox
	Jobs    *jobs.Client
	Catalog *i18n.Catalog
	// BaseURL is the public address, for the portal link in SMS.
	BaseURL string
}

// Statuses of a file and of a decision (DomiFa: INSTRUCTION,
// ATTENTE_DECISION, VALIDE, REFUS, RADIE).
const (
	StatusInstruction = "instruction"
	StatusAwaiting    = "awaiting"
	StatusValid       = "valid"
	StatusRefused     = "refused"
	StatusEnded       = "ended"
)

// Statuses in the order of the lists.
var Statuses = []string{StatusInstruction, StatusAwaiting, StatusValid, StatusRefused, StatusEnded}

// Kinds of request.
const (
	KindFirst   = "first"
	KindRenewal = "renewal"
)

// File is a person's domiciliation file.
type File struct {
	bun.BaseModel `bun:"table:dom_files,alias:f"`

	ID                string     `bun:"id,pk"`
	OrgID             string     `bun:"org_id"`
	SiteID            string     `bun:"site_id"`
	PersonID          *string    `bun:"person_id"`
	Number            int        `bun:"number"`
	Status            string     `bun:"status"`
	Kind              string     `bun:"kind"`
	Civility          string     `bun:"civility"`
	BirthPlace        string     `bun:"birth_place"`
	Email             string     `bun:"email"`
	Restricted        bool       `bun:"restricted"`
	RequestedOn       time.Time  `bun:"requested_on,type:date"`
	ReceiptAt         *time.Time `bun:"receipt_at"`
	AppointmentAt     *time.Time `bun:"appointment_at"`
	AppointmentWith   string     `bun:"appointment_with"`
	StartOn           *time.Time `bun:"start_on,type:date"`
	EndOn             *time.Time `bun:"end_on,type:date"`
	CutOn             *time.Time `bun:"cut_on,type:date"`
	FirstOn           *time.Time `bun:"first_on,type:date"`
	DecidedOn         *time.Time `bun:"decided_on,type:date"`
	LastContactOn     time.Time  `bun:"last_contact_on,type:date"`
	Excuse            string     `bun:"excuse"`
	ExcuseUntil       *time.Time `bun:"excuse_until,type:date"`
	PendingLetters    int        `bun:"pending_letters"`
	PendingRegistered int        `bun:"pending_registered"`
	PendingParcels    int        `bun:"pending_parcels"`
	MailSMSAt         *time.Time `bun:"mail_sms_at"`
	ExpirySMSFor      *time.Time `bun:"expiry_sms_for,type:date"`
	Portal            bool       `bun:"portal"`
	Version           int        `bun:"version"`
	RetentionNotedAt  *time.Time `bun:"retention_noticed_at"`
	AnonymisedAt      *time.Time `bun:"anonymised_at"`
	CreatedBy         string     `bun:"created_by"`
	CreatedAt         time.Time  `bun:"created_at"`
	UpdatedAt         time.Time  `bun:"updated_at"`
}

// Person returns the linked person's id ("" once anonymised).
func (f *File) Person() string {
	if f.PersonID == nil {
		return ""
	}
	return *f.PersonID
}

// CoveredOn reports whether the election is in force on day: a valid period
// contains it and no radiation cut it before (a renewal under review keeps
// the previous period, DomiFa).
func (f *File) CoveredOn(day time.Time) bool {
	if f.StartOn == nil || f.EndOn == nil {
		return false
	}
	if day.Before(*f.StartOn) || day.After(*f.EndOn) {
		return false
	}
	return f.CutOn == nil || day.Before(*f.CutOn)
}

// Deadline is the date by which the request must be answered: two months
// after it was filed (D264-1).
func (f *File) Deadline() time.Time { return f.RequestedOn.AddDate(0, 2, 0) }

// Open reports whether a request is waiting for a decision.
func (f *File) Open() bool { return f.Status == StatusInstruction || f.Status == StatusAwaiting }

// Pending is the number of items waiting at the desk.
func (f *File) Pending() int { return f.PendingLetters + f.PendingRegistered + f.PendingParcels }

// Excused reports whether a health or detention excuse holds on day (D264-3).
func (f *File) Excused(day time.Time) bool {
	return f.Excuse != "" && (f.ExcuseUntil == nil || !f.ExcuseUntil.Before(day))
}

// AppointmentLocal is the interview appointment as a datetime-local field
// shows it, in Paris time ("" when none).
func (f *File) AppointmentLocal() string {
	if f.AppointmentAt == nil {
		return ""
	}
	return f.AppointmentAt.In(clock.Paris).Format("2006-01-02T15:04")
}

// Decision is one step of a file's history.
type Decision struct {
	bun.BaseModel `bun:"table:dom_decisions,alias:d"`

	ID             string     `bun:"id,pk"`
	OrgID          string     `bun:"org_id"`
	SiteID         string     `bun:"site_id"`
	FileID         string     `bun:"file_id"`
	Seq            int        `bun:"seq"`
	Status         string     `bun:"status"`
	Kind           string     `bun:"kind"`
	DecidedOn      time.Time  `bun:"decided_on,type:date"`
	StartOn        *time.Time `bun:"start_on,type:date"`
	EndOn          *time.Time `bun:"end_on,type:date"`
	CutOn          *time.Time `bun:"cut_on,type:date"`
	Reason         string     `bun:"reason"`
	ReasonDetail   string     `bun:"reason_detail"`
	Referral       string     `bun:"referral"`
	ReferralDetail string     `bun:"referral_detail"`
	Dependants     int        `bun:"dependants"`
	Prev           string     `bun:"prev"`
	DecidedBy      string     `bun:"decided_by"`
	DecidedAt      time.Time  `bun:"decided_at"`
	UndoneAt       *time.Time `bun:"undone_at"`
	UndoneBy       string     `bun:"undone_by"`
	UndoReason     string     `bun:"undo_reason"`

	// The profile the annual report counts (profile.go).
	Civility  string     `bun:"civility"`
	BirthDate *time.Time `bun:"birth_date,type:date"`
	BirthYear int        `bun:"birth_year"`
	Household string     `bun:"household"`
	Cause     string     `bun:"cause"`
	Link      string     `bun:"link"`
	Motive    string     `bun:"motive"`
	Residence string     `bun:"residence"`
	Support   string     `bun:"support"`
	Work      string     `bun:"work"`
}

// Dependant is a household member covered by the election (ayant droit).
type Dependant struct {
	bun.BaseModel `bun:"table:dom_dependants"`

	ID        string     `bun:"id,pk"`
	OrgID     string     `bun:"org_id"`
	FileID    string     `bun:"file_id"`
	Given     string     `bun:"given"`
	Family    string     `bun:"family"`
	BirthDate *time.Time `bun:"birth_date,type:date"`
	Link      string     `bun:"link"`
}

// Interview is the interview of a request (D264-2), in DomiFa's categories.
type Interview struct {
	bun.BaseModel `bun:"table:dom_interviews"`

	FileID          string     `bun:"file_id,pk"`
	OrgID           string     `bun:"org_id"`
	HeldOn          *time.Time `bun:"held_on,type:date"`
	HeldBy          string     `bun:"held_by"`
	Elsewhere       bool       `bun:"elsewhere"`
	Referred        bool       `bun:"referred"`
	ReferredBy      string     `bun:"referred_by"`
	Income          bool       `bun:"income"`
	IncomeKind      string     `bun:"income_kind"`
	Link            string     `bun:"link"`
	LinkDetail      string     `bun:"link_detail"`
	Household       string     `bun:"household"`
	Residence       string     `bun:"residence"`
	ResidenceDetail string     `bun:"residence_detail"`
	Cause           string     `bun:"cause"`
	CauseDetail     string     `bun:"cause_detail"`
	Reason          string     `bun:"reason"`
	ReasonDetail    string     `bun:"reason_detail"`
	Support         bool       `bun:"support"`
	SupportBy       string     `bun:"support_by"`
	Work            string     `bun:"work"`
	WorkDetail      string     `bun:"work_detail"`
	Comments        string     `bun:"comments"`
	UpdatedBy       string     `bun:"updated_by"`
	UpdatedAt       time.Time  `bun:"updated_at"`
}

// Vocabularies of the interview and the decisions; a value v of list L is
// shown with the message "domicile.<L>.<v>".
var (
	Civilities = []string{"mme", "m"}
	// Links with the commune (R264-4).
	Links      = []string{"residential", "parental", "family", "professional", "social", "other"}
	Households = []string{"couple_children", "couple", "woman_children", "woman", "man_children", "man"}
	Residences = []string{"mobile_home", "social_housing", "third_party", "hotel", "street", "unusable", "other"}
	Causes     = []string{"wandering", "eviction", "no_proof", "traveller", "family_break", "leaving_shelter",
		"violence", "leaving_hospital", "leaving_prison", "other"}
	Reasons        = []string{"civil_rights", "benefits", "work", "protection", "other"}
	Works          = []string{"student", "employee", "self_employed", "job_seeker", "rsa", "aah", "retired", "other"}
	DependantLinks = []string{"spouse", "child", "parent", "other"}
	// Refusal reasons: a CCAS or CIAS may refuse only for lack of a link
	// with the commune (L264-4); approved bodies also outside their approval
	// or above their capacity (L264-7).
	RefusalReasons = []string{"no_link", "out_of_scope", "capacity", "other"}
	// Referrals after a refusal (L264-4: "oriente").
	Referrals = []string{"ccas", "cias", "approved", "other"}
	// End (radiation) reasons: L264-5, D264-3, D264-5.
	EndReasons = []string{"person_request", "housing", "no_contact", "no_link", "expired", "rules", "other"}
	// Excuses for not coming (D264-3).
	Excuses      = []string{"health", "detention"}
	ContactKinds = []string{"visit", "call", "handover", "portal"}
	MailKinds    = []string{"letter", "registered", "parcel"}
	// What became of a mail item.
	MailStatuses = []string{"pending", "handed", "proxy", "returned", "forwarded", "npai"}
)

// MaxProxies is how many proxies may be in force at once (DomiFa #2417).
const MaxProxies = 5

// oneOf reports whether v is one of list.
func oneOf(list []string, v string) bool { return slices.Contains(list, v) }

// Today returns the calendar day of t in Paris, at midnight UTC (how DATE
// columns are stored).
func Today(t time.Time) time.Time { return people.Today(t) }

func (s *Service) today() time.Time { return Today(s.Clock.Now()) }

// OneYear is the end of a one-year election starting on start (D264-1): the
// day before the anniversary.
func OneYear(start time.Time) time.Time { return start.AddDate(1, 0, -1) }

// SilentSince is the last contact date before which a person "no longer
// manifests" on day: more than three consecutive months (D264-3).
func SilentSince(day time.Time) time.Time { return day.AddDate(0, -3, 0) }

func ptr[T any](v T) *T { return &v }

// isoDate formats an optional date for the audit trail.
func isoDate(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}
