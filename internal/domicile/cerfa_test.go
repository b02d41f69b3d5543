package domicile

import (
	"slices"
	"testing"
)

// The two official forms, as listed by pdfcpu once repaired: every field
// the fillers write exists, and the attestation's family-name field is
// reachable.
func TestCerfaFormsListEveryField(t *testing.T) {
	want := map[string][]string{
		FormAttestation: {"sexe1", "noms1", "prenoms1", "jourNaissance1", "moisNaissance1", "anneeNaissance1", "lieuNaissance1",
			"ayantsDroits", "nomOrga1", "responsable", "prefecture1", "agrement", "adresseOrga1", "courrielOrga", "telephoneOrga",
			"rattachement", "noms2", "prenoms2", "adresse", "jourDebut", "moisDebut", "anneeDebut", "jourFin", "moisFin", "anneeFin",
			"jourPremiereDom", "moisPremiereDom", "anneePremiereDom", "jourDecision1A", "moisDecision1A", "anneeDecision1A", "signature1A"},
		FormRequest: {"sexe1", "noms1", "prenoms1", "jourNaissance1", "moisNaissance1", "anneeNaissance1", "lieuNaissance1", "ayantsDroits",
			"telephone", "courriel", "typeDemande", "numeroUsager", "nomOrga1", "responsable", "prefecture1", "adresseOrga1", "courrielOrga",
			"telephoneOrga", "jourDecision1A", "moisDecision1A", "anneeDecision1A", "jourDecision1B", "moisDecision1B", "anneeDecision1B",
			"jourRdv", "moisRdv", "anneeRdv", "entretienAvec", "entretienAdresse", "heureRdv", "minutesRdv", "signature1A", "signature1B",
			"sexe2", "noms2", "prenoms2", "jourNaissance2", "moisNaissance2", "anneeNaissance2", "lieuNaissance2", "nomOrga2", "prefecture2",
			"agrement", "decision", "rattachement", "motifRefus", "orientation", "jourDecision2", "moisDecision2", "anneeDecision2", "signature2"},
	}
	for form, names := range want {
		blank, err := BlankForm(form)
		if err != nil {
			t.Fatal(err)
		}
		fields, err := FormFields(blank)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for n := range fields {
			got = append(got, n)
		}
		slices.Sort(got)
		w := slices.Clone(names)
		slices.Sort(w)
		if !slices.Equal(got, w) {
			t.Errorf("CERFA %s fields:\n got %v\nwant %v", form, got, w)
		}
	}
}

func TestCerfaFillReadBack(t *testing.T) {
	pdf, err := fill(FormAttestation, map[string]string{"noms1": "DIALLO", "prenoms1": "Aminata", "sexe1": "1", "jourDebut": "25",
		"adresse": "Aminata DIALLO\nBoîte 12\n10 rue de l'Été\n75012 Paris"})
	if err != nil {
		t.Fatal(err)
	}
	fields, err := FormFields(pdf)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"noms1": "DIALLO", "prenoms1": "Aminata", "jourDebut": "25", "adresse": "Aminata DIALLO\nBoîte 12\n10 rue de l'Été\n75012 Paris"} {
		if fields[k] != v {
			t.Errorf("%s = %q, want %q", k, fields[k], v)
		}
	}
	t.Logf("sexe1 = %q", fields["sexe1"])
}
