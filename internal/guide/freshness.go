package guide

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/uptrace/bun"

	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/notify"
	"parcours/internal/platform/web"
)

// FreshnessArgs is the daily job that reminds editors of the services not
// checked for RemindAfter months.
type FreshnessArgs struct{}

// Kind names the job.
func (FreshnessArgs) Kind() string { return "guide.freshness" }

// FreshnessWorker runs FreshnessArgs.
type FreshnessWorker struct {
	river.WorkerDefaults[FreshnessArgs]
	S *Store
}

// Work sends the reminders due.
func (w *FreshnessWorker) Work(ctx context.Context, _ *river.Job[FreshnessArgs]) error {
	_, err := w.S.SendReminders(ctx)
	return err
}

// FreshnessJob runs the job every day at 8:00 in Paris.
func FreshnessJob() *river.PeriodicJob {
	return river.NewPeriodicJob(dailyAt(8), func() (river.JobArgs, *river.InsertOpts) { return FreshnessArgs{}, nil },
		&river.PeriodicJobOpts{ID: "guide.freshness"})
}

// dailyAt is a River schedule: every day at an hour of Paris time.
type dailyAt int

// Next returns the first such hour after t.
func (h dailyAt) Next(t time.Time) time.Time {
	p := t.In(clock.Paris)
	next := time.Date(p.Year(), p.Month(), p.Day(), int(h), 0, 0, 0, clock.Paris)
	if !next.After(t) {
		next = time.Date(p.Year(), p.Month(), p.Day()+1, int(h), 0, 0, 0, clock.Paris)
	}
	return next
}

// SendReminders e-mails, for each centre with services whose six-month
// reminder is due, one message to each active editor listing them, and
// records the reminder on the services (so it is sent once per check), in
// one transaction per centre with its audit entry. It returns the e-mails
// queued.
func (s *Store) SendReminders(ctx context.Context) (int, error) {
	today := s.today()
	var due []Service
	if err := s.DB.R.NewSelect().Model(&due).Where("checked_on <= ?", today.AddDate(0, -RemindAfter, 0)).
		Where("reminded_on IS NULL OR reminded_on < checked_on").Order("org_id", "checked_on", "name").Scan(ctx); err != nil {
		return 0, err
	}
	byOrg := map[string][]Service{}
	var orgs []string
	for _, sv := range due {
		if !sv.ReminderDue(today) {
			continue
		}
		if _, ok := byOrg[sv.OrgID]; !ok {
			orgs = append(orgs, sv.OrgID)
		}
		byOrg[sv.OrgID] = append(byOrg[sv.OrgID], sv)
	}
	total := 0
	for _, orgID := range orgs {
		n, err := s.remind(ctx, orgID, byOrg[orgID], today)
		if err != nil {
			return total, fmt.Errorf("guide reminder for centre %s: %w", orgID, err)
		}
		total += n
	}
	return total, nil
}

func editorRoles() []string {
	var out []string
	for _, r := range auth.Roles {
		if r.Grants(auth.PermGuideEdit) {
			out = append(out, string(r))
		}
	}
	return out
}

func (s *Store) remind(ctx context.Context, orgID string, due []Service, today time.Time) (int, error) {
	queued := 0
	err := s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		queued = 0
		ids := make([]string, len(due))
		for i, sv := range due {
			ids[i] = sv.ID
		}
		// Claim the services: only rows still due are reminded (another
		// instance may have run the job meanwhile).
		res, err := tx.NewUpdate().Model((*Service)(nil)).Set("reminded_on = checked_on").
			Where("id IN (?) AND (reminded_on IS NULL OR reminded_on < checked_on)", bun.List(ids)).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		var users []auth.User
		if err := tx.NewSelect().Model(&users).Where("org_id = ? AND disabled_at IS NULL", orgID).
			Where("id IN (?)", tx.NewSelect().Table("memberships").Column("user_id").
				Where("org_id = ? AND role IN (?)", orgID, bun.List(editorRoles()))).
			Order("email").Scan(ctx); err != nil {
			return err
		}
		for _, u := range users {
			lang := web.LanguageOr(u.Lang)
			var lines strings.Builder
			for _, sv := range due {
				fmt.Fprintf(&lines, "- %s — %s\n", sv.Name, sv.CheckedOn.Format(lang.DateLayout))
			}
			if _, err := s.Outbox.QueueEmail(ctx, tx, notify.Message{
				OrgID: orgID, To: u.Email, Lang: lang.Tag, Purpose: "guide.freshness",
				SubjectKey: "guide.reminder.subject", BodyKey: "guide.reminder.body",
				Args: map[string]any{"Name": u.Name, "Months": RemindAfter,
					"Services": strings.TrimRight(lines.String(), "\n"), "URL": s.BaseURL + "/" + lang.Tag + "/admin/guide?stale=1"},
			}); err != nil {
				return err
			}
			queued++
		}
		slices.Sort(ids)
		return s.Audit.Record(ctx, tx, audit.Event{Action: "guide.freshness.reminder", ObjectType: "guide_service", OrgID: orgID,
			Details: map[string]any{"services": ids, "recipients": len(users)}})
	})
	return queued, err
}
