// Command shots starts parcours in demo mode on a temporary SQLite database
// (in this process, on loopback), signs in as the demo administrator in a
// headless Chromium, and captures the main screens as PNGs, on a phone
// (360x800) and a laptop (1366x768), in French and Arabic. It also runs
// axe-core on every capture and writes what it finds to DIR/axe.txt.
//
//	go run ./tools/shots -out /tmp/shots
//
// Needs Chromium (/usr/bin/chromium, or PARCOURS_CHROMIUM).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"parcours/internal/app"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/config"
	"parcours/internal/platform/testkit"
)

type size struct{ w, h int }

func main() {
	out := flag.String("out", "", "directory to write the PNGs to (created)")
	langs := flag.String("langs", "fr,ar", "languages, comma-separated")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: go run ./tools/shots -out DIR [-langs fr,ar]")
		os.Exit(2)
	}
	n, violations, err := run(*out, strings.Split(*langs, ","))
	if err != nil {
		fmt.Fprintf(os.Stderr, "shots: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("%d screenshots in %s; axe-core: %d violation(s) (see %s)\n", n, *out, violations, filepath.Join(*out, "axe.txt"))
}

// fatal is what tool.Fatalf panics with; run recovers it.
type fatal struct{ msg string }

// tool lets the testkit's browser helpers run outside a test.
type tool struct{}

func (tool) Helper()                        {}
func (tool) Logf(format string, a ...any)   { fmt.Fprintf(os.Stderr, format+"\n", a...) }
func (tool) Fatalf(format string, a ...any) { panic(fatal{fmt.Sprintf(format, a...)}) }

func run(out string, langs []string) (shots, violations int, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, ok := r.(fatal)
			if !ok {
				panic(r)
			}
			err = errors.New(f.msg)
		}
	}()
	if err := os.MkdirAll(out, 0o755); err != nil {
		return 0, 0, err
	}
	ctx := context.Background()
	data, err := os.MkdirTemp("", "parcours-shots-")
	if err != nil {
		return 0, 0, err
	}
	defer os.RemoveAll(data)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, 0, err
	}
	base := "http://" + ln.Addr().String()
	cfg := config.Default()
	cfg.DataDir, cfg.Demo, cfg.BaseURL, cfg.Addr = data, true, base, ln.Addr().String()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.New(ctx, cfg, app.Options{Log: log, Argon2: &auth.Argon2{MemoryKiB: 64, Time: 1, Threads: 1}})
	if err != nil {
		return 0, 0, err
	}
	defer a.Close()
	if _, err := app.LoadDemo(ctx, a); err != nil {
		return 0, 0, fmt.Errorf("demo data: %w", err)
	}
	a.SetReady(true)
	srv := &http.Server{Handler: a.Handler, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	c, err := testkit.LaunchChrome(base)
	if err != nil {
		return 0, 0, err
	}
	defer c.Close()

	t := tool{}
	var report strings.Builder
	sizes := []size{{360, 800}, {1366, 768}}
	capture := func(name, lang string) {
		for _, s := range sizes {
			file, err := c.ScreenshotTo(t, out, lang+"-"+name, s.w, s.h)
			if err != nil {
				t.Fatalf("screenshot %s: %v", name, err)
			}
			shots++
			// axe at this size (target sizes and contrast depend on the layout).
			c.Viewport(t, s.w, s.h)
			r := c.Axe(t)
			c.Viewport(t, testkit.DefaultWidth, testkit.DefaultHeight)
			fmt.Fprintf(&report, "%s: %d violation(s)%s\n", filepath.Base(file), len(r.Violations), testkit.FormatAxe(r.Violations))
			violations += len(r.Violations)
		}
	}
	open := func(path string) {
		if st := c.Open(t, path); st != http.StatusOK {
			t.Fatalf("%s: status %d", path, st)
		}
	}

	// Signed out.
	for _, l := range langs {
		open("/" + l + "/")
		capture("01-public-home", l)
		open("/" + l + "/login")
		capture("02-sign-in", l)
	}

	// Password, then the code page (captured in every language while the
	// sign-in is pending), then the code.
	open("/fr/login")
	c.Submit(t, `main form[action="/fr/login"] button[type=submit]`, "#f-email", "admin@demo.invalid", "#f-password", app.DemoPassword)
	for _, l := range langs {
		open("/" + l + "/login/totp")
		capture("03-totp", l)
	}
	open("/fr/login/totp")
	code, err := testkit.TOTPCode(app.DemoTOTPSecret, time.Now())
	if err != nil {
		return shots, violations, err
	}
	c.Submit(t, `main form[action="/fr/login/totp"] button[type=submit]`, "#f-code", code)
	if p := c.Path(t); p != "/fr/staff" {
		t.Fatalf("sign-in did not reach the staff home (at %s)", p)
	}

	// A new user (an invitation in the outbox, entries in the audit trail).
	open("/fr/admin/users/new")
	c.Fill(t, "#f-name", "Hawa Camara")
	c.Fill(t, "#f-email", "hawa.camara@demo.invalid")
	c.Select(t, `tbody tr:first-child select[name=role]`, string(auth.ReceptionAgent))
	var site string
	c.Eval(t, `document.querySelector("tbody tr:first-child select[name=site] option:nth-child(2)").value`, &site)
	c.Select(t, `tbody tr:first-child select[name=site]`, site)
	c.Follow(t, `main form.panel .actions button[type=submit]`)
	capture("09-user-created", "fr")
	userPath := strings.TrimPrefix(c.Path(t), "/fr")

	var sitePath string
	open("/fr/admin/sites")
	c.Eval(t, `new URL(document.querySelector("#site-rows a").href).pathname.replace(/^\/fr/, "")`, &sitePath)

	screens := []struct{ name, path string }{
		{"04-staff-home", "/staff"},
		{"05-sites", "/admin/sites"},
		{"06-site", sitePath},
		{"07-site-form", "/admin/sites/new"},
		{"08-users", "/admin/users"},
		{"09-user", userPath},
		{"10-user-form", "/admin/users/new"},
		{"12-audit", "/admin/audit"},
		{"13-outbox", "/admin/outbox"},
		{"14-account", "/account"},
	}
	for _, l := range langs {
		for _, s := range screens {
			open("/" + l + s.path)
			capture(s.name, l)
		}
		// The user form refused (field errors, 422).
		open("/" + l + "/admin/users/new")
		c.Follow(t, `main form.panel .actions button[type=submit]`)
		capture("11-user-form-errors", l)
		// The menus open, on the staff home.
		open("/" + l + "/staff")
		c.Click(t, "header.top details.langs > summary")
		capture("15-menu-languages", l)
		c.Click(t, "header.top details.usermenu > summary")
		capture("16-menu-user", l)
	}
	if err := os.WriteFile(filepath.Join(out, "axe.txt"), []byte(report.String()), 0o644); err != nil {
		return shots, violations, err
	}
	return shots, violations, nil
}
