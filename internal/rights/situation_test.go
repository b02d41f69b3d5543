package rights

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"parcours/internal/platform/clock"
	"parcours/internal/rights/rules"
)

func TestDecodeSimulate(t *testing.T) {
	tests := []struct {
		name, body string
		key        string            // whole-request error
		fields     map[string]string // field errors
	}{
		{"valid", `{"at":"2026-11-25","situation":{"status":"refugee","arrived_on":"2026-01-10","age":30,"children":[{"age":3,"entry":"born_in_france"}],"monthly_resources_cents":0,"resources_known":true,"benefits":["rsa"]}}`, "", nil},
		{"a rules.Situation as encoded by the rules package", `{"situation":` + mustJSON(rules.Situation{Status: rules.StatusAsylumNormal, ArrivedOn: rules.MustDate("2026-01-01"), CMAAccepted: rules.Yes}) + `}`, "", nil},
		{"not JSON", `{"situation":`, "rights.web.api.error.json", nil},
		{"an array", `[1]`, "rights.web.api.error.json", nil},
		{"trailing data", `{"situation":{"status":"refugee"}} {}`, "rights.web.api.error.json", nil},
		{"no situation", `{"at":"2026-11-25"}`, "common.error.invalid", map[string]string{"situation": "common.form.required"}},
		{"wrong type", `{"situation":{"status":"refugee","age":"trente"}}`, "common.error.invalid", map[string]string{"situation.age": "rights.web.api.error.type"}},
		{"wrong type in a child", `{"situation":{"status":"refugee","children":[{"age":true}]}}`, "common.error.invalid", map[string]string{"situation.children.age": "rights.web.api.error.type"}},
		{"unknown field", `{"situation":{"status":"refugee","salary":1}}`, "common.error.invalid", map[string]string{"salary": "rights.web.api.error.unknown_field"}},
		{"bad date", `{"at":"25/11/2026","situation":{"status":"refugee","arrived_on":"2026-02-30"}}`, "common.error.invalid",
			map[string]string{"at": "common.form.date_invalid", "situation.arrived_on": "common.form.date_invalid"}},
		{"every field checked", `{"situation":{"status":"refugee","basis":"student","interim":"first","age":200,"nationality":"dza","adults":-1,
			"children":[{"age":-2,"entry":"by_boat","birth_date":"x"}],"monthly_resources_cents":-5,"address":"street","benefits":["rsa","lottery"],
			"cma_accepted":"maybe","accommodation":"castle","ofpra_filed_on":"2026-01-01"}}`, "common.error.invalid", map[string]string{
			"situation.basis": "rights.web.sim.error.basis", "situation.interim": "rights.web.sim.error.interim",
			"situation.age": "rights.web.sim.error.age", "situation.nationality": "rights.web.sim.error.nationality",
			"situation.adults": "rights.web.sim.error.adults", "situation.children.0.age": "rights.web.sim.error.age",
			"situation.children.0.entry": "common.form.invalid_choice", "situation.children.0.birth_date": "common.form.date_invalid",
			"situation.monthly_resources_cents": "rights.web.sim.error.resources", "situation.address": "common.form.invalid_choice",
			"situation.benefits": "common.form.invalid_choice", "situation.cma_accepted": "rights.web.sim.error.asylum_only",
			"situation.accommodation": "rights.web.sim.error.asylum_only", "situation.ofpra_filed_on": "rights.web.sim.error.asylum_only"}},
		{"asylum answers checked", `{"situation":{"status":"asylum_dublin","cma_accepted":"maybe","accommodation":"castle"}}`, "common.error.invalid",
			map[string]string{"situation.cma_accepted": "common.form.invalid_choice", "situation.accommodation": "common.form.invalid_choice"}},
		{"unknown status", `{"situation":{"status":"tourist"}}`, "common.error.invalid", map[string]string{"situation.status": "common.form.invalid_choice"}},
		{"no status", `{"situation":{}}`, "common.error.invalid", map[string]string{"situation.status": "common.form.required"}},
		{"dates in the wrong order", `{"situation":{"status":"asylum_normal","status_granted_on":"2026-05-01","status_valid_until":"2026-01-01","ofpra_filed_on":"2026-03-01","ofpra_rejected_on":"2026-02-01"}}`,
			"common.error.invalid", map[string]string{"situation.status_valid_until": "rights.web.sim.error.valid_until_order",
				"situation.ofpra_rejected_on": "rights.web.sim.error.ofpra_order"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _, e := decodeSimulate([]byte(tc.body))
			if tc.key == "" {
				if e != nil {
					t.Fatalf("refused: %+v", e)
				}
				if err := s.Validate(); err != nil {
					t.Fatalf("accepted an invalid situation: %v", err)
				}
				return
			}
			if e == nil {
				t.Fatal("accepted")
			}
			if e.Key != tc.key {
				t.Errorf("key %q, want %q", e.Key, tc.key)
			}
			if len(e.Fields) != len(tc.fields) {
				t.Errorf("fields %v, want %v", e.Fields, tc.fields)
			}
			for k, v := range tc.fields {
				if e.Fields[k] != v {
					t.Errorf("field %s: %q, want %q", k, e.Fields[k], v)
				}
			}
		})
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// FuzzDecodeSimulate: whatever the body, decoding never panics, and what it
// accepts is a valid situation the simulator answers.
func FuzzDecodeSimulate(f *testing.F) {
	for _, s := range []string{
		`{"situation":{"status":"refugee"}}`,
		`{"at":"2020-01-01","situation":{"status":"asylum_normal","arrived_on":"2025-12-01","cma_accepted":"yes","accommodation":"housed","children":[{"age":3}]}}`,
		`{"situation":{"status":"receipt","basis":"student","interim":"renewal","monthly_resources_cents":120000,"resources_known":true}}`,
		`{"situation":{"status":"no_permit","benefits":["ame","ame"],"nationality":"dz"}}`,
		`{"situation":null}`, `null`, `{}`, `{"situation":{"children":[null]}}`, `{"at":null,"situation":{"status":"vpf","age":-0}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, at, e := decodeSimulate(data)
		if e != nil {
			if e.Key == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("accepted %q: %v", data, err)
		}
		if at.IsZero() {
			at = rules.MustDate("2026-11-25")
		}
		res := rules.Simulate(s, at.Time())
		if len(res.Rights) == 0 {
			t.Fatal("no answer")
		}
	})
}

func TestParseEuros(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "850": 85000, "850,5": 85050, "850.50": 85050, "1 234,56 €": 123456, "1\u00a0234": 123400} {
		if got, ok := parseEuros(in); !ok || got != want {
			t.Errorf("parseEuros(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "abc", "-5", "1,234,5", "12,345", "1e3", "9999999999"} {
		if _, ok := parseEuros(in); ok {
			t.Errorf("parseEuros(%q) accepted", in)
		}
	}
}

func TestFold(t *testing.T) {
	if got := fold("Réfugié ÉTAT Œuvre"); got != "refugie etat œuvre" {
		t.Errorf("fold = %q", got)
	}
}

func TestDailySchedule(t *testing.T) {
	d := dailyAt{hour: 7}
	at := func(s string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", s, clock.Paris)
		if err != nil {
			panic(err)
		}
		return t
	}
	for _, tc := range []struct{ now, next string }{
		{"2026-11-25 06:59", "2026-11-25 07:00"},
		{"2026-11-25 07:00", "2026-11-26 07:00"},
		{"2026-11-25 23:30", "2026-11-26 07:00"},
		{"2027-03-27 12:00", "2027-03-28 07:00"}, // the night clocks go forward
		{"2027-10-30 12:00", "2027-10-31 07:00"}, // and back
	} {
		if got := d.Next(at(tc.now)); !got.Equal(at(tc.next)) {
			t.Errorf("Next(%s) = %s, want %s", tc.now, got.In(clock.Paris), tc.next)
		}
	}
}

func TestDiffLines(t *testing.T) {
	got := diffLines(strings.Split("a\nb\nc", "\n"), strings.Split("a\nx\nc\nd", "\n"))
	var b strings.Builder
	for _, l := range got {
		b.WriteString(string(l.Op) + l.Text + "|")
	}
	if b.String() != " a|-b|+x| c|+d|" {
		t.Errorf("diff = %s", b.String())
	}
}
