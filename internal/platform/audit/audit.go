// Package audit keeps the append-only, hash-chained audit trail: sign-ins,
// changes, exports and every read of personal data, with who, what, when
// and from where. `parcours audit verify` detects an edited or deleted row.
package audit

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/platform/clock"
	"parcours/internal/platform/db"
)

//go:embed migrations/*.sql
var migrationsFS embed.FS

// Migrations returns the audit tables' migrations.
func Migrations() []db.Migration { return db.MustMigrations(migrationsFS, "migrations") }

// Entry is one line of the trail.
type Entry struct {
	bun.BaseModel `bun:"table:audit_log"`

	Seq        int64     `bun:"seq,pk"`
	At         time.Time `bun:"at"`
	OrgID      string    `bun:"org_id"`
	ActorID    string    `bun:"actor_id"`
	ActorLabel string    `bun:"actor_label"`
	Action     string    `bun:"action"`
	ObjectType string    `bun:"object_type"`
	ObjectID   string    `bun:"object_id"`
	SiteID     string    `bun:"site_id"`
	IP         string    `bun:"ip"`
	RequestID  string    `bun:"request_id"`
	Details    string    `bun:"details"`
	PrevHash   string    `bun:"prev_hash"`
	Hash       string    `bun:"hash"`
}

type head struct {
	bun.BaseModel `bun:"table:audit_head"`

	ID         int    `bun:"id,pk"`
	Seq        int64  `bun:"seq"`
	Hash       string `bun:"hash"`
	FirstSeq   int64  `bun:"first_seq"`
	AnchorHash string `bun:"anchor_hash"`
}

// Actor is who acts, as the auth layer puts it in the context.
type Actor struct {
	UserID, OrgID, Label, IP, RequestID string
}

type ctxKey struct{}

// WithActor stores the acting user for the entries written in ctx.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, ctxKey{}, a)
}

// ActorFrom returns the acting user, if any.
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(ctxKey{}).(Actor)
	return a, ok
}

// Event describes what happened; who, when and from where come from the
// context (see WithActor) unless set here.
type Event struct {
	Action     string // e.g. auth.login, site.create, person.read, export.xlsx
	ObjectType string
	ObjectID   string
	SiteID     string
	OrgID      string // defaults to the actor's organisation
	Details    map[string]any
	// ActorLabel names an anonymous actor (e.g. the e-mail typed at a failed sign-in).
	ActorLabel string
	IP         string
}

// Log writes and reads the trail.
type Log struct {
	DB    *db.DB
	Clock clock.Clock
}

// Record appends an entry inside tx, so that a change and its trace are
// committed together or not at all.
func (l *Log) Record(ctx context.Context, tx bun.Tx, ev Event) error {
	a, _ := ActorFrom(ctx)
	e := &Entry{
		At:         l.Clock.Now().UTC().Truncate(time.Microsecond),
		OrgID:      firstNonEmpty(ev.OrgID, a.OrgID),
		ActorID:    a.UserID,
		ActorLabel: firstNonEmpty(ev.ActorLabel, a.Label),
		Action:     ev.Action,
		ObjectType: ev.ObjectType,
		ObjectID:   ev.ObjectID,
		SiteID:     ev.SiteID,
		IP:         firstNonEmpty(ev.IP, a.IP),
		RequestID:  a.RequestID,
		Details:    "{}",
	}
	if len(ev.Details) > 0 {
		b, err := json.Marshal(ev.Details)
		if err != nil {
			return fmt.Errorf("audit details: %w", err)
		}
		e.Details = string(b)
	}
	var h head
	q := tx.NewSelect().Model(&h).Where("id = 1")
	if l.DB.Engine == db.Postgres {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	e.Seq = h.Seq + 1
	e.PrevHash = h.Hash
	e.Hash = Hash(e)
	if _, err := tx.NewInsert().Model(e).Exec(ctx); err != nil {
		return fmt.Errorf("audit insert: %w", err)
	}
	if _, err := tx.NewUpdate().Model((*head)(nil)).Set("seq = ?", e.Seq).Set("hash = ?", e.Hash).
		Where("id = 1").Exec(ctx); err != nil {
		return fmt.Errorf("audit head update: %w", err)
	}
	return nil
}

// RecordNow appends an entry in its own transaction (for reads of
// personal data and for events that change nothing else).
func (l *Log) RecordNow(ctx context.Context, ev Event) error {
	return l.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error { return l.Record(ctx, tx, ev) })
}

// hashed is the canonical form hashed for an entry: a struct, so the JSON
// field order is fixed.
type hashed struct {
	Prev       string `json:"p"`
	Seq        int64  `json:"s"`
	At         string `json:"t"`
	OrgID      string `json:"o"`
	ActorID    string `json:"a"`
	ActorLabel string `json:"al"`
	Action     string `json:"ac"`
	ObjectType string `json:"ot"`
	ObjectID   string `json:"oi"`
	SiteID     string `json:"si"`
	IP         string `json:"ip"`
	RequestID  string `json:"r"`
	Details    string `json:"d"`
}

// Hash computes an entry's hash from its content and the previous hash.
func Hash(e *Entry) string {
	b, _ := json.Marshal(hashed{
		Prev: e.PrevHash, Seq: e.Seq, At: e.At.UTC().Format(time.RFC3339Nano), OrgID: e.OrgID,
		ActorID: e.ActorID, ActorLabel: e.ActorLabel, Action: e.Action, ObjectType: e.ObjectType,
		ObjectID: e.ObjectID, SiteID: e.SiteID, IP: e.IP, RequestID: e.RequestID, Details: e.Details,
	})
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
