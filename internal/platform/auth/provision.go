package auth

import (
	"context"
	"errors"

	"github.com/uptrace/bun"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/db"
)

// NewUser is an account created from the command line or the demo data,
// with its password (and, for demo accounts, a known TOTP secret).
type NewUser struct {
	OrgID, Email, Name, Lang, Password string
	Memberships                        []Membership
	Demo                               bool
	// TOTPSecret, when set, activates the second factor with this base32
	// secret (demo accounts, whose secret is printed on the console).
	TOTPSecret string
}

// Provision creates an account inside tx.
func (s *Service) Provision(ctx context.Context, tx bun.Tx, nu NewUser) (*User, error) {
	now := s.Clock.Now()
	if nu.Lang == "" {
		nu.Lang = "fr"
	}
	u := &User{ID: db.NewID(), OrgID: nu.OrgID, Email: NormalizeEmail(nu.Email), Name: nu.Name, Lang: nu.Lang,
		Demo: nu.Demo, CreatedAt: now, UpdatedAt: now}
	if u.Name == "" {
		u.Name = u.Email
	}
	if k := PasswordProblem(nu.Password, u.Email); k != "" {
		return nil, apperr.Validation(map[string]string{"password": k})
	}
	h, err := s.Argon2.HashPassword(nu.Password)
	if err != nil {
		return nil, err
	}
	u.PasswordHash = h
	if nu.TOTPSecret != "" {
		if u.TOTPSecret, err = s.sealer.seal(nu.TOTPSecret); err != nil {
			return nil, err
		}
		u.TOTPEnabledAt = &now
	}
	if _, err := tx.NewInsert().Model(u).Exec(ctx); err != nil {
		if err = db.Translate(err); errors.Is(err, db.ErrUnique) {
			return nil, apperr.Validation(map[string]string{"email": "org.user.email_taken"})
		}
		return nil, err
	}
	if err := SetMemberships(ctx, tx, u.OrgID, u.ID, nu.Memberships, now); err != nil {
		return nil, err
	}
	return u, s.Audit.Record(ctx, tx, audit.Event{Action: "user.create", OrgID: u.OrgID, ObjectType: "user", ObjectID: u.ID,
		ActorLabel: "cli", Details: map[string]any{"demo": nu.Demo}})
}

// CurrentCode returns the current TOTP code of an account with an active
// second factor (demo hints and tests only).
func (s *Service) CurrentCode(u *User) (string, error) {
	secret, err := s.sealer.open(u.TOTPSecret)
	if err != nil {
		return "", err
	}
	return totpCode(secret, s.Clock.Now())
}
