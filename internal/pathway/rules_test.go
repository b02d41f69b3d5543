package pathway_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/pathway"
	"parcours/internal/people"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

func TestPercentile(t *testing.T) {
	cases := []struct {
		in      []int
		p       float64
		want    int
		comment string
	}{
		{nil, 50, 0, "empty"},
		{[]int{7}, 50, 7, "one value"},
		{[]int{10, 44, 100}, 50, 44, "odd count"},
		{[]int{10, 44, 100}, 90, 100, "p90 of three"},
		{[]int{1, 2, 3, 4}, 50, 2, "nearest rank, even count"},
		{[]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 90, 9, "p90 of ten"},
		{[]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 100, 10, "max"},
	}
	for _, c := range cases {
		if got := pathway.Percentile(c.in, c.p); got != c.want {
			t.Errorf("%s: Percentile(%v, %v) = %d, want %d", c.comment, c.in, c.p, got, c.want)
		}
	}
}

// sw is the social worker's principal and audited context.
func (f *fx) sw() (context.Context, *auth.Principal) {
	p := &auth.Principal{UserID: f.worker.ID, OrgID: f.org.ID, Email: f.worker.Email,
		Memberships: []auth.Membership{{Role: auth.SocialWorker, SiteID: f.siteA.ID}}}
	return audit.WithActor(auth.WithPrincipal(context.Background(), p), audit.Actor{UserID: p.UserID, OrgID: p.OrgID, Label: p.Email}), p
}

func (f *fx) person(t *testing.T) string {
	t.Helper()
	ctx, p := f.sw()
	per, _, err := f.App.People.Create(ctx, p, people.Input{SiteID: f.siteA.ID, GivenLatin: "Rokia", FamilyLatin: "Traoré", HouseholdSize: 1},
		people.CreateOptions{NotADuplicate: true})
	if err != nil {
		t.Fatal(err)
	}
	return per.ID
}

// A referral without an answer for ten days reminds its sender once.
func TestSleepingReferral(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		ctx, p := f.sw()
		id := f.person(t)
		rf, err := f.App.Pathway.Refer(ctx, p, id, pathway.ReferralInput{ServiceID: f.serviceID, Reason: "Recours", ConsentNow: true})
		if err != nil {
			t.Fatal(err)
		}
		if n, err := f.App.Pathway.RemindSleeping(context.Background()); err != nil || n != 0 {
			t.Fatalf("fresh referral reminded: %d %v", n, err)
		}
		f.Clock.Advance(pathway.SleepingAfter + time.Hour)
		if n, err := f.App.Pathway.RemindSleeping(context.Background()); err != nil || n != 1 {
			t.Fatalf("sleeping referral: %d %v", n, err)
		}
		if n, err := f.App.Pathway.RemindSleeping(context.Background()); err != nil || n != 0 {
			t.Fatalf("reminded twice: %d %v", n, err)
		}
		var tasks, mails int
		f.scalar(t, &tasks, "SELECT COUNT(*) FROM pathway_tasks WHERE kind = 'referral_sleeping' AND ref_id = ? AND user_id = ?", rf.ID, f.worker.ID)
		f.scalar(t, &mails, "SELECT COUNT(*) FROM outbox WHERE recipient = ? AND purpose = 'pathway.referral_answer'", f.worker.Email)
		if tasks != 1 || mails != 1 {
			t.Errorf("%d items and %d e-mails, want 1 and 1", tasks, mails)
		}
		wl := get(t, f.Browser().Login(f.worker), "/fr/worklists")
		if !strings.Contains(wl, f.fr("pathway.task.referral_sleeping", "Org", "La Cimade", "Service", "Permanence juridique étrangers")) {
			t.Error("sleeping referral not in the worklist")
		}
	})
}

// Each follow-up note is read by its audience only.
func TestFollowUpNotesByAudience(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		ctx, p := f.sw()
		id := f.person(t)
		for aud, body := range map[string]string{"team": "Note pour tous", "social": "Note entre travailleurs sociaux", "legal": "Note du suivi juridique"} {
			if _, err := f.App.Pathway.AddNote(ctx, p, id, aud, aud == "legal", body); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.App.People.AddToTeam(ctx, p, id, f.legal.ID); err != nil {
			t.Fatal(err)
		}
		sees := func(b *testkit.Browser, who string, want map[string]bool) {
			t.Helper()
			page := get(t, b, "/fr/people/"+id)
			for body, ok := range want {
				if strings.Contains(page, body) != ok {
					t.Errorf("%s sees %q: %v, want %v", who, body, !ok, ok)
				}
			}
		}
		sees(f.as(f.worker), "social worker", map[string]bool{"Note pour tous": true, "Note entre travailleurs sociaux": true, "Note du suivi juridique": true})
		sees(f.as(f.legal), "legal specialist", map[string]bool{"Note pour tous": true, "Note entre travailleurs sociaux": false, "Note du suivi juridique": true})
		sees(f.as(f.reception), "reception", map[string]bool{"Note pour tous": true, "Note entre travailleurs sociaux": false, "Note du suivi juridique": false})
		// A reception agent cannot write for an audience they do not read.
		pr := &auth.Principal{UserID: f.reception.ID, OrgID: f.org.ID, Memberships: []auth.Membership{{Role: auth.ReceptionAgent, SiteID: f.siteA.ID}}}
		if _, err := f.App.Pathway.AddNote(context.Background(), pr, id, "legal", false, "x"); err == nil {
			t.Error("reception wrote a legal note")
		}
		// The note for the person is in their copy of the file.
		x := get(t, f.as(f.manager), "/fr/people/"+id+"/export")
		if !strings.Contains(x, "Note du suivi juridique") || strings.Contains(x, "Note entre travailleurs sociaux") {
			t.Error("the export does not hold exactly the notes for the person")
		}
	})
}

// A partner sees only its organisation's referrals, and nothing once a
// referral is withdrawn.
func TestPartnerIsolation(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		ctx, p := f.sw()
		id := f.person(t)
		rf, err := f.App.Pathway.Refer(ctx, p, id, pathway.ReferralInput{ServiceID: f.serviceID, Reason: "Accès au droit", ConsentNow: true,
			Fields: []people.ShareField{people.FieldIdentity, people.FieldContact}})
		if err != nil {
			t.Fatal(err)
		}
		other := f.User(f.org, "gisti@partner.test", auth.Membership{Role: auth.Partner, SiteID: f.siteA.ID})
		if err := f.DB.Tx(context.Background(), func(ctx context.Context, tx bun.Tx) error {
			_, err := tx.NewUpdate().Table("users").Set("partner_org = ?", "Gisti").Where("id = ?", other.ID).Exec(ctx)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		ob := f.Browser().Login(other)
		if r := ob.Get("/fr/partner/referrals/" + rf.ID); r.Status != http.StatusNotFound {
			t.Errorf("another partner opens the referral: %d", r.Status)
		}
		if r := ob.Post("/fr/partner/referrals/"+rf.ID+"/accept", nil); r.Status != http.StatusNotFound {
			t.Errorf("another partner accepts the referral: %d", r.Status)
		}
		if strings.Contains(get(t, ob, "/fr/partner/referrals"), "Accès au droit") {
			t.Error("another partner's inbox lists the referral")
		}
		pb := f.as(f.partner)
		if !strings.Contains(get(t, pb, "/fr/partner/referrals/"+rf.ID), "Rokia Traoré") {
			t.Fatal("the partner does not see the shared identity")
		}
		post(t, f.as(f.worker), "/fr/people/"+id+"/referrals/"+rf.ID+"/revoke", url.Values{"revoke_reason": {"Erreur d'orientation"}})
		if page := get(t, pb, "/fr/partner/referrals/"+rf.ID); strings.Contains(page, "Rokia") {
			t.Error("the partner still sees the person after the referral was withdrawn")
		}
		if r := pb.Post("/fr/partner/referrals/"+rf.ID+"/accept", nil); r.Status != http.StatusConflict {
			t.Errorf("accepting a withdrawn referral: %d", r.Status)
		}
	})
}

// Applications: the dates follow each other and the outcome needs its
// dates; errors come back on the page, translated.
func TestApplicationValidation(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		id := f.person(t)
		b := f.as(f.worker)
		for _, c := range []struct {
			form url.Values
			err  string
		}{
			{url.Values{"app_right": {"ame"}, "app_submitted": {"2026-10-01"}, "app_decided": {"2026-09-01"}, "app_outcome": {"refused"}}, "pathway.error.dates_order"},
			{url.Values{"app_right": {"ame"}, "app_outcome": {"granted"}}, "pathway.error.decision_date"},
			{url.Values{"app_right": {"ame"}, "app_outcome": {"pending"}, "app_expires": {"2027-01-01"}}, "pathway.error.expiry_not_granted"},
			{url.Values{"app_right": {"ame"}, "app_submitted": {"2027-01-01"}}, "pathway.error.future"},
			{url.Values{"app_right": {"teleportation"}}, "common.form.invalid_choice"},
			{url.Values{"app_right": {"ame"}, "app_submitted": {"32/13/2026"}}, "common.form.date_invalid"},
		} {
			r := b.Post("/fr/people/"+id+"/applications", c.form)
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, f.fr(c.err)) {
				t.Errorf("%v: %d, want 422 with %q", c.form, r.Status, c.err)
			}
		}
	})
}
