package web

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestPageCache(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	c := NewPageCache(30 * time.Second)
	c.now = func() time.Time { return now }
	calls := 0
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/fr/public":
			w.Header().Set("Cache-Control", "public, max-age=10")
		case "/fr/cookie":
			w.Header().Set("Cache-Control", "public, max-age=10")
			http.SetCookie(w, &http.Cookie{Name: "x", Value: "y"})
		case "/fr/private":
			w.Header().Set("Cache-Control", "no-store")
		}
		io.WriteString(w, strings.Repeat("<p>page "+r.URL.RawQuery+"</p>", 100))
	})
	get := func(path string, hdr ...string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		// Behind Compress, as in the app.
		Compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { c.Wrap(w, r, h) })).ServeHTTP(rec, req)
		return rec
	}
	first := get("/fr/public?q=a")
	second := get("/fr/public?q=a")
	if calls != 1 || second.Body.String() != first.Body.String() || second.Header().Get("Cache-Control") != "public, max-age=10" {
		t.Fatalf("second request rendered again (calls %d) or differs", calls)
	}
	// A compressed hit is the same page.
	gz := get("/fr/public?q=a", "Accept-Encoding", "gzip")
	if gz.Header().Get("Content-Encoding") != "gzip" || calls != 1 {
		t.Fatalf("gzip hit: encoding %q, calls %d", gz.Header().Get("Content-Encoding"), calls)
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(zr); string(b) != first.Body.String() {
		t.Fatal("gzip hit differs from the page")
	}
	// Another query is another page.
	if get("/fr/public?q=b"); calls != 2 {
		t.Fatalf("other query served from cache")
	}
	// A change (POST) empties the cache.
	rec := httptest.NewRecorder()
	c.Wrap(rec, httptest.NewRequest(http.MethodPost, "/fr/anything", nil), http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	if get("/fr/public?q=a"); calls != 3 {
		t.Fatalf("page served from the cache after a POST (calls %d)", calls)
	}
	calls--
	// Expiry after the page's own max-age (shorter than the cache's TTL).
	now = now.Add(11 * time.Second)
	if get("/fr/public?q=a"); calls != 3 {
		t.Fatal("expired page served")
	}
	// Never cached: private pages, cookies, flash, htmx.
	for _, p := range []string{"/fr/private", "/fr/cookie"} {
		before := calls
		get(p)
		get(p)
		if calls != before+2 {
			t.Errorf("%s was cached", p)
		}
	}
	before := calls
	get("/fr/public?q=a", "Cookie", flashCookie+"=x")
	get("/fr/public?q=a", "HX-Request", "true")
	if calls != before+2 {
		t.Error("a request with a flash or from htmx was served from the cache")
	}
}

// The cache holds at most MaxBytes, and Prune forgets expired pages.
func TestPageCacheBounds(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	c := NewPageCache(30 * time.Second)
	c.now = func() time.Time { return now }
	c.MaxBytes = 10 << 10
	page := strings.Repeat("x", 3000) // octet-stream: no gzip copy, 3000 bytes a page
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Cache-Control", "public, max-age=10")
		io.WriteString(w, page)
	})
	get := func(path string) {
		c.Wrap(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil), h)
	}
	for _, p := range []string{"/a", "/b", "/c", "/d", "/e"} {
		get(p)
	}
	if len(c.pages) != 3 || c.bytes != 9000 {
		t.Fatalf("%d pages, %d bytes; want 3 pages within 10 KiB", len(c.pages), c.bytes)
	}
	get("/a") // the same page again: replaced, not counted twice
	if len(c.pages) != 3 || c.bytes != 9000 {
		t.Fatalf("after a refresh: %d pages, %d bytes", len(c.pages), c.bytes)
	}
	now = now.Add(11 * time.Second)
	get("/f") // room is made by dropping the expired pages
	if len(c.pages) != 1 || c.bytes != 3000 {
		t.Fatalf("after expiry: %d pages, %d bytes; want the new page only", len(c.pages), c.bytes)
	}
	now = now.Add(11 * time.Second)
	c.Prune()
	if len(c.pages) != 0 || c.bytes != 0 {
		t.Fatalf("after Prune: %d pages, %d bytes", len(c.pages), c.bytes)
	}
}

func TestMaxAge(t *testing.T) {
	for cc, want := range map[string]time.Duration{
		"public, max-age=300": 300 * time.Second, "max-age=300, public": 300 * time.Second,
		"max-age=300": 0, "public": 0, "public, max-age=0": 0, "public, no-store, max-age=5": 0, "public, max-age=x": 0,
	} {
		got, ok := maxAge(cc)
		if (want > 0) != ok || (ok && got != want) {
			t.Errorf("maxAge(%q) = %v %v, want %v", cc, got, ok, want)
		}
	}
}
