// Package auth signs users in (password + TOTP, or OpenID Connect), keeps
// server-side sessions, throttles attempts, resets passwords, and holds the
// role and permission matrix every module checks.
package auth

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/db"
	"parcours/internal/platform/notify"
)

var errNoRows = sql.ErrNoRows

// Throttling limits: failures in the window before sign-in is refused.
const (
	throttleWindow     = 15 * time.Minute
	maxAccountFailures = 5
	maxAddressFailures = 30
)

// Service is the sign-in and account service.
type Service struct {
	DB          *db.DB
	Audit       *audit.Log
	Clock       clock.Clock
	Outbox      *notify.Outbox
	Argon2      Argon2
	SessionIdle time.Duration
	SessionMax  time.Duration
	BaseURL     string
	Issuer      string // TOTP issuer shown in authenticator apps

	sealer *sealer
	// dummyHash is checked when the account does not exist, so timing does
	// not tell which addresses have an account.
	dummyHash string
}

// Init prepares the secret sealer; secret is the server key.
func (s *Service) Init(secret []byte) error {
	sl, err := newSealer(secret)
	if err != nil {
		return err
	}
	s.sealer = sl
	if s.Issuer == "" {
		s.Issuer = "parcours"
	}
	s.dummyHash, err = s.Argon2.HashPassword("not a real password, only for timing")
	return err
}

// Step is what the user must do after the password.
type Step int

// Steps of sign-in.
const (
	StepDone   Step = iota // signed in
	StepTOTP               // enter the code from the authenticator app
	StepEnroll             // set up an authenticator app first
)

// Login checks e-mail and password and opens a session. When the user's
// roles need a second factor, the session is opened half-way (only the
// second-factor pages accept it) and the step says what comes next.
func (s *Service) Login(ctx context.Context, email, password, ip, ua string) (token string, step Step, err error) {
	email = NormalizeEmail(email)
	if err := s.throttled(ctx, email, ip); err != nil {
		return "", 0, err
	}
	u, uerr := UserByEmail(ctx, s.DB.R, email)
	hash := s.dummyHash
	if uerr == nil && u.PasswordHash != "" {
		hash = u.PasswordHash
	}
	ok, stale, herr := s.Argon2.CheckPassword(hash, password)
	if uerr != nil || herr != nil || !ok || u.PasswordHash == "" || u.DisabledAt != nil {
		if uerr != nil && !apperr.Is(uerr, apperr.NotFound) {
			return "", 0, uerr
		}
		orgID := ""
		if uerr == nil {
			orgID = u.OrgID
		}
		if err := s.fail(ctx, email, ip, orgID); err != nil {
			return "", 0, err
		}
		return "", 0, apperr.New(apperr.Unauthenticated, "auth.login.failed")
	}
	ms, err := MembershipsOf(ctx, s.DB.R, u.OrgID, u.ID)
	if err != nil {
		return "", 0, err
	}
	p := &Principal{Memberships: ms}
	step = StepDone
	if p.RequiresMFA() {
		step = StepTOTP
		if u.TOTPEnabledAt == nil {
			step = StepEnroll
		}
	}
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if stale {
			if h, err := s.Argon2.HashPassword(password); err == nil {
				if _, err := tx.NewUpdate().Model((*User)(nil)).Set("password_hash = ?", h).Where("id = ?", u.ID).Exec(ctx); err != nil {
					return err
				}
			}
		}
		var err error
		token, err = s.createSession(ctx, tx, u, step == StepDone, ip, ua)
		if err != nil {
			return err
		}
		if err := s.succeed(ctx, tx, email, u); err != nil {
			return err
		}
		action := "auth.login"
		if step != StepDone {
			action = "auth.password_ok"
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: action, OrgID: u.OrgID, ObjectType: "user", ObjectID: u.ID,
			ActorLabel: u.Email, IP: ip, Details: map[string]any{"method": "password"}})
	})
	return token, step, err
}

type attempt struct {
	bun.BaseModel `bun:"table:auth_attempts"`

	ID  int64     `bun:"id,pk,autoincrement"`
	Key string    `bun:"key"`
	At  time.Time `bun:"at"`
	OK  bool      `bun:"ok"`
}

func (s *Service) throttled(ctx context.Context, email, ip string) error {
	since := s.Clock.Now().Add(-throttleWindow)
	count := func(key string) (int64, error) {
		return s.DB.R.NewSelect().Model((*attempt)(nil)).Where("key = ? AND at > ? AND ok = ?", key, since, false).Count(ctx)
	}
	n, err := count("acct:" + email)
	if err != nil {
		return err
	}
	if n >= maxAccountFailures {
		return apperr.New(apperr.TooMany, "auth.login.throttled")
	}
	if n, err = count("ip:" + ip); err != nil {
		return err
	}
	if n >= maxAddressFailures {
		return apperr.New(apperr.TooMany, "auth.login.throttled")
	}
	return nil
}

func (s *Service) fail(ctx context.Context, email, ip, orgID string) error {
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		rows := []attempt{{Key: "acct:" + email, At: now}, {Key: "ip:" + ip, At: now}}
		if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "auth.login_failed", OrgID: orgID, ActorLabel: email, IP: ip})
	})
}

// succeed clears the account's failures and records the sign-in time.
func (s *Service) succeed(ctx context.Context, tx bun.Tx, email string, u *User) error {
	if _, err := tx.NewDelete().Model((*attempt)(nil)).Where("key = ? AND ok = ?", "acct:"+email, false).Exec(ctx); err != nil {
		return err
	}
	now := s.Clock.Now()
	_, err := tx.NewUpdate().Model((*User)(nil)).Set("last_login_at = ?", now).Where("id = ?", u.ID).Exec(ctx)
	return err
}

// PurgeAttempts deletes sign-in attempts older than a day (periodic job).
func (s *Service) PurgeAttempts(ctx context.Context) (int64, error) {
	res, err := s.DB.W.NewDelete().Model((*attempt)(nil)).Where("at < ?", s.Clock.Now().Add(-24*time.Hour)).Exec(ctx)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Pending returns the user of a half-open session (password checked,
// second factor not yet).
func (s *Service) Pending(ctx context.Context, token string) (*SessionRow, *User, error) {
	row, err := s.session(ctx, token)
	if err != nil {
		return nil, nil, signInAgain(err)
	}
	u, err := UserByID(ctx, s.DB.R, row.OrgID, row.UserID)
	if err != nil {
		return nil, nil, signInAgain(err)
	}
	if u.DisabledAt != nil {
		return nil, nil, apperr.New(apperr.Unauthenticated, "auth.login.failed")
	}
	return row, u, nil
}

// signInAgain turns a missing session or account into Unauthenticated (the
// pages send the user to sign-in); other errors (the database) stay errors.
func signInAgain(err error) error {
	if apperr.Is(err, apperr.NotFound) {
		return apperr.New(apperr.Unauthenticated, "auth.login.required")
	}
	return err
}

// VerifyTOTP checks the second factor of a half-open session and, when
// right, replaces it by a full session (a new token: the session id is
// renewed at each privilege change).
func (s *Service) VerifyTOTP(ctx context.Context, token, code, ip, ua string) (string, error) {
	row, u, err := s.Pending(ctx, token)
	if err != nil {
		return "", err
	}
	if err := s.throttled(ctx, u.Email, ip); err != nil {
		return "", err
	}
	if u.TOTPEnabledAt == nil {
		return "", apperr.New(apperr.Invalid, "auth.totp.not_enrolled")
	}
	secret, err := s.sealer.open(u.TOTPSecret)
	if err != nil {
		return "", err
	}
	step, ok := matchTOTP(secret, code, s.Clock.Now())
	if !ok || step <= u.TOTPLastStep {
		if err := s.fail(ctx, u.Email, ip, u.OrgID); err != nil {
			return "", err
		}
		return "", apperr.New(apperr.Invalid, "auth.totp.wrong")
	}
	var newToken string
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*User)(nil)).Set("totp_last_step = ?", step).
			Where("id = ? AND totp_last_step < ?", u.ID, step).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Invalid, "auth.totp.wrong")
		}
		if _, err := tx.NewDelete().Model((*SessionRow)(nil)).Where("id = ?", row.ID).Exec(ctx); err != nil {
			return err
		}
		if newToken, err = s.createSession(ctx, tx, u, true, ip, ua); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "auth.login", OrgID: u.OrgID, ObjectType: "user", ObjectID: u.ID,
			ActorLabel: u.Email, IP: ip, Details: map[string]any{"method": "password+totp"}})
	})
	return newToken, err
}

// Enrollment is a TOTP secret being set up, shown as a QR code.
type Enrollment struct {
	Secret string // base32, also typed by hand
	URL    string // otpauth:// URL
}

// StartEnrollment creates a new secret for the user of a session. It is
// stored sealed but not active until ConfirmEnrollment.
func (s *Service) StartEnrollment(ctx context.Context, u *User) (*Enrollment, error) {
	key, err := NewTOTPKey(s.Issuer, u.Email)
	if err != nil {
		return nil, err
	}
	sealed, err := s.sealer.seal(key.Secret())
	if err != nil {
		return nil, err
	}
	_, err = s.DB.W.NewUpdate().Model((*User)(nil)).Set("totp_secret = ?", sealed).Set("updated_at = ?", s.Clock.Now()).
		Where("id = ? AND totp_enabled_at IS NULL", u.ID).Exec(ctx)
	if err != nil {
		return nil, err
	}
	return &Enrollment{Secret: key.Secret(), URL: key.URL()}, nil
}

// EnrollmentOf returns the pending secret of a user (to show it again).
func (s *Service) EnrollmentOf(u *User) (*Enrollment, error) {
	if u.TOTPSecret == "" || u.TOTPEnabledAt != nil {
		return nil, apperr.New(apperr.NotFound, "auth.totp.not_enrolled")
	}
	secret, err := s.sealer.open(u.TOTPSecret)
	if err != nil {
		return nil, err
	}
	return &Enrollment{Secret: secret, URL: fmt.Sprintf("otpauth://totp/%s:%s?secret=%s&issuer=%s&period=30&digits=6&algorithm=SHA1",
		s.Issuer, u.Email, secret, s.Issuer)}, nil
}

// ConfirmEnrollment activates the pending secret when the code matches,
// and upgrades the half-open session to a full one.
func (s *Service) ConfirmEnrollment(ctx context.Context, token, code, ip, ua string) (string, error) {
	row, u, err := s.Pending(ctx, token)
	if err != nil {
		return "", err
	}
	if u.TOTPEnabledAt != nil {
		return "", apperr.New(apperr.Conflict, "auth.totp.already")
	}
	if u.TOTPSecret == "" {
		return "", apperr.New(apperr.Invalid, "auth.totp.not_enrolled")
	}
	secret, err := s.sealer.open(u.TOTPSecret)
	if err != nil {
		return "", err
	}
	step, ok := matchTOTP(secret, code, s.Clock.Now())
	if !ok {
		return "", apperr.New(apperr.Invalid, "auth.totp.wrong")
	}
	var newToken string
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		now := s.Clock.Now()
		if _, err := tx.NewUpdate().Model((*User)(nil)).Set("totp_enabled_at = ?", now).Set("totp_last_step = ?", step).
			Set("updated_at = ?", now).Where("id = ?", u.ID).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*SessionRow)(nil)).Where("id = ?", row.ID).Exec(ctx); err != nil {
			return err
		}
		var err error
		if newToken, err = s.createSession(ctx, tx, u, true, ip, ua); err != nil {
			return err
		}
		if err := s.Audit.Record(ctx, tx, audit.Event{Action: "auth.totp_enrolled", OrgID: u.OrgID, ObjectType: "user",
			ObjectID: u.ID, ActorLabel: u.Email, IP: ip}); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "auth.login", OrgID: u.OrgID, ObjectType: "user", ObjectID: u.ID,
			ActorLabel: u.Email, IP: ip, Details: map[string]any{"method": "password+totp"}})
	})
	return newToken, err
}

// Principal loads the signed-in user of a full session. A half-open
// session (second factor pending) gives Unauthenticated with the key
// auth.mfa.pending.
func (s *Service) Principal(ctx context.Context, token string) (*Principal, error) {
	row, err := s.session(ctx, token)
	if err != nil {
		return nil, signInAgain(err)
	}
	if !row.MFAOK {
		return nil, apperr.New(apperr.Unauthenticated, "auth.mfa.pending")
	}
	u, err := UserByID(ctx, s.DB.R, row.OrgID, row.UserID)
	if err != nil {
		return nil, signInAgain(err)
	}
	if u.DisabledAt != nil {
		return nil, apperr.New(apperr.Unauthenticated, "auth.login.required")
	}
	var orgName string
	if err := s.DB.R.NewRaw("SELECT name FROM orgs WHERE id = ?", row.OrgID).Scan(ctx, &orgName); err != nil {
		return nil, err
	}
	ms, err := MembershipsOf(ctx, s.DB.R, row.OrgID, row.UserID)
	if err != nil {
		return nil, err
	}
	s.touch(ctx, row)
	return &Principal{UserID: u.ID, OrgID: u.OrgID, OrgName: orgName, Email: u.Email, Name: u.Name, Lang: u.Lang,
		PartnerOrg: u.PartnerOrg, Demo: u.Demo, SessionID: row.ID, Memberships: ms}, nil
}

// Logout ends one session.
func (s *Service) Logout(ctx context.Context, token string) error {
	row, err := s.session(ctx, token)
	if err != nil {
		return nil
	}
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*SessionRow)(nil)).Where("id = ?", row.ID).Exec(ctx); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "auth.logout", OrgID: row.OrgID, ObjectType: "user", ObjectID: row.UserID})
	})
}

// LogoutEverywhere ends every session of a user (after a password change,
// a lost phone, or when an administrator disables the account).
func (s *Service) LogoutEverywhere(ctx context.Context, tx bun.Tx, orgID, userID string) (int64, error) {
	res, err := tx.NewDelete().Model((*SessionRow)(nil)).Where("org_id = ? AND user_id = ?", orgID, userID).Exec(ctx)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return n, s.Audit.Record(ctx, tx, audit.Event{Action: "auth.logout_everywhere", OrgID: orgID, ObjectType: "user", ObjectID: userID,
		Details: map[string]any{"sessions": n}})
}

// ChangePassword sets a new password after checking the current one, and
// ends the user's other sessions.
func (s *Service) ChangePassword(ctx context.Context, p *Principal, current, next string) error {
	u, err := UserByID(ctx, s.DB.R, p.OrgID, p.UserID)
	if err != nil {
		return err
	}
	if u.PasswordHash != "" {
		if ok, _, err := s.Argon2.CheckPassword(u.PasswordHash, current); err != nil || !ok {
			return apperr.Validation(map[string]string{"current": "auth.password.current_wrong"})
		}
	}
	if k := PasswordProblem(next, u.Email); k != "" {
		return apperr.Validation(map[string]string{"password": k})
	}
	h, err := s.Argon2.HashPassword(next)
	if err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model((*User)(nil)).Set("password_hash = ?", h).Set("updated_at = ?", s.Clock.Now()).
			Where("id = ?", u.ID).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*SessionRow)(nil)).Where("user_id = ? AND id <> ?", u.ID, p.SessionID).Exec(ctx); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "auth.password_changed", ObjectType: "user", ObjectID: u.ID})
	})
}

// SetPassword stores a password chosen by an administrator or through the
// CLI (no current password asked).
func (s *Service) SetPassword(ctx context.Context, tx bun.Tx, u *User, pw string) error {
	if k := PasswordProblem(pw, u.Email); k != "" {
		return apperr.Validation(map[string]string{"password": k})
	}
	h, err := s.Argon2.HashPassword(pw)
	if err != nil {
		return err
	}
	u.PasswordHash = h
	_, err = tx.NewUpdate().Model((*User)(nil)).Set("password_hash = ?", h).Set("updated_at = ?", s.Clock.Now()).
		Where("id = ?", u.ID).Exec(ctx)
	return err
}

// ResetTOTP removes a user's second factor (lost phone); the user sets up
// a new one at next sign-in. Every session of the user ends.
func (s *Service) ResetTOTP(ctx context.Context, tx bun.Tx, orgID, userID string) error {
	if _, err := tx.NewUpdate().Model((*User)(nil)).Set("totp_secret = ''").Set("totp_enabled_at = NULL").
		Set("updated_at = ?", s.Clock.Now()).Where("org_id = ? AND id = ?", orgID, userID).Exec(ctx); err != nil {
		return err
	}
	if _, err := s.LogoutEverywhere(ctx, tx, orgID, userID); err != nil {
		return err
	}
	return s.Audit.Record(ctx, tx, audit.Event{Action: "auth.totp_reset", OrgID: orgID, ObjectType: "user", ObjectID: userID})
}
