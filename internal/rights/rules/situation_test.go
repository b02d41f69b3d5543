package rules

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    Situation
		ok   bool
	}{
		{"minimal", Situation{Status: StatusRefugee}, true},
		{"unknown status", Situation{Status: "tourist"}, false},
		{"basis on a status without one", Situation{Status: StatusVPF, Basis: StatusEmployee}, false},
		{"receipt for a VPF renewal", Situation{Status: StatusReceipt, Basis: StatusVPF, Interim: InterimRenewal}, true},
		{"receipt basis must be a title", Situation{Status: StatusReceipt, Basis: StatusNoPermit}, false},
		{"réunification needs a protected sponsor", Situation{Status: StatusFamilyReunionProtected, Basis: StatusVPF}, false},
		{"multi-year card cannot follow a temporary worker card (L. 433-5)", Situation{Status: StatusMultiYearCard, Basis: StatusTemporaryWorker}, false},
		{"interim kind only for receipts", Situation{Status: StatusVPF, Interim: InterimFirst}, false},
		{"expiry before start", Situation{Status: StatusVPF, StatusGrantedOn: d("2025-01-01"), StatusValidUntil: d("2024-12-31")}, false},
		{"OFPRA rejection before filing", Situation{Status: StatusAsylumNormal, OFPRAFiledOn: d("2025-01-10"), OFPRARejectedOn: d("2025-01-01")}, false},
		{"asylum fields on a non-asylum status", Situation{Status: StatusVPF, CMAAccepted: Yes}, false},
		{"negative age", Situation{Status: StatusVPF, Age: -1}, false},
		{"bad nationality", Situation{Status: StatusStudent, Nationality: "dz"}, false},
		{"negative resources", Situation{Status: StatusVPF, MonthlyResources: -1, ResourcesKnown: true}, false},
		{"unknown benefit", Situation{Status: StatusVPF, Benefits: []Benefit{"lottery"}}, false},
		{"unknown child entry", Situation{Status: StatusVPF, Children: []Child{{Entry: "teleported"}}}, false},
		{"date out of range", Situation{Status: StatusVPF, ArrivedOn: NewDate(1850, 1, 1)}, false},
		{"bad yes/no", Situation{Status: StatusAsylumNormal, CMAAccepted: "maybe"}, false},
	} {
		err := tc.s.Validate()
		if (err == nil) != tc.ok {
			t.Errorf("%s: Validate() = %v, want ok=%v", tc.name, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrSituation) {
			t.Errorf("%s: error does not wrap ErrSituation", tc.name)
		}
	}
}

func TestBases(t *testing.T) {
	if b := Bases(StatusFamilyReunionProtected); len(b) != 3 {
		t.Errorf("réunification bases = %v, want refugee, subsidiary_protection, stateless", b)
	}
	if b := Bases(StatusVPF); b != nil {
		t.Errorf("VPF takes no basis: %v", b)
	}
	for _, b := range Bases(StatusMultiYearCard) {
		if b == StatusTemporaryWorker || b == StatusRefugee {
			t.Errorf("multi-year card basis %s", b)
		}
	}
}

func TestParseSituation(t *testing.T) {
	s, err := ParseSituation([]byte(`{"status":"asylum_normal","status_granted_on":"2025-03-01",
		"arrived_on":"2025-02-20","age":30,"adults":1,"children":[{"age":4,"entry":"born_in_france"}],
		"monthly_resources_cents":0,"resources_known":true,"address":"none","cma_accepted":"yes",
		"accommodation":"not_offered","ofpra_filed_on":"2025-03-15","benefits":["ada"]}`))
	if err != nil {
		t.Fatal(err)
	}
	if s.Status != StatusAsylumNormal || !s.OFPRAFiledOn.Equal(d("2025-03-15")) || len(s.Children) != 1 {
		t.Errorf("parsed %+v", s)
	}
	for _, bad := range []string{
		`{"status":"refugee","unknown_field":1}`,
		`{"status":"refugee"} {"status":"refugee"}`,
		`{"status":"refugee","arrived_on":"01/02/2025"}`,
		`{"status":"nobody"}`,
		`[]`,
		``,
	} {
		if _, err := ParseSituation([]byte(bad)); !errors.Is(err, ErrSituation) {
			t.Errorf("ParseSituation(%s) = %v, want ErrSituation", bad, err)
		}
	}
}

// FuzzParseSituation: any input either fails cleanly or gives a valid
// situation that survives a JSON round trip and simulates without panicking,
// with every right answered.
func FuzzParseSituation(f *testing.F) {
	f.Add([]byte(`{"status":"refugee","age":30,"resources_known":true}`))
	f.Add([]byte(`{"status":"asylum_dublin","status_granted_on":"2025-01-01","status_valid_until":"2025-02-01","cma_accepted":"no"}`))
	f.Add([]byte(`{"status":"receipt","basis":"vpf","interim":"renewal","work_title_since":"2019-05-05"}`))
	f.Add([]byte(`{"status":"no_permit","arrived_on":"2024-12-31","monthly_resources_cents":99999,"resources_known":true,"children":[{"entry":"other"}]}`))
	for _, cc := range Corpus(1)[:20] {
		b, _ := json.Marshal(cc.S)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseSituation(data)
		if err != nil {
			if !errors.Is(err, ErrSituation) {
				t.Fatalf("error %v does not wrap ErrSituation", err)
			}
			return
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		s2, err := ParseSituation(b)
		if err != nil {
			t.Fatalf("round trip of %s: %v", b, err)
		}
		if !reflect.DeepEqual(normalise(s), normalise(s2)) {
			t.Fatalf("round trip changed the situation:\n%+v\n%+v", s, s2)
		}
		for _, at := range []string{"2025-06-01", "2026-11-25"} {
			res := Simulate(s, day(at))
			if len(res.Rights) != len(ruleList) {
				t.Fatalf("%d rights", len(res.Rights))
			}
			for _, r := range res.Rights {
				if len(r.Reasons) == 0 {
					t.Fatalf("%s: no reason", r.Right)
				}
			}
		}
	})
}

// normalise makes nil and empty slices equal for the round-trip comparison.
func normalise(s Situation) Situation {
	if len(s.Children) == 0 {
		s.Children = nil
	}
	if len(s.Benefits) == 0 {
		s.Benefits = nil
	}
	return s
}
