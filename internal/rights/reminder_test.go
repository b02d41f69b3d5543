package rights_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/notify"
	"parcours/internal/platform/testkit"
	"parcours/internal/rights"
)

// reminders returns the review reminders in the outbox, by recipient.
func (w *world) reminders(t *testing.T) map[string][]notify.Item {
	t.Helper()
	var items []notify.Item
	if err := w.DB.R.NewSelect().Model(&items).Where("purpose = ?", "rights.sheet_review").Order("created_at").
		Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	out := map[string][]notify.Item{}
	for _, it := range items {
		out[it.Recipient] = append(out[it.Recipient], it)
	}
	return out
}

func TestReviewReminderOncePerSheetAndMonth(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		w := newWorld(t, e)
		ctx := context.Background()
		// The administrator reads English; a second legal specialist left.
		if _, err := w.DB.W.NewUpdate().Model((*auth.User)(nil)).Set("lang = 'en'").Where("id = ?", w.admin.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		gone := w.User(w.org1, "parti@casvp.test", auth.Membership{Role: auth.LegalSpecialist, SiteID: w.site.ID})
		if _, err := w.DB.W.NewUpdate().Model((*auth.User)(nil)).Set("disabled_at = ?", w.Clock.Now()).Where("id = ?", gone.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		job := &rights.ReminderWorker{S: w.App.Rights}
		run := func() {
			t.Helper()
			if err := job.Work(ctx, &river.Job[rights.ReminderArgs]{}); err != nil {
				t.Fatal(err)
			}
		}

		// The job seeds every centre; sheets reviewed today are not due.
		run()
		if n := len(w.reminders(t)); n != 0 {
			t.Fatalf("%d reminders right after seeding", n)
		}
		for _, o := range []string{w.org1.ID, w.org2.ID} {
			if es := w.audits(t, o, "rights.sheets.seed"); len(es) != 1 {
				t.Fatalf("centre %s seeded %d times", o, len(es))
			}
		}
		// Five months and 30 days later: still not due.
		w.Clock.Set(time.Date(2027, 5, 24, 9, 0, 0, 0, time.UTC))
		run()
		if n := len(w.reminders(t)); n != 0 {
			t.Fatalf("%d reminders before the 6 months", n)
		}
		// Six months: one e-mail to each reviewer of each centre.
		w.Clock.Set(time.Date(2027, 5, 25, 5, 0, 0, 0, time.UTC))
		run()
		got := w.reminders(t)
		if len(got) != 3 || len(got[w.admin.Email]) != 1 || len(got[w.legal.Email]) != 1 || len(got[w.legalOther.Email]) != 1 {
			t.Fatalf("reminders after 6 months: %v", keys(got))
		}
		fr, en := got[w.legal.Email][0], got[w.admin.Email][0]
		if fr.Lang != "fr" || fr.Subject != "parcours : fiches statut à relire (CASVP Test)" ||
			!strings.Contains(fr.Body, "- Réfugié (protection internationale) — 25/11/2026") ||
			!strings.Contains(fr.Body, "http://parcours.test/fr/rights/sheets?due=1") {
			t.Errorf("French reminder: %s / %s\n%s", fr.Lang, fr.Subject, fr.Body)
		}
		if en.Lang != "en" || en.Subject != "parcours: status sheets to review (CASVP Test)" ||
			!strings.Contains(en.Body, "http://parcours.test/en/rights/sheets?due=1") {
			t.Errorf("English reminder: %s / %s\n%s", en.Lang, en.Subject, en.Body)
		}
		if es := w.audits(t, w.org1.ID, "rights.sheets.review_reminder"); len(es) != 1 ||
			!strings.Contains(es[0].Details, `"period":"2027-05"`) || !strings.Contains(es[0].Details, `"recipients":2`) {
			t.Errorf("reminder audit: %+v", es)
		}

		// Not twice: again the same day, and later in the same month.
		run()
		w.Clock.Set(time.Date(2027, 5, 31, 20, 0, 0, 0, time.UTC))
		run()
		if got := w.reminders(t); len(got[w.legal.Email]) != 1 || len(got[w.legalOther.Email]) != 1 {
			t.Fatalf("reminded again within the month: %d, %d", len(got[w.legal.Email]), len(got[w.legalOther.Email]))
		}

		// A sheet reviewed meanwhile drops out of next month's reminder.
		p := &auth.Principal{UserID: w.legal.ID, OrgID: w.org1.ID, Name: w.legal.Name,
			Memberships: []auth.Membership{{Role: auth.LegalSpecialist, SiteID: w.site.ID}}}
		if _, err := w.App.Rights.MarkReviewed(ctx, p, "vpf"); err != nil {
			t.Fatal(err)
		}
		w.Clock.Set(time.Date(2027, 6, 1, 6, 0, 0, 0, time.UTC)) // 8:00 in Paris, 1 June
		n, err := w.App.Rights.SendReviewReminders(ctx)
		if err != nil || n != 3 {
			t.Fatalf("June: %d e-mails (%v), want 3", n, err)
		}
		june := w.reminders(t)[w.legal.Email][1]
		if strings.Contains(june.Body, "- Carte de séjour « vie privée et familiale » (VPF) —") || !strings.Contains(june.Body, "Réfugié") {
			t.Errorf("June reminder lists the reviewed sheet, or not the others:\n%s", june.Body)
		}
		if _, ok := w.reminders(t)[w.worker.Email]; ok {
			t.Error("a social worker got a reminder")
		}
		if _, ok := w.reminders(t)[gone.Email]; ok {
			t.Error("a disabled account got a reminder")
		}
	})
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
