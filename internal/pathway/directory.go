package pathway

import (
	"context"
	"strings"

	"parcours/internal/guide"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/auth"
)

// DirService is a partner's service a person may be referred to.
type DirService struct {
	ID           string
	Name         string
	Organisation string
	// PartnerOrg is the partner organisation whose users receive the
	// referral in their inbox (auth.User.PartnerOrg, compared folded).
	PartnerOrg string
}

// ServiceDirectory is what referrals need from the directory of services.
type ServiceDirectory interface {
	// Search lists the centre's services matching the words of query
	// (every service when query is empty), at most limit.
	Search(ctx context.Context, p *auth.Principal, query string, limit int) ([]DirService, error)
	// Get returns one service of the centre (apperr NotFound otherwise).
	Get(ctx context.Context, p *auth.Principal, id string) (DirService, error)
}

// GuideDirectory reads the services from the guide (internal/guide): the
// published services of the user's centre. A service's partner
// organisation is its organisation's name: partner users whose
// organisation (set on their account) has that name get its referrals.
type GuideDirectory struct {
	Guide *guide.Store
}

// Search lists the centre's published services matching query.
func (d GuideDirectory) Search(ctx context.Context, p *auth.Principal, query string, limit int) ([]DirService, error) {
	rows, err := d.Guide.Services(ctx, p, guide.ServiceFilter{Query: query, Status: guide.Published})
	if err != nil {
		return nil, err
	}
	out := make([]DirService, 0, min(len(rows), limit))
	for _, r := range rows {
		if len(out) == limit {
			break
		}
		out = append(out, DirService{ID: r.ID, Name: r.Name, Organisation: r.OrganizationName, PartnerOrg: r.OrganizationName})
	}
	return out, nil
}

// Get returns a published service of the centre.
func (d GuideDirectory) Get(ctx context.Context, p *auth.Principal, id string) (DirService, error) {
	det, err := d.Guide.StaffService(ctx, p, id)
	if err != nil {
		return DirService{}, err
	}
	if det.Service.Status != guide.Published {
		return DirService{}, apperr.ErrNotFound
	}
	return DirService{ID: det.Service.ID, Name: det.Service.Name, Organisation: det.Organization.Name, PartnerOrg: det.Organization.Name}, nil
}

// partnerKey folds a partner organisation's name for comparison.
func partnerKey(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
