package auth

import (
	"bytes"
	"context"
	"embed"
	"encoding/base64"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
	"github.com/uptrace/bun"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/web"
)

//go:embed templates/*.html
var templatesFS embed.FS

// NavEntry is a staff menu entry shown to users with Perm. Entries of a
// Group (a message ID) are gathered in a drop-down menu of that name.
type NavEntry struct {
	Key, Path, Shortcut string
	Perm                Perm
	Group               string
}

// HTTP holds the sign-in pages and the access middleware.
type HTTP struct {
	S    *Service
	K    *web.Kit
	OIDC *OIDC // nil when single sign-on is not configured
	// Nav lists the menu entries; each is shown when the user may use it.
	Nav []NavEntry
	// Demo shows demo hints on the sign-in pages.
	Demo bool
}

// CookieName is the session cookie ("__Host-" when served over HTTPS).
func (h *HTTP) CookieName() string {
	if h.K.Secure {
		return "__Host-parcours_session"
	}
	return "parcours_session"
}

func (h *HTTP) setCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: h.CookieName(), Value: token, Path: "/", HttpOnly: true,
		Secure: h.K.Secure, SameSite: http.SameSiteLaxMode})
}

func (h *HTTP) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: h.CookieName(), Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: h.K.Secure, SameSite: http.SameSiteLaxMode})
}

func (h *HTTP) token(r *http.Request) string {
	c, err := r.Cookie(h.CookieName())
	if err != nil {
		return ""
	}
	return c.Value
}

// Register adds the sign-in routes and templates.
func (h *HTTP) Register(rt *web.Router) error {
	if err := h.K.R.AddPages("auth", templatesFS, "templates"); err != nil {
		return err
	}
	k := h.K
	rt.Handle("GET /login", k.H(h.loginPage))
	rt.Handle("POST /login", k.H(h.login))
	rt.Handle("GET /login/totp", k.H(h.totpPage))
	rt.Handle("POST /login/totp", k.H(h.totp))
	rt.Handle("GET /login/totp/setup", k.H(h.setupPage))
	rt.Handle("POST /login/totp/setup/new", k.H(h.setupNew))
	rt.Handle("POST /login/totp/setup", k.H(h.setup))
	rt.Handle("POST /logout", k.H(h.logout))
	rt.Handle("GET /password/forgot", k.H(h.forgotPage))
	rt.Handle("POST /password/forgot", k.H(h.forgot))
	rt.Handle("GET /password/reset/{token}", k.H(h.resetPage))
	rt.Handle("POST /password/reset/{token}", k.H(h.reset))
	rt.Handle("GET /account", h.Need(PermStaff, k.H(h.accountPage)))
	rt.Handle("POST /account/password", h.Need(PermStaff, k.H(h.accountPassword)))
	rt.Handle("POST /account/logout-everywhere", h.Need(PermStaff, k.H(h.logoutEverywhere)))
	if h.OIDC != nil {
		rt.Handle("POST /login/sso", k.H(h.ssoStart))
		rt.Root("GET /auth/oidc/callback", k.H(h.ssoCallback))
	}
	for _, root := range []string{"/staff", "/admin", "/account"} {
		h.StaffArea(rt, root)
	}
	return nil
}

// StaffArea makes every other path under root (any method) answer like the
// staff pages there: strangers go to sign-in, signed-in users get the 404
// page. Otherwise the difference between Need's redirect and a 404 would
// list the staff routes and their methods to anyone. A module whose staff
// pages live under a new root calls it once for that root.
func (h *HTTP) StaffArea(rt *web.Router, root string) {
	rt.Handle(root, h.Need(PermStaff, h.K.H(notFound)))
	rt.Handle(root+"/", h.Need(PermStaff, h.K.H(notFound)))
}

func notFound(http.ResponseWriter, *http.Request) error { return apperr.ErrNotFound }

// Need lets a request through when a fully signed-in user has perm; it
// redirects to sign-in otherwise, and answers 403 when the role is wrong.
func (h *HTTP) Need(perm Perm, next http.Handler) http.Handler {
	return h.K.H(func(w http.ResponseWriter, r *http.Request) error {
		p, err := h.S.Principal(r.Context(), h.token(r))
		if err != nil {
			if ae, ok := apperr.As(err); ok && ae.Kind == apperr.Unauthenticated {
				target := "/login?next=" + url.QueryEscape(r.URL.RequestURI())
				if ae.Key == "auth.mfa.pending" {
					target = "/login/totp"
				}
				if r.Header.Get("HX-Request") == "true" {
					w.Header().Set("HX-Redirect", web.LangURL(r, target))
					w.WriteHeader(http.StatusUnauthorized)
					return nil
				}
				return web.Redirect(w, r, target)
			}
			return err
		}
		if perm != "" && !p.Can(perm) {
			return apperr.ErrForbidden
		}
		ctx := WithPrincipal(r.Context(), p)
		ctx = audit.WithActor(ctx, audit.Actor{UserID: p.UserID, OrgID: p.OrgID, Label: p.Email,
			IP: web.ClientIP(ctx), RequestID: web.RequestID(ctx)})
		ctx = web.WithViewer(ctx, h.viewer(p))
		web.SetLogUser(ctx, p.UserID)
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r.WithContext(ctx))
		return nil
	})
}

func (h *HTTP) viewer(p *Principal) *web.Viewer {
	v := &web.Viewer{UserID: p.UserID, Name: p.Name, Email: p.Email, OrgName: p.OrgName, Demo: p.Demo}
	for _, m := range p.Memberships {
		if k := m.Role.MessageKey(); !slices.Contains(v.Roles, k) {
			v.Roles = append(v.Roles, k)
		}
	}
	for _, n := range h.Nav {
		if p.Can(n.Perm) {
			v.Nav = append(v.Nav, web.NavItem{Key: n.Key, Path: n.Path, Shortcut: n.Shortcut, Group: n.Group})
		}
	}
	return v
}

// safeNext keeps a local path (without language) to go to after sign-in.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/staff"
	}
	u, err := url.Parse(next)
	if err != nil || u.Host != "" || u.Scheme != "" {
		return "/staff"
	}
	return u.RequestURI()
}

type loginData struct {
	Email string
	Next  string
	SSO   string // button label when single sign-on is on
	Demo  bool
	// Problem is the message ID of a refused sign-in (the template reads it
	// on every render, so the field must exist even when empty).
	Problem string
}

func (h *HTTP) loginData(r *http.Request, email string) loginData {
	d := loginData{Email: email, Next: safeNext(r.FormValue("next")), Demo: h.Demo}
	if h.OIDC != nil {
		d.SSO = h.OIDC.Label
	}
	return d
}

func (h *HTTP) loginPage(w http.ResponseWriter, r *http.Request) error {
	return h.K.Render(w, r, http.StatusOK, "auth/login", h.loginData(r, ""))
}

func (h *HTTP) login(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	email := f.Required("email", 254)
	pw := f.Value("password")
	if pw == "" {
		f.Fail("password", "common.form.required")
	}
	d := h.loginData(r, email)
	if !f.OK() {
		return h.K.RenderInvalid(w, r, "auth/login", d, f.Errors)
	}
	token, step, err := h.S.Login(r.Context(), email, pw, web.ClientIP(r.Context()), r.UserAgent())
	if err != nil {
		if ae, ok := apperr.As(err); ok && (ae.Kind == apperr.Unauthenticated || ae.Kind == apperr.TooMany) {
			status := http.StatusUnauthorized
			if ae.Kind == apperr.TooMany {
				status = http.StatusTooManyRequests
			}
			d.Problem = ae.Key
			return h.K.Render(w, r, status, "auth/login", d)
		}
		return err
	}
	h.setCookie(w, token)
	switch step {
	case StepTOTP:
		return web.Redirect(w, r, "/login/totp?next="+url.QueryEscape(d.Next))
	case StepEnroll:
		return web.Redirect(w, r, "/login/totp/setup?next="+url.QueryEscape(d.Next))
	}
	return web.Redirect(w, r, d.Next)
}

type totpData struct {
	Next     string
	Problem  string
	DemoCode string // demo accounts in demo mode only
}

func (h *HTTP) pending(r *http.Request) (*User, error) {
	_, u, err := h.S.Pending(r.Context(), h.token(r))
	if err != nil {
		return nil, apperr.New(apperr.Unauthenticated, "auth.login.required")
	}
	return u, nil
}

func (h *HTTP) totpPage(w http.ResponseWriter, r *http.Request) error {
	u, err := h.pending(r)
	if err != nil {
		return web.Redirect(w, r, "/login")
	}
	if u.TOTPEnabledAt == nil {
		return web.Redirect(w, r, "/login/totp/setup")
	}
	return h.K.Render(w, r, http.StatusOK, "auth/totp", totpData{Next: safeNext(r.FormValue("next")), DemoCode: h.demoCode(u)})
}

func (h *HTTP) demoCode(u *User) string {
	if !h.Demo || !u.Demo {
		return ""
	}
	code, err := h.S.CurrentCode(u)
	if err != nil {
		return ""
	}
	return code
}

func (h *HTTP) totp(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	next := safeNext(f.Value("next"))
	code := strings.ReplaceAll(f.Value("code"), " ", "")
	token, err := h.S.VerifyTOTP(r.Context(), h.token(r), code, web.ClientIP(r.Context()), r.UserAgent())
	if err != nil {
		if ae, ok := apperr.As(err); ok && (ae.Kind == apperr.Invalid || ae.Kind == apperr.TooMany) {
			u, _ := h.pending(r)
			d := totpData{Next: next, Problem: ae.Key}
			if u != nil {
				d.DemoCode = h.demoCode(u)
			}
			return h.K.Render(w, r, status(ae.Kind), "auth/totp", d)
		}
		if ae, ok := apperr.As(err); ok && ae.Kind == apperr.Unauthenticated {
			return web.Redirect(w, r, "/login")
		}
		return err
	}
	h.setCookie(w, token)
	return web.Redirect(w, r, next)
}

func status(k apperr.Kind) int {
	if k == apperr.TooMany {
		return http.StatusTooManyRequests
	}
	return http.StatusUnprocessableEntity
}

type setupData struct {
	Next    string
	Secret  string
	QR      template.URL // data: URL of the QR code PNG (html/template would blank a plain string)
	Problem string
}

func (h *HTTP) setupPage(w http.ResponseWriter, r *http.Request) error {
	u, err := h.pending(r)
	if err != nil {
		return web.Redirect(w, r, "/login")
	}
	if u.TOTPEnabledAt != nil {
		return web.Redirect(w, r, "/login/totp")
	}
	d := setupData{Next: safeNext(r.FormValue("next"))}
	if e, err := h.S.EnrollmentOf(u); err == nil {
		d.Secret, d.QR = groupSecret(e.Secret), qrDataURL(e.URL)
	}
	return h.K.Render(w, r, http.StatusOK, "auth/setup", d)
}

func (h *HTTP) setupNew(w http.ResponseWriter, r *http.Request) error {
	u, err := h.pending(r)
	if err != nil {
		return web.Redirect(w, r, "/login")
	}
	if _, err := h.S.StartEnrollment(r.Context(), u); err != nil {
		return err
	}
	return web.Redirect(w, r, "/login/totp/setup?next="+url.QueryEscape(safeNext(r.FormValue("next"))))
}

func (h *HTTP) setup(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	next := safeNext(f.Value("next"))
	code := strings.ReplaceAll(f.Value("code"), " ", "")
	token, err := h.S.ConfirmEnrollment(r.Context(), h.token(r), code, web.ClientIP(r.Context()), r.UserAgent())
	if err != nil {
		if ae, ok := apperr.As(err); ok && ae.Kind == apperr.Invalid {
			u, perr := h.pending(r)
			if perr != nil {
				return web.Redirect(w, r, "/login")
			}
			d := setupData{Next: next, Problem: ae.Key}
			if e, err := h.S.EnrollmentOf(u); err == nil {
				d.Secret, d.QR = groupSecret(e.Secret), qrDataURL(e.URL)
			}
			return h.K.Render(w, r, http.StatusUnprocessableEntity, "auth/setup", d)
		}
		if ae, ok := apperr.As(err); ok && ae.Kind == apperr.Unauthenticated {
			return web.Redirect(w, r, "/login")
		}
		return err
	}
	h.setCookie(w, token)
	h.K.SetFlash(w, web.Flash{Key: "auth.totp.enrolled"})
	return web.Redirect(w, r, next)
}

func qrDataURL(s string) template.URL {
	png, err := qrcode.Encode(s, qrcode.Medium, 256)
	if err != nil {
		return ""
	}
	var b bytes.Buffer
	b.WriteString("data:image/png;base64,")
	b.WriteString(base64.StdEncoding.EncodeToString(png))
	return template.URL(b.String()) // our own PNG, base64: safe
}

// groupSecret shows a secret in groups of four for typing by hand.
func groupSecret(s string) string {
	var parts []string
	for len(s) > 4 {
		parts = append(parts, s[:4])
		s = s[4:]
	}
	return strings.Join(append(parts, s), " ")
}

func (h *HTTP) logout(w http.ResponseWriter, r *http.Request) error {
	if err := h.S.Logout(r.Context(), h.token(r)); err != nil {
		return err
	}
	h.clearCookie(w)
	h.K.SetFlash(w, web.Flash{Key: "auth.logout.done"})
	return web.Redirect(w, r, "/login")
}

func (h *HTTP) forgotPage(w http.ResponseWriter, r *http.Request) error {
	return h.K.Render(w, r, http.StatusOK, "auth/forgot", nil)
}

func (h *HTTP) forgot(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	email := f.Required("email", 254)
	if !f.OK() || !strings.Contains(email, "@") {
		f.Fail("email", "auth.email.invalid")
		return h.K.RenderInvalid(w, r, "auth/forgot", nil, f.Errors)
	}
	if err := h.S.RequestReset(r.Context(), email, web.Lang(r.Context()).Tag, web.ClientIP(r.Context())); err != nil {
		return err
	}
	return h.K.Done(w, r, "/login", "auth.reset.sent")
}

func (h *HTTP) resetPage(w http.ResponseWriter, r *http.Request) error {
	if err := h.S.CheckReset(r.Context(), r.PathValue("token")); err != nil {
		return err
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	return h.K.Render(w, r, http.StatusOK, "auth/reset", nil)
}

func (h *HTTP) reset(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	pw := f.Value("password")
	if pw != f.Value("confirm") {
		f.Fail("confirm", "auth.password.mismatch")
	}
	if !f.OK() {
		return h.K.RenderInvalid(w, r, "auth/reset", nil, f.Errors)
	}
	err = h.S.ResetPassword(r.Context(), r.PathValue("token"), pw, web.ClientIP(r.Context()))
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.Invalid {
		return h.K.RenderInvalid(w, r, "auth/reset", nil, ae.Fields)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/login", "auth.reset.done")
}

type accountData struct {
	P        *Principal
	Sessions []SessionRow
	Current  string
}

func (h *HTTP) accountPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderAccount(w, r, http.StatusOK, nil)
}

func (h *HTTP) renderAccount(w http.ResponseWriter, r *http.Request, status int, fields map[string]string) error {
	p := From(r.Context())
	ss, err := h.S.Sessions(r.Context(), p.UserID)
	if err != nil {
		return err
	}
	d := accountData{P: p, Sessions: ss, Current: p.SessionID}
	if fields != nil {
		return h.K.RenderInvalid(w, r, "auth/account", d, fields)
	}
	return h.K.Render(w, r, status, "auth/account", d)
}

func (h *HTTP) accountPassword(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	if f.Value("password") != f.Value("confirm") {
		f.Fail("confirm", "auth.password.mismatch")
		return h.renderAccount(w, r, 0, f.Errors)
	}
	err = h.S.ChangePassword(r.Context(), From(r.Context()), f.Value("current"), f.Value("password"))
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.Invalid {
		return h.renderAccount(w, r, 0, ae.Fields)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/account", "auth.password.changed")
}

func (h *HTTP) logoutEverywhere(w http.ResponseWriter, r *http.Request) error {
	p := From(r.Context())
	var n int64
	err := h.S.DB.Tx(r.Context(), func(ctx context.Context, tx bun.Tx) error {
		var err error
		n, err = h.S.LogoutEverywhere(ctx, tx, p.OrgID, p.UserID)
		return err
	})
	if err != nil {
		return err
	}
	h.clearCookie(w)
	return h.K.Done(w, r, "/login", "auth.logout.everywhere_done", "Count", n)
}
