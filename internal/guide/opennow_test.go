package guide_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"parcours/internal/guide"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// TestOpenNowSQLMatchesGo: the "open now" filter (SQL) keeps exactly the
// services whose status (Go) is open, for random weekly, seasonal and
// overnight hours, closures and special hours, at random instants
// (midnights and the DST changes included).
func TestOpenNowSQLMatchesGo(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		ctx := context.Background()
		rng := rand.New(rand.NewPCG(7, 11))
		hhmm := func() string { return fmt.Sprintf("%02d:%02d", rng.IntN(24), 15*rng.IntN(4)) }
		day := func() time.Time { return time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(60)) }
		var ids []string
		for i := range 40 {
			sv := f.add(svc{in: guide.ServiceInput{Name: fmt.Sprintf("Service %02d", i)}})
			var slots []guide.SlotInput
			for range 1 + rng.IntN(6) {
				o, c := hhmm(), hhmm()
				if o == c {
					c = "24:00"
				}
				sl := guide.SlotInput{Weekday: 1 + rng.IntN(7), Opens: o, Closes: c}
				if rng.IntN(3) == 0 {
					from := day()
					to := from.AddDate(0, 0, rng.IntN(20))
					sl.ValidFrom, sl.ValidTo = &from, &to
				}
				slots = append(slots, sl)
			}
			if err := f.S.SaveHours(ctx, f.p, sv.ID, slots); err != nil {
				t.Fatal(err)
			}
			for range rng.IntN(3) {
				from := day()
				to := from.AddDate(0, 0, rng.IntN(4))
				in := guide.ExceptionInput{StartsOn: &from, EndsOn: &to, Closed: rng.IntN(2) == 0, Opens: hhmm(), Closes: hhmm()}
				if in.Opens == in.Closes {
					in.Closes = "24:00"
				}
				if err := f.S.AddException(ctx, f.p, sv.ID, in); err != nil {
					t.Fatal(err)
				}
			}
			ids = append(ids, sv.ID)
		}
		instants := []time.Time{
			time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC), // DST change
			time.Date(2026, 11, 1, 23, 0, 0, 0, time.UTC), time.Date(2026, 11, 2, 23, 0, 0, 0, time.UTC), // Paris midnight
		}
		for range 60 {
			instants = append(instants, time.Date(2026, 10, 20, 0, 0, 0, 0, clock.Paris).Add(time.Duration(rng.IntN(60*24*4))*15*time.Minute))
		}
		for _, now := range instants {
			f.Clock.Set(now)
			var sqlOpen []string
			for page := 1; ; page++ {
				res, err := f.S.Search(ctx, guide.Search{OpenNow: true, Page: page})
				if err != nil {
					t.Fatal(err)
				}
				for _, h := range res.Hits {
					sqlOpen = append(sqlOpen, h.Service.ID)
					if !h.Status.Open {
						t.Errorf("%s: %s listed open but its status is closed", now.In(clock.Paris), h.Service.Name)
					}
				}
				if !res.More {
					break
				}
			}
			var goOpen []string
			for _, id := range ids {
				d, err := f.S.PublicService(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if d.Hours.StatusAt(now).Open {
					goOpen = append(goOpen, id)
				}
			}
			slices.Sort(sqlOpen)
			slices.Sort(goOpen)
			if !slices.Equal(sqlOpen, goOpen) {
				t.Errorf("at %s: SQL finds %d open, Go %d", now.In(clock.Paris).Format("2006-01-02 15:04 MST"), len(sqlOpen), len(goOpen))
			}
		}
	})
}
