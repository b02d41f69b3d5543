package app_test

import (
	"context"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"

	"parcours/internal/app"
	"parcours/internal/platform/config"
	"parcours/internal/platform/i18n"
	"parcours/internal/platform/web"
)

// TestHeapProbe writes a heap profile of the assembled demo server (after a
// full collection) to the file named by HEAP_PROBE, after requesting each
// path of HEAP_PROBE_PATHS (comma-separated) 300 times (none: the server
// idle after start-up). With HEAP_PROBE_ALL=1, it first builds what a
// server ends up holding after long use: every page's template set (parsed
// and escaped) and every language's messages. See docs/PERFORMANCE.md,
// "Memory: what the heap holds":
//
//	HEAP_PROBE=/tmp/heap.out go test ./internal/app -run HeapProbe -v
//	HEAP_PROBE=/tmp/heap.out HEAP_PROBE_PATHS='/fr/,/ar/,/fr/guide/search?q=droit' go test ./internal/app -run HeapProbe -v
//	go tool pprof -sample_index=inuse_space -top /tmp/heap.out
func TestHeapProbe(t *testing.T) {
	out := os.Getenv("HEAP_PROBE")
	if out == "" {
		t.Skip("set HEAP_PROBE=file to write the heap profile")
	}
	runtime.MemProfileRate = 1024 // every allocation of a kilobyte or more, and a sample of the rest
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Demo = true
	cfg.BaseURL = "http://127.0.0.1:1"
	a, err := app.New(context.Background(), cfg, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := app.LoadDemo(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for p := range strings.SplitSeq(os.Getenv("HEAP_PROBE_PATHS"), ",") {
		if p = strings.TrimSpace(p); p != "" {
			paths = append(paths, p)
		}
	}
	for i := 0; i < 300 && len(paths) > 0; i++ {
		for _, p := range paths {
			rec := httptest.NewRecorder()
			a.Handler.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
		}
	}
	if os.Getenv("HEAP_PROBE_ALL") != "" {
		for _, l := range i18n.Languages {
			a.Catalog.Localizer(l.Tag)
		}
		for _, p := range a.Kit.R.Pages() {
			// The data does not match the page: the execution stops early,
			// after the set was parsed and escaped.
			a.Kit.R.Execute(p, "layout", &web.View{L: a.Catalog.Localizer("fr"), Langs: i18n.Languages})
		}
	}
	runtime.GC()
	runtime.GC()
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := pprof.WriteHeapProfile(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	t.Logf("live heap %.1f MiB (heap in use %.1f MiB, %d objects)", float64(m.HeapAlloc)/(1<<20), float64(m.HeapInuse)/(1<<20), m.HeapObjects)
	runtime.KeepAlive(a) // the profile must see the whole server
}
