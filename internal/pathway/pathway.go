// Package pathway is a person's path, not one-off needs: objectives and
// steps on six axes with the next step always in view, applications for
// rights with their dates and renewal reminders, referrals to partners with
// what each partner may see, the legal triage grid and the three-way
// follow-up, the staff's worklists and the delays per right and site.
// See docs/pathway.md.
package pathway

import (
	"context"
	"embed"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/people"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/db"
	"parcours/internal/platform/i18n"
	"parcours/internal/platform/jobs"
	"parcours/internal/platform/notify"
	"parcours/internal/rights/rules"
)

//go:embed migrations/*.sql
var migrationsFS embed.FS

// Migrations returns the pathway tables' migrations.
func Migrations() []db.Migration { return db.MustMigrations(migrationsFS, "migrations") }

// Axes of a pathway; labels are "pathway.axis.<axis>".
var Axes = []string{"rights", "health", "housing", "language", "work", "social"}

// Step statuses; labels are "pathway.step.status.<status>".
var StepStatuses = []string{"planned", "in_progress", "standby", "done", "abandoned"}

// openStatus reports whether a step in this status still has to happen.
func openStatus(s string) bool { return s == "planned" || s == "in_progress" || s == "standby" }

// Objective statuses; labels are "pathway.objective.status.<status>".
var ObjectiveStatuses = []string{"open", "reached", "abandoned"}

// Application outcomes; labels are "pathway.outcome.<outcome>".
var Outcomes = []string{"pending", "granted", "refused", "withdrawn"}

// RightResidencePermit is the application kind for a residence document
// (first title or renewal), next to the rights of rules.Rights().
const RightResidencePermit = "residence_permit"

// ApplicationRights lists what an application may be for: the rights of
// the simulator, then the residence permit.
func ApplicationRights() []string {
	var out []string
	for _, r := range rules.Rights() {
		out = append(out, string(r.ID))
	}
	return append(out, RightResidencePermit)
}

// ReminderLead is how long before a right expires its renewal reminder goes
// out: AME and CSS are renewed yearly and the file should be in two months
// before; a residence document's renewal is asked for in the months before
// it expires.
func ReminderLead(right string) int {
	switch right {
	case string(rules.RightAME), string(rules.RightCSSFree), string(rules.RightCSSContribution):
		return 60
	case RightResidencePermit:
		return 90
	}
	return 30
}

// SleepingAfter is how long a referral may wait for the partner's answer
// before the sender is reminded.
const SleepingAfter = 10 * 24 * time.Hour

// DueSoonDays is the window of the "due within" worklist.
const DueSoonDays = 7

// ExpiringDays is the window of the "expiring rights" worklist.
const ExpiringDays = 90

// Service holds the pathways.
type Service struct {
	DB      *db.DB
	Audit   *audit.Log
	Clock   clock.Clock
	People  *people.Service
	Outbox  *notify.Outbox
	Catalog *i18n.Catalog
	// Jobs enqueues the renewal reminders; set once the client exists.
	Jobs *jobs.Client
	// Directory is where referrals choose the partner's service.
	Directory ServiceDirectory
	// BaseURL starts the links of e-mails.
	BaseURL string
}

var _ people.Hook = (*Service)(nil)

func (s *Service) today() time.Time { return people.Today(s.Clock.Now()) }

// open finds a file the user may open (NotFound otherwise) and refuses a
// merged or anonymised one for changes.
func (s *Service) open(ctx context.Context, p *auth.Principal, personID string) (*people.Person, people.Access, error) {
	return s.People.Find(ctx, p, personID)
}

// record writes the audit entry of a change of the pathway.
func (s *Service) record(ctx context.Context, tx bun.Tx, per *people.Person, action string, details map[string]any) error {
	return s.Audit.Record(ctx, tx, audit.Event{Action: "pathway." + action, ObjectType: "person", ObjectID: per.ID,
		SiteID: per.SiteID, OrgID: per.OrgID, Details: details})
}

// event appends to the person's timeline.
func (s *Service) event(ctx context.Context, tx bun.Tx, per *people.Person, kind, key string, args map[string]any, link string, aud people.Audience, contact bool) error {
	return s.People.Append(ctx, tx, per.OrgID, people.Event{PersonID: per.ID, Kind: "pathway." + kind, Contact: contact,
		Summary: people.Message{Key: key, Args: args}, Link: link, Audience: aud})
}

func valid(list []string, v string) bool { return slices.Contains(list, v) }

// byID reads a row of the centre by its id (alias is the model's table
// alias); a malformed or unknown id, or another centre's row, is NotFound.
func byID[T any](ctx context.Context, q bun.IDB, alias, orgID, id string) (*T, error) {
	if !db.ValidID(id) {
		return nil, apperr.ErrNotFound
	}
	m := new(T)
	err := q.NewSelect().Model(m).Where(alias+".org_id = ? AND "+alias+".id = ?", orgID, id).Scan(ctx)
	return m, db.Translate(err)
}
