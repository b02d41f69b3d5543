package domicile_test

import (
	"context"
	"testing"
	"time"

	"parcours/internal/domicile"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// Scenarios written from the law (CASF); each test names its article.

func wantKind(t *testing.T, err error, k apperr.Kind, key string) {
	t.Helper()
	if !apperr.Is(err, k) {
		t.Fatalf("error %v, want kind %v (%s)", err, k, key)
	}
	ae, _ := apperr.As(err)
	if ae.Key == key {
		return
	}
	for _, v := range ae.Fields {
		if v == key {
			return
		}
	}
	t.Fatalf("error %v (fields %v), want %s", err, ae.Fields, key)
}

// D264-1: one year (the day before the anniversary), never more; the reply
// is due within two months of the request.
func TestD264_1_OneYearAndTwoMonthDeadline(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		s := f.s()
		per := f.person(t, "Aminata", "Diallo", "1985-03-12")
		fl, err := s.CreateRequest(f.ctx(f.worker), f.p(f.worker), domicile.RequestInput{PersonID: per.ID, SiteID: f.siteA.ID,
			RequestedOn: ptr(day("2026-09-01"))})
		if err != nil {
			t.Fatal(err)
		}
		if got := fl.Deadline(); !got.Equal(day("2026-11-01")) {
			t.Fatalf("deadline %v", got)
		}
		// Today (25 Nov) the request is past its deadline: on the list,
		// counted overdue.
		es, _, err := s.Worklist(context.Background(), f.p(f.manager), domicile.ListRequests, "", 1)
		if err != nil || len(es) != 1 {
			t.Fatalf("requests list: %v %d", err, len(es))
		}
		c, err := s.Counters(context.Background(), f.p(f.manager), "")
		if err != nil || c.Requests != 1 || c.Overdue != 1 {
			t.Fatalf("counters %+v %v", c, err)
		}
		if err := s.SaveInterview(f.ctx(f.worker), f.p(f.worker), fl.ID, domicile.Interview{}); err != nil {
			t.Fatal(err)
		}
		// Thirteen months is refused; one year minus a day is the default.
		_, err = s.Decide(f.ctx(f.manager), f.p(f.manager), fl.ID, domicile.DecisionInput{To: domicile.StatusValid,
			Start: ptr(day("2026-11-25")), End: ptr(day("2027-12-24"))})
		wantKind(t, err, apperr.Invalid, "domicile.error.over_one_year")
		d, err := s.Decide(f.ctx(f.manager), f.p(f.manager), fl.ID, domicile.DecisionInput{To: domicile.StatusValid})
		if err != nil {
			t.Fatal(err)
		}
		if !d.StartOn.Equal(day("2026-11-25")) || !d.EndOn.Equal(day("2027-11-24")) {
			t.Fatalf("period %v %v", d.StartOn, d.EndOn)
		}
		if fl = f.file(t, fl.ID); fl.FirstOn == nil || !fl.FirstOn.Equal(day("2026-11-25")) {
			t.Fatalf("first domiciliation %v", fl.FirstOn)
		}
	})
}

// D264-2: an interview for every first request and every renewal, and one
// domiciliation at a time.
func TestD264_2_InterviewForEveryRequestAndOneAtATime(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		s := f.s()
		per := f.person(t, "Yonas", "Tesfaye", "1990-01-01")
		fl := f.domiciled(t, per)
		// A second file for the same person is refused.
		_, err := s.CreateRequest(f.ctx(f.worker), f.p(f.worker), domicile.RequestInput{PersonID: per.ID, SiteID: f.siteA.ID})
		wantKind(t, err, apperr.Conflict, "domicile.error.already_open")
		// The renewal needs its own interview.
		f.Clock.Advance(300 * 24 * time.Hour)
		if _, err := s.Renew(f.ctx(f.worker), f.p(f.worker), fl.ID, nil); err != nil {
			t.Fatal(err)
		}
		_, err = s.Decide(f.ctx(f.manager), f.p(f.manager), fl.ID, domicile.DecisionInput{To: domicile.StatusValid})
		wantKind(t, err, apperr.Invalid, "domicile.error.interview_required")
		// Domiciled elsewhere: no grant.
		if err := s.SaveInterview(f.ctx(f.worker), f.p(f.worker), fl.ID, domicile.Interview{Elsewhere: true}); err != nil {
			t.Fatal(err)
		}
		_, err = s.Decide(f.ctx(f.manager), f.p(f.manager), fl.ID, domicile.DecisionInput{To: domicile.StatusValid})
		wantKind(t, err, apperr.Invalid, "domicile.error.elsewhere")
		if err := s.SaveInterview(f.ctx(f.worker), f.p(f.worker), fl.ID, domicile.Interview{}); err != nil {
			t.Fatal(err)
		}
		// L264-2: renewable as of right, no gap: the new year starts the day
		// after the previous end.
		d, err := s.Decide(f.ctx(f.manager), f.p(f.manager), fl.ID, domicile.DecisionInput{To: domicile.StatusValid})
		if err != nil {
			t.Fatal(err)
		}
		if !d.StartOn.Equal(day("2027-11-25")) || !d.EndOn.Equal(day("2028-11-24")) || d.Kind != domicile.KindRenewal {
			t.Fatalf("renewal %v → %v (%s)", d.StartOn, d.EndOn, d.Kind)
		}
	})
}

// L264-4: a CCAS refuses only for lack of a link with the commune, with a
// referral; an approved body may also refuse outside its approval.
func TestL264_4_RefusalReasonAndReferral(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		s := f.s()
		per := f.person(t, "Ion", "Popescu", "1979-05-05")
		fl, err := s.CreateRequest(f.ctx(f.worker), f.p(f.worker), domicile.RequestInput{PersonID: per.ID, SiteID: f.siteA.ID})
		if err != nil {
			t.Fatal(err)
		}
		pm := f.p(f.manager)
		_, err = s.Decide(f.ctx(f.manager), pm, fl.ID, domicile.DecisionInput{To: domicile.StatusRefused, Reason: "capacity",
			Referral: "approved", ReferralDetail: "Association X"})
		wantKind(t, err, apperr.Invalid, "domicile.error.refusal_ccas")
		_, err = s.Decide(f.ctx(f.manager), pm, fl.ID, domicile.DecisionInput{To: domicile.StatusRefused, Reason: "no_link"})
		wantKind(t, err, apperr.Invalid, "domicile.error.referral_required")
		// A social worker may not refuse.
		_, err = s.Decide(f.ctx(f.worker), f.p(f.worker), fl.ID, domicile.DecisionInput{To: domicile.StatusRefused, Reason: "no_link",
			Referral: "ccas", ReferralDetail: "CCAS de Montreuil"})
		wantKind(t, err, apperr.Forbidden, "common.error.forbidden")
		d, err := s.Decide(f.ctx(f.manager), pm, fl.ID, domicile.DecisionInput{To: domicile.StatusRefused, Reason: "no_link",
			Referral: "ccas", ReferralDetail: "CCAS de Montreuil"})
		if err != nil || d.Status != domicile.StatusRefused {
			t.Fatalf("refusal: %v", err)
		}
		// The refusal letter cites the reason and the appeal routes.
		l, err := s.Letter(f.ctx(f.worker), f.p(f.worker), fl.ID, domicile.LetterRefusal)
		if err != nil || l.Decision.Referral != "ccas" {
			t.Fatalf("letter: %v", err)
		}
		page := get(t, f.as(f.worker), "/fr/domiciliation/files/"+fl.ID+"/letters/refusal")
		mustContain(t, page, "refusal letter", f.fr("domicile.refusal_reason.no_link"), "CCAS de Montreuil", f.fr("domicile.letter.appeal"))
	})
}

// D264-3 and L264-5: more than three months without contact puts the
// person on the list and allows the radiation "no contact" — unless a
// health or detention excuse holds; a contact takes them off; radiation is
// never automatic.
func TestD264_3_NoContactForThreeMonths(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		s := f.s()
		a := f.domiciled(t, f.person(t, "Awa", "Traoré", "1992-02-02"))
		b := f.domiciled(t, f.person(t, "Bilal", "Khan", "1988-08-08"))
		c := f.domiciled(t, f.person(t, "Chen", "Li", "1975-07-07"))
		pm, ctx := f.p(f.manager), f.ctx(f.manager)
		silent := func() map[int]bool {
			es, _, err := s.Worklist(context.Background(), pm, domicile.ListSilent, "", 1)
			if err != nil {
				t.Fatal(err)
			}
			out := map[int]bool{}
			for _, e := range es {
				out[e.File.Number] = true
			}
			return out
		}
		// Exactly three months: not yet "more than three months".
		f.Clock.Set(time.Date(2027, 2, 25, 10, 0, 0, 0, time.UTC))
		if got := silent(); len(got) != 0 {
			t.Fatalf("silent at three months: %v", got)
		}
		_, err := s.Decide(ctx, pm, a.ID, domicile.DecisionInput{To: domicile.StatusEnded, Reason: "no_contact"})
		wantKind(t, err, apperr.Invalid, "domicile.error.recent_contact")
		// B calls; C is in hospital (excuse); A says nothing.
		if _, err := s.LogContact(f.ctx(f.reception), f.p(f.reception), b.ID, "call", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetExcuse(f.ctx(f.worker), f.p(f.worker), c.ID, "health", nil); err != nil {
			t.Fatal(err)
		}
		f.Clock.Set(time.Date(2027, 2, 26, 10, 0, 0, 0, time.UTC))
		got := silent()
		if !got[a.Number] || got[b.Number] || got[c.Number] || len(got) != 1 {
			t.Fatalf("silent list %v, want only %d", got, a.Number)
		}
		// Nothing happened by itself: A is still domiciled.
		if fl := f.file(t, a.ID); fl.Status != domicile.StatusValid {
			t.Fatalf("A radiated automatically: %s", fl.Status)
		}
		_, err = s.Decide(ctx, pm, c.ID, domicile.DecisionInput{To: domicile.StatusEnded, Reason: "no_contact"})
		wantKind(t, err, apperr.Invalid, "domicile.error.excused")
		if _, err := s.Decide(ctx, pm, a.ID, domicile.DecisionInput{To: domicile.StatusEnded, Reason: "no_contact"}); err != nil {
			t.Fatal(err)
		}
		// Radiated: no more intake, the list is clear.
		_, _, err = s.Intake(f.ctx(f.reception), f.p(f.reception), domicile.IntakeInput{FileID: a.ID, Kind: "letter"})
		wantKind(t, err, apperr.Conflict, "domicile.mail.not_domiciled")
		if got := silent(); len(got) != 0 {
			t.Fatalf("silent after radiation %v", got)
		}
	})
}

// L264-5 and DomiFa: the last decision can be undone, with a trace; a
// mistaken radiation is undone and the election is in force again.
func TestL264_5_UndoMistakenRadiation(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		s := f.s()
		fl := f.domiciled(t, f.person(t, "Rahim", "Ahmadi", "1995-05-05"))
		pm, ctx := f.p(f.manager), f.ctx(f.manager)
		if _, err := s.Decide(ctx, pm, fl.ID, domicile.DecisionInput{To: domicile.StatusEnded, Reason: "housing"}); err != nil {
			t.Fatal(err)
		}
		if fl := f.file(t, fl.ID); fl.CoveredOn(domicile.Today(f.Clock.Now())) {
			t.Fatal("still covered after radiation")
		}
		// A social worker may radiate but not undo.
		_, err := s.Undo(f.ctx(f.worker), f.p(f.worker), fl.ID, "erreur")
		if !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("worker undo: %v", err)
		}
		_, err = s.Undo(ctx, pm, fl.ID, "")
		wantKind(t, err, apperr.Invalid, "common.form.required")
		d, err := s.Undo(ctx, pm, fl.ID, "Mauvais dossier")
		if err != nil || d.Status != domicile.StatusEnded {
			t.Fatalf("undo: %v", err)
		}
		got := f.file(t, fl.ID)
		if got.Status != domicile.StatusValid || !got.CoveredOn(domicile.Today(f.Clock.Now())) || got.CutOn != nil {
			t.Fatalf("after undo: %s cut %v", got.Status, got.CutOn)
		}
		decs, err := s.Decisions(context.Background(), fl.ID)
		if err != nil || decs[0].UndoneAt == nil || decs[0].UndoReason != "Mauvais dossier" || decs[1].CutOn != nil {
			t.Fatalf("history after undo: %+v", decs[:2])
		}
		// The report counts it as covered again and the radiation not at all.
		r, err := s.Report(context.Background(), pm, day("2026-01-01"), day("2026-11-25"), "")
		if err != nil || r.Covered != 1 || r.Ended != 0 || r.Granted != 1 {
			t.Fatalf("report after undo: %+v %v", r, err)
		}
	})
}

// D264-8: the annual report counts the people domiciled at the end date
// (with their dependants), the decisions of the year with their reasons,
// and the year's mail and contacts.
func TestD264_8_AnnualReport(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		s := f.s()
		pm, pw := f.p(f.manager), f.p(f.worker)
		f.Clock.Set(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
		a := f.domiciled(t, f.person(t, "Awa", "Traoré", "1992-02-02"))
		b := f.domiciled(t, f.person(t, "Bilal", "Khan", "1950-08-08"))
		if err := s.SetIdentity(f.ctx(f.worker), pw, b.ID, domicile.IdentityInput{Civility: "m", Dependants: []domicile.Dependant{
			{Family: "Khan", Given: "Sara", Link: "child"}}}); err != nil {
			t.Fatal(err)
		}
		// C is refused, D radiated in September.
		cper := f.person(t, "Chen", "Li", "2001-07-07")
		cf, err := s.CreateRequest(f.ctx(f.worker), pw, domicile.RequestInput{PersonID: cper.ID, SiteID: f.siteA.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Decide(f.ctx(f.manager), pm, cf.ID, domicile.DecisionInput{To: domicile.StatusRefused, Reason: "no_link",
			Referral: "ccas", ReferralDetail: "CCAS de Lyon"}); err != nil {
			t.Fatal(err)
		}
		d := f.domiciled(t, f.person(t, "Dana", "Ionescu", "1980-01-01"))
		if _, _, err := s.Intake(f.ctx(f.reception), f.p(f.reception), domicile.IntakeInput{FileID: a.ID, Kind: "letter", Quantity: 3}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Intake(f.ctx(f.reception), f.p(f.reception), domicile.IntakeInput{FileID: a.ID, Kind: "parcel"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.MailOut(f.ctx(f.reception), f.p(f.reception), domicile.OutInput{FileID: a.ID, To: domicile.OutHanded}); err != nil {
			t.Fatal(err)
		}
		f.Clock.Set(time.Date(2026, 9, 15, 10, 0, 0, 0, time.UTC))
		if _, err := s.Decide(f.ctx(f.manager), pm, d.ID, domicile.DecisionInput{To: domicile.StatusEnded, Reason: "housing"}); err != nil {
			t.Fatal(err)
		}
		f.Clock.Set(time.Date(2027, 1, 10, 10, 0, 0, 0, time.UTC))
		// A's year is renewed in January 2027 — after the period.
		r, err := s.Report(context.Background(), pm, day("2026-01-01"), day("2026-12-31"), "")
		if err != nil {
			t.Fatal(err)
		}
		if r.Covered != 2 || r.Dependants != 1 || r.Granted != 3 || r.GrantedFirst != 3 || r.Refused != 1 || r.Ended != 1 {
			t.Fatalf("report: covered %d deps %d granted %d first %d refused %d ended %d", r.Covered, r.Dependants, r.Granted,
				r.GrantedFirst, r.Refused, r.Ended)
		}
		count := func(cs []domicile.Count, key string) int {
			for _, c := range cs {
				if c.Key == key {
					return c.N
				}
			}
			return -1
		}
		if count(r.EndedBy, "housing") != 1 || count(r.RefusedBy, "no_link") != 1 || count(r.Referrals, "ccas") != 1 {
			t.Fatalf("reasons %v %v %v", r.EndedBy, r.RefusedBy, r.Referrals)
		}
		for _, b := range r.Breakdowns {
			if b.Name == "age" && (count(b.Lines, "25_34") != 1 || count(b.Lines, "75") != 1) {
				t.Fatalf("ages %v", b.Lines)
			}
			if b.Name == "civility" && (count(b.Lines, "mme") != 1 || count(b.Lines, "m") != 1) {
				t.Fatalf("civility %v", b.Lines)
			}
		}
		if r.Activity["mail_in_letter"] != 3 || r.Activity["mail_in_parcel"] != 1 || r.Activity["mail_handed_letter"] != 3 ||
			r.Activity["contact_handover"] != 1 {
			t.Fatalf("activity %v", r.Activity)
		}
		// The same report as a workbook and on screen.
		x, err := s.ReportXLSX(r, f.App.Catalog.Localizer("fr"), "PSA Bastille")
		if err != nil || len(x) < 1000 {
			t.Fatalf("xlsx: %v %d", err, len(x))
		}
		page := get(t, f.as(f.manager), "/fr/domiciliation/report?year=2026")
		mustContain(t, page, "report page", f.fr("domicile.report.axis1", "Date", "31/12/2026"), f.fr("domicile.end_reason.housing"))
		rr := f.as(f.manager).Get("/fr/domiciliation/report.xlsx?year=2026")
		if rr.Status != 200 || len(rr.Body) < 1000 {
			t.Fatalf("report.xlsx: %d", rr.Status)
		}
	})
}

func ptr[T any](v T) *T { return &v }
