package web

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// PageCache keeps, for a few seconds, the public pages a handler declared
// shareable (Cache-Control: public, max-age=N): the same page asked by many
// phones in a waiting room is rendered once, and served already compressed.
// Requests that carry a flash message or come from htmx, responses that set
// a cookie or are not 200, and pages over MaxBody are never cached. Expired
// pages are dropped when room is needed and by Prune (when the server goes
// idle): they do not stay in memory until they are asked for again.
type PageCache struct {
	TTL      time.Duration // upper bound; a shorter max-age wins
	Entries  int           // at most this many pages
	MaxBody  int
	MaxBytes int // at most this many bytes of pages (page and its gzip copy)

	mu    sync.Mutex
	pages map[string]*cached
	bytes int
	now   func() time.Time
}

type cached struct {
	header  http.Header
	body    []byte
	gz      []byte
	route   string
	expires time.Time
}

func (e *cached) size() int { return len(e.body) + len(e.gz) }

// NewPageCache returns a cache keeping pages up to ttl.
func NewPageCache(ttl time.Duration) *PageCache {
	return &PageCache{TTL: ttl, Entries: 1024, MaxBody: 256 << 10, MaxBytes: 8 << 20, pages: map[string]*cached{}, now: time.Now}
}

func (c *PageCache) cacheable(r *http.Request) bool {
	if c == nil || c.TTL <= 0 || r.Method != http.MethodGet || r.Header.Get("HX-Request") != "" {
		return false
	}
	if _, err := r.Cookie(flashCookie); err == nil {
		return false
	}
	return true
}

// serve writes a cached page, reporting whether there was one.
func (c *PageCache) serve(w http.ResponseWriter, r *http.Request, key string) bool {
	c.mu.Lock()
	e := c.pages[key]
	c.mu.Unlock()
	if e == nil || c.now().After(e.expires) {
		return false
	}
	if ri, ok := r.Context().Value(keyRequestInfo).(*requestInfo); ok {
		ri.route = e.route
	}
	h := w.Header()
	for k, v := range e.header {
		h[k] = v
	}
	body := e.body
	if e.gz != nil && acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = e.gz
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
	return true
}

// capture records a response to store it when it is shareable.
type capture struct {
	http.ResponseWriter
	// hdr is the handler's headers as they were before the first byte,
	// before outer middleware (compression) added its own.
	hdr    http.Header
	status int
	buf    bytes.Buffer
	over   bool
	max    int
}

func (c *capture) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
		c.hdr = c.Header().Clone()
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *capture) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
		c.hdr = c.Header().Clone()
	}
	if !c.over {
		if c.buf.Len()+len(b) > c.max {
			c.over = true
			c.buf.Reset()
		} else {
			c.buf.Write(b)
		}
	}
	return c.ResponseWriter.Write(b)
}

func (c *capture) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// maxAge reads a public max-age from Cache-Control.
func maxAge(cc string) (time.Duration, bool) {
	public := false
	var age time.Duration
	for _, part := range strings.Split(cc, ",") {
		part = strings.TrimSpace(part)
		switch {
		case part == "public":
			public = true
		case strings.HasPrefix(part, "max-age="):
			n, err := strconv.Atoi(strings.TrimPrefix(part, "max-age="))
			if err != nil || n <= 0 {
				return 0, false
			}
			age = time.Duration(n) * time.Second
		case part == "no-store" || part == "private" || part == "no-cache":
			return 0, false
		}
	}
	return age, public && age > 0
}

// store keeps a captured response when the handler declared it public.
func (c *PageCache) store(key string, cp *capture, r *http.Request) {
	h := cp.hdr
	if h == nil {
		return
	}
	age, ok := maxAge(h.Get("Cache-Control"))
	if !ok || cp.status != http.StatusOK || cp.over || h.Get("Set-Cookie") != "" || h.Get("Content-Encoding") != "" {
		return
	}
	ttl := min(age, c.TTL)
	e := &cached{header: h, body: bytes.Clone(cp.buf.Bytes()), expires: c.now().Add(ttl)}
	e.header.Del("Content-Length")
	e.header.Del("X-Request-ID")
	if ri, ok := r.Context().Value(keyRequestInfo).(*requestInfo); ok {
		e.route = ri.route
	}
	if compressible(h.Get("Content-Type")) && len(e.body) > 512 {
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		zw.Write(e.body)
		zw.Close()
		e.gz = gz.Bytes()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.pages[key]; ok {
		delete(c.pages, key)
		c.bytes -= old.size()
	}
	full := func() bool {
		return len(c.pages) >= c.Entries || (c.MaxBytes > 0 && c.bytes+e.size() > c.MaxBytes)
	}
	if full() {
		c.pruneLocked()
		if full() {
			return
		}
	}
	c.pages[key] = e
	c.bytes += e.size()
}

// Prune drops the expired pages.
func (c *PageCache) Prune() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.pruneLocked()
	c.mu.Unlock()
}

func (c *PageCache) pruneLocked() {
	now := c.now()
	for k, v := range c.pages {
		if now.After(v.expires) {
			delete(c.pages, k)
			c.bytes -= v.size()
		}
	}
}

// Clear forgets every page (after any change, so that an editor sees
// what they saved; other instances catch up within the TTL).
func (c *PageCache) Clear() {
	if c == nil {
		return
	}
	c.mu.Lock()
	clear(c.pages)
	c.bytes = 0
	c.mu.Unlock()
}

// Wrap serves cached pages and fills the cache around next. A request that
// may change something (any method but GET and HEAD) empties the cache.
func (c *PageCache) Wrap(w http.ResponseWriter, r *http.Request, next http.Handler) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		next.ServeHTTP(w, r)
		c.Clear()
		return
	}
	if !c.cacheable(r) {
		next.ServeHTTP(w, r)
		return
	}
	key := r.URL.Path + "?" + r.URL.RawQuery
	if c.serve(w, r, key) {
		return
	}
	cp := &capture{ResponseWriter: w, max: c.MaxBody}
	next.ServeHTTP(cp, r)
	c.store(key, cp, r)
}
