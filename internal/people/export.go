package people

import (
	"context"
	"time"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/auth"
)

// Export is a person's copy of their file (right of access): everything
// the centre holds about them, from every module.
type Export struct {
	GeneratedAt time.Time       `json:"generated_at"`
	Person      *Person         `json:"person"`
	Household   []Member        `json:"household"`
	Consents    []Consent       `json:"consents"`
	Shares      []Share         `json:"shares"`
	Team        []TeamMember    `json:"team"`
	Timeline    []ExportEvent   `json:"timeline"`
	Sections    []ExportSection `json:"sections"`
}

// ExportEvent is a timeline line of the export.
type ExportEvent struct {
	At      time.Time `json:"at"`
	Kind    string    `json:"kind"`
	Summary Message   `json:"summary"`
}

// Export gathers a file for the person (managers; written to the audit
// trail as a read, view "export-<format>").
func (s *Service) Export(ctx context.Context, p *auth.Principal, id, format string) (*Export, error) {
	per, a, err := s.Find(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if !a.Manage {
		return nil, apperr.ErrForbidden
	}
	if per.MergedInto != "" {
		return nil, apperr.ErrNotFound
	}
	// The person is entitled to all of it, notes included.
	full, err := s.load(ctx, s.DB.R, p.OrgID, per.ID)
	if err != nil {
		return nil, err
	}
	x := &Export{GeneratedAt: s.Clock.Now(), Person: full}
	if x.Household, err = s.household(ctx, s.DB.R, p.OrgID, full.ID); err != nil {
		return nil, err
	}
	if x.Consents, err = s.consents(ctx, s.DB.R, full.ID); err != nil {
		return nil, err
	}
	if err := s.DB.R.NewSelect().Model(&x.Shares).Where("org_id = ? AND person_id = ?", p.OrgID, full.ID).Order("created_at").Scan(ctx); err != nil {
		return nil, err
	}
	if x.Team, err = s.team(ctx, s.DB.R, full); err != nil {
		return nil, err
	}
	evs, err := s.events(ctx, s.DB.R, p.OrgID, full.ID, Access{Read: true, Health: true, Legal: true}, 0)
	if err != nil {
		return nil, err
	}
	for _, e := range evs {
		x.Timeline = append(x.Timeline, ExportEvent{At: e.At, Kind: e.Kind, Summary: Message{Key: e.Key, Args: e.Args()}})
	}
	for _, h := range s.Hooks {
		secs, err := h.ExportPerson(ctx, p.OrgID, full.ID)
		if err != nil {
			return nil, err
		}
		x.Sections = append(x.Sections, secs...)
	}
	if err := s.recordRead(ctx, full, "export-"+format, a.Via); err != nil {
		return nil, err
	}
	return x, nil
}
