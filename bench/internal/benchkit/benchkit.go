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
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/app"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/config"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
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

// SignIn signs a generated account in through the real pages (password,
// then the code at the app's clock) and returns its cookie header and
// principal.
func SignIn(ctx context.Context, a *app.App, email string) (string, *auth.Principal, error) {
	var u auth.User
	if err := a.DB.R.NewSelect().Model(&u).Where("email = ?", email).Order("created_at DESC").Limit(1).Scan(ctx); err != nil {
		return "", nil, fmt.Errorf("no generated database here (%s): %w", email, err)
	}
	jar := map[string]string{}
	post := func(path string, form url.Values) *httptest.ResponseRecorder {
		rec := Serve(a, http.MethodPost, path, cookieHeader(jar), form)
		for _, c := range rec.Result().Cookies() {
			jar[c.Name] = c.Value
		}
		return rec
	}
	if r := post("/fr/login", url.Values{"email": {u.Email}, "password": {Password}}); r.Code != http.StatusSeeOther {
		return "", nil, fmt.Errorf("sign-in %s: %d", email, r.Code)
	}
	for try := 0; ; try++ {
		code, err := testkit.TOTPCode(TOTPSecret, a.Clock.Now())
		if err != nil {
			return "", nil, err
		}
		r := post("/fr/login/totp", url.Values{"code": {code}})
		if r.Code == http.StatusSeeOther && !strings.Contains(r.Header().Get("Location"), "/login") {
			break
		}
		if try > 0 || r.Code != http.StatusUnprocessableEntity {
			return "", nil, fmt.Errorf("code %s: %d %s", email, r.Code, r.Header().Get("Location"))
		}
		// A code is accepted once: a run just before used it; wait for the next one.
		time.Sleep(time.Until(a.Clock.Now().Truncate(30 * time.Second).Add(31 * time.Second)))
	}
	ms, err := auth.MembershipsOf(ctx, a.DB.R, u.OrgID, u.ID)
	if err != nil {
		return "", nil, err
	}
	return cookieHeader(jar), &auth.Principal{UserID: u.ID, OrgID: u.OrgID, Email: u.Email, Memberships: ms}, nil
}

// Serve runs one request through the whole handler (gzip, middlewares);
// a form is posted as a same-origin browser posts it.
func Serve(a *app.App, method, path, cookie string, form url.Values) *httptest.ResponseRecorder {
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	req.Header.Set("Cookie", cookie)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	a.Handler.ServeHTTP(rec, req)
	return rec
}

func cookieHeader(jar map[string]string) string {
	var parts []string
	for k, v := range jar {
		parts = append(parts, k+"="+v)
	}
	slices.Sort(parts)
	return strings.Join(parts, "; ")
}
