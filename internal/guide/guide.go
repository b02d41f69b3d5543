package guide

import (
	"embed"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/platform/audit"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/db"
	"parcours/internal/platform/i18n"
	"parcours/internal/platform/notify"
)

//go:embed migrations/*.sql
var migrationsFS embed.FS

// Migrations returns the guide tables' migrations.
func Migrations() []db.Migration { return db.MustMigrations(migrationsFS, "migrations") }

// Organization is a body that offers services (HSDS organization).
type Organization struct {
	bun.BaseModel `bun:"table:guide_organizations"`

	ID          string    `bun:"id,pk"`
	OrgID       string    `bun:"org_id"`
	Name        string    `bun:"name"`
	Description string    `bun:"description"`
	Website     string    `bun:"website"`
	Email       string    `bun:"email"`
	CreatedAt   time.Time `bun:"created_at"`
	UpdatedAt   time.Time `bun:"updated_at"`
}

// Location is a place where services are given (HSDS location + address).
type Location struct {
	bun.BaseModel `bun:"table:guide_locations"`

	ID             string    `bun:"id,pk"`
	OrgID          string    `bun:"org_id"`
	OrganizationID string    `bun:"organization_id"`
	Name           string    `bun:"name"`
	Address        string    `bun:"address"`
	PostalCode     string    `bun:"postal_code"`
	City           string    `bun:"city"`
	Arrondissement int       `bun:"arrondissement"`
	Latitude       *float64  `bun:"latitude"`
	Longitude      *float64  `bun:"longitude"`
	Directions     string    `bun:"directions"`
	CreatedAt      time.Time `bun:"created_at"`
	UpdatedAt      time.Time `bun:"updated_at"`
}

// Service is what an organisation offers (HSDS service).
type Service struct {
	bun.BaseModel `bun:"table:guide_services"`

	ID                 string     `bun:"id,pk"`
	OrgID              string     `bun:"org_id"`
	OrganizationID     string     `bun:"organization_id"`
	Status             string     `bun:"status"`
	Name               string     `bun:"name"`
	Description        string     `bun:"description"`
	Eligibility        string     `bun:"eligibility"`
	ApplicationProcess string     `bun:"application_process"`
	DocumentsNote      string     `bun:"documents_note"`
	URL                string     `bun:"url"`
	Email              string     `bun:"email"`
	Free               bool       `bun:"free"`
	NoPapers           bool       `bun:"no_papers"`
	WelcomeMen         bool       `bun:"welcome_men"`
	WelcomeWomen       bool       `bun:"welcome_women"`
	WelcomeFamilies    bool       `bun:"welcome_families"`
	WelcomeMinors      bool       `bun:"welcome_minors"`
	WalkIn             bool       `bun:"walk_in"`
	Appointment        bool       `bun:"appointment"`
	Referral           bool       `bun:"referral"`
	CheckedOn          time.Time  `bun:"checked_on,type:date"`
	CheckedBy          string     `bun:"checked_by"`
	CheckerID          *string    `bun:"checker_id"`
	RemindedOn         *time.Time `bun:"reminded_on,type:date"`
	SearchText         string     `bun:"search_text"`
	CreatedAt          time.Time  `bun:"created_at"`
	UpdatedAt          time.Time  `bun:"updated_at"`
}

// Statuses of a service.
const (
	Draft     = "draft"
	Published = "published"
)

// Freshness thresholds, in months.
const (
	RemindAfter = 6
	StaleAfter  = 12
)

// Stale reports whether the service has gone StaleAfter months unchecked
// at date today.
func (s *Service) Stale(today time.Time) bool {
	return !today.Before(s.CheckedOn.AddDate(0, StaleAfter, 0))
}

// ReminderDue reports whether the six-month reminder is due and was not
// sent for the current check.
func (s *Service) ReminderDue(today time.Time) bool {
	if today.Before(s.CheckedOn.AddDate(0, RemindAfter, 0)) {
		return false
	}
	return s.RemindedOn == nil || s.RemindedOn.Before(s.CheckedOn)
}

// ServiceLocationRow links a service to one of its places (HSDS service_at_location).
type ServiceLocationRow struct {
	bun.BaseModel `bun:"table:guide_service_at_locations"`

	ID         string `bun:"id,pk"`
	OrgID      string `bun:"org_id"`
	ServiceID  string `bun:"service_id"`
	LocationID string `bun:"location_id"`
}

// Phone is a phone line of a service.
type Phone struct {
	bun.BaseModel `bun:"table:guide_phones"`

	ID        string    `bun:"id,pk"`
	OrgID     string    `bun:"org_id"`
	ServiceID string    `bun:"service_id"`
	Number    string    `bun:"number"`
	Kind      string    `bun:"kind"`
	CreatedAt time.Time `bun:"created_at"`
	// Languages spoken on the line (loaded separately).
	Languages []string `bun:"-"`
}

// PhoneKinds are the kinds of line.
var PhoneKinds = []string{"voice", "text"}

// LanguageRow is a language spoken for a service: on site, or on a phone line when PhoneID is set.
type LanguageRow struct {
	bun.BaseModel `bun:"table:guide_languages"`

	ID        string  `bun:"id,pk"`
	OrgID     string  `bun:"org_id"`
	ServiceID string  `bun:"service_id"`
	PhoneID   *string `bun:"phone_id"`
	Code      string  `bun:"code"`
}

// ScheduleRow is a weekly opening slot of a service, seasonal when dated.
type ScheduleRow struct {
	bun.BaseModel `bun:"table:guide_schedules"`

	ID        string     `bun:"id,pk"`
	OrgID     string     `bun:"org_id"`
	ServiceID string     `bun:"service_id"`
	Weekday   int        `bun:"weekday"`
	OpensAt   string     `bun:"opens_at"`
	ClosesAt  string     `bun:"closes_at"`
	ValidFrom *time.Time `bun:"valid_from,type:date"`
	ValidTo   *time.Time `bun:"valid_to,type:date"`
}

// ExceptionRow is a dated closure or special opening of a service.
type ExceptionRow struct {
	bun.BaseModel `bun:"table:guide_exceptions"`

	ID        string    `bun:"id,pk"`
	OrgID     string    `bun:"org_id"`
	ServiceID string    `bun:"service_id"`
	StartsOn  time.Time `bun:"starts_on,type:date"`
	EndsOn    time.Time `bun:"ends_on,type:date"`
	Closed    bool      `bun:"closed"`
	OpensAt   string    `bun:"opens_at"`
	ClosesAt  string    `bun:"closes_at"`
	Reason    string    `bun:"reason"`
	CreatedAt time.Time `bun:"created_at"`
}

// CategoryRow files a service under a category (a taxonomy term).
type CategoryRow struct {
	bun.BaseModel `bun:"table:guide_service_categories"`

	ID        string `bun:"id,pk"`
	OrgID     string `bun:"org_id"`
	ServiceID string `bun:"service_id"`
	TermID    string `bun:"term_id"`
}

// DocumentRow names a "documents to bring" checklist of a service.
type DocumentRow struct {
	bun.BaseModel `bun:"table:guide_service_documents"`

	ID            string `bun:"id,pk"`
	OrgID         string `bun:"org_id"`
	ServiceID     string `bun:"service_id"`
	ChecklistSlug string `bun:"checklist_slug"`
	Position      int    `bun:"position"`
}

// Translation is one text field in one language.
type Translation struct {
	bun.BaseModel `bun:"table:guide_translations"`

	ID           string     `bun:"id,pk"`
	OrgID        string     `bun:"org_id"`
	OwnerType    string     `bun:"owner_type"`
	OwnerID      string     `bun:"owner_id"`
	Field        string     `bun:"field"`
	Lang         string     `bun:"lang"`
	Value        string     `bun:"value"`
	Status       string     `bun:"status"`
	TranslatedBy string     `bun:"translated_by"`
	ReviewedBy   string     `bun:"reviewed_by"`
	ReviewerID   *string    `bun:"reviewer_id"`
	ReviewedAt   *time.Time `bun:"reviewed_at"`
	UpdatedAt    time.Time  `bun:"updated_at"`
}

// Translation statuses ("missing" is the absence of a row).
const (
	TrMissing  = "missing"
	TrDraft    = "draft"
	TrReviewed = "reviewed"
)

// Category is a term of the category taxonomy.
type Category struct {
	ID   string
	Slug string
}

// Categories are the 18 categories, in the order of the home page tiles.
// Their ids are fixed by the migration.
var Categories = func() []Category {
	slugs := []string{"domiciliation", "legal-aid", "asylum", "health", "mental-health", "french-courses",
		"work-training", "food", "showers-hygiene", "shelter", "phone-charging", "wifi", "sport", "culture",
		"transport", "children-families", "women", "young-people"}
	out := make([]Category, len(slugs))
	for i, s := range slugs {
		out[i] = Category{ID: categoryID(i + 1), Slug: s}
	}
	return out
}()

func categoryID(n int) string { return "0193a000-0000-7000-8000-" + pad12(n) }

func pad12(n int) string {
	b := []byte("000000000000")
	for i := len(b) - 1; n > 0 && i >= 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b)
}

// CategoryBySlug finds a category.
func CategoryBySlug(slug string) (Category, bool) {
	for _, c := range Categories {
		if c.Slug == slug {
			return c, true
		}
	}
	return Category{}, false
}

func categoryByID(id string) (Category, bool) {
	for _, c := range Categories {
		if c.ID == id {
			return c, true
		}
	}
	return Category{}, false
}

// Store reads and writes the guide, with its rules.
type Store struct {
	DB    *db.DB
	Audit *audit.Log
	Clock clock.Clock
	// Outbox queues the freshness reminders.
	Outbox *notify.Outbox
	// BaseURL is the public address, for links in e-mails.
	BaseURL string
	// Labels gives the label of a message in every served language (the
	// category names are searchable in every language).
	Labels func(id string) []string

	labelsOnce sync.Once
	labels     map[string]string // category id -> its names, normalised
}

func (s *Store) today() time.Time { return DateOf(s.Clock.Now()) }

// served reports whether tag is a served interface language.
func served(tag string) bool {
	_, ok := i18n.Lookup(tag)
	return ok
}
