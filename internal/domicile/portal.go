package domicile

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/people"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/notify"
)

// The portal is the domiciled person's read-only page (DomiFa's "Mon
// DomiFa"): pending mail and key dates, in their language. Sign-in: the
// number on the card and the phone number on file; a six-digit code is
// sent by SMS. Codes last ten minutes and allow five attempts; a number
// gets three codes per hour and an address twenty requests per hour; a
// session lasts thirty minutes. Nothing tells whether a number exists.

// Portal limits.
const (
	CodeTTL        = 10 * time.Minute
	CodeAttempts   = 5
	CodesPerHour   = 3
	RequestsPerIP  = 20
	PortalSession  = 30 * time.Minute
	portalCodeSize = 6
)

type portalCode struct {
	bun.BaseModel `bun:"table:dom_portal_codes"`

	ID        string     `bun:"id,pk"`
	OrgID     string     `bun:"org_id"`
	FileID    string     `bun:"file_id"`
	CodeHash  string     `bun:"code_hash"`
	IP        string     `bun:"ip"`
	Attempts  int        `bun:"attempts"`
	CreatedAt time.Time  `bun:"created_at"`
	ExpiresAt time.Time  `bun:"expires_at"`
	UsedAt    *time.Time `bun:"used_at"`
}

type portalSession struct {
	bun.BaseModel `bun:"table:dom_portal_sessions"`

	TokenHash string    `bun:"token_hash,pk"`
	OrgID     string    `bun:"org_id"`
	FileID    string    `bun:"file_id"`
	CreatedAt time.Time `bun:"created_at"`
	ExpiresAt time.Time `bun:"expires_at"`
}

var errTooMany = apperr.New(apperr.TooMany, "domicile.portal.too_many")

func hashOf(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// portalFile finds the file a person signs in to: by number, with the
// portal enabled on the file and its site, and the person's phone.
func (s *Service) portalFile(ctx context.Context, number int) (*File, *people.Person, error) {
	var fs []File
	if err := s.DB.R.NewSelect().Model(&fs).Join("JOIN dom_sites AS st ON st.site_id = f.site_id AND st.portal_enabled").
		Where("f.number = ? AND f.portal AND f.anonymised_at IS NULL", number).Scan(ctx); err != nil {
		return nil, nil, err
	}
	if len(fs) != 1 {
		return nil, nil, nil
	}
	per, err := s.person(ctx, s.DB.R, fs[0].OrgID, fs[0].Person())
	if err != nil || per == nil {
		return nil, nil, err
	}
	return &fs[0], per, nil
}

// PortalRequestCode sends a sign-in code by SMS when the number and the
// phone match a file open to the portal; it answers the same way whether
// they match or not (only the rate limits are told).
func (s *Service) PortalRequestCode(ctx context.Context, number int, phone, ip, lang string) error {
	now := s.Clock.Now()
	n, err := s.DB.R.NewSelect().Model((*portalCode)(nil)).Where("ip = ? AND created_at > ?", ip, now.Add(-time.Hour)).Count(ctx)
	if err != nil {
		return err
	}
	if n >= RequestsPerIP {
		return errTooMany
	}
	f, per, err := s.portalFile(ctx, number)
	if err != nil {
		return err
	}
	e164, ok := people.ParsePhone(phone)
	fileID, orgID := "", ""
	match := f != nil && ok && per.Phone != "" && per.Phone == e164
	if match {
		fileID, orgID = f.ID, f.OrgID
		n, err := s.DB.R.NewSelect().Model((*portalCode)(nil)).Where("file_id = ? AND created_at > ?", f.ID, now.Add(-time.Hour)).Count(ctx)
		if err != nil {
			return err
		}
		if n >= CodesPerHour {
			return errTooMany
		}
	}
	code, err := randomCode()
	if err != nil {
		return err
	}
	pc := &portalCode{ID: db.NewID(), OrgID: orgID, FileID: fileID, IP: ip, CreatedAt: now, ExpiresAt: now.Add(CodeTTL)}
	if match {
		pc.CodeHash = hashOf(f.ID, code)
	}
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(pc).Exec(ctx); err != nil {
			return err
		}
		if !match {
			return nil
		}
		msgLang := per.MsgLang
		if lang != "" {
			msgLang = lang
		}
		if _, err := s.Outbox.QueueSMS(ctx, tx, notify.Message{OrgID: f.OrgID, To: per.Phone, Lang: msgLang, Purpose: "domicile.portal_code",
			BodyKey: "domicile.sms.portal_code", Args: map[string]any{"Code": code}}); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "domicile.portal.code", OrgID: f.OrgID, ActorLabel: fmt.Sprintf("portal:%d", number),
			ObjectType: "domicile_file", ObjectID: f.ID, SiteID: f.SiteID, IP: ip})
	})
}

func randomCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%0*d", portalCodeSize, n.Int64()), nil
}

var errWrongCode = apperr.New(apperr.Invalid, "domicile.portal.code_wrong")

// PortalSignIn checks a code and opens a portal session; it returns the
// session token for the cookie.
func (s *Service) PortalSignIn(ctx context.Context, number int, code, ip string) (string, error) {
	f, _, err := s.portalFile(ctx, number)
	if err != nil {
		return "", err
	}
	if f == nil {
		return "", errWrongCode
	}
	now := s.Clock.Now()
	var token string
	var fail error
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		pc := new(portalCode)
		if err := tx.NewSelect().Model(pc).Where("file_id = ? AND used_at IS NULL AND expires_at > ? AND attempts < ?", f.ID, now, CodeAttempts).
			Order("created_at DESC").Limit(1).Scan(ctx); err != nil {
			if apperr.Is(db.Translate(err), apperr.NotFound) {
				fail = errWrongCode
				return nil
			}
			return err
		}
		if subtle.ConstantTimeCompare([]byte(hashOf(f.ID, code)), []byte(pc.CodeHash)) != 1 {
			// The failed attempt is counted (committed), then refused.
			_, err := tx.NewUpdate().Model(pc).Set("attempts = attempts + 1").WherePK().Exec(ctx)
			fail = errWrongCode
			return err
		}
		if _, err := tx.NewUpdate().Model(pc).Set("used_at = ?", now).WherePK().Exec(ctx); err != nil {
			return err
		}
		raw := make([]byte, 32)
		if _, err := rand.Read(raw); err != nil {
			return err
		}
		token = base64.RawURLEncoding.EncodeToString(raw)
		ps := &portalSession{TokenHash: hashOf(token), OrgID: f.OrgID, FileID: f.ID, CreatedAt: now, ExpiresAt: now.Add(PortalSession)}
		if _, err := tx.NewInsert().Model(ps).Exec(ctx); err != nil {
			return err
		}
		ctx = audit.WithActor(ctx, audit.Actor{OrgID: f.OrgID, Label: fmt.Sprintf("portal:%d", number), IP: ip})
		if err := s.contactTx(ctx, tx, f, "portal", "", now); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "domicile.portal.login", ObjectType: "domicile_file", ObjectID: f.ID, SiteID: f.SiteID})
	})
	if err != nil {
		return "", err
	}
	return token, fail
}

// PortalFile returns the file of a portal session still open.
func (s *Service) PortalFile(ctx context.Context, token string) (*Entry, error) {
	if token == "" {
		return nil, apperr.New(apperr.Unauthenticated, "domicile.portal.signed_out")
	}
	ps := new(portalSession)
	if err := s.DB.R.NewSelect().Model(ps).Where("token_hash = ? AND expires_at > ?", hashOf(token), s.Clock.Now()).Scan(ctx); err != nil {
		return nil, apperr.New(apperr.Unauthenticated, "domicile.portal.signed_out")
	}
	f := new(File)
	if err := s.DB.R.NewSelect().Model(f).Where("f.id = ? AND f.portal AND f.anonymised_at IS NULL", ps.FileID).Scan(ctx); err != nil {
		return nil, apperr.New(apperr.Unauthenticated, "domicile.portal.signed_out")
	}
	per, err := s.person(ctx, s.DB.R, f.OrgID, f.Person())
	if err != nil {
		return nil, err
	}
	if err := s.Audit.RecordNow(audit.WithActor(ctx, audit.Actor{OrgID: f.OrgID, Label: fmt.Sprintf("portal:%d", f.Number)}),
		audit.Event{Action: "domicile.read", ObjectType: "domicile_file", ObjectID: f.ID, SiteID: f.SiteID,
			Details: map[string]any{"view": "portal"}}); err != nil {
		return nil, err
	}
	return &Entry{File: f, Person: per}, nil
}

// PortalSignOut ends a portal session.
func (s *Service) PortalSignOut(ctx context.Context, token string) error {
	_, err := s.DB.W.NewDelete().Model((*portalSession)(nil)).Where("token_hash = ?", hashOf(token)).Exec(ctx)
	return err
}

// SetPortal opens or closes a file's portal (the person agreed; the site
// must allow the portal).
func (s *Service) SetPortal(ctx context.Context, p *auth.Principal, id string, on bool) error {
	f, err := s.loadFile(ctx, s.DB.R, p, id, auth.PermDomicileMail)
	if err != nil {
		return err
	}
	if on {
		st, err := s.Settings(ctx, s.DB.R, f.OrgID, f.SiteID)
		if err != nil {
			return err
		}
		if !st.PortalEnabled {
			return apperr.New(apperr.Conflict, "domicile.portal.site_off")
		}
	}
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*File)(nil)).Set("portal = ?", on).Set("updated_at = ?", s.Clock.Now()).Set("version = version + 1").
			Where("id = ? AND version = ?", f.ID, f.Version).Exec(ctx)
		if err := changed(res, err); err != nil {
			return err
		}
		if !on {
			if _, err := tx.NewDelete().Model((*portalSession)(nil)).Where("file_id = ?", f.ID).Exec(ctx); err != nil {
				return err
			}
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "domicile.portal.set", ObjectType: "domicile_file", ObjectID: f.ID,
			SiteID: f.SiteID, Details: map[string]any{"on": on}})
	})
}

// sweepPortal deletes expired sessions and old codes.
func (s *Service) sweepPortal(ctx context.Context) error {
	now := s.Clock.Now()
	if _, err := s.DB.W.NewDelete().Model((*portalSession)(nil)).Where("expires_at < ?", now).Exec(ctx); err != nil {
		return err
	}
	_, err := s.DB.W.NewDelete().Model((*portalCode)(nil)).Where("created_at < ?", now.Add(-24*time.Hour)).Exec(ctx)
	return err
}
