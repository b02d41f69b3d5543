package pathway_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"parcours/internal/pathway"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// The "done when" of issue 5, through HTTP on both engines: a social worker
// opens a file, records a status and an AME application, refers the person
// to a legal permanence, the partner accepts and reports back, the next
// step shows, a reminder goes out before the AME expires, the delay
// statistics are right; a worker of another site, a volunteer, a partner
// and another centre cannot see what they must not.
func TestDoneWhen(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		sw := f.as(f.worker)

		// Opening the file.
		id := f.openFile(t, f.worker, url.Values{"given_name": {"عائشة"}, "family_name": {"بن علي"}, "given_latin": {"Aïcha"},
			"family_latin": {"Benali"}, "birth_date": {"1991-04-12"}, "phone": {"06 12 34 56 78"}, "msg_lang": {"ar"},
			"languages": {"ar", "fr"}, "french_level": {"a2"}, "household_size": {"3"}, "dependants": {"2"}})
		page := get(t, sw, "/fr/people/"+id)
		for _, want := range []string{"عائشة", "Aïcha Benali", "06 12 34 56 78", f.fr("people.french.a2")} {
			if !strings.Contains(page, want) {
				t.Errorf("person page lacks %q", want)
			}
		}
		// The status, the document and its validity.
		post(t, sw, "/fr/people/"+id+"/status", url.Values{"status": {"no_permit"}, "document": {"aucun"}, "from": {""}, "until": {""}})
		post(t, sw, "/fr/people/"+id+"/notes", url.Values{"health_note": {"Diabète, suivi hospitalier"}, "legal_note": {"Refus de séjour notifié en juin"}})
		post(t, sw, "/fr/people/"+id+"/consents", url.Values{"purpose": {"sms"}})
		if page = get(t, sw, "/fr/people/"+id); !strings.Contains(page, f.fr("rights.status.no_permit.name")) {
			t.Error("status not shown")
		}

		// The AME application: submitted 1 Sept, granted 15 Oct (44 days), for a year.
		post(t, sw, "/fr/people/"+id+"/applications", url.Values{"app_right": {"ame"}, "app_submitted": {"2026-09-01"},
			"app_decided": {"2026-10-15"}, "app_outcome": {"granted"}, "app_expires": {"2027-10-14"}})
		var args []byte
		var scheduled string
		argsSQL := "SELECT CAST(args AS TEXT) FROM river_job WHERE kind = 'pathway.renewal'"
		if e == db.SQLite {
			argsSQL = "SELECT json(args) FROM river_job WHERE kind = 'pathway.renewal'" // River keeps SQLite's binary JSON
		}
		f.scalar(t, &args, argsSQL)
		f.scalar(t, &scheduled, "SELECT CAST(scheduled_at AS TEXT) FROM river_job WHERE kind = 'pathway.renewal'")
		var ra pathway.RenewalArgs
		if err := json.Unmarshal(args, &ra); err != nil || ra.ExpiresOn != "2027-10-14" {
			t.Fatalf("renewal job args %s: %v", args, err)
		}
		// Queued in the same transaction, for two months before the end.
		if want := pathway.RenewalAt("ame", time.Date(2027, 10, 14, 0, 0, 0, 0, time.UTC)); !strings.HasPrefix(scheduled, "2027-08-15") ||
			want.In(clock.Paris).Format("2006-01-02 15:04") != "2027-08-15 09:00" {
			t.Errorf("renewal scheduled at %s (want %s)", scheduled, want)
		}

		// A next step, shown on the page.
		post(t, sw, "/fr/people/"+id+"/steps", url.Values{"step_title": {"Rendez-vous CPAM pour la carte AME"}, "step_axis": {"rights"},
			"step_due": {"2026-11-28"}})
		page = get(t, sw, "/fr/people/"+id)
		next := page[strings.Index(page, `class="nextstep`):]
		if !strings.Contains(next[:800], "Rendez-vous CPAM pour la carte AME") || !strings.Contains(next[:800], "28/11/2026") {
			t.Errorf("next step not shown: %.800s", next)
		}

		// Referral to the legal permanence: refused without consent.
		form := url.Values{"service": {f.serviceID}, "ref_reason": {"Refus de séjour, délai de recours"}, "fields": {"identity", "contact", "status"}}
		if r := sw.Post("/fr/people/"+id+"/referrals", form); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, f.fr("pathway.error.consent")) {
			t.Fatalf("referral without consent: %d %s", r.Status, errorsOf(r.Body))
		}
		var shares int
		f.scalar(t, &shares, "SELECT COUNT(*) FROM person_shares WHERE person_id = ?", id)
		if shares != 0 {
			t.Fatalf("a refused referral shared the file (%d shares)", shares)
		}
		form.Set("consent_now", "1")
		post(t, sw, "/fr/people/"+id+"/referrals", form)
		var rid string
		f.scalar(t, &rid, "SELECT id FROM pathway_referrals WHERE person_id = ?", id)

		// The partner sees only the shared fields, in the inbox.
		pb := f.as(f.partner)
		inbox := get(t, pb, "/fr/partner/referrals")
		if !strings.Contains(inbox, "Permanence juridique étrangers") || strings.Contains(inbox, "Aïcha") {
			t.Errorf("inbox: service missing or a name shown in the list")
		}
		item := get(t, pb, "/fr/partner/referrals/"+rid)
		for _, want := range []string{"Aïcha Benali", "06 12 34 56 78", f.fr("rights.status.no_permit.name"), "Refus de séjour, délai de recours"} {
			if !strings.Contains(item, want) {
				t.Errorf("partner view lacks %q: %s", want, item[strings.Index(item, "<main"):])
			}
		}
		for _, never := range []string{"Diabète", "Refus de séjour notifié", "1991-04-12", "12/04/1991", f.fr("people.french.a2")} {
			if strings.Contains(item, never) {
				t.Errorf("partner sees %q, which the referral does not share", never)
			}
		}
		if r := pb.Get("/fr/people/" + id); r.Status != http.StatusForbidden {
			t.Errorf("partner opened the file: %d", r.Status)
		}
		// Accept, then report back.
		if loc := post(t, pb, "/fr/partner/referrals/"+rid+"/accept", nil); loc != "/fr/partner/referrals/"+rid {
			t.Errorf("accept went to %s", loc)
		}
		if r := pb.Get("/fr/partner/referrals/" + rid); !strings.Contains(r.Body, f.fr("pathway.partner.accepted")) {
			t.Error("no confirmation after accepting")
		}
		if r := pb.Post("/fr/partner/referrals/"+rid+"/done", url.Values{"answer_text": {""}}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("done without report: %d", r.Status)
		}
		post(t, pb, "/fr/partner/referrals/"+rid+"/done", url.Values{"answer_text": {"Recours déposé au tribunal administratif le 27/11."}})
		// Closed: the partner's access to the shared fields ended.
		if item = get(t, pb, "/fr/partner/referrals/"+rid); strings.Contains(item, "06 12 34 56 78") {
			t.Error("partner still sees the shared fields after the referral closed")
		}

		// The outcome comes back to the sender: worklist item, e-mail, the file.
		wl := get(t, sw, "/fr/worklists")
		if !strings.Contains(wl, f.fr("pathway.task.referral_done", "Org", "La Cimade", "Service", "Permanence juridique étrangers")) {
			t.Error("the sender's worklist does not show the partner's report")
		}
		var mails int
		f.scalar(t, &mails, "SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND recipient = ? AND purpose = 'pathway.referral_answer'", f.worker.Email)
		if mails != 2 {
			t.Errorf("%d e-mails to the sender, want 2 (accepted, done)", mails)
		}
		page = get(t, sw, "/fr/people/"+id)
		if !strings.Contains(page, "Recours déposé au tribunal administratif") {
			t.Error("report not on the person's page")
		}
		if !strings.Contains(page, `class="flash ok answer"`) ||
			!strings.Contains(page, f.fr("pathway.task.referral_accepted", "Org", "La Cimade", "Service", "Permanence juridique étrangers")) {
			t.Error("the partner's answers are not announced on the person's page")
		}
		if !strings.Contains(page, "Rendez-vous CPAM pour la carte AME") {
			t.Error("next step gone")
		}

		// Who sees what.
		if r := f.as(f.workerB).Get("/fr/people/" + id); r.Status != http.StatusNotFound {
			t.Errorf("worker of another site: %d", r.Status)
		}
		if r := f.as(f.volunteer).Get("/fr/people/" + id); r.Status != http.StatusForbidden {
			t.Errorf("volunteer: %d", r.Status)
		}
		if r := f.as(f.admin2).Get("/fr/people/" + id); r.Status != http.StatusNotFound {
			t.Errorf("another centre: %d", r.Status)
		}
		rec := get(t, f.as(f.reception), "/fr/people/"+id)
		if strings.Contains(rec, "Diabète") || strings.Contains(rec, "Refus de séjour notifié") {
			t.Error("reception agent sees sensitive notes")
		}
		if !strings.Contains(rec, "Aïcha Benali") {
			t.Error("reception agent does not see the identity")
		}

		// Delays: one more AME decided in 10 days, one in 100 -> median 44, 90th percentile 100.
		post(t, sw, "/fr/people/"+id+"/applications", url.Values{"app_right": {"ame"}, "app_submitted": {"2026-01-05"},
			"app_decided": {"2026-01-15"}, "app_outcome": {"refused"}})
		post(t, sw, "/fr/people/"+id+"/applications", url.Values{"app_right": {"ame"}, "app_submitted": {"2026-02-01"},
			"app_decided": {"2026-05-12"}, "app_outcome": {"refused"}})
		stats := get(t, f.as(f.manager), "/fr/pathway/stats?from=2026-01-01&to=2026-11-25")
		row := stats[strings.Index(stats, f.fr("rights.right.ame.name")):]
		row = row[:strings.Index(row, "</tr>")]
		for _, want := range []string{">3", f.fr("pathway.stats.days", "Count", 44), f.fr("pathway.stats.days", "Count", 100)} {
			if !strings.Contains(row, want) {
				t.Errorf("AME delays row %q lacks %q", row, want)
			}
		}
		if r := sw.Get("/fr/pathway/stats"); r.Status != http.StatusForbidden {
			t.Errorf("social worker reads the statistics: %d", r.Status)
		}

		// The reminder, two months before the AME ends: SMS (consent given)
		// in the person's language, and a worklist item for the referent.
		f.Clock.Set(time.Date(2027, 8, 15, 7, 0, 0, 0, time.UTC))
		sent, err := f.App.Pathway.Remind(context.Background(), ra)
		if err != nil || !sent {
			t.Fatalf("reminder: %v, %v", sent, err)
		}
		var body, lang string
		f.scalar(t, &body, "SELECT body FROM outbox WHERE channel = 'sms' AND recipient = '+33612345678'")
		f.scalar(t, &lang, "SELECT lang FROM outbox WHERE channel = 'sms' AND recipient = '+33612345678'")
		if lang != "ar" || !strings.Contains(body, "14/10/2027") || !strings.Contains(body, "PSA Bastille") || strings.Contains(body, "AME") {
			t.Errorf("SMS in %s: %q", lang, body)
		}
		// Run twice (a retried job): one SMS, one item.
		if again, err := f.App.Pathway.Remind(context.Background(), ra); err != nil || again {
			t.Fatalf("second run: %v, %v", again, err)
		}
		var sms, tasks int
		f.scalar(t, &sms, "SELECT COUNT(*) FROM outbox WHERE channel = 'sms'")
		f.scalar(t, &tasks, "SELECT COUNT(*) FROM pathway_tasks WHERE kind = 'renewal'")
		if sms != 1 || tasks != 1 {
			t.Errorf("after two runs: %d SMS, %d items, want 1 and 1", sms, tasks)
		}
		sw2 := f.Browser().Login(f.worker)
		wl = get(t, sw2, "/fr/worklists")
		if !strings.Contains(wl, f.fr("pathway.task.renewal", "Right", f.raw("rights.right.ame.name"), "Date", "14/10/2027")) {
			t.Error("renewal item not in the worklist")
		}
		if !strings.Contains(wl, f.fr("pathway.worklists.expiring")) || !strings.Contains(wl, "14/10/2027") {
			t.Error("AME not among the expiring rights")
		}
	})
}
