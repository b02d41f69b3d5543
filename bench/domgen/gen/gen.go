// Package gen fills a migrated parcours database with generated, fictional
// domiciliations (CASF L264-1) and their mail register, Paris-wide, to
// measure the domiciliation pages at scale (docs/PERFORMANCE.md,
// "Domiciliation"). The command is bench/domgen.
package gen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"parcours/bench/internal/benchkit"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/domicile"
	"parcours/internal/org"
	"parcours/internal/people"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/db"
)

// Options are the counts to generate.
type Options struct {
	Files int // domiciliation files (one person each)
	Mail  int // mail register rows, in total
	Sites int // the arrondissements' sites
	// FirstSite files all go to site 01 (one site with 20,000+ files in
	// force, the target); the others are spread over the sites.
	FirstSite int
	Seed      uint64
	// Now is the generation's present (zero: the system clock); a test
	// world passes its fake clock's time.
	Now time.Time
	// Progress is called after each batch of files (may be nil).
	Progress func(files, mail int)
}

// Password and TOTPSecret of the generated accounts.
const (
	Password   = benchkit.Password
	TOTPSecret = benchkit.TOTPSecret
)

// Accounts: a reception agent and a site manager per site, and the
// centre's direction (every site).
const (
	Direction = "direction@bench.invalid"
	Reception = "accueil01@bench.invalid" // site 01
)

// Spelling variants of the same names (not different names: Fatoumata is
// not Fatima): the desk search must find any of them.
var givenNames = [][]string{
	{"Mohamed", "Mohammed", "Muhammad", "Mouhamed", "محمد"}, {"Ahmed", "Ahmad", "أحمد"}, {"Fatima", "Fatma", "فاطمة"}, {"Fatoumata", "Fatoumatta"},
	{"Aïcha", "Aicha", "Aisha", "عائشة"}, {"Youssef", "Yusuf", "Youcef", "يوسف"}, {"Abdelkader", "Abd el Kader", "Abdul Kader"},
	{"Mamadou", "Mamadu"}, {"Ousmane", "Usman", "Osman"}, {"Ibrahim", "Brahim"}, {"Ibrahima"}, {"Khadija", "Khadidja"}, {"Kadiatou", "Kadiatu"},
	{"Mariam", "Maryam"}, {"Mariama"}, {"Hassan", "Hasan", "حسن"}, {"Ali", "علي"}, {"Omar", "Oumar", "Umar"}, {"Zeinab", "Zainab", "Zeynab"},
	{"Tesfay", "Tesfaye"}, {"Senait", "Senayt"}, {"Aminata", "Aminatta"}, {"Amina", "Aminah"}, {"Moussa", "Musa", "Mussa"}, {"Idriss", "Idris", "Driss"},
	{"Sekou", "Sékou"}, {"Djibril", "Jibril", "Gibril"}, {"Hawa", "Haoua"}, {"Bilal", "Belal"}, {"Rokia", "Rokiya"},
	{"Gul"}, {"Shabnam", "Chabnam"}, {"Yasmine", "Yasmina", "Jasmin"}, {"Ion", "Ioan"}, {"Mihai", "Mihail"},
	{"Abdoulaye", "Abdullah", "Abdallah"}, {"Awa", "Aoua"}, {"Jean"}, {"Marie", "Mari"}, {"Wei"}, {"Li", "Lee"},
}

var familyNames = [][]string{
	{"Benali", "Ben Ali", "Ben-Ali"}, {"Diallo", "Dialo"}, {"Traoré", "Traore"}, {"Camara", "Kamara"}, {"Haddad", "Hadad"},
	{"El Amrani", "Amrani", "Al-Amrani"}, {"Rahimi", "Rahimy"}, {"Ahmadi", "Ahmady"}, {"Gebremedhin"}, {"Gebremeskel"}, {"Bah", "Ba"},
	{"Sow", "Sowe"}, {"Keita", "Keïta"}, {"Koné", "Kone"}, {"Cissé", "Cisse"}, {"Touré", "Toure"}, {"Sylla", "Silla"},
	{"Mansour", "Mansur"}, {"Haidari", "Haydari"}, {"Karimi", "Karimy"}, {"Hussaini", "Hosseini", "Husseini"}, {"Mohammadi", "Mohamadi"},
	{"Tesfamariam"}, {"Abraha"}, {"Kidane"}, {"Osman", "Othman"}, {"Yousafzai", "Yusufzai"}, {"Bensaïd", "Bensaid"},
	{"Chaouch", "Shawish"}, {"Boukhari", "Bukhari"}, {"Nasser", "Nasir"}, {"Doumbia", "Dumbia"}, {"Coulibaly", "Kulibali"},
	{"Fofana"}, {"Sangaré", "Sangare"}, {"Barry", "Bari"}, {"Nouri", "Nuri"}, {"Popescu"}, {"Ionescu"}, {"Wang"}, {"Chen"},
	{"Rahman", "Rehman"}, {"Hossain", "Hussain"}, {"Martin"}, {"Bernard"}, {"Dubois"}, {"Petit"}, {"Moreau", "Moreaux"}, {"Lefebvre", "Lefèvre"},
	{"Garcia", "García"}, {"Nguyen", "Nguyễn"}, {"Tran", "Trần"}, {"Mendy", "Mendi"}, {"Ndiaye", "N'Diaye"}, {"Faye", "Fay"},
}

// Result names what the measurement uses.
type Result struct {
	OrgID string
	Sites []string
	Files int
	Mail  int
}

type dayKey struct {
	site   string
	day    time.Time
	metric string
}

type daily struct {
	bun.BaseModel `bun:"table:dom_daily"`

	OrgID  string    `bun:"org_id"`
	SiteID string    `bun:"site_id"`
	Day    time.Time `bun:"day,type:date"`
	Metric string    `bun:"metric"`
	N      int       `bun:"n"`
}

type nameKey struct {
	bun.BaseModel `bun:"table:person_name_keys"`

	OrgID     string `bun:"org_id"`
	Key       string `bun:"name_key"`
	PersonID  string `bun:"person_id"`
	BirthYear int    `bun:"birth_year"`
}

type domOrg struct {
	bun.BaseModel `bun:"table:dom_orgs"`

	OrgID           string `bun:"org_id,pk"`
	LastNumber      int    `bun:"last_number"`
	RetentionMonths int    `bun:"retention_months"`
}

// state is what a batch of files adds, inserted in one transaction.
type state struct {
	persons   []people.Person
	keys      []nameKey
	files     []domicile.File
	decisions []domicile.Decision
	views     []domicile.Interview
	deps      []domicile.Dependant
	mail      []domicile.Mail
	contacts  []domicile.Contact
}

// generator holds the centre and the running totals.
type generator struct {
	opt      Options
	rng      *rand.Rand
	now      time.Time
	today    time.Time
	orgID    string
	sites    []string
	managers []string // a site manager per site (decisions)
	agents   []string // a reception agent per site (mail)
	daily    map[dayKey]int
	mailLeft int
}

// Generate fills d (migrated) with one centre (20 sites by default, the
// arrondissements), its staff (made through authSvc, of an app built with
// Secret), and the files with their persons, decisions, interviews,
// dependants, mail, contacts and daily counters.
func Generate(ctx context.Context, d *db.DB, authSvc *auth.Service, opt Options) (*Result, error) {
	if opt.Sites <= 0 {
		opt.Sites = 20
	}
	now := opt.Now.UTC()
	if opt.Now.IsZero() {
		now = time.Now().UTC()
	}
	g := &generator{opt: opt, rng: rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15)), now: now,
		today: domicile.Today(now), daily: map[dayKey]int{}, mailLeft: opt.Mail}
	if err := d.Tx(ctx, func(ctx context.Context, tx bun.Tx) error { return g.centre(ctx, tx, authSvc) }); err != nil {
		return nil, err
	}
	res := &Result{OrgID: g.orgID, Sites: g.sites}
	const batch = 1000
	for start := 0; start < opt.Files; start += batch {
		var st state
		for i := range min(batch, opt.Files-start) {
			g.file(&st, start+i, opt.Files-start-i)
		}
		err := d.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
			for _, rows := range []any{&st.persons, &st.keys, &st.files, &st.decisions, &st.views, &st.deps, &st.mail, &st.contacts} {
				if err := insert(ctx, tx, rows); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		res.Files += len(st.files)
		res.Mail += len(st.mail)
		if opt.Progress != nil {
			opt.Progress(res.Files, res.Mail)
		}
	}
	err := d.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		rows := make([]daily, 0, len(g.daily))
		for k, n := range g.daily {
			rows = append(rows, daily{OrgID: g.orgID, SiteID: k.site, Day: k.day, Metric: k.metric, N: n})
		}
		if err := insert(ctx, tx, &rows); err != nil {
			return err
		}
		_, err := tx.NewInsert().Model(&domOrg{OrgID: g.orgID, LastNumber: opt.Files, RetentionMonths: 24}).Exec(ctx)
		return err
	})
	return res, err
}

// centre creates the centre, its sites and their settings, and the staff.
func (g *generator) centre(ctx context.Context, tx bun.Tx, authSvc *auth.Service) error {
	o, err := org.CreateOrg(ctx, tx, fmt.Sprintf("CASVP mesure %d", g.rng.Uint32()), "ccas", true, g.now)
	if err != nil {
		return err
	}
	g.orgID = o.ID
	provision := func(email, name string, ms ...auth.Membership) (string, error) {
		u, err := authSvc.Provision(ctx, tx, auth.NewUser{OrgID: o.ID, Email: email, Name: name, Password: Password,
			TOTPSecret: TOTPSecret, Demo: true, Memberships: ms})
		if err != nil {
			return "", err
		}
		return u.ID, nil
	}
	if _, err := provision(Direction, "Direction", auth.Membership{Role: auth.Admin}); err != nil {
		return err
	}
	for i := range g.opt.Sites {
		s := &org.Site{ID: db.NewID(), OrgID: o.ID, Name: fmt.Sprintf("PSA %02d", i+1), Kind: "psa", City: "Paris", CreatedAt: g.now, UpdatedAt: g.now}
		if _, err := tx.NewInsert().Model(s).Exec(ctx); err != nil {
			return err
		}
		st := &domicile.Settings{SiteID: s.ID, OrgID: o.ID, Organism: "CCAS de Paris (CASVP)", Manager: "Responsable " + s.Name,
			MailAddress: fmt.Sprintf("%d rue de la Domiciliation\n750%02d Paris", i+1, i+1), Attachment: fmt.Sprintf("Paris %d", i+1),
			Hours: "lundi-vendredi 9h-12h", SMSDays: "2,4", SMSHour: 19, UpdatedAt: g.now}
		if _, err := tx.NewInsert().Model(st).Exec(ctx); err != nil {
			return err
		}
		agent, err := provision(fmt.Sprintf("accueil%02d@bench.invalid", i+1), "Accueil "+s.Name, auth.Membership{Role: auth.ReceptionAgent, SiteID: s.ID})
		if err != nil {
			return err
		}
		manager, err := provision(fmt.Sprintf("responsable%02d@bench.invalid", i+1), "Responsable "+s.Name, auth.Membership{Role: auth.SiteManager, SiteID: s.ID})
		if err != nil {
			return err
		}
		g.sites, g.agents, g.managers = append(g.sites, s.ID), append(g.agents, agent), append(g.managers, manager)
	}
	return nil
}

// Kinds of file, with their share (percent).
var fileShapes = []struct {
	status  string
	expired bool
	share   int
}{
	{domicile.StatusValid, false, 55}, {domicile.StatusValid, true, 5}, {domicile.StatusEnded, false, 25},
	{domicile.StatusRefused, false, 5}, {domicile.StatusInstruction, false, 6}, {domicile.StatusAwaiting, false, 4},
}

// file adds the idx-th file; left counts the files still to make (this one
// included), to spread the remaining mail.
func (g *generator) file(st *state, idx, left int) {
	rng := g.rng
	site := 0
	if idx >= g.opt.FirstSite {
		site = (idx - g.opt.FirstSite) % len(g.sites)
	}
	siteID, manager := g.sites[site], g.managers[site]
	gv, fv := givenNames[rng.IntN(len(givenNames))], familyNames[rng.IntN(len(familyNames))]
	per := people.Person{ID: db.NewID(), OrgID: g.orgID, SiteID: siteID, GivenLatin: benchkit.LatinOf(gv, rng), FamilyLatin: benchkit.LatinOf(fv, rng),
		BirthYear: 1945 + rng.IntN(62), MsgLang: []string{"fr", "fr", "ar", "en", "ps", "ro", "ti"}[rng.IntN(7)], HouseholdSize: 1,
		CreatedAt: g.now, UpdatedAt: g.now}
	if rng.IntN(4) == 0 {
		per.GivenName = gv[len(gv)-1]
	}
	if rng.IntN(10) < 8 {
		b := time.Date(per.BirthYear, time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
		per.BirthDate = &b
	} else {
		per.BirthApprox = true
	}
	if rng.IntN(10) < 7 {
		per.Phone = fmt.Sprintf("+336%08d", rng.IntN(100_000_000))
	}
	per.SortName = people.FoldName(per.FamilyLatin + " " + per.GivenLatin)
	seen := map[string]bool{}
	for _, nm := range []string{per.GivenName, per.GivenLatin, per.FamilyLatin} {
		for _, k := range people.NameKeys(nm) {
			if !seen[k] {
				seen[k] = true
				st.keys = append(st.keys, nameKey{OrgID: g.orgID, Key: k, PersonID: per.ID, BirthYear: per.BirthYear})
			}
		}
	}

	shape := fileShapes[weighted(rng, func(i int) int { return fileShapes[i].share }, len(fileShapes))]
	f := domicile.File{ID: db.NewID(), OrgID: g.orgID, SiteID: siteID, PersonID: &per.ID, Number: idx + 1, Status: shape.status,
		Kind: domicile.KindFirst, Civility: []string{"mme", "m", "m", ""}[rng.IntN(4)], Version: 1, CreatedBy: manager, CreatedAt: g.now, UpdatedAt: g.now}
	decide := func(status, kind string, on time.Time) *domicile.Decision {
		d := domicile.Decision{ID: db.NewID(), OrgID: g.orgID, SiteID: siteID, FileID: f.ID, Seq: len(st.decisions) + 1, Status: status, Kind: kind,
			DecidedOn: on, Prev: "{}", DecidedBy: manager, DecidedAt: on.Add(10 * time.Hour)}
		st.decisions = append(st.decisions, d)
		return &st.decisions[len(st.decisions)-1]
	}
	first := len(st.decisions)
	var start, end, cut time.Time // the coverage the mail falls in
	switch {
	case shape.status == domicile.StatusInstruction || shape.status == domicile.StatusAwaiting:
		f.RequestedOn = g.today.AddDate(0, 0, -rng.IntN(80))
		decide(domicile.StatusInstruction, domicile.KindFirst, f.RequestedOn)
		if shape.status == domicile.StatusAwaiting {
			decide(domicile.StatusAwaiting, domicile.KindFirst, f.RequestedOn.AddDate(0, 0, rng.IntN(10)))
		}
	case shape.status == domicile.StatusRefused:
		f.RequestedOn = g.today.AddDate(0, 0, -30-rng.IntN(900))
		decide(domicile.StatusInstruction, domicile.KindFirst, f.RequestedOn)
		d := decide(domicile.StatusRefused, domicile.KindFirst, f.RequestedOn.AddDate(0, 0, 5+rng.IntN(50)))
		d.Reason, d.Referral = "no_link", domicile.Referrals[rng.IntN(len(domicile.Referrals))]
		if d.Referral == "other" {
			d.ReferralDetail = "Association agréée du secteur"
		}
		f.DecidedOn = ptr(d.DecidedOn)
	default:
		// Valid now (its period contains today), valid but past its end,
		// or ended: a period one to three years back for the latter.
		switch {
		case shape.status == domicile.StatusValid && !shape.expired:
			start = g.today.AddDate(0, 0, -rng.IntN(365))
		case shape.expired:
			start = g.today.AddDate(-1, 0, -1-rng.IntN(120))
		default:
			start = g.today.AddDate(-1, 0, -rng.IntN(730))
		}
		f.RequestedOn = start.AddDate(0, 0, -rng.IntN(40))
		renewal := rng.IntN(10) < 3
		firstOn := start
		if renewal {
			firstOn = start.AddDate(-1, 0, 0)
			decide(domicile.StatusInstruction, domicile.KindFirst, firstOn.AddDate(0, 0, -20))
			prevEnd := domicile.OneYear(firstOn)
			d := decide(domicile.StatusValid, domicile.KindFirst, firstOn)
			d.StartOn, d.EndOn = ptr(firstOn), &prevEnd
			f.Kind = domicile.KindRenewal
		}
		decide(domicile.StatusInstruction, f.Kind, f.RequestedOn)
		end = domicile.OneYear(start)
		d := decide(domicile.StatusValid, f.Kind, start)
		d.StartOn, d.EndOn = ptr(start), ptr(end)
		f.StartOn, f.EndOn, f.FirstOn, f.DecidedOn = ptr(start), ptr(end), ptr(firstOn), ptr(start)
		if shape.status == domicile.StatusEnded {
			cut = start.AddDate(0, 0, 30+rng.IntN(300))
			if cut.After(g.today) {
				cut = g.today
			}
			e := decide(domicile.StatusEnded, f.Kind, cut)
			e.CutOn = ptr(cut)
			e.Reason = domicile.EndReasons[weighted(rng, func(i int) int { return []int{25, 20, 35, 5, 10, 3, 2}[i] }, len(domicile.EndReasons))]
			if e.Reason == "other" {
				e.ReasonDetail = "Départ de Paris sans nouvelle adresse"
			}
			f.CutOn, f.DecidedOn = ptr(cut), ptr(cut)
		}
	}
	// Sequence numbers restart per file.
	for i := first; i < len(st.decisions); i++ {
		st.decisions[i].Seq = i - first + 1
	}

	held := f.RequestedOn.AddDate(0, 0, rng.IntN(10))
	st.views = append(st.views, domicile.Interview{FileID: f.ID, OrgID: g.orgID, HeldOn: &held, HeldBy: manager,
		Link: pick(rng, domicile.Links), Household: pick(rng, domicile.Households), Residence: pick(rng, domicile.Residences),
		Cause: pick(rng, domicile.Causes), Reason: pick(rng, domicile.Reasons), Work: pick(rng, domicile.Works),
		Support: rng.IntN(2) == 0, Income: rng.IntN(3) == 0, UpdatedBy: manager, UpdatedAt: g.now})
	if rng.IntN(100) < 12 {
		n := 1 + rng.IntN(3)
		for range n {
			b := g.today.AddDate(-1-rng.IntN(16), 0, -rng.IntN(365))
			st.deps = append(st.deps, domicile.Dependant{ID: db.NewID(), OrgID: g.orgID, FileID: f.ID, Given: benchkit.LatinOf(givenNames[rng.IntN(len(givenNames))], rng),
				Family: per.FamilyLatin, BirthDate: &b, Link: "child"})
		}
		for i := first; i < len(st.decisions); i++ {
			st.decisions[i].Dependants = n
		}
	}
	// The grants carry the profile the annual report counts.
	iv := &st.views[len(st.views)-1]
	support := map[bool]string{true: "yes", false: "no"}[iv.Support]
	for i := first; i < len(st.decisions); i++ {
		if d := &st.decisions[i]; d.Status == domicile.StatusValid {
			d.Civility, d.BirthDate, d.BirthYear, d.Household, d.Cause, d.Link = f.Civility, per.BirthDate, per.BirthYear, iv.Household, iv.Cause, iv.Link
			d.Motive, d.Residence, d.Support, d.Work = iv.Reason, iv.Residence, support, iv.Work
		} else {
			d.Dependants = 0
		}
	}

	// Contacts and the last one (D264-3): in force, 8 % are silent for
	// more than three months, 1 % of them with an excuse.
	last := f.RequestedOn
	if !start.IsZero() {
		last = g.today.AddDate(0, 0, -rng.IntN(85))
		if shape.expired || rng.IntN(100) < 8 {
			last = g.today.AddDate(0, -3, -1-rng.IntN(200))
		}
		if !cut.IsZero() {
			last = cut.AddDate(0, 0, -rng.IntN(120))
		}
		if last.Before(start) {
			last = start
		}
		if rng.IntN(100) == 0 {
			f.Excuse = domicile.Excuses[rng.IntN(2)]
		}
		for i := range 2 + rng.IntN(8) {
			at := last
			if i > 0 {
				at = start.Add(time.Duration(rng.Int64N(int64(last.Sub(start)) + 1)))
			}
			kind := []string{"visit", "visit", "call", "handover"}[rng.IntN(4)]
			t := domicile.Today(at).Add(time.Duration(9*60+rng.IntN(8*60)) * time.Minute)
			st.contacts = append(st.contacts, domicile.Contact{ID: db.NewID(), OrgID: g.orgID, SiteID: siteID, FileID: f.ID, Kind: kind, At: t, By: g.agents[site]})
			g.daily[dayKey{siteID, domicile.Today(t), "contact_" + kind}]++
		}
	}
	f.LastContactOn = last
	per.LastContactAt = last.Add(12 * time.Hour)

	// Mail, in the period the election covered.
	if !start.IsZero() && g.mailLeft > 0 {
		stop := g.today
		switch {
		case !cut.IsZero():
			stop = cut
		case end.Before(stop):
			stop = end
		}
		avg := float64(g.mailLeft) / (float64(left) * 0.85)
		n := min(int(avg*2*rng.Float64()+0.5), g.mailLeft)
		g.mailLeft -= n
		g.mailOf(st, &f, start, stop, n, site)
	}
	st.persons = append(st.persons, per)
	st.files = append(st.files, f)
}

// mailOf adds n mail rows to file f, received between from and to.
func (g *generator) mailOf(st *state, f *domicile.File, from, to time.Time, n, site int) {
	rng := g.rng
	days := int(to.Sub(from).Hours()/24) + 1
	for range n {
		day := from.AddDate(0, 0, rng.IntN(days))
		at := time.Date(day.Year(), day.Month(), day.Day(), 8+rng.IntN(4), rng.IntN(60), 0, 0, clock.Paris)
		m := domicile.Mail{ID: db.NewID(), OrgID: g.orgID, SiteID: f.SiteID, FileID: f.ID, Quantity: 1, ReceivedAt: at.UTC(), ReceivedBy: g.agents[site]}
		m.Kind = domicile.MailKinds[weighted(rng, func(i int) int { return []int{85, 10, 5}[i] }, 3)]
		if q := rng.IntN(100); q < 8 {
			m.Quantity = 2
		} else if q < 10 {
			m.Quantity = 3 + rng.IntN(3)
		}
		recent := g.today.Sub(day) < 21*24*time.Hour
		switch {
		case recent && f.CutOn == nil && rng.IntN(2) == 0:
			m.Status = "pending"
		default:
			m.Status = []string{"handed", "proxy", "returned", "forwarded", "npai"}[weighted(rng, func(i int) int { return []int{86, 4, 4, 3, 3}[i] }, 5)]
			out := at.Add(time.Duration(1+rng.IntN(20*24)) * time.Hour)
			if out.After(g.now) {
				out = g.now
			}
			m.OutAt, m.OutBy = &out, g.agents[site]
			if m.Status == "proxy" {
				m.OutTo = "Mandataire"
			}
			g.daily[dayKey{f.SiteID, domicile.Today(out), "mail_" + m.Status + "_" + m.Kind}] += m.Quantity
		}
		g.daily[dayKey{f.SiteID, day, "mail_in_" + m.Kind}] += m.Quantity
		if m.Status == "pending" {
			switch m.Kind {
			case "letter":
				f.PendingLetters += m.Quantity
			case "registered":
				f.PendingRegistered += m.Quantity
			default:
				f.PendingParcels += m.Quantity
			}
		}
		st.mail = append(st.mail, m)
	}
}

// insert inserts a slice in statements of at most 500 rows.
func insert(ctx context.Context, tx bun.Tx, rows any) error {
	switch r := rows.(type) {
	case *[]people.Person:
		return benchkit.Chunked(ctx, tx, *r)
	case *[]nameKey:
		return benchkit.Chunked(ctx, tx, *r)
	case *[]domicile.File:
		return benchkit.Chunked(ctx, tx, *r)
	case *[]domicile.Decision:
		return benchkit.Chunked(ctx, tx, *r)
	case *[]domicile.Interview:
		return benchkit.Chunked(ctx, tx, *r)
	case *[]domicile.Dependant:
		return benchkit.Chunked(ctx, tx, *r)
	case *[]domicile.Mail:
		return benchkit.Chunked(ctx, tx, *r)
	case *[]domicile.Contact:
		return benchkit.Chunked(ctx, tx, *r)
	case *[]daily:
		return benchkit.Chunked(ctx, tx, *r)
	}
	return fmt.Errorf("gen: unknown rows %T", rows)
}

func pick(rng *rand.Rand, list []string) string { return list[rng.IntN(len(list))] }

func ptr(t time.Time) *time.Time { return &t }

// weighted draws an index in [0, n) with weight w(i).
func weighted(rng *rand.Rand, w func(int) int, n int) int {
	total := 0
	for i := range n {
		total += w(i)
	}
	x := rng.IntN(total)
	for i := range n {
		if x < w(i) {
			return i
		}
		x -= w(i)
	}
	return n - 1
}
