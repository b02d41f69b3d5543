package domicile

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"time"

	"parcours/internal/people"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/i18n"
	"parcours/internal/platform/web"
)

// fileData is the file page.
type fileData struct {
	E         *Entry
	SiteName  string
	Today     time.Time
	Decisions []Decision
	Interview *Interview
	Deps      []Dependant
	DepRows   []Dependant
	Mail      []Mail
	Contacts  []Contact
	Proxies   []Proxy
	Forwards  []Forward
	Settings  *Settings
	Allowed   []string
	Users     map[string]string
	Instruct  bool
	Decide    bool
	// Problem is a refused action (another desk was first...).
	Problem *apperr.Error
	Langs   []i18n.Language
}

// Covered reports whether the election is in force today.
func (d *fileData) Covered() bool { return d.E.File.CoveredOn(d.Today) }

// Overdue reports whether an open request passed its two-month deadline.
func (d *fileData) Overdue() bool { return d.E.File.Open() && d.Today.After(d.E.File.Deadline()) }

// Silent reports whether the person has not come for three months.
func (d *fileData) Silent() bool {
	f := d.E.File
	return d.Covered() && f.LastContactOn.Before(SilentSince(d.Today)) && !f.Excused(d.Today)
}

// ExpiresSoon reports whether the election ends within a month.
func (d *fileData) ExpiresSoon() bool {
	f := d.E.File
	return f.Status == StatusValid && d.Covered() && !f.EndOn.After(d.Today.AddDate(0, 1, 0))
}

// ActiveProxies are the proxies in force today.
func (d *fileData) ActiveProxies() []Proxy {
	var out []Proxy
	for _, px := range d.Proxies {
		if px.ActiveOn(d.Today) {
			out = append(out, px)
		}
	}
	return out
}

// ActiveForward is the forwarding in force, or nil.
func (d *fileData) ActiveForward() *Forward {
	for i := range d.Forwards {
		if d.Forwards[i].ActiveOn(d.Today) {
			return &d.Forwards[i]
		}
	}
	return nil
}

// Pending lists the items waiting at the desk.
func (d *fileData) Pending() []Mail {
	var out []Mail
	for _, m := range d.Mail {
		if m.Status == "pending" {
			out = append(out, m)
		}
	}
	return out
}

// PendingOf counts the pending items of a kind.
func (d *fileData) PendingOf(kind string) int {
	switch kind {
	case "letter":
		return d.E.File.PendingLetters
	case "registered":
		return d.E.File.PendingRegistered
	}
	return d.E.File.PendingParcels
}

// MailKinds are the kinds, for the template.
func (d *fileData) MailKinds() []string { return MailKinds }

// CanUndo reports whether a decision can be undone.
func (d *fileData) CanUndo() bool {
	for _, dec := range d.Decisions {
		if dec.UndoneAt == nil {
			return dec.Seq > 1
		}
	}
	return false
}

func (h *HTTP) fileData(r *http.Request, id string, view string) (*fileData, error) {
	ctx, p := r.Context(), auth.From(r.Context())
	e, err := h.S.Entry(ctx, p, id, auth.PermDomicileMail, view)
	if err != nil {
		return nil, err
	}
	f := e.File
	d := &fileData{E: e, Today: h.S.today(), Instruct: p.CanAt(auth.PermDomicileInstruct, f.SiteID),
		Decide: p.CanAt(auth.PermDomicileDecide, f.SiteID), Langs: i18n.Languages}
	// Only the decisions this user may take are offered (PermTo).
	d.Allowed = slices.DeleteFunc(Allowed(f, d.Today), func(to string) bool { return !p.CanAt(PermTo(to), f.SiteID) })
	if d.Decisions, err = h.S.Decisions(ctx, f.ID); err != nil {
		return nil, err
	}
	if d.Interview, err = h.S.Interview(ctx, f.ID); err != nil {
		return nil, err
	}
	if d.Deps, err = h.S.Dependants(ctx, f.ID); err != nil {
		return nil, err
	}
	d.DepRows = append(append([]Dependant(nil), d.Deps...), make([]Dependant, 3)...)
	if d.Mail, err = h.S.MailOf(ctx, f.ID, 100); err != nil {
		return nil, err
	}
	if d.Contacts, err = h.S.Contacts(ctx, f.ID, 20); err != nil {
		return nil, err
	}
	if d.Proxies, err = h.S.Proxies(ctx, f.ID); err != nil {
		return nil, err
	}
	if d.Forwards, err = h.S.Forwards(ctx, f.ID); err != nil {
		return nil, err
	}
	if d.Settings, err = h.S.Settings(ctx, h.S.DB.R, f.OrgID, f.SiteID); err != nil {
		return nil, err
	}
	d.SiteName = d.Settings.SiteName
	if d.Users, err = h.S.userNames(ctx, p.OrgID); err != nil {
		return nil, err
	}
	return d, nil
}

func (h *HTTP) file(w http.ResponseWriter, r *http.Request) error {
	d, err := h.fileData(r, r.PathValue("id"), "page")
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "domicile/file", d)
}

// act finishes an action of the file page: done, the confirmation and back
// to the page (anchor); refused, the page again with the field errors
// (422) or with what prevented it (409).
func (h *HTTP) act(w http.ResponseWriter, r *http.Request, err error, anchor, key string, args ...any) error {
	id := r.PathValue("id")
	if ae, ok := invalid(err); ok {
		d, derr := h.fileData(r, id, "")
		if derr != nil {
			return derr
		}
		return h.K.RenderInvalid(w, r, "domicile/file", d, ae.Fields)
	}
	if ae, ok := conflict(err); ok {
		d, derr := h.fileData(r, id, "")
		if derr != nil {
			return derr
		}
		d.Problem = ae
		return h.K.Render(w, r, http.StatusConflict, "domicile/file", d)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/domiciliation/files/"+id+anchor, key, args...)
}

func (h *HTTP) identity(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := IdentityInput{Civility: f.Value("civility"), BirthPlace: f.Value("birth_place"), Email: f.Value("email"),
		Restricted: f.Bool("restricted"), AppointmentWith: f.Value("appointment_with")}
	if v := f.Value("appointment_at"); v != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", v, clock.Paris)
		if err != nil {
			f.Fail("appointment_at", "common.form.date_invalid")
		} else {
			in.AppointmentAt = ptr(t.UTC())
		}
	}
	given, family, births, links := f.RawValues("dep_given"), f.RawValues("dep_family"), f.RawValues("dep_birth"), f.RawValues("dep_link")
	for i := range family {
		dp := Dependant{Family: web.Clean(family[i])}
		if i < len(given) {
			dp.Given = web.Clean(given[i])
		}
		if dp.Family == "" && dp.Given == "" {
			continue
		}
		if i < len(births) && web.Clean(births[i]) != "" {
			t, ok := web.ParseDate(births[i])
			if !ok {
				f.Fail("dependants", "common.form.date_invalid")
			}
			dp.BirthDate = &t
		}
		if i < len(links) {
			dp.Link = web.Clean(links[i])
		}
		in.Dependants = append(in.Dependants, dp)
	}
	if !f.OK() {
		return h.act(w, r, apperr.Validation(f.Errors), "", "")
	}
	err = h.S.SetIdentity(r.Context(), auth.From(r.Context()), r.PathValue("id"), in)
	return h.act(w, r, err, "#identity", "domicile.identity.saved")
}

func (h *HTTP) receipt(w http.ResponseWriter, r *http.Request) error {
	_, err := h.S.GiveReceipt(r.Context(), auth.From(r.Context()), r.PathValue("id"))
	return h.act(w, r, err, "", "domicile.receipt.given")
}

func (h *HTTP) contact(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	kind := f.Value("kind")
	_, err = h.S.LogContact(r.Context(), auth.From(r.Context()), r.PathValue("id"), kind, f.Value("note"))
	return h.act(w, r, err, "#contacts", "domicile.contact.logged_"+kindKey(kind, []string{"visit", "call"}))
}

// kindKey returns kind if it is one of allowed (for a message ID), else
// the first.
func kindKey(kind string, allowed []string) string {
	if oneOf(allowed, kind) {
		return kind
	}
	return allowed[0]
}

func (h *HTTP) excuse(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	until := f.Date("excuse_until")
	if !f.OK() {
		return h.act(w, r, apperr.Validation(f.Errors), "", "")
	}
	_, err = h.S.SetExcuse(r.Context(), auth.From(r.Context()), r.PathValue("id"), f.Value("excuse"), until)
	return h.act(w, r, err, "#contacts", "domicile.excuse.saved")
}

func (h *HTTP) mailOut(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := OutInput{FileID: r.PathValue("id"), Kind: f.Value("kind"), IDs: f.Values("item"), To: f.Value("to"), ProxyID: f.Value("proxy")}
	res, err := h.S.MailOut(r.Context(), auth.From(r.Context()), in)
	if err != nil {
		return h.act(w, r, err, "", "")
	}
	back := f.Value("back")
	path := "/domiciliation/files/" + in.FileID + "#mail"
	if back == "desk" {
		path = "/domiciliation/mail"
	}
	return h.K.Done(w, r, path, "domicile.mail.out_done."+in.To, "Count", res.Items, "Number", res.File.Number, "Recipient", res.Recipient)
}

func (h *HTTP) proxyAdd(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := ProxyInput{Given: f.Optional("proxy_given", maxShort), Family: f.Optional("proxy_family", maxShort), BirthDate: f.Date("proxy_birth"),
		StartsOn: f.Date("proxy_starts"), EndsOn: f.Date("proxy_ends")}
	if !f.OK() {
		return h.act(w, r, apperr.Validation(f.Errors), "", "")
	}
	px, err := h.S.AddProxy(r.Context(), auth.From(r.Context()), r.PathValue("id"), in)
	if err != nil {
		return h.act(w, r, err, "", "")
	}
	return h.act(w, r, nil, "#proxies", "domicile.proxy.added", "Name", px.Name())
}

func (h *HTTP) proxyEnd(w http.ResponseWriter, r *http.Request) error {
	px, err := h.S.EndProxy(r.Context(), auth.From(r.Context()), r.PathValue("id"), r.PathValue("pid"))
	if err != nil {
		return h.act(w, r, err, "", "")
	}
	return h.act(w, r, nil, "#proxies", "domicile.proxy.ended", "Name", px.Name())
}

func (h *HTTP) forwardSet(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := ForwardInput{Name: f.Optional("forward_name", maxShort), Address: f.Optional("forward_address", 300),
		StartsOn: f.Date("forward_starts"), EndsOn: f.Date("forward_ends")}
	if !f.OK() {
		return h.act(w, r, apperr.Validation(f.Errors), "", "")
	}
	_, err = h.S.SetForward(r.Context(), auth.From(r.Context()), r.PathValue("id"), in)
	return h.act(w, r, err, "#forward", "domicile.forward.saved")
}

func (h *HTTP) forwardEnd(w http.ResponseWriter, r *http.Request) error {
	err := h.S.EndForward(r.Context(), auth.From(r.Context()), r.PathValue("id"))
	return h.act(w, r, err, "#forward", "domicile.forward.ended")
}

func (h *HTTP) portalToggle(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	on := f.Bool("on")
	err = h.S.SetPortal(r.Context(), auth.From(r.Context()), r.PathValue("id"), on)
	key := "domicile.portal.closed"
	if on {
		key = "domicile.portal.opened"
	}
	return h.act(w, r, err, "#portal", key)
}

func (h *HTTP) renew(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	on := f.Date("requested_on")
	if !f.OK() {
		return h.act(w, r, apperr.Validation(f.Errors), "", "")
	}
	fl, err := h.S.Renew(r.Context(), auth.From(r.Context()), r.PathValue("id"), on)
	if err != nil {
		return h.act(w, r, err, "", "")
	}
	return h.act(w, r, nil, "", "domicile.renew.done_"+fl.Kind)
}

func (h *HTTP) undo(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	_, err = h.S.Undo(r.Context(), auth.From(r.Context()), r.PathValue("id"), f.Value("undo_reason"))
	return h.act(w, r, err, "#decisions", "domicile.undo.done")
}

// ---- interview ----

type interviewData struct {
	E     *Entry
	I     *Interview
	Today time.Time
}

// Vocab returns a vocabulary for the interview's selects.
func (d interviewData) Vocab(name string) []web.Option {
	lists := map[string][]string{"link": Links, "household": Households, "residence": Residences, "cause": Causes, "reason": Reasons, "work": Works}
	out := []web.Option{{Value: "", Label: "domicile.not_given"}}
	for _, v := range lists[name] {
		out = append(out, web.Option{Value: v, Label: "domicile." + name + "." + v})
	}
	return out
}

func (h *HTTP) interviewForm(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	e, err := h.S.Entry(r.Context(), p, r.PathValue("id"), auth.PermDomicileInstruct, "interview")
	if err != nil {
		return err
	}
	iv, err := h.S.Interview(r.Context(), e.File.ID)
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "domicile/interview", interviewData{E: e, I: iv, Today: h.S.today()})
}

func (h *HTTP) interview(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	iv := Interview{HeldOn: f.Date("held_on"), Elsewhere: f.Bool("elsewhere"), Referred: f.Bool("referred"), ReferredBy: f.Value("referred_by"),
		Income: f.Bool("income"), IncomeKind: f.Value("income_kind"), Link: f.Value("link"), LinkDetail: f.Value("link_detail"),
		Household: f.Value("household"), Residence: f.Value("residence"), ResidenceDetail: f.Value("residence_detail"),
		Cause: f.Value("cause"), CauseDetail: f.Value("cause_detail"), Reason: f.Value("reason"), ReasonDetail: f.Value("reason_detail"),
		Support: f.Bool("support"), SupportBy: f.Value("support_by"), Work: f.Value("work"), WorkDetail: f.Value("work_detail"),
		Comments: f.Value("comments")}
	fields := f.Errors
	if f.OK() {
		err = h.S.SaveInterview(r.Context(), p, r.PathValue("id"), iv)
		ae, ok := invalid(err)
		if !ok {
			if err != nil {
				return err
			}
			return h.K.Done(w, r, "/domiciliation/files/"+r.PathValue("id"), "domicile.interview.saved")
		}
		fields = ae.Fields
	}
	e, err := h.S.Entry(r.Context(), p, r.PathValue("id"), auth.PermDomicileInstruct, "")
	if err != nil {
		return err
	}
	return h.K.RenderInvalid(w, r, "domicile/interview", interviewData{E: e, I: &iv, Today: h.S.today()}, fields)
}

// ---- decisions ----

type decisionData struct {
	E         *Entry
	To        string
	In        DecisionInput
	Today     time.Time
	OrgKind   string
	Interview *Interview
	Problem   *apperr.Error
}

// Reasons lists the reasons offered for the decision (refusal or end).
func (d decisionData) Reasons() []web.Option {
	list, prefix := EndReasons, "domicile.end_reason."
	if d.To == StatusRefused {
		list, prefix = RefusalReasons, "domicile.refusal_reason."
		if d.OrgKind == "ccas" || d.OrgKind == "cias" {
			list = []string{"no_link"}
		}
	}
	out := []web.Option{{Value: "", Label: "domicile.choose"}}
	for _, v := range list {
		out = append(out, web.Option{Value: v, Label: prefix + v})
	}
	return out
}

// ReferralOptions lists the referrals after a refusal.
func (d decisionData) ReferralOptions() []web.Option {
	out := []web.Option{{Value: "", Label: "domicile.choose"}}
	for _, v := range Referrals {
		out = append(out, web.Option{Value: v, Label: "domicile.referral." + v})
	}
	return out
}

// Short reports whether the chosen period is shorter than one year.
func (d decisionData) Short() bool {
	return d.In.Start != nil && d.In.End != nil && d.In.End.Before(OneYear(*d.In.Start))
}

func (h *HTTP) decisionData(r *http.Request, to string, in DecisionInput) (*decisionData, error) {
	p := auth.From(r.Context())
	if !oneOf(Statuses, to) {
		return nil, apperr.ErrNotFound
	}
	e, err := h.S.Entry(r.Context(), p, r.PathValue("id"), auth.PermDomicileInstruct, "")
	if err != nil {
		return nil, err
	}
	if !p.CanAt(PermTo(to), e.File.SiteID) {
		return nil, apperr.ErrForbidden
	}
	d := &decisionData{E: e, To: to, In: in, Today: h.S.today()}
	if d.OrgKind, err = h.S.orgKind(r.Context(), e.File.OrgID); err != nil {
		return nil, err
	}
	if d.Interview, err = h.S.Interview(r.Context(), e.File.ID); err != nil {
		return nil, err
	}
	if to == StatusValid && d.In.Start == nil {
		d.In.Start = ptr(DefaultStart(e.File, d.Today))
		d.In.End = ptr(OneYear(*d.In.Start))
	}
	return d, nil
}

func (h *HTTP) decisionForm(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d, err := h.decisionData(r, q.Get("to"), DecisionInput{Reason: q.Get("reason")})
	if err != nil {
		return err
	}
	if !oneOf(Allowed(d.E.File, d.Today), d.To) {
		d.Problem = apperr.New(apperr.Conflict, "domicile.error.transition")
	}
	return h.K.Render(w, r, http.StatusOK, "domicile/decision", d)
}

func (h *HTTP) decide(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := DecisionInput{To: f.Value("to"), On: f.Date("on"), Start: f.Date("start"), End: f.Date("end"), Reason: f.Value("reason"),
		Detail: f.Optional("detail", maxText), Referral: f.Value("referral"), ReferralDetail: f.Optional("referral_detail", maxShort)}
	render := func(status int, fields map[string]string, problem *apperr.Error) error {
		d, err := h.decisionData(r, in.To, in)
		if err != nil {
			return err
		}
		d.Problem = problem
		if fields != nil {
			return h.K.RenderInvalid(w, r, "domicile/decision", d, fields)
		}
		return h.K.Render(w, r, status, "domicile/decision", d)
	}
	if !f.OK() {
		return render(0, f.Errors, nil)
	}
	dec, err := h.S.Decide(r.Context(), auth.From(r.Context()), r.PathValue("id"), in)
	if ae, ok := invalid(err); ok {
		return render(0, ae.Fields, nil)
	}
	if ae, ok := conflict(err); ok {
		return render(http.StatusConflict, nil, ae)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/domiciliation/files/"+r.PathValue("id"), "domicile.decision.done."+dec.Status)
}

// ---- printing ----

func (h *HTTP) cerfa(w http.ResponseWriter, r *http.Request) error {
	pdf, name, err := h.S.Cerfa(r.Context(), auth.From(r.Context()), r.PathValue("id"), CerfaKind(r.PathValue("kind")), r.URL.Query().Get("decision"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+safeName(name)+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(pdf)
	return err
}

func (h *HTTP) letter(w http.ResponseWriter, r *http.Request) error {
	l, err := h.S.Letter(r.Context(), auth.From(r.Context()), r.PathValue("id"), r.PathValue("kind"))
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "domicile/letter", l)
}

type cardData struct {
	E        *Entry
	Settings *Settings
	Code     string
	QR       template.URL
}

func (h *HTTP) card(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	e, err := h.S.Entry(r.Context(), p, r.PathValue("id"), auth.PermDomicileMail, "card")
	if err != nil {
		return err
	}
	st, err := h.S.Settings(r.Context(), h.S.DB.R, e.File.OrgID, e.File.SiteID)
	if err != nil {
		return err
	}
	code := CardCode(e.File.Number)
	return h.K.Render(w, r, http.StatusOK, "domicile/card", cardData{E: e, Settings: st, Code: code, QR: qrDataURL(code)})
}

// ---- new request ----

type newData struct {
	SitesData
	Query      string
	Results    []people.Person
	Person     *people.Person
	In         people.Input
	Req        RequestInput
	Site       string
	Candidates []people.Candidate
	Langs      []i18n.Language
	Problem    *apperr.Error
}

func (h *HTTP) newForm(w http.ResponseWriter, r *http.Request) error {
	d, err := h.newData(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	d.Query = clip(web.Clean(q.Get("q")), 100)
	if d.Query != "" {
		if d.Results, err = h.S.People.Search(r.Context(), auth.From(r.Context()), people.Query{Name: d.Query, Prefix: true, Limit: 20}); err != nil {
			if _, ok := invalid(err); !ok {
				return err
			}
		}
	}
	if id := q.Get("person"); id != "" {
		per, _, err := h.S.People.Find(r.Context(), auth.From(r.Context()), id)
		if err != nil {
			return err
		}
		d.Person = per
	}
	return h.K.Render(w, r, http.StatusOK, "domicile/new", d)
}

func (h *HTTP) newData(r *http.Request) (*newData, error) {
	sd, err := h.sites(r.Context(), auth.From(r.Context()), auth.PermDomicileInstruct)
	if err != nil {
		return nil, err
	}
	d := &newData{SitesData: sd, Langs: i18n.Languages, In: people.Input{MsgLang: "fr", HouseholdSize: 1}}
	if len(sd.Sites) > 0 {
		d.Site = sd.Sites[0].ID
	}
	return d, nil
}

func (h *HTTP) create(w http.ResponseWriter, r *http.Request) error {
	ctx, p := r.Context(), auth.From(r.Context())
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	d, err := h.newData(r)
	if err != nil {
		return err
	}
	d.Site = f.Value("site")
	d.Req = RequestInput{SiteID: d.Site, RequestedOn: f.Date("requested_on"), Civility: f.Value("civility"), BirthPlace: f.Value("birth_place"),
		Email: f.Value("email"), Restricted: f.Bool("restricted")}
	personID := f.Value("person")
	if personID == "" {
		d.In = people.Input{SiteID: d.Site, GivenName: f.Optional("given_name", 80), FamilyName: f.Optional("family_name", 80),
			GivenLatin: f.Optional("given_latin", 80), FamilyLatin: f.Optional("family_latin", 80), BirthDate: f.Date("birth_date"),
			Phone: f.Optional("phone", 40), MsgLang: f.Value("msg_lang"), HouseholdSize: 1}
	} else if d.Person, _, err = h.S.People.Find(ctx, p, personID); err != nil {
		return err
	}
	if !f.OK() {
		return h.K.RenderInvalid(w, r, "domicile/new", d, f.Errors)
	}
	if personID == "" {
		per, cands, err := h.S.People.Create(ctx, p, d.In, people.CreateOptions{NotADuplicate: f.Bool("not_duplicate")})
		if apperr.Is(err, apperr.Conflict) && len(cands) > 0 {
			d.Candidates = cands
			return h.K.Render(w, r, http.StatusConflict, "domicile/new", d)
		}
		if ae, ok := invalid(err); ok {
			return h.K.RenderInvalid(w, r, "domicile/new", d, ae.Fields)
		}
		if err != nil {
			return err
		}
		personID, d.Person = per.ID, per
	}
	d.Req.PersonID = personID
	fl, err := h.S.CreateRequest(ctx, p, d.Req)
	if ae, ok := invalid(err); ok {
		return h.K.RenderInvalid(w, r, "domicile/new", d, ae.Fields)
	}
	if ae, ok := conflict(err); ok {
		d.Problem = ae
		return h.K.Render(w, r, http.StatusConflict, "domicile/new", d)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/domiciliation/files/"+fl.ID, "domicile.request.created", "Number", fl.Number)
}

// deskURL is the desk's address with a query.
func deskURL(q string) string { return "/domiciliation/mail?q=" + url.QueryEscape(q) }
