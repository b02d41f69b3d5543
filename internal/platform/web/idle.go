package web

import (
	"context"
	"net/http"
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"time"
)

// Idle calls Trim once the server has served nothing for After, once per
// busy period, then every Every while it stays idle: a burst of requests
// grows the heap (and the Go runtime keeps freed memory for a while), a
// server that has gone quiet gives it back; the job workers and timers of
// an idle server still allocate a little, which the next collection frees
// but the runtime would keep. Wrap the server's handler with Wrap and start
// Run.
type Idle struct {
	After time.Duration
	Every time.Duration // 0: only once per busy period
	Trim  func()

	inflight atomic.Int64
	last     atomic.Int64 // end of the last request, Unix nanoseconds
	busy     atomic.Bool  // a request came since the last Trim
}

// Wrap counts the requests of next.
func (i *Idle) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i.inflight.Add(1)
		i.busy.Store(true)
		defer func() {
			i.last.Store(time.Now().UnixNano())
			i.inflight.Add(-1)
		}()
		next.ServeHTTP(w, r)
	})
}

// Run checks, until ctx ends, whether the server has gone idle. The first
// Trim comes after After even if no request came (start-up is a burst).
func (i *Idle) Run(ctx context.Context) {
	tick := time.NewTicker(max(i.After/8, 50*time.Millisecond))
	defer tick.Stop()
	i.busy.Store(true)
	if i.last.Load() == 0 {
		i.last.Store(time.Now().UnixNano())
	}
	var trimmed time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			if i.inflight.Load() != 0 || now.UnixNano()-i.last.Load() < int64(i.After) {
				continue
			}
			if i.busy.CompareAndSwap(true, false) || (i.Every > 0 && now.Sub(trimmed) >= i.Every) {
				i.Trim()
				trimmed = time.Now()
			}
		}
	}
}

// ReleaseMemory gives back to the system what the process holds but does
// not use: the free pages of the Go heap (two full collections, the second
// by debug.FreeOSMemory, which then returns every free page), and, on Linux, the pages of
// the executable's code and read-only data mapped so far (the embedded
// catalogs, templates and files read at start-up, code run once). Those
// are clean pages of the binary file: they stay in the kernel's page
// cache, and come back into the process, without reading the disk, when
// the code or data is used again. It returns the resident set size before
// and after, in bytes (0 where /proc is not available).
func ReleaseMemory() (before, after int64) {
	before = residentBytes()
	// A first collection moves what sync.Pools hold (page buffers, gzip
	// writers of up to a megabyte each) to their victim caches; the one of
	// FreeOSMemory then frees it.
	runtime.GC()
	debug.FreeOSMemory()
	releaseExecutable()
	return before, residentBytes()
}
