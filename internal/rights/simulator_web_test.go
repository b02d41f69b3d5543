package rights_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
	"parcours/internal/rights"
)

// refugee is a refugee recognised in early 2026, aged 30, without resources.
var refugee = url.Values{"status": {"refugee"}, "at": {"2026-11-25"}, "arrived_on": {"2026-01-10"},
	"status_granted_on": {"2026-03-02"}, "age": {"30"}, "monthly_resources": {"0"}, "address": {"domiciliation"}}

func TestSimulatorForm(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := newWorld(t, e)
		b := w.as(w.worker)
		// Empty form, today's date, no answer yet.
		r := b.Get("/fr/rights/simulator")
		if r.Status != 200 || !strings.Contains(r.Body, `name="at" type="date" value="2026-11-25"`) || strings.Contains(r.Body, `id="results"`) {
			t.Fatalf("empty simulator: %d", r.Status)
		}
		// Prefilled from the query (as the pathway module will link), answered.
		r = b.Get("/fr/rights/simulator?" + refugee.Encode())
		if r.Status != 200 {
			t.Fatalf("prefilled simulator: %d", r.Status)
		}
		for _, want := range []string{
			`<option value="refugee" selected>`,
			`id="right-puma"`, `id="right-css_free"`, `id="right-rsa"`,
			`<span class="badge outcome eligible">` + w.fr("rights.outcome.eligible") + `</span>`,
			"D. 160-2 CSS", "L. 262-4 CASF",
			// The documents to gather link to the guide's checklist.
			`<a href="/fr/guide/checklists/rsa">` + w.fr("rights.web.checklist.rsa") + `</a>`,
			// Staff see the link to the status's sheet.
			`href="/fr/rights/sheets/refugie"`,
		} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("answer lacks %q", want)
			}
		}
		// The same by POST, and an unconfirmed figure is marked: the RSA
		// amount from April 2026 is not confirmed by a decree.
		r = b.Post("/fr/rights/simulator", refugee)
		rsa := section(r.Body, `id="right-rsa"`)
		if r.Status != 200 || !strings.Contains(rsa, `<span class="badge warn">⚠ `+w.fr("rights.web.unconfirmed")) ||
			!strings.Contains(r.Body, w.fr("rights.web.sim.has_unconfirmed")) {
			t.Errorf("POST answer (%d): the RSA amount is not marked unconfirmed", r.Status)
		}
		// A date before the rules start: every right is unknown.
		old := cloneValues(refugee)
		old.Set("at", "2020-06-01")
		r = b.Post("/fr/rights/simulator", old)
		if n := strings.Count(r.Body, `<span class="badge outcome unknown">`); n != 2*14 {
			t.Errorf("before the rules: %d unknown badges, want 28 (table and cards)", n)
		}
		if strings.Contains(r.Body, `badge outcome eligible`) {
			t.Error("before the rules: a right is eligible")
		}
		// The public page answers anonymous visitors, without the staff links.
		anon := w.Browser()
		r = anon.Get("/fr/simulator?" + refugee.Encode())
		if r.Status != 200 || !strings.Contains(r.Body, `id="right-puma"`) || strings.Contains(r.Body, "/rights/sheets/") ||
			!strings.Contains(r.Body, `action="/fr/simulator"`) {
			t.Errorf("public simulator: %d", r.Status)
		}
		if r := anon.Post("/fr/simulator", refugee); r.Status != 200 {
			t.Errorf("public simulator, POST: %d", r.Status)
		}
		// Anonymous on the staff page: to sign-in.
		if r := anon.Get("/fr/rights/simulator"); r.Status != http.StatusSeeOther {
			t.Errorf("anonymous staff simulator: %d", r.Status)
		}
	})
}

func TestSimulatorFormValidation(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := newWorld(t, e)
		b := w.as(w.reception)
		for _, tc := range []struct {
			name, field, value, want string
		}{
			{"no status", "status", "", w.fr("common.form.required")},
			{"unknown status", "status", "tourist", w.fr("common.form.invalid_choice")},
			{"bad date", "arrived_on", "10/01/2026", w.fr("common.form.date_invalid")},
			{"bad simulation date", "at", "hier", w.fr("common.form.date_invalid")},
			{"basis for a refugee", "basis", "student", w.fr("rights.web.sim.error.basis")},
			{"bad resources", "monthly_resources", "beaucoup", w.fr("rights.web.sim.error.resources")},
			{"bad age", "age", "trente", w.fr("rights.web.sim.error.number")},
			{"age out of range", "age", "300", w.fr("rights.web.sim.error.age")},
			{"asylum question for a refugee", "cma_accepted", "yes", w.fr("rights.web.sim.error.asylum_only")},
			{"child's entry", "children.2.entry", "boat", w.fr("common.form.invalid_choice")},
			{"nationality", "nationality", "Algérie", w.fr("rights.web.sim.error.nationality")},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f := cloneValues(refugee)
				f.Set(tc.field, tc.value)
				r := b.Post("/fr/rights/simulator", f)
				if r.Status != http.StatusUnprocessableEntity {
					t.Fatalf("status %d, want 422", r.Status)
				}
				field := tc.field
				if !strings.Contains(r.Body, `id="f-`+field+`-err">`+tc.want) {
					t.Errorf("no error %q next to %s", tc.want, field)
				}
				if strings.Contains(r.Body, `id="results"`) {
					t.Error("an answer is shown with errors")
				}
			})
		}
	})
}

// apiPost sends a JSON simulation request.
func apiPost(t *testing.T, w *world, query, body string, header ...string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, w.Server.URL+"/api/rights/simulate"+query, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func rightOf(t *testing.T, res rights.ResultView, id string) rights.RightView {
	t.Helper()
	for _, r := range res.Rights {
		if string(r.Right) == id {
			return r
		}
	}
	t.Fatalf("no right %s", id)
	return rights.RightView{}
}

func TestSimulateAPI(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := newWorld(t, e)
		body := `{"at":"2026-11-25","situation":{"status":"refugee","arrived_on":"2026-01-10","status_granted_on":"2026-03-02",
			"age":30,"monthly_resources_cents":0,"resources_known":true,"address":"domiciliation"}}`
		status, h, raw := apiPost(t, w, "", body)
		if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") || h.Get("Content-Language") != "fr" {
			t.Fatalf("simulate: %d %s %s\n%s", status, h.Get("Content-Type"), h.Get("Content-Language"), raw)
		}
		var res rights.ResultView
		if err := json.Unmarshal(raw, &res); err != nil {
			t.Fatal(err)
		}
		if res.At.String() != "2026-11-25" || res.Status.ID != "refugee" || res.Status.Sheet != "refugie" {
			t.Errorf("header: %+v", res.Status)
		}
		for _, c := range []struct{ right, outcome, ref string }{
			{"puma", "eligible", "D. 160-2 CSS"}, {"css_free", "eligible", "L. 861-1 CSS"}, {"rsa", "eligible", "L. 262-4 CASF"},
		} {
			r := rightOf(t, res, c.right)
			if string(r.Outcome) != c.outcome || !contains(r.References, c.ref) || len(r.Reasons) == 0 || r.Reasons[0].Text == "" ||
				r.Reasons[0].Text == r.Reasons[0].ID {
				t.Errorf("%s: %s %v %+v, want %s citing %s with a reason text", c.right, r.Outcome, r.References, r.Reasons, c.outcome, c.ref)
			}
		}
		rsa := rightOf(t, res, "rsa")
		if !rsa.Unconfirmed || !res.Unconfirmed || len(rsa.Amounts) == 0 || !rsa.Amounts[0].Unconfirmed ||
			!strings.Contains(rsa.Amounts[0].Text, "651,69") {
			t.Errorf("RSA: the April 2026 amount must be marked unconfirmed: %+v", rsa.Amounts)
		}
		if len(rsa.Documents) == 0 || rsa.Documents[0].Name == "" || strings.HasPrefix(rsa.Documents[0].Name, "rights.") {
			t.Errorf("RSA documents without names: %+v", rsa.Documents)
		}

		// Texts in the language asked: ?lang=, else Accept-Language.
		_, h, raw = apiPost(t, w, "?lang=en", body)
		_ = json.Unmarshal(raw, &res)
		if h.Get("Content-Language") != "en" || !strings.Contains(rightOf(t, res, "puma").Name, "Health insurance") {
			t.Errorf("English: %s %q", h.Get("Content-Language"), rightOf(t, res, "puma").Name)
		}
		_, h, _ = apiPost(t, w, "", body, "Accept-Language", "ar-SD, fr;q=0.5")
		if h.Get("Content-Language") != "ar" {
			t.Errorf("Accept-Language ar: %s", h.Get("Content-Language"))
		}

		// Before the rules start: unknown, with the reason.
		_, _, raw = apiPost(t, w, "", strings.Replace(body, `"at":"2026-11-25"`, `"at":"2019-12-31"`, 1))
		_ = json.Unmarshal(raw, &res)
		for _, r := range res.Rights {
			if r.Outcome != "unknown" || r.Reasons[0].ID != "rights.common.reason.before_model" {
				t.Errorf("%s before the model: %s %s", r.Right, r.Outcome, r.Reasons[0].ID)
			}
		}

		// A decisive unconfirmed rule: the answer is "maybe", marked.
		status, _, raw = apiPost(t, w, "", `{"at":"2026-11-25","situation":{"status":"student","arrived_on":"2026-10-01"}}`)
		_ = json.Unmarshal(raw, &res)
		puma := rightOf(t, res, "puma")
		if status != 200 || puma.Outcome != "maybe" || !puma.Unconfirmed || !puma.Reasons[0].Unconfirmed ||
			!strings.Contains(puma.Reasons[0].Text, "à confirmer") {
			t.Errorf("student's PUMa wait: %s %+v", puma.Outcome, puma.Reasons)
		}

		// Refused requests: 422, with message keys and texts, per field.
		for _, c := range []struct{ name, body, key, field, fieldKey string }{
			{"not JSON", `{"situation":`, "rights.web.api.error.json", "", ""},
			{"wrong type", `{"situation":{"status":"refugee","age":"30"}}`, "common.error.invalid", "situation.age", "rights.web.api.error.type"},
			{"unknown status", `{"situation":{"status":"tourist"}}`, "common.error.invalid", "situation.status", "common.form.invalid_choice"},
			{"bad date", `{"at":"2026-13-01","situation":{"status":"refugee"}}`, "common.error.invalid", "at", "common.form.date_invalid"},
		} {
			status, _, raw := apiPost(t, w, "?lang=en", c.body)
			var eb rights.ErrorBody
			if err := json.Unmarshal(raw, &eb); err != nil || status != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d %s", c.name, status, raw)
				continue
			}
			if eb.Error.Key != c.key || eb.Error.Message == "" || eb.Error.Message == c.key {
				t.Errorf("%s: error %+v", c.name, eb.Error)
			}
			if c.field != "" {
				fe := eb.Error.Fields[c.field]
				if fe.Key != c.fieldKey || fe.Message == "" || fe.Message == fe.Key {
					t.Errorf("%s: field %s: %+v", c.name, c.field, eb.Error.Fields)
				}
			}
		}
		// Too large a body.
		if status, _, _ := apiPost(t, w, "", `{"at":"`+strings.Repeat("x", 70<<10)+`"}`); status != http.StatusRequestEntityTooLarge {
			t.Errorf("large body: %d", status)
		}

		// The lists.
		for path, key := range map[string]string{"/api/rights/statuses?lang=fr": "statuses", "/api/rights/rights?lang=fr": "rights"} {
			resp, err := http.Get(w.Server.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]json.RawMessage
			var list []map[string]any
			err = json.NewDecoder(resp.Body).Decode(&m)
			resp.Body.Close()
			if err == nil {
				err = json.Unmarshal(m[key], &list)
			}
			if err != nil || resp.StatusCode != 200 || len(list) < 14 || list[0]["name"] == "" || string(m["lang"]) != `"fr"` {
				t.Errorf("%s: %d %v", path, resp.StatusCode, err)
			}
		}
	})
}

func TestTriagePage(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := newWorld(t, e)
		b := w.as(w.legal)
		r := b.Get("/fr/rights/triage")
		if r.Status != 200 || !strings.Contains(r.Body, `name="oqtf_notified_on"`) ||
			!strings.Contains(r.Body, w.fr("rights.web.triage.only_if", "Question", w.App.Catalog.Localizer("fr").T("rights.triage.question.oqtf"))) {
			t.Fatalf("triage page: %d", r.Status)
		}
		// An OQTF notified on 20 November: appeal within a month, 20 December.
		r = b.Post("/fr/rights/triage", url.Values{"oqtf": {"yes"}, "oqtf_notified_on": {"2026-11-20"}, "restriction": {"none"},
			// Answered, but its question does not apply (not an asylum seeker).
			"dublin": {"yes"}})
		if r.Status != 200 || !strings.Contains(r.Body, `class="panel flag critical"`) || !strings.Contains(r.Body, "20/12/2026") ||
			!strings.Contains(r.Body, w.fr("rights.triage.referral.legal_permanence")) {
			t.Errorf("OQTF: %d", r.Status)
		}
		if strings.Contains(r.Body, `aria-labelledby="flag-dublin_transfer_period"`) {
			t.Error("a Dublin flag from a question that did not apply")
		}
		// A notification cannot be in the future; a yes/no is yes or no.
		r = b.Post("/fr/rights/triage", url.Values{"oqtf": {"peut-être"}, "oqtf_notified_on": {"2026-12-20"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="f-oqtf_notified_on-err">`+w.fr("rights.web.triage.error.future")) ||
			!strings.Contains(r.Body, `id="f-oqtf-err">`+w.fr("common.form.invalid_choice")) {
			t.Errorf("invalid answers: %d", r.Status)
		}
		// Nothing answered: no flag.
		if r := b.Post("/fr/rights/triage", url.Values{}); !strings.Contains(r.Body, w.fr("rights.web.triage.no_flag")) {
			t.Error("empty grid: no 'nothing found' message")
		}
	})
}

func section(body, start string) string {
	i := strings.Index(body, start)
	if i < 0 {
		return ""
	}
	rest := body[i:]
	if j := strings.Index(rest, "</article>"); j >= 0 {
		return rest[:j]
	}
	return rest
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
