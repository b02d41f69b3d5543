package org

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/i18n"
)

// UserRow is a user in the list, with roles.
type UserRow struct {
	auth.User
	Memberships []auth.Membership
	// Editable tells whether the signed-in user may change this account.
	Editable bool
}

// UserFilter selects users in a list.
type UserFilter struct {
	Query    string
	Role     string
	SiteID   string
	Disabled bool // include disabled accounts
}

// Users lists the accounts the user may manage or see: every account of
// the centre for administrators; for site managers, accounts with a role
// in one of their sites.
func (s *Service) Users(ctx context.Context, p *auth.Principal, f UserFilter) ([]UserRow, error) {
	scope := p.ScopeOf(auth.PermUsersManage)
	if scope.Empty() {
		return nil, apperr.ErrForbidden
	}
	var users []auth.User
	q := s.DB.R.NewSelect().Model(&users).Where("org_id = ?", p.OrgID)
	if !f.Disabled {
		q = q.Where("disabled_at IS NULL")
	}
	if t := strings.TrimSpace(f.Query); t != "" {
		like := "%" + db.LikeEscape(strings.ToLower(t)) + "%"
		q = q.Where("(lower(name) LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\')", like, like)
	}
	sub := s.DB.R.NewSelect().Table("memberships").Column("user_id").Where("org_id = ?", p.OrgID)
	filterSub := false
	if !scope.All {
		sub = sub.Where("site_id IN (?)", bun.List(scope.Sites))
		filterSub = true
	}
	if f.Role != "" {
		sub = sub.Where("role = ?", f.Role)
		filterSub = true
	}
	if f.SiteID != "" {
		sub = sub.Where("(site_id = ? OR site_id IS NULL)", f.SiteID)
		filterSub = true
	}
	if filterSub {
		q = q.Where("id IN (?)", sub)
	}
	if err := q.Order("name").Limit(500).Scan(ctx); err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, nil
	}
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	var ms []auth.MembershipRow
	if err := s.DB.R.NewSelect().Model(&ms).Where("org_id = ? AND user_id IN (?)", p.OrgID, bun.List(ids)).
		Order("role").Scan(ctx); err != nil {
		return nil, err
	}
	by := map[string][]auth.Membership{}
	for _, m := range ms {
		mm := auth.Membership{Role: auth.Role(m.Role)}
		if m.SiteID != nil {
			mm.SiteID = *m.SiteID
		}
		by[m.UserID] = append(by[m.UserID], mm)
	}
	out := make([]UserRow, len(users))
	for i, u := range users {
		out[i] = UserRow{User: u, Memberships: by[u.ID]}
		out[i].Editable = canEdit(p, out[i].Memberships)
	}
	return out, nil
}

// canEdit: administrators edit anyone of the centre; a site manager edits
// an account only when all its roles are ones they may give, in their sites.
func canEdit(p *auth.Principal, ms []auth.Membership) bool {
	if p.ScopeOf(auth.PermUsersManage).All && p.Has(auth.Admin) {
		return true
	}
	if len(ms) == 0 {
		return false
	}
	for _, m := range ms {
		if m.SiteID == "" || !slices.Contains(p.AssignableAt(m.SiteID), m.Role) {
			return false
		}
	}
	return true
}

// User returns an account the user may see.
func (s *Service) User(ctx context.Context, p *auth.Principal, id string) (*UserRow, error) {
	if !p.Can(auth.PermUsersManage) || !db.ValidID(id) {
		return nil, apperr.ErrNotFound
	}
	u, err := auth.UserByID(ctx, s.DB.R, p.OrgID, id)
	if err != nil {
		return nil, err
	}
	ms, err := auth.MembershipsOf(ctx, s.DB.R, p.OrgID, id)
	if err != nil {
		return nil, err
	}
	scope := p.ScopeOf(auth.PermUsersManage)
	visible := scope.All
	for _, m := range ms {
		if m.SiteID != "" && scope.Contains(m.SiteID) {
			visible = true
		}
	}
	if !visible {
		return nil, apperr.ErrNotFound
	}
	return &UserRow{User: *u, Memberships: ms, Editable: canEdit(p, ms)}, nil
}

// UserInput is the user form.
type UserInput struct {
	Name, Email, Lang, PartnerOrg string
	Memberships                   []auth.Membership
}

func (s *Service) validateUser(ctx context.Context, p *auth.Principal, in *UserInput) error {
	fields := map[string]string{}
	in.Email = auth.NormalizeEmail(in.Email)
	if in.Name == "" {
		fields["name"] = "common.form.required"
	} else if len([]rune(in.Name)) > 120 {
		fields["name"] = "common.form.too_long"
	}
	if in.Email == "" || !strings.Contains(in.Email, "@") || len(in.Email) > 254 || strings.ContainsAny(in.Email, " <>,;") {
		fields["email"] = "auth.email.invalid"
	}
	if _, ok := i18n.Lookup(in.Lang); !ok {
		fields["lang"] = "common.form.invalid_choice"
	}
	if len(in.Memberships) == 0 {
		fields["roles"] = "org.user.role_required"
	}
	sites, err := s.AllSites(ctx, p.OrgID)
	if err != nil {
		return err
	}
	for _, m := range in.Memberships {
		if !auth.ValidRole(string(m.Role)) {
			fields["roles"] = "common.form.invalid_choice"
			continue
		}
		if m.SiteID != "" && !slices.ContainsFunc(sites, func(x Site) bool { return x.ID == m.SiteID }) {
			fields["roles"] = "common.form.invalid_choice"
			continue
		}
		if !slices.Contains(p.AssignableAt(m.SiteID), m.Role) {
			fields["roles"] = "org.user.role_not_allowed"
		}
	}
	if len(fields) > 0 {
		return apperr.Validation(fields)
	}
	return nil
}

// CreateUser creates an account and e-mails it a link to choose a password.
func (s *Service) CreateUser(ctx context.Context, p *auth.Principal, in UserInput) (*auth.User, error) {
	if !p.Can(auth.PermUsersManage) {
		return nil, apperr.ErrForbidden
	}
	if err := s.validateUser(ctx, p, &in); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	u := &auth.User{ID: db.NewID(), OrgID: p.OrgID, Email: in.Email, Name: in.Name, Lang: in.Lang, PartnerOrg: in.PartnerOrg,
		CreatedAt: now, UpdatedAt: now}
	err := s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(u).Exec(ctx); err != nil {
			return err
		}
		if err := auth.SetMemberships(ctx, tx, p.OrgID, u.ID, in.Memberships, now); err != nil {
			return err
		}
		if err := s.Auth.Invite(ctx, tx, u); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "user.create", ObjectType: "user", ObjectID: u.ID,
			Details: map[string]any{"roles": describe(in.Memberships)}})
	})
	if errors.Is(err, db.ErrUnique) {
		return nil, apperr.Validation(map[string]string{"email": "org.user.email_taken"})
	}
	return u, err
}

// UpdateUser changes an account's name, language and roles.
func (s *Service) UpdateUser(ctx context.Context, p *auth.Principal, id string, in UserInput) error {
	cur, err := s.User(ctx, p, id)
	if err != nil {
		return err
	}
	if !cur.Editable {
		return apperr.ErrForbidden
	}
	in.Email = cur.Email
	if err := s.validateUser(ctx, p, &in); err != nil {
		return err
	}
	if id == p.UserID && !slices.ContainsFunc(in.Memberships, func(m auth.Membership) bool { return m.Role == auth.Admin }) && p.Has(auth.Admin) {
		return apperr.Validation(map[string]string{"roles": "org.user.keep_own_admin"})
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model((*auth.User)(nil)).Set("name = ?", in.Name).Set("lang = ?", in.Lang).
			Set("partner_org = ?", in.PartnerOrg).Set("updated_at = ?", now).Where("org_id = ? AND id = ?", p.OrgID, id).Exec(ctx); err != nil {
			return err
		}
		if err := auth.SetMemberships(ctx, tx, p.OrgID, id, in.Memberships, now); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "user.update", ObjectType: "user", ObjectID: id,
			Details: map[string]any{"roles": describe(in.Memberships)}})
	})
}

// SetDisabled disables an account (and ends its sessions) or enables it.
func (s *Service) SetDisabled(ctx context.Context, p *auth.Principal, id string, disabled bool) error {
	cur, err := s.User(ctx, p, id)
	if err != nil {
		return err
	}
	if !cur.Editable {
		return apperr.ErrForbidden
	}
	if id == p.UserID {
		return apperr.New(apperr.Conflict, "org.user.not_yourself")
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		q := tx.NewUpdate().Model((*auth.User)(nil)).Set("updated_at = ?", now).Where("org_id = ? AND id = ?", p.OrgID, id)
		action := "user.enable"
		if disabled {
			q = q.Set("disabled_at = ?", now)
			action = "user.disable"
		} else {
			q = q.Set("disabled_at = NULL")
		}
		if _, err := q.Exec(ctx); err != nil {
			return err
		}
		if disabled {
			if _, err := s.Auth.LogoutEverywhere(ctx, tx, p.OrgID, id); err != nil {
				return err
			}
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: action, ObjectType: "user", ObjectID: id})
	})
}

// ResetSecondFactor removes an account's TOTP (lost phone).
func (s *Service) ResetSecondFactor(ctx context.Context, p *auth.Principal, id string) error {
	cur, err := s.User(ctx, p, id)
	if err != nil {
		return err
	}
	if !cur.Editable {
		return apperr.ErrForbidden
	}
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error { return s.Auth.ResetTOTP(ctx, tx, p.OrgID, id) })
}

// Reinvite sends a new link to choose a password.
func (s *Service) Reinvite(ctx context.Context, p *auth.Principal, id string) error {
	cur, err := s.User(ctx, p, id)
	if err != nil {
		return err
	}
	if !cur.Editable {
		return apperr.ErrForbidden
	}
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.Auth.Invite(ctx, tx, &cur.User); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "user.reinvite", ObjectType: "user", ObjectID: id})
	})
}

func describe(ms []auth.Membership) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = string(m.Role) + "@" + m.SiteID
	}
	return out
}
