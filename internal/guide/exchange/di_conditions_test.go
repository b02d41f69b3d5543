package exchange

import (
	"slices"
	"strings"
	"testing"
	"time"

	"parcours/internal/guide"
)

// conditions_acces carries the note, the checklists and "no papers asked",
// and reads back into them; a checklists line naming an unknown checklist
// is kept as text.
func TestConditionsAccesRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		note     string
		noPapers bool
		slugs    []string
	}{
		{note: "Apportez vos courriers.\nUne photo si possible.", noPapers: true, slugs: []string{"ame", "domiciliation"}},
		{note: "", noPapers: true},
		{note: "", slugs: []string{"css"}},
		{note: "Rien.", noPapers: false},
	} {
		s := exportConditions(tc.note, tc.noPapers, tc.slugs, "https://parcours.example")
		note, slugs, noPapers := importConditions(s)
		if note != tc.note || noPapers != tc.noPapers || !slices.Equal(slugs, tc.slugs) {
			t.Errorf("%q -> %q %v %v", s, note, slugs, noPapers)
		}
	}
	foreign := checklistsHead + "Inconnue (https://ailleurs.example/fr/guide/checklists/inconnue)"
	if note, slugs, _ := importConditions("Pièce d'identité.\n" + foreign); slugs != nil || note != "Pièce d'identité.\n"+foreign {
		t.Errorf("unknown checklist: %q %v", note, slugs)
	}
}

// The reason of a dated closure or special hours travels as the rule's
// comment; a semicolon inside a comment does not cut the rule, a comment
// on a weekly rule is not understood.
func TestOpeningHoursReasons(t *testing.T) {
	day := time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC)
	h := guide.Hours{Exceptions: []guide.Exception{{StartsOn: day, EndsOn: day.AddDate(0, 0, 2), Closed: true, Reason: `Fermeture "exceptionnelle" ; travaux`},
		{StartsOn: day.AddDate(0, 0, 7), EndsOn: day.AddDate(0, 0, 7), Opens: 600, Closes: 720, Reason: "Réveillon"}}}
	s := h.OSMWithReasons()
	if want := `2026 Dec 24-2026 Dec 26 off "Fermeture 'exceptionnelle' ; travaux"; 2026 Dec 31 10:00-12:00 "Réveillon"`; s != want {
		t.Fatalf("OSM: %q", s)
	}
	p := parseOSM(s+`; Mo 09:00-12:00 "le matin"`, fuzzToday)
	if len(p.Exceptions) != 2 || p.Exceptions[0].Reason != "Fermeture 'exceptionnelle' ; travaux" || p.Exceptions[1].Reason != "Réveillon" ||
		!p.Exceptions[0].Closed || p.Exceptions[1].Opens != "10:00" {
		t.Errorf("parsed: %+v", p.Exceptions)
	}
	if len(p.Skipped) != 1 || !strings.HasPrefix(p.Skipped[0], "Mo 09:00-12:00") {
		t.Errorf("skipped: %v", p.Skipped)
	}
	if h.OSM() != "2026 Dec 24-2026 Dec 26 off; 2026 Dec 31 10:00-12:00" {
		t.Errorf("OSM without reasons: %q", h.OSM())
	}
}
