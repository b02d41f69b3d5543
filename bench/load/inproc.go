package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"parcours/internal/app"
	"parcours/internal/platform/config"
)

// httpServer has the settings of `parcours serve` (internal/app/serve.go),
// so that hello world and parcours are served alike.
func httpServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}

// serve listens on a free loopback port and returns the base URL.
func serve(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := httpServer(h)
	go func() { _ = srv.Serve(ln) }()
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}
	return "http://" + ln.Addr().String(), stop, nil
}

// hello is the baseline: the least a Go net/http server can do.
func hello(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("Hello, World!\n"))
}

// parcours is one in-process server, as `parcours serve --demo` runs it.
type parcours struct {
	a    *app.App
	base string
	stop func()
}

// startParcours builds the app on cfg (demo data loaded, job workers
// running) and serves it on a free loopback port.
func startParcours(ctx context.Context, cfg config.Config, log *slog.Logger) (*parcours, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	cfg.Addr = ln.Addr().String()
	cfg.BaseURL = "http://" + cfg.Addr
	cfg.Demo = true
	if err := cfg.Validate(); err != nil {
		ln.Close()
		return nil, err
	}
	a, err := app.New(ctx, cfg, app.Options{Log: log, Work: true})
	if err != nil {
		ln.Close()
		return nil, err
	}
	if _, err := app.LoadDemo(ctx, a); err != nil {
		ln.Close()
		a.Close()
		return nil, fmt.Errorf("demo data: %w", err)
	}
	jobCtx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	if err := a.Jobs.Start(jobCtx); err != nil {
		stopJobs()
		ln.Close()
		a.Close()
		return nil, err
	}
	a.SetReady(true)
	srv := httpServer(a.Handler)
	go func() { _ = srv.Serve(ln) }()
	p := &parcours{a: a, base: cfg.BaseURL}
	p.stop = func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		a.SetReady(false)
		_ = srv.Shutdown(sctx)
		_ = a.Jobs.Stop(sctx)
		stopJobs()
		_ = a.Close()
	}
	return p, nil
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// withDB replaces the database of a PostgreSQL URL.
func withDB(u, name string) (string, error) {
	p, err := url.Parse(u)
	if err != nil {
		return "", err
	}
	p.Path = "/" + name
	return p.String(), nil
}

// freshPostgres creates an empty database on the server of serverURL and
// returns its URL and a function that drops it.
func freshPostgres(ctx context.Context, serverURL string) (string, func(), error) {
	if err := checkLoopback(serverURL); err != nil {
		return "", nil, err
	}
	admin, err := sql.Open("pgx", serverURL)
	if err != nil {
		return "", nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := admin.PingContext(pctx); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("postgres: %w", err)
	}
	name := "parcours_bench_" + randHex(6)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return "", nil, err
	}
	u, err := withDB(serverURL, name)
	if err != nil {
		admin.Close()
		return "", nil, err
	}
	drop := func() {
		dctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(dctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			fmt.Fprintf(os.Stderr, "load: drop database %s: %v\n", name, err)
		}
		admin.Close()
	}
	return u, drop, nil
}

func appLogger(o options) (*slog.Logger, func(), error) {
	var w io.Writer = io.Discard
	closeFn := func() {}
	if o.logPath != "" {
		f, err := os.Create(o.logPath)
		if err != nil {
			return nil, nil, err
		}
		w, closeFn = f, func() { f.Close() }
	}
	// As `parcours serve` logs by default: text, level info, one line a request.
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo})), closeFn, nil
}

// runInProcess measures hello world and parcours on SQLite (and
// PostgreSQL), all in this process. Other engineers' work on the same
// cores comes and goes, so the targets are measured in rounds, hello world
// in every round, and the ratio to hello world is taken round by round
// (both under the same noise), then its median.
func runInProcess(ctx context.Context, o options) error {
	out := os.Stdout
	machine(out)
	fmt.Fprintf(out, "closed loop: %d clients, %s warm-up + %s per target and round, %d round(s) (hello world in every round), gzip=%v, client and servers in this process\n\n",
		o.conc, o.warmup, o.duration, o.rounds, o.gzip)
	log, closeLog, err := appLogger(o)
	if err != nil {
		return err
	}
	defer closeLog()
	helloBase, stopHello, err := serve(http.HandlerFunc(hello))
	if err != nil {
		return err
	}
	defer stopHello()

	engines := []string{"sqlite"}
	if o.postgres != "" {
		engines = append(engines, "postgres")
	}
	if !o.wants("public") && !o.wants("staff") {
		engines = []string{"-"}
	}
	var all []result
	for _, engine := range engines {
		rs, err := inProcessEngine(ctx, o, engine, helloBase, log)
		if err != nil {
			return fmt.Errorf("%s: %w", engine, err)
		}
		all = append(all, rs...)
	}
	printSummary(out, o, all)
	return nil
}

// inProcessEngine starts parcours on one engine and measures its pages
// and hello world in o.rounds rounds.
func inProcessEngine(ctx context.Context, o options, engine, helloBase string, log *slog.Logger) ([]result, error) {
	targets := map[string]target{}
	if o.wants("hello") {
		targets["hello"] = target{name: "hello", engine: engine, url: helloBase + "/"}
	}
	if engine != "-" {
		cfg := config.Default()
		dir, err := os.MkdirTemp("", "parcours-load-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		cfg.DataDir = dir
		if engine == "postgres" {
			u, drop, err := freshPostgres(ctx, o.postgres)
			if err != nil {
				return nil, err
			}
			defer drop()
			cfg.DatabaseURL = u
			cfg.SecretKeyHex = randHex(32)
		}
		t0 := time.Now()
		p, err := startParcours(ctx, cfg, log)
		if err != nil {
			return nil, err
		}
		defer p.stop()
		fmt.Fprintf(os.Stderr, "parcours on %s ready in %s (migrations + demo data)\n", engine, time.Since(t0).Round(time.Millisecond))
		if o.wants("public") {
			targets["public"] = target{name: "public", engine: engine, url: p.base + "/fr/", cookie: "parcours_lang=fr"}
		}
		if o.wants("staff") {
			cookie, err := signIn(ctx, p.base)
			if err != nil {
				return nil, err
			}
			targets["staff"] = target{name: "staff", engine: engine, url: p.base + "/fr/staff", cookie: cookie}
		}
	}
	order := []string{"hello", "public", "staff"}
	rounds := map[string][]result{}
	for round := 1; round <= o.rounds; round++ {
		for _, name := range order {
			t, ok := targets[name]
			if !ok {
				continue
			}
			runtime.GC()
			r, err := measure(ctx, o, t)
			if err != nil {
				return nil, err
			}
			rounds[name] = append(rounds[name], r)
			// With -markdown the rows come at the end; the rounds go to stderr.
			w := io.Writer(os.Stdout)
			if o.markdown {
				w = os.Stderr
			}
			fmt.Fprintf(w, "round %d/%d  ", round, o.rounds)
			printResult(w, r)
		}
	}
	var out []result
	for _, name := range order {
		rs := rounds[name]
		if len(rs) == 0 {
			continue
		}
		m := merge(rs)
		if h := rounds["hello"]; name != "hello" && len(h) == len(rs) {
			var ratios []float64
			for i := range rs {
				if h[i].RPS() > 0 {
					ratios = append(ratios, rs[i].RPS()/h[i].RPS())
				}
			}
			if len(ratios) > 0 {
				slices.Sort(ratios)
				m.Ratio = ratios[len(ratios)/2]
				if len(ratios)%2 == 0 {
					m.Ratio = (ratios[len(ratios)/2-1] + ratios[len(ratios)/2]) / 2
				}
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// runURL measures an already running parcours (started with --demo).
func runURL(ctx context.Context, o options) error {
	base := strings.TrimRight(o.url, "/")
	if err := checkLoopback(base); err != nil {
		return err
	}
	out := os.Stdout
	machine(out)
	fmt.Fprintf(out, "closed loop: %d clients, %s warm-up + %s per target, gzip=%v, server %s (another process)\n\n",
		o.conc, o.warmup, o.duration, o.gzip, base)
	var results []result
	for _, name := range []string{"public", "staff"} {
		if !o.wants(name) {
			continue
		}
		t := target{name: name, engine: "external", url: base + "/fr/", cookie: "parcours_lang=fr"}
		if name == "staff" {
			cookie, err := signIn(ctx, base)
			if err != nil {
				return err
			}
			t.url, t.cookie = base+"/fr/staff", cookie
		}
		r, err := measure(ctx, o, t)
		if err != nil {
			return err
		}
		results = append(results, r)
		if !o.markdown {
			printResult(out, r)
		}
	}
	printSummary(out, o, results)
	return nil
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000)
}

func label(r result) string {
	switch r.Name {
	case "hello":
		return "hello world (net/http)"
	case "public":
		return "public home GET /fr/"
	case "staff":
		return "staff home GET /fr/staff"
	}
	return r.Name
}

func printResult(w io.Writer, r result) {
	fmt.Fprintf(w, "%-26s %-8s c=%-3d %9.0f req/s  p50 %9s  p99 %9s  max %9s  errors %d/%d  %6d B/resp  load %s -> %s, others %.0f %% CPU\n",
		label(r), r.Engine, r.Conc, r.RPS(), ms(r.P50), ms(r.P99), ms(r.Max), r.Errors, r.Requests, r.Bytes, r.LoadFrom, r.LoadTo, r.Others)
	if r.FirstErr != "" {
		fmt.Fprintf(w, "    first error: %s\n", r.FirstErr)
	}
}

func others(r result) string {
	if r.Rounds > 1 {
		return fmt.Sprintf("%.0f %% (%.0f-%.0f)", r.Others, r.OthersMin, r.OthersMax)
	}
	return fmt.Sprintf("%.0f %%", r.Others)
}

func ratio(r result) string {
	switch {
	case r.Name == "hello":
		return "100 %"
	case r.Ratio == 0:
		return "-"
	}
	return fmt.Sprintf("%.1f %%", 100*r.Ratio)
}

// printSummary prints the merged results, the ratios to hello world and
// the verdict on the throughput target.
func printSummary(w io.Writer, o options, rs []result) {
	if o.markdown {
		fmt.Fprintf(w, "| target | engine | rounds | clients | req/s | p50 | p99 | errors | %% of hello world (median of rounds) | load (1 min) before -> after | CPU used by others (mean, min-max) |\n")
		fmt.Fprintf(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|\n")
		for _, r := range rs {
			fmt.Fprintf(w, "| %s | %s | %d | %d | %.0f | %s | %s | %d / %d | %s | %s -> %s | %s |\n",
				label(r), r.Engine, max(r.Rounds, 1), r.Conc, r.RPS(), ms(r.P50), ms(r.P99), r.Errors, r.Requests, ratio(r), r.LoadFrom, r.LoadTo, others(r))
		}
		return
	}
	fmt.Fprintln(w, "\nall rounds together:")
	for _, r := range rs {
		printResult(w, r)
	}
	fmt.Fprintln(w)
	for _, r := range rs {
		if r.Name == "hello" || r.Ratio == 0 {
			continue
		}
		verdict := ""
		if r.Name == "public" {
			verdict = "  (target >= 25 %: not met)"
			if r.Ratio >= 0.25 {
				verdict = "  (target >= 25 %: met)"
			}
		}
		fmt.Fprintf(w, "%s on %s / hello world: %s (median of %d paired rounds)%s\n", label(r), r.Engine, ratio(r), r.Rounds, verdict)
	}
}

var errNoHealth = errors.New("no /healthz 200")
