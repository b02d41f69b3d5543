// Command domgen creates a parcours database filled with generated,
// fictional domiciliations and their mail register, Paris-wide (100,000
// files and 20 million mail rows by default, over 20 sites, one of which
// holds 20,000+ files in force); then, with
// -measure, it measures the targets on it (see docs/PERFORMANCE.md,
// "Domiciliation").
//
//	go run ./bench/domgen -sqlite /tmp/dom.db -files 100000 -mail 20000000
//	go run ./bench/domgen -postgres postgres://postgres@127.0.0.1:5432/parcours_dom?sslmode=disable -files 100000 -mail 2000000
//	go run ./bench/domgen -sqlite /tmp/dom.db -measure -n 200
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"parcours/bench/internal/benchkit"
	"time"

	"parcours/bench/domgen/gen"
	"parcours/internal/platform/db"
)

func main() {
	sqlite := flag.String("sqlite", "", "SQLite file to create (or measure)")
	pg := flag.String("postgres", "", "PostgreSQL database URL (an empty, existing database)")
	files := flag.Int("files", 100_000, "domiciliation files to generate (one person each)")
	mail := flag.Int("mail", 20_000_000, "mail register rows to generate, in total")
	sites := flag.Int("sites", 20, "sites of the centre (the arrondissements)")
	firstSite := flag.Int("first-site", 36_000, "files all at site 01 before the others are spread (20,000+ in force there)")
	measure := flag.Bool("measure", false, "measure an existing generated database instead of generating")
	n := flag.Int("n", 200, "requests per measured target (fewer for the batch and the report)")
	only := flag.String("only", "", "with -measure: the targets whose key contains this (search-desk, search-all, card, desk-all, batch-1000, silent-site, silent-all, report, report-xlsx)")
	cpuprofile := flag.String("cpuprofile", "", "with -measure: write a CPU profile of the measured runs to this file")
	verbose := flag.Bool("v", false, "log the server's warnings and errors to stderr")
	flag.Parse()
	if (*sqlite == "") == (*pg == "") {
		fmt.Fprintln(os.Stderr, "domgen: give -sqlite FILE or -postgres URL")
		os.Exit(2)
	}
	ctx := context.Background()
	d, a, err := benchkit.Open(ctx, *sqlite, *pg, *verbose)
	if err != nil {
		fail(err)
	}
	defer d.Close()
	if *measure {
		if err := gen.Measure(ctx, a, gen.MeasureOptions{N: *n, Only: *only, CPUProfile: *cpuprofile}, os.Stdout); err != nil {
			fail(err)
		}
		return
	}
	if d.Engine == db.SQLite {
		// Generation only: a 1 GiB page cache on the writer connection
		// keeps the mail register's indexes in memory while 20 million
		// rows go in (with the app's 16 MB, each insert into the
		// (site, day) index read its pages back from the file, mostly in
		// system calls, and every 10,000 files took longer than the last).
		// Measuring uses the app's settings.
		if _, err := d.W.ExecContext(ctx, "PRAGMA cache_size = -1048576"); err != nil {
			fail(err)
		}
	}
	start := time.Now()
	res, err := gen.Generate(ctx, d, a.Auth, gen.Options{Files: *files, Mail: *mail, Sites: *sites, FirstSite: *firstSite, Seed: 1,
		Progress: func(files, mail int) {
			if files%5_000 == 0 {
				fmt.Fprintf(os.Stderr, "%d files, %d mail rows, %s\n", files, mail, time.Since(start).Round(time.Second))
			}
		}})
	if err != nil {
		fail(err)
	}
	// Statistics for the planners (SQLite's sqlite_stat1, which the
	// nightly PRAGMA optimize keeps in the app; PostgreSQL's, and the
	// visibility map its index-only scans need, which autovacuum keeps
	// after a mass of inserts).
	stats := "ANALYZE"
	if d.Engine == db.Postgres {
		stats = "VACUUM (ANALYZE)"
	}
	if _, err := d.W.ExecContext(ctx, stats); err != nil {
		fail(err)
	}
	fmt.Printf("generated %d files and %d mail rows over %d sites in %s; accounts %s and %s (password %q)\n",
		res.Files, res.Mail, len(res.Sites), time.Since(start).Round(time.Second), gen.Reception, gen.Direction, gen.Password)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "domgen:", err)
	os.Exit(1)
}
