package guide

import (
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

type hitRow struct {
	Service
	OrganizationName string `bun:"organization_name"`
	Demo             bool   `bun:"demo"`
}

// Search runs a public search over the published services of every centre.
// Open-now is decided in Go on the rows a SQL pre-filter keeps (a slot on
// today's or yesterday's weekday), in batches until the page is full.
func (s *Store) Search(ctx context.Context, q Search) (*Results, error) {
	now := s.Clock.Now()
	sel := s.DB.R.NewSelect().TableExpr("guide_services AS svc").
		ColumnExpr("svc.*").ColumnExpr("gorg.name AS organization_name").ColumnExpr("o.demo AS demo").
		Join("JOIN guide_organizations AS gorg ON gorg.id = svc.organization_id").
		Join("JOIN orgs AS o ON o.id = svc.org_id").
		Where("svc.status = ?", Published)
	for _, t := range q.Terms {
		sel = sel.Where("svc.search_text LIKE ? ESCAPE '\\'", "%"+db.LikeEscape(t)+"%")
	}
	if c, ok := CategoryBySlug(q.Category); ok {
		sel = sel.Where("EXISTS (SELECT 1 FROM guide_service_categories AS c WHERE c.service_id = svc.id AND c.term_id = ?)", c.ID)
	}
	if q.Spoken != "" {
		sel = sel.Where("EXISTS (SELECT 1 FROM guide_languages AS l WHERE l.service_id = svc.id AND l.code = ?)", q.Spoken)
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
		sel = openPrefilter(sel, now)
	}
	if q.Near != nil {
		dist := fmt.Sprintf("(SELECT MIN((%s - %f) * (%s - %f) + (%s - %f) * (%s - %f) * 0.43) FROM guide_service_at_locations AS sl JOIN guide_locations AS loc ON loc.id = sl.location_id WHERE sl.service_id = svc.id)",
			sqlPosition("latitude", 0), q.Near.Lat, sqlPosition("latitude", 0), q.Near.Lat,
			sqlPosition("longitude", 1), q.Near.Lon, sqlPosition("longitude", 1), q.Near.Lon)
		sel = sel.OrderExpr("COALESCE(" + dist + ", 1000000), svc.name, svc.id")
	} else {
		sel = sel.OrderExpr("svc.name, svc.id")
	}
	skip := (q.Page - 1) * PageSize
	res := &Results{Page: q.Page}
	var rows []hitRow
	if !q.OpenNow {
		if err := sel.Limit(PageSize+1).Offset(int64(skip)).Scan(ctx, &rows); err != nil {
			return nil, err
		}
	} else {
		// Walk the candidates in order, keeping the open ones.
		const batch = 200
		matched := 0
		for off := 0; len(rows) <= PageSize; off += batch {
			var cand []hitRow
			if err := sel.Limit(batch).Offset(int64(off)).Scan(ctx, &cand); err != nil {
				return nil, err
			}
			hours, err := hoursFor(ctx, s.DB.R, hitIDs(cand))
			if err != nil {
				return nil, err
			}
			for _, c := range cand {
				if !hours[c.ID].StatusAt(now).Open {
					continue
				}
				if matched >= skip && len(rows) <= PageSize {
					rows = append(rows, c)
				}
				matched++
			}
			if len(cand) < batch {
				break
			}
		}
	}
	if len(rows) > PageSize {
		rows, res.More = rows[:PageSize], true
	}
	return res, s.fillHits(ctx, res, rows, q.Near, now)
}

func hitIDs(rows []hitRow) []string {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return ids
}

// openPrefilter keeps services with a slot on today's weekday that has
// begun, or one of yesterday's that runs past midnight, or an exception
// with hours today: a superset of the open ones.
func openPrefilter(sel *bun.SelectQuery, now time.Time) *bun.SelectQuery {
	today := DateOf(now)
	wd, yd := isoWeekday(today), isoWeekday(today.AddDate(0, 0, -1))
	hm := Clock(minuteOf(now))
	return sel.Where(`(EXISTS (SELECT 1 FROM guide_schedules AS s WHERE s.service_id = svc.id AND
			((s.weekday = ? AND s.opens_at <= ?) OR (s.weekday = ? AND s.closes_at <= s.opens_at AND s.closes_at > ?)))
		OR EXISTS (SELECT 1 FROM guide_exceptions AS e WHERE e.service_id = svc.id AND NOT e.closed AND e.starts_on <= ? AND e.ends_on >= ?))`,
		wd, hm, yd, hm, today.AddDate(0, 0, 1), today.AddDate(0, 0, -1))
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
		var cats []serviceCategory
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
