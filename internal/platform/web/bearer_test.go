package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestBearerToken(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	cases := []struct {
		token, header string
		want          int
	}{
		{"", "", http.StatusOK},
		{"s3cret", "", http.StatusUnauthorized},
		{"s3cret", "Bearer wrong", http.StatusUnauthorized},
		{"s3cret", "s3cret", http.StatusUnauthorized},
		{"s3cret", "Bearer s3cret", http.StatusOK},
	}
	for _, c := range cases {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		if c.header != "" {
			req.Header.Set("Authorization", c.header)
		}
		BearerToken(c.token, ok).ServeHTTP(rec, req)
		if rec.Code != c.want {
			t.Errorf("token %q header %q: %d, want %d", c.token, c.header, rec.Code, c.want)
		}
	}
}
