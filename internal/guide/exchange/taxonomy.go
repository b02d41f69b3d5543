package exchange

import (
	"parcours/internal/guide"
)

// The guide has three taxonomies in HSDS: its categories (rows of
// guide_taxonomies and guide_taxonomy_terms, fixed by the guide's
// migration) and two of flags, who is welcome and how to get access, which
// the guide stores as columns of guide_services and which are attributes
// here. Their ids are fixed so partners can filter on them.

// Taxonomy is an HSDS taxonomy of the guide.
type Taxonomy struct {
	ID   string
	Name string
	// Label is the message ID of its description.
	Label string
	Terms []Term
}

// Term is a term of a taxonomy.
type Term struct {
	ID   string
	Code string
	// Label is the message ID of its name.
	Label string
	// Flag is the guide_services column of a flag term ("" for categories).
	Flag string
}

// Taxonomy names.
const (
	taxCategories  = "parcours-categories"
	taxEligibility = "parcours-eligibility"
	taxAccess      = "parcours-access"
)

// Taxonomies are the guide's taxonomies, categories first.
var Taxonomies = func() []Taxonomy {
	cats := Taxonomy{ID: "0193a000-0000-7000-8000-000000000000", Name: taxCategories, Label: "guide.filter.category"}
	for _, c := range guide.Categories {
		cats.Terms = append(cats.Terms, Term{ID: c.ID, Code: c.Slug, Label: "guide.cat." + c.Slug})
	}
	flags := func(id, name, label string, terms [][3]string) Taxonomy {
		t := Taxonomy{ID: id + "000000000000", Name: name, Label: label}
		for i, x := range terms {
			t.Terms = append(t.Terms, Term{ID: id + pad12(i+1), Code: x[0], Label: x[1], Flag: x[2]})
		}
		return t
	}
	return []Taxonomy{cats,
		flags("0193a000-0000-7000-8001-", taxEligibility, "guide.filter.who", [][3]string{
			{"no-papers", "guide.filter.nopapers", "no_papers"}, {"men", "guide.who.men", "welcome_men"},
			{"women", "guide.who.women", "welcome_women"}, {"families", "guide.who.families", "welcome_families"},
			{"minors", "guide.who.minors", "welcome_minors"}}),
		flags("0193a000-0000-7000-8002-", taxAccess, "guide.filter.access", [][3]string{
			{"walk-in", "guide.access.walk_in", "walk_in"}, {"appointment", "guide.access.appointment", "appointment"},
			{"referral", "guide.access.referral", "referral"}, {"free", "guide.filter.free", "free"}}),
	}
}()

func pad12(n int) string {
	const digits = "0123456789"
	b := []byte("000000000000")
	for i := len(b) - 1; n > 0 && i >= 0; i-- {
		b[i] = digits[n%10]
		n /= 10
	}
	return string(b)
}

// taxonomyByID finds a taxonomy.
func taxonomyByID(id string) (*Taxonomy, bool) {
	for i := range Taxonomies {
		if Taxonomies[i].ID == id {
			return &Taxonomies[i], true
		}
	}
	return nil, false
}

// termByID finds a term and its taxonomy.
func termByID(id string) (*Taxonomy, Term, bool) {
	for i := range Taxonomies {
		for _, t := range Taxonomies[i].Terms {
			if t.ID == id {
				return &Taxonomies[i], t, true
			}
		}
	}
	return nil, Term{}, false
}

// flagsOf lists the flag terms a service carries.
func flagsOf(sv *guide.Service) []Term {
	on := map[string]bool{"no_papers": sv.NoPapers, "welcome_men": sv.WelcomeMen, "welcome_women": sv.WelcomeWomen,
		"welcome_families": sv.WelcomeFamilies, "welcome_minors": sv.WelcomeMinors, "walk_in": sv.WalkIn,
		"appointment": sv.Appointment, "referral": sv.Referral, "free": sv.Free}
	var out []Term
	for _, tx := range Taxonomies[1:] {
		for _, t := range tx.Terms {
			if on[t.Flag] {
				out = append(out, t)
			}
		}
	}
	return out
}
