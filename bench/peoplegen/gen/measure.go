package gen

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"parcours/bench/internal/benchkit"
	"slices"
	"strings"
	"time"

	"parcours/internal/app"
	"parcours/internal/people"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/testkit"
)

// Bench is a signed-in measured worker on a generated database.
type Bench struct {
	A         *app.App
	Cookie    string
	Principal *auth.Principal
	Caseload  []string // person IDs of the worker's files
}

// SignIn signs the measured worker (sw01@bench.invalid) in through the real
// pages (password, then the code at the app's clock), and loads the caseload.
func SignIn(ctx context.Context, a *app.App) (*Bench, error) {
	var u auth.User
	if err := a.DB.R.NewSelect().Model(&u).Where("email = ?", "sw01@bench.invalid").Order("created_at DESC").Limit(1).Scan(ctx); err != nil {
		return nil, fmt.Errorf("no generated database here (sw01@bench.invalid): %w", err)
	}
	jar := map[string]string{}
	do := func(path string, form url.Values) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Cookie", cookieHeader(jar))
		rec := httptest.NewRecorder()
		a.Handler.ServeHTTP(rec, req)
		for _, c := range rec.Result().Cookies() {
			jar[c.Name] = c.Value
		}
		return rec
	}
	if r := do("/fr/login", url.Values{"email": {u.Email}, "password": {Password}}); r.Code != http.StatusSeeOther {
		return nil, fmt.Errorf("sign-in: %d", r.Code)
	}
	for try := 0; ; try++ {
		code, err := testkit.TOTPCode(TOTPSecret, a.Clock.Now())
		if err != nil {
			return nil, err
		}
		r := do("/fr/login/totp", url.Values{"code": {code}})
		if r.Code == http.StatusSeeOther && !strings.Contains(r.Header().Get("Location"), "/login") {
			break
		}
		if try > 0 || r.Code != http.StatusUnprocessableEntity {
			return nil, fmt.Errorf("code: %d %s", r.Code, r.Header().Get("Location"))
		}
		// A code is accepted once: a run just before used it; wait for the next one.
		time.Sleep(time.Until(a.Clock.Now().Truncate(30 * time.Second).Add(31 * time.Second)))
	}
	ms, err := auth.MembershipsOf(ctx, a.DB.R, u.OrgID, u.ID)
	if err != nil {
		return nil, err
	}
	b := &Bench{A: a, Cookie: cookieHeader(jar), Principal: &auth.Principal{UserID: u.ID, OrgID: u.OrgID, Email: u.Email, Memberships: ms}}
	if err := a.DB.R.NewSelect().Table("persons").Column("id").Where("org_id = ? AND referent_id = ?", u.OrgID, u.ID).
		Limit(5000).Scan(ctx, &b.Caseload); err != nil {
		return nil, err
	}
	if len(b.Caseload) == 0 {
		return nil, fmt.Errorf("the measured worker follows no file")
	}
	return b, nil
}

func cookieHeader(jar map[string]string) string {
	var parts []string
	for k, v := range jar {
		parts = append(parts, k+"="+v)
	}
	slices.Sort(parts)
	return strings.Join(parts, "; ")
}

// Get serves one page through the whole handler and checks it is a 200.
func (b *Bench) Get(path string) error {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Cookie", b.Cookie)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	b.A.Handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		return fmt.Errorf("GET %s: %d %s", path, rec.Code, rec.Header().Get("Location"))
	}
	return nil
}

// Target is one measured operation.
type Target struct {
	Name string
	Run  func(rng *rand.Rand) error
}

// Targets are what the targets are about: a person's page, the
// worklists, the duplicate check on create, and the type-ahead search.
func (b *Bench) Targets(ctx context.Context) []Target {
	ctx = auth.WithPrincipal(ctx, b.Principal)
	return []Target{
		{"person page", func(rng *rand.Rand) error { return b.Get("/fr/people/" + b.Caseload[rng.IntN(len(b.Caseload))]) }},
		{"worklists", func(*rand.Rand) error { return b.Get("/fr/worklists") }},
		{"duplicate check", func(rng *rand.Rand) error {
			g, f := givenNames[rng.IntN(len(givenNames))], familyNames[rng.IntN(len(familyNames))]
			_, err := b.A.People.Duplicates(ctx, b.Principal, people.Input{GivenLatin: benchkit.LatinOf(g, rng), FamilyLatin: benchkit.LatinOf(f, rng),
				BirthYear: 1950 + rng.IntN(58)}, "")
			return err
		}},
		{"search (type-ahead)", func(rng *rand.Rand) error {
			g := benchkit.LatinOf(givenNames[rng.IntN(len(givenNames))], rng)
			return b.Get("/fr/people?q=" + url.QueryEscape(g[:min(4, len(g))]))
		}},
	}
}

// Measure signs in and runs each target n times, one request at a time,
// and writes a Markdown table of the latencies to w, row by row.
func Measure(ctx context.Context, a *app.App, n int, w io.Writer) error {
	b, err := SignIn(ctx, a)
	if err != nil {
		return err
	}
	var persons, steps int
	if err := a.DB.R.NewRaw("SELECT COUNT(*) FROM persons").Scan(ctx, &persons); err != nil {
		return err
	}
	if err := a.DB.R.NewRaw("SELECT COUNT(*) FROM pathway_steps").Scan(ctx, &steps); err != nil {
		return err
	}
	sb := w
	fmt.Fprintf(sb, "%s, %d persons, %d steps, %d requests per target (after 20 warm-up)\n\n", a.DB.Engine, persons, steps, n)
	fmt.Fprintln(sb, "| target | p50 | p95 | p99 | max |")
	fmt.Fprintln(sb, "|---|---:|---:|---:|---:|")
	rng := rand.New(rand.NewPCG(7, 11))
	for _, t := range b.Targets(ctx) {
		ds, err := benchkit.Time(20, n, func() error { return t.Run(rng) })
		if err != nil {
			return err
		}
		fmt.Fprintf(sb, "| %s | %s | %s | %s | %s |\n", t.Name, benchkit.Ms(benchkit.Pct(ds, 50)), benchkit.Ms(benchkit.Pct(ds, 95)), benchkit.Ms(benchkit.Pct(ds, 99)), benchkit.Ms(ds[len(ds)-1]))
	}
	return nil
}
