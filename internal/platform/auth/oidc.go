package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/uptrace/bun"
	"golang.org/x/oauth2"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/web"
)

// OIDC signs users in through an OpenID Connect provider. Accounts are not
// created by single sign-on: the e-mail must match an existing account.
// When the provider says the user passed a second factor (the amr claim),
// no TOTP is asked; otherwise roles that need one still enter their code.
type OIDC struct {
	Issuer, ClientID, ClientSecret, RedirectURL, Label string
	Secret                                             []byte // signs the state cookie

	mu       sync.Mutex
	provider *oidc.Provider
}

func (o *OIDC) init(ctx context.Context) (*oidc.Provider, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return o.provider, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	p, err := oidc.NewProvider(ctx, o.Issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc discovery at %s: %w", o.Issuer, err)
	}
	o.provider = p
	return p, nil
}

func (o *OIDC) config(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: o.ClientID, ClientSecret: o.ClientSecret, RedirectURL: o.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
}

type oidcState struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"x"`
	Lang     string `json:"l"`
	Exp      int64  `json:"e"`
}

const oidcCookie = "parcours_oidc"

func (o *OIDC) sign(payload string) string {
	m := hmac.New(sha256.New, o.Secret)
	m.Write([]byte("oidc:" + payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func random() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (h *HTTP) ssoStart(w http.ResponseWriter, r *http.Request) error {
	o := h.OIDC
	p, err := o.init(r.Context())
	if err != nil {
		return apperr.Wrap(apperr.Internal, "auth.sso.unavailable", err)
	}
	st := oidcState{State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier(),
		Next: safeNext(r.FormValue("next")), Lang: web.Lang(r.Context()).Tag, Exp: h.S.Clock.Now().Add(10 * time.Minute).Unix()}
	b, _ := json.Marshal(st)
	payload := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: payload + "." + o.sign(payload), Path: "/auth/oidc/",
		HttpOnly: true, Secure: h.K.Secure, SameSite: http.SameSiteLaxMode, MaxAge: 600})
	u := o.config(p).AuthCodeURL(st.State, oidc.Nonce(st.Nonce), oauth2.S256ChallengeOption(st.Verifier))
	http.Redirect(w, r, u, http.StatusSeeOther)
	return nil
}

func (h *HTTP) ssoCallback(w http.ResponseWriter, r *http.Request) error {
	o := h.OIDC
	fail := apperr.New(apperr.Unauthenticated, "auth.sso.failed")
	c, err := r.Cookie(oidcCookie)
	if err != nil {
		return fail
	}
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: "", Path: "/auth/oidc/", MaxAge: -1, HttpOnly: true, Secure: h.K.Secure})
	payload, sig, ok := strings.Cut(c.Value, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(o.sign(payload))) {
		return fail
	}
	var st oidcState
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil || json.Unmarshal(raw, &st) != nil || h.S.Clock.Now().Unix() > st.Exp {
		return fail
	}
	ctx := web.WithLang(r.Context(), langOrDefault(st.Lang))
	r = r.WithContext(ctx)
	if r.URL.Query().Get("state") != st.State || r.URL.Query().Get("code") == "" {
		return fail
	}
	p, err := o.init(ctx)
	if err != nil {
		return apperr.Wrap(apperr.Internal, "auth.sso.unavailable", err)
	}
	tok, err := o.config(p).Exchange(ctx, r.URL.Query().Get("code"), oauth2.VerifierOption(st.Verifier))
	if err != nil {
		return apperr.Wrap(apperr.Unauthenticated, "auth.sso.failed", err)
	}
	rawID, _ := tok.Extra("id_token").(string)
	idt, err := p.Verifier(&oidc.Config{ClientID: o.ClientID, Now: h.S.Clock.Now}).Verify(ctx, rawID)
	if err != nil || idt.Nonce != st.Nonce {
		return apperr.Wrap(apperr.Unauthenticated, "auth.sso.failed", err)
	}
	var claims struct {
		Email    string   `json:"email"`
		Verified *bool    `json:"email_verified"`
		AMR      []string `json:"amr"`
	}
	if err := idt.Claims(&claims); err != nil || claims.Email == "" || (claims.Verified != nil && !*claims.Verified) {
		return fail
	}
	mfa := slices.ContainsFunc(claims.AMR, func(s string) bool { return s == "mfa" || s == "otp" || s == "hwk" || s == "swk" })
	token, step, err := h.S.LoginSSO(ctx, claims.Email, mfa, web.ClientIP(ctx), r.UserAgent())
	if err != nil {
		return err
	}
	h.setCookie(w, token)
	next := "/" + st.Lang + st.Next
	switch step {
	case StepTOTP:
		next = "/" + st.Lang + "/login/totp"
	case StepEnroll:
		next = "/" + st.Lang + "/login/totp/setup"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func langOrDefault(tag string) web.Language {
	return web.LanguageOr(tag)
}

// LoginSSO opens a session for the account with this e-mail, after the
// identity provider has authenticated it.
func (s *Service) LoginSSO(ctx context.Context, email string, providerMFA bool, ip, ua string) (string, Step, error) {
	u, err := UserByEmail(ctx, s.DB.R, email)
	if err != nil || u.DisabledAt != nil {
		_ = s.Audit.RecordNow(ctx, audit.Event{Action: "auth.login_failed", ActorLabel: NormalizeEmail(email), IP: ip,
			Details: map[string]any{"method": "oidc", "reason": "no account"}})
		return "", 0, apperr.New(apperr.Unauthenticated, "auth.sso.no_account")
	}
	ms, err := MembershipsOf(ctx, s.DB.R, u.OrgID, u.ID)
	if err != nil {
		return "", 0, err
	}
	step := StepDone
	if (&Principal{Memberships: ms}).RequiresMFA() && !providerMFA {
		step = StepTOTP
		if u.TOTPEnabledAt == nil {
			step = StepEnroll
		}
	}
	var token string
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if token, err = s.createSession(ctx, tx, u, step == StepDone, ip, ua); err != nil {
			return err
		}
		if err := s.succeed(ctx, tx, u.Email, u); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "auth.login", OrgID: u.OrgID, ObjectType: "user", ObjectID: u.ID,
			ActorLabel: u.Email, IP: ip, Details: map[string]any{"method": "oidc", "provider_mfa": providerMFA}})
	})
	return token, step, err
}
