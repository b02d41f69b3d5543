package people

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
)

// EventRow is a stored timeline event.
type EventRow struct {
	bun.BaseModel `bun:"table:person_events"`

	ID        string    `bun:"id,pk"`
	OrgID     string    `bun:"org_id"`
	PersonID  string    `bun:"person_id"`
	Kind      string    `bun:"kind"`
	At        time.Time `bun:"at"`
	Key       string    `bun:"msg_key"`
	ArgsJSON  string    `bun:"args"`
	Link      string    `bun:"link"`
	Audience  Audience  `bun:"audience"`
	ActorID   string    `bun:"actor_id"`
	CreatedAt time.Time `bun:"created_at"`
}

// Args decodes the summary's arguments.
func (e EventRow) Args() map[string]any {
	var m map[string]any
	if json.Unmarshal([]byte(e.ArgsJSON), &m) != nil {
		return nil
	}
	return m
}

// Append adds an event to a person's timeline inside the caller's
// transaction; a contact event also restarts the retention clock. The
// person must be a file of orgID.
func (s *Service) Append(ctx context.Context, tx bun.Tx, orgID string, e Event) error {
	if !db.ValidID(e.PersonID) || !strings.Contains(e.Kind, ".") || e.Summary.Key == "" {
		return fmt.Errorf("people: invalid event %q for %q", e.Kind, e.PersonID)
	}
	switch e.Audience {
	case AudienceAll, AudienceHealth, AudienceLegal:
	default:
		return fmt.Errorf("people: unknown audience %q", e.Audience)
	}
	now := s.Clock.Now()
	if e.At.IsZero() {
		e.At = now
	}
	args := "{}"
	if len(e.Summary.Args) > 0 {
		b, err := json.Marshal(e.Summary.Args)
		if err != nil {
			return fmt.Errorf("people: event args: %w", err)
		}
		args = string(b)
	}
	actor, _ := audit.ActorFrom(ctx)
	row := &EventRow{ID: db.NewID(), OrgID: orgID, PersonID: e.PersonID, Kind: e.Kind, At: e.At, Key: e.Summary.Key,
		ArgsJSON: args, Link: e.Link, Audience: e.Audience, ActorID: actor.UserID, CreatedAt: now}
	q := tx.NewUpdate().Model((*Person)(nil)).Where("org_id = ? AND id = ?", orgID, e.PersonID)
	if e.Contact {
		q = q.Set("last_contact_at = CASE WHEN last_contact_at < ? THEN ? ELSE last_contact_at END", e.At, e.At)
	} else {
		q = q.Set("org_id = org_id")
	}
	res, err := q.Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.ErrNotFound
	}
	if e.Contact {
		if _, err := tx.NewDelete().Table("person_retention").Where("person_id = ?", e.PersonID).Exec(ctx); err != nil {
			return err
		}
	}
	_, err = tx.NewInsert().Model(row).Exec(ctx)
	return err
}

// Events returns the timeline of a file, newest first, without the events
// the user's access does not show.
func (s *Service) Events(ctx context.Context, p *auth.Principal, personID string, limit int) ([]EventRow, error) {
	_, a, err := s.Find(ctx, p, personID)
	if err != nil {
		return nil, err
	}
	return s.events(ctx, s.DB.R, p.OrgID, personID, a, limit)
}

func (s *Service) events(ctx context.Context, q bun.IDB, orgID, personID string, a Access, limit int) ([]EventRow, error) {
	aud := []string{string(AudienceAll)}
	if a.Health {
		aud = append(aud, string(AudienceHealth))
	}
	if a.Legal {
		aud = append(aud, string(AudienceLegal))
	}
	var out []EventRow
	sel := q.NewSelect().Model(&out).Where("org_id = ? AND person_id = ? AND audience IN (?)", orgID, personID, bun.List(aud)).
		Order("at DESC", "id DESC")
	if limit > 0 {
		sel = sel.Limit(int64(limit))
	}
	err := sel.Scan(ctx)
	return out, err
}
