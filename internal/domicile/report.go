package domicile

import (
	"context"
	"sort"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
)

// The annual activity report sent to the préfet (D264-8): the people
// domiciled at the end date, the decisions of the period with their main
// reasons, and the activity of the period (mail and contacts), after
// DomiFa's three axes.

// Count is one line of a breakdown: a value of a vocabulary ("" when not
// given) and how many.
type Count struct {
	Key string
	N   int
}

// Breakdown is a named distribution.
type Breakdown struct {
	// Name names the vocabulary: its values are "domicile.<Name>.<key>".
	Name  string
	Lines []Count
}

// Report is the annual activity report of a period.
type Report struct {
	From, To time.Time
	SiteID   string

	// Axis 1: people domiciled on To.
	Covered    int
	Dependants int
	Breakdowns []Breakdown

	// Axis 2: decisions of the period (undone ones do not count).
	Granted, GrantedFirst, GrantedRenewal, GrantedDependants int
	Refused, Ended                                           int
	RefusedBy, EndedBy, Referrals                            []Count

	// Axis 3: activity of the period, by daily counter ("mail_in_letter",
	// "mail_handed_parcel", "contact_visit"...).
	Activity map[string]int
}

// AgeBands are the age groups of axis 1 (upper bounds, exclusive).
var AgeBands = []struct {
	Key string
	Max int
}{{"0_17", 18}, {"18_24", 25}, {"25_34", 35}, {"35_44", 45}, {"45_54", 55}, {"55_64", 65}, {"65_74", 75}, {"75", 1000}}

// maxReportDays bounds a report's period (a little over two years).
const maxReportDays = 800

// coveredRow is one election in force on the end date, with what the
// breakdowns count.
type coveredRow struct {
	FileID     string     `bun:"file_id"`
	Seq        int        `bun:"seq"`
	Kind       string     `bun:"kind"`
	Dependants int        `bun:"dependants"`
	Civility   string     `bun:"civility"`
	BirthDate  *time.Time `bun:"birth_date"`
	BirthYear  int        `bun:"birth_year"`
	Household  string     `bun:"household"`
	Cause      string     `bun:"cause"`
	Link       string     `bun:"link"`
	Reason     string     `bun:"motive"`
	Residence  string     `bun:"residence"`
	Support    string     `bun:"support"`
	Work       string     `bun:"work"`
}

// Report computes the report of [from, to] for the user's sites (siteID
// narrows to one).
func (s *Service) Report(ctx context.Context, p *auth.Principal, from, to time.Time, siteID string) (*Report, error) {
	sc, err := scope(p, auth.PermDomicileMail)
	if err != nil {
		return nil, err
	}
	if to.Before(from) {
		return nil, apperr.Validation(map[string]string{"to": "domicile.error.end_before_start"})
	}
	if to.Sub(from) > maxReportDays*24*time.Hour {
		return nil, apperr.Validation(map[string]string{"to": "domicile.error.period_too_long"})
	}
	if siteID != "" && !sc.Contains(siteID) {
		return nil, apperr.Validation(map[string]string{"site": "common.form.invalid_choice"})
	}
	sites := func(q *bun.SelectQuery, col string) *bun.SelectQuery {
		if siteID != "" {
			return q.Where(col+" = ?", siteID)
		}
		if !sc.All {
			return q.Where(col+" IN (?)", bun.List(sc.Sites))
		}
		return q
	}
	r := &Report{From: from, To: to, SiteID: siteID, Activity: map[string]int{}}

	// The grants in force on To, with their profile (profile.go), read
	// from an index that holds them all (migration 202611280003).
	var rows []coveredRow
	q := s.DB.R.NewSelect().TableExpr(s.decisionsFrom("dom_decisions_cover")).
		ColumnExpr("d.file_id, d.seq, d.kind, d.dependants, d.civility, d.birth_date, d.birth_year").
		ColumnExpr("d.household, d.cause, d.link, d.motive, d.residence, d.support, d.work").
		Where("d.org_id = ? AND d.status = ? AND d.undone_at IS NULL", p.OrgID, StatusValid).
		Where("d.start_on <= ? AND d.end_on >= ? AND (d.cut_on IS NULL OR d.cut_on > ?)", to, to, to)
	if err := sites(q, "d.site_id").Scan(ctx, &rows); err != nil {
		return nil, err
	}
	r.axis1(rows)

	var decs []struct {
		Status     string `bun:"status"`
		Kind       string `bun:"kind"`
		Reason     string `bun:"reason"`
		Referral   string `bun:"referral"`
		N          int    `bun:"n"`
		Dependants int    `bun:"deps"`
	}
	dq := s.DB.R.NewSelect().TableExpr(s.decisionsFrom("dom_decisions_period")).ColumnExpr("d.status, d.kind, d.reason, d.referral, COUNT(*) AS n, SUM(d.dependants) AS deps").
		Where("d.org_id = ? AND d.undone_at IS NULL AND d.decided_on >= ? AND d.decided_on <= ? AND d.status IN (?)",
			p.OrgID, from, to, bun.List([]string{StatusValid, StatusRefused, StatusEnded})).
		GroupExpr("d.status, d.kind, d.reason, d.referral")
	if err := sites(dq, "d.site_id").Scan(ctx, &decs); err != nil {
		return nil, err
	}
	refused, ended, referrals := map[string]int{}, map[string]int{}, map[string]int{}
	for _, d := range decs {
		switch d.Status {
		case StatusValid:
			r.Granted += d.N
			r.GrantedDependants += d.Dependants
			if d.Kind == KindRenewal {
				r.GrantedRenewal += d.N
			} else {
				r.GrantedFirst += d.N
			}
		case StatusRefused:
			r.Refused += d.N
			refused[d.Reason] += d.N
			referrals[d.Referral] += d.N
		case StatusEnded:
			r.Ended += d.N
			ended[d.Reason] += d.N
		}
	}
	r.RefusedBy, r.EndedBy, r.Referrals = lines(refused, RefusalReasons), lines(ended, EndReasons), lines(referrals, Referrals)

	var acts []struct {
		Metric string `bun:"metric"`
		N      int    `bun:"n"`
	}
	aq := s.DB.R.NewSelect().TableExpr("dom_daily AS dd").ColumnExpr("dd.metric, SUM(dd.n) AS n").
		Where("dd.org_id = ? AND dd.day >= ? AND dd.day <= ?", p.OrgID, from, to).GroupExpr("dd.metric")
	if err := sites(aq, "dd.site_id").Scan(ctx, &acts); err != nil {
		return nil, err
	}
	for _, a := range acts {
		r.Activity[a.Metric] = a.N
	}
	return r, nil
}

// decisionsFrom is the FROM of a report's query on decisions, read from
// index, which holds every column the query uses. SQLite is told to:
// without statistics for this index (say, after a migration added it), it
// read the decisions of the period from dom_decisions_cover and each
// decision's row, 1.8 to 3 s Paris-wide instead of 0.1 to 0.3.
func (s *Service) decisionsFrom(index string) string {
	if s.DB.Engine == db.SQLite {
		return "dom_decisions AS d INDEXED BY " + index
	}
	return "dom_decisions AS d"
}

// axis1 counts the elections in force (one per file: the latest).
func (r *Report) axis1(rows []coveredRow) {
	latest := map[string]coveredRow{}
	for _, row := range rows {
		if cur, ok := latest[row.FileID]; !ok || row.Seq > cur.Seq {
			latest[row.FileID] = row
		}
	}
	counts := map[string]map[string]int{}
	add := func(name, key string) {
		if counts[name] == nil {
			counts[name] = map[string]int{}
		}
		counts[name][key]++
	}
	for _, row := range latest {
		r.Covered++
		r.Dependants += row.Dependants
		add("civility", row.Civility)
		add("age", ageBand(row, r.To))
		add("kind", row.Kind)
		add("household", row.Household)
		add("cause", row.Cause)
		add("link", row.Link)
		add("reason", row.Reason)
		add("residence", row.Residence)
		add("support", row.Support)
		add("work", row.Work)
	}
	bands := make([]string, len(AgeBands))
	for i, b := range AgeBands {
		bands[i] = b.Key
	}
	for _, b := range []struct {
		name string
		list []string
	}{{"civility", Civilities}, {"age", bands}, {"kind", []string{KindFirst, KindRenewal}}, {"household", Households},
		{"cause", Causes}, {"link", Links}, {"reason", Reasons}, {"residence", Residences}, {"support", []string{"yes", "no"}}, {"work", Works}} {
		r.Breakdowns = append(r.Breakdowns, Breakdown{Name: b.name, Lines: lines(counts[b.name], b.list)})
	}
}

// ageBand is the age group of a person on day ("" when unknown).
func ageBand(row coveredRow, day time.Time) string {
	var age int
	switch {
	case row.BirthDate != nil:
		b := *row.BirthDate
		age = day.Year() - b.Year()
		if day.Month() < b.Month() || (day.Month() == b.Month() && day.Day() < b.Day()) {
			age--
		}
	case row.BirthYear > 0:
		age = day.Year() - row.BirthYear
	default:
		return ""
	}
	for _, b := range AgeBands {
		if age < b.Max {
			return b.Key
		}
	}
	return ""
}

// lines orders a count by its vocabulary, with "not given" ("") last and
// values outside the vocabulary kept (imported data).
func lines(m map[string]int, vocab []string) []Count {
	out := make([]Count, 0, len(vocab)+1)
	for _, k := range vocab {
		out = append(out, Count{Key: k, N: m[k]})
	}
	var extra []string
	for k := range m {
		if k != "" && !oneOf(vocab, k) {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		out = append(out, Count{Key: k, N: m[k]})
	}
	return append(out, Count{Key: "", N: m[""]})
}

// MailOutcomes are the columns of axis 3's mail table.
var MailOutcomes = []string{"in", OutHanded, OutProxy, OutForwarded, OutReturned, OutNPAI}

// MailRow is a line of axis 3's mail table: a kind and its counts by
// outcome, in the order of MailOutcomes.
type MailRow struct {
	Kind   string
	Counts []int
}

// MailRows is axis 3's mail table.
func (r *Report) MailRows() []MailRow {
	out := make([]MailRow, 0, len(MailKinds))
	for _, k := range MailKinds {
		row := MailRow{Kind: k}
		for _, o := range MailOutcomes {
			row.Counts = append(row.Counts, r.Activity["mail_"+o+"_"+k])
		}
		out = append(out, row)
	}
	return out
}

// Contacts is axis 3's contacts, by kind.
func (r *Report) Contacts() []Count {
	out := make([]Count, 0, len(ContactKinds))
	for _, k := range ContactKinds {
		out = append(out, Count{Key: k, N: r.Activity["contact_"+k]})
	}
	return out
}
