package people

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/web"
)

// Query is a search of files: a name in any spelling or script, a date or
// year of birth, a phone number; every part given must match.
type Query struct {
	Name  string
	Birth string // "2026-11-25", "25/11/1990" or "1990"
	Phone string
	// Prefix matches the last word of the name as a beginning (type-ahead).
	Prefix bool
	Limit  int
}

// maxQueryKeys bounds the words of a search.
const maxQueryKeys = 4

// highKey is above every key (keys are valid UTF-8).
const highKey = "\U0010FFFF"

// ParseBirth reads a date or a year of birth.
func ParseBirth(s string) (date *time.Time, year int, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, 0, true
	}
	if len(s) == 4 {
		y, err := strconv.Atoi(s)
		if err != nil || y < 1900 || y > 2100 {
			return nil, 0, false
		}
		return nil, y, true
	}
	t, ok := web.ParseDate(s)
	if !ok {
		return nil, 0, false
	}
	return &t, t.Year(), true
}

// Search finds the files the user may open. An empty query returns nothing.
func (s *Service) Search(ctx context.Context, p *auth.Principal, q Query) ([]Person, error) {
	if p == nil || !p.Can(auth.PermPersonRead) {
		return nil, apperr.ErrForbidden
	}
	keys := QueryKeys(q.Name)
	if len(keys) > maxQueryKeys {
		keys = keys[:maxQueryKeys]
	}
	date, year, ok := ParseBirth(q.Birth)
	if !ok {
		return nil, apperr.Validation(map[string]string{"birth": "common.form.date_invalid"})
	}
	phone := ""
	if strings.TrimSpace(q.Phone) != "" {
		var ok bool
		if phone, ok = ParsePhone(q.Phone); !ok {
			return nil, apperr.Validation(map[string]string{"phone": "people.error.phone_invalid"})
		}
	}
	if len(keys) == 0 && year == 0 && phone == "" {
		return nil, nil
	}
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = 30
	}
	var out []Person
	sel := s.DB.R.NewSelect().Model(&out).Where("p.org_id = ? AND p.merged_into = '' AND p.anonymised_at IS NULL", p.OrgID)
	keyCond := func(sq *bun.SelectQuery, col string, i int) *bun.SelectQuery {
		if q.Prefix && i == len(keys)-1 {
			return sq.Where(col+" >= ? AND "+col+" < ?", keys[i], keys[i]+highKey)
		}
		return sq.Where(col+" = ?", keys[i])
	}
	if len(keys) > 0 {
		// The first word's keys drive, in key order (exact matches of a
		// prefix come first), then the file: the first matches in the
		// user's files are read, never every file of a common name. SQLite
		// would otherwise start from the user's sites.
		join := "person_name_keys AS k JOIN persons AS p ON p.id = k.person_id"
		if s.DB.Engine == db.SQLite {
			join = "person_name_keys AS k CROSS JOIN persons AS p ON p.id = k.person_id"
		}
		sel = keyCond(sel.ModelTableExpr(join).Where("k.org_id = ?", p.OrgID), "k.name_key", 0)
	}
	for i := 1; i < len(keys); i++ {
		sub := keyCond(s.DB.R.NewSelect().Table("person_name_keys").Column("person_id").Where("org_id = ?", p.OrgID), "name_key", i)
		sel = sel.Where("p.id IN (?)", sub)
	}
	switch {
	case date != nil:
		sel = sel.Where("(p.birth_date = ? OR (p.birth_date IS NULL AND p.birth_year BETWEEN ? AND ?))", *date, year-2, year+2)
	case year != 0:
		sel = sel.Where("p.birth_year BETWEEN ? AND ?", year-1, year+1)
	}
	if phone != "" {
		sel = sel.Where("p.phone = ?", phone)
	}
	sel = s.scope(sel, p)
	if len(keys) == 0 {
		err := sel.Order("p.sort_name", "p.id").Limit(int64(q.Limit)).Scan(ctx)
		return out, err
	}
	// A file may match twice (two keys under a prefix): read a little more,
	// keep each once, then sort by name.
	if err := sel.OrderExpr("k.name_key, k.birth_year, k.person_id").Limit(int64(2 * q.Limit)).Scan(ctx); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	out = slices.DeleteFunc(out, func(per Person) bool {
		dup := seen[per.ID]
		seen[per.ID] = true
		return dup
	})
	if len(out) > q.Limit {
		out = out[:q.Limit]
	}
	slices.SortFunc(out, func(a, b Person) int {
		if c := strings.Compare(a.SortName, b.SortName); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// scope restricts a query on "persons AS p" to the files the user may open.
func (s *Service) scope(q *bun.SelectQuery, p *auth.Principal) *bun.SelectQuery {
	sc := p.ScopeOf(auth.PermPersonRead)
	if sc.All {
		return q
	}
	return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		if len(sc.Sites) > 0 {
			q = q.WhereOr("p.site_id IN (?)", bun.List(sc.Sites))
			q = q.WhereOr("p.id IN (SELECT person_id FROM person_shares WHERE org_id = ? AND kind = 'site' AND site_id IN (?) AND ended_at IS NULL AND ends_on >= ?)",
				p.OrgID, bun.List(sc.Sites), s.today())
		}
		q = q.WhereOr("p.referent_id = ?", p.UserID)
		q = q.WhereOr("p.id IN (SELECT person_id FROM person_team WHERE org_id = ? AND user_id = ?)", p.OrgID, p.UserID)
		return q
	})
}

// Candidate is a possible duplicate of a new file.
type Candidate struct {
	// Person is the file, when the user may open it; otherwise only the
	// site and the year of birth are told (Hidden).
	Person    *Person
	Hidden    bool
	SiteID    string
	BirthYear int
	// Reason is why it matched: "name_birth", "name" or "phone"; its label
	// is "people.duplicates.reason.<reason>".
	Reason string
}

// maxCandidates bounds the duplicates shown.
const maxCandidates = 10

// Duplicates finds the files of the centre that may be the same person as
// in: the same names in any spelling (given and family names, in either
// order) with a compatible birth, or the same phone. Files the user may not
// open are returned Hidden. except excludes one file (itself, on update).
func (s *Service) Duplicates(ctx context.Context, p *auth.Principal, in Input, except string) ([]Candidate, error) {
	given := unionKeys(in.GivenName, in.GivenLatin)
	family := unionKeys(in.FamilyName, in.FamilyLatin)
	year := in.BirthYear
	if in.BirthDate != nil {
		year = in.BirthDate.Year()
	}
	var ids []string
	if len(given) > 0 || len(family) > 0 {
		all := append(slices.Clone(given), family...)
		q := s.DB.R.NewSelect().Table("person_name_keys").Column("person_id").
			Where("org_id = ? AND name_key IN (?)", p.OrgID, bun.List(all)).Group("person_id")
		if year != 0 {
			// Only the years a duplicate may have (see matchReason), and
			// the files without a year: each (key, year) is one index seek.
			q = q.Where("birth_year IN (?)", bun.List([]int{0, year - 2, year - 1, year, year + 1, year + 2}))
		}
		if len(given) > 0 {
			q = q.Having("MAX(CASE WHEN name_key IN (?) THEN 1 ELSE 0 END) = 1", bun.List(given))
		}
		if len(family) > 0 {
			q = q.Having("MAX(CASE WHEN name_key IN (?) THEN 1 ELSE 0 END) = 1", bun.List(family))
		}
		if err := q.Limit(200).Scan(ctx, &ids); err != nil {
			return nil, err
		}
	}
	// By primary key, then by phone, each by its own index.
	found, err := s.byIDs(ctx, p.OrgID, ids)
	if err != nil {
		return nil, err
	}
	if in.Phone != "" {
		var same []Person
		if err := s.DB.R.NewSelect().Model(&same).Where("p.org_id = ? AND p.phone = ?", p.OrgID, in.Phone).Limit(50).Scan(ctx); err != nil {
			return nil, err
		}
		for _, per := range same {
			if !slices.ContainsFunc(found, func(f Person) bool { return f.ID == per.ID }) {
				found = append(found, per)
			}
		}
	}
	found = slices.DeleteFunc(found, func(per Person) bool { return per.MergedInto != "" || per.Anonymised() || per.ID == except })
	slices.SortFunc(found, func(a, b Person) int { return strings.Compare(a.SortName, b.SortName) })
	var out []Candidate
	var pers []*Person
	for i := range found {
		per := &found[i]
		reason := matchReason(per, in, slices.Contains(ids, per.ID))
		if reason == "" {
			continue
		}
		out = append(out, Candidate{Reason: reason, SiteID: per.SiteID, BirthYear: per.BirthYear})
		pers = append(pers, per)
	}
	order := make([]int, len(out))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return reasonRank(out[a].Reason) - reasonRank(out[b].Reason) })
	if len(order) > maxCandidates {
		order = order[:maxCandidates]
	}
	// Access is computed for the candidates shown only.
	shown := make([]Candidate, 0, len(order))
	for _, i := range order {
		c, per := out[i], pers[i]
		a, err := s.AccessTo(ctx, s.DB.R, p, per)
		if err != nil {
			return nil, err
		}
		if a.Read {
			a.mask(per)
			c.Person = per
		} else {
			c.Hidden = true
		}
		shown = append(shown, c)
	}
	return shown, nil
}

func reasonRank(r string) int {
	switch r {
	case "name_birth":
		return 0
	case "phone":
		return 1
	}
	return 2
}

// matchReason tells why a found file may be the same person, or "" when
// the birth dates say it is not.
func matchReason(per *Person, in Input, names bool) string {
	if in.Phone != "" && per.Phone == in.Phone {
		return "phone"
	}
	if !names {
		return ""
	}
	switch {
	case in.BirthDate != nil && per.BirthDate != nil:
		if in.BirthDate.Equal(*per.BirthDate) {
			return "name_birth"
		}
		// Day and month swapped is a common typing slip.
		if in.BirthDate.Year() == per.BirthDate.Year() && int(in.BirthDate.Month()) == per.BirthDate.Day() &&
			in.BirthDate.Day() == int(per.BirthDate.Month()) {
			return "name_birth"
		}
		return ""
	case in.BirthYear != 0 && per.BirthYear != 0:
		d := in.BirthYear - per.BirthYear
		if d >= -2 && d <= 2 {
			return "name_birth"
		}
		return ""
	}
	return "name"
}

func unionKeys(names ...string) []string {
	var out []string
	for _, n := range names {
		for _, k := range NameKeys(n) {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}
