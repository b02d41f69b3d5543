package guide

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"parcours/internal/platform/clock"
	"parcours/internal/platform/db"
	"parcours/internal/platform/web"
)

// Search is a public search: words and filters, as the URL carries them.
type Search struct {
	Query    string
	Terms    []string
	Category string
	OpenNow  bool
	Spoken   string
	Free     bool
	NoPapers bool
	Who      string
	Access   string
	Arr      int
	Near     *Position
	Page     int
}

// Filter choices.
var (
	WhoChoices    = []string{"men", "women", "families", "minors"}
	AccessChoices = []string{"walk_in", "appointment", "referral"}
)

// Limits of a search.
const (
	MaxQuery = 100
	MaxTerms = 8
	MaxPage  = 500
	PageSize = 20
)

// ParseQuery splits a search text into normalised terms: at most MaxTerms,
// no duplicates, single letters dropped except ideographs.
func ParseQuery(s string) []string {
	s = web.Clean(s)
	if utf8.RuneCountInString(s) > MaxQuery {
		s = string([]rune(s)[:MaxQuery])
	}
	var terms []string
	for _, f := range strings.Fields(Normalize(s)) {
		if utf8.RuneCountInString(f) < 2 {
			r, _ := utf8.DecodeRuneInString(f)
			if !unicode.Is(unicode.Han, r) {
				continue
			}
		}
		if !slices.Contains(terms, f) {
			terms = append(terms, f)
		}
		if len(terms) == MaxTerms {
			break
		}
	}
	return terms
}

// ParseSearch reads a search from URL parameters. Values out of their
// choices are dropped and reported (parameter -> message ID), so a
// hand-made or stale link still shows results.
func ParseSearch(v url.Values) (Search, map[string]string) {
	bad := map[string]string{}
	q := Search{Query: web.Clean(v.Get("q")), Page: 1}
	if utf8.RuneCountInString(q.Query) > MaxQuery {
		q.Query = web.Clean(string([]rune(q.Query)[:MaxQuery]))
		bad["q"] = "guide.search.too_long"
	}
	q.Terms = ParseQuery(q.Query)
	if c := v.Get("cat"); c != "" {
		if _, ok := CategoryBySlug(c); ok {
			q.Category = c
		} else {
			bad["cat"] = "common.form.invalid_choice"
		}
	}
	if l := v.Get("spoken"); l != "" {
		if _, ok := SpokenByCode(l); ok {
			q.Spoken = l
		} else {
			bad["spoken"] = "common.form.invalid_choice"
		}
	}
	choice := func(name string, allowed []string) string {
		x := v.Get(name)
		if x != "" && !slices.Contains(allowed, x) {
			bad[name] = "common.form.invalid_choice"
			return ""
		}
		return x
	}
	q.Who, q.Access = choice("who", WhoChoices), choice("access", AccessChoices)
	q.OpenNow, q.Free, q.NoPapers = v.Get("open") == "1", v.Get("free") == "1", v.Get("nopapers") == "1"
	if a := v.Get("arr"); a != "" {
		n, err := strconv.Atoi(a)
		if err != nil || n < 1 || n > 20 {
			bad["arr"] = "common.form.invalid_choice"
		} else {
			q.Arr = n
		}
	}
	if n := v.Get("near"); n != "" {
		lat, lon, ok := strings.Cut(n, ",")
		la, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
		lo, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
		p := Position{la, lo}
		if !ok || err1 != nil || err2 != nil || !p.valid() {
			bad["near"] = "guide.search.near_invalid"
		} else {
			q.Near = &p
		}
	}
	if p := v.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > MaxPage {
			bad["page"] = "common.form.invalid_choice"
		} else {
			q.Page = n
		}
	}
	return q, bad
}

// Values writes the search back as URL parameters (page excluded).
func (q Search) Values() url.Values {
	v := url.Values{}
	set := func(k, x string) {
		if x != "" {
			v.Set(k, x)
		}
	}
	set("q", q.Query)
	set("cat", q.Category)
	set("spoken", q.Spoken)
	set("who", q.Who)
	set("access", q.Access)
	if q.OpenNow {
		v.Set("open", "1")
	}
	if q.Free {
		v.Set("free", "1")
	}
	if q.NoPapers {
		v.Set("nopapers", "1")
	}
	if q.Arr > 0 {
		v.Set("arr", strconv.Itoa(q.Arr))
	}
	if q.Near != nil {
		v.Set("near", fmt.Sprintf("%.3f,%.3f", q.Near.Lat, q.Near.Lon))
	}
	return v
}

// Empty reports whether the search has neither words nor filters.
func (q Search) Empty() bool { return len(q.Values()) == 0 }

// Hit is a service in a result list.
type Hit struct {
	Service          Service
	OrganizationName string
	Demo             bool
	Locations        []Location
	Status           Status
	// Km is the distance to the searcher (near me), -1 when unknown;
	// Approx tells it is to the arrondissement, not the door.
	Km     float64
	Approx bool
}

// Results is a page of hits.
type Results struct {
	Hits       []Hit
	Page       int
	More       bool
	OwnerIDs   []string
	Categories map[string][]Category
}

// hitColumns are the service's columns a result needs (not its search
// text, the longest).
const hitColumns = "svc.id, svc.org_id, svc.organization_id, svc.status, svc.name, svc.free, svc.no_papers, svc.checked_on, svc.created_at, svc.updated_at"

type hitRow struct {
	Service
	OrganizationName string `bun:"organization_name"`
	Demo             bool   `bun:"demo"`
	// NearLocation is the place the row was found by ("near me").
	NearLocation string `bun:"near_location,scanonly"`
}

// filters returns the WHERE terms of a search (published services,
// words, filters), to apply to a query on guide_services AS svc.
func (s *Store) filters(q Search, now time.Time) func(*bun.SelectQuery) *bun.SelectQuery {
	return func(sel *bun.SelectQuery) *bun.SelectQuery {
		sel = sel.Where("svc.status = ?", Published)
		for _, t := range q.Terms {
			// A word matches the service's texts, or the name of one of its
			// categories in any language.
			like := "%" + db.LikeEscape(t) + "%"
			if cats := s.categoriesNamed(t); len(cats) > 0 {
				sel = sel.Where("(svc.search_text LIKE ? ESCAPE '\\' OR svc.id IN (SELECT service_id FROM guide_service_categories WHERE term_id IN (?)))",
					like, bun.List(cats))
			} else {
				sel = sel.Where("svc.search_text LIKE ? ESCAPE '\\'", like)
			}
		}
		// Selective filters as IN (subquery), so that the database can start
		// from them rather than walk every service.
		if c, ok := CategoryBySlug(q.Category); ok {
			sel = sel.Where("svc.id IN (SELECT service_id FROM guide_service_categories WHERE term_id = ?)", c.ID)
		}
		if q.Spoken != "" {
			sel = sel.Where("svc.id IN (SELECT service_id FROM guide_languages WHERE code = ?)", q.Spoken)
		}
		if q.Free {
			sel = sel.Where("svc.free")
		}
		if q.NoPapers {
			sel = sel.Where("svc.no_papers")
		}
		if q.Who != "" {
			sel = sel.Where("svc.welcome_" + q.Who) // one of WhoChoices
		}
		if q.Access != "" {
			sel = sel.Where("svc." + q.Access) // one of AccessChoices
		}
		if q.Arr > 0 {
			sel = sel.Where(`EXISTS (SELECT 1 FROM guide_service_at_locations AS sl JOIN guide_locations AS loc ON loc.id = sl.location_id
				WHERE sl.service_id = svc.id AND loc.arrondissement = ?)`, q.Arr)
		}
		if q.OpenNow {
			sel = openNow(sel, now)
		}
		return sel
	}
}

// Search runs a public search over the published services of every centre,
// one page at a time.
func (s *Store) Search(ctx context.Context, q Search) (*Results, error) {
	now := s.Clock.Now()
	where := s.filters(q, now)
	sel := where(s.DB.R.NewSelect().TableExpr("guide_services AS svc").
		ColumnExpr(hitColumns).ColumnExpr("gorg.name AS organization_name").ColumnExpr("o.demo AS demo").
		Join("JOIN guide_organizations AS gorg ON gorg.id = svc.organization_id").
		Join("JOIN orgs AS o ON o.id = svc.org_id"))
	res := &Results{Page: q.Page}
	skip := (q.Page - 1) * PageSize
	var rows []hitRow
	var err error
	if q.Near != nil {
		rows, err = s.nearest(ctx, sel, where, q, skip+PageSize+1)
		rows = rows[min(skip, len(rows)):]
	} else {
		err = sel.OrderExpr("svc.name, svc.id").Limit(PageSize+1).Offset(int64(skip)).Scan(ctx, &rows)
	}
	if err != nil {
		return nil, err
	}
	if len(rows) > PageSize {
		rows, res.More = rows[:PageSize], true
	}
	return res, s.fillHits(ctx, res, rows, q.Near, now)
}

// categoriesNamed lists the categories whose name, in any served
// language, contains the (normalised) word.
func (s *Store) categoriesNamed(word string) []string {
	s.labelsOnce.Do(func() {
		s.labels = map[string]string{}
		for _, c := range Categories {
			if s.Labels != nil {
				s.labels[c.ID] = " " + Normalize(strings.Join(s.Labels("guide.cat."+c.Slug), " ")) + " "
			}
		}
	})
	var out []string
	for _, c := range Categories {
		if strings.Contains(s.labels[c.ID], word) {
			out = append(out, c.ID)
		}
	}
	return out
}

// nearChunk is how many places "near me" without filters reads first.
const nearChunk = 25

// nearest returns the first n services of sel by distance from q.Near,
// services without a known place last, by name. There are far fewer places
// than services, so the places are sorted by distance in Go; then:
//   - without other filters, the services of the nearest places are read,
//     in growing chunks of places, until n are found;
//   - with filters, the (service, place) pairs of the services that pass
//     them are read at once and ranked, and the first n services loaded.
//
// (Sorting every service by a distance computed in SQL took 25 to 40 ms
// over 10,000 services; each way here takes a few.)
func (s *Store) nearest(ctx context.Context, sel *bun.SelectQuery, where func(*bun.SelectQuery) *bun.SelectQuery, q Search, n int) ([]hitRow, error) {
	var locs []Location
	if err := s.DB.R.NewSelect().Model(&locs).Column("id", "latitude", "longitude", "arrondissement").
		Where("latitude IS NOT NULL OR arrondissement > 0").Scan(ctx); err != nil {
		return nil, err
	}
	dist := make(map[string]float64, len(locs))
	for _, l := range locs {
		at, _, _ := l.Where()
		dist[l.ID] = q.Near.KmTo(at)
	}
	others := q
	others.Near, others.Query, others.Terms = nil, "", nil
	var out []hitRow
	var err error
	if others.Empty() {
		out, err = nearestPlaces(ctx, sel, locs, dist, n)
	} else {
		out, err = s.nearestAmong(ctx, sel, where, dist, n)
	}
	if err != nil || len(out) >= n {
		return out, err
	}
	var rest []hitRow
	err = sel.Clone().Where(`NOT EXISTS (SELECT 1 FROM guide_service_at_locations AS sl JOIN guide_locations AS loc ON loc.id = sl.location_id
		WHERE sl.service_id = svc.id AND (loc.latitude IS NOT NULL OR loc.arrondissement > 0))`).
		OrderExpr("svc.name, svc.id").Limit(int64(n-len(out))).Scan(ctx, &rest)
	return append(out, rest...), err
}

// nearestPlaces reads the services of the nearest places, chunk by chunk.
func nearestPlaces(ctx context.Context, sel *bun.SelectQuery, locs []Location, dist map[string]float64, n int) ([]hitRow, error) {
	slices.SortFunc(locs, func(a, b Location) int { return cmp.Compare(dist[a.ID], dist[b.ID]) })
	var out []hitRow
	seen := map[string]bool{}
	for start, size := 0, nearChunk; start < len(locs) && len(out) < n; start, size = start+size, size*2 {
		ids := make([]string, 0, size)
		for _, l := range locs[start:min(start+size, len(locs))] {
			ids = append(ids, l.ID)
		}
		var chunk []hitRow
		if err := sel.Clone().ColumnExpr("sl.location_id AS near_location").
			Join("JOIN guide_service_at_locations AS sl ON sl.service_id = svc.id").
			Where("sl.location_id IN (?)", bun.List(ids)).Scan(ctx, &chunk); err != nil {
			return nil, err
		}
		slices.SortFunc(chunk, func(a, b hitRow) int {
			return cmp.Or(cmp.Compare(dist[a.NearLocation], dist[b.NearLocation]), strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
		})
		for _, r := range chunk {
			if !seen[r.ID] {
				seen[r.ID] = true
				out = append(out, r)
			}
		}
	}
	return out[:min(n, len(out))], nil
}

// nearestAmong ranks the services that pass the filters by their nearest
// known place.
func (s *Store) nearestAmong(ctx context.Context, sel *bun.SelectQuery, where func(*bun.SelectQuery) *bun.SelectQuery, dist map[string]float64, n int) ([]hitRow, error) {
	var pairs []struct {
		ServiceID  string `bun:"service_id"`
		LocationID string `bun:"location_id"`
		Name       string `bun:"name"`
	}
	ids := where(s.DB.R.NewSelect().TableExpr("guide_services AS svc").Column("svc.id"))
	if err := s.DB.R.NewSelect().TableExpr("guide_service_at_locations AS sl").ColumnExpr("sl.service_id, sl.location_id, svc.name").
		Join("JOIN guide_services AS svc ON svc.id = sl.service_id").Where("sl.service_id IN (?)", ids).Scan(ctx, &pairs); err != nil {
		return nil, err
	}
	type ranked struct {
		id, name string
		km       float64
	}
	best := map[string]*ranked{}
	for _, p := range pairs {
		km, ok := dist[p.LocationID]
		if !ok {
			continue
		}
		if r := best[p.ServiceID]; r == nil || km < r.km {
			best[p.ServiceID] = &ranked{p.ServiceID, p.Name, km}
		}
	}
	order := make([]*ranked, 0, len(best))
	for _, r := range best {
		order = append(order, r)
	}
	slices.SortFunc(order, func(a, b *ranked) int {
		return cmp.Or(cmp.Compare(a.km, b.km), strings.Compare(a.name, b.name), strings.Compare(a.id, b.id))
	})
	order = order[:min(n, len(order))]
	if len(order) == 0 {
		return nil, nil
	}
	pos := make(map[string]int, len(order))
	want := make([]string, len(order))
	for i, r := range order {
		pos[r.id], want[i] = i, r.id
	}
	var rows []hitRow
	if err := sel.Clone().Where("svc.id IN (?)", bun.List(want)).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	slices.SortFunc(rows, func(a, b hitRow) int { return pos[a.ID] - pos[b.ID] })
	return rows, nil
}

func hitIDs(rows []hitRow) []string {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return ids
}

// openNow keeps the services open at now: the rule of Hours.On and
// Hours.StatusAt, in SQL (TestOpenNowSQLMatchesGo checks they agree). A
// slot or special hours with closes_at <= opens_at run past midnight.
func openNow(sel *bun.SelectQuery, now time.Time) *bun.SelectQuery {
	today := DateOf(now)
	yesterday := today.AddDate(0, 0, -1)
	hm := Clock(minuteOf(now))
	// applies: slot s holds on day d (no exception that day; its season,
	// or the regular week when no season covers d).
	applies := func(d time.Time) (string, []any) {
		return `NOT EXISTS (SELECT 1 FROM guide_exceptions AS x WHERE x.service_id = s.service_id AND x.starts_on <= ? AND x.ends_on >= ?)
			AND ((s.valid_from IS NULL AND NOT EXISTS (SELECT 1 FROM guide_schedules AS p WHERE p.service_id = s.service_id AND p.valid_from <= ? AND p.valid_to >= ?))
				OR (s.valid_from <= ? AND s.valid_to >= ?))`, []any{d, d, d, d, d, d}
	}
	// special: exception e gives hours on day d, and no closure covers d.
	special := func(d time.Time) (string, []any) {
		return `NOT e.closed AND e.starts_on <= ? AND e.ends_on >= ?
			AND NOT EXISTS (SELECT 1 FROM guide_exceptions AS c WHERE c.service_id = e.service_id AND c.closed AND c.starts_on <= ? AND c.ends_on >= ?)`,
			[]any{d, d, d, d}
	}
	aToday, argsToday := applies(today)
	aYest, argsYest := applies(yesterday)
	sToday, sArgsToday := special(today)
	sYest, sArgsYest := special(yesterday)
	args := []any{isoWeekday(today), hm, hm}
	args = append(args, argsToday...)
	args = append(args, isoWeekday(yesterday), hm)
	args = append(args, argsYest...)
	args = append(args, hm, hm)
	args = append(args, sArgsToday...)
	args = append(args, hm)
	args = append(args, sArgsYest...)
	return sel.Where(`(EXISTS (SELECT 1 FROM guide_schedules AS s WHERE s.service_id = svc.id AND (
			(s.weekday = ? AND s.opens_at <= ? AND (s.closes_at > ? OR s.closes_at <= s.opens_at) AND `+aToday+`)
			OR (s.weekday = ? AND s.closes_at <= s.opens_at AND s.closes_at > ? AND `+aYest+`)))
		OR EXISTS (SELECT 1 FROM guide_exceptions AS e WHERE e.service_id = svc.id AND (
			(e.opens_at <= ? AND (e.closes_at > ? OR e.closes_at <= e.opens_at) AND `+sToday+`)
			OR (e.closes_at <= e.opens_at AND e.closes_at > ? AND `+sYest+`))))`, args...)
}

// fillHits loads what the result cards show.
func (s *Store) fillHits(ctx context.Context, res *Results, rows []hitRow, near *Position, now time.Time) error {
	ids := hitIDs(rows)
	hours, err := hoursFor(ctx, s.DB.R, ids)
	if err != nil {
		return err
	}
	locs := map[string][]Location{}
	if len(ids) > 0 {
		var lr []struct {
			Location
			ServiceID string `bun:"service_id"`
		}
		if err := s.DB.R.NewSelect().TableExpr("guide_locations AS loc").ColumnExpr("loc.*, sl.service_id").
			Join("JOIN guide_service_at_locations AS sl ON sl.location_id = loc.id").
			Where("sl.service_id IN (?)", bun.List(ids)).OrderExpr("loc.name").Scan(ctx, &lr); err != nil {
			return err
		}
		for _, l := range lr {
			locs[l.ServiceID] = append(locs[l.ServiceID], l.Location)
		}
		var cats []CategoryRow
		if err := s.DB.R.NewSelect().Model(&cats).Where("service_id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
			return err
		}
		res.Categories = map[string][]Category{}
		for _, c := range cats {
			if cat, ok := categoryByID(c.TermID); ok {
				res.Categories[c.ServiceID] = append(res.Categories[c.ServiceID], cat)
			}
		}
	}
	for _, r := range rows {
		h := Hit{Service: r.Service, OrganizationName: r.OrganizationName, Demo: r.Demo, Locations: locs[r.ID],
			Status: hours[r.ID].StatusAt(now), Km: -1}
		if near != nil {
			for _, l := range h.Locations {
				if p, exact, ok := l.Where(); ok {
					if km := near.KmTo(p); h.Km < 0 || km < h.Km {
						h.Km, h.Approx = km, !exact
					}
				}
			}
		}
		res.Hits = append(res.Hits, h)
		res.OwnerIDs = append(res.OwnerIDs, r.ID)
	}
	return nil
}

func minuteOf(t time.Time) int {
	p := t.In(clock.Paris)
	return p.Hour()*60 + p.Minute()
}
