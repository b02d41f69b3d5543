package testkit

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/app"
	"parcours/internal/org"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/config"
	"parcours/internal/platform/db"
)

// Start is the fake clock's start: a weekday morning in Paris.
var Start = time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)

// Password is the password of every test user.
const Password = "correct horse battery staple"

// TOTPSecret is the second-factor secret of every test user that needs one.
const TOTPSecret = "JBSWY3DPEHPK3PXPTESTSECRETABCDEF"

// CheapArgon2 keeps password hashing fast in tests (production uses
// auth.DefaultArgon2).
var CheapArgon2 = auth.Argon2{MemoryKiB: 64, Time: 1, Threads: 1}

// World is one test's server on one engine.
type World struct {
	T      testing.TB
	App    *app.App
	DB     *db.DB
	Clock  *clock.Fake
	Server *httptest.Server
}

// Options tune a world.
type Options struct {
	// Configure changes the configuration before the app is built.
	Configure func(*config.Config)
	// Work starts the job workers (for tests of sending and sweeps).
	Work bool
}

// NewWorld builds the app on a fresh database of engine e, served by an
// httptest server.
func NewWorld(t testing.TB, e db.Engine, opts ...Options) *World {
	t.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	d := NewDB(t, e)
	fake := clock.NewFake(Start)
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.BaseURL = "http://parcours.test"
	if o.Configure != nil {
		o.Configure(&cfg)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	a, err := app.New(context.Background(), cfg, app.Options{Clock: fake, Log: log, Argon2: &CheapArgon2,
		Secret: []byte("0123456789abcdef0123456789abcdef"), DB: d, SkipMigrate: true, Work: o.Work, JobPoll: 20 * time.Millisecond})
	if err != nil {
		t.Fatalf("build app: %v", err)
	}
	a.SetReady(true)
	w := &World{T: t, App: a, DB: d, Clock: fake, Server: httptest.NewServer(a.Handler)}
	t.Cleanup(w.Server.Close)
	if o.Work {
		ctx, cancel := context.WithCancel(context.Background())
		if err := a.Jobs.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer scancel()
			_ = a.Jobs.Stop(sctx)
			cancel()
		})
	}
	return w
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// Org creates a centre.
func (w *World) Org(name string) *org.Org {
	w.T.Helper()
	var o *org.Org
	w.tx(func(ctx context.Context, tx bun.Tx) error {
		var err error
		o, err = org.CreateOrg(ctx, tx, name, "ccas", false, w.Clock.Now())
		return err
	})
	if err := w.App.SetUpOrg(context.Background(), o.ID); err != nil {
		w.T.Fatal(err)
	}
	return o
}

// Site creates a site of a centre.
func (w *World) Site(o *org.Org, name, kind string) *org.Site {
	w.T.Helper()
	now := w.Clock.Now()
	s := &org.Site{ID: db.NewID(), OrgID: o.ID, Name: name, Kind: kind, City: "Paris", PostalCode: "75012", CreatedAt: now, UpdatedAt: now}
	w.tx(func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewInsert().Model(s).Exec(ctx)
		return err
	})
	return s
}

// User creates an account with Password (and TOTPSecret when a role needs
// a second factor).
func (w *World) User(o *org.Org, email string, ms ...auth.Membership) *auth.User {
	w.T.Helper()
	var u *auth.User
	nu := auth.NewUser{OrgID: o.ID, Email: email, Name: strings.Split(email, "@")[0], Password: Password, Memberships: ms}
	if (&auth.Principal{Memberships: ms}).RequiresMFA() {
		nu.TOTPSecret = TOTPSecret
	}
	w.tx(func(ctx context.Context, tx bun.Tx) error {
		var err error
		u, err = w.App.Auth.Provision(ctx, tx, nu)
		return err
	})
	return u
}

func (w *World) tx(fn func(ctx context.Context, tx bun.Tx) error) {
	w.T.Helper()
	if err := w.DB.Tx(context.Background(), fn); err != nil {
		w.T.Fatal(err)
	}
}

// Browser is an HTTP client with cookies, as one person at one desk.
type Browser struct {
	w      *World
	Client *http.Client
}

// Browser returns a client that does not follow redirects (tests look at them).
func (w *World) Browser() *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{w: w, Client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// Response is a read response.
type Response struct {
	Status   int
	Body     string
	Location string
	Header   http.Header
}

// Get fetches a path (with its language prefix, e.g. /fr/staff).
func (b *Browser) Get(path string, header ...string) *Response {
	b.w.T.Helper()
	req, err := http.NewRequest(http.MethodGet, b.w.Server.URL+path, nil)
	if err != nil {
		b.w.T.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return b.do(req)
}

// Post sends a form, as a same-origin browser does.
func (b *Browser) Post(path string, form url.Values) *Response {
	b.w.T.Helper()
	req, err := http.NewRequest(http.MethodPost, b.w.Server.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.w.T.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.w.Server.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

func (b *Browser) do(req *http.Request) *Response {
	b.w.T.Helper()
	resp, err := b.Client.Do(req)
	if err != nil {
		b.w.T.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return &Response{Status: resp.StatusCode, Body: string(body), Location: resp.Header.Get("Location"), Header: resp.Header}
}

// Login signs u in through the real pages (password, then the TOTP code
// when the account has one) and fails the test if it does not end signed in.
func (b *Browser) Login(u *auth.User) *Browser {
	b.w.T.Helper()
	r := b.Post("/fr/login", url.Values{"email": {u.Email}, "password": {Password}})
	if r.Status != http.StatusSeeOther {
		b.w.T.Fatalf("login %s: status %d", u.Email, r.Status)
	}
	if strings.Contains(r.Location, "/login/totp") {
		// A code is accepted once: move to the next 30-second step.
		b.w.Clock.Advance(31 * time.Second)
		code := b.w.Code()
		r = b.Post("/fr/login/totp", url.Values{"code": {code}})
		if r.Status != http.StatusSeeOther || strings.Contains(r.Location, "/login") {
			b.w.T.Fatalf("totp %s: status %d to %s", u.Email, r.Status, r.Location)
		}
	}
	return b
}

// Code is the current TOTP code of TOTPSecret at the fake clock.
func (w *World) Code() string {
	w.T.Helper()
	c, err := TOTPCode(TOTPSecret, w.Clock.Now())
	if err != nil {
		w.T.Fatal(err)
	}
	return c
}

var nextRe = regexp.MustCompile(`name="next" value="([^"]*)"`)

// NextField returns the hidden "next" value of a sign-in page (tests of redirects).
func NextField(body string) string {
	m := nextRe.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}
