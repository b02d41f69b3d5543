package pathway_test

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"parcours/bench/peoplegen/gen"
	"parcours/internal/platform/testkit"
)

// BenchmarkPeopleAndPathway measures, on each engine, the targets of issue
// 5 on a generated centre: a person's page, the worklists, the duplicate
// check on create and the type-ahead search, through the whole handler.
// Besides ns/op it reports the 95th percentile (p95-ms). The counts are
// small by default (PARCOURS_BENCH_PERSONS, 5 steps per person); the
// figures at 1 million persons come from bench/peoplegen (see
// docs/PERFORMANCE.md).
//
//	go test ./internal/pathway -run '^$' -bench PeopleAndPathway -benchtime 200x
func BenchmarkPeopleAndPathway(b *testing.B) {
	persons := 5000
	if v, err := strconv.Atoi(os.Getenv("PARCOURS_BENCH_PERSONS")); err == nil && v > 0 {
		persons = v
	}
	for _, e := range testkit.Engines(b) {
		b.Run(string(e), func(b *testing.B) {
			ctx := context.Background()
			w := testkit.NewWorld(b, e)
			if _, err := gen.Generate(ctx, w.DB, w.App.Auth, gen.Options{Persons: persons, Steps: 5 * persons, Seed: 3}); err != nil {
				b.Fatal(err)
			}
			w.Clock.Advance(31 * time.Second)
			bench, err := gen.SignIn(ctx, w.App)
			if err != nil {
				b.Fatal(err)
			}
			for _, t := range bench.Targets(ctx) {
				b.Run(t.Name, func(b *testing.B) {
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
