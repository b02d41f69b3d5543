package org

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/db"
)

// Service manages sites and users of the signed-in user's centre.
type Service struct {
	DB    *db.DB
	Audit *audit.Log
	Auth  *auth.Service
	Clock clock.Clock
}

// SiteFilter selects sites in a list.
type SiteFilter struct {
	Query    string
	Kind     string
	Archived bool // include archived sites
}

// Sites lists the sites the user may see (all of the centre for
// administrators, their own sites for others).
func (s *Service) Sites(ctx context.Context, p *auth.Principal, f SiteFilter) ([]Site, error) {
	scope := p.ScopeOf(auth.PermSitesView)
	if scope.Empty() {
		return nil, apperr.ErrForbidden
	}
	var out []Site
	q := s.DB.R.NewSelect().Model(&out).Where("org_id = ?", p.OrgID)
	if !scope.All {
		q = q.Where("id IN (?)", bun.List(scope.Sites))
	}
	if !f.Archived {
		q = q.Where("archived_at IS NULL")
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if t := strings.TrimSpace(f.Query); t != "" {
		like := "%" + db.LikeEscape(strings.ToLower(t)) + "%"
		q = q.Where("(lower(name) LIKE ? ESCAPE '\\' OR lower(address) LIKE ? ESCAPE '\\' OR postal_code LIKE ? ESCAPE '\\')", like, like, like)
	}
	err := q.Order("name").Limit(500).Scan(ctx)
	return out, err
}

// AllSites lists every active site of the centre (for forms), whatever
// the user's scope; callers filter what may be chosen.
func (s *Service) AllSites(ctx context.Context, orgID string) ([]Site, error) {
	var out []Site
	err := s.DB.R.NewSelect().Model(&out).Where("org_id = ? AND archived_at IS NULL", orgID).Order("name").Scan(ctx)
	return out, err
}

// Site returns one site the user may see; a site of another centre, or
// outside the user's sites, is NotFound.
func (s *Service) Site(ctx context.Context, p *auth.Principal, id string) (*Site, error) {
	if !db.ValidID(id) {
		return nil, apperr.ErrNotFound
	}
	site := new(Site)
	if err := s.DB.R.NewSelect().Model(site).Where("org_id = ? AND id = ?", p.OrgID, id).Scan(ctx); err != nil {
		return nil, db.Translate(err)
	}
	if !p.CanAt(auth.PermSitesView, site.ID) {
		return nil, apperr.ErrNotFound
	}
	return site, nil
}

// SiteInput is the site form.
type SiteInput struct {
	Name, Kind, Address, PostalCode, City, Phone, Email string
	OpensOn, ClosesOn                                   *time.Time
}

func (in *SiteInput) validate() error {
	fields := map[string]string{}
	if in.Name == "" {
		fields["name"] = "common.form.required"
	} else if len([]rune(in.Name)) > 120 {
		fields["name"] = "common.form.too_long"
	}
	if !contains(SiteKinds, in.Kind) {
		fields["kind"] = "common.form.invalid_choice"
	}
	if in.PostalCode != "" && !validPostalCode(in.PostalCode) {
		fields["postal_code"] = "org.site.postal_code_invalid"
	}
	if in.Email != "" && !strings.Contains(in.Email, "@") {
		fields["email"] = "auth.email.invalid"
	}
	if in.Kind == "gymnase" && (in.OpensOn == nil || in.ClosesOn == nil) {
		fields["opens_on"] = "org.site.season_required"
	}
	if in.OpensOn != nil && in.ClosesOn != nil && in.ClosesOn.Before(*in.OpensOn) {
		fields["closes_on"] = "org.site.season_order"
	}
	if len(fields) > 0 {
		return apperr.Validation(fields)
	}
	return nil
}

func validPostalCode(s string) bool {
	if len(s) != 5 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// CreateSite adds a site to the user's centre.
func (s *Service) CreateSite(ctx context.Context, p *auth.Principal, in SiteInput) (*Site, error) {
	if !p.Can(auth.PermSitesManage) {
		return nil, apperr.ErrForbidden
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	site := &Site{ID: db.NewID(), OrgID: p.OrgID, CreatedAt: now, UpdatedAt: now}
	apply(site, in)
	err := s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(site).Exec(ctx); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "site.create", ObjectType: "site", ObjectID: site.ID, SiteID: site.ID,
			Details: map[string]any{"name": site.Name, "kind": site.Kind}})
	})
	return site, siteErr(err)
}

func apply(site *Site, in SiteInput) {
	site.Name, site.Kind, site.Address, site.PostalCode = in.Name, in.Kind, in.Address, in.PostalCode
	site.City, site.Phone, site.Email = in.City, in.Phone, in.Email
	site.OpensOn, site.ClosesOn = in.OpensOn, in.ClosesOn
}

func siteErr(err error) error {
	if errors.Is(err, db.ErrUnique) {
		return apperr.Validation(map[string]string{"name": "org.site.name_taken"})
	}
	return err
}

// UpdateSite changes a site.
func (s *Service) UpdateSite(ctx context.Context, p *auth.Principal, id string, in SiteInput) (*Site, error) {
	if !p.Can(auth.PermSitesManage) {
		return nil, apperr.ErrForbidden
	}
	site, err := s.Site(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	apply(site, in)
	site.UpdatedAt = s.Clock.Now()
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model(site).WherePK().Where("org_id = ?", p.OrgID).Exec(ctx); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "site.update", ObjectType: "site", ObjectID: site.ID, SiteID: site.ID})
	})
	return site, siteErr(err)
}

// SetArchived archives or restores a site.
func (s *Service) SetArchived(ctx context.Context, p *auth.Principal, id string, archived bool) (*Site, error) {
	if !p.Can(auth.PermSitesManage) {
		return nil, apperr.ErrForbidden
	}
	site, err := s.Site(ctx, p, id)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	if archived {
		site.ArchivedAt = &now
	} else {
		site.ArchivedAt = nil
	}
	action := map[bool]string{true: "site.archive", false: "site.restore"}[archived]
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model((*Site)(nil)).Set("archived_at = ?", site.ArchivedAt).Set("updated_at = ?", now).
			Where("org_id = ? AND id = ?", p.OrgID, site.ID).Exec(ctx); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: action, ObjectType: "site", ObjectID: site.ID, SiteID: site.ID})
	})
	return site, err
}
