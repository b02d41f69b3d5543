package auth

import (
	"context"
	"slices"
)

// Membership is a role held in a site ("" = every site of the centre).
type Membership struct {
	Role   Role
	SiteID string
}

// Principal is the signed-in user as every domain package sees it.
type Principal struct {
	UserID      string
	OrgID       string
	OrgName     string
	Email       string
	Name        string
	Lang        string
	PartnerOrg  string
	Demo        bool
	SessionID   string
	Memberships []Membership
}

// Has reports whether the user holds role r anywhere.
func (p *Principal) Has(r Role) bool {
	for _, m := range p.Memberships {
		if m.Role == r {
			return true
		}
	}
	return false
}

// Can reports whether the user has permission perm in at least one site.
func (p *Principal) Can(perm Perm) bool {
	for _, m := range p.Memberships {
		if m.Role.Grants(perm) {
			return true
		}
	}
	return false
}

// CanAt reports whether the user has permission perm in site siteID.
func (p *Principal) CanAt(perm Perm, siteID string) bool {
	for _, m := range p.Memberships {
		if m.Role.Grants(perm) && (m.SiteID == "" || m.SiteID == siteID) {
			return true
		}
	}
	return false
}

// Scope is the set of sites where a permission holds.
type Scope struct {
	All   bool     // every site of the centre
	Sites []string // otherwise, these sites
}

// Contains reports whether site is in the scope.
func (s Scope) Contains(site string) bool { return s.All || slices.Contains(s.Sites, site) }

// Empty reports whether the scope has no site.
func (s Scope) Empty() bool { return !s.All && len(s.Sites) == 0 }

// ScopeOf returns the sites where the user has permission perm.
func (p *Principal) ScopeOf(perm Perm) Scope {
	var s Scope
	for _, m := range p.Memberships {
		if !m.Role.Grants(perm) {
			continue
		}
		if m.SiteID == "" {
			return Scope{All: true}
		}
		if !slices.Contains(s.Sites, m.SiteID) {
			s.Sites = append(s.Sites, m.SiteID)
		}
	}
	return s
}

// AssignableAt lists the roles the user may give in site siteID ("" means
// in every site, which only centre-wide roles allow).
func (p *Principal) AssignableAt(siteID string) []Role {
	var out []Role
	for _, m := range p.Memberships {
		if siteID != "" && m.SiteID != "" && m.SiteID != siteID {
			continue
		}
		if siteID == "" && m.SiteID != "" {
			continue
		}
		for _, r := range m.Role.AssignableBy() {
			if !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return out
}

// RequiresMFA reports whether any of the user's roles needs a second factor.
func (p *Principal) RequiresMFA() bool {
	for _, m := range p.Memberships {
		if m.Role.RequiresMFA() {
			return true
		}
	}
	return false
}

type ctxKey struct{}

// WithPrincipal stores the signed-in user.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// From returns the signed-in user, or nil.
func From(ctx context.Context) *Principal {
	p, _ := ctx.Value(ctxKey{}).(*Principal)
	return p
}
