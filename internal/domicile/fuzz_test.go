package domicile

import (
	"bytes"
	"strconv"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"parcours/internal/people"
)

// The card's code reads back whatever the number, typed on a French
// keyboard by a scanner set to a US one or not.
func TestCardCodeRoundTrip(t *testing.T) {
	us := map[rune]rune{'1': '&', '2': 'é', '3': '"', '4': '\'', '5': '(', '6': '-', '7': 'è', '8': '_', '9': 'ç', '0': 'à'}
	for _, n := range []int{1, 7, 42, 1234, 20000, 99999, 123456789} {
		code := CardCode(n)
		var azerty []rune
		for _, r := range code {
			if m, ok := us[r]; ok {
				r = m
			}
			azerty = append(azerty, r)
		}
		for _, typed := range []string{code, string(azerty), " " + code + "\t", strconv.Itoa(n), "n°" + strconv.Itoa(n)} {
			if got, ok := ParseRef(typed); !ok || got != n {
				t.Errorf("ParseRef(%q) = %d %v, want %d", typed, got, ok, n)
			}
		}
	}
	// A wrong check digit, a name, nothing: not a number.
	for _, s := range []string{"D1234C0", "Diallo", "", "D12C", "0", "1234567890"} {
		if n, ok := ParseRef(s); ok {
			t.Errorf("ParseRef(%q) = %d", s, n)
		}
	}
}

func FuzzParseRef(f *testing.F) {
	for _, s := range []string{"1234", CardCode(1234), "D&é\"'Cè", "n°12", "Zoé", "D1C8", "\x00", "ٱ١٢"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := ParseRef(s)
		if ok && (n < 1 || n > maxNumber) {
			t.Fatalf("ParseRef(%q) = %d", s, n)
		}
		if ok {
			if m, ok2 := ParseRef(CardCode(n)); !ok2 || m != n {
				t.Fatalf("card code of %d does not read back", n)
			}
		}
	})
}

func FuzzParseBatch(f *testing.F) {
	for _, s := range []string{"1234\n1234 r\n1234 c 3", "# comment\n\n12 x2", "D1234C7 p", "1 2 3 4", "abc", "1234 l 101"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lines, errs := ParseBatch(s)
		for _, l := range lines {
			if l.Number < 1 || l.Quantity < 1 || l.Quantity > maxQuantity || !oneOf(MailKinds, l.Kind) || l.Line < 1 {
				t.Fatalf("bad line %+v from %q", l, s)
			}
		}
		for _, e := range errs {
			if e.Line < 1 || e.Key == "" {
				t.Fatalf("bad error %+v", e)
			}
		}
	})
}

// validatePerson is what people.Service.Validate checks of a name, enough
// for fuzzing without a database.
func validatePerson(in *people.Input) error {
	if in.FamilyName == "" && in.GivenName == "" {
		return errNoName
	}
	return nil
}

var errNoName = &nameError{}

type nameError struct{}

func (*nameError) Error() string { return "no name" }

func FuzzImportCSV(f *testing.F) {
	f.Add(TemplateCSV())
	f.Add([]byte("nom,prenom,statut,date_debut,date_fin\nDiallo,Awa,VALIDE,01/01/2026,31/12/2026\n"))
	f.Add([]byte("ID;Nom;Prénom;Statut;Date de début;Date de fin;Motif de radiation\n1;A;B;RADIE;2026-01-01;2026-12-31;AUTRE\n"))
	f.Add([]byte("\xef\xbb\xbfnom\n\"unterminated"))
	today := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := ParseTable("f.csv", data)
		if err != nil {
			return
		}
		rows, errs := validateTable(tb, today, validatePerson)
		for _, r := range rows {
			if r.File.EndOn != nil && r.File.StartOn != nil && r.File.EndOn.After(OneYear(*r.File.StartOn)) {
				t.Fatalf("row %d over one year", r.Line)
			}
			if !oneOf(Statuses, r.File.Status) || !utf8.ValidString(r.File.BirthPlace) {
				t.Fatalf("row %d: %+v", r.Line, r.File)
			}
		}
		for _, e := range errs {
			if e.Key == "" {
				t.Fatalf("error without message %+v", e)
			}
		}
	})
}

func FuzzImportXLSX(f *testing.F) {
	x := excelize.NewFile()
	_ = x.SetSheetRow("Sheet1", "A1", &[]any{"nom", "prenom", "date_debut", "date_fin", "statut"})
	_ = x.SetSheetRow("Sheet1", "A2", &[]any{"Camara", "Fatoumata", 46027, 46391, "VALIDE"})
	var buf bytes.Buffer
	_ = x.Write(&buf)
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04garbage"))
	today := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := ParseTable("f.xlsx", data)
		if err != nil {
			return
		}
		validateTable(tb, today, validatePerson)
	})
}
