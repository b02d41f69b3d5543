package triage

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"parcours/internal/rights/rules"
)

// wantFlag is what a case expects of one flag.
type wantFlag struct {
	id       string
	severity Severity
	// deadlines maps a deadline kind to its expected date.
	deadlines   map[string]string
	unconfirmed *bool
	detail      string // a detail ID suffix expected ("date_unknown")
	referral    Referral
}

type triageCase struct {
	name string
	// ref is the legal reference the case exercises; it must be among the
	// first expected flag's references ("rights.md …" when the note gives
	// none).
	ref    string
	at     string
	a      Answers
	flags  []wantFlag
	absent []string
}

var (
	yes = new(true)
	no  = new(false)
)

func runTriage(t *testing.T, cases []triageCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name+" ["+tc.ref+"]", func(t *testing.T) {
			res, err := Assess(tc.a, rules.MustDate(tc.at).Time())
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]Flag{}
			for _, f := range res.Flags {
				got[f.ID] = f
			}
			for i, w := range tc.flags {
				f, ok := got[w.id]
				if !ok {
					t.Errorf("flag %s missing; got %v", w.id, flagIDs(res.Flags))
					continue
				}
				if i == 0 && !strings.HasPrefix(tc.ref, "rights.md") && !slices.Contains(f.References, tc.ref) {
					t.Errorf("%s: reference %q missing from %v", w.id, tc.ref, f.References)
				}
				if w.severity != "" && f.Severity != w.severity {
					t.Errorf("%s: severity %s, want %s", w.id, f.Severity, w.severity)
				}
				for kind, date := range w.deadlines {
					dl, ok := deadline(f, kind)
					switch {
					case !ok && date != "":
						t.Errorf("%s: deadline %s missing; got %+v", w.id, kind, f.Deadlines)
					case ok && date == "":
						t.Errorf("%s: deadline %s should not be computed", w.id, kind)
					case ok && !dl.Date.Equal(rules.MustDate(date)):
						t.Errorf("%s: deadline %s = %s, want %s", w.id, kind, dl.Date, date)
					}
				}
				if w.unconfirmed != nil && f.Unconfirmed != *w.unconfirmed {
					t.Errorf("%s: unconfirmed %v, want %v", w.id, f.Unconfirmed, *w.unconfirmed)
				}
				if w.detail != "" && !slices.ContainsFunc(f.Details, func(m rules.Message) bool {
					return strings.HasSuffix(m.ID, "."+w.detail)
				}) {
					t.Errorf("%s: detail %s missing", w.id, w.detail)
				}
				if w.referral != "" && !slices.Contains(f.Referrals, w.referral) {
					t.Errorf("%s: referral %s missing from %v", w.id, w.referral, f.Referrals)
				}
			}
			for _, id := range tc.absent {
				if _, ok := got[id]; ok {
					t.Errorf("flag %s should not be raised", id)
				}
			}
		})
	}
}

func flagIDs(fs []Flag) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.ID)
	}
	return out
}

func deadline(f Flag, kind string) (Deadline, bool) {
	for _, d := range f.Deadlines {
		if d.Kind == kind {
			return d, true
		}
	}
	return Deadline{}, false
}

func TestOQTF(t *testing.T) {
	runTriage(t, []triageCase{
		{name: "free: 1 month", ref: "décret n° 2024-799", at: "2025-06-10",
			a:     Answers{QOQTF: "yes", QOQTFNotifiedOn: "2025-06-01", QRestriction: RestrictNone},
			flags: []wantFlag{{id: "oqtf", severity: SeverityCritical, deadlines: map[string]string{"oqtf_appeal": "2025-07-01"}, unconfirmed: no, referral: ReferLegal}}},
		{name: "detention: 48 h", ref: "L. 921-2 CESEDA", at: "2025-06-10",
			a:     Answers{QOQTF: "yes", QOQTFNotifiedOn: "2025-06-10", QRestriction: RestrictDetention},
			flags: []wantFlag{{id: "oqtf", deadlines: map[string]string{"oqtf_appeal": "2025-06-12"}}}},
		{name: "house arrest: 7 days", ref: "L. 921-1 CESEDA", at: "2025-06-10",
			a:     Answers{QOQTF: "yes", QOQTFNotifiedOn: "2025-06-10", QRestriction: RestrictHouseArrest},
			flags: []wantFlag{{id: "oqtf", deadlines: map[string]string{"oqtf_appeal": "2025-06-17"}}}},
		{name: "prison: 7 days", ref: "L. 921-1 CESEDA", at: "2025-06-10",
			a:     Answers{QOQTF: "yes", QOQTFNotifiedOn: "2025-06-09", QRestriction: RestrictPrison},
			flags: []wantFlag{{id: "oqtf", deadlines: map[string]string{"oqtf_appeal": "2025-06-16"}}}},
		{name: "after a refused asylum claim: 7 days shown, unconfirmed", ref: "L. 611-1 CESEDA", at: "2025-06-10",
			a:     Answers{QOQTF: "yes", QOQTFNotifiedOn: "2025-06-05", QOQTFAfterAsylum: "yes", QRestriction: RestrictNone},
			flags: []wantFlag{{id: "oqtf", deadlines: map[string]string{"oqtf_appeal": "2025-06-12"}, unconfirmed: yes, detail: "after_asylum"}}},
		{name: "restriction not asked: 1 month with a warning", ref: "L. 611-1 CESEDA", at: "2025-06-10",
			a:     Answers{QOQTF: "yes", QOQTFNotifiedOn: "2025-06-05"},
			flags: []wantFlag{{id: "oqtf", deadlines: map[string]string{"oqtf_appeal": "2025-07-05"}, detail: "restriction_unknown"}}},
		{name: "notified before 15 Jul 2024: former regime not covered", ref: "L. 611-1 CESEDA", at: "2024-06-01",
			a:     Answers{QOQTF: "yes", QOQTFNotifiedOn: "2024-05-01"},
			flags: []wantFlag{{id: "oqtf", deadlines: map[string]string{"oqtf_appeal": ""}, unconfirmed: yes, detail: "before_2024"}}},
		{name: "date unknown", ref: "L. 611-1 CESEDA", at: "2025-06-10",
			a:     Answers{QOQTF: "yes"},
			flags: []wantFlag{{id: "oqtf", detail: "date_unknown", deadlines: map[string]string{"oqtf_appeal": ""}}}},
		{name: "emergency accommodation stays open", ref: "L. 345-2-2 CASF", at: "2025-06-10",
			a:     Answers{QOQTF: "yes"},
			flags: []wantFlag{{id: "oqtf", detail: "shelter_kept"}}},
		{name: "no OQTF", ref: "rights.md §4", at: "2025-06-10",
			a: Answers{QOQTF: "no", QOQTFNotifiedOn: "2025-06-01"}, absent: []string{"oqtf"}},
	})
}

func TestDublin(t *testing.T) {
	runTriage(t, []triageCase{
		{name: "transfer decision since July 2024: 7 days shown, unconfirmed", ref: "L. 921-1 CESEDA", at: "2025-06-03",
			a: Answers{QAsylumSeeker: "yes", QDublin: "yes", QDublinTransferDecision: "yes", QDublinTransferNotifiedOn: "2025-06-01"},
			flags: []wantFlag{{id: "dublin_transfer_decision", severity: SeverityCritical,
				deadlines: map[string]string{"dublin_appeal": "2025-06-08"}, unconfirmed: yes, detail: "delay_2024", referral: ReferAsylum}}},
		{name: "transfer decision before July 2024: 15 days", ref: "L. 572-5 CESEDA", at: "2024-03-05",
			a:     Answers{QDublinTransferDecision: "yes", QDublinTransferNotifiedOn: "2024-03-01"},
			flags: []wantFlag{{id: "dublin_transfer_decision", deadlines: map[string]string{"dublin_appeal": "2024-03-16"}, unconfirmed: no}}},
		{name: "transfer decision with house arrest: 48 h", ref: "L. 572-6 CESEDA", at: "2025-06-01",
			a:     Answers{QDublinTransferDecision: "yes", QDublinTransferNotifiedOn: "2025-06-01", QRestriction: RestrictHouseArrest},
			flags: []wantFlag{{id: "dublin_transfer_decision", deadlines: map[string]string{"dublin_appeal": "2025-06-03"}}}},
		{name: "after the Pact, AMMR replaces Dublin III", ref: "règlement (UE) 2024/1351", at: "2026-11-25",
			a:     Answers{QDublinTransferDecision: "yes", QDublinTransferNotifiedOn: "2026-11-20"},
			flags: []wantFlag{{id: "dublin_transfer_decision", detail: "pact", unconfirmed: yes}}},
		{name: "transfer period: 6 months after acceptance", ref: "règlement (UE) n° 604/2013, art. 29", at: "2025-06-01",
			a: Answers{QDublin: "yes", QDublinAcceptedOn: "2025-01-10"},
			flags: []wantFlag{{id: "dublin_transfer_period", severity: SeverityMedium,
				deadlines: map[string]string{"dublin_transfer_period_end": "2025-07-10"}, detail: "period_running"}}},
		{name: "absconding: 18 months", ref: "règlement (UE) n° 604/2013, art. 29", at: "2025-06-01",
			a:     Answers{QDublin: "yes", QDublinAcceptedOn: "2025-01-10", QDublinExtension: ExtAbsconding},
			flags: []wantFlag{{id: "dublin_transfer_period", deadlines: map[string]string{"dublin_transfer_period_end": "2026-07-10"}}}},
		{name: "imprisonment: 12 months", ref: "règlement (UE) n° 604/2013, art. 29", at: "2025-06-01",
			a:     Answers{QDublin: "yes", QDublinAcceptedOn: "2025-01-10", QDublinExtension: ExtImprisonment},
			flags: []wantFlag{{id: "dublin_transfer_period", deadlines: map[string]string{"dublin_transfer_period_end": "2026-01-10"}}}},
		{name: "transfer period over: France responsible", ref: "règlement (UE) n° 604/2013, art. 29", at: "2025-06-01",
			a:     Answers{QDublin: "yes", QDublinAcceptedOn: "2024-09-01"},
			flags: []wantFlag{{id: "dublin_transfer_period", severity: SeverityHigh, detail: "period_over"}}},
	})
}

func TestAsylumDecisions(t *testing.T) {
	runTriage(t, []triageCase{
		{name: "OFPRA rejection: legal aid 15 days, CNDA 1 month", ref: "L. 532-1 CESEDA", at: "2025-06-05",
			a: Answers{QAsylumSeeker: "yes", QOFPRARejection: "yes", QOFPRARejectionOn: "2025-06-01"},
			flags: []wantFlag{{id: "cnda_appeal", severity: SeverityHigh,
				deadlines: map[string]string{"legal_aid_request": "2025-06-16", "cnda_appeal": "2025-07-01"}, unconfirmed: no}}},
		{name: "legal aid deadline within 7 days is critical", ref: "L. 532-1 CESEDA", at: "2025-06-10",
			a:     Answers{QAsylumSeeker: "yes", QOFPRARejection: "yes", QOFPRARejectionOn: "2025-06-01"},
			flags: []wantFlag{{id: "cnda_appeal", severity: SeverityCritical}}},
		{name: "appeal already lodged", ref: "L. 542-1 CESEDA", at: "2025-06-10",
			a:     Answers{QAsylumSeeker: "yes", QOFPRARejection: "yes", QOFPRARejectionOn: "2025-06-01", QCNDAAppealFiled: "yes"},
			flags: []wantFlag{{id: "cnda_appeal", severity: SeverityInfo, detail: "appeal_filed"}}},
		{name: "CNDA deadline passed", ref: "L. 532-1 CESEDA", at: "2025-06-05",
			a:     Answers{QAsylumSeeker: "yes", QOFPRARejection: "yes", QOFPRARejectionOn: "2025-04-01"},
			flags: []wantFlag{{id: "cnda_appeal", severity: SeverityHigh, detail: "deadline_passed"}}},
		{name: "CNDA rejection: cassation, leaving the DNA, return help, ADA end", ref: "L. 552-15 CESEDA", at: "2025-06-15",
			a: Answers{QCNDARejection: "yes", QCNDARejectionOn: "2025-06-10", QInDNA: "yes"},
			flags: []wantFlag{{id: "cnda_rejection", severity: SeverityHigh, unconfirmed: yes, referral: ReferShelter,
				deadlines: map[string]string{"cassation": "2025-08-10", "dna_exit_refused": "2025-07-31",
					"ofii_return_help": "2025-06-25", "ada_end": "2025-07-31"}}}},
		{name: "protection granted: leaving the CADA", ref: "L. 424-1 CESEDA", at: "2025-06-01",
			a: Answers{QProtectionGranted: "yes", QProtectionNotifiedOn: "2025-05-15", QInDNA: "yes"},
			flags: []wantFlag{{id: "protection_granted", severity: SeverityMedium,
				deadlines: map[string]string{"dna_exit_protected": "2025-08-31", "dna_exit_protected_extended": "2025-11-30"}}}},
		{name: "OFPRA file due within 21 days", ref: "L. 553-1 CESEDA", at: "2025-06-10",
			a:     Answers{QAsylumSeeker: "yes", QAsylumRegisteredOn: "2025-06-01", QOFPRAFiled: "no"},
			flags: []wantFlag{{id: "ofpra_filing", severity: SeverityHigh, deadlines: map[string]string{"ofpra_filing": "2025-06-22"}}}},
		{name: "OFPRA file due in 4 days is critical", ref: "L. 553-1 CESEDA", at: "2025-06-18",
			a:     Answers{QAsylumSeeker: "yes", QAsylumRegisteredOn: "2025-06-01"},
			flags: []wantFlag{{id: "ofpra_filing", severity: SeverityCritical}}},
		{name: "no OFPRA filing under Dublin", ref: "rights.md §3", at: "2025-06-10",
			a: Answers{QAsylumSeeker: "yes", QAsylumRegisteredOn: "2025-06-01", QDublin: "yes"}, absent: []string{"ofpra_filing"}},
		{name: "CNDA delays after the Pact are unconfirmed", ref: "L. 532-1 CESEDA", at: "2026-11-25",
			a:     Answers{QAsylumSeeker: "yes", QOFPRARejection: "yes", QOFPRARejectionOn: "2026-11-20"},
			flags: []wantFlag{{id: "cnda_appeal", deadlines: map[string]string{"cnda_appeal": "2026-12-20"}, unconfirmed: yes, detail: "pact"}}},
		{name: "EU Pact note for asylum answers", ref: "règlement (UE) 2024/1351", at: "2026-11-25",
			a:     Answers{QAsylumSeeker: "yes"},
			flags: []wantFlag{{id: "eu_pact", severity: SeverityInfo, unconfirmed: yes}}},
		{name: "no Pact note before 12 June 2026", ref: "rights.md header", at: "2026-06-11",
			a: Answers{QAsylumSeeker: "yes"}, absent: []string{"eu_pact"}},
	})
}

func TestRefusalsAndBans(t *testing.T) {
	runTriage(t, []triageCase{
		{name: "residence refusal: 2 months", ref: "rights.md §10", at: "2025-06-05",
			a:     Answers{QResidenceRefusal: "yes", QResidenceRefusalOn: "2025-06-01"},
			flags: []wantFlag{{id: "residence_refusal", severity: SeverityHigh, deadlines: map[string]string{"residence_refusal_appeal": "2025-08-01"}, detail: "check_oqtf"}}},
		{name: "statelessness refusal: administrative court, 2 months unconfirmed", ref: "L. 582-1 CESEDA", at: "2025-06-05",
			a:     Answers{QStatelessRefusal: "yes", QStatelessRefusalOn: "2025-06-01"},
			flags: []wantFlag{{id: "stateless_refusal", deadlines: map[string]string{"stateless_refusal_appeal": "2025-08-01"}, unconfirmed: yes}}},
		{name: "IRTF: not covered by the note", ref: "rights.md (no IRTF rule)", at: "2025-06-05",
			a:     Answers{QIRTF: "yes"},
			flags: []wantFlag{{id: "irtf", severity: SeverityHigh, unconfirmed: yes, referral: ReferLegal}}},
	})
}

func TestMinorsHealthAndDaily(t *testing.T) {
	runTriage(t, []triageCase{
		{name: "young person says they are a minor", ref: "L. 221-2-4 CASF", at: "2025-06-05",
			a:      Answers{QDeclaresMinor: "yes"},
			flags:  []wantFlag{{id: "minor_age_assessment", severity: SeverityHigh, referral: ReferChild, detail: "paris_amna"}},
			absent: []string{"minority_refused"}},
		{name: "minority refused: children's judge", ref: "art. 375 code civil", at: "2025-06-05",
			a:      Answers{QDeclaresMinor: "yes", QMinorityRefused: "yes"},
			flags:  []wantFlag{{id: "minority_refused", referral: ReferLegal, detail: "childrens_judge"}},
			absent: []string{"minor_age_assessment"}},
		{name: "document expired: health cover kept 6 months", ref: "R. 111-4 CSS", at: "2025-06-01",
			a: Answers{QDocumentExpiresOn: "2025-05-01"},
			flags: []wantFlag{{id: "document_expired", severity: SeverityHigh,
				deadlines: map[string]string{"health_cover_kept": "2025-11-30"}}}},
		{name: "document expiring in 30 days", ref: "rights.md §5", at: "2025-06-01",
			a:     Answers{QDocumentExpiresOn: "2025-07-01"},
			flags: []wantFlag{{id: "document_expiring", severity: SeverityMedium}}},
		{name: "document expiring in 5 days is critical", ref: "rights.md §5", at: "2025-06-01",
			a:     Answers{QDocumentExpiresOn: "2025-06-06", QAsylumSeeker: "yes"},
			flags: []wantFlag{{id: "document_expiring", severity: SeverityCritical, detail: "atda"}}},
		{name: "document valid for 90 days: nothing", ref: "rights.md §5", at: "2025-06-01",
			a: Answers{QDocumentExpiresOn: "2025-08-30"}, absent: []string{"document_expiring", "document_expired"}},
		{name: "sick foreigner: medical file within 1 month", ref: "L. 425-9 CESEDA", at: "2025-06-05",
			a:     Answers{QHealthResidence: "yes", QMedicalFileOn: "2025-06-01"},
			flags: []wantFlag{{id: "health_residence", deadlines: map[string]string{"medical_file": "2025-07-01"}, referral: ReferHealth}}},
		{name: "asylum seeker: medical file within 3 months", ref: "L. 425-10 CESEDA", at: "2025-06-05",
			a:     Answers{QHealthResidence: "yes", QMedicalFileOn: "2025-06-01", QAsylumSeeker: "yes"},
			flags: []wantFlag{{id: "health_residence", deadlines: map[string]string{"medical_file": "2025-09-01"}}}},
		{name: "no shelter, minor", ref: "L. 345-2-2 CASF", at: "2025-06-05",
			a:     Answers{QNoShelter: "yes", QDeclaresMinor: "yes"},
			flags: []wantFlag{{id: "no_shelter", referral: ReferChild, detail: "minor"}}},
		{name: "no health cover: PASS", ref: "L. 254-1 CASF", at: "2025-06-05",
			a:     Answers{QNoHealthCover: "yes"},
			flags: []wantFlag{{id: "no_health_cover", severity: SeverityMedium, referral: ReferHealth}}},
		{name: "no domiciliation, asylum seeker: SPADA", ref: "L. 264-10 CASF", at: "2025-06-05",
			a:     Answers{QNoDomiciliation: "yes", QAsylumSeeker: "yes"},
			flags: []wantFlag{{id: "no_domiciliation", referral: ReferAsylum, detail: "spada"}}},
		{name: "no domiciliation: CASVP", ref: "L. 264-1 CASF", at: "2025-06-05",
			a:     Answers{QNoDomiciliation: "yes"},
			flags: []wantFlag{{id: "no_domiciliation", referral: ReferDomiciliation, detail: "general"}}},
		{name: "family separated, protected person: réunification", ref: "L. 561-2 CESEDA", at: "2025-06-05",
			a:     Answers{QFamilySeparated: "yes", QProtectionGranted: "yes"},
			flags: []wantFlag{{id: "family_separated", detail: "reunification"}}},
		{name: "family separated: both routes", ref: "L. 434-1 CESEDA", at: "2025-06-05",
			a:     Answers{QFamilySeparated: "yes"},
			flags: []wantFlag{{id: "family_separated", detail: "routes"}}},
	})
}

func TestAssessOrderAndEmpty(t *testing.T) {
	res, err := Assess(Answers{}, rules.MustDate("2025-06-01").Time())
	if err != nil || res.Flags == nil || len(res.Flags) != 0 {
		t.Fatalf("empty answers: %+v, %v", res, err)
	}
	res, err = Assess(Answers{
		QFamilySeparated: "yes", QNoHealthCover: "yes", QIRTF: "yes",
		QOQTF: "yes", QOQTFNotifiedOn: "2025-05-20", QRestriction: RestrictNone,
		QOFPRARejection: "yes", QOFPRARejectionOn: "2025-05-30", QAsylumSeeker: "yes",
	}, rules.MustDate("2025-06-01").Time())
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(res.Flags); i++ {
		if res.Flags[i-1].Severity.rank() > res.Flags[i].Severity.rank() {
			t.Errorf("flags not sorted by severity: %v", flagIDs(res.Flags))
		}
	}
	if res.Flags[0].ID != "oqtf" {
		t.Errorf("first flag %s, want oqtf", res.Flags[0].ID)
	}
	for _, f := range res.Flags {
		if f.Title.ID != "rights.triage.flag."+f.ID+".title" || len(f.Details) == 0 || f.Referrals == nil || f.References == nil {
			t.Errorf("flag %+v is incomplete", f)
		}
		for _, dl := range f.Deadlines {
			if dl.DaysLeft != rules.MustDate("2025-06-01").DaysUntil(dl.Date) {
				t.Errorf("%s: days left %d", dl.Kind, dl.DaysLeft)
			}
		}
	}
}

func TestAnswersValidation(t *testing.T) {
	at := rules.MustDate("2025-06-01").Time()
	for _, tc := range []struct {
		name string
		a    Answers
	}{
		{"unknown question", Answers{"favourite_colour": "blue"}},
		{"bool answer", Answers{QOQTF: "oui"}},
		{"date answer", Answers{QOQTFNotifiedOn: "01/06/2025"}},
		{"choice answer", Answers{QRestriction: "jail"}},
		{"notification after the assessment date", Answers{QOQTF: "yes", QOQTFNotifiedOn: "2025-06-02"}},
	} {
		if _, err := Assess(tc.a, at); !errors.Is(err, ErrAnswers) {
			t.Errorf("%s: err = %v, want ErrAnswers", tc.name, err)
		}
	}
	// An expiry date may be in the future; empty answers are "not answered".
	if _, err := Assess(Answers{QDocumentExpiresOn: "2030-01-01", QOQTF: ""}, at); err != nil {
		t.Errorf("future expiry date: %v", err)
	}
}

func TestParseAnswers(t *testing.T) {
	a, err := ParseAnswers([]byte(`{"oqtf":"yes","oqtf_notified_on":"2025-06-01","restriction":"detention"}`))
	if err != nil || a[QRestriction] != RestrictDetention {
		t.Fatalf("ParseAnswers = %v, %v", a, err)
	}
	for _, bad := range []string{`{"oqtf":true}`, `{"oqtf":"yes"} {}`, `[]`, `{"nope":"yes"}`, ``} {
		if _, err := ParseAnswers([]byte(bad)); !errors.Is(err, ErrAnswers) {
			t.Errorf("ParseAnswers(%s) = %v, want ErrAnswers", bad, err)
		}
	}
	if a, err := ParseAnswers([]byte(`null`)); err != nil || a == nil {
		t.Errorf("null: %v %v", a, err)
	}
}

func TestQuestions(t *testing.T) {
	seen := map[string]Question{}
	for _, q := range Questions() {
		if _, dup := seen[q.ID]; dup {
			t.Errorf("duplicate question %s", q.ID)
		}
		if q.Label != "rights.triage.question."+q.ID {
			t.Errorf("%s: label %s", q.ID, q.Label)
		}
		if (q.Kind == KindChoice) != (len(q.Choices) > 0) {
			t.Errorf("%s: choices only for choice questions", q.ID)
		}
		if q.ShowIf != "" {
			p, ok := seen[q.ShowIf]
			if !ok || p.Kind != KindBool {
				t.Errorf("%s: show_if %s must be an earlier bool question", q.ID, q.ShowIf)
			}
		}
		if q.Past && q.Kind != KindDate {
			t.Errorf("%s: past only for dates", q.ID)
		}
		seen[q.ID] = q
	}
}

func TestPeriod(t *testing.T) {
	from := rules.MustDate("2025-01-31")
	for _, tc := range []struct {
		p    Period
		want string
	}{
		{Period{48, Hours}, "2025-02-02"},
		{Period{96, Hours}, "2025-02-04"},
		{Period{7, Days}, "2025-02-07"},
		{Period{1, Months}, "2025-02-28"},
		{Period{2, Months}, "2025-03-31"},
	} {
		if got := tc.p.after(from); !got.Equal(rules.MustDate(tc.want)) {
			t.Errorf("%+v after %s = %s, want %s", tc.p, from, got, tc.want)
		}
	}
}

// FuzzParseAnswers: any input either fails with ErrAnswers or gives answers
// that Assess accepts at a late date without panicking.
func FuzzParseAnswers(f *testing.F) {
	f.Add([]byte(`{"oqtf":"yes","oqtf_notified_on":"2025-06-01","restriction":"detention"}`))
	f.Add([]byte(`{"dublin":"yes","dublin_accepted_on":"2024-01-01","dublin_extension":"absconding"}`))
	f.Add([]byte(`{"document_expires_on":"2199-12-31","declares_minor":"no"}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ParseAnswers(data)
		if err != nil {
			if !errors.Is(err, ErrAnswers) {
				t.Fatalf("error %v does not wrap ErrAnswers", err)
			}
			return
		}
		res, err := Assess(a, rules.MustDate("2200-12-31").Time())
		if err != nil {
			t.Fatalf("Assess rejected parsed answers: %v", err)
		}
		for _, f := range res.Flags {
			if len(f.Details) == 0 {
				t.Fatalf("flag %s without details", f.ID)
			}
		}
	})
}
