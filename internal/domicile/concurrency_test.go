package domicile_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"parcours/internal/domicile"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// Two desks hand over the same parcel at the same moment: the update is
// conditional on the parcel still being pending, so one wins and the other
// is told who took it and when; the parcel is handed over once, counted
// once.
func TestMailTwoDesksSameParcel(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		fl := f.domiciled(t, f.person(t, "Mariam", "Ahmadi", "1991-04-04"))
		m, _, err := f.s().Intake(f.ctx(f.reception), f.p(f.reception), domicile.IntakeInput{FileID: fl.ID, Kind: "parcel"})
		if err != nil {
			t.Fatal(err)
		}
		second := f.World.User(f.org, "accueil2@casvp.test", testMembership(f))
		desks := []*testkit.Browser{f.as(f.reception), f.as(second)}
		path := f.Server.URL + "/fr/domiciliation/files/" + fl.ID + "/mail/out"
		form := url.Values{"to": {"handed"}, "item": {m.ID}}.Encode()
		type result struct {
			status int
			body   string
		}
		results := make([]result, len(desks))
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, b := range desks {
			wg.Add(1)
			go func(i int, c *http.Client) {
				defer wg.Done()
				req, _ := http.NewRequest(http.MethodPost, path, strings.NewReader(form))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Origin", f.Server.URL)
				req.Header.Set("Sec-Fetch-Site", "same-origin")
				<-start
				resp, err := c.Do(req)
				if err != nil {
					results[i] = result{status: -1, body: err.Error()}
					return
				}
				defer resp.Body.Close()
				body, _ := io.ReadAll(resp.Body)
				results[i] = result{status: resp.StatusCode, body: string(body)}
			}(i, b.Client)
		}
		close(start)
		wg.Wait()
		won, told := 0, 0
		for _, r := range results {
			switch {
			case r.status == http.StatusSeeOther:
				won++
			case r.status == http.StatusConflict && strings.Contains(r.body, "vient d&#39;être traité par"):
				told++
			default:
				t.Errorf("unexpected answer %d: %s", r.status, errorsOf(r.body))
			}
		}
		if won != 1 || told != 1 {
			t.Fatalf("won %d, told %d", won, told)
		}
		var n int
		if err := f.DB.R.NewSelect().Table("dom_daily").ColumnExpr("COALESCE(SUM(n), 0)").Where("metric = 'mail_handed_parcel'").
			Scan(context.Background(), &n); err != nil {
			t.Fatal(err)
		}
		if got := f.file(t, fl.ID); got.PendingParcels != 0 || n != 1 {
			t.Fatalf("pending %d, handed counted %d", got.PendingParcels, n)
		}
	})
}
