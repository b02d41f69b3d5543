package exchange

import (
	"slices"
	"strings"
	"testing"
	"time"
)

var fuzzToday = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

// fuzzImport runs the whole reading of an upload: parse, then check
// against an empty guide. It must never panic, and a row it plans to write
// must have passed its checks.
func fuzzImport(t *testing.T, name string, data []byte) {
	rows, err := parseFiles([]File{{Name: name, Data: data}})
	if err != nil {
		if _, ok := err.(*FileError); !ok {
			t.Fatalf("not a FileError: %v", err)
		}
		return
	}
	st := &state{links: map[string]string{}, orgs: nil, orgByName: map[string]string{}, services: map[string]bool{}}
	pl := check(rows, st, fuzzToday)
	for _, ps := range pl.services {
		if len(ps.line.Errors) > 0 || ps.name == "" || ps.source == "" || ps.extID == "" {
			t.Fatalf("planned with errors: %+v", ps.line)
		}
		if len([]rune(ps.description)) > 2000 || len([]rune(ps.name)) > 150 {
			t.Fatalf("too long: %q", ps.name)
		}
	}
	for _, ps := range pl.structures {
		if len(ps.line.Errors) > 0 || ps.name == "" {
			t.Fatalf("planned with errors: %+v", ps.line)
		}
	}
}

func FuzzImportCSV(f *testing.F) {
	f.Add([]byte("source,id,nom,description,date_maj\nsoliguide,1,Accueil,Un accueil.,2026-01-01\n"))
	f.Add([]byte("source;structure_id;id;nom;date_maj;thematiques;publics;horaires_accueil\ns;1;2;Cours;2026-01-01;{sante--sante-mentale,famille};[\"femmes\"];Mo-Fr 09:00-12:00\n"))
	f.Add([]byte("\xef\xbb\xbfsource,id\n\"a\"\"b\",\"c\nd\"\n"))
	f.Add([]byte("source,structure_id,id,nom,date_maj,latitude,longitude,code_postal,telephone\nx,y,z,Nom,2026-13-40,91,abc,7500,++33\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		fuzzImport(t, "fuzz.csv", data)
	})
}

func FuzzImportJSON(f *testing.F) {
	f.Add([]byte(`[{"source":"s","id":"1","nom":"Accueil","date_maj":"2026-01-01"}]`))
	f.Add([]byte(`{"structures":[{"source":"s","id":"1","nom":"Accueil","date_maj":"2026-01-01"}],"services":[{"source":"s","structure_id":"1","id":"2","nom":"Cours","date_maj":"2026-01-01","thematiques":["sante"],"latitude":48.8,"longitude":2.3}]}`))
	f.Add([]byte(`[1, "x", null, {"structure_id": {"a": 1}, "publics": [1, 2], "frais": true}]`))
	f.Add([]byte(`[{"source":"s","structure_id":"1","id":"2","nom":"Cours","date_maj":"2026-01-01","horaires_accueil":"2026 Dec 25-31 off; Nov-Mar Mo 24:00-48:00"}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		fuzzImport(t, "fuzz.json", data)
	})
}

func FuzzOpeningHours(f *testing.F) {
	for _, s := range []string{"Mo-Fr 09:00-12:30,13:30-17:00; Sa 10:00-12:00", "24/7", "Nov 01-Mar 31 Mo-Su 08:00-12:30",
		"2026 Dec 24 10:00-12:00; 2026 Dec 25-2027 Jan 01 off", "Su-Tu 19:00-02:00; PH off", "Feb 29-Mar 01 Mo 09:00-10:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > maxOSMLength {
			return
		}
		h := parseOSM(s, fuzzToday)
		for _, sl := range h.Slots {
			if sl.Weekday < 1 || sl.Weekday > 7 || len(sl.Opens) != 5 || len(sl.Closes) != 5 {
				t.Fatalf("slot %+v from %q", sl, s)
			}
			if (sl.ValidFrom == nil) != (sl.ValidTo == nil) || (sl.ValidFrom != nil && sl.ValidTo.Before(*sl.ValidFrom)) {
				t.Fatalf("season %+v from %q", sl, s)
			}
		}
		for _, e := range h.Exceptions {
			if e.EndsOn.Before(e.StartsOn) || (!e.Closed && (len(e.Opens) != 5 || len(e.Closes) != 5)) {
				t.Fatalf("exception %+v from %q", e, s)
			}
		}
		flat := strings.Join(strings.Fields(s), " ")
		for _, rule := range h.Skipped {
			if !strings.Contains(flat, rule) {
				t.Fatalf("skipped %q is not in %q", rule, s)
			}
		}
	})
}

func TestOpeningHours(t *testing.T) {
	for _, tc := range []struct {
		in                     string
		slots, excs, skipped   int
		first                  string
		seasonFrom, seasonTill string
	}{
		{in: "Mo-Fr 09:00-12:30,13:30-17:00; Sa 10:00-12:00", slots: 11, first: "1 09:00 12:30"},
		{in: "Mo-Fr 09:00-17:00; We off", slots: 4},
		{in: "Sa-Mo 19:00-26:00", slots: 3, first: "1 19:00 02:00"},
		{in: "24/7", slots: 7, first: "1 00:00 00:00"},
		{in: "Mo-Fr 08:30-12:30; PH off", slots: 5, skipped: 1},
		{in: "Nov 01-Mar 31 Mo-Su 08:00-12:30", slots: 7, seasonFrom: "2026-11-01", seasonTill: "2027-03-31"},
		{in: "Apr-May Tu 10:00-11:00", slots: 1, seasonFrom: "2027-04-01", seasonTill: "2027-05-31"},
		{in: "2026 Dec 24 10:00-12:00; 2026 Dec 25-2027 Jan 01 off; 2027 Jan 02-05 off", excs: 3},
		{in: "Mo[1] 09:00-10:00; week 01-10 Mo 10:00-11:00; Mo 25:00-26:00; Xx 09:00-10:00; Mo 09:00", skipped: 5},
	} {
		h := parseOSM(tc.in, fuzzToday)
		if len(h.Slots) != tc.slots || len(h.Exceptions) != tc.excs || len(h.Skipped) != tc.skipped {
			t.Errorf("%q: %d slots, %d exceptions, skipped %q", tc.in, len(h.Slots), len(h.Exceptions), h.Skipped)
			continue
		}
		if tc.first != "" {
			s := h.Slots[0]
			if got := strings.Join([]string{string(rune('0' + s.Weekday)), s.Opens, s.Closes}, " "); got != tc.first {
				t.Errorf("%q: first slot %q", tc.in, got)
			}
		}
		if tc.seasonFrom != "" && (h.Slots[0].ValidFrom.Format(time.DateOnly) != tc.seasonFrom || h.Slots[0].ValidTo.Format(time.DateOnly) != tc.seasonTill) {
			t.Errorf("%q: season %v-%v", tc.in, h.Slots[0].ValidFrom, h.Slots[0].ValidTo)
		}
	}
}

func TestSplitList(t *testing.T) {
	for in, want := range map[string]string{"a,b": "a|b", "{a,b}": "a|b", `["a","b"]`: "a|b", "a; b | c": "a|b|c", `"a"`: "a", "": ""} {
		if got := strings.Join(splitList(in), "|"); got != want {
			t.Errorf("%q: %q", in, got)
		}
	}
}

func TestVocabularies(t *testing.T) {
	n := 0
	for g, leaves := range thematiques {
		n += len(leaves)
		if !knownThematique(g) {
			t.Errorf("group %s unknown", g)
		}
	}
	if n != 69 || len(thematiques) != 16 || len(vocabPublics) != 14 {
		t.Errorf("%d leaves, %d groups, %d publics", n, len(thematiques), len(vocabPublics))
	}
	// Every code of the export is in the vocabulary and comes back to its
	// category, except where two categories share one code.
	for cat, codes := range categoryThematiques {
		for _, c := range codes {
			if !knownThematique(c) {
				t.Errorf("%s: %s is not a thématique", cat, c)
			}
		}
		back := importThematique(codes[0])
		if cat != "asylum" && !slices.Contains(back, cat) {
			t.Errorf("%s -> %s -> %v", cat, codes[0], back)
		}
	}
	for code := range thematiqueCategories {
		if !knownThematique(code) {
			t.Errorf("%s is not a thématique", code)
		}
	}
	for _, flags := range [][4]bool{{true, true, true, true}, {true, true, false, false}, {false, true, true, false}, {true, true, true, false},
		{false, true, false, true}} {
		on := map[string]bool{}
		for _, p := range exportPublics(flags[0], flags[1], flags[2], flags[3]) {
			for _, f := range publicFlags[p] {
				on[f] = true
			}
		}
		if got := [4]bool{on["men"], on["women"], on["families"], on["minors"]}; got != flags {
			t.Errorf("publics of %v come back as %v", flags, got)
		}
	}
}
