package auth

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/db"
	"parcours/internal/platform/notify"
)

// resetTTL is how long a password reset link works.
const resetTTL = time.Hour

// maxResetsPerHour bounds reset e-mails per address.
const maxResetsPerHour = 3

type resetRow struct {
	bun.BaseModel `bun:"table:password_resets"`

	ID        string     `bun:"id,pk"`
	UserID    string     `bun:"user_id"`
	CreatedAt time.Time  `bun:"created_at"`
	ExpiresAt time.Time  `bun:"expires_at"`
	UsedAt    *time.Time `bun:"used_at"`
}

// RequestReset e-mails a reset link when the address has an active
// account. It answers the same way whether or not it exists.
func (s *Service) RequestReset(ctx context.Context, email, lang, ip string) error {
	email = NormalizeEmail(email)
	u, err := UserByEmail(ctx, s.DB.R, email)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return nil
		}
		return err
	}
	if u.DisabledAt != nil {
		return nil
	}
	now := s.Clock.Now()
	n, err := s.DB.R.NewSelect().Model((*resetRow)(nil)).Where("user_id = ? AND created_at > ?", u.ID, now.Add(-time.Hour)).Count(ctx)
	if err != nil {
		return err
	}
	if n >= maxResetsPerHour {
		return nil
	}
	if u.Lang != "" {
		lang = u.Lang
	}
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.sendLink(ctx, tx, u, lang, resetTTL, "auth.reset"); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "auth.reset_requested", OrgID: u.OrgID, ObjectType: "user",
			ObjectID: u.ID, ActorLabel: email, IP: ip})
	})
}

// inviteTTL is how long the link sent to a new account works.
const inviteTTL = 72 * time.Hour

// Invite e-mails a new account a link to choose its password, inside tx.
func (s *Service) Invite(ctx context.Context, tx bun.Tx, u *User) error {
	return s.sendLink(ctx, tx, u, u.Lang, inviteTTL, "auth.invite")
}

// sendLink stores a one-time token and queues the e-mail carrying it; kind
// names the messages (kind.mail_subject, kind.mail_body).
func (s *Service) sendLink(ctx context.Context, tx bun.Tx, u *User, lang string, ttl time.Duration, kind string) error {
	now := s.Clock.Now()
	token, id := newToken()
	if _, err := tx.NewInsert().Model(&resetRow{ID: id, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(ttl)}).Exec(ctx); err != nil {
		return err
	}
	link := s.BaseURL + "/" + lang + "/password/reset/" + token
	_, err := s.Outbox.QueueEmail(ctx, tx, notify.Message{OrgID: u.OrgID, To: u.Email, Lang: lang, Purpose: kind,
		SubjectKey: kind + ".mail_subject", BodyKey: kind + ".mail_body",
		Args: map[string]any{"Name": u.Name, "Link": link, "Hours": int(ttl.Hours()), "Email": u.Email}})
	return err
}

// resetFor finds the unexpired, unused reset of a token.
func (s *Service) resetFor(ctx context.Context, q bun.IDB, token string) (*resetRow, error) {
	if token == "" || len(token) > 100 {
		return nil, apperr.New(apperr.NotFound, "auth.reset.invalid")
	}
	r := new(resetRow)
	err := q.NewSelect().Model(r).Where("id = ?", tokenID(token)).Scan(ctx)
	if err != nil || r.UsedAt != nil || s.Clock.Now().After(r.ExpiresAt) {
		return nil, apperr.New(apperr.NotFound, "auth.reset.invalid")
	}
	return r, nil
}

// CheckReset tells whether a reset link still works.
func (s *Service) CheckReset(ctx context.Context, token string) error {
	_, err := s.resetFor(ctx, s.DB.R, token)
	return err
}

// ResetPassword sets a new password through a reset link, once, and ends
// every session of the account.
func (s *Service) ResetPassword(ctx context.Context, token, pw, ip string) error {
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		r, err := s.resetFor(ctx, tx, token)
		if err != nil {
			return err
		}
		u := new(User)
		if err := tx.NewSelect().Model(u).Where("id = ?", r.UserID).Scan(ctx); err != nil {
			return db.Translate(err)
		}
		if err := s.SetPassword(ctx, tx, u, pw); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model((*resetRow)(nil)).Set("used_at = ?", s.Clock.Now()).Where("id = ?", r.ID).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*SessionRow)(nil)).Where("user_id = ?", u.ID).Exec(ctx); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "auth.password_reset", OrgID: u.OrgID, ObjectType: "user",
			ObjectID: u.ID, ActorLabel: u.Email, IP: ip})
	})
}
