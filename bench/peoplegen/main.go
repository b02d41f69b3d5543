// Command peoplegen creates a parcours database filled with generated,
// fictional persons and pathways (1 million persons and 5 million steps by
// default), to measure the people and pathway pages at scale; then, with
// -measure, it measures them (see docs/PERFORMANCE.md, "People and
// pathway").
//
//	go run ./bench/peoplegen -sqlite /tmp/people.db -persons 1000000 -steps 5000000
//	go run ./bench/peoplegen -postgres postgres://postgres@127.0.0.1:5432/parcours_bench?sslmode=disable -persons 200000 -steps 1000000
//	go run ./bench/peoplegen -sqlite /tmp/people.db -measure -n 400
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"parcours/bench/internal/benchkit"
	"time"

	"parcours/bench/peoplegen/gen"
	"parcours/internal/platform/db"
)

func main() {
	sqlite := flag.String("sqlite", "", "SQLite file to create (or measure)")
	pg := flag.String("postgres", "", "PostgreSQL database URL (an empty, existing database)")
	persons := flag.Int("persons", 1_000_000, "persons to generate")
	steps := flag.Int("steps", 5_000_000, "steps to generate, in total")
	sites := flag.Int("sites", 10, "sites of the centre")
	caseload := flag.Int("caseload", 200, "files followed by the measured social worker")
	measure := flag.Bool("measure", false, "measure an existing generated database instead of generating")
	n := flag.Int("n", 300, "requests per measured page")
	verbose := flag.Bool("v", false, "log the server's warnings and errors to stderr")
	flag.Parse()
	if (*sqlite == "") == (*pg == "") {
		fmt.Fprintln(os.Stderr, "peoplegen: give -sqlite FILE or -postgres URL")
		os.Exit(2)
	}
	ctx := context.Background()
	d, a, err := benchkit.Open(ctx, *sqlite, *pg, *verbose)
	if err != nil {
		fail(err)
	}
	defer d.Close()
	if *measure {
		if err := gen.Measure(ctx, a, *n, os.Stdout); err != nil {
			fail(err)
		}
		return
	}
	start := time.Now()
	res, err := gen.Generate(ctx, d, a.Auth, gen.Options{Persons: *persons, Steps: *steps, Sites: *sites, Caseload: *caseload, Seed: 1,
		Progress: func(done, total int) {
			if done%100_000 == 0 || done == total {
				fmt.Fprintf(os.Stderr, "%d/%d persons, %s\n", done, total, time.Since(start).Round(time.Second))
			}
		}})
	if err != nil {
		fail(err)
	}
	if d.Engine == db.SQLite {
		if _, err := d.W.ExecContext(ctx, "ANALYZE"); err != nil {
			fail(err)
		}
	} else if _, err := d.W.ExecContext(ctx, "ANALYZE"); err != nil {
		fail(err)
	}
	fmt.Printf("generated %d persons and %d steps in %s; measured worker %s\n", *persons, *steps, time.Since(start).Round(time.Second), res.Worker.Email)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "peoplegen:", err)
	os.Exit(1)
}
