package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Trim comes once the server has been idle for After (once per busy
// period), never during a request, and again every Every while idle.
func TestIdle(t *testing.T) {
	var trims atomic.Int32
	release := make(chan struct{})
	i := &Idle{After: 100 * time.Millisecond, Trim: func() { trims.Add(1) }}
	h := i.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			<-release
		}
	}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go i.Run(ctx)
	wait := func(want int32) {
		t.Helper()
		deadline := time.Now().Add(3 * time.Second)
		for trims.Load() < want && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if got := trims.Load(); got != want {
			t.Fatalf("%d trims, want %d", got, want)
		}
	}
	wait(1) // start-up counts as a burst
	time.Sleep(300 * time.Millisecond)
	if trims.Load() != 1 {
		t.Fatal("trimmed again without a request (Every is 0)")
	}
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	wait(2)
	// A long request: no trim while it runs.
	done := make(chan struct{})
	go func() {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/slow", nil))
		close(done)
	}()
	time.Sleep(300 * time.Millisecond)
	if trims.Load() != 2 {
		t.Fatal("trimmed during a request")
	}
	close(release)
	<-done
	wait(3)

	var every atomic.Int32
	j := &Idle{After: 50 * time.Millisecond, Every: 100 * time.Millisecond, Trim: func() { every.Add(1) }}
	go j.Run(ctx)
	time.Sleep(600 * time.Millisecond)
	if n := every.Load(); n < 3 {
		t.Fatalf("%d trims in 600 ms idle with Every 100 ms", n)
	}
}

// Dropping the executable's pages is harmless: the code and data come back
// on use (this test keeps running, twice over).
func TestReleaseMemory(t *testing.T) {
	for range 2 {
		before, after := ReleaseMemory()
		if runtime.GOOS == "linux" && (before <= 0 || after <= 0) {
			t.Fatalf("RSS %d -> %d", before, after)
		}
		if s := strings.Repeat("ok", 2); s != "okok" {
			t.Fatal(s)
		}
	}
}
