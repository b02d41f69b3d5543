package people

import (
	"context"
	"slices"

	"github.com/uptrace/bun"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
)

// Who may open a file, and what they see in it:
//
//   - a file belongs to a centre: another centre's file is NotFound;
//   - a user with PermPersonRead opens the files of the sites where they
//     hold it (every site for centre-wide roles), the files they are the
//     referent of or in the follow-up team of, and the files shared with one
//     of their sites until the share ends;
//   - the health note (and health events) needs PermPersonHealth, the legal
//     note (and legal events) PermPersonLegal, on top of opening the file;
//   - merging, rectifying, erasing and exporting need PermPersonManage in
//     the file's site;
//   - partners and volunteers never open files: they see what a referral or
//     a mission shares (PartnerView, VolunteerView), while the share is live
//     (its end date not passed, the consent it rests on in force).

// Access is what a user may do with one file.
type Access struct {
	Read   bool
	Health bool
	Legal  bool
	Manage bool
	// Via tells why the file is open to the user: "site", "team",
	// "referent" or "share".
	Via string
}

// AccessTo computes a user's access to a file.
func (s *Service) AccessTo(ctx context.Context, q bun.IDB, p *auth.Principal, per *Person) (Access, error) {
	var a Access
	if p == nil || per.OrgID != p.OrgID || !p.Can(auth.PermPersonRead) {
		return a, nil
	}
	switch {
	case p.CanAt(auth.PermPersonRead, per.SiteID):
		a.Via = "site"
	case per.ReferentID == p.UserID:
		a.Via = "referent"
	default:
		n, err := q.NewSelect().Table("person_team").Where("person_id = ? AND user_id = ?", per.ID, p.UserID).Count(ctx)
		if err != nil {
			return a, err
		}
		if n > 0 {
			a.Via = "team"
			break
		}
		sites, err := s.sharedSites(ctx, q, per.ID)
		if err != nil {
			return a, err
		}
		if slices.ContainsFunc(sites, func(site string) bool { return p.CanAt(auth.PermPersonRead, site) }) {
			a.Via = "share"
		}
	}
	if a.Via == "" {
		return a, nil
	}
	a.Read = true
	a.Health = p.Can(auth.PermPersonHealth)
	a.Legal = p.Can(auth.PermPersonLegal)
	a.Manage = p.CanAt(auth.PermPersonManage, per.SiteID)
	return a, nil
}

// sharedSites lists the sites a file is shared with today.
func (s *Service) sharedSites(ctx context.Context, q bun.IDB, personID string) ([]string, error) {
	var sites []string
	err := q.NewSelect().Table("person_shares").Column("site_id").
		Where("person_id = ? AND kind = 'site' AND ended_at IS NULL AND ends_on >= ?", personID, s.today()).
		Scan(ctx, &sites)
	return sites, err
}

// mask blanks what the access does not show.
func (a Access) mask(per *Person) {
	if !a.Health {
		per.HealthNote = ""
	}
	if !a.Legal {
		per.LegalNote = ""
	}
}

// load reads a file of the user's centre (merged and anonymised included).
func (s *Service) load(ctx context.Context, q bun.IDB, orgID, id string) (*Person, error) {
	if !db.ValidID(id) {
		return nil, apperr.ErrNotFound
	}
	per := new(Person)
	if err := q.NewSelect().Model(per).Where("org_id = ? AND id = ?", orgID, id).Scan(ctx); err != nil {
		return nil, db.Translate(err)
	}
	return per, nil
}

// Find returns a file the user may open, with what they may not see
// blanked, and their access. It does not write the audit trail: use it to
// name the person in another module's page; use Read to show the file.
// A file the user may not open is NotFound (its existence is not told).
func (s *Service) Find(ctx context.Context, p *auth.Principal, id string) (*Person, Access, error) {
	return s.find(ctx, s.DB.R, p, id)
}

func (s *Service) find(ctx context.Context, q bun.IDB, p *auth.Principal, id string) (*Person, Access, error) {
	if p == nil {
		return nil, Access{}, apperr.ErrNotFound
	}
	per, err := s.load(ctx, q, p.OrgID, id)
	if err != nil {
		return nil, Access{}, err
	}
	a, err := s.AccessTo(ctx, q, p, per)
	if err != nil {
		return nil, Access{}, err
	}
	if !a.Read {
		return nil, Access{}, apperr.ErrNotFound
	}
	a.mask(per)
	return per, a, nil
}

// Read is Find for showing the file: it writes a "person.read" entry to the
// audit trail, with what was read (view: "page", "export", ...).
func (s *Service) Read(ctx context.Context, p *auth.Principal, id, view string) (*Person, Access, error) {
	per, a, err := s.Find(ctx, p, id)
	if err != nil {
		return nil, a, err
	}
	if err := s.recordRead(ctx, per, view, a.Via); err != nil {
		return nil, a, err
	}
	return per, a, nil
}

func (s *Service) recordRead(ctx context.Context, per *Person, view, via string) error {
	return s.Audit.RecordNow(ctx, auditRead(per, view, via))
}
