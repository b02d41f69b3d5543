package domicile

import (
	"net/http"
	"strconv"
	"time"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/web"
)

// The person's portal: public pages in the person's language (the URL's),
// its own short session cookie, no staff account.

const portalCookie = "parcours_portal"

func (h *HTTP) registerPortal(rt *web.Router) {
	k := h.K
	rt.Handle("GET /portal", k.H(h.portalLogin))
	rt.Handle("POST /portal/code", k.H(h.portalCode))
	rt.Handle("GET /portal/code", k.H(h.portalCodeForm))
	rt.Handle("POST /portal/login", k.H(h.portalSignIn))
	rt.Handle("GET /portal/home", k.H(h.portalHome))
	rt.Handle("POST /portal/logout", k.H(h.portalSignOut))
}

type portalData struct {
	Number  string
	Problem *apperr.Error
	E       *Entry
	Today   time.Time
	Mail    []Mail
	Proxies []Proxy
	Forward *Forward
	Site    *Settings
}

// RenewSoon reports whether the person should ask for the renewal (two
// months before the end, as the attestation advises).
func (d portalData) RenewSoon() bool {
	f := d.E.File
	return f.Status == StatusValid && f.EndOn != nil && !f.EndOn.After(d.Today.AddDate(0, 2, 0))
}

func (h *HTTP) portalLogin(w http.ResponseWriter, r *http.Request) error {
	return h.K.Render(w, r, http.StatusOK, "domicile/portal_login", portalData{Number: clip(web.Clean(r.URL.Query().Get("n")), 12)})
}

// portalNumber reads the number typed (or scanned from the card).
func portalNumber(f *web.Form) (int, string) {
	raw := f.Value("number")
	n, ok := ParseRef(raw)
	if !ok {
		f.Fail("number", "domicile.portal.number_invalid")
	}
	return n, clip(raw, 12)
}

func (h *HTTP) portalCode(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	n, raw := portalNumber(f)
	phone := f.Required("phone", 40)
	d := portalData{Number: raw}
	if !f.OK() {
		return h.K.RenderInvalid(w, r, "domicile/portal_login", d, f.Errors)
	}
	err = h.S.PortalRequestCode(r.Context(), n, phone, web.ClientIP(r.Context()), web.Lang(r.Context()).Tag)
	if apperr.Is(err, apperr.TooMany) {
		d.Problem, _ = apperr.As(err)
		return h.K.Render(w, r, http.StatusTooManyRequests, "domicile/portal_login", d)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/portal/code?n="+strconv.Itoa(n), "domicile.portal.code_sent")
}

func (h *HTTP) portalCodeForm(w http.ResponseWriter, r *http.Request) error {
	return h.K.Render(w, r, http.StatusOK, "domicile/portal_code", portalData{Number: clip(web.Clean(r.URL.Query().Get("n")), 12)})
}

func (h *HTTP) portalSignIn(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	n, raw := portalNumber(f)
	code := f.Required("code", 10)
	d := portalData{Number: raw}
	if !f.OK() {
		return h.K.RenderInvalid(w, r, "domicile/portal_code", d, f.Errors)
	}
	token, err := h.S.PortalSignIn(r.Context(), n, code, web.ClientIP(r.Context()))
	if ae, ok := invalid(err); ok {
		return h.K.RenderInvalid(w, r, "domicile/portal_code", d, map[string]string{"code": ae.Key})
	}
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: portalCookie, Value: token, Path: "/", HttpOnly: true, Secure: h.K.Secure,
		SameSite: http.SameSiteStrictMode, MaxAge: int(PortalSession / time.Second)})
	return web.Redirect(w, r, "/portal/home")
}

func portalToken(r *http.Request) string {
	c, err := r.Cookie(portalCookie)
	if err != nil {
		return ""
	}
	return c.Value
}

func (h *HTTP) portalHome(w http.ResponseWriter, r *http.Request) error {
	e, err := h.S.PortalFile(r.Context(), portalToken(r))
	if apperr.Is(err, apperr.Unauthenticated) {
		return web.Redirect(w, r, "/portal")
	}
	if err != nil {
		return err
	}
	ctx := r.Context()
	d := portalData{E: e, Today: h.S.today()}
	all, err := h.S.MailOf(ctx, e.File.ID, 50)
	if err != nil {
		return err
	}
	for _, m := range all {
		if m.Status == "pending" {
			d.Mail = append(d.Mail, m)
		}
	}
	pxs, err := h.S.Proxies(ctx, e.File.ID)
	if err != nil {
		return err
	}
	for _, px := range pxs {
		if px.ActiveOn(d.Today) {
			d.Proxies = append(d.Proxies, px)
		}
	}
	if d.Forward, err = h.S.activeForward(ctx, e.File.ID, d.Today); err != nil {
		return err
	}
	if d.Site, err = h.S.Settings(ctx, h.S.DB.R, e.File.OrgID, e.File.SiteID); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return h.K.Render(w, r, http.StatusOK, "domicile/portal_home", d)
}

func (h *HTTP) portalSignOut(w http.ResponseWriter, r *http.Request) error {
	if err := h.S.PortalSignOut(r.Context(), portalToken(r)); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: portalCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: h.K.Secure,
		SameSite: http.SameSiteStrictMode})
	return h.K.Done(w, r, "/portal", "domicile.portal.signed_out_done")
}
