package rules_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"text/template"
	"time"

	"parcours/internal/rights/rules"
	"parcours/internal/rights/triage"
)

// The catalogs live at the repository root.
const localeDir = "../../../locales/"

type catalog map[string]map[string]string

func loadCatalog(t *testing.T, lang string) catalog {
	t.Helper()
	b, err := os.ReadFile(localeDir + "rights." + lang + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var c catalog
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatalf("rights.%s.json: %v", lang, err)
	}
	return c
}

var (
	fieldRe  = regexp.MustCompile(`\{\{\s*\.([A-Za-z][A-Za-z0-9_]*)\s*\}\}`)
	actionRe = regexp.MustCompile(`\{\{[^}]*\}\}`)
)

// fields returns the template fields a text uses; only {{.Name}} actions are
// allowed.
func fields(t *testing.T, id, text string) []string {
	t.Helper()
	var out []string
	for _, a := range actionRe.FindAllString(text, -1) {
		m := fieldRe.FindStringSubmatch(a)
		if m == nil {
			t.Errorf("%s: unsupported template action %q (use {{.Name}})", id, a)
			continue
		}
		out = append(out, m[1])
	}
	if strings.Count(text, "{{") != len(actionRe.FindAllString(text, -1)) {
		t.Errorf("%s: unbalanced template braces", id)
	}
	return out
}

func TestCatalogShape(t *testing.T) {
	fr, en := loadCatalog(t, "fr"), loadCatalog(t, "en")
	for _, c := range []struct {
		lang string
		cat  catalog
	}{{"fr", fr}, {"en", en}} {
		for id, e := range c.cat {
			if !strings.HasPrefix(id, "rights.") {
				t.Errorf("%s %s: ID must start with rights.", c.lang, id)
			}
			for k := range e {
				if k != "description" && k != "other" && k != "one" {
					t.Errorf("%s %s: unexpected key %q", c.lang, id, k)
				}
			}
			if e["description"] == "" || e["other"] == "" {
				t.Errorf("%s %s: description and other are required", c.lang, id)
			}
		}
	}
	for id, e := range fr {
		g, ok := en[id]
		if !ok {
			t.Errorf("%s missing in English", id)
			continue
		}
		if (e["one"] == "") != (g["one"] == "") {
			t.Errorf("%s: plural forms differ between French and English", id)
		}
		ff := fields(t, id, e["other"]+e["one"])
		gf := fields(t, id, g["other"]+g["one"])
		slices.Sort(ff)
		slices.Sort(gf)
		if !slices.Equal(slices.Compact(ff), slices.Compact(gf)) {
			t.Errorf("%s: French uses %v, English %v", id, ff, gf)
		}
	}
	for id := range en {
		if _, ok := fr[id]; !ok {
			t.Errorf("%s missing in French", id)
		}
	}
}

// emitted collects every message the simulator and the triage grid return
// over generated inputs, plus the static labels (names, options).
func emitted(t *testing.T) (dynamic []rules.Message, static []string) {
	t.Helper()
	corpus := rules.Corpus(60)
	// An invalid situation gives "unknown" everywhere with its own reason.
	corpus = append(corpus, rules.CorpusCase{S: rules.Situation{Status: "invalid"}, At: time.Now()})
	for _, cc := range corpus {
		res := rules.Simulate(cc.S, cc.At)
		dynamic = append(dynamic, res.Notes...)
		for _, r := range res.Rights {
			dynamic = append(dynamic, r.Reasons...)
			dynamic = append(dynamic, r.Notes...)
			for _, a := range r.Amounts {
				dynamic = append(dynamic, a.Label)
			}
		}
	}
	for _, a := range triageCorpus(t) {
		for _, f := range a.Flags {
			dynamic = append(dynamic, f.Title)
			dynamic = append(dynamic, f.Details...)
			for _, dl := range f.Deadlines {
				dynamic = append(dynamic, dl.Label)
				if dl.PeriodLabel != nil {
					dynamic = append(dynamic, *dl.PeriodLabel)
				}
			}
		}
	}
	// The fallback reason finalize gives a rule that returned none; the
	// invariant test checks that no rule relies on it.
	static = append(static, "rights.common.reason.not_covered")
	for _, s := range rules.Statuses() {
		static = append(static, s.Name, s.Description)
	}
	for _, r := range rules.Rights() {
		static = append(static, r.Name, r.Description)
	}
	for _, o := range rules.Outcomes() {
		static = append(static, "rights.outcome."+string(o))
	}
	for _, l := range rules.Levels() {
		static = append(static, "rights.level."+string(l))
	}
	for _, x := range rules.ChildEntries() {
		static = append(static, "rights.child_entry."+string(x))
	}
	for _, x := range rules.InterimKinds() {
		static = append(static, "rights.interim."+string(x))
	}
	for _, x := range rules.AddressKinds() {
		static = append(static, "rights.address."+string(x))
	}
	for _, x := range rules.AccommodationKinds() {
		static = append(static, "rights.accommodation."+string(x))
	}
	for _, x := range rules.Benefits() {
		static = append(static, "rights.benefit."+string(x))
	}
	for _, q := range triage.Questions() {
		static = append(static, q.Label, q.Help)
		for _, c := range q.Choices {
			static = append(static, c.Label)
		}
	}
	for _, s := range triage.Severities() {
		static = append(static, "rights.triage.severity."+string(s))
	}
	for _, r := range triage.Referrals() {
		static = append(static, "rights.triage.referral."+string(r))
	}
	return dynamic, static
}

// triageCorpus assesses random answer sets at a few dates.
func triageCorpus(t *testing.T) []triage.Assessment {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 25))
	var out []triage.Assessment
	for _, at := range []string{"2024-03-01", "2025-06-15", "2026-11-25"} {
		atD := rules.MustDate(at)
		for range 3000 {
			a := triage.Answers{}
			for _, q := range triage.Questions() {
				if rng.IntN(10) < 3 {
					continue
				}
				switch q.Kind {
				case triage.KindBool:
					a[q.ID] = []string{"yes", "no"}[rng.IntN(2)]
				case triage.KindDate:
					off := rng.IntN(500)
					if !q.Past {
						off -= 250
					}
					a[q.ID] = atD.AddDays(-off).String()
				case triage.KindChoice:
					a[q.ID] = q.Choices[rng.IntN(len(q.Choices))].ID
				}
			}
			res, err := triage.Assess(a, atD.Time())
			if err != nil {
				t.Fatalf("assess %v: %v", a, err)
			}
			out = append(out, res)
		}
	}
	return out
}

// TestMessagesExist checks that every message ID the rules and the triage
// grid can return exists in both catalogs, that the arguments its texts use
// are provided, that it renders, and that an unconfirmed message says so.
// It also reports catalog entries that nothing returns (except the web
// layer's "rights.web." texts, which internal/rights checks).
func TestMessagesExist(t *testing.T) {
	fr, en := loadCatalog(t, "fr"), loadCatalog(t, "en")
	dynamic, static := emitted(t)
	used := map[string]bool{}
	checked := map[string]bool{}
	for _, id := range static {
		used[id] = true
		for lang, c := range map[string]catalog{"fr": fr, "en": en} {
			e, ok := c[id]
			if !ok {
				t.Errorf("%s: static label %s missing", lang, id)
				continue
			}
			if f := fields(t, id, e["other"]); len(f) > 0 {
				t.Errorf("%s: static label %s must not use arguments %v", lang, id, f)
			}
		}
	}
	for _, m := range dynamic {
		used[m.ID] = true
		keys := make([]string, 0, len(m.Args))
		for k := range m.Args {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		sig := fmt.Sprint(m.ID, keys, m.PluralCount != nil, m.Unconfirmed)
		if checked[sig] {
			continue
		}
		checked[sig] = true
		for lang, c := range map[string]catalog{"fr": fr, "en": en} {
			e, ok := c[m.ID]
			if !ok {
				t.Errorf("%s: message %s missing", lang, m.ID)
				continue
			}
			if e["one"] != "" && m.PluralCount == nil {
				t.Errorf("%s: %s has plural forms but is returned without a count", lang, m.ID)
			}
			if e["one"] == "" && m.PluralCount != nil {
				t.Errorf("%s: %s is counted but has no plural form", lang, m.ID)
			}
			for _, form := range []string{"other", "one"} {
				text := e[form]
				if text == "" {
					continue
				}
				for _, f := range fields(t, m.ID, text) {
					if _, ok := m.Args[f]; !ok {
						t.Errorf("%s: %s (%s) uses {{.%s}} but the code gives %v", lang, m.ID, form, f, keys)
					}
				}
				tpl, err := template.New(m.ID).Option("missingkey=error").Parse(text)
				if err != nil {
					t.Errorf("%s: %s: %v", lang, m.ID, err)
					continue
				}
				var b strings.Builder
				if err := tpl.Execute(&b, m.TemplateData(lang)); err != nil {
					t.Errorf("%s: %s: %v", lang, m.ID, err)
				}
				marker := map[string]string{"fr": "à confirmer", "en": "to be confirmed"}[lang]
				if m.Unconfirmed && !strings.Contains(strings.ToLower(text), marker) {
					t.Errorf("%s: %s is returned as unconfirmed but its text does not say %q", lang, m.ID, marker)
				}
			}
		}
	}
	var unused []string
	for id := range fr {
		// The web layer's own texts (internal/rights) are checked there.
		if !used[id] && !strings.HasPrefix(id, "rights.web.") {
			unused = append(unused, id)
		}
	}
	slices.Sort(unused)
	if len(unused) > 0 {
		t.Errorf("%d catalog entries are never returned by the generated inputs:\n%s", len(unused), strings.Join(unused, "\n"))
	}
}

// TestRenderExample shows one rendered reason, as the web layer would.
func TestRenderExample(t *testing.T) {
	fr := loadCatalog(t, "fr")
	s := rules.Situation{Status: rules.StatusAsylumNormal, Age: 30, ArrivedOn: rules.MustDate("2025-05-01")}
	r, _ := rules.Simulate(s, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)).Right(rules.RightPUMa)
	m := r.Reasons[0]
	tpl := template.Must(template.New("").Parse(fr[m.ID]["other"]))
	var b strings.Builder
	if err := tpl.Execute(&b, m.TemplateData("fr")); err != nil {
		t.Fatal(err)
	}
	want := "Demandeur d'asile majeur : PUMa après 3 mois de résidence, le 01/08/2025. En attendant : soins urgents et PASS."
	if b.String() != want {
		t.Errorf("rendered %q\nwant     %q", b.String(), want)
	}
}
