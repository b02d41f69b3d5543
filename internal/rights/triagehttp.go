package rights

import (
	"net/http"
	"slices"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/web"
	"parcours/internal/rights/rules"
	"parcours/internal/rights/triage"
)

// questionView is a question of the grid with its answer. Every question is
// shown (the page works without scripts); a conditional one says which
// answer it follows, and is ignored unless that answer is "yes".
type questionView struct {
	triage.Question
	Value string
	// OnlyIf is the label (message ID) of the question this one follows.
	OnlyIf  string
	Options []web.Option
}

// Date tells the template to show a date input.
func (q questionView) Date() bool { return q.Kind == triage.KindDate }

type triageData struct {
	Questions []questionView
	Flags     []FlagView
	Assessed  bool
}

func triageQuestions() []questionView {
	qs := triage.Questions()
	label := map[string]string{}
	for _, q := range qs {
		label[q.ID] = q.Label
	}
	out := make([]questionView, len(qs))
	for i, q := range qs {
		v := questionView{Question: q, OnlyIf: label[q.ShowIf]}
		switch q.Kind {
		case triage.KindBool:
			v.Options = []web.Option{{Value: "", Label: "rights.web.triage.unanswered"},
				{Value: "yes", Label: "rights.web.yes"}, {Value: "no", Label: "rights.web.no"}}
		case triage.KindChoice:
			v.Options = []web.Option{{Value: "", Label: "rights.web.triage.unanswered"}}
			for _, c := range q.Choices {
				v.Options = append(v.Options, web.Option{Value: c.ID, Label: c.Label})
			}
		}
		out[i] = v
	}
	return out
}

// triage shows the grid and, once answered, the flags with their deadlines
// and referrals. Nothing is stored: the pathway module keeps answers.
func (h *HTTP) triage(w http.ResponseWriter, r *http.Request) error {
	d := triageData{Questions: triageQuestions()}
	if r.Method != http.MethodPost {
		return h.K.Render(w, r, http.StatusOK, "rights/triage", d)
	}
	f, err := web.ParseForm(r)
	if err != nil {
		return err
	}
	today := h.S.todayDate()
	answers := triage.Answers{}
	for i := range d.Questions {
		q := &d.Questions[i]
		q.Value = f.Optional(q.ID, 20)
		if q.Value == "" {
			continue
		}
		switch q.Kind {
		case triage.KindDate:
			dt, err := rules.ParseDate(q.Value)
			if err != nil {
				f.Fail(q.ID, "common.form.date_invalid")
				continue
			}
			if q.Past && dt.After(today) {
				f.Fail(q.ID, "rights.web.triage.error.future")
				continue
			}
		default:
			if !slices.ContainsFunc(q.Options[1:], func(o web.Option) bool { return o.Value == q.Value }) {
				f.Fail(q.ID, "common.form.invalid_choice")
				continue
			}
		}
		answers[q.ID] = q.Value
	}
	if !f.OK() {
		return h.K.RenderInvalid(w, r, "rights/triage", d, f.Errors)
	}
	// Questions come after the one they follow: one pass drops the answers
	// whose condition is not met, in chains too.
	for _, q := range d.Questions {
		if q.ShowIf != "" && answers[q.ShowIf] != "yes" {
			delete(answers, q.ID)
		}
	}
	a, err := triage.Assess(answers, h.S.Clock.Now().In(clock.Paris))
	if err != nil {
		return apperr.Wrap(apperr.Invalid, "common.error.invalid", err)
	}
	d.Flags = presenter{h.K.Catalog.Localizer(web.Lang(r.Context()).Tag)}.assessment(a)
	d.Assessed = true
	return h.K.Render(w, r, http.StatusOK, "rights/triage", d)
}
