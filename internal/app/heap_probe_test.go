package app_test

import (
	"context"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/pprof"
	"testing"

	"parcours/internal/app"
	"parcours/internal/platform/config"
)

func TestHeapProbe(t *testing.T) {
	if os.Getenv("HEAP_PROBE") == "" {
		t.Skip("probe")
	}
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Demo = true
	cfg.BaseURL = "http://127.0.0.1:1"
	a, err := app.New(context.Background(), cfg, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.LoadDemo(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 300; i++ {
		for _, p := range []string{"/fr/", "/fr/guide/search?q=droit", "/ar/"} {
			rec := httptest.NewRecorder()
			a.Handler.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
		}
	}
	runtime.GC()
	f, _ := os.Create("/tmp/heapprobe/heap.out")
	pprof.WriteHeapProfile(f)
	f.Close()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	t.Logf("heap inuse %d MB, alloc %d MB", m.HeapInuse>>20, m.HeapAlloc>>20)
}
