package pathway

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"
	"github.com/uptrace/bun"

	"parcours/internal/people"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/db"
	"parcours/internal/platform/jobs"
	"parcours/internal/platform/notify"
)

// Application is a person's application for a right, with its dates.
type Application struct {
	bun.BaseModel `bun:"table:pathway_applications,alias:ap"`

	ID             string     `bun:"id,pk"`
	OrgID          string     `bun:"org_id"`
	PersonID       string     `bun:"person_id"`
	SiteID         string     `bun:"site_id"`
	Right          string     `bun:"right_id"`
	PreparedOn     *time.Time `bun:"prepared_on,type:date"`
	SubmittedOn    *time.Time `bun:"submitted_on,type:date"`
	AcknowledgedOn *time.Time `bun:"acknowledged_on,type:date"`
	DecidedOn      *time.Time `bun:"decided_on,type:date"`
	ExpiresOn      *time.Time `bun:"expires_on,type:date"`
	Outcome        string     `bun:"outcome"`
	Note           string     `bun:"note"`
	OwnerID        string     `bun:"owner_id"`
	CreatedBy      string     `bun:"created_by"`
	CreatedAt      time.Time  `bun:"created_at"`
	UpdatedAt      time.Time  `bun:"updated_at"`
}

// DelayDays is the number of days from submission to decision (false when
// either is missing).
func (a Application) DelayDays() (int, bool) {
	if a.SubmittedOn == nil || a.DecidedOn == nil {
		return 0, false
	}
	return int(a.DecidedOn.Sub(*a.SubmittedOn).Hours() / 24), true
}

// ExpiresWithin reports whether a granted right expires within days of day
// (or has expired).
func (a Application) ExpiresWithin(day time.Time, days int) bool {
	return a.Outcome == "granted" && a.ExpiresOn != nil && a.ExpiresOn.Before(day.AddDate(0, 0, days+1))
}

// ApplicationInput is the application form.
type ApplicationInput struct {
	Right                                               string
	Prepared, Submitted, Acknowledged, Decided, Expires *time.Time
	Outcome                                             string
	Note                                                string
}

func (s *Service) validateApplication(in *ApplicationInput) error {
	fields := map[string]string{}
	if !valid(ApplicationRights(), in.Right) {
		fields["app_right"] = "common.form.invalid_choice"
	}
	if in.Outcome == "" {
		in.Outcome = "pending"
	}
	if !valid(Outcomes, in.Outcome) {
		fields["app_outcome"] = "common.form.invalid_choice"
	}
	in.Note = strings.TrimSpace(in.Note)
	if utf8.RuneCountInString(in.Note) > 1000 {
		fields["app_note"] = "common.form.too_long"
	}
	today := s.today()
	// The steps happened in order, and none in the future.
	order := []struct {
		name string
		d    *time.Time
	}{{"app_prepared", in.Prepared}, {"app_submitted", in.Submitted}, {"app_acknowledged", in.Acknowledged}, {"app_decided", in.Decided}}
	var last *time.Time
	for _, o := range order {
		if o.d == nil {
			continue
		}
		if o.d.After(today) {
			fields[o.name] = "pathway.error.future"
		} else if last != nil && o.d.Before(*last) {
			fields[o.name] = "pathway.error.dates_order"
		}
		last = o.d
	}
	if (in.Outcome == "granted" || in.Outcome == "refused") && in.Decided == nil {
		fields["app_decided"] = "pathway.error.decision_date"
	}
	if in.Outcome != "granted" && in.Expires != nil {
		fields["app_expires"] = "pathway.error.expiry_not_granted"
	}
	if in.Expires != nil && in.Decided != nil && in.Expires.Before(*in.Decided) {
		fields["app_expires"] = "pathway.error.dates_order"
	}
	if len(fields) > 0 {
		return apperr.Validation(fields)
	}
	return nil
}

// SaveApplication records a new application (id "") or changes one. When a
// granted right has an expiry date, the renewal reminder is queued in the
// same transaction (see RenewalArgs).
func (s *Service) SaveApplication(ctx context.Context, p *auth.Principal, personID, id string, in ApplicationInput) (*Application, error) {
	per, _, err := s.open(ctx, p, personID)
	if err != nil {
		return nil, err
	}
	if err := people.Writable(per); err != nil {
		return nil, err
	}
	if err := s.validateApplication(&in); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	ap := &Application{ID: db.NewID(), OrgID: per.OrgID, PersonID: per.ID, SiteID: per.SiteID, OwnerID: per.ReferentID,
		CreatedBy: p.UserID, CreatedAt: now}
	if ap.OwnerID == "" {
		ap.OwnerID = p.UserID
	}
	var prevExpires *time.Time
	if id != "" {
		if ap, err = s.application(ctx, s.DB.R, p.OrgID, per.ID, id); err != nil {
			return nil, err
		}
		prevExpires = ap.ExpiresOn
	}
	ap.Right, ap.PreparedOn, ap.SubmittedOn, ap.AcknowledgedOn = in.Right, in.Prepared, in.Submitted, in.Acknowledged
	ap.DecidedOn, ap.ExpiresOn, ap.Outcome, ap.Note, ap.UpdatedAt = in.Decided, in.Expires, in.Outcome, in.Note, now
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		action, key := "application.update", "pathway.event.application_updated"
		if id == "" {
			action, key = "application.add", "pathway.event.application_added"
			if _, err := tx.NewInsert().Model(ap).Exec(ctx); err != nil {
				return err
			}
		} else if _, err := tx.NewUpdate().Model(ap).WherePK().Where("org_id = ?", p.OrgID).Exec(ctx); err != nil {
			return err
		}
		if ap.Outcome == "granted" && ap.ExpiresOn != nil && !sameDay(prevExpires, ap.ExpiresOn) {
			if err := s.queueRenewal(ctx, tx, ap); err != nil {
				return err
			}
		}
		args := map[string]any{"Right": ap.Right, "Outcome": ap.Outcome}
		if err := s.event(ctx, tx, per, "application", key, args, "", "", true); err != nil {
			return err
		}
		return s.record(ctx, tx, per, action, map[string]any{"application": ap.ID, "right": ap.Right, "outcome": ap.Outcome,
			"submitted": dateString(ap.SubmittedOn), "decided": dateString(ap.DecidedOn), "expires": dateString(ap.ExpiresOn)})
	})
	return ap, err
}

func sameDay(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

func (s *Service) application(ctx context.Context, q bun.IDB, orgID, personID, id string) (*Application, error) {
	if !db.ValidID(id) {
		return nil, apperr.ErrNotFound
	}
	ap := new(Application)
	err := q.NewSelect().Model(ap).Where("ap.org_id = ? AND ap.person_id = ? AND ap.id = ?", orgID, personID, id).Scan(ctx)
	return ap, db.Translate(err)
}

// Application returns one application of a file the user may open.
func (s *Service) Application(ctx context.Context, p *auth.Principal, personID, id string) (*people.Person, *Application, error) {
	per, _, err := s.open(ctx, p, personID)
	if err != nil {
		return nil, nil, err
	}
	ap, err := s.application(ctx, s.DB.R, p.OrgID, per.ID, id)
	return per, ap, err
}

func (s *Service) applications(ctx context.Context, personID string) ([]Application, error) {
	var out []Application
	err := s.DB.R.NewSelect().Model(&out).Where("ap.person_id = ?", personID).Order("ap.created_at DESC").Limit(100).Scan(ctx)
	return out, err
}

// RenewalArgs is the job that reminds of a right's renewal ahead of its
// expiry. It carries the expiry it was queued for: if the date changed
// since, or the right was renewed, it does nothing.
type RenewalArgs struct {
	ApplicationID string `json:"application_id"`
	ExpiresOn     string `json:"expires_on"`
}

// Kind names the job.
func (RenewalArgs) Kind() string { return "pathway.renewal" }

// RenewalAt is when the reminder of a right expiring on expires goes out:
// ReminderLead days before, at 9:00 in Paris.
func RenewalAt(right string, expires time.Time) time.Time {
	d := expires.AddDate(0, 0, -ReminderLead(right))
	return time.Date(d.Year(), d.Month(), d.Day(), 9, 0, 0, 0, clock.Paris)
}

func (s *Service) queueRenewal(ctx context.Context, tx bun.Tx, ap *Application) error {
	if s.Jobs == nil {
		return fmt.Errorf("pathway: no job client")
	}
	at := RenewalAt(ap.Right, *ap.ExpiresOn)
	if now := s.Clock.Now(); at.Before(now) {
		at = now
	}
	return jobs.InsertTx(ctx, s.Jobs, tx, RenewalArgs{ApplicationID: ap.ID, ExpiresOn: ap.ExpiresOn.Format(time.DateOnly)},
		&river.InsertOpts{ScheduledAt: at})
}

// RenewalWorker sends the renewal reminders.
type RenewalWorker struct {
	river.WorkerDefaults[RenewalArgs]
	S *Service
}

// Work runs one reminder.
func (w *RenewalWorker) Work(ctx context.Context, job *river.Job[RenewalArgs]) error {
	_, err := w.S.Remind(ctx, job.Args)
	return err
}

// Remind sends a renewal reminder, in one transaction: a worklist item for
// the referent (or whoever recorded the application), an SMS to the person
// only with their SMS consent and a mobile number, in their language (the
// text names no right: an SMS can be read by others), a timeline event and
// the audit entry. It reports whether a reminder went out.
func (s *Service) Remind(ctx context.Context, args RenewalArgs) (bool, error) {
	sent := false
	err := s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		ap := new(Application)
		if err := tx.NewSelect().Model(ap).Where("ap.id = ?", args.ApplicationID).Scan(ctx); err != nil {
			if apperr.Is(db.Translate(err), apperr.NotFound) {
				return nil // purged since
			}
			return err
		}
		if ap.Outcome != "granted" || ap.ExpiresOn == nil || ap.ExpiresOn.Format(time.DateOnly) != args.ExpiresOn {
			return nil
		}
		// A newer application for the same right means the renewal is on its way.
		n, err := tx.NewSelect().Model((*Application)(nil)).Where("ap.person_id = ? AND ap.right_id = ? AND ap.created_at > ? AND ap.outcome IN ('pending', 'granted')",
			ap.PersonID, ap.Right, ap.CreatedAt).Count(ctx)
		if err != nil || n > 0 {
			return err
		}
		per := new(people.Person)
		if err := tx.NewSelect().Model(per).Where("p.id = ?", ap.PersonID).Scan(ctx); err != nil {
			return err
		}
		if per.Anonymised() || per.MergedInto != "" {
			return nil
		}
		owner := per.ReferentID
		if owner == "" {
			owner = ap.OwnerID
		}
		// A job run twice (retried after a crash) reminds once.
		dedup := "renewal:" + ap.ID + ":" + args.ExpiresOn
		done, err := tx.NewSelect().Model((*Task)(nil)).Where("tk.org_id = ? AND tk.dedup = ?", per.OrgID, dedup).Count(ctx)
		if err != nil || done > 0 {
			return err
		}
		if err := s.addTask(ctx, tx, per, owner, "renewal", ap.ID, "pathway.task.renewal", map[string]any{"Right": ap.Right, "Date": args.ExpiresOn},
			ap.ExpiresOn, dedup); err != nil {
			return err
		}
		sms := false
		ok, err := s.People.HasConsent(ctx, tx, per.ID, people.PurposeSMS, "")
		if err != nil {
			return err
		}
		if ok && per.Phone != "" && people.Mobile(per.Phone) {
			var site string
			if err := tx.NewSelect().Table("sites").Column("name").Where("id = ?", per.SiteID).Scan(ctx, &site); err != nil {
				return err
			}
			l := s.Catalog.Localizer(per.MsgLang)
			if _, err := s.Outbox.QueueSMS(ctx, tx, notify.Message{OrgID: per.OrgID, To: per.Phone, Lang: per.MsgLang,
				Purpose: "pathway.renewal", BodyKey: "pathway.sms.renewal",
				Args: map[string]any{"Date": l.Date(*ap.ExpiresOn), "Site": site}}); err != nil {
				return err
			}
			sms = true
		}
		if err := s.event(ctx, tx, per, "renewal", "pathway.event.renewal_reminder", map[string]any{"Right": ap.Right, "SMS": sms}, "", "", false); err != nil {
			return err
		}
		sent = true
		return s.record(ctx, tx, per, "renewal_reminder", map[string]any{"application": ap.ID, "sms": sms, "user": owner})
	})
	return sent, err
}

// Task is a worklist item.
type Task struct {
	bun.BaseModel `bun:"table:pathway_tasks,alias:tk"`

	ID        string     `bun:"id,pk"`
	OrgID     string     `bun:"org_id"`
	PersonID  string     `bun:"person_id"`
	UserID    string     `bun:"user_id"`
	Kind      string     `bun:"kind"`
	RefID     string     `bun:"ref_id"`
	Key       string     `bun:"msg_key"`
	ArgsJSON  string     `bun:"args"`
	DueOn     *time.Time `bun:"due_on,type:date"`
	Dedup     string     `bun:"dedup"`
	CreatedAt time.Time  `bun:"created_at"`
	DoneAt    *time.Time `bun:"done_at"`
}

// Args decodes the task's message arguments.
func (t Task) Args() map[string]any {
	var m map[string]any
	if json.Unmarshal([]byte(t.ArgsJSON), &m) != nil {
		return nil
	}
	return m
}

// addTask adds a worklist item once (dedup).
func (s *Service) addTask(ctx context.Context, tx bun.Tx, per *people.Person, userID, kind, refID, key string, args map[string]any, due *time.Time, dedup string) error {
	b, err := json.Marshal(args)
	if err != nil {
		return err
	}
	t := &Task{ID: db.NewID(), OrgID: per.OrgID, PersonID: per.ID, UserID: userID, Kind: kind, RefID: refID, Key: key,
		ArgsJSON: string(b), DueOn: due, Dedup: dedup, CreatedAt: s.Clock.Now()}
	_, err = tx.NewInsert().Model(t).On("CONFLICT DO NOTHING").Exec(ctx)
	return err
}

// DoneTask clears a worklist item of the user (another user's item is
// Forbidden: each one clears their own).
func (s *Service) DoneTask(ctx context.Context, p *auth.Principal, id string) error {
	t, err := byID[Task](ctx, s.DB.R, "tk", p.OrgID, id)
	if err != nil {
		return err
	}
	if t.UserID != p.UserID {
		return apperr.ErrForbidden
	}
	if t.DoneAt != nil {
		return nil
	}
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model((*Task)(nil)).Set("done_at = ?", s.Clock.Now()).Where("id = ?", t.ID).Exec(ctx); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, auditTask(t))
	})
}
