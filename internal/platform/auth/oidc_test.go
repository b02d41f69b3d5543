package auth_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"parcours/internal/platform/auth"
	"parcours/internal/platform/config"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// fakeIdP is an OpenID Connect provider: discovery, an RSA key set, and a
// token endpoint that checks PKCE and returns a signed id_token. The test
// plays the browser at the provider: authorize() stands for the user
// signing in there and returns the code sent back to parcours.
type fakeIdP struct {
	t      *testing.T
	srv    *httptest.Server
	key    *rsa.PrivateKey
	now    func() time.Time
	mu     sync.Mutex
	grants map[string]grant
}

type grant struct {
	challenge string
	claims    map[string]any
	key       *rsa.PrivateKey
}

const (
	idpClientID     = "parcours-test"
	idpClientSecret = "idp client secret"
	idpKeyID        = "key-1"
)

var (
	keyOnce          sync.Once
	idpKey, rogueKey *rsa.PrivateKey
)

func rsaKeys(t *testing.T) (*rsa.PrivateKey, *rsa.PrivateKey) {
	keyOnce.Do(func() {
		var err error
		if idpKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if rogueKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return idpKey, rogueKey
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func newFakeIdP(t *testing.T) *fakeIdP {
	key, _ := rsaKeys(t)
	p := &fakeIdP{t: t, key: key, now: time.Now, grants: map[string]grant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{
			"issuer": p.srv.URL, "authorization_endpoint": p.srv.URL + "/authorize", "token_endpoint": p.srv.URL + "/token",
			"jwks_uri": p.srv.URL + "/jwks", "response_types_supported": []string{"code"},
			"subject_types_supported": []string{"public"}, "id_token_signing_alg_values_supported": []string{"RS256"},
		})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"keys": []map[string]any{{
			"kty": "RSA", "use": "sig", "alg": "RS256", "kid": idpKeyID,
			"n": b64(p.key.N.Bytes()), "e": b64(big.NewInt(int64(p.key.E)).Bytes()),
		}}})
	})
	mux.HandleFunc("POST /token", p.token)
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (p *fakeIdP) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != idpClientID || secret != idpClientSecret {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client"})
		return
	}
	p.mu.Lock()
	g, found := p.grants[r.PostForm.Get("code")]
	delete(p.grants, r.PostForm.Get("code"))
	p.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	if !found || r.PostForm.Get("grant_type") != "authorization_code" || b64(sum[:]) != g.challenge {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": "access-" + r.PostForm.Get("code"), "token_type": "Bearer",
		"expires_in": 300, "id_token": signJWT(g.key, g.claims)})
}

func signJWT(key *rsa.PrivateKey, claims map[string]any) string {
	h, _ := json.Marshal(map[string]string{"alg": "RS256", "kid": idpKeyID, "typ": "JWT"})
	c, _ := json.Marshal(claims)
	in := b64(h) + "." + b64(c)
	sum := sha256.Sum256([]byte(in))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		panic(err)
	}
	return in + "." + b64(sig)
}

// authorize signs email in at the provider for the authorization request q
// and returns the code. Claims in extra replace the defaults (nil removes one).
func (p *fakeIdP) authorize(q url.Values, email string, extra map[string]any, key *rsa.PrivateKey) string {
	p.t.Helper()
	if q.Get("client_id") != idpClientID || q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" ||
		!strings.Contains(q.Get("scope"), "openid") || q.Get("state") == "" || q.Get("nonce") == "" {
		p.t.Fatalf("bad authorization request: %v", q)
	}
	now := p.now()
	claims := map[string]any{"iss": p.srv.URL, "sub": "idp|" + email, "aud": idpClientID, "iat": now.Unix(),
		"exp": now.Add(5 * time.Minute).Unix(), "nonce": q.Get("nonce"), "email": email, "email_verified": true}
	for k, v := range extra {
		if v == nil {
			delete(claims, k)
		} else {
			claims[k] = v
		}
	}
	if key == nil {
		key = p.key
	}
	code := "code-" + b64([]byte(q.Get("state")))
	p.mu.Lock()
	p.grants[code] = grant{challenge: q.Get("code_challenge"), claims: claims, key: key}
	p.mu.Unlock()
	return code
}

type ssoWorld struct {
	*testkit.World
	idp  *fakeIdP
	site string
}

func newSSOWorld(t *testing.T, e db.Engine) *ssoWorld {
	idp := newFakeIdP(t)
	w := testkit.NewWorld(t, e, testkit.Options{Configure: func(c *config.Config) {
		c.OIDC = config.OIDC{Issuer: idp.srv.URL, ClientID: idpClientID, ClientSecret: idpClientSecret, Label: "Compte Ville de Paris"}
	}})
	idp.now = w.Clock.Now
	return &ssoWorld{World: w, idp: idp}
}

// start presses the single sign-on button and returns the authorization
// request sent to the provider.
func (s *ssoWorld) start(t *testing.T, b *testkit.Browser, next string) url.Values {
	t.Helper()
	page := b.Get("/fr/login")
	if !strings.Contains(page.Body, `action="/fr/login/sso"`) || !strings.Contains(page.Body, "Compte Ville de Paris") {
		t.Fatal("the sign-in page has no single sign-on button")
	}
	r := b.Post("/fr/login/sso", url.Values{"next": {next}})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, s.idp.srv.URL+"/authorize?") {
		t.Fatalf("single sign-on start: %d %q", r.Status, r.Location)
	}
	u, _ := url.Parse(r.Location)
	q := u.Query()
	if q.Get("redirect_uri") != s.App.Cfg.BaseURL+"/auth/oidc/callback" {
		t.Fatalf("redirect_uri %q", q.Get("redirect_uri"))
	}
	return q
}

func callback(b *testkit.Browser, code, state string) *testkit.Response {
	return b.Get("/auth/oidc/callback?" + url.Values{"code": {code}, "state": {state}}.Encode())
}

// refused checks a failed single sign-on: 401, the message, and no session.
func refused(t *testing.T, s *ssoWorld, b *testkit.Browser, r *testkit.Response, key, what string) {
	t.Helper()
	if r.Status != http.StatusUnauthorized || !strings.Contains(r.Body, fr(s.World, key)) {
		t.Fatalf("%s: %d %q, want 401 with %s", what, r.Status, r.Location, key)
	}
	if sessionCookie(s.World, b) != "" {
		t.Fatalf("%s: a session cookie was set", what)
	}
	mustSignIn(t, b.Get("/fr/staff"), what)
}

func TestOIDCSignIn(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		s := newSSOWorld(t, e)
		o := s.Org("Centre A")
		site := s.Site(o, "PSA Bastille", "psa")
		u := s.User(o, "worker@example.org", auth.Membership{Role: auth.SocialWorker, SiteID: site.ID})
		vol := s.User(o, "benevole@example.org", auth.Membership{Role: auth.Translator, SiteID: site.ID})

		// The provider says a second factor was used: no TOTP asked.
		b := s.Browser()
		q := s.start(t, b, "/admin/sites")
		code := s.idp.authorize(q, "Worker@Example.org", map[string]any{"amr": []string{"pwd", "mfa"}}, nil)
		r := callback(b, code, q.Get("state"))
		if r.Status != http.StatusSeeOther || r.Location != "/fr/admin/sites" {
			t.Fatalf("callback: %d %q", r.Status, r.Location)
		}
		if r := b.Get("/fr/admin/sites"); r.Status != http.StatusOK || !strings.Contains(r.Body, "PSA Bastille") {
			t.Fatalf("after single sign-on: %d", r.Status)
		}
		if n := count(t, s.World, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login' AND object_id = ? AND details LIKE '%oidc%'", u.ID); n != 1 {
			t.Fatalf("audit of the sign-in: %d", n)
		}
		// The callback cannot be replayed.
		refused(t, s, s.Browser(), callback(s.Browser(), code, q.Get("state")), "auth.sso.failed", "replayed callback in another browser")
		if r := callback(b, code, q.Get("state")); r.Status != http.StatusUnauthorized {
			t.Fatalf("replayed callback: %d", r.Status)
		}

		// No amr: the provider's sign-in counts as one factor; the code is asked.
		b = s.Browser()
		q = s.start(t, b, "/staff")
		r = callback(b, s.idp.authorize(q, u.Email, nil, nil), q.Get("state"))
		if r.Status != http.StatusSeeOther || r.Location != "/fr/login/totp" {
			t.Fatalf("without amr: %d %q, want the code step", r.Status, r.Location)
		}
		if r := b.Get("/fr/staff"); r.Status != http.StatusSeeOther || r.Location != "/fr/login/totp" {
			t.Fatalf("staff page before the code: %d %q", r.Status, r.Location)
		}
		s.Clock.Advance(31 * time.Second)
		if r := b.Post("/fr/login/totp", url.Values{"code": {s.Code()}}); r.Status != http.StatusSeeOther || r.Location != "/fr/staff" {
			t.Fatalf("code after single sign-on: %d %q", r.Status, r.Location)
		}
		mustBeIn(t, b, "single sign-on then code")

		// amr with a password only is not a second factor either.
		b = s.Browser()
		q = s.start(t, b, "/staff")
		if r := callback(b, s.idp.authorize(q, u.Email, map[string]any{"amr": []string{"pwd"}}, nil), q.Get("state")); r.Location != "/fr/login/totp" {
			t.Fatalf("amr pwd: %d %q, want the code step", r.Status, r.Location)
		}

		// A translator needs no second factor.
		b = s.Browser()
		q = s.start(t, b, "/staff")
		if r := callback(b, s.idp.authorize(q, vol.Email, nil, nil), q.Get("state")); r.Status != http.StatusSeeOther || r.Location != "/fr/staff" {
			t.Fatalf("translator: %d %q", r.Status, r.Location)
		}
		mustBeIn(t, b, "translator by single sign-on")
	})
}

func TestOIDCRefusals(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		s := newSSOWorld(t, e)
		o := s.Org("Centre A")
		site := s.Site(o, "PSA Bastille", "psa")
		u := s.User(o, "worker@example.org", auth.Membership{Role: auth.SocialWorker, SiteID: site.ID})
		admin := s.User(o, "admin@example.org", auth.Membership{Role: auth.Admin})
		_, rogue := rsaKeys(t)
		mfa := map[string]any{"amr": []string{"mfa"}}

		cases := []struct {
			name, email string
			claims      map[string]any
			key         *rsa.PrivateKey
			want        string
		}{
			{"unknown e-mail", "stranger@example.org", mfa, nil, "auth.sso.no_account"},
			{"nonce mismatch", u.Email, map[string]any{"amr": []string{"mfa"}, "nonce": "another-nonce"}, nil, "auth.sso.failed"},
			{"no nonce", u.Email, map[string]any{"amr": []string{"mfa"}, "nonce": nil}, nil, "auth.sso.failed"},
			{"e-mail not verified", u.Email, map[string]any{"amr": []string{"mfa"}, "email_verified": false}, nil, "auth.sso.failed"},
			{"no e-mail", u.Email, map[string]any{"amr": []string{"mfa"}, "email": nil}, nil, "auth.sso.failed"},
			{"other audience", u.Email, map[string]any{"amr": []string{"mfa"}, "aud": "another-client"}, nil, "auth.sso.failed"},
			{"other issuer", u.Email, map[string]any{"amr": []string{"mfa"}, "iss": "https://evil.example"}, nil, "auth.sso.failed"},
			{"expired token", u.Email, map[string]any{"amr": []string{"mfa"}, "exp": s.Clock.Now().Add(-time.Minute).Unix()}, nil, "auth.sso.failed"},
			{"signed by another key", u.Email, mfa, rogue, "auth.sso.failed"},
		}
		for _, c := range cases {
			b := s.Browser()
			q := s.start(t, b, "/staff")
			refused(t, s, b, callback(b, s.idp.authorize(q, c.email, c.claims, c.key), q.Get("state")), c.want, c.name)
		}
		if n := count(t, s.World, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login_failed' AND actor_label = 'stranger@example.org'"); n != 1 {
			t.Fatalf("audit of the unknown identity: %d", n)
		}

		// State mismatch: a code obtained for one request, sent back with another state.
		b := s.Browser()
		q := s.start(t, b, "/staff")
		code := s.idp.authorize(q, u.Email, mfa, nil)
		refused(t, s, b, callback(b, code, "forged-state"), "auth.sso.failed", "state mismatch")
		refused(t, s, b, callback(b, code, ""), "auth.sso.failed", "no state")
		// Login CSRF: the attacker's own code and state, in the victim's browser
		// (which never started a sign-in).
		b = s.Browser()
		q = s.start(t, b, "/staff")
		victim := s.Browser()
		refused(t, s, victim, callback(victim, s.idp.authorize(q, u.Email, mfa, nil), q.Get("state")), "auth.sso.failed", "callback without the state cookie")
		// Two sign-ins started in one browser: only the last one's state counts.
		b = s.Browser()
		first := s.start(t, b, "/staff")
		s.start(t, b, "/staff")
		refused(t, s, b, callback(b, s.idp.authorize(first, u.Email, mfa, nil), first.Get("state")), "auth.sso.failed", "stale state")
		b = s.Browser()
		s.start(t, b, "/staff")
		second := s.start(t, b, "/staff")
		if r := callback(b, s.idp.authorize(second, u.Email, mfa, nil), second.Get("state")); r.Status != http.StatusSeeOther || r.Location != "/fr/staff" {
			t.Fatalf("latest state: %d %q", r.Status, r.Location)
		}
		// The state cookie expires after 10 minutes.
		b = s.Browser()
		q = s.start(t, b, "/staff")
		s.Clock.Advance(11 * time.Minute)
		refused(t, s, b, callback(b, s.idp.authorize(q, u.Email, mfa, nil), q.Get("state")), "auth.sso.failed", "late callback")

		// A disabled account cannot sign in through the provider.
		ab := s.Browser().Login(admin)
		if r := ab.Post("/fr/admin/users/"+u.ID+"/disable", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("disable: %d", r.Status)
		}
		b = s.Browser()
		q = s.start(t, b, "/staff")
		refused(t, s, b, callback(b, s.idp.authorize(q, u.Email, mfa, nil), q.Get("state")), "auth.sso.no_account", "disabled account")
	})
}
