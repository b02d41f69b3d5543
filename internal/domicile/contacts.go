package domicile

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
)

// Contact is one line of the contact log D264-3 requires the body to keep.
type Contact struct {
	bun.BaseModel `bun:"table:dom_contacts"`

	ID     string    `bun:"id,pk"`
	OrgID  string    `bun:"org_id"`
	SiteID string    `bun:"site_id"`
	FileID string    `bun:"file_id"`
	Kind   string    `bun:"kind"`
	At     time.Time `bun:"at"`
	By     string    `bun:"by_user"`
	Note   string    `bun:"note"`
}

// passage reports whether a contact of this kind is the person manifesting
// (D264-3: came or contacted the body); a portal sign-in is counted in the
// report but is not a passage.
func passage(kind string) bool { return kind == "visit" || kind == "call" || kind == "handover" }

// bump adds n to a daily counter of a site inside tx (the live counters and
// the annual report read these).
func bump(ctx context.Context, tx bun.Tx, orgID, siteID string, day time.Time, metric string, n int) error {
	if n == 0 {
		return nil
	}
	_, err := tx.NewRaw(`INSERT INTO dom_daily (org_id, site_id, day, metric, n) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (org_id, site_id, day, metric) DO UPDATE SET n = dom_daily.n + EXCLUDED.n`, orgID, siteID, day, metric, n).Exec(ctx)
	return err
}

// contactTx writes a contact inside tx; a passage moves the last contact
// date and restarts the retention clock of the person's file.
func (s *Service) contactTx(ctx context.Context, tx bun.Tx, f *File, kind, note string, at time.Time) error {
	a, _ := audit.ActorFrom(ctx)
	c := &Contact{ID: db.NewID(), OrgID: f.OrgID, SiteID: f.SiteID, FileID: f.ID, Kind: kind, At: at, By: a.UserID, Note: note}
	if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
		return err
	}
	day := Today(at)
	if err := bump(ctx, tx, f.OrgID, f.SiteID, day, "contact_"+kind, 1); err != nil {
		return err
	}
	if !passage(kind) {
		return nil
	}
	if _, err := tx.NewUpdate().Model((*File)(nil)).Set("last_contact_on = ?", day).
		Where("id = ? AND last_contact_on < ?", f.ID, day).Exec(ctx); err != nil {
		return err
	}
	if day.After(f.LastContactOn) {
		f.LastContactOn = day
	}
	return s.timeline(ctx, tx, f, "domicile.contact", "domicile.event.contact_"+kind, nil, true)
}

// LogContact records a visit or a call of the person (the reception desk).
func (s *Service) LogContact(ctx context.Context, p *auth.Principal, id, kind, note string) (*File, error) {
	f, err := s.loadFile(ctx, s.DB.R, p, id, auth.PermDomicileMail)
	if err != nil {
		return nil, err
	}
	if kind != "visit" && kind != "call" {
		return nil, apperr.Validation(map[string]string{"kind": "common.form.invalid_choice"})
	}
	note = clean(note)
	if tooLong(note, maxShort) {
		return nil, apperr.Validation(map[string]string{"note": "common.form.too_long"})
	}
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.contactTx(ctx, tx, f, kind, note, s.Clock.Now()); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "domicile.contact", ObjectType: "domicile_file", ObjectID: f.ID,
			SiteID: f.SiteID, Details: map[string]any{"kind": kind}})
	})
	return f, err
}

// Contacts lists a file's last contacts, newest first.
func (s *Service) Contacts(ctx context.Context, fileID string, limit int) ([]Contact, error) {
	var out []Contact
	err := s.DB.R.NewSelect().Model(&out).Where("file_id = ?", fileID).Order("at DESC").Limit(int64(limit)).Scan(ctx)
	return out, err
}

// SetExcuse records (or clears, with kind "") a health or detention excuse
// for not coming, until a date or open-ended (D264-3): the person is then
// not on the "no contact for three months" list.
func (s *Service) SetExcuse(ctx context.Context, p *auth.Principal, id, kind string, until *time.Time) (*File, error) {
	f, err := s.loadFile(ctx, s.DB.R, p, id, auth.PermDomicileInstruct)
	if err != nil {
		return nil, err
	}
	if kind != "" && !oneOf(Excuses, kind) {
		return nil, apperr.Validation(map[string]string{"excuse": "common.form.invalid_choice"})
	}
	if kind == "" {
		until = nil
	}
	if until != nil && until.Before(s.today()) {
		return nil, apperr.Validation(map[string]string{"excuse_until": "domicile.error.past"})
	}
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*File)(nil)).Set("excuse = ?", kind).Set("excuse_until = ?", until).
			Set("updated_at = ?", s.Clock.Now()).Set("version = version + 1").
			Where("id = ? AND org_id = ? AND version = ?", f.ID, f.OrgID, f.Version).Exec(ctx)
		if err := changed(res, err); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "domicile.excuse", ObjectType: "domicile_file", ObjectID: f.ID,
			SiteID: f.SiteID, Details: map[string]any{"excuse": kind, "until": isoDate(until)}})
	})
	f.Excuse, f.ExcuseUntil = kind, until
	return f, err
}
