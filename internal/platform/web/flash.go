package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
)

// Flash is the one-time confirmation shown after an action ("Site created").
type Flash struct {
	Key  string         `json:"k"`
	Args map[string]any `json:"a,omitempty"`
	// Kind is "ok" (default) or "warn".
	Kind string `json:"t,omitempty"`
}

const flashCookie = "parcours_flash"

// SetFlash stores a confirmation for the next page, in a signed cookie.
func (k *Kit) SetFlash(w http.ResponseWriter, f Flash) {
	b, err := json.Marshal(f)
	if err != nil {
		return
	}
	payload := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{
		Name: flashCookie, Value: payload + "." + k.sign(payload), Path: "/",
		HttpOnly: true, Secure: k.Secure, SameSite: http.SameSiteLaxMode, MaxAge: 60,
	})
}

// Done sets a confirmation flash and redirects (POST-redirect-GET).
func (k *Kit) Done(w http.ResponseWriter, r *http.Request, path, key string, args ...any) error {
	f := Flash{Key: key}
	if len(args) > 0 {
		f.Args = map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			if s, ok := args[i].(string); ok {
				f.Args[s] = args[i+1]
			}
		}
	}
	k.SetFlash(w, f)
	return Redirect(w, r, path)
}

func (k *Kit) sign(payload string) string {
	m := hmac.New(sha256.New, k.Secret)
	m.Write([]byte("flash:" + payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (k *Kit) popFlash(w http.ResponseWriter, r *http.Request) *Flash {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: k.Secure, SameSite: http.SameSiteLaxMode})
	payload, sig, ok := strings.Cut(c.Value, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(k.sign(payload))) {
		return nil
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return nil
	}
	var f Flash
	if json.Unmarshal(b, &f) != nil || f.Key == "" {
		return nil
	}
	return &f
}
