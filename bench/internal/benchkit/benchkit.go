// Package benchkit holds what the data generators of bench/ (domgen,
// peoplegen) share: the accounts' secrets, the app they measure through,
// chunked inserts, Latin spellings and nearest-rank percentiles.
package benchkit

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/app"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/config"
	"parcours/internal/platform/db"
)

// Password and TOTPSecret of the generated accounts.
const (
	Password   = "bench-parcours-password"
	TOTPSecret = "JBSWY3DPEHPK3PXPBENCHSECRETABCD"
)

// Secret is the server key the measuring app must use: the accounts'
// second factors are sealed with it.
var Secret = []byte("parcours-bench-secret-0123456789abcdef")

// Open opens the database (a SQLite file or a PostgreSQL URL, exactly one)
// and builds the app on it as the server would, with a cheap Argon2 for
// the generated accounts; verbose logs the app's warnings to stderr.
func Open(ctx context.Context, sqlite, postgres string, verbose bool) (*db.DB, *app.App, error) {
	d, err := db.Open(ctx, db.Options{URL: postgres, Path: sqlite})
	if err != nil {
		return nil, nil, err
	}
	cfg := config.Default()
	cfg.DataDir = os.TempDir()
	cfg.BaseURL = "http://127.0.0.1"
	var logOut io.Writer = io.Discard
	if verbose {
		logOut = os.Stderr
	}
	a, err := app.New(ctx, cfg, app.Options{DB: d, Secret: Secret, Log: slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: slog.LevelWarn})),
		Argon2: &auth.Argon2{MemoryKiB: 64, Time: 1, Threads: 1}})
	if err != nil {
		d.Close()
		return nil, nil, err
	}
	return d, a, nil
}

// Chunked inserts rows 500 at a time (the engines' parameter limits).
func Chunked[T any](ctx context.Context, tx bun.Tx, rows []T) error {
	for i := 0; i < len(rows); i += 500 {
		part := rows[i:min(i+500, len(rows))]
		if _, err := tx.NewInsert().Model(&part).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// LatinOf picks a variant written in Latin letters (the first one if four
// draws find none).
func LatinOf(variants []string, rng *rand.Rand) string {
	for range 4 {
		v := variants[rng.IntN(len(variants))]
		if IsLatin(v) {
			return v
		}
	}
	return variants[0]
}

// IsLatin reports whether s is written in Latin letters (with accents).
func IsLatin(s string) bool {
	for _, r := range s {
		if r > 0x24f && (r < 0x1e00 || r > 0x1eff) {
			return false
		}
	}
	return true
}

// Time runs run warm times, then n times timed, and returns the sorted
// durations.
func Time(warm, n int, run func() error) ([]time.Duration, error) {
	for range warm {
		if err := run(); err != nil {
			return nil, err
		}
	}
	ds := make([]time.Duration, 0, n)
	for range n {
		start := time.Now()
		if err := run(); err != nil {
			return nil, err
		}
		ds = append(ds, time.Since(start))
	}
	slices.Sort(ds)
	return ds, nil
}

// Pct is the nearest-rank percentile of sorted durations.
func Pct(ds []time.Duration, p float64) time.Duration {
	i := int(float64(len(ds))*p/100+0.999999) - 1
	return ds[max(0, min(i, len(ds)-1))]
}

// Ms formats a duration in milliseconds, one decimal.
func Ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
