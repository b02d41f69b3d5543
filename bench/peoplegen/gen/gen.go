// Package gen fills a migrated parcours database with generated, fictional
// persons and pathways, to measure the people and pathway pages at scale
// (docs/PERFORMANCE.md, "People and pathway"). The command is
// bench/peoplegen; the Go benchmarks of internal/pathway call Generate
// with small counts.
package gen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"parcours/bench/internal/benchkit"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/org"
	"parcours/internal/pathway"
	"parcours/internal/people"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/rights/rules"
)

// Options are the counts to generate.
type Options struct {
	Persons int
	Steps   int // in total, spread over the persons
	Sites   int
	// Caseload is how many files the measured social worker follows.
	Caseload int
	Seed     uint64
	// Progress is called after each batch (may be nil).
	Progress func(done, total int)
}

// Result names what the benchmarks use.
type Result struct {
	OrgID    string
	SiteID   string // the measured worker's site
	Worker   *auth.User
	PersonID string // a file of the worker's caseload
	// A name and birth year to check for duplicates (an existing person).
	Given, Family string
	BirthYear     int
}

// Password and TOTPSecret of the generated accounts.
const (
	Password   = benchkit.Password
	TOTPSecret = benchkit.TOTPSecret
)

var givenNames = [][]string{
	{"Mohamed", "Mohammed", "Muhammad", "Mouhamed", "محمد"}, {"Ahmed", "Ahmad", "أحمد"}, {"Fatima", "Fatma", "Fatoumata", "فاطمة"},
	{"Aïcha", "Aicha", "Aisha", "عائشة"}, {"Youssef", "Yusuf", "Youcef", "يوسف"}, {"Abdelkader", "Abd el Kader", "Abdul Kader"},
	{"Mamadou", "Mamadu"}, {"Ousmane", "Usman", "Osman"}, {"Ibrahim", "Ibrahima", "Brahim"}, {"Khadija", "Khadidja", "Kadiatou"},
	{"Mariam", "Maryam", "Mariama"}, {"Hassan", "Hasan", "حسن"}, {"Ali", "علي"}, {"Omar", "Oumar", "Umar"}, {"Zeinab", "Zainab", "Zeynab"},
	{"Rahim", "Rahime"}, {"Farid", "Fareed"}, {"Samira", "Sameera"}, {"Tesfay", "Tesfaye"}, {"Senait", "Senayt"}, {"Aminata", "Amina"},
	{"Moussa", "Musa", "Mussa"}, {"Idriss", "Idris", "Driss"}, {"Nadia", "Nadiya"}, {"Karim", "Kareem"}, {"Leila", "Layla", "Laila"},
	{"Sekou", "Sékou"}, {"Djibril", "Jibril", "Gibril"}, {"Hawa", "Haoua"}, {"Bilal", "Belal"}, {"Walid", "Oualid"}, {"Rokia", "Rokiatou"},
	{"Gul", "Gulalai"}, {"Shabnam", "Chabnam"}, {"Anwar", "Anouar"}, {"Salma", "Selma"}, {"Adama"}, {"Binta"}, {"Jamal", "Djamel", "Jamel"},
	{"Yasmine", "Yasmina", "Jasmin"}, {"Mehdi", "Mahdi"}, {"Sana", "Sanaa"}, {"Abdoulaye", "Abdullah", "Abdallah"}, {"Awa", "Aoua"},
}

var familyNames = [][]string{
	{"Benali", "Ben Ali", "Ben-Ali"}, {"Diallo", "Dialo"}, {"Traoré", "Traore"}, {"Camara", "Kamara"}, {"Haddad", "Hadad"},
	{"El Amrani", "Amrani", "Al-Amrani"}, {"Rahimi", "Rahimy"}, {"Ahmadi", "Ahmady"}, {"Gebremedhin", "Gebremeskel"}, {"Bah", "Ba"},
	{"Sow", "Sowe"}, {"Keita", "Keïta"}, {"Koné", "Kone"}, {"Cissé", "Cisse"}, {"Touré", "Toure"}, {"Sylla", "Silla"},
	{"Mansour", "Mansur"}, {"Haidari", "Haydari"}, {"Karimi", "Karimy"}, {"Hussaini", "Hosseini", "Husseini"}, {"Mohammadi", "Mohamadi"},
	{"Tesfamariam"}, {"Abraha"}, {"Kidane"}, {"Osman", "Othman"}, {"Yousafzai", "Yusufzai"}, {"Bensaïd", "Bensaid"},
	{"Chaouch", "Shawish"}, {"Boukhari", "Bukhari"}, {"Zerrouki", "Zarrouki"}, {"Nasser", "Nasir"}, {"Doumbia", "Dumbia"},
	{"Coulibaly", "Kulibali"}, {"Fofana"}, {"Sangaré", "Sangare"}, {"Barry", "Bari"}, {"Jalloh", "Diallo-Jalloh"}, {"Nouri", "Nuri"},
	{"Popescu"}, {"Ionescu"}, {"Wang"}, {"Chen"}, {"Rahman", "Rehman"}, {"Hossain", "Hussain"}, {"Islam"}, {"Uddin"},
}

// Generate fills d (migrated) with one centre, its sites and staff (made
// through authSvc, of an app built with Secret), and the persons, name
// keys, steps, applications, referrals and events.
func Generate(ctx context.Context, d *db.DB, authSvc *auth.Service, opt Options) (*Result, error) {
	if opt.Sites <= 0 {
		opt.Sites = 10
	}
	if opt.Caseload <= 0 {
		opt.Caseload = 200
	}
	rng := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))
	now := time.Now().UTC()
	today := people.Today(now)
	res := &Result{}
	var sites []string
	err := d.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		o, err := org.CreateOrg(ctx, tx, fmt.Sprintf("Centre de mesure %d", rng.Uint32()), "ccas", true, now)
		if err != nil {
			return err
		}
		res.OrgID = o.ID
		for i := range opt.Sites {
			s := &org.Site{ID: db.NewID(), OrgID: o.ID, Name: fmt.Sprintf("Site %02d", i+1), Kind: "psa", City: "Paris", CreatedAt: now, UpdatedAt: now}
			if _, err := tx.NewInsert().Model(s).Exec(ctx); err != nil {
				return err
			}
			sites = append(sites, s.ID)
			u, err := authSvc.Provision(ctx, tx, auth.NewUser{OrgID: o.ID, Email: fmt.Sprintf("sw%02d@bench.invalid", i+1), Name: fmt.Sprintf("Worker %02d", i+1),
				Password: Password, TOTPSecret: TOTPSecret, Demo: true, Memberships: []auth.Membership{{Role: auth.SocialWorker, SiteID: s.ID}}})
			if err != nil {
				return err
			}
			if i == 0 {
				res.Worker, res.SiteID = u, s.ID
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	stepsLeft := opt.Steps
	const batch = 2000
	rights := pathway.ApplicationRights()
	for start := 0; start < opt.Persons; start += batch {
		n := min(batch, opt.Persons-start)
		var ps []people.Person
		var keys []nameKey
		var steps []pathway.Step
		var apps []pathway.Application
		var refs []pathway.Referral
		var evs []people.EventRow
		for i := range n {
			idx := start + i
			// A caseload of a few hundred files each: the measured worker
			// has Caseload, the other files go to a pool of referents.
			site := idx % len(sites)
			referent := fmt.Sprintf("bench-referent-%05d", rng.IntN(max(1, opt.Persons/250)))
			if idx < opt.Caseload {
				site, referent = 0, res.Worker.ID
			}
			g := givenNames[rng.IntN(len(givenNames))]
			f := familyNames[rng.IntN(len(familyNames))]
			per := people.Person{ID: db.NewID(), OrgID: res.OrgID, SiteID: sites[site], GivenLatin: benchkit.LatinOf(g, rng), FamilyLatin: benchkit.LatinOf(f, rng),
				BirthYear: 1950 + rng.IntN(58), MsgLang: "fr", HouseholdSize: 1 + rng.IntN(5), ReferentID: referent,
				LastContactAt: now.Add(-time.Duration(rng.IntN(700*24)) * time.Hour), CreatedAt: now, UpdatedAt: now}
			if rng.IntN(4) == 0 {
				per.GivenName = g[len(g)-1]
			}
			if rng.IntN(10) < 7 {
				b := time.Date(per.BirthYear, time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
				per.BirthDate = &b
			} else {
				per.BirthApprox = true
			}
			if rng.IntN(10) < 6 {
				per.Phone = fmt.Sprintf("+336%08d", rng.IntN(100_000_000))
			}
			per.Status = string(rules.Statuses()[rng.IntN(len(rules.Statuses()))].ID)
			per.SortName = people.FoldName(per.FamilyLatin + " " + per.GivenLatin)
			ps = append(ps, per)
			if idx == 0 {
				res.PersonID, res.Given, res.Family, res.BirthYear = per.ID, per.GivenLatin, per.FamilyLatin, per.BirthYear
			}
			seen := map[string]bool{}
			for _, nm := range []string{per.GivenName, per.FamilyName, per.GivenLatin, per.FamilyLatin} {
				for _, k := range people.NameKeys(nm) {
					if !seen[k] {
						seen[k] = true
						keys = append(keys, nameKey{OrgID: res.OrgID, Key: k, PersonID: per.ID, BirthYear: per.BirthYear})
					}
				}
			}
			// Steps: the remaining total spread over the remaining persons.
			want := 0
			if left := opt.Persons - idx; left > 0 && stepsLeft > 0 {
				avg := float64(stepsLeft) / float64(left)
				want = int(avg*2*rng.Float64() + 0.5)
				want = min(want, stepsLeft)
			}
			for j := range want {
				status := pathway.StepStatuses[weighted(rng, []int{25, 10, 5, 55, 5})]
				due := today.AddDate(0, 0, rng.IntN(360)-180)
				st := pathway.Step{ID: db.NewID(), OrgID: res.OrgID, PersonID: per.ID, SiteID: per.SiteID, Axis: pathway.Axes[rng.IntN(len(pathway.Axes))],
					Title: fmt.Sprintf("Étape %d", j+1), Status: status, Open: status == "planned" || status == "in_progress" || status == "standby",
					DueOn: &due, OwnerID: referent, CreatedBy: referent, CreatedAt: now, UpdatedAt: now}
				steps = append(steps, st)
			}
			stepsLeft -= want
			if rng.IntN(10) < 8 {
				sub := today.AddDate(0, 0, -rng.IntN(500)-30)
				ap := pathway.Application{ID: db.NewID(), OrgID: res.OrgID, PersonID: per.ID, SiteID: per.SiteID, Right: rights[rng.IntN(len(rights))],
					SubmittedOn: &sub, Outcome: "pending", OwnerID: referent, CreatedBy: referent, CreatedAt: now, UpdatedAt: now}
				if rng.IntN(3) > 0 {
					dec := sub.AddDate(0, 0, 5+rng.IntN(120))
					exp := dec.AddDate(1, 0, 0)
					ap.DecidedOn, ap.Outcome, ap.ExpiresOn = &dec, "granted", &exp
				}
				apps = append(apps, ap)
			}
			if rng.IntN(5) == 0 {
				sent := now.Add(-time.Duration(rng.IntN(60*24)) * time.Hour)
				refs = append(refs, pathway.Referral{ID: db.NewID(), OrgID: res.OrgID, PersonID: per.ID, SiteID: per.SiteID, ServiceID: db.NewID(),
					ServiceName: "Permanence juridique", Organisation: "La Cimade", PartnerKey: "la cimade", Reason: "Accès aux droits",
					Fields: "identity", Status: []string{"sent", "accepted", "done"}[rng.IntN(3)], SentBy: referent, SentAt: sent,
					EndsOn: today.AddDate(0, 0, 60), UpdatedAt: sent})
			}
			for range 2 {
				evs = append(evs, people.EventRow{ID: db.NewID(), OrgID: res.OrgID, PersonID: per.ID, Kind: "people.created", At: per.LastContactAt,
					Key: "people.event.created", ArgsJSON: "{}", CreatedAt: now})
			}
		}
		err := d.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
			for _, rows := range []any{&ps, &keys, &steps, &apps, &refs, &evs} {
				if err := insertChunks(ctx, tx, rows); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if opt.Progress != nil {
			opt.Progress(start+n, opt.Persons)
		}
	}
	return res, nil
}

type nameKey struct {
	bun.BaseModel `bun:"table:person_name_keys"`

	OrgID     string `bun:"org_id"`
	Key       string `bun:"name_key"`
	PersonID  string `bun:"person_id"`
	BirthYear int    `bun:"birth_year"`
}

// insertChunks inserts a slice in statements of at most 500 rows.
func insertChunks(ctx context.Context, tx bun.Tx, rows any) error {
	switch r := rows.(type) {
	case *[]people.Person:
		return benchkit.Chunked(ctx, tx, *r)
	case *[]nameKey:
		return benchkit.Chunked(ctx, tx, *r)
	case *[]pathway.Step:
		return benchkit.Chunked(ctx, tx, *r)
	case *[]pathway.Application:
		return benchkit.Chunked(ctx, tx, *r)
	case *[]pathway.Referral:
		return benchkit.Chunked(ctx, tx, *r)
	case *[]people.EventRow:
		return benchkit.Chunked(ctx, tx, *r)
	}
	return fmt.Errorf("gen: unknown rows %T", rows)
}

func weighted(rng *rand.Rand, w []int) int {
	total := 0
	for _, x := range w {
		total += x
	}
	n := rng.IntN(total)
	for i, x := range w {
		if n < x {
			return i
		}
		n -= x
	}
	return len(w) - 1
}
