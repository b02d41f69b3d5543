package people

import (
	"net/http"
	"slices"

	"parcours/internal/platform/auth"
	"parcours/internal/platform/web"
)

// readMember reads a household member's form.
func readMember(f *web.Form) MemberInput {
	return MemberInput{GivenName: f.Optional("member_given", maxName), FamilyName: f.Optional("member_family", maxName),
		Relation: f.Value("member_relation"), BirthDate: f.Date("member_birth_date"),
		BirthYear: formInt(f, "member_birth_year", 0, "people.error.birth_year"), LinkedID: f.Value("member_link")}
}

func (h *HTTP) memberAdd(w http.ResponseWriter, r *http.Request) error {
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := readMember(f)
	in.LinkedID = "" // linked from the member's page
	if !f.OK() {
		return h.renderPerson(w, r, f.Errors)
	}
	_, err = h.S.SaveMember(r.Context(), auth.From(r.Context()), r.PathValue("id"), "", in)
	return h.actAt(w, r, err, "#household", "people.member.saved")
}

func (h *HTTP) memberRemove(w http.ResponseWriter, r *http.Request) error {
	err := h.S.RemoveMember(r.Context(), auth.From(r.Context()), r.PathValue("id"), r.PathValue("hid"))
	return h.actAt(w, r, err, "#household", "people.member.removed")
}

// memberData is a household member's page: the form, and the search for
// the member's own file.
type memberData struct {
	P         *Person
	M         *Member
	Input     MemberInput
	Relations []string
	Query     string
	// Files are the files the member may be linked to: the one linked now
	// (when the user may open it) and the search results.
	Files []Person
	Sites map[string]string
}

// BirthDateValue and BirthYearValue fill the birth fields.
func (d memberData) BirthDateValue() string { return isoDate(d.Input.BirthDate) }

// BirthYearValue is the year field's value (empty with a full date).
func (d memberData) BirthYearValue() string { return yearValue(d.Input.BirthYear, d.Input.BirthDate) }

// memberPage renders a member's page (status 200, or 422 with fields).
func (h *HTTP) memberPage(w http.ResponseWriter, r *http.Request, per *Person, m *Member, in MemberInput, fields map[string]string) error {
	ctx, p := r.Context(), auth.From(r.Context())
	d := memberData{P: per, M: m, Input: in, Relations: Relations, Query: clip(web.Clean(r.URL.Query().Get("q")), 100)}
	var err error
	if d.Sites, err = h.S.siteNames(ctx, p.OrgID); err != nil {
		return err
	}
	if in.LinkedID != "" {
		if linked, _, err := h.S.Find(ctx, p, in.LinkedID); err == nil {
			d.Files = append(d.Files, *linked)
		}
	}
	if d.Query != "" {
		found, err := h.S.Search(ctx, p, Query{Name: d.Query, Prefix: true})
		if err != nil && !isInvalid(err) {
			return err
		}
		for _, f := range found {
			if f.ID != per.ID && f.ID != in.LinkedID {
				d.Files = append(d.Files, f)
			}
		}
	}
	d.Files = slices.DeleteFunc(d.Files, func(f Person) bool { return Writable(&f) != nil })
	if fields != nil {
		return h.K.RenderInvalid(w, r, "people/member", d, fields)
	}
	return h.K.Render(w, r, http.StatusOK, "people/member", d)
}

func isInvalid(err error) bool { _, ok := invalid(err); return ok }

func (h *HTTP) memberEdit(w http.ResponseWriter, r *http.Request) error {
	ctx, p := r.Context(), auth.From(r.Context())
	per, m, err := h.S.Member(ctx, p, r.PathValue("id"), r.PathValue("hid"))
	if err != nil {
		return err
	}
	if err := Writable(per); err != nil {
		return err
	}
	// The member's page shows part of the file: an audited read.
	if _, _, err := h.S.Read(ctx, p, per.ID, "household"); err != nil {
		return err
	}
	return h.memberPage(w, r, per, m, MemberOf(m), nil)
}

func (h *HTTP) memberUpdate(w http.ResponseWriter, r *http.Request) error {
	ctx, p := r.Context(), auth.From(r.Context())
	per, m, err := h.S.Member(ctx, p, r.PathValue("id"), r.PathValue("hid"))
	if err != nil {
		return err
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	in := readMember(f)
	if !f.OK() {
		return h.memberPage(w, r, per, m, in, f.Errors)
	}
	_, err = h.S.SaveMember(ctx, p, per.ID, m.ID, in)
	if ae, ok := invalid(err); ok {
		return h.memberPage(w, r, per, m, in, ae.Fields)
	}
	if err != nil {
		return err
	}
	return h.K.Done(w, r, "/people/"+per.ID+"#household", "people.member.saved")
}
