package guide

import (
	"context"
	"slices"

	"github.com/uptrace/bun"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/db"
)

// Detail is a service with everything attached to it.
type Detail struct {
	Service      *Service
	Organization *Organization
	Locations    []Location
	Phones       []Phone
	// OnSite are the codes of the languages spoken on site.
	OnSite     []string
	Categories []Category
	// Documents are checklist slugs, in order.
	Documents []string
	Hours     Hours
	// Demo tells the service belongs to a demo centre.
	Demo bool
}

// PublicService loads a published service (any centre) for the public page.
func (s *Store) PublicService(ctx context.Context, id string) (*Detail, error) {
	return s.detail(ctx, s.DB.R, id, "", true)
}

// detail loads a service; orgID "" means any centre, published whether it
// must be published.
func (s *Store) detail(ctx context.Context, q bun.IDB, id, orgID string, published bool) (*Detail, error) {
	if !db.ValidID(id) {
		return nil, apperr.ErrNotFound
	}
	d := &Detail{Service: new(Service), Organization: new(Organization)}
	sel := q.NewSelect().Model(d.Service).Where("id = ?", id)
	if orgID != "" {
		sel = sel.Where("org_id = ?", orgID)
	}
	if published {
		sel = sel.Where("status = ?", Published)
	}
	if err := sel.Scan(ctx); err != nil {
		return nil, db.Translate(err)
	}
	if err := q.NewSelect().Model(d.Organization).Where("id = ?", d.Service.OrganizationID).Scan(ctx); err != nil {
		return nil, err
	}
	if err := q.NewSelect().Table("orgs").Column("demo").Where("id = ?", d.Service.OrgID).Scan(ctx, &d.Demo); err != nil {
		return nil, err
	}
	if err := q.NewSelect().Model(&d.Locations).
		Where("id IN (?)", q.NewSelect().Model((*ServiceLocationRow)(nil)).Column("location_id").Where("service_id = ?", id)).
		Order("name").Scan(ctx); err != nil {
		return nil, err
	}
	if err := q.NewSelect().Model(&d.Phones).Where("service_id = ?", id).Order("created_at", "id").Scan(ctx); err != nil {
		return nil, err
	}
	var langs []LanguageRow
	if err := q.NewSelect().Model(&langs).Where("service_id = ?", id).Scan(ctx); err != nil {
		return nil, err
	}
	for _, l := range langs {
		if l.PhoneID == nil {
			d.OnSite = append(d.OnSite, l.Code)
			continue
		}
		for i := range d.Phones {
			if d.Phones[i].ID == *l.PhoneID {
				d.Phones[i].Languages = append(d.Phones[i].Languages, l.Code)
			}
		}
	}
	sortSpoken(d.OnSite)
	for i := range d.Phones {
		sortSpoken(d.Phones[i].Languages)
	}
	var terms []string
	if err := q.NewSelect().Model((*CategoryRow)(nil)).Column("term_id").Where("service_id = ?", id).Scan(ctx, &terms); err != nil {
		return nil, err
	}
	for _, c := range Categories {
		if slices.Contains(terms, c.ID) {
			d.Categories = append(d.Categories, c)
		}
	}
	if err := q.NewSelect().Model((*DocumentRow)(nil)).Column("checklist_slug").Where("service_id = ?", id).
		Order("position").Scan(ctx, &d.Documents); err != nil {
		return nil, err
	}
	hours, err := hoursFor(ctx, q, []string{id})
	d.Hours = hours[id]
	return d, err
}

// sortSpoken orders language codes as the list of spoken languages does.
func sortSpoken(codes []string) {
	order := spokenCodes()
	slices.SortFunc(codes, func(a, b string) int {
		ia, ib := slices.Index(order, a), slices.Index(order, b)
		if ia < 0 {
			ia = len(order)
		}
		if ib < 0 {
			ib = len(order)
		}
		return ia - ib
	})
}

// hoursFor loads the hours of several services.
func hoursFor(ctx context.Context, q bun.IDB, ids []string) (map[string]Hours, error) {
	out := make(map[string]Hours, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var slots []ScheduleRow
	if err := q.NewSelect().Model(&slots).Where("service_id IN (?)", bun.List(ids)).Order("weekday", "opens_at").Scan(ctx); err != nil {
		return nil, err
	}
	for _, r := range slots {
		o, c, ok := Span(r.OpensAt, r.ClosesAt)
		if !ok {
			continue
		}
		h := out[r.ServiceID]
		h.Slots = append(h.Slots, Slot{Weekday: r.Weekday, Opens: o, Closes: c, ValidFrom: r.ValidFrom, ValidTo: r.ValidTo})
		out[r.ServiceID] = h
	}
	var excs []ExceptionRow
	if err := q.NewSelect().Model(&excs).Where("service_id IN (?)", bun.List(ids)).Order("starts_on").Scan(ctx); err != nil {
		return nil, err
	}
	for _, r := range excs {
		e := Exception{ID: r.ID, StartsOn: r.StartsOn, EndsOn: r.EndsOn, Closed: r.Closed, Reason: r.Reason}
		if !r.Closed {
			var ok bool
			if e.Opens, e.Closes, ok = Span(r.OpensAt, r.ClosesAt); !ok {
				continue
			}
		}
		h := out[r.ServiceID]
		h.Exceptions = append(h.Exceptions, e)
		out[r.ServiceID] = h
	}
	return out, nil
}

// ownerIDs lists the ids whose texts a service page shows.
func (d *Detail) ownerIDs() []string {
	ids := []string{d.Service.ID, d.Organization.ID}
	for _, l := range d.Locations {
		ids = append(ids, l.ID)
	}
	for _, e := range d.Hours.Exceptions {
		ids = append(ids, e.ID)
	}
	return ids
}

// HasDemo reports whether the public guide shows services of a demo centre.
func (s *Store) HasDemo(ctx context.Context) (bool, error) {
	return s.DB.R.NewSelect().Model((*Service)(nil)).
		Where("status = ? AND org_id IN (SELECT id FROM orgs WHERE demo)", Published).Exists(ctx)
}
