package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"parcours/internal/platform/config"
	"parcours/internal/platform/web"
)

// Serve runs the server until ctx is cancelled (SIGINT/SIGTERM), then shuts
// down gracefully: stop accepting, finish requests, stop the workers.
func Serve(ctx context.Context, cfg config.Config, log *slog.Logger, out io.Writer, started time.Time) error {
	if !cfg.Postgres() {
		unlock, err := lockDataDir(cfg.DataDir)
		if err != nil {
			return err
		}
		defer unlock()
	}
	a, err := New(ctx, cfg, Options{Log: log, Work: true})
	if err != nil {
		return err
	}
	defer a.Close()
	var demo []DemoAccount
	if cfg.Demo {
		if demo, err = LoadDemo(ctx, a); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	// Memory: what a burst of requests (or the start-up) used is given
	// back once the server has been idle for a moment (docs/PERFORMANCE.md,
	// "Idle memory").
	idle := &web.Idle{After: idleTrim, Every: idleRetrim, Trim: func() { a.releaseMemory(ctx) }}
	srv := &http.Server{
		Handler:           idle.Wrap(a.Handler),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	jobCtx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	defer stopJobs()
	if err := a.Jobs.Start(jobCtx); err != nil {
		return fmt.Errorf("start jobs: %w", err)
	}
	// Start-up allocates far more than the server keeps (migrations,
	// catalogs, demo accounts whose argon2id hashing takes 19 MiB each):
	// the first release comes as soon as the server is idle for idleTrim.
	go idle.Run(jobCtx)
	a.SetReady(true)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	engine := "SQLite " + cfg.SQLitePath()
	if cfg.Postgres() {
		engine = "PostgreSQL"
	}
	log.Info("parcours listening", "url", cfg.BaseURL, "database", string(a.DB.Engine), "startup_ms", time.Since(started).Milliseconds())
	fmt.Fprintf(out, "\nparcours is running at %s/  (%s)\n", cfg.BaseURL, engine)
	if len(demo) > 0 {
		PrintDemo(out, cfg.BaseURL, demo)
	}
	fmt.Fprintln(out, "Press Ctrl+C to stop.")
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	a.SetReady(false)
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Error("http shutdown", "err", err)
	}
	if err := a.Jobs.Stop(sctx); err != nil {
		log.Error("jobs shutdown", "err", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// idleTrim is how long the server serves nothing before it gives memory
// back; idleRetrim how often it does so again while it stays idle.
const (
	idleTrim   = 2 * time.Second
	idleRetrim = 30 * time.Second
	// idleUnused is how long a page's templates or a language's messages
	// stay in memory unused (parsed again on the next use: a few ms).
	idleUnused = 10 * time.Minute
)

// releaseMemory drops the expired public pages, the template sets and
// languages unused for idleUnused, and SQLite's caches, then returns the
// free heap and the executable's mapped pages to the system
// (web.ReleaseMemory).
func (a *App) releaseMemory(ctx context.Context) {
	t0 := time.Now()
	a.Router.Cache.Prune()
	a.Kit.R.Prune(idleUnused)
	a.Catalog.Prune(idleUnused)
	if err := a.DB.ReleaseMemory(ctx); err != nil && ctx.Err() == nil {
		a.Log.Warn("release memory: database", "err", err)
	}
	before, after := web.ReleaseMemory()
	a.Log.Debug("memory released", "rss_before_kib", before>>10, "rss_after_kib", after>>10, "ms", time.Since(t0).Milliseconds())
}

// lockDataDir takes an exclusive lock on the data folder: SQLite serves
// one instance at a time.
func lockDataDir(dir string) (func(), error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, "parcours.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("another parcours already serves %s (SQLite allows one instance; use PostgreSQL for several)", dir)
	}
	return func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
}
