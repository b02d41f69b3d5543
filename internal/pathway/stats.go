package pathway

import (
	"context"
	"math"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/auth"
)

// Delay is the time from submission to decision for one right at one site
// ("" for every site): the number of decided applications, the median and
// the 90th percentile in days (nearest rank).
type Delay struct {
	Right  string
	SiteID string
	N      int
	Median int
	P90    int
	// Small: fewer applications than SmallN; the figures are fragile and
	// must not be published as they are.
	Small bool
}

// SmallN is the count under which a delay is flagged as small (the
// publication rule of the research note: rates and medians on fewer than
// 50 are not published).
const SmallN = 50

// Percentile returns the p-th percentile (0 < p <= 100) of sorted values by
// the nearest-rank method: the smallest value such that at least p % of the
// values are at most it.
func Percentile(sorted []int, p float64) int {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// DelayFilter selects the applications counted: decided between From and
// To (inclusive dates).
type DelayFilter struct {
	From, To time.Time
}

// Delays computes the delays per right and per site, and per right for all
// the sites the user sees, over the applications decided in the period
// (with both dates known). Managers see their sites; centre-wide roles the
// whole centre.
func (s *Service) Delays(ctx context.Context, p *auth.Principal, f DelayFilter) ([]Delay, error) {
	sc := p.ScopeOf(auth.PermPathwayStats)
	if sc.Empty() {
		return nil, apperr.ErrForbidden
	}
	var rows []struct {
		Right       string    `bun:"right_id"`
		SiteID      string    `bun:"site_id"`
		SubmittedOn time.Time `bun:"submitted_on"`
		DecidedOn   time.Time `bun:"decided_on"`
	}
	q := s.DB.R.NewSelect().Model((*Application)(nil)).Column("right_id", "site_id", "submitted_on", "decided_on").
		Where("ap.org_id = ? AND ap.submitted_on IS NOT NULL AND ap.decided_on IS NOT NULL AND ap.decided_on >= ? AND ap.decided_on <= ?",
			p.OrgID, f.From, f.To)
	if !sc.All {
		q = q.Where("ap.site_id IN (?)", bun.List(sc.Sites))
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, err
	}
	type key struct{ right, site string }
	groups := map[key][]int{}
	for _, r := range rows {
		d := int(r.DecidedOn.Sub(r.SubmittedOn).Hours() / 24)
		groups[key{r.Right, r.SiteID}] = append(groups[key{r.Right, r.SiteID}], d)
		groups[key{r.Right, ""}] = append(groups[key{r.Right, ""}], d)
	}
	out := make([]Delay, 0, len(groups))
	for k, ds := range groups {
		slices.Sort(ds)
		out = append(out, Delay{Right: k.right, SiteID: k.site, N: len(ds), Median: Percentile(ds, 50), P90: Percentile(ds, 90), Small: len(ds) < SmallN})
	}
	order := ApplicationRights()
	slices.SortFunc(out, func(a, b Delay) int {
		if c := slices.Index(order, a.Right) - slices.Index(order, b.Right); c != 0 {
			return c
		}
		if (a.SiteID == "") != (b.SiteID == "") {
			if a.SiteID == "" {
				return -1
			}
			return 1
		}
		if a.SiteID < b.SiteID {
			return -1
		}
		if a.SiteID > b.SiteID {
			return 1
		}
		return 0
	})
	return out, nil
}
