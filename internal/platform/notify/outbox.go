// Package notify sends e-mail (SMTP) and SMS (through a provider) via an
// outbox table: a message is written in the same transaction as the change
// that causes it, in the recipient's language, and a job sends it. In demo
// mode, or when no transport is configured, messages stay in the outbox.
package notify

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/uptrace/bun"

	"parcours/internal/platform/clock"
	"parcours/internal/platform/db"
	"parcours/internal/platform/i18n"
	"parcours/internal/platform/jobs"
)

//go:embed migrations/*.sql
var migrationsFS embed.FS

// Migrations returns the outbox table's migrations.
func Migrations() []db.Migration { return db.MustMigrations(migrationsFS, "migrations") }

// Channels.
const (
	ChannelEmail = "email"
	ChannelSMS   = "sms"
)

// Statuses of an outgoing message.
const (
	StatusQueued = "queued"
	StatusSent   = "sent"
	StatusFailed = "failed"
	StatusHeld   = "held" // demo mode or no transport: kept, not sent
)

// Item is one outgoing message.
type Item struct {
	bun.BaseModel `bun:"table:outbox"`

	ID         string     `bun:"id,pk"`
	OrgID      string     `bun:"org_id"`
	Channel    string     `bun:"channel"`
	Recipient  string     `bun:"recipient"`
	Lang       string     `bun:"lang"`
	Purpose    string     `bun:"purpose"`
	Subject    string     `bun:"subject"`
	Body       string     `bun:"body"`
	Status     string     `bun:"status"`
	Attempts   int        `bun:"attempts"`
	LastError  string     `bun:"last_error"`
	ProviderID string     `bun:"provider_id"`
	CreatedAt  time.Time  `bun:"created_at"`
	SentAt     *time.Time `bun:"sent_at"`
}

// Message is what a module asks to send. Subject and body are message IDs
// rendered in Lang (with the fallback chain) from Args.
type Message struct {
	OrgID      string
	To         string // e-mail address, or E.164 phone number
	Lang       string
	Purpose    string // e.g. auth.reset, domicile.mail_arrived
	SubjectKey string // e-mail only
	BodyKey    string
	Args       map[string]any
	// NotBefore delays sending (e.g. SMS batched at the hour a site chose).
	NotBefore time.Time
}

// EmailSender sends one e-mail.
type EmailSender interface {
	SendEmail(ctx context.Context, to, subject, body string) error
}

// SMSProvider sends one SMS and returns the provider's message id.
type SMSProvider interface {
	SendSMS(ctx context.Context, to, text string) (string, error)
}

// Outbox writes and sends messages.
type Outbox struct {
	DB      *db.DB
	Clock   clock.Clock
	Catalog *i18n.Catalog
	// Jobs enqueues the sending job; set once the client exists.
	Jobs *jobs.Client
	// Hold keeps every message in the outbox (demo mode).
	Hold  bool
	Email EmailSender // nil: e-mails are held
	SMS   SMSProvider // nil: SMS are held
}

// QueueEmail writes an e-mail to the outbox inside tx and enqueues its sending.
func (o *Outbox) QueueEmail(ctx context.Context, tx bun.Tx, m Message) (*Item, error) {
	return o.queue(ctx, tx, ChannelEmail, m)
}

// QueueSMS writes an SMS to the outbox inside tx and enqueues its sending.
func (o *Outbox) QueueSMS(ctx context.Context, tx bun.Tx, m Message) (*Item, error) {
	return o.queue(ctx, tx, ChannelSMS, m)
}

func (o *Outbox) queue(ctx context.Context, tx bun.Tx, channel string, m Message) (*Item, error) {
	if strings.TrimSpace(m.To) == "" {
		return nil, errors.New("notify: no recipient")
	}
	l := o.Catalog.Localizer(m.Lang)
	it := &Item{
		ID: db.NewID(), OrgID: m.OrgID, Channel: channel, Recipient: strings.TrimSpace(m.To), Lang: l.Tag,
		Purpose: m.Purpose, Body: l.TArgs(m.BodyKey, m.Args), Status: StatusQueued, CreatedAt: o.Clock.Now(),
	}
	if channel == ChannelEmail {
		it.Subject = l.TArgs(m.SubjectKey, m.Args)
	}
	if _, err := tx.NewInsert().Model(it).Exec(ctx); err != nil {
		return nil, db.Translate(err)
	}
	if o.Jobs == nil {
		return nil, errors.New("notify: no job client")
	}
	opts := &river.InsertOpts{}
	if !m.NotBefore.IsZero() {
		opts.ScheduledAt = m.NotBefore
	}
	if err := jobs.InsertTx(ctx, o.Jobs, tx, SendArgs{ID: it.ID}, opts); err != nil {
		return nil, fmt.Errorf("enqueue message: %w", err)
	}
	return it, nil
}

// SendArgs is the job that sends one outbox item.
type SendArgs struct {
	ID string `json:"id"`
}

// Kind names the job.
func (SendArgs) Kind() string { return "notify.send" }

// Worker sends outbox items.
type Worker struct {
	river.WorkerDefaults[SendArgs]
	O *Outbox
}

// Work sends one message; an error makes River retry with backoff, and the
// last failed attempt marks the item failed.
func (w *Worker) Work(ctx context.Context, job *river.Job[SendArgs]) error {
	o := w.O
	it := new(Item)
	if err := o.DB.R.NewSelect().Model(it).Where("id = ?", job.Args.ID).Scan(ctx); err != nil {
		return fmt.Errorf("outbox item %s: %w", job.Args.ID, err)
	}
	if it.Status != StatusQueued {
		return nil
	}
	var providerID string
	var err error
	switch {
	case o.Hold || (it.Channel == ChannelEmail && o.Email == nil) || (it.Channel == ChannelSMS && o.SMS == nil):
		return o.setStatus(ctx, it.ID, StatusHeld, "", "")
	case it.Channel == ChannelEmail:
		err = o.Email.SendEmail(ctx, it.Recipient, it.Subject, it.Body)
	default:
		providerID, err = o.SMS.SendSMS(ctx, it.Recipient, it.Body)
	}
	if err != nil {
		status := StatusQueued
		if job.Attempt >= job.MaxAttempts {
			status = StatusFailed
		}
		if uerr := o.setStatus(ctx, it.ID, status, err.Error(), ""); uerr != nil {
			return errors.Join(err, uerr)
		}
		return err
	}
	return o.setStatus(ctx, it.ID, StatusSent, "", providerID)
}

func (o *Outbox) setStatus(ctx context.Context, id, status, lastErr, providerID string) error {
	q := o.DB.W.NewUpdate().Model((*Item)(nil)).Set("status = ?", status).Set("attempts = attempts + 1").Where("id = ?", id)
	if len(lastErr) > 500 {
		lastErr = lastErr[:500]
	}
	q = q.Set("last_error = ?", lastErr)
	if status == StatusSent {
		q = q.Set("sent_at = ?", o.Clock.Now()).Set("provider_id = ?", providerID)
	}
	_, err := q.Exec(ctx)
	return err
}

// Filter selects outbox items of one centre.
type Filter struct {
	OrgID   string
	Channel string
	Status  string
	Before  time.Time // keyset paging on created_at
	Limit   int
}

// List returns items, newest first.
func (o *Outbox) List(ctx context.Context, f Filter) ([]Item, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	var items []Item
	q := o.DB.R.NewSelect().Model(&items).Where("org_id = ?", f.OrgID)
	if f.Channel != "" {
		q = q.Where("channel = ?", f.Channel)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if !f.Before.IsZero() {
		q = q.Where("created_at < ?", f.Before)
	}
	err := q.Order("created_at DESC").Limit(int64(f.Limit)).Scan(ctx)
	return items, err
}

// Purge deletes sent and failed messages older than retention (they hold
// personal data and are not needed once delivered).
func (o *Outbox) Purge(ctx context.Context, retention time.Duration) (int64, error) {
	res, err := o.DB.W.NewDelete().Model((*Item)(nil)).Where("status IN (?) AND created_at < ?",
		bun.List([]string{StatusSent, StatusFailed, StatusHeld}), o.Clock.Now().Add(-retention)).Exec(ctx)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
