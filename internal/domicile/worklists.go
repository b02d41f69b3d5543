package domicile

import (
	"context"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
)

// Worklists: radiation is never automatic (DomiFa); these lists propose it.
const (
	// ListSilent: elections in force whose person has not come nor
	// contacted the body for more than three months, without a health or
	// detention excuse (D264-3).
	ListSilent = "silent"
	// ListExpiring: elections ending within a month, not yet renewed.
	ListExpiring = "expiring"
	// ListExpired: elections past their end and not renewed.
	ListExpired = "expired"
	// ListRequests: requests waiting for a decision, oldest first, with the
	// two-month deadline (D264-1).
	ListRequests = "requests"
)

// Worklists lists the worklists in the order of the menu.
var Worklists = []string{ListSilent, ListExpiring, ListExpired, ListRequests}

// inForce restricts a query on "dom_files AS f" to elections in force on day.
// Its terms on status and cut_on are, word for word, the condition of the
// partial index dom_files_silent: SQLite uses a partial index only for a
// query that repeats its condition.
func inForce(q *bun.SelectQuery, day time.Time) *bun.SelectQuery {
	return q.Where("f.status IN (?)", bun.List([]string{StatusValid, StatusInstruction, StatusAwaiting})).
		Where("f.start_on <= ? AND f.end_on >= ? AND f.cut_on IS NULL", day, day)
}

// worklist narrows a query to a list on day, and returns its order.
func worklist(q *bun.SelectQuery, list string, day time.Time) (*bun.SelectQuery, []string, error) {
	switch list {
	case ListSilent:
		q = inForce(q, day).Where("f.last_contact_on < ?", SilentSince(day)).
			Where("NOT (f.excuse <> '' AND (f.excuse_until IS NULL OR f.excuse_until >= ?))", day)
		return q, []string{"f.last_contact_on", "f.number"}, nil
	case ListExpiring:
		q = q.Where("f.status = ? AND f.cut_on IS NULL AND f.end_on >= ? AND f.end_on <= ?", StatusValid, day, day.AddDate(0, 1, 0))
		return q, []string{"f.end_on", "f.number"}, nil
	case ListExpired:
		return q.Where("f.status = ? AND f.cut_on IS NULL AND f.end_on < ?", StatusValid, day), []string{"f.end_on", "f.number"}, nil
	case ListRequests:
		q = q.Where("f.status IN (?)", bun.List([]string{StatusInstruction, StatusAwaiting}))
		return q, []string{"f.requested_on", "f.number"}, nil
	}
	return nil, nil, apperr.ErrNotFound
}

// PageSize is the length of a page of a worklist.
const PageSize = 100

// Indexes that hold every column a query on files uses (SQLite is told
// to use them: once ANALYZE has run, it would rather walk the elections in
// force by end date and read each file, 200 ms Paris-wide instead of a
// few).
const (
	// stateIndex: the counters of the elections in force (migration
	// 202611280002).
	stateIndex = "dom_files_state"
	// silentIndex: the "no contact" list, the elections that may be in
	// force in last-contact order (migration 202611280003), so a page is
	// read from the index in the list's order, without sorting every
	// silent file of Paris.
	silentIndex = "dom_files_silent"
)

// filesFrom is the FROM of a query on files, with the index SQLite must
// use ("" for none).
func (s *Service) filesFrom(index string) string {
	if index != "" && s.DB.Engine == db.SQLite {
		return "dom_files AS f INDEXED BY " + index
	}
	return "dom_files AS f"
}

// listIndex is the index of a worklist's query.
func listIndex(list string) string {
	if list == ListSilent {
		return silentIndex
	}
	return ""
}

// Worklist returns one page of a list for the user's sites (siteID narrows
// to one site), and whether there is a next page.
func (s *Service) Worklist(ctx context.Context, p *auth.Principal, list, siteID string, page int) ([]Entry, bool, error) {
	sc, err := scope(p, auth.PermDomicileMail)
	if err != nil {
		return nil, false, err
	}
	// The page's files are chosen from the index first, then read.
	var ids []string
	q := inScope(s.DB.R.NewSelect().TableExpr(s.filesFrom(listIndex(list))).ColumnExpr("f.id").
		Where("f.org_id = ? AND f.anonymised_at IS NULL", p.OrgID), sc)
	if siteID != "" {
		q = q.Where("f.site_id = ?", siteID)
	}
	q, order, err := worklist(q, list, s.today())
	if err != nil {
		return nil, false, err
	}
	if page < 1 {
		page = 1
	}
	if err := q.Order(order...).Limit(PageSize+1).Offset(int64((page-1)*PageSize)).Scan(ctx, &ids); err != nil {
		return nil, false, err
	}
	more := len(ids) > PageSize
	if more {
		ids = ids[:PageSize]
	}
	if len(ids) == 0 {
		return nil, false, nil
	}
	var fs []File
	if err := s.DB.R.NewSelect().Model(&fs).Where("f.id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, false, err
	}
	rank := make(map[string]int, len(ids))
	for i, id := range ids {
		rank[id] = i
	}
	slices.SortFunc(fs, func(a, b File) int { return rank[a.ID] - rank[b.ID] })
	es, err := s.entries(ctx, s.DB.R, p.OrgID, fs)
	return es, more, err
}

// Counters are the live counters of the desk and the dashboard.
type Counters struct {
	InForce, Requests, Overdue, Silent, Expiring, Expired int
	PendingLetters, PendingRegistered, PendingParcels     int
	InToday, OutToday                                     int
}

// Counters computes the counters of the user's sites (siteID narrows to one).
func (s *Service) Counters(ctx context.Context, p *auth.Principal, siteID string) (*Counters, error) {
	sc, err := scope(p, auth.PermDomicileMail)
	if err != nil {
		return nil, err
	}
	day := s.today()
	c := &Counters{}
	base := func(index string) *bun.SelectQuery {
		q := inScope(s.DB.R.NewSelect().TableExpr(s.filesFrom(index)).Where("f.org_id = ? AND f.anonymised_at IS NULL", p.OrgID), sc)
		if siteID != "" {
			q = q.Where("f.site_id = ?", siteID)
		}
		return q
	}
	for _, x := range []struct {
		list string
		n    *int
	}{{ListSilent, &c.Silent}, {ListExpiring, &c.Expiring}, {ListExpired, &c.Expired}, {ListRequests, &c.Requests}} {
		q, _, _ := worklist(base(listIndex(x.list)), x.list, day)
		n, err := q.Count(ctx)
		if err != nil {
			return nil, err
		}
		*x.n = int(n)
	}
	overdue, err := base("").Where("f.status IN (?) AND f.requested_on < ?", bun.List([]string{StatusInstruction, StatusAwaiting}),
		day.AddDate(0, -2, 0)).Count(ctx)
	if err != nil {
		return nil, err
	}
	c.Overdue = int(overdue)
	var sums struct {
		N int `bun:"n"`
		L int `bun:"l"`
		R int `bun:"r"`
		P int `bun:"p"`
	}
	if err := inForce(base(stateIndex), day).ColumnExpr("COUNT(*) AS n").
		ColumnExpr("COALESCE(SUM(f.pending_letters), 0) AS l, COALESCE(SUM(f.pending_registered), 0) AS r, COALESCE(SUM(f.pending_parcels), 0) AS p").
		Scan(ctx, &sums); err != nil {
		return nil, err
	}
	c.InForce, c.PendingLetters, c.PendingRegistered, c.PendingParcels = sums.N, sums.L, sums.R, sums.P
	var daily []struct {
		Metric string `bun:"metric"`
		N      int    `bun:"n"`
	}
	dq := s.DB.R.NewSelect().TableExpr("dom_daily AS dd").ColumnExpr("dd.metric, SUM(dd.n) AS n").Where("dd.org_id = ? AND dd.day = ?", p.OrgID, day)
	if !sc.All {
		dq = dq.Where("dd.site_id IN (?)", bun.List(sc.Sites))
	}
	if siteID != "" {
		dq = dq.Where("dd.site_id = ?", siteID)
	}
	if err := dq.GroupExpr("dd.metric").Scan(ctx, &daily); err != nil {
		return nil, err
	}
	for _, d := range daily {
		switch {
		case len(d.Metric) > 8 && d.Metric[:8] == "mail_in_":
			c.InToday += d.N
		case len(d.Metric) > 5 && d.Metric[:5] == "mail_":
			c.OutToday += d.N
		}
	}
	return c, nil
}
