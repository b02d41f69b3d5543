package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/platform/db"
)

// SessionRow is a server-side session; the cookie holds a random token
// and the table only its SHA-256, so a database leak gives no session.
type SessionRow struct {
	bun.BaseModel `bun:"table:sessions"`

	ID         string    `bun:"id,pk"`
	UserID     string    `bun:"user_id"`
	OrgID      string    `bun:"org_id"`
	MFAOK      bool      `bun:"mfa_ok"`
	CreatedAt  time.Time `bun:"created_at"`
	LastSeenAt time.Time `bun:"last_seen_at"`
	ExpiresAt  time.Time `bun:"expires_at"`
	IP         string    `bun:"ip"`
	UserAgent  string    `bun:"user_agent"`
}

func newToken() (token, id string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, tokenID(token)
}

func tokenID(token string) string {
	s := sha256.Sum256([]byte(token))
	return hex.EncodeToString(s[:])
}

// createSession stores a new session and returns its cookie token.
func (s *Service) createSession(ctx context.Context, tx bun.Tx, u *User, mfaOK bool, ip, ua string) (string, error) {
	now := s.Clock.Now()
	token, id := newToken()
	if len(ua) > 300 {
		ua = ua[:300]
	}
	row := &SessionRow{ID: id, UserID: u.ID, OrgID: u.OrgID, MFAOK: mfaOK, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(s.SessionMax), IP: ip, UserAgent: ua}
	_, err := tx.NewInsert().Model(row).Exec(ctx)
	return token, db.Translate(err)
}

// session finds a live session by cookie token; it returns NotFound when
// the session is unknown, idle for too long or past its maximum age.
func (s *Service) session(ctx context.Context, token string) (*SessionRow, error) {
	if token == "" || len(token) > 100 {
		return nil, db.Translate(errNoRows)
	}
	row := new(SessionRow)
	if err := s.DB.R.NewSelect().Model(row).Where("id = ?", tokenID(token)).Scan(ctx); err != nil {
		return nil, db.Translate(err)
	}
	now := s.Clock.Now()
	if now.After(row.ExpiresAt) || now.Sub(row.LastSeenAt) > s.SessionIdle {
		return nil, db.Translate(errNoRows)
	}
	return row, nil
}

// touch records activity, at most once a minute per session, so reading
// pages does not turn into a write per request.
func (s *Service) touch(ctx context.Context, row *SessionRow) {
	now := s.Clock.Now()
	if now.Sub(row.LastSeenAt) < time.Minute {
		return
	}
	_, _ = s.DB.W.NewUpdate().Model((*SessionRow)(nil)).Set("last_seen_at = ?", now).Where("id = ?", row.ID).Exec(ctx)
}

// Sessions lists a user's live sessions, newest first.
func (s *Service) Sessions(ctx context.Context, userID string) ([]SessionRow, error) {
	var rows []SessionRow
	now := s.Clock.Now()
	err := s.DB.R.NewSelect().Model(&rows).Where("user_id = ? AND expires_at > ? AND last_seen_at > ?",
		userID, now, now.Add(-s.SessionIdle)).Order("last_seen_at DESC").Scan(ctx)
	return rows, err
}

// PurgeSessions deletes expired sessions (run by a periodic job).
func (s *Service) PurgeSessions(ctx context.Context) (int64, error) {
	now := s.Clock.Now()
	res, err := s.DB.W.NewDelete().Model((*SessionRow)(nil)).
		Where("expires_at < ? OR last_seen_at < ?", now, now.Add(-s.SessionIdle)).Exec(ctx)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
