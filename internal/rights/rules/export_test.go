package rules

import (
	"math/rand/v2"
	"time"
)

// CorpusCase is one generated simulation input.
type CorpusCase struct {
	S  Situation
	At time.Time
}

// CorpusDates are the simulation dates of the corpus: before the model, each
// parameter period, around the 2026 changes and the research date.
var CorpusDates = []string{"2020-06-01", "2022-03-01", "2023-06-01", "2024-06-01", "2025-06-01",
	"2026-02-01", "2026-05-01", "2026-11-25"}

// Corpus generates valid situations for every status and date, with a fixed
// seed: varied dates, households, resources, benefits and asylum answers. It
// is exported to the external tests (message catalog) through this file.
func Corpus(perStatusAndDate int) []CorpusCase {
	rng := rand.New(rand.NewPCG(2026, 11))
	var out []CorpusCase
	for _, at := range CorpusDates {
		atD := MustDate(at)
		for _, st := range statusList {
			for i := 0; i < perStatusAndDate; i++ {
				s := randomSituation(rng, st.ID, atD)
				if s.Validate() != nil {
					continue
				}
				out = append(out, CorpusCase{S: s, At: atD.Time()})
			}
		}
	}
	return out
}

func randomSituation(rng *rand.Rand, st StatusID, at Date) Situation {
	pick := func(n int) int { return rng.IntN(n) }
	back := func(maxDays int) Date {
		if pick(5) == 0 {
			return Date{}
		}
		return at.AddDays(-pick(maxDays))
	}
	s := Situation{Status: st}
	if statusByID[st].NeedsBasis && pick(4) != 0 {
		bases := Bases(st)
		s.Basis = bases[pick(len(bases))]
	}
	if st == StatusReceipt {
		s.Interim = []InterimKind{"", InterimRenewal, InterimFirst, InterimFavourable}[pick(4)]
	}
	s.ArrivedOn = back(3000)
	s.StatusGrantedOn = back(900)
	if pick(3) == 0 {
		base := s.StatusGrantedOn
		if base.IsZero() {
			base = at.AddDays(-400)
		}
		s.StatusValidUntil = base.AddDays(30 + pick(700))
	}
	s.WorkTitleSince = back(3000)
	switch pick(4) {
	case 0:
		s.BirthDate = at.AddDays(-365 * (14 + pick(50)))
	case 1:
		s.Age = 14 + pick(50)
	case 2:
		s.Age = []int{16, 17, 18, 24, 25}[pick(5)]
	}
	s.Nationality = []string{"", "", "DZ", "AF"}[pick(4)]
	s.Pregnant = pick(8) == 0
	s.Adults = pick(4)
	nChildren := pick(5)
	if pick(20) == 0 {
		nChildren = 10
	}
	for range nChildren {
		c := Child{Age: pick(18), Entry: []ChildEntry{"", EntryBornInFrance, EntryFamilyReunion, EntryWithParent, EntryOther}[pick(5)]}
		s.Children = append(s.Children, c)
	}
	switch pick(4) {
	case 0:
	case 1:
		s.ResourcesKnown = true
	default:
		s.ResourcesKnown = true
		s.MonthlyResources = Money(pick(150000))
	}
	s.Address = []AddressKind{"", AddressStable, AddressDomiciliation, AddressNone}[pick(4)]
	for _, b := range Benefits() {
		if pick(9) == 0 {
			s.Benefits = append(s.Benefits, b)
		}
	}
	if st.isAsylumSeeker() || st == StatusAsylumRefused {
		s.CMAAccepted = []YesNo{NotAsked, Yes, Yes, No}[pick(4)]
		s.Accommodation = []AccommodationKind{"", AccommodationHoused, AccommodationNotOffered, AccommodationRefused}[pick(4)]
		if pick(3) != 0 {
			base := s.StatusGrantedOn
			if base.IsZero() {
				base = at.AddDays(-pick(600))
			}
			s.OFPRAFiledOn = base.AddDays(pick(40))
			if pick(3) == 0 {
				s.OFPRARejectedOn = s.OFPRAFiledOn.AddDays(pick(400))
			}
		}
	}
	return s
}
