package audit

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"parcours/internal/platform/db"
)

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// Filter selects entries of one organisation.
type Filter struct {
	OrgID      string
	ActorID    string
	Action     string // exact, or a prefix ending with "." (e.g. "auth.")
	ObjectType string
	ObjectID   string
	From, To   time.Time // To is exclusive
	BeforeSeq  int64     // keyset paging: entries older than this
	Limit      int
}

// List returns entries matching f, newest first.
func (l *Log) List(ctx context.Context, f Filter) ([]Entry, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	var es []Entry
	q := l.DB.R.NewSelect().Model(&es).Where("org_id = ?", f.OrgID)
	if f.ActorID != "" {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if f.Action != "" {
		if f.Action[len(f.Action)-1] == '.' {
			q = q.Where("action LIKE ? ESCAPE '\\'", db.LikeEscape(f.Action)+"%")
		} else {
			q = q.Where("action = ?", f.Action)
		}
	}
	if f.ObjectType != "" {
		q = q.Where("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		q = q.Where("object_id = ?", f.ObjectID)
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From)
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To)
	}
	if f.BeforeSeq > 0 {
		q = q.Where("seq < ?", f.BeforeSeq)
	}
	err := q.Order("seq DESC").Limit(int64(f.Limit)).Scan(ctx)
	return es, err
}
