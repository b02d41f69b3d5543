package rights

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/uptrace/bun"

	"parcours/internal/org"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/i18n"
	"parcours/internal/platform/notify"
	"parcours/internal/platform/web"
)

// ReminderArgs is the daily job that seeds new centres' fact sheets and
// reminds each centre of the sheets due for review.
type ReminderArgs struct{}

// Kind names the job.
func (ReminderArgs) Kind() string { return "rights.review_reminder" }

// ReminderWorker runs ReminderArgs.
type ReminderWorker struct {
	river.WorkerDefaults[ReminderArgs]
	S *Service
}

// Work seeds every centre, then sends the reminders due.
func (w *ReminderWorker) Work(ctx context.Context, _ *river.Job[ReminderArgs]) error {
	if err := w.S.SeedAll(ctx); err != nil {
		return err
	}
	_, err := w.S.SendReviewReminders(ctx)
	return err
}

// ReminderJob runs the job every day at 7:00 in Paris, and once at start-up
// (which seeds the centres' sheets). Sending is idempotent, so a run at
// start-up never repeats a reminder.
func ReminderJob() *river.PeriodicJob {
	return river.NewPeriodicJob(dailyAt{hour: 7}, func() (river.JobArgs, *river.InsertOpts) { return ReminderArgs{}, nil },
		&river.PeriodicJobOpts{ID: "rights.review_reminder", RunOnStart: true})
}

// dailyAt is a River schedule: every day at an hour of Paris time.
type dailyAt struct{ hour int }

// Next returns the first such hour after t.
func (d dailyAt) Next(t time.Time) time.Time {
	p := t.In(clock.Paris)
	next := time.Date(p.Year(), p.Month(), p.Day(), d.hour, 0, 0, 0, clock.Paris)
	if !next.After(t) {
		next = time.Date(p.Year(), p.Month(), p.Day()+1, d.hour, 0, 0, 0, clock.Paris)
	}
	return next
}

// reviewerRoles are the roles that may edit sheets: they get the reminders.
func reviewerRoles() []string {
	var out []string
	for _, r := range auth.Roles {
		if r.Grants(auth.PermSheetsEdit) {
			out = append(out, string(r))
		}
	}
	return out
}

// SendReviewReminders e-mails, for each centre with sheets not reviewed for
// ReviewAfter months, one reminder to each of its active reviewers (in
// their language) listing those sheets. A sheet is listed at most once a
// month: the month's reminders are recorded with the e-mails and the audit
// entry, in one transaction per centre. It returns the e-mails queued.
func (s *Service) SendReviewReminders(ctx context.Context) (int, error) {
	orgs, err := org.Orgs(ctx, s.DB.R)
	if err != nil {
		return 0, err
	}
	today := s.today()
	period := today.Format("2006-01")
	total := 0
	for _, o := range orgs {
		var all []Sheet
		if err := s.DB.R.NewSelect().Model(&all).Where("org_id = ?", o.ID).Order("title").Scan(ctx); err != nil {
			return total, err
		}
		due := slices.DeleteFunc(all, func(sh Sheet) bool { return !sh.ReviewDue(today) })
		if len(due) == 0 {
			continue
		}
		n, err := s.remindCentre(ctx, o, due, period)
		if err != nil {
			return total, fmt.Errorf("review reminder for %s: %w", o.Name, err)
		}
		total += n
	}
	return total, nil
}

func (s *Service) remindCentre(ctx context.Context, o org.Org, due []Sheet, period string) (int, error) {
	queued := 0
	err := s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		queued = 0
		ids := make([]string, len(due))
		for i, sh := range due {
			ids[i] = sh.ID
		}
		var sent []string
		if err := tx.NewSelect().Model((*reminder)(nil)).Column("sheet_id").
			Where("org_id = ? AND period = ? AND sheet_id IN (?)", o.ID, period, bun.List(ids)).Scan(ctx, &sent); err != nil {
			return err
		}
		todo := slices.DeleteFunc(slices.Clone(due), func(sh Sheet) bool { return slices.Contains(sent, sh.ID) })
		if len(todo) == 0 {
			return nil
		}
		now := s.Clock.Now()
		rows := make([]reminder, len(todo))
		slugs := make([]string, len(todo))
		for i, sh := range todo {
			rows[i] = reminder{SheetID: sh.ID, Period: period, OrgID: o.ID, SentAt: now}
			slugs[i] = sh.Slug
		}
		if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
			return err
		}
		var users []auth.User
		if err := tx.NewSelect().Model(&users).Where("org_id = ? AND disabled_at IS NULL", o.ID).
			Where("id IN (?)", tx.NewSelect().Table("memberships").Column("user_id").
				Where("org_id = ? AND role IN (?)", o.ID, bun.List(reviewerRoles()))).
			Order("email").Scan(ctx); err != nil {
			return err
		}
		for _, u := range users {
			lang := web.LanguageOr(u.Lang)
			if _, err := s.Outbox.QueueEmail(ctx, tx, notify.Message{
				OrgID: o.ID, To: u.Email, Lang: lang.Tag, Purpose: "rights.sheet_review",
				SubjectKey: "rights.web.reminder.subject", BodyKey: "rights.web.reminder.body",
				Args: map[string]any{"Name": u.Name, "Org": o.Name, "Months": ReviewAfter,
					"Sheets": sheetLines(todo, lang), "URL": s.BaseURL + "/" + lang.Tag + "/rights/sheets?due=1"},
			}); err != nil {
				return err
			}
			queued++
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "rights.sheets.review_reminder", ObjectType: "rights_sheet",
			OrgID: o.ID, Details: map[string]any{"period": period, "slugs": slugs, "recipients": len(users)}})
	})
	return queued, err
}

// sheetLines lists sheets for an e-mail: title and last review date.
func sheetLines(due []Sheet, lang i18n.Language) string {
	var b strings.Builder
	for _, sh := range due {
		fmt.Fprintf(&b, "- %s — %s\n", sh.Title, sh.ReviewedOn.Format(lang.DateLayout))
	}
	return strings.TrimRight(b.String(), "\n")
}
