package people

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"parcours/internal/platform/clock"
)

// NightlyArgs is the nightly job: close the shares whose end date passed,
// then the retention run (report, then anonymisation).
type NightlyArgs struct{}

// Kind names the job.
func (NightlyArgs) Kind() string { return "people.nightly" }

// NightlyWorker runs NightlyArgs.
type NightlyWorker struct {
	river.WorkerDefaults[NightlyArgs]
	S   *Service
	Log *slog.Logger
}

// Work runs the sweep and the retention.
func (w *NightlyWorker) Work(ctx context.Context, _ *river.Job[NightlyArgs]) error {
	shares, err := w.S.SweepShares(ctx)
	if err != nil {
		return err
	}
	res, err := w.S.RunRetention(ctx)
	if err != nil {
		return err
	}
	if w.Log != nil {
		w.Log.Info("people nightly", "shares_closed", shares, "retention_noticed", res.Noticed, "retention_anonymised", res.Anonymised)
	}
	return nil
}

// NightlyJob runs the job every night at 3:00 in Paris.
func NightlyJob() *river.PeriodicJob {
	return river.NewPeriodicJob(DailyAt{Hour: 3}, func() (river.JobArgs, *river.InsertOpts) { return NightlyArgs{}, nil },
		&river.PeriodicJobOpts{ID: "people.nightly"})
}

// DailyAt is a River schedule: every day at an hour of Paris time.
type DailyAt struct{ Hour int }

// Next returns the first such hour after t.
func (d DailyAt) Next(t time.Time) time.Time {
	p := t.In(clock.Paris)
	next := time.Date(p.Year(), p.Month(), p.Day(), d.Hour, 0, 0, 0, clock.Paris)
	if !next.After(t) {
		next = time.Date(p.Year(), p.Month(), p.Day()+1, d.Hour, 0, 0, 0, clock.Paris)
	}
	return next
}
