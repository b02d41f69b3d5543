package pathway

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/people"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
)

// The observatory export is the anonymised statistics that leave the
// centre (for the migration observatory and researchers): per month, site
// and right, the number of persons who submitted an application, and the
// number whose right was granted. Unlike the centre's own indicators (the
// delays of stats.go, which count every decision), it counts only the
// persons whose consent to anonymised statistics (people.PurposeStatistics)
// is in force on the day of the export, and it masks small cells:
//
//   - a count from 1 to MinCell-1 is published as "< MinCell" (the
//     research note's rule: no count under 11 persons);
//   - there are no totals (per site, per right or overall), so that a
//     masked cell cannot be recovered by subtraction; the two counts of a
//     row are not additive either.
//
// Everything else about the person stays in the centre: the export holds
// no identifier, no date finer than the month.

// MinCell is the smallest count the observatory export publishes.
const MinCell = 11

// Cell is one published count.
type Cell struct {
	N int
	// Masked: 0 < N < MinCell, published as "< MinCell" (N is not shown).
	Masked bool
}

func cell(n int) Cell { return Cell{N: n, Masked: n > 0 && n < MinCell} }

// ObservatoryRow is a line of the export: a month ("2026-11"), a site, a
// right, and the persons counted.
type ObservatoryRow struct {
	Month     string
	SiteID    string
	Right     string
	Submitted Cell
	Granted   Cell
}

// Observatory computes the export for the applications submitted or
// granted between f.From and f.To, in the sites where the user reads the
// statistics. The export is written to the audit trail.
func (s *Service) Observatory(ctx context.Context, p *auth.Principal, f DelayFilter) ([]ObservatoryRow, error) {
	sc := p.ScopeOf(auth.PermPathwayStats)
	if sc.Empty() {
		return nil, apperr.ErrForbidden
	}
	today := s.today()
	var rows []struct {
		PersonID    string     `bun:"person_id"`
		Right       string     `bun:"right_id"`
		SiteID      string     `bun:"site_id"`
		SubmittedOn *time.Time `bun:"submitted_on"`
		DecidedOn   *time.Time `bun:"decided_on"`
		Outcome     string     `bun:"outcome"`
	}
	q := s.DB.R.NewSelect().Model((*Application)(nil)).Column("person_id", "right_id", "site_id", "submitted_on", "decided_on", "outcome").
		Where("ap.org_id = ?", p.OrgID).
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("ap.submitted_on >= ? AND ap.submitted_on <= ?", f.From, f.To).
				WhereOr("ap.outcome = 'granted' AND ap.decided_on >= ? AND ap.decided_on <= ?", f.From, f.To)
		}).
		// Only the persons who agreed, today, to be counted.
		Where(`EXISTS (SELECT 1 FROM person_consents AS c WHERE c.person_id = ap.person_id AND c.org_id = ap.org_id
			AND c.purpose = ? AND c.withdrawn_at IS NULL AND c.given_on <= ? AND (c.expires_on IS NULL OR c.expires_on >= ?))`,
			string(people.PurposeStatistics), today, today)
	if !sc.All {
		q = q.Where("ap.site_id IN (?)", bun.List(sc.Sites))
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, err
	}
	type key struct{ month, site, right string }
	submitted, granted := map[key]map[string]bool{}, map[key]map[string]bool{}
	add := func(m map[key]map[string]bool, k key, person string) {
		if m[k] == nil {
			m[k] = map[string]bool{}
		}
		m[k][person] = true
	}
	in := func(t *time.Time) bool { return t != nil && !t.Before(f.From) && !t.After(f.To) }
	for _, r := range rows {
		if in(r.SubmittedOn) {
			add(submitted, key{r.SubmittedOn.Format("2006-01"), r.SiteID, r.Right}, r.PersonID)
		}
		if r.Outcome == "granted" && in(r.DecidedOn) {
			add(granted, key{r.DecidedOn.Format("2006-01"), r.SiteID, r.Right}, r.PersonID)
		}
	}
	keys := map[key]bool{}
	for k := range submitted {
		keys[k] = true
	}
	for k := range granted {
		keys[k] = true
	}
	out := make([]ObservatoryRow, 0, len(keys))
	for k := range keys {
		out = append(out, ObservatoryRow{Month: k.month, SiteID: k.site, Right: k.right, Submitted: cell(len(submitted[k])), Granted: cell(len(granted[k]))})
	}
	order := ApplicationRights()
	slices.SortFunc(out, func(a, b ObservatoryRow) int {
		if c := strings.Compare(a.Month, b.Month); c != 0 {
			return c
		}
		if c := strings.Compare(a.SiteID, b.SiteID); c != 0 {
			return c
		}
		return slices.Index(order, a.Right) - slices.Index(order, b.Right)
	})
	return out, s.Audit.RecordNow(ctx, audit.Event{Action: "export.observatory", ObjectType: "statistics",
		Details: map[string]any{"from": f.From.Format(time.DateOnly), "to": f.To.Format(time.DateOnly), "rows": len(out)}})
}
