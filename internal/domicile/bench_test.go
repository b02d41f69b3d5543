package domicile_test

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"parcours/bench/domgen/gen"
	"parcours/internal/platform/testkit"
)

// BenchmarkDomiciliation measures, on each engine, the targets of issue 4
// on a generated centre (bench/domgen's generator and targets): the desk's
// search by a misspelled name (one site, and every site), a batch intake of
// 1,000 mail items, the "no contact for 3 months" worklist (one site, every
// site) and the annual report (page and XLSX), each through the whole
// handler. Besides ns/op it reports the 95th percentile (p95-ms). The
// counts are small by default (PARCOURS_BENCH_FILES files over 4 sites,
// half of them at the measured site, 50 mail rows per file); the figures
// at 100,000 files and 20 million mail rows come from bench/domgen (see
// docs/PERFORMANCE.md, "Domiciliation").
//
//	go test ./internal/domicile -run '^$' -bench Domiciliation -benchtime 50x
func BenchmarkDomiciliation(b *testing.B) {
	files := 2000
	if v, err := strconv.Atoi(os.Getenv("PARCOURS_BENCH_FILES")); err == nil && v > 0 {
		files = v
	}
	for _, e := range testkit.Engines(b) {
		b.Run(string(e), func(b *testing.B) {
			ctx := context.Background()
			w := testkit.NewWorld(b, e)
			if _, err := gen.Generate(ctx, w.DB, w.App.Auth, gen.Options{Files: files, Mail: 50 * files, Sites: 4, FirstSite: files / 2,
				Seed: 3, Now: w.Clock.Now()}); err != nil {
				b.Fatal(err)
			}
			// As bench/domgen does (and, on SQLite, the nightly PRAGMA
			// optimize; on PostgreSQL, autovacuum).
			if _, err := w.DB.W.ExecContext(ctx, "ANALYZE"); err != nil {
				b.Fatal(err)
			}
			w.Clock.Advance(31 * time.Second)
			reception, err := gen.SignIn(ctx, w.App, gen.Reception)
			if err != nil {
				b.Fatal(err)
			}
			direction, err := gen.SignIn(ctx, w.App, gen.Direction)
			if err != nil {
				b.Fatal(err)
			}
			targets, err := gen.Targets(ctx, w.App, reception, direction)
			if err != nil {
				b.Fatal(err)
			}
			for _, t := range targets {
				b.Run(t.Key, func(b *testing.B) {
					rng := rand.New(rand.NewPCG(1, 2))
					var ds []time.Duration
					b.ReportAllocs()
					for b.Loop() {
						start := time.Now()
						if err := t.Run(rng); err != nil {
							b.Fatal(err)
						}
						ds = append(ds, time.Since(start))
					}
					slices.Sort(ds)
					p95 := ds[min(len(ds)-1, len(ds)*95/100)]
					b.ReportMetric(float64(p95.Microseconds())/1000, "p95-ms")
				})
			}
		})
	}
}
