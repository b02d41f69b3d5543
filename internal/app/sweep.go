package app

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"parcours/internal/platform/db"
)

// outboxRetention: delivered messages hold personal data and are deleted
// after this long.
const outboxRetention = 90 * 24 * time.Hour

type sweepArgs struct{}

func (sweepArgs) Kind() string { return "platform.sweep" }

// sweepWorker deletes what retention rules say must go: expired sessions,
// old sign-in attempts, audit entries past their retention, old messages.
type sweepWorker struct {
	river.WorkerDefaults[sweepArgs]
	a *App
}

func (w *sweepWorker) Work(ctx context.Context, _ *river.Job[sweepArgs]) error {
	a := w.a
	s, err := a.Auth.PurgeSessions(ctx)
	if err != nil {
		return err
	}
	t, err := a.Auth.PurgeAttempts(ctx)
	if err != nil {
		return err
	}
	au, err := a.Audit.Purge(ctx, a.Cfg.AuditRetention)
	if err != nil {
		return err
	}
	o, err := a.Outbox.Purge(ctx, outboxRetention)
	if err != nil {
		return err
	}
	if a.DB.Engine == db.SQLite {
		// SQLite keeps no statistics unless asked: without them the
		// planner scans a whole centre's index for a worklist.
		if _, err := a.DB.W.ExecContext(ctx, "PRAGMA optimize"); err != nil {
			return err
		}
	}
	a.Log.Info("sweep", "sessions", s, "attempts", t, "audit", au, "outbox", o)
	return nil
}
