package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

type asset struct {
	// gz is the compressed file, when smaller; the file itself is read
	// from fsys at each request (the embedded files are in the binary:
	// no copy on the heap).
	gz    []byte
	ctype string
}

// StaticHandler serves the embedded static files, pre-compressed, with a
// long cache when the URL carries the asset version (?v=...).
func StaticHandler(fsys fs.FS) (http.Handler, error) {
	assets := map[string]*asset{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		a := &asset{ctype: staticType(path.Ext(p))}
		if a.ctype == "" {
			a.ctype = http.DetectContentType(b)
		}
		if compressible(a.ctype) && len(b) > 512 {
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			zw.Write(b)
			zw.Close()
			if buf.Len() < len(b) {
				a.gz = buf.Bytes()
			}
		}
		assets["/"+p] = a
		return nil
	})
	if err != nil {
		return nil, err
	}
	modTime := time.Now()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/static")
		a, ok := assets[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.ctype)
		if r.URL.Query().Get("v") != "" {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "public, max-age=3600")
		}
		h.Add("Vary", "Accept-Encoding")
		if a.gz != nil && acceptsGzip(r) {
			h.Set("Content-Encoding", "gzip")
			http.ServeContent(w, r, "", modTime, bytes.NewReader(a.gz))
			return
		}
		f, err := fsys.Open(strings.TrimPrefix(name, "/"))
		if err != nil {
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			return
		}
		defer f.Close()
		body, ok := f.(io.ReadSeeker)
		if !ok {
			b, err := io.ReadAll(f)
			if err != nil {
				http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
				return
			}
			body = bytes.NewReader(b)
		}
		http.ServeContent(w, r, "", modTime, body)
	}), nil
}

// staticTypes are the content types of the static files' extensions, as
// mime.TypeByExtension gives them with the shared MIME database: asking
// mime for them would load that database (about 400 KB kept on the heap).
var staticTypes = map[string]string{
	".css": "text/css; charset=utf-8",
	".js":  "text/javascript; charset=utf-8",
	".svg": "image/svg+xml",
	".txt": "text/plain; charset=utf-8",
	".md":  "text/markdown; charset=utf-8",
	".png": "image/png",
	// No type: the content decides (htmx.LICENSE).
	"":         "",
	".LICENSE": "",
}

func staticType(ext string) string {
	if t, ok := staticTypes[ext]; ok {
		return t
	}
	return mime.TypeByExtension(ext)
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "javascript") ||
		strings.Contains(ctype, "json") || strings.Contains(ctype, "svg") || strings.Contains(ctype, "xml")
}

func acceptsGzip(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept-Encoding"), "gzip")
}

var gzPool = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(io.Discard, gzip.DefaultCompression); return w }}

type gzipWriter struct {
	http.ResponseWriter
	zw      *gzip.Writer
	decided bool
	on      bool
}

func (g *gzipWriter) decide() {
	if g.decided {
		return
	}
	g.decided = true
	h := g.Header()
	if h.Get("Content-Encoding") == "" && compressible(h.Get("Content-Type")) {
		g.on = true
		h.Set("Content-Encoding", "gzip")
		h.Del("Content-Length")
		g.zw = gzPool.Get().(*gzip.Writer)
		g.zw.Reset(g.ResponseWriter)
	}
}

func (g *gzipWriter) WriteHeader(code int) {
	if code != http.StatusNoContent && code != http.StatusNotModified && code >= 200 {
		g.decide()
	} else {
		g.decided = true
	}
	g.ResponseWriter.WriteHeader(code)
}

func (g *gzipWriter) Write(b []byte) (int, error) {
	g.decide()
	if g.on {
		return g.zw.Write(b)
	}
	return g.ResponseWriter.Write(b)
}

func (g *gzipWriter) Unwrap() http.ResponseWriter { return g.ResponseWriter }

func (g *gzipWriter) close() {
	if g.on {
		g.zw.Close()
		gzPool.Put(g.zw)
	}
}

// Compress gzips text responses (pages, JSON) for clients that accept it:
// on a 2G phone a page is several times smaller. Static files are
// pre-compressed and pass through.
func Compress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Encoding")
		if !acceptsGzip(r) || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		g := &gzipWriter{ResponseWriter: w}
		defer g.close()
		next.ServeHTTP(g, r)
	})
}
