package gen

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"parcours/bench/internal/benchkit"

	"parcours/internal/app"
	"parcours/internal/people"
	"parcours/internal/platform/auth"
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
	cookie, p, err := benchkit.SignIn(ctx, a, "sw01@bench.invalid")
	if err != nil {
		return nil, err
	}
	b := &Bench{A: a, Cookie: cookie, Principal: p}
	if err := a.DB.R.NewSelect().Table("persons").Column("id").Where("org_id = ? AND referent_id = ?", p.OrgID, p.UserID).
		Limit(5000).Scan(ctx, &b.Caseload); err != nil {
		return nil, err
	}
	if len(b.Caseload) == 0 {
		return nil, fmt.Errorf("the measured worker follows no file")
	}
	return b, nil
}

// Get serves one page through the whole handler and checks it is a 200.
func (b *Bench) Get(path string) error {
	if rec := benchkit.Serve(b.A, http.MethodGet, path, b.Cookie, nil); rec.Code != http.StatusOK {
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
