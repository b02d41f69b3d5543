package exchange

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"parcours/internal/guide"
	"parcours/internal/guide/seed"
	"parcours/internal/platform/db"
	"parcours/internal/platform/i18n"
)

// derivedNS names the ids of HSDS objects the guide has no row for (an
// address, a cost option, a flag attribute): stable UUIDs derived from the
// row they come from.
var derivedNS = uuid.MustParse("0193a000-0000-7000-8fff-000000000000")

func derivedID(parts ...string) string {
	return uuid.NewSHA1(derivedNS, []byte(strings.Join(parts, "|"))).String()
}

// bundle is what the API read for a set of services.
type bundle struct {
	services []*guide.Service
	orgs     map[string]*guide.Organization
	demo     map[string]bool // centre -> demo
	locs     map[string]*guide.Location
	sals     map[string][]guide.ServiceLocationRow // by service
	phones   map[string][]guide.Phone
	langs    map[string][]guide.LanguageRow
	scheds   map[string][]guide.ScheduleRow
	excs     map[string][]guide.ExceptionRow
	cats     map[string][]guide.CategoryRow
	docs     map[string][]guide.DocumentRow
	tr       map[string]map[string]guide.Translation // owner|field -> lang -> row
}

// loadServices reads published services by id, in the order given, with
// what their HSDS objects need; full adds their hours, phones, languages,
// categories and documents.
func (s *Service) loadServices(ctx context.Context, ids []string, full bool) (*bundle, error) {
	q := s.DB.R
	b := &bundle{orgs: map[string]*guide.Organization{}, demo: map[string]bool{}, locs: map[string]*guide.Location{},
		sals: map[string][]guide.ServiceLocationRow{}, phones: map[string][]guide.Phone{}, langs: map[string][]guide.LanguageRow{},
		scheds: map[string][]guide.ScheduleRow{}, excs: map[string][]guide.ExceptionRow{}, cats: map[string][]guide.CategoryRow{},
		docs: map[string][]guide.DocumentRow{}, tr: map[string]map[string]guide.Translation{}}
	if len(ids) == 0 {
		return b, nil
	}
	var svcs []*guide.Service
	if err := q.NewSelect().Model(&svcs).Where("id IN (?) AND status = ?", bun.List(ids), guide.Published).Scan(ctx); err != nil {
		return nil, err
	}
	byID := map[string]*guide.Service{}
	var orgIDs, centres []string
	for _, sv := range svcs {
		byID[sv.ID] = sv
		orgIDs = append(orgIDs, sv.OrganizationID)
		centres = append(centres, sv.OrgID)
	}
	for _, id := range ids {
		if sv, ok := byID[id]; ok {
			b.services = append(b.services, sv)
		}
	}
	if err := b.loadOrgs(ctx, q, orgIDs, centres); err != nil {
		return nil, err
	}
	var sals []guide.ServiceLocationRow
	if err := q.NewSelect().Model(&sals).Where("service_id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, err
	}
	var locIDs []string
	for _, r := range sals {
		b.sals[r.ServiceID] = append(b.sals[r.ServiceID], r)
		locIDs = append(locIDs, r.LocationID)
	}
	if err := b.loadLocations(ctx, q, locIDs); err != nil {
		return nil, err
	}
	for sid := range b.sals {
		slices.SortFunc(b.sals[sid], func(x, y guide.ServiceLocationRow) int {
			return strings.Compare(b.locs[x.LocationID].Name+x.ID, b.locs[y.LocationID].Name+y.ID)
		})
	}
	owners := append(append(slices.Clone(ids), orgIDs...), locIDs...)
	if full {
		if err := b.loadChildren(ctx, q, ids); err != nil {
			return nil, err
		}
		for _, es := range b.excs {
			for _, e := range es {
				owners = append(owners, e.ID)
			}
		}
	}
	return b, b.loadTranslations(ctx, q, owners)
}

func (b *bundle) loadOrgs(ctx context.Context, q bun.IDB, orgIDs, centres []string) error {
	if len(orgIDs) == 0 {
		return nil
	}
	var orgs []*guide.Organization
	if err := q.NewSelect().Model(&orgs).Where("id IN (?)", bun.List(orgIDs)).Scan(ctx); err != nil {
		return err
	}
	for _, o := range orgs {
		b.orgs[o.ID] = o
	}
	var demo []struct {
		ID   string `bun:"id"`
		Demo bool   `bun:"demo"`
	}
	if err := q.NewSelect().Table("orgs").Column("id", "demo").Where("id IN (?)", bun.List(centres)).Scan(ctx, &demo); err != nil {
		return err
	}
	for _, d := range demo {
		b.demo[d.ID] = d.Demo
	}
	return nil
}

func (b *bundle) loadLocations(ctx context.Context, q bun.IDB, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	var locs []*guide.Location
	if err := q.NewSelect().Model(&locs).Where("id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return err
	}
	for _, l := range locs {
		b.locs[l.ID] = l
	}
	return nil
}

func (b *bundle) loadChildren(ctx context.Context, q bun.IDB, ids []string) error {
	var phones []guide.Phone
	if err := q.NewSelect().Model(&phones).Where("service_id IN (?)", bun.List(ids)).Order("created_at", "id").Scan(ctx); err != nil {
		return err
	}
	for _, p := range phones {
		b.phones[p.ServiceID] = append(b.phones[p.ServiceID], p)
	}
	var langs []guide.LanguageRow
	if err := q.NewSelect().Model(&langs).Where("service_id IN (?)", bun.List(ids)).Order("code", "id").Scan(ctx); err != nil {
		return err
	}
	for _, l := range langs {
		b.langs[l.ServiceID] = append(b.langs[l.ServiceID], l)
	}
	var scheds []guide.ScheduleRow
	if err := q.NewSelect().Model(&scheds).Where("service_id IN (?)", bun.List(ids)).
		OrderExpr("valid_from IS NOT NULL, valid_from, weekday, opens_at, id").Scan(ctx); err != nil {
		return err
	}
	for _, r := range scheds {
		b.scheds[r.ServiceID] = append(b.scheds[r.ServiceID], r)
	}
	var excs []guide.ExceptionRow
	if err := q.NewSelect().Model(&excs).Where("service_id IN (?)", bun.List(ids)).Order("starts_on", "id").Scan(ctx); err != nil {
		return err
	}
	for _, e := range excs {
		b.excs[e.ServiceID] = append(b.excs[e.ServiceID], e)
	}
	var cats []guide.CategoryRow
	if err := q.NewSelect().Model(&cats).Where("service_id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return err
	}
	order := map[string]int{}
	for i, c := range guide.Categories {
		order[c.ID] = i
	}
	slices.SortFunc(cats, func(x, y guide.CategoryRow) int { return order[x.TermID] - order[y.TermID] })
	for _, c := range cats {
		b.cats[c.ServiceID] = append(b.cats[c.ServiceID], c)
	}
	var docs []guide.DocumentRow
	if err := q.NewSelect().Model(&docs).Where("service_id IN (?)", bun.List(ids)).Order("position").Scan(ctx); err != nil {
		return err
	}
	for _, d := range docs {
		b.docs[d.ServiceID] = append(b.docs[d.ServiceID], d)
	}
	return nil
}

func (b *bundle) loadTranslations(ctx context.Context, q bun.IDB, owners []string) error {
	if len(owners) == 0 {
		return nil
	}
	var rows []guide.Translation
	if err := q.NewSelect().Model(&rows).Column("owner_id", "field", "lang", "value", "status", "updated_at").
		Where("owner_id IN (?)", bun.List(owners)).Scan(ctx); err != nil {
		return err
	}
	for _, r := range rows {
		k := r.OwnerID + "|" + r.Field
		if b.tr[k] == nil {
			b.tr[k] = map[string]guide.Translation{}
		}
		b.tr[k][r.Lang] = r
	}
	return nil
}

// text resolves a field for a language as the public pages do: reviewed
// translations along the language's fallback chain, French last.
func (b *bundle) text(lang, owner, field, french string) string {
	for _, l := range i18n.Chain(lang) {
		if l == i18n.Source {
			return french
		}
		if t, ok := b.tr[owner+"|"+field][l]; ok && t.Status == guide.TrReviewed {
			return t.Value
		}
	}
	return french
}

// translations is the profile's view of an owner's translatable fields:
// every served language with its status, the text once reviewed.
func (b *bundle) translations(ownerType, owner string, french func(field string) string) translations {
	out := translations{}
	for _, f := range guide.Fields {
		if f.Owner != ownerType || french(f.Name) == "" {
			continue
		}
		langs := map[string]trValue{}
		for _, l := range i18n.Languages {
			if l.Tag == i18n.Source {
				continue
			}
			v := trValue{Status: guide.TrMissing}
			if t, ok := b.tr[owner+"|"+f.Name][l.Tag]; ok {
				v.Status = t.Status
				if t.Status == guide.TrReviewed {
					v.Value = t.Value
				}
			}
			langs[l.Tag] = v
		}
		out[f.Name] = langs
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// modified is when a service or what it shows last changed: the service
// (whose updated_at every edit of its hours, closures, phones, languages,
// categories, documents, places and translations touches in the same
// transaction: guide.Store.touch), its organisation, its places, and their
// translations (see modifiedAfter, which selects on the same dates).
func (b *bundle) modified(sv *guide.Service) time.Time {
	m := sv.UpdatedAt
	later := func(t time.Time) {
		if t.After(m) {
			m = t
		}
	}
	owners := []string{sv.ID, sv.OrganizationID}
	if o, ok := b.orgs[sv.OrganizationID]; ok {
		later(o.UpdatedAt)
	}
	for _, r := range b.sals[sv.ID] {
		if l, ok := b.locs[r.LocationID]; ok {
			later(l.UpdatedAt)
			owners = append(owners, l.ID)
		}
	}
	for _, o := range owners {
		for k, langs := range b.tr {
			if strings.HasPrefix(k, o+"|") {
				for _, t := range langs {
					later(t.UpdatedAt)
				}
			}
		}
	}
	return m
}

// modifiedAfter selects the services whose modified date is at or after t.
func modifiedAfter(sel *bun.SelectQuery, t time.Time) *bun.SelectQuery {
	return sel.Where(`(svc.updated_at >= ?
		OR EXISTS (SELECT 1 FROM guide_organizations AS mo WHERE mo.id = svc.organization_id AND mo.updated_at >= ?)
		OR EXISTS (SELECT 1 FROM guide_service_at_locations AS ms JOIN guide_locations AS ml ON ml.id = ms.location_id
			WHERE ms.service_id = svc.id AND ml.updated_at >= ?)
		OR EXISTS (SELECT 1 FROM guide_translations AS mt WHERE mt.updated_at >= ? AND (mt.owner_id = svc.id
			OR mt.owner_id = svc.organization_id
			OR mt.owner_id IN (SELECT location_id FROM guide_service_at_locations WHERE service_id = svc.id))))`, t, t, t, t)
}

// hoursOf builds a service's hours from its rows.
func (b *bundle) hoursOf(id string) guide.Hours {
	var h guide.Hours
	for _, r := range b.scheds[id] {
		if o, c, ok := guide.Span(r.OpensAt, r.ClosesAt); ok {
			h.Slots = append(h.Slots, guide.Slot{Weekday: r.Weekday, Opens: o, Closes: c, ValidFrom: r.ValidFrom, ValidTo: r.ValidTo})
		}
	}
	for _, r := range b.excs[id] {
		e := guide.Exception{ID: r.ID, StartsOn: r.StartsOn, EndsOn: r.EndsOn, Closed: r.Closed, Reason: r.Reason}
		if !r.Closed {
			var ok bool
			if e.Opens, e.Closes, ok = guide.Span(r.OpensAt, r.ClosesAt); !ok {
				continue
			}
		}
		h.Exceptions = append(h.Exceptions, e)
	}
	return h
}

// checklistTitles are the checklists' titles by slug and language.
var checklistTitles = func() map[string]map[string]string {
	cls, err := seed.Checklists()
	if err != nil {
		panic(err) // embedded content, checked by the guide's tests
	}
	out := map[string]map[string]string{}
	for _, c := range cls {
		out[c.Slug] = c.Title
	}
	return out
}()

// checklistTitle is a checklist's title in lang, or along its chain.
func checklistTitle(slug, lang string) string {
	for _, l := range i18n.Chain(lang) {
		if t := checklistTitles[slug][l]; t != "" {
			return t
		}
	}
	return slug
}

// validUUID reports whether s is a UUID as HSDS ids are.
func validUUID(s string) bool { return db.ValidID(s) }
