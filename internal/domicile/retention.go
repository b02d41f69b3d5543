package domicile

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/uptrace/bun"

	"parcours/internal/people"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
)

// Retention: the personal data of a closed file (refused, radiated, or
// expired) is purged a retention period after the last contact with the
// person (2 years by default, DomiFa's privacy policy; configurable per
// centre). The nightly job first lists the files (the dry-run report,
// GET /domiciliation/retention), then purges those still due
// RetentionGrace later. An election in force is never purged.

// RetentionGrace is how long a file stays on the dry-run report.
const RetentionGrace = 30 * 24 * time.Hour

// due restricts a query on "dom_files AS f" to the files past retention on
// day for a period of months.
func due(q *bun.SelectQuery, day time.Time, months int) *bun.SelectQuery {
	return q.Where("f.anonymised_at IS NULL AND f.status IN (?)", bun.List([]string{StatusRefused, StatusEnded, StatusValid})).
		Where("NOT (f.status = ? AND f.end_on >= ? AND f.cut_on IS NULL)", StatusValid, day).
		Where("f.last_contact_on < ?", day.AddDate(0, -months, 0))
}

// RetentionRow is a file on the dry-run report.
type RetentionRow struct {
	Entry
	NoticedAt time.Time
	// GoesOn is when the nightly job purges it.
	GoesOn time.Time
}

// RetentionReport lists the files announced for purge in the user's sites
// (the dry run), and the centre's retention period.
func (s *Service) RetentionReport(ctx context.Context, p *auth.Principal) ([]RetentionRow, int, error) {
	sc, err := scope(p, auth.PermDomicileManage)
	if err != nil {
		return nil, 0, err
	}
	months, err := s.RetentionMonths(ctx, s.DB.R, p.OrgID)
	if err != nil {
		return nil, 0, err
	}
	var fs []File
	q := inScope(s.DB.R.NewSelect().Model(&fs).Where("f.org_id = ? AND f.retention_noticed_at IS NOT NULL", p.OrgID), sc)
	if err := due(q, s.today(), months).Order("f.retention_noticed_at", "f.number").Limit(1000).Scan(ctx); err != nil {
		return nil, 0, err
	}
	es, err := s.entries(ctx, s.DB.R, p.OrgID, fs)
	if err != nil {
		return nil, 0, err
	}
	out := make([]RetentionRow, len(es))
	for i, e := range es {
		out[i] = RetentionRow{Entry: e, NoticedAt: *e.File.RetentionNotedAt, GoesOn: Today(e.File.RetentionNotedAt.Add(RetentionGrace))}
	}
	if err := s.Audit.RecordNow(ctx, audit.Event{Action: "domicile.retention.read", ObjectType: "org", ObjectID: p.OrgID,
		Details: map[string]any{"files": len(out)}}); err != nil {
		return nil, 0, err
	}
	return out, months, nil
}

// RetentionResult counts what a retention run did.
type RetentionResult struct{ Noticed, Purged int }

// RunRetention is the nightly run for every centre: files that are no
// longer due leave the report (the person came back), new ones are put on
// it, and those on it for RetentionGrace are purged, each in its own
// transaction with its audit entry.
func (s *Service) RunRetention(ctx context.Context) (RetentionResult, error) {
	var res RetentionResult
	var orgs []struct {
		ID     string `bun:"id"`
		Months int    `bun:"retention_months"`
	}
	if err := s.DB.R.NewSelect().TableExpr("orgs AS o").ColumnExpr("o.id, COALESCE(d.retention_months, ?) AS retention_months", DefaultRetentionMonths).
		Join("LEFT JOIN dom_orgs AS d ON d.org_id = o.id").Scan(ctx, &orgs); err != nil {
		return res, err
	}
	now := s.Clock.Now()
	day := Today(now)
	for _, o := range orgs {
		sub := due(s.DB.W.NewSelect().TableExpr("dom_files AS f").Column("f.id").Where("f.org_id = ?", o.ID), day, o.Months)
		if _, err := s.DB.W.NewUpdate().Table("dom_files").Set("retention_noticed_at = NULL").
			Where("org_id = ? AND retention_noticed_at IS NOT NULL AND id NOT IN (?)", o.ID, sub).Exec(ctx); err != nil {
			return res, err
		}
		r, err := s.DB.W.NewUpdate().Table("dom_files").Set("retention_noticed_at = ?", now).
			Where("org_id = ? AND retention_noticed_at IS NULL AND id IN (?)", o.ID, sub).Exec(ctx)
		if err != nil {
			return res, err
		}
		if n, err := r.RowsAffected(); err == nil {
			res.Noticed += int(n)
		}
		var fs []File
		q := s.DB.R.NewSelect().Model(&fs).Where("f.org_id = ? AND f.retention_noticed_at <= ?", o.ID, now.Add(-RetentionGrace))
		if err := due(q, day, o.Months).Limit(1000).Scan(ctx); err != nil {
			return res, err
		}
		for i := range fs {
			f := &fs[i]
			err := s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
				if err := s.purgeFile(ctx, tx, f); err != nil {
					return err
				}
				return s.Audit.Record(ctx, tx, audit.Event{Action: "domicile.retention.purge", OrgID: f.OrgID, ActorLabel: "system",
					ObjectType: "domicile_file", ObjectID: f.ID, SiteID: f.SiteID, Details: map[string]any{"months": o.Months}})
			})
			if err != nil {
				return res, err
			}
			res.Purged++
		}
	}
	return res, s.sweepPortal(ctx)
}

// personalTables hold a file's personal data, removed by a purge.
var personalTables = []string{"dom_mail", "dom_contacts", "dom_proxies", "dom_forwards", "dom_dependants", "dom_interviews",
	"dom_portal_codes", "dom_portal_sessions"}

// purgeFile removes a file's personal data inside tx. What is not personal
// stays for the activity reports: the decisions' statuses, dates and coded
// reasons, and the daily counters.
func (s *Service) purgeFile(ctx context.Context, tx bun.Tx, f *File) error {
	for _, t := range personalTables {
		if _, err := tx.NewDelete().Table(t).Where("file_id = ?", f.ID).Exec(ctx); err != nil {
			return err
		}
	}
	if _, err := tx.NewUpdate().Model((*Decision)(nil)).Set("reason_detail = '', referral_detail = '', undo_reason = '', prev = '{}'").
		Where("file_id = ?", f.ID).Exec(ctx); err != nil {
		return err
	}
	if err := clearProfile(ctx, tx, f.ID); err != nil {
		return err
	}
	now := s.Clock.Now()
	_, err := tx.NewUpdate().Model((*File)(nil)).Set("person_id = NULL, civility = '', birth_place = '', email = '', appointment_with = ''").
		Set("pending_letters = 0, pending_registered = 0, pending_parcels = 0, portal = ?", false).
		Set("anonymised_at = ?", now).Set("updated_at = ?", now).Where("id = ?", f.ID).Exec(ctx)
	return err
}

// NightlyArgs is the nightly job: retention, then the portal's sweep.
type NightlyArgs struct{}

// Kind names the job.
func (NightlyArgs) Kind() string { return "domicile.nightly" }

// NightlyWorker runs NightlyArgs.
type NightlyWorker struct {
	river.WorkerDefaults[NightlyArgs]
	S   *Service
	Log *slog.Logger
}

// Work runs the retention.
func (w *NightlyWorker) Work(ctx context.Context, _ *river.Job[NightlyArgs]) error {
	res, err := w.S.RunRetention(ctx)
	if err == nil && w.Log != nil {
		w.Log.Info("domicile nightly", "retention_noticed", res.Noticed, "retention_purged", res.Purged)
	}
	return err
}

// NightlyJob runs every night at 4:00 in Paris, after people's nightly job.
func NightlyJob() *river.PeriodicJob {
	return river.NewPeriodicJob(people.DailyAt{Hour: 4}, func() (river.JobArgs, *river.InsertOpts) { return NightlyArgs{}, nil },
		&river.PeriodicJobOpts{ID: "domicile.nightly"})
}
