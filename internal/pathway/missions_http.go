package pathway

import (
	"net/http"
	"slices"
	"time"

	"parcours/internal/people"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/web"
)

// ---- missions, from the person's file ----

type missionFormData struct {
	P          *people.Person
	Input      MissionInput
	Volunteers []people.Colleague
	Fields     []people.ShareField
	// Consent: the person's consent to a volunteer's accompaniment is in
	// force (the tick box is not needed).
	Consent bool
	Today   time.Time
}

// Has reports whether a field is ticked.
func (d missionFormData) Has(f people.ShareField) bool { return slices.Contains(d.Input.Fields, f) }

func (h *HTTP) missionForm(r *http.Request, in MissionInput) (*missionFormData, error) {
	ctx, p := r.Context(), auth.From(r.Context())
	per, _, err := h.S.open(ctx, p, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if err := people.Writable(per); err != nil {
		return nil, err
	}
	d := &missionFormData{P: per, Input: in, Fields: people.VolunteerShareFields, Today: h.S.today()}
	if d.Volunteers, err = h.S.People.Volunteers(ctx, per); err != nil {
		return nil, err
	}
	if d.Consent, err = h.S.People.HasConsent(ctx, h.S.DB.R, per.ID, people.PurposeVolunteer, ""); err != nil {
		return nil, err
	}
	return d, nil
}

func (h *HTTP) missionNew(w http.ResponseWriter, r *http.Request) error {
	today := h.S.today()
	in := MissionInput{OnDate: &today, Fields: []people.ShareField{people.FieldIdentity, people.FieldContact, people.FieldLanguages}}
	d, err := h.missionForm(r, in)
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "pathway/mission_new", d)
}

// readFields reads the ticked fields of a share, identity always, in form
// order.
func readFields(f *web.Form) []people.ShareField {
	var out []people.ShareField
	for _, v := range f.Values("fields") {
		if slices.Contains(people.ShareFields, people.ShareField(v)) {
			out = append(out, people.ShareField(v))
		}
	}
	return people.ParseShareFields(people.JoinShareFields(out))
}

func (h *HTTP) missionSend(w http.ResponseWriter, r *http.Request) error {
	p := auth.From(r.Context())
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := MissionInput{VolunteerID: f.Value("volunteer"), Title: f.Optional("mission_title", maxTitle), OnDate: f.Date("mission_on"),
		AtTime: clipString(f.Value("mission_at"), 5), EndsOn: f.Date("mission_ends_on"), Fields: readFields(f), ConsentNow: f.Bool("consent_now")}
	d, err := h.missionForm(r, in)
	if err != nil {
		return err
	}
	if !f.OK() {
		return h.K.RenderInvalid(w, r, "pathway/mission_new", d, f.Errors)
	}
	m, err := h.S.Assign(r.Context(), p, d.P.ID, in)
	if ae, ok := invalid(err); ok {
		return h.K.RenderInvalid(w, r, "pathway/mission_new", d, ae.Fields)
	}
	if ae, ok := apperr.As(err); ok && ae.Kind == apperr.Forbidden && ae.Key != "common.error.forbidden" {
		// No consent: say so on the form, in the people module's words.
		return h.K.RenderInvalid(w, r, "pathway/mission_new", d, map[string]string{"consent_now": ae.Key})
	}
	if err != nil {
		return err
	}
	users, err := h.S.names(r.Context(), "users", p.OrgID)
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/people/"+d.P.ID+"#missions", "pathway.mission.assigned", "Name", users[m.VolunteerID])
}

func (h *HTTP) missionCancel(w http.ResponseWriter, r *http.Request) error {
	err := h.S.CancelMission(r.Context(), auth.From(r.Context()), r.PathValue("id"), r.PathValue("mid"))
	return h.act(w, r, err, "#missions", "pathway.mission.cancelled")
}

// ---- the volunteer's missions ----

type missionsData struct {
	Missions []Mission
	Item     *MissionItem
	Now      time.Time
}

// StatusKey is the message ID of a status.
func (missionsData) StatusKey(id string) string { return people.StatusLabel(id) }

func (h *HTTP) myMissions(w http.ResponseWriter, r *http.Request) error {
	ms, err := h.S.MyMissions(r.Context(), auth.From(r.Context()))
	if err != nil {
		return err
	}
	return h.K.Render(w, r, http.StatusOK, "pathway/missions", missionsData{Missions: ms, Now: h.S.Clock.Now()})
}

func (h *HTTP) missionPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderMission(w, r, nil)
}

func (h *HTTP) renderMission(w http.ResponseWriter, r *http.Request, fields map[string]string) error {
	it, err := h.S.OpenMission(r.Context(), auth.From(r.Context()), r.PathValue("mid"))
	if err != nil {
		return err
	}
	d := missionsData{Item: it, Now: h.S.Clock.Now()}
	if fields != nil {
		return h.K.RenderInvalid(w, r, "pathway/mission", d, fields)
	}
	return h.K.Render(w, r, http.StatusOK, "pathway/mission", d)
}

func (h *HTTP) missionDone(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	_, err = h.S.CompleteMission(r.Context(), auth.From(r.Context()), r.PathValue("mid"), f.Optional("report", maxReport))
	if ae, ok := invalid(err); ok {
		return h.renderMission(w, r, ae.Fields)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/missions", "pathway.mission.reported")
}
