// Package jobs wires River on the application's own database (SQLite or
// PostgreSQL), so a job is enqueued in the same transaction as the change
// that causes it. Job argument types and workers live in their domain
// package; the app registers them here.
package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/uptrace/bun"

	"parcours/internal/platform/db"
)

// Client is the River client on database/sql transactions.
type Client = river.Client[*sql.Tx]

func driver(d *db.DB) riverdriver.Driver[*sql.Tx] {
	if d.Engine == db.Postgres {
		return riverdatabasesql.New(d.W.DB)
	}
	// SQLite: River shares the single writer connection with the app.
	return riversqlite.New(d.W.DB)
}

// Migrate creates or upgrades River's tables.
func Migrate(ctx context.Context, d *db.DB) error {
	m, err := rivermigrate.New(driver(d), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	return nil
}

// Options tune the client.
type Options struct {
	// Work starts workers; false gives an insert-only client (CLI, tests
	// that check what was enqueued).
	Work bool
	// Poll is how often workers look for jobs (default 1s; tests use less).
	Poll     time.Duration
	Periodic []*river.PeriodicJob
	Log      *slog.Logger
}

// New builds a client with the given workers.
func New(d *db.DB, workers *river.Workers, o Options) (*Client, error) {
	log := o.Log
	if log == nil {
		log = slog.Default()
	}
	cfg := &river.Config{
		Logger:      log.With("component", "jobs"),
		Workers:     workers,
		MaxAttempts: 8,
		JobTimeout:  2 * time.Minute,
	}
	if o.Work {
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}}
		cfg.PeriodicJobs = o.Periodic
		cfg.FetchPollInterval = o.Poll
		if cfg.FetchPollInterval == 0 {
			cfg.FetchPollInterval = time.Second
		}
		cfg.FetchCooldown = min(river.FetchCooldownDefault, cfg.FetchPollInterval)
		if d.Engine == db.Postgres {
			// database/sql has no LISTEN: poll only.
			cfg.PollOnly = true
		}
	}
	return river.NewClient(driver(d), cfg)
}

// InsertTx enqueues a job inside a bun transaction.
func InsertTx(ctx context.Context, c *Client, tx bun.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	_, err := c.InsertTx(ctx, tx.Tx, args, opts)
	return err
}
