package rights

import (
	"parcours/internal/guide/seed"
	"parcours/internal/platform/i18n"
	"parcours/internal/rights/rules"
	"parcours/internal/rights/triage"
)

// The simulator's and the triage grid's answers, localized. The same
// structures feed the HTML pages and the JSON API, so both say the same.

// Text is a message in the reader's language: its stable ID (for programs),
// its text, and whether it rests on a rule the research note marks
// unconfirmed.
type Text struct {
	ID          string `json:"id"`
	Text        string `json:"text"`
	Unconfirmed bool   `json:"unconfirmed,omitempty"`
}

// Named is an identifier with its name in the reader's language.
type Named struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Link tells that the guide has a checklist page for this slug.
	Link bool `json:"-"`
}

// AmountView is a figure shown with a right.
type AmountView struct {
	Label Text       `json:"label"`
	Value int64      `json:"value"`
	Unit  rules.Unit `json:"unit"`
	// Text is the value with its unit ("646,52 € par mois").
	Text        string     `json:"text"`
	From        rules.Date `json:"from,omitzero"`
	Stale       bool       `json:"stale,omitempty"`
	Unconfirmed bool       `json:"unconfirmed,omitempty"`
}

// RightView is the answer for one right.
type RightView struct {
	Right   rules.RightID `json:"right"`
	Name    string        `json:"name"`
	Outcome rules.Outcome `json:"outcome"`
	// OutcomeLabel names the outcome ("Ouvert", "À vérifier"...).
	OutcomeLabel string      `json:"outcome_label"`
	Level        rules.Level `json:"level,omitempty"`
	LevelLabel   string      `json:"level_label,omitempty"`
	Reasons      []Text      `json:"reasons"`
	Notes        []Text      `json:"notes,omitempty"`
	References   []string    `json:"references"`
	Sources      []string    `json:"sources,omitempty"`
	SourceURL    string      `json:"source_url,omitempty"`
	OpensOn      rules.Date  `json:"opens_on,omitzero"`
	WaitingDays  int         `json:"waiting_days,omitempty"`
	// Waiting says how long until OpensOn ("dans 12 jours").
	Waiting   string       `json:"waiting,omitempty"`
	Until     rules.Date   `json:"until,omitzero"`
	Amounts   []AmountView `json:"amounts,omitempty"`
	Documents []Named      `json:"documents,omitempty"`
	// Unconfirmed: something in the answer rests on an unconfirmed rule.
	Unconfirmed bool `json:"unconfirmed"`
}

// ResultView is a simulation.
type ResultView struct {
	At     rules.Date  `json:"at"`
	Lang   string      `json:"lang"`
	Status StatusView  `json:"status"`
	Rights []RightView `json:"rights"`
	Notes  []Text      `json:"notes,omitempty"`
	// Unconfirmed: at least one right rests on an unconfirmed rule.
	Unconfirmed bool `json:"unconfirmed"`
}

// StatusView describes a status (the API's list and a result's header).
type StatusView struct {
	ID          rules.StatusID `json:"id"`
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Group       Named          `json:"group"`
	Sheet       string         `json:"sheet"`
	// Bases are the titles Situation.Basis may name for this status.
	Bases []Named `json:"bases,omitempty"`
}

// RightInfoView describes a right the simulator answers for.
type RightInfoView struct {
	ID          rules.RightID `json:"id"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	References  []string      `json:"references"`
	Sources     []string      `json:"sources"`
	Documents   []Named       `json:"documents"`
}

// presenter localizes answers for one language.
type presenter struct{ l *i18n.L }

func (p presenter) money(v rules.Money) string {
	if p.l.Tag == "en" {
		return v.Format(".", ",", true)
	}
	return v.String()
}

func (p presenter) text(m rules.Message) Text {
	return Text{ID: m.ID, Text: p.l.Msg(m.ID, m.TemplateDataWith(p.l.DateLayout, p.money), m.PluralCount),
		Unconfirmed: m.Unconfirmed}
}

func (p presenter) texts(ms []rules.Message) []Text {
	if len(ms) == 0 {
		return nil
	}
	out := make([]Text, len(ms))
	for i, m := range ms {
		out[i] = p.text(m)
	}
	return out
}

func (p presenter) docs(slugs []string) []Named {
	out := make([]Named, len(slugs))
	for i, s := range slugs {
		out[i] = Named{ID: s, Name: p.l.T("rights.web.checklist." + s), Link: guideChecklists[s]}
	}
	return out
}

// guideChecklists are the slugs of the guide's "documents to bring"
// checklists, which the simulator links to.
var guideChecklists = func() map[string]bool {
	m := map[string]bool{}
	cls, err := seed.Checklists()
	if err != nil {
		// The seed is embedded and tested; without it, names stay unlinked.
		return m
	}
	for _, c := range cls {
		m[c.Slug] = true
	}
	return m
}()

func (p presenter) amount(a rules.Amount) AmountView {
	v := AmountView{Label: p.text(a.Label), Value: int64(a.Value), Unit: a.Unit, From: a.From, Stale: a.Stale,
		Unconfirmed: a.Unconfirmed}
	value := p.money(a.Value)
	if a.Unit == rules.UnitHoursPerYear {
		value = p.l.N("rights.web.unit.hours", int(a.Value))
	}
	v.Text = p.l.T("rights.web.unit."+string(a.Unit), "Amount", value)
	return v
}

func (p presenter) status(id rules.StatusID) StatusView {
	for _, st := range rules.Statuses() {
		if st.ID != id {
			continue
		}
		v := StatusView{ID: st.ID, Name: p.l.T(st.Name), Description: p.l.T(st.Description),
			Group: Named{ID: string(st.Group), Name: p.l.T("rights.web.group." + string(st.Group))}, Sheet: st.Sheet}
		for _, b := range rules.Bases(st.ID) {
			v.Bases = append(v.Bases, Named{ID: string(b), Name: p.l.T("rights.status." + string(b) + ".name")})
		}
		return v
	}
	return StatusView{ID: id}
}

func (p presenter) statuses() []StatusView {
	var out []StatusView
	for _, st := range rules.Statuses() {
		out = append(out, p.status(st.ID))
	}
	return out
}

func (p presenter) rights() []RightInfoView {
	var out []RightInfoView
	for _, r := range rules.Rights() {
		out = append(out, RightInfoView{ID: r.ID, Name: p.l.T(r.Name), Description: p.l.T(r.Description),
			References: r.References, Sources: r.Sources, Documents: p.docs(r.Documents)})
	}
	return out
}

func (p presenter) result(res rules.Result) ResultView {
	v := ResultView{At: res.At, Lang: p.l.Tag, Status: p.status(res.Status), Notes: p.texts(res.Notes)}
	for _, r := range res.Rights {
		rv := RightView{Right: r.Right, Name: p.l.T(r.Name), Outcome: r.Outcome,
			OutcomeLabel: p.l.T("rights.outcome." + string(r.Outcome)), Level: r.Level,
			Reasons: p.texts(r.Reasons), Notes: p.texts(r.Notes), References: r.References, Sources: r.Sources,
			SourceURL: r.SourceURL, OpensOn: r.OpensOn, WaitingDays: r.WaitingDays, Until: r.Until,
			Documents: p.docs(r.Documents), Unconfirmed: r.Unconfirmed}
		if r.Level != "" {
			rv.LevelLabel = p.l.T("rights.level." + string(r.Level))
		}
		if r.WaitingDays > 0 {
			rv.Waiting = p.l.N("rights.web.sim.waiting", r.WaitingDays)
		}
		for _, a := range r.Amounts {
			rv.Amounts = append(rv.Amounts, p.amount(a))
		}
		v.Unconfirmed = v.Unconfirmed || r.Unconfirmed
		v.Rights = append(v.Rights, rv)
	}
	return v
}

// DeadlineView is a date the triage answers imply.
type DeadlineView struct {
	Label  Text       `json:"label"`
	Date   rules.Date `json:"date"`
	From   rules.Date `json:"from,omitzero"`
	Period string     `json:"period,omitempty"`
	// Left says how many days remain, or since when the date passed.
	Left        string `json:"left"`
	Passed      bool   `json:"passed"`
	Soon        bool   `json:"soon"`
	Informative bool   `json:"informative,omitempty"`
	Unconfirmed bool   `json:"unconfirmed,omitempty"`
}

// FlagView is a situation the triage grid detected.
type FlagView struct {
	ID            string          `json:"id"`
	Title         Text            `json:"title"`
	Severity      triage.Severity `json:"severity"`
	SeverityLabel string          `json:"severity_label"`
	Details       []Text          `json:"details"`
	Deadlines     []DeadlineView  `json:"deadlines,omitempty"`
	References    []string        `json:"references"`
	Referrals     []Named         `json:"referrals"`
	Unconfirmed   bool            `json:"unconfirmed"`
}

func (p presenter) assessment(a triage.Assessment) []FlagView {
	out := make([]FlagView, 0, len(a.Flags))
	for _, f := range a.Flags {
		fv := FlagView{ID: f.ID, Title: p.text(f.Title), Severity: f.Severity,
			SeverityLabel: p.l.T("rights.triage.severity." + string(f.Severity)), Details: p.texts(f.Details),
			References: f.References, Unconfirmed: f.Unconfirmed}
		for _, r := range f.Referrals {
			fv.Referrals = append(fv.Referrals, Named{ID: string(r), Name: p.l.T("rights.triage.referral." + string(r))})
		}
		for _, d := range f.Deadlines {
			dv := DeadlineView{Label: p.text(d.Label), Date: d.Date, From: d.From, Passed: d.Passed,
				Soon: !d.Passed && d.DaysLeft <= triage.UrgentDays, Informative: d.Informative, Unconfirmed: d.Unconfirmed}
			if d.PeriodLabel != nil {
				dv.Period = p.text(*d.PeriodLabel).Text
			}
			switch {
			case d.DaysLeft == 0:
				dv.Left = p.l.T("rights.web.triage.today")
			case d.DaysLeft < 0:
				dv.Left = p.l.N("rights.web.triage.passed_since", -d.DaysLeft)
			default:
				dv.Left = p.l.N("rights.web.triage.days_left", d.DaysLeft)
			}
			fv.Deadlines = append(fv.Deadlines, dv)
		}
		out = append(out, fv)
	}
	return out
}
