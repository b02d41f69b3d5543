package people

import (
	"context"

	"github.com/uptrace/bun"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
)

// CreateTx opens a file inside the caller's transaction, for a module that
// creates a file together with its own rows, all or nothing (the
// domiciliation import). The caller ran the duplicate check (Duplicates)
// before; the site must be one of the user's active sites.
func (s *Service) CreateTx(ctx context.Context, tx bun.Tx, p *auth.Principal, in Input, opts CreateOptions) (*Person, error) {
	if p == nil || !p.Can(auth.PermPersonRead) {
		return nil, apperr.ErrForbidden
	}
	if err := s.validate(&in); err != nil {
		return nil, err
	}
	if err := s.checkSite(ctx, tx, p, in.SiteID); err != nil {
		return nil, err
	}
	return s.insert(ctx, tx, p, in, opts)
}

// checkSite refuses a site that is not an active site of the user's.
func (s *Service) checkSite(ctx context.Context, q bun.IDB, p *auth.Principal, siteID string) error {
	if !p.CanAt(auth.PermPersonRead, siteID) || !db.ValidID(siteID) {
		return apperr.Validation(map[string]string{"site": "common.form.invalid_choice"})
	}
	n, err := q.NewSelect().Table("sites").Where("org_id = ? AND id = ? AND archived_at IS NULL", p.OrgID, siteID).Count(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		return apperr.Validation(map[string]string{"site": "common.form.invalid_choice"})
	}
	return nil
}

// Validate checks and normalises an identity form as Create would, without
// writing (the import's preview).
func (s *Service) Validate(in *Input) error { return s.validate(in) }
