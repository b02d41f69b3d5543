package domicile_test

import (
	"context"
	"testing"
	"time"

	"parcours/internal/domicile"
	"parcours/internal/people"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// The desk lists today's last intakes of the user's sites, newest first,
// across sites for a user of every site (read site by site since the
// register holds millions of rows: docs/PERFORMANCE.md, "Domiciliation").
func TestTodayIntakesAcrossSites(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		s, ctx := f.s(), context.Background()
		fileA := f.domiciled(t, f.person(t, "Awa", "Diallo", "1990-01-01"))
		pa := f.p(f.admin)
		perB, _, err := f.App.People.Create(f.ctx(f.admin), pa, people.Input{SiteID: f.siteB.ID, GivenName: "Moussa", FamilyName: "Keita",
			MsgLang: "fr", HouseholdSize: 1}, people.CreateOptions{NotADuplicate: true})
		if err != nil {
			t.Fatal(err)
		}
		fileB, err := s.CreateRequest(f.ctx(f.admin), pa, domicile.RequestInput{PersonID: perB.ID, SiteID: f.siteB.ID})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SaveInterview(f.ctx(f.admin), pa, fileB.ID, domicile.Interview{Link: "residential", Cause: "eviction"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Decide(f.ctx(f.admin), pa, fileB.ID, domicile.DecisionInput{To: domicile.StatusValid}); err != nil {
			t.Fatal(err)
		}
		var ids []string // in the order of intake
		for _, in := range []struct {
			file  string
			agent string
		}{{fileA.ID, "a"}, {fileB.ID, "b"}, {fileA.ID, "a"}} {
			agent := f.p(f.reception)
			if in.agent == "b" {
				agent = f.p(f.receptionB)
			}
			m, _, err := s.Intake(f.ctx(f.reception), agent, domicile.IntakeInput{FileID: in.file, Kind: "letter", Quantity: 1})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, m.ID)
			f.Clock.Advance(time.Minute)
		}
		for _, c := range []struct {
			name  string
			limit int
			want  []string
		}{
			{"admin", 15, []string{ids[2], ids[1], ids[0]}},
			{"admin, 2", 2, []string{ids[2], ids[1]}},
		} {
			rows, err := s.TodayIntakes(ctx, pa, c.limit)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rows {
				got = append(got, r.Mail.ID)
			}
			if len(got) != len(c.want) {
				t.Fatalf("%s: %d rows, want %d", c.name, len(got), len(c.want))
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("%s: row %d is %s, want %s", c.name, i, got[i], c.want[i])
				}
			}
			if rows[0].Number == 0 || rows[0].Name == "" {
				t.Errorf("%s: the row names no file: %+v", c.name, rows[0])
			}
		}
		for u, want := range map[string][]string{"reception": {ids[2], ids[0]}, "receptionB": {ids[1]}} {
			usr := f.reception
			if u == "receptionB" {
				usr = f.receptionB
			}
			rows, err := s.TodayIntakes(ctx, f.p(usr), 15)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != len(want) {
				t.Fatalf("%s: %d rows, want %d", u, len(rows), len(want))
			}
			for i := range rows {
				if rows[i].Mail.ID != want[i] {
					t.Errorf("%s: row %d is %s, want %s", u, i, rows[i].Mail.ID, want[i])
				}
			}
		}
	})
}
