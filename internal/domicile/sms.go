package domicile

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/uptrace/bun"

	"parcours/internal/people"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/jobs"
	"parcours/internal/platform/notify"
)

// SMS go out only with the consent of the person (people.PurposeSMS) and of
// the site (Settings.SMSEnabled), in the person's language:
//
//   - mail arrived: one SMS per person, at the next of the site's chosen
//     days and hour, counting what is still pending then (mail handed over
//     before the hour sends nothing; DomiFa);
//   - expiry reminder: a month before the end of the election (DomiFa
//     #1850; the attestation advises renewing two months before).

// MailSMSArgs is the job that sends a site's mail-arrived SMS at a slot.
type MailSMSArgs struct {
	OrgID  string    `json:"org_id"`
	SiteID string    `json:"site_id"`
	Slot   time.Time `json:"slot"`
}

// Kind names the job.
func (MailSMSArgs) Kind() string { return "domicile.mail_sms" }

// MailSMSWorker runs MailSMSArgs.
type MailSMSWorker struct {
	river.WorkerDefaults[MailSMSArgs]
	S *Service
}

// Work queues the slot's SMS.
func (w *MailSMSWorker) Work(ctx context.Context, job *river.Job[MailSMSArgs]) error {
	_, err := w.S.SendMailSMS(ctx, job.Args.OrgID, job.Args.SiteID, job.Args.Slot)
	return err
}

// scheduleMailSMS makes sure the site's next slot has its job, inside the
// intake's transaction.
func (s *Service) scheduleMailSMS(ctx context.Context, tx bun.Tx, orgID, siteID string, now time.Time) error {
	st, err := s.Settings(ctx, tx, orgID, siteID)
	if err != nil || !st.SMSEnabled || s.Jobs == nil {
		return err
	}
	slot := st.NextSlot(now)
	res, err := tx.NewRaw("INSERT INTO dom_sms_slots (site_id, slot_at) VALUES (?, ?) ON CONFLICT DO NOTHING", siteID, slot).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	return jobs.InsertTx(ctx, s.Jobs, tx, MailSMSArgs{OrgID: orgID, SiteID: siteID, Slot: slot}, &river.InsertOpts{ScheduledAt: slot})
}

// smsTarget is a file to text, with its person's phone and language.
type smsTarget struct {
	ID       string `bun:"id"`
	PersonID string `bun:"person_id"`
	Number   int    `bun:"number"`
	Pending  int    `bun:"pending"`
	Phone    string `bun:"phone"`
	Lang     string `bun:"msg_lang"`
}

// SendMailSMS queues the mail-arrived SMS of a site's slot: for every
// person with mail still pending and new since their last such SMS, who
// agreed to SMS, when the site still agrees. It returns how many were
// queued.
func (s *Service) SendMailSMS(ctx context.Context, orgID, siteID string, slot time.Time) (int, error) {
	st, err := s.Settings(ctx, s.DB.R, orgID, siteID)
	if err != nil || !st.SMSEnabled {
		return 0, err
	}
	var ts []smsTarget
	err = s.DB.R.NewSelect().TableExpr("dom_files AS f").
		ColumnExpr("f.id, f.person_id, f.number, f.pending_letters + f.pending_registered + f.pending_parcels AS pending, p.phone, p.msg_lang").
		Join("JOIN persons AS p ON p.id = f.person_id").
		Where("f.org_id = ? AND f.site_id = ? AND f.anonymised_at IS NULL AND p.phone <> ''", orgID, siteID).
		Where("f.pending_letters + f.pending_registered + f.pending_parcels > 0").
		Where("(f.mail_sms_at IS NULL OR EXISTS (SELECT 1 FROM dom_mail AS m WHERE m.file_id = f.id AND m.status = 'pending' AND m.received_at > f.mail_sms_at))").
		Scan(ctx, &ts)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, t := range ts {
		sent, err := s.textOne(ctx, orgID, siteID, t, notify.Message{Purpose: "domicile.mail_arrived", BodyKey: "domicile.sms.mail",
			Args: map[string]any{"Count": t.Pending, "Site": st.Organism, "Number": t.Number}, NotBefore: slot}, "mail_sms_at = ?", s.Clock.Now())
		if err != nil {
			return n, err
		}
		if sent {
			n++
		}
	}
	return n, nil
}

// textOne queues one SMS for a file if the person agreed, and marks the
// file (set, arg) in the same transaction, with an audit entry.
func (s *Service) textOne(ctx context.Context, orgID, siteID string, t smsTarget, m notify.Message, set string, arg any) (bool, error) {
	sent := false
	err := s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		ok, err := s.People.HasConsent(ctx, tx, t.PersonID, people.PurposeSMS, "")
		if err != nil || !ok {
			return err
		}
		m.OrgID, m.To, m.Lang = orgID, t.Phone, t.Lang
		if _, err := s.Outbox.QueueSMS(ctx, tx, m); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Table("dom_files").Set(set, arg).Where("id = ?", t.ID).Exec(ctx); err != nil {
			return err
		}
		sent = true
		return s.Audit.Record(ctx, tx, audit.Event{Action: "domicile.sms", OrgID: orgID, ActorLabel: "system", ObjectType: "domicile_file",
			ObjectID: t.ID, SiteID: siteID, Details: map[string]any{"purpose": m.Purpose}})
	})
	return sent, err
}

// SendExpiryReminders queues, for every election ending within a month
// and not yet reminded for this end date, an SMS at the site's hour today
// (or now when that hour has passed). It returns how many were queued.
func (s *Service) SendExpiryReminders(ctx context.Context) (int, error) {
	now := s.Clock.Now()
	today := Today(now)
	type row struct {
		smsTarget
		OrgID  string    `bun:"org_id"`
		SiteID string    `bun:"site_id"`
		EndOn  time.Time `bun:"end_on"`
	}
	var rows []row
	err := s.DB.R.NewSelect().TableExpr("dom_files AS f").
		ColumnExpr("f.id, f.person_id, f.number, f.org_id, f.site_id, f.end_on, p.phone, p.msg_lang").
		Join("JOIN persons AS p ON p.id = f.person_id").
		Join("JOIN dom_sites AS st ON st.site_id = f.site_id AND st.sms_enabled").
		Where("f.status = ? AND f.anonymised_at IS NULL AND p.phone <> ''", StatusValid).
		Where("f.end_on >= ? AND f.end_on <= ? AND f.cut_on IS NULL", today, today.AddDate(0, 1, 0)).
		Where("(f.expiry_sms_for IS NULL OR f.expiry_sms_for <> f.end_on)").
		Scan(ctx, &rows)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range rows {
		st, err := s.Settings(ctx, s.DB.R, r.OrgID, r.SiteID)
		if err != nil {
			return n, err
		}
		pn := now.In(clock.Paris)
		at := time.Date(pn.Year(), pn.Month(), pn.Day(), st.SMSHour, 0, 0, 0, clock.Paris)
		if at.Before(now) {
			at = now
		}
		sent, err := s.textOne(ctx, r.OrgID, r.SiteID, r.smsTarget, notify.Message{Purpose: "domicile.expiry", BodyKey: "domicile.sms.expiry",
			Args: map[string]any{"Date": r.EndOn.Format("02/01/2006"), "Site": st.Organism}, NotBefore: at}, "expiry_sms_for = ?", r.EndOn)
		if err != nil {
			return n, err
		}
		if sent {
			n++
		}
	}
	return n, nil
}

// RemindersArgs is the daily job of the expiry reminders (18:00 in Paris,
// sent at the site's hour).
type RemindersArgs struct{}

// Kind names the job.
func (RemindersArgs) Kind() string { return "domicile.reminders" }

// RemindersWorker runs RemindersArgs.
type RemindersWorker struct {
	river.WorkerDefaults[RemindersArgs]
	S   *Service
	Log *slog.Logger
}

// Work queues the reminders.
func (w *RemindersWorker) Work(ctx context.Context, _ *river.Job[RemindersArgs]) error {
	n, err := w.S.SendExpiryReminders(ctx)
	if err == nil && w.Log != nil {
		w.Log.Info("domicile reminders", "queued", n)
	}
	return err
}

// RemindersJob runs the reminders every day at 18:00 in Paris.
func RemindersJob() *river.PeriodicJob {
	return river.NewPeriodicJob(people.DailyAt{Hour: 18}, func() (river.JobArgs, *river.InsertOpts) { return RemindersArgs{}, nil },
		&river.PeriodicJobOpts{ID: "domicile.reminders"})
}
