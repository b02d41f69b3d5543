package gen

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"parcours/bench/internal/benchkit"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"

	"parcours/internal/app"
	"parcours/internal/domicile"
	"parcours/internal/people"
	"parcours/internal/platform/auth"
)

// Agent is a signed-in account of a generated database.
type Agent struct {
	A         *app.App
	Cookie    string
	Principal *auth.Principal
}

// SignIn signs a generated account in through the real pages (password,
// then the code at the app's clock).
func SignIn(ctx context.Context, a *app.App, email string) (*Agent, error) {
	cookie, p, err := benchkit.SignIn(ctx, a, email)
	if err != nil {
		return nil, err
	}
	return &Agent{A: a, Cookie: cookie, Principal: p}, nil
}

// Get serves a page and checks it is a 200.
func (g *Agent) Get(path string) error {
	if rec := benchkit.Serve(g.A, http.MethodGet, path, g.Cookie, nil); rec.Code != http.StatusOK {
		return fmt.Errorf("GET %s: %d %s", path, rec.Code, rec.Header().Get("Location"))
	}
	return nil
}

// Post submits a form and checks it is a redirection (done).
func (g *Agent) Post(path string, form url.Values) error {
	if rec := benchkit.Serve(g.A, http.MethodPost, path, g.Cookie, form); rec.Code != http.StatusSeeOther {
		return fmt.Errorf("POST %s: %d", path, rec.Code)
	}
	return nil
}

// named is a person of the generated files, as typed at the desk.
type named struct{ given, family string }

// Misspell writes a name another way, as someone spelling it out at the
// desk would: another spelling of each word when there is one (Mouhamed
// for Mohamed, Traore for Traoré), lower case, family name first half of
// the time.
func Misspell(given, family string, rng *rand.Rand) string {
	other := func(w string, lists [][]string) string {
		for _, vs := range lists {
			if !slices.Contains(vs, w) {
				continue
			}
			var alt []string
			for _, v := range vs {
				if v != w && benchkit.IsLatin(v) {
					alt = append(alt, v)
				}
			}
			if len(alt) > 0 {
				return alt[rng.IntN(len(alt))]
			}
		}
		return w
	}
	g, f := other(given, givenNames), other(family, familyNames)
	if g == given && f == family {
		// A name with one spelling only (Jean, Fofana): a vowel heard
		// another way (Jaen, Fofena), as long as the desk's name keys
		// read it as the same name (not Cassé for Cissé).
		for range 5 {
			g2, f2 := g, f
			if rng.IntN(2) == 0 {
				g2 = otherVowel(g, rng)
			} else {
				f2 = otherVowel(f, rng)
			}
			if slices.Equal(people.QueryKeys(g2+" "+f2), people.QueryKeys(g+" "+f)) {
				g, f = g2, f2
				break
			}
		}
	}
	if rng.IntN(2) == 0 {
		g, f = f, g
	}
	return strings.ToLower(g + " " + f)
}

// otherVowel changes one vowel after the first letter of w into another
// (a spelling mistake the desk's name keys tolerate: they keep the first
// letter and the consonants).
func otherVowel(w string, rng *rand.Rand) string {
	rs := []rune(w)
	var at []int
	for i := 1; i < len(rs); i++ {
		if strings.ContainsRune("aeiou", rs[i]) {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return w
	}
	i := at[rng.IntN(len(at))]
	vowels := strings.ReplaceAll("aeiou", string(rs[i]), "")
	rs[i] = rune(vowels[rng.IntN(len(vowels))])
	return string(rs)
}

// Target is one measured operation.
type Target struct {
	Name string
	Key  string // short name, for go test -bench
	N    int    // runs (0: the default)
	Run  func(rng *rand.Rand) error
}

// Targets are the targets: a misspelled-name search, a batch of
// 1,000 mail items, the three-month worklist, the annual report.
func Targets(ctx context.Context, a *app.App, reception, direction *Agent) ([]Target, error) {
	site := reception.Principal.Memberships[0].SiteID
	var ns []struct {
		Given  string `bun:"given_latin"`
		Family string `bun:"family_latin"`
	}
	// Every person and every file in force of the site, drawn at random
	// by the runs (not the first rows, which the database would have in
	// its cache after the first query).
	if err := a.DB.R.NewSelect().Table("persons").Column("given_latin", "family_latin").
		Where("org_id = ? AND site_id = ?", reception.Principal.OrgID, site).Order("id").Scan(ctx, &ns); err != nil {
		return nil, err
	}
	var covered []int
	today := domicile.Today(a.Clock.Now())
	if err := a.DB.R.NewSelect().Table("dom_files").Column("number").
		Where("org_id = ? AND site_id = ? AND status = 'valid' AND start_on <= ? AND end_on >= ? AND cut_on IS NULL", reception.Principal.OrgID, site, today, today).
		Order("number").Scan(ctx, &covered); err != nil {
		return nil, err
	}
	if len(ns) == 0 || len(covered) == 0 {
		return nil, fmt.Errorf("no file at the reception's site")
	}
	query := func(rng *rand.Rand) string {
		n := ns[rng.IntN(len(ns))]
		return url.QueryEscape(Misspell(n.Given, n.Family, rng))
	}
	// A morning's delivery: 1,000 lines (one item each, or a registered
	// mail notice, or a parcel) for files drawn among those in force.
	batch := func(rng *rand.Rand) url.Values {
		var b strings.Builder
		for range 1000 {
			b.WriteString(strconv.Itoa(covered[rng.IntN(len(covered))]))
			b.WriteString([]string{"", "", "", "", "", "", " r", " c"}[rng.IntN(8)])
			b.WriteByte('\n')
		}
		return url.Values{"site": {site}, "lines": {b.String()}}
	}
	year := strconv.Itoa(today.Year() - 1)
	return []Target{
		{Name: "desk search, misspelled name (reception, 1 site)", Key: "search-desk", Run: func(rng *rand.Rand) error {
			return reception.Get("/fr/domiciliation/mail?q=" + query(rng))
		}},
		{Name: "search, misspelled name (direction, every site)", Key: "search-all", Run: func(rng *rand.Rand) error {
			return direction.Get("/fr/domiciliation/search?q=" + query(rng))
		}},
		// Not a target of the issue: the desk's most frequent search (a
		// card scanned), which opens the file's intake form (the file, its
		// decisions, its last 100 mail items... and an audit entry).
		{Name: "desk: card scanned, the file opens (reception)", Key: "card", Run: func(rng *rand.Rand) error {
			return reception.Get("/fr/domiciliation/mail?q=" + domicile.CardCode(covered[rng.IntN(len(covered))]))
		}},
		// Not a target either: the desk page of a user of every site
		// (today's last intakes of the whole centre).
		{Name: "desk page, today's intakes (direction, every site)", Key: "desk-all", Run: func(*rand.Rand) error {
			return direction.Get("/fr/domiciliation/mail")
		}},
		{Name: "batch intake of 1,000 items (reception)", Key: "batch-1000", N: 20, Run: func(rng *rand.Rand) error {
			return reception.Post("/fr/domiciliation/mail/batch", batch(rng))
		}},
		{Name: "worklist: no contact for 3 months (reception, 1 site)", Key: "silent-site", Run: func(*rand.Rand) error {
			return reception.Get("/fr/domiciliation/worklists/silent")
		}},
		{Name: "worklist: no contact for 3 months (direction, every site)", Key: "silent-all", Run: func(*rand.Rand) error {
			return direction.Get("/fr/domiciliation/worklists/silent")
		}},
		{Name: "annual report " + year + " (direction, every site)", Key: "report", N: 20, Run: func(*rand.Rand) error {
			return direction.Get("/fr/domiciliation/report?year=" + year)
		}},
		{Name: "annual report " + year + " as XLSX (direction)", Key: "report-xlsx", N: 10, Run: func(*rand.Rand) error {
			return direction.Get("/fr/domiciliation/report.xlsx?year=" + year)
		}},
	}, nil
}

// Recall is the share of misspelled names whose file the desk search
// finds (checked apart from the timings).
func Recall(ctx context.Context, a *app.App, reception *Agent, n int) (float64, error) {
	ctx = auth.WithPrincipal(ctx, reception.Principal)
	var fs []struct {
		Number int    `bun:"number"`
		Given  string `bun:"given_latin"`
		Family string `bun:"family_latin"`
	}
	if err := a.DB.R.NewSelect().TableExpr("dom_files AS f").Join("JOIN persons AS p ON p.id = f.person_id").
		ColumnExpr("f.number, p.given_latin, p.family_latin").
		Where("f.org_id = ? AND f.site_id = ?", reception.Principal.OrgID, reception.Principal.Memberships[0].SiteID).
		Order("f.number").Scan(ctx, &fs); err != nil {
		return 0, err
	}
	rng := rand.New(rand.NewPCG(3, 5))
	rng.Shuffle(len(fs), func(i, j int) { fs[i], fs[j] = fs[j], fs[i] })
	fs = fs[:min(n, len(fs))]
	found := 0
	for _, f := range fs {
		es, err := a.Domicile.Find(ctx, reception.Principal, Misspell(f.Given, f.Family, rng), 50)
		if err != nil {
			return 0, err
		}
		if slices.ContainsFunc(es, func(e domicile.Entry) bool { return e.File.Number == f.Number }) {
			found++
		}
	}
	return float64(found) / float64(max(1, len(fs))), nil
}

// MeasureOptions tune a measurement.
type MeasureOptions struct {
	N          int    // runs per target (targets with their own N keep it)
	Only       string // only the targets whose Key contains this
	CPUProfile string // file for a CPU profile of the measured runs
}

// Measure signs in, runs each target o.N times (after 5 runs of warm-up),
// one request at a time, and writes a Markdown table of the latencies to
// w, with the machine's load average before and after each target. The
// row counts and the search's recall are read after the timings, so that
// their full scans do not warm the database's cache for them.
func Measure(ctx context.Context, a *app.App, o MeasureOptions, w io.Writer) error {
	reception, err := SignIn(ctx, a, Reception)
	if err != nil {
		return err
	}
	direction, err := SignIn(ctx, a, Direction)
	if err != nil {
		return err
	}
	targets, err := Targets(ctx, a, reception, direction)
	if err != nil {
		return err
	}
	var rows []string
	if o.CPUProfile != "" {
		f, err := os.Create(o.CPUProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	rng := rand.New(rand.NewPCG(7, 11))
	for _, t := range targets {
		if !strings.Contains(t.Key, o.Only) {
			continue
		}
		runs := o.N
		if t.N > 0 {
			runs = t.N
		}
		load := loadAvg()
		ds, err := benchkit.Time(min(runs, 5), runs, func() error { return t.Run(rng) })
		if err != nil {
			return err
		}
		row := fmt.Sprintf("| %s | %d | %s | %s | %s | %s -> %s |", t.Name, runs, benchkit.Ms(benchkit.Pct(ds, 50)), benchkit.Ms(benchkit.Pct(ds, 95)), benchkit.Ms(ds[len(ds)-1]), load, loadAvg())
		fmt.Fprintln(os.Stderr, row)
		rows = append(rows, row)
	}
	if o.CPUProfile != "" {
		pprof.StopCPUProfile()
	}
	var files, mail, persons int
	for table, dst := range map[string]*int{"dom_files": &files, "dom_mail": &mail, "persons": &persons} {
		if err := a.DB.R.NewRaw("SELECT COUNT(*) FROM "+table).Scan(ctx, dst); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "%s, %d files, %d persons, %d mail rows", a.DB.Engine, files, persons, mail)
	if o.Only == "" {
		recall, err := Recall(ctx, a, reception, 500)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "; misspelled names found by the desk search: %.1f %%", 100*recall)
	}
	fmt.Fprint(w, "\n\n| target | runs | p50 | p95 | max | load (1 min) |\n|---|---:|---:|---:|---:|---|\n")
	for _, r := range rows {
		fmt.Fprintln(w, r)
	}
	return nil
}

// loadAvg is the machine's 1-minute load average ("?" if unknown).
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}
