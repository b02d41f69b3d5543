package pathway

import (
	"context"
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"time"

	"parcours/internal/people"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/i18n"
	"parcours/internal/platform/web"
	"parcours/internal/rights/rules"
	"parcours/internal/rights/triage"
)

//go:embed templates/*.html
var templatesFS embed.FS

// HTTP serves the pathway part of the person's page (a people.Panel), its
// forms, the worklists, the partner inbox and the delay statistics.
type HTTP struct {
	S      *Service
	K      *web.Kit
	Auth   *auth.HTTP
	People *people.HTTP
}

var _ people.Panel = (*HTTP)(nil)

// Register adds the routes and templates.
func (h *HTTP) Register(rt *web.Router) error {
	if err := h.K.R.AddPages("pathway", templatesFS, "templates"); err != nil {
		return err
	}
	k, need := h.K, h.Auth.Need
	read := auth.PermPersonRead
	rt.Handle("POST /people/{id}/objectives", need(read, k.H(h.objectiveAdd)))
	rt.Handle("POST /people/{id}/objectives/{oid}", need(read, k.H(h.objectiveStatus)))
	rt.Handle("POST /people/{id}/steps", need(read, k.H(h.stepAdd)))
	rt.Handle("POST /people/{id}/steps/{sid}", need(read, k.H(h.stepUpdate)))
	rt.Handle("POST /people/{id}/applications", need(read, k.H(h.applicationAdd)))
	rt.Handle("GET /people/{id}/applications/{aid}", need(read, k.H(h.applicationEdit)))
	rt.Handle("POST /people/{id}/applications/{aid}", need(read, k.H(h.applicationUpdate)))
	rt.Handle("GET /people/{id}/referrals/new", need(read, k.H(h.referralNew)))
	rt.Handle("POST /people/{id}/referrals", need(read, k.H(h.referralSend)))
	rt.Handle("POST /people/{id}/referrals/{rid}/revoke", need(read, k.H(h.referralRevoke)))
	rt.Handle("POST /people/{id}/referrals/{rid}/answer", need(read, k.H(h.referralRecord)))
	rt.Handle("GET /people/{id}/triage", need(read, k.H(h.triagePage)))
	rt.Handle("POST /people/{id}/triage", need(read, k.H(h.triageSave)))
	rt.Handle("POST /people/{id}/followup", need(read, k.H(h.noteAdd)))
	rt.Handle("GET /worklists", need(read, k.H(h.worklists)))
	rt.Handle("POST /worklists/tasks/{tid}/done", need(read, k.H(h.taskDone)))
	rt.Handle("GET /partner/referrals", need(auth.PermReferralInbox, k.H(h.inbox)))
	rt.Handle("GET /partner/referrals/{rid}", need(auth.PermReferralInbox, k.H(h.inboxItem)))
	rt.Handle("POST /partner/referrals/{rid}/accept", need(auth.PermReferralInbox, k.H(h.partnerAnswer(AnswerAccept))))
	rt.Handle("POST /partner/referrals/{rid}/refuse", need(auth.PermReferralInbox, k.H(h.partnerAnswer(AnswerRefuse))))
	rt.Handle("POST /partner/referrals/{rid}/done", need(auth.PermReferralInbox, k.H(h.partnerAnswer(AnswerDone))))
	rt.Handle("GET /pathway/stats", need(auth.PermPathwayStats, k.H(h.stats)))
	rt.Handle("GET /pathway/observatory", need(auth.PermPathwayStats, k.H(h.observatory)))
	rt.Handle("GET /pathway/observatory.csv", need(auth.PermPathwayStats, k.H(h.observatoryCSV)))
	assign := auth.PermMissionAssign
	rt.Handle("GET /people/{id}/missions/new", need(assign, k.H(h.missionNew)))
	rt.Handle("POST /people/{id}/missions", need(assign, k.H(h.missionSend)))
	rt.Handle("POST /people/{id}/missions/{mid}/cancel", need(assign, k.H(h.missionCancel)))
	rt.Handle("GET /missions", need(auth.PermMissions, k.H(h.myMissions)))
	rt.Handle("GET /missions/{mid}", need(auth.PermMissions, k.H(h.missionPage)))
	rt.Handle("POST /missions/{mid}/done", need(auth.PermMissions, k.H(h.missionDone)))
	// Made-up paths answer like the real ones (see people.HTTP.Register).
	for _, root := range []string{"/worklists", "/partner", "/pathway", "/missions"} {
		h.Auth.StaffArea(rt, root)
	}
	return nil
}

func invalid(err error) (*apperr.Error, bool) {
	if err == nil || !apperr.Is(err, apperr.Invalid) {
		return nil, false
	}
	return apperr.As(err)
}

// act ends a form of the person's page: a validation error re-renders the
// page with it; success confirms and goes back to the page, at anchor.
func (h *HTTP) act(w http.ResponseWriter, r *http.Request, err error, anchor, key string, args ...any) error {
	if ae, ok := invalid(err); ok {
		return h.People.RenderPerson(w, r, ae.Fields)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/people/"+r.PathValue("id")+anchor, key, args...)
}

// ---- the panel of the person's page ----

type panelData struct {
	P          *people.Person
	A          people.Access
	Next       *Step
	Objectives []Objective
	Steps      []Step
	Apps       []Application
	Refs       []Referral
	Notes      []Note
	Triage     *Assessment
	Flags      []FlagView
	Colleagues []people.Colleague
	Users      map[string]string
	Answers    []Task
	Missions   []Mission
	// Live lists the sources of the shares that still open the file.
	Live      map[string]bool
	CanAssign bool
	Today     time.Time
	Now       time.Time
}

// AnswerText translates a partner's answer or a volunteer's report shown
// on the page.
func (d panelData) AnswerText(l *i18n.L, t Task) string {
	return l.TArgs(t.Key, people.LabelArgs(l, t.Args(), d.Users, nil))
}

// ObjectiveTitle names a step's objective.
func (d panelData) ObjectiveTitle(id string) string {
	for _, o := range d.Objectives {
		if o.ID == id {
			return o.Title
		}
	}
	return ""
}

// Axes, statuses and choices for the forms.
func (panelData) Axes() []string                                 { return Axes }
func (panelData) StepStatuses() []string                         { return StepStatuses }
func (panelData) Outcomes() []string                             { return Outcomes }
func (panelData) Rights() []string                               { return ApplicationRights() }
func (panelData) NoteAudiences() []string                        { return NoteAudiences }
func (panelData) ObjectiveStatus() []string                      { return ObjectiveStatuses }
func (panelData) Readable(a people.Access, audience string) bool { return readable(a, audience) }

// RightKey is the message ID of a right.
func RightKey(id string) string { return people.RightLabel(id) }

// RightKey is the message ID of a right (for templates).
func (panelData) RightKey(id string) string { return RightKey(id) }

// NewApp is the empty application form.
func (panelData) NewApp() ApplicationInput { return ApplicationInput{Outcome: "pending"} }

// RightKey is the message ID of a right (for templates).
func (applicationData) RightKey(id string) string { return RightKey(id) }

// PersonPanel renders the pathway part of the person's page.
func (h *HTTP) PersonPanel(r *http.Request, per *people.Person, a people.Access) (people.PanelHTML, error) {
	ctx, p := r.Context(), auth.From(r.Context())
	now := h.S.Clock.Now()
	d := panelData{P: per, A: a, Today: people.Today(now), Now: now}
	var err error
	if d.Next, err = h.S.NextStep(ctx, h.S.DB.R, per.ID); err != nil {
		return people.PanelHTML{}, err
	}
	if d.Objectives, err = h.S.objectives(ctx, per.ID); err != nil {
		return people.PanelHTML{}, err
	}
	if d.Steps, err = h.S.steps(ctx, per.ID); err != nil {
		return people.PanelHTML{}, err
	}
	if d.Apps, err = h.S.applications(ctx, per.ID); err != nil {
		return people.PanelHTML{}, err
	}
	if d.Refs, err = h.S.referrals(ctx, per.ID); err != nil {
		return people.PanelHTML{}, err
	}
	if d.Notes, err = h.S.notes(ctx, per.ID, a); err != nil {
		return people.PanelHTML{}, err
	}
	if a.Legal {
		if d.Triage, err = h.S.LastAssessment(ctx, per.ID); err != nil {
			return people.PanelHTML{}, err
		}
		if d.Triage != nil {
			res, err := d.Triage.Result()
			if err == nil {
				d.Flags = h.flags(web.Lang(ctx).Tag, per.ID, res)
			}
		}
	}
	if d.Missions, err = h.S.missions(ctx, per.ID); err != nil {
		return people.PanelHTML{}, err
	}
	if len(d.Missions) > 0 {
		if d.Live, err = h.S.People.LiveSources(ctx, per.OrgID, per.ID); err != nil {
			return people.PanelHTML{}, err
		}
	}
	d.CanAssign = p.Can(auth.PermMissionAssign) && people.Writable(per) == nil
	if d.Colleagues, err = h.S.People.Colleagues(ctx, p); err != nil {
		return people.PanelHTML{}, err
	}
	// The partners' answers to the user's referrals and the volunteers'
	// reports on the user's missions, not yet looked at, come back as a
	// notice on the page.
	if err := h.S.DB.R.NewSelect().Model(&d.Answers).Where("tk.org_id = ? AND tk.user_id = ? AND tk.person_id = ? AND tk.kind IN ('referral_answer', 'mission_done') AND tk.done_at IS NULL",
		p.OrgID, p.UserID, per.ID).Order("tk.created_at").Scan(ctx); err != nil {
		return people.PanelHTML{}, err
	}
	d.Users = map[string]string{}
	for _, c := range d.Colleagues {
		d.Users[c.ID] = c.Name
	}
	// Missions and their reports name volunteers, who are not colleagues.
	if len(d.Missions) > 0 {
		if d.Users, err = h.S.names(ctx, "users", p.OrgID); err != nil {
			return people.PanelHTML{}, err
		}
	}
	v := &web.View{L: h.K.Catalog.Localizer(web.Lang(ctx).Tag), Data: d, Errors: people.FieldErrors(r), User: web.ViewerFrom(ctx), Path: r.URL.Path}
	// The panel's templates are partials (_panel.html), executed through
	// one of the module's pages.
	sum, err := h.K.R.Execute("pathway/worklists", "pathway_summary", v)
	if err != nil {
		return people.PanelHTML{}, err
	}
	body, err := h.K.R.Execute("pathway/worklists", "pathway_body", v)
	if err != nil {
		return people.PanelHTML{}, err
	}
	return people.PanelHTML{Summary: template.HTML(sum), Body: template.HTML(body)}, nil //nolint:gosec // rendered by html/template
}

// ---- objectives, steps ----

func (h *HTTP) objectiveAdd(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	_, err = h.S.AddObjective(r.Context(), auth.From(r.Context()), r.PathValue("id"), f.Value("objective_axis"), f.Optional("objective_title", maxTitle))
	return h.act(w, r, err, "#pathway", "pathway.objective.added")
}

func (h *HTTP) objectiveStatus(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	err = h.S.CloseObjective(r.Context(), auth.From(r.Context()), r.PathValue("id"), r.PathValue("oid"), f.Value("status"))
	return h.act(w, r, err, "#pathway", "pathway.objective.updated")
}

func (h *HTTP) stepAdd(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := StepInput{Axis: f.Value("step_axis"), ObjectiveID: f.Value("step_objective"), Title: f.Optional("step_title", maxTitle),
		DueOn: f.Date("step_due"), OwnerID: f.Value("step_owner")}
	if !f.OK() {
		return h.People.RenderPerson(w, r, f.Errors)
	}
	st, err := h.S.AddStep(r.Context(), auth.From(r.Context()), r.PathValue("id"), in)
	if err != nil {
		return h.act(w, r, err, "", "")
	}
	return h.act(w, r, nil, "#pathway", "pathway.step.added", "Title", st.Title)
}

func (h *HTTP) stepUpdate(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	due := f.Date("due_on")
	if !f.OK() {
		return h.People.RenderPerson(w, r, map[string]string{"step_status": f.Errors["due_on"]})
	}
	st, err := h.S.UpdateStep(r.Context(), auth.From(r.Context()), r.PathValue("id"), r.PathValue("sid"), f.Value("status"), due)
	if err != nil {
		return h.act(w, r, err, "", "")
	}
	l := h.K.Catalog.Localizer(web.Lang(r.Context()).Tag)
	return h.act(w, r, nil, "#pathway", "pathway.step.updated", "Title", st.Title, "Status", l.T("pathway.step.status."+st.Status))
}

// ---- applications ----

func readApplication(f *web.Form) ApplicationInput {
	return ApplicationInput{Right: f.Value("app_right"), Prepared: f.Date("app_prepared"), Submitted: f.Date("app_submitted"),
		Acknowledged: f.Date("app_acknowledged"), Decided: f.Date("app_decided"), Expires: f.Date("app_expires"),
		Outcome: f.Value("app_outcome"), Note: f.Optional("app_note", 1000)}
}

func (h *HTTP) applicationAdd(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := readApplication(f)
	if !f.OK() {
		return h.People.RenderPerson(w, r, f.Errors)
	}
	ap, err := h.S.SaveApplication(r.Context(), auth.From(r.Context()), r.PathValue("id"), "", in)
	if err != nil {
		return h.act(w, r, err, "", "")
	}
	l := h.K.Catalog.Localizer(web.Lang(r.Context()).Tag)
	return h.act(w, r, nil, "#rights", "pathway.application.saved", "Right", l.T(RightKey(ap.Right)))
}

type applicationData struct {
	P     *people.Person
	App   *Application
	Input ApplicationInput
}

// Rights and outcomes for the form.
func (applicationData) Rights() []string   { return ApplicationRights() }
func (applicationData) Outcomes() []string { return Outcomes }

func (h *HTTP) applicationEdit(w http.ResponseWriter, r *http.Request) error {
	per, ap, err := h.S.Application(r.Context(), auth.From(r.Context()), r.PathValue("id"), r.PathValue("aid"))
	if err != nil {
		return err
	}
	in := ApplicationInput{Right: ap.Right, Prepared: ap.PreparedOn, Submitted: ap.SubmittedOn, Acknowledged: ap.AcknowledgedOn,
		Decided: ap.DecidedOn, Expires: ap.ExpiresOn, Outcome: ap.Outcome, Note: ap.Note}
	return h.K.Render(w, r, http.StatusOK, "pathway/application", applicationData{P: per, App: ap, Input: in})
}

func (h *HTTP) applicationUpdate(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	per, ap, err := h.S.Application(r.Context(), p, r.PathValue("id"), r.PathValue("aid"))
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := readApplication(f)
	d := applicationData{P: per, App: ap, Input: in}
	if !f.OK() {
		return h.K.RenderInvalid(w, r, "pathway/application", d, f.Errors)
	}
	saved, err := h.S.SaveApplication(r.Context(), p, per.ID, ap.ID, in)
	if ae, ok := invalid(err); ok {
		return h.K.RenderInvalid(w, r, "pathway/application", d, ae.Fields)
	}
	if err != nil {
		return err
	}
	l := h.K.Catalog.Localizer(web.Lang(r.Context()).Tag)
	return h.K.Done(w, r, "/people/"+per.ID+"#rights", "pathway.application.saved", "Right", l.T(RightKey(saved.Right)))
}

// ---- referrals ----

type referralData struct {
	P        *people.Person
	Query    string
	Services []DirService
	Input    ReferralInput
	Fields   []people.ShareField
	Consent  bool // the person already agreed to share with the chosen partner
	Chosen   string
	Today    time.Time
	Legal    bool
}

// Has reports whether a field is ticked.
func (d referralData) Has(f people.ShareField) bool { return slices.Contains(d.Input.Fields, f) }

// referralSearch maps the triage's kinds of referral to words to look for
// in the directory.
var referralSearch = map[triage.Referral]string{
	triage.ReferLegal: "juridique", triage.ReferAsylum: "asile", triage.ReferChild: "mineurs", triage.ReferHealth: "PASS",
	triage.ReferDomiciliation: "domiciliation", triage.ReferShelter: "hébergement", triage.ReferHousing: "logement", triage.ReferOFII: "OFII",
}

func (h *HTTP) referralForm(r *http.Request, in ReferralInput, query string) (*referralData, error) {
	ctx, p := r.Context(), auth.From(r.Context())
	per, a, err := h.S.open(ctx, p, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if err := people.Writable(per); err != nil {
		return nil, err
	}
	d := &referralData{P: per, Query: query, Input: in, Fields: people.ShareFields, Today: h.S.today(), Chosen: in.ServiceID, Legal: a.Legal}
	if !a.Legal {
		d.Fields = slices.DeleteFunc(slices.Clone(d.Fields), func(f people.ShareField) bool { return f == people.FieldLegalNote })
	}
	if d.Services, err = h.S.Directory.Search(ctx, p, query, 30); err != nil {
		return nil, err
	}
	if in.ServiceID != "" && !slices.ContainsFunc(d.Services, func(s DirService) bool { return s.ID == in.ServiceID }) {
		if svc, err := h.S.Directory.Get(ctx, p, in.ServiceID); err == nil {
			d.Services = append([]DirService{svc}, d.Services...)
		}
	}
	return d, nil
}

func (h *HTTP) referralNew(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	q := web.Clean(v.Get("q"))
	if t, ok := referralSearch[triage.Referral(v.Get("kind"))]; ok && q == "" {
		q = t
	}
	in := ReferralInput{ServiceID: web.Clean(v.Get("service")), Reason: web.Clean(v.Get("reason")), Flag: web.Clean(v.Get("flag")),
		Fields: []people.ShareField{people.FieldIdentity, people.FieldContact, people.FieldLanguages}}
	d, err := h.referralForm(r, in, clipString(q, 100))
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "pathway/referral", d)
}

func clipString(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

func (h *HTTP) referralSend(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := ReferralInput{ServiceID: f.Value("service"), Reason: f.Optional("ref_reason", 1000), EndsOn: f.Date("ref_ends_on"),
		ConsentNow: f.Bool("consent_now"), Flag: clipString(f.Value("flag"), 60), Fields: readFields(f)}
	d, err := h.referralForm(r, in, f.Optional("q", 100))
	if err != nil {
		return err
	}
	if !f.OK() {
		return h.K.RenderInvalid(w, r, "pathway/referral", d, f.Errors)
	}
	rf, err := h.S.Refer(r.Context(), p, d.P.ID, in)
	if ae, ok := invalid(err); ok {
		return h.K.RenderInvalid(w, r, "pathway/referral", d, ae.Fields)
	}
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.Forbidden && ae.Key != "common.error.forbidden" {
		// No consent: say so on the form.
		return h.K.RenderInvalid(w, r, "pathway/referral", d, map[string]string{"consent_now": "pathway.error.consent"})
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/people/"+d.P.ID+"#referrals", "pathway.referral.sent", "Org", rf.Organisation)
}

func (h *HTTP) referralRevoke(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	err = h.S.Revoke(r.Context(), auth.From(r.Context()), r.PathValue("id"), r.PathValue("rid"), f.Optional("revoke_reason", 500))
	return h.act(w, r, err, "#referrals", "pathway.referral.revoked")
}

func (h *HTTP) referralRecord(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	a := Answer{Action: f.Value("action"), Text: f.Optional("answer_text", 2000)}
	rf, err := h.S.RecordAnswer(r.Context(), auth.From(r.Context()), r.PathValue("id"), r.PathValue("rid"), a)
	if err != nil {
		return h.act(w, r, err, "", "")
	}
	return h.act(w, r, nil, "#referrals", "pathway.referral.recorded", "Org", rf.Organisation)
}

// ---- triage ----

// QuestionView is a question of the grid with its answer.
type QuestionView struct {
	triage.Question
	Value   string
	OnlyIf  string
	Options []web.Option
}

// Date tells the template to show a date input.
func (q QuestionView) Date() bool { return q.Kind == triage.KindDate }

// FlagView is a flag of the grid, translated.
type FlagView struct {
	ID          string
	Title       string
	Severity    string
	Details     []string
	Deadlines   []DeadlineView
	References  []string
	Referrals   []ReferLink
	Unconfirmed bool
}

// ReferLink proposes a referral of the kind a flag suggests.
type ReferLink struct {
	Kind triage.Referral
	URL  string
}

// DeadlineView is a deadline, translated.
type DeadlineView struct {
	Label    string
	Date     time.Time
	DaysLeft int
	Passed   bool
}

func (h *HTTP) flags(lang, personID string, res triage.Assessment) []FlagView {
	l := h.K.Catalog.Localizer(lang)
	msg := func(m rules.Message) string {
		return l.Msg(m.ID, m.TemplateDataWith(l.DateLayout, rules.Money.String), m.PluralCount)
	}
	out := make([]FlagView, len(res.Flags))
	for i, f := range res.Flags {
		fv := FlagView{ID: f.ID, Title: msg(f.Title), Severity: string(f.Severity), References: f.References, Unconfirmed: f.Unconfirmed}
		for _, k := range f.Referrals {
			fv.Referrals = append(fv.Referrals, ReferLink{Kind: k, URL: referralURL(l, personID, f.ID, k, fv.Title)})
		}
		for _, d := range f.Details {
			fv.Details = append(fv.Details, msg(d))
		}
		for _, dl := range f.Deadlines {
			fv.Deadlines = append(fv.Deadlines, DeadlineView{Label: msg(dl.Label), Date: dl.Date.Time(), DaysLeft: dl.DaysLeft, Passed: dl.Passed})
		}
		out[i] = fv
	}
	return out
}

type triageData struct {
	P         *people.Person
	Questions []QuestionView
	Flags     []FlagView
	Assessed  bool
	Last      *Assessment
}

func questions(answers triage.Answers) []QuestionView {
	qs := triage.Questions()
	label := map[string]string{}
	for _, q := range qs {
		label[q.ID] = q.Label
	}
	out := make([]QuestionView, len(qs))
	for i, q := range qs {
		v := QuestionView{Question: q, OnlyIf: label[q.ShowIf], Value: answers[q.ID]}
		switch q.Kind {
		case triage.KindBool:
			v.Options = []web.Option{{Value: "", Label: "pathway.triage.unanswered"}, {Value: "yes", Label: "pathway.triage.yes"}, {Value: "no", Label: "pathway.triage.no"}}
		case triage.KindChoice:
			v.Options = []web.Option{{Value: "", Label: "pathway.triage.unanswered"}}
			for _, c := range q.Choices {
				v.Options = append(v.Options, web.Option{Value: c.ID, Label: c.Label})
			}
		}
		out[i] = v
	}
	return out
}

func (h *HTTP) legalFile(r *http.Request) (*people.Person, error) {
	per, a, err := h.S.open(r.Context(), auth.From(r.Context()), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if !a.Legal {
		return nil, apperr.ErrForbidden
	}
	return per, nil
}

func (h *HTTP) triagePage(w http.ResponseWriter, r *http.Request) error {
	per, err := h.legalFile(r)
	if err != nil {
		return err
	}
	// The answers are part of the file: an audited read.
	if _, _, err := h.S.People.Read(r.Context(), auth.From(r.Context()), per.ID, "triage"); err != nil {
		return err
	}
	last, err := h.S.LastAssessment(r.Context(), per.ID)
	if err != nil {
		return err
	}
	d := triageData{P: per, Last: last}
	var answers triage.Answers
	if last != nil {
		answers = last.Answers()
		if res, err := last.Result(); err == nil {
			d.Flags, d.Assessed = h.flags(web.Lang(r.Context()).Tag, per.ID, res), true
		}
	}
	d.Questions = questions(answers)
	return h.K.Render(w, r, http.StatusOK, "pathway/triage", d)
}

func (h *HTTP) triageSave(w http.ResponseWriter, r *http.Request) error {
	per, err := h.legalFile(r)
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	today := people.Today(h.S.Clock.Now())
	answers := triage.Answers{}
	d := triageData{P: per}
	qs := questions(nil)
	for i := range qs {
		q := &qs[i]
		q.Value = f.Optional(q.ID, 20)
		if q.Value == "" {
			continue
		}
		switch q.Kind {
		case triage.KindDate:
			t, ok := web.ParseDate(q.Value)
			if !ok {
				f.Fail(q.ID, "common.form.date_invalid")
				continue
			}
			if q.Past && t.After(today) {
				f.Fail(q.ID, "pathway.error.future")
				continue
			}
			q.Value = t.Format(time.DateOnly)
		default:
			if !slices.ContainsFunc(q.Options[1:], func(o web.Option) bool { return o.Value == q.Value }) {
				f.Fail(q.ID, "common.form.invalid_choice")
				continue
			}
		}
		answers[q.ID] = q.Value
	}
	d.Questions = qs
	if !f.OK() {
		return h.K.RenderInvalid(w, r, "pathway/triage", d, f.Errors)
	}
	// A question that follows another counts only when that one is "yes".
	for _, q := range qs {
		if q.ShowIf != "" && answers[q.ShowIf] != "yes" {
			delete(answers, q.ID)
		}
	}
	_, res, err := h.S.Assess(r.Context(), auth.From(r.Context()), per.ID, answers)
	if err != nil {
		return err
	}
	h.K.SetFlash(w, web.Flash{Key: "pathway.triage.saved", Args: map[string]any{"Count": len(res.Flags)}})
	return web.Redirect(w, r, "/people/"+per.ID+"/triage")
}

// ---- follow-up notes ----

func (h *HTTP) noteAdd(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	_, err = h.S.AddNote(r.Context(), auth.From(r.Context()), r.PathValue("id"), f.Value("note_audience"), f.Bool("note_for_person"),
		f.Optional("note_body", 4000))
	return h.act(w, r, err, "#followup", "pathway.note.added")
}

// ---- worklists ----

type worklistData struct {
	W     *Worklists
	Users map[string]string
	Sites map[string]string
	Now   time.Time
}

// RightKey is the message ID of a right (for templates).
func (worklistData) RightKey(id string) string { return RightKey(id) }

// TaskText translates a worklist item.
func (d worklistData) TaskText(l *i18n.L, t Task) string {
	return l.TArgs(t.Key, people.LabelArgs(l, t.Args(), d.Users, d.Sites))
}

func (h *HTTP) worklists(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	wl, err := h.S.Worklists(r.Context(), p)
	if err != nil {
		return err
	}
	d := worklistData{W: wl, Now: h.S.Clock.Now()}
	if d.Users, err = h.S.names(r.Context(), "users", p.OrgID); err != nil {
		return err
	}
	if d.Sites, err = h.S.names(r.Context(), "sites", p.OrgID); err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "pathway/worklists", d)
}

// names maps the IDs of a centre's users or sites to their names.
func (s *Service) names(ctx context.Context, table, orgID string) (map[string]string, error) {
	var rows []struct {
		ID   string `bun:"id"`
		Name string `bun:"name"`
	}
	if err := s.DB.R.NewSelect().Table(table).Column("id", "name").Where("org_id = ?", orgID).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	m := make(map[string]string, len(rows))
	for _, r := range rows {
		m[r.ID] = r.Name
	}
	return m, nil
}

func (h *HTTP) taskDone(w http.ResponseWriter, r *http.Request) error {
	if err := h.S.DoneTask(r.Context(), auth.From(r.Context()), r.PathValue("tid")); err != nil {
		return err
	}
	return h.K.Done(w, r, "/worklists", "pathway.task.cleared")
}

// ---- partner inbox ----

type inboxData struct {
	Refs    []Referral
	Item    *InboxItem
	Partner string
	Now     time.Time
}

// StatusKey is the message ID of a status.
func (inboxData) StatusKey(id string) string { return people.StatusLabel(id) }

func (h *HTTP) inbox(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	refs, err := h.S.Inbox(r.Context(), p)
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "pathway/inbox", inboxData{Refs: refs, Partner: p.PartnerOrg, Now: h.S.Clock.Now()})
}

func (h *HTTP) inboxItem(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	it, err := h.S.OpenReferral(r.Context(), p, r.PathValue("rid"))
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "pathway/inbox_item", inboxData{Item: it, Partner: p.PartnerOrg, Now: h.S.Clock.Now()})
}

// partnerDone are the confirmations of the partner's answers.
var partnerDone = map[string]string{AnswerAccept: "pathway.partner.accepted", AnswerRefuse: "pathway.partner.refused", AnswerDone: "pathway.partner.reported"}

func (h *HTTP) partnerAnswer(action string) web.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		p := auth.From(r.Context())
		f, err := web.ParseForm(r)
		if err != nil {
			return err
		}
		rf, err := h.S.AnswerAsPartner(r.Context(), p, r.PathValue("rid"), Answer{Action: action, Text: f.Optional("answer_text", 2000)})
		if ae, ok := invalid(err); ok {
			it, oerr := h.S.OpenReferral(r.Context(), p, r.PathValue("rid"))
			if oerr != nil {
				return oerr
			}
			return h.K.RenderInvalid(w, r, "pathway/inbox_item", inboxData{Item: it, Partner: p.PartnerOrg, Now: h.S.Clock.Now()}, ae.Fields)
		}
		if err != nil {
			return err
		}
		return h.K.Done(w, r, "/partner/referrals/"+rf.ID, partnerDone[action])
	}
}

// ---- statistics ----

type statsData struct {
	From, To time.Time
	Delays   []Delay
	Sites    map[string]string
	SmallN   int
}

// RightKey is the message ID of a right (for templates).
func (statsData) RightKey(id string) string { return RightKey(id) }

func (h *HTTP) stats(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	today := people.Today(h.S.Clock.Now())
	f, fields := period(r, DelayFilter{From: today.AddDate(-1, 0, 0), To: today})
	ds, err := h.S.Delays(r.Context(), p, f)
	if err != nil {
		return err
	}
	d := statsData{From: f.From, To: f.To, Delays: ds, SmallN: SmallN}
	if d.Sites, err = h.S.names(r.Context(), "sites", p.OrgID); err != nil {
		return err
	}
	if fields != nil {
		return h.K.RenderInvalid(w, r, "pathway/stats", d, fields)
	}
	return h.K.Render(w, r, http.StatusOK, "pathway/stats", d)
}

// referralURL builds the link that proposes a referral from a triage flag.
func referralURL(l *i18n.L, personID, flag string, kind triage.Referral, reason string) string {
	q := url.Values{"flag": {flag}, "kind": {string(kind)}, "reason": {reason}}
	return l.URL("/people/"+personID+"/referrals/new") + "?" + q.Encode()
}
