package exchange

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/guide"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
)

// importTTL is how long an uploaded import waits for its confirmation.
const importTTL = 24 * time.Hour

func (s *Service) can(p *auth.Principal) error {
	if !p.Can(auth.PermGuideEdit) {
		return apperr.ErrForbidden
	}
	return nil
}

// Upload reads uploaded files and keeps them for the preview. A file that
// cannot be read at all is refused (a *FileError) and nothing is kept.
func (s *Service) Upload(ctx context.Context, p *auth.Principal, files []File) (string, error) {
	if err := s.can(p); err != nil {
		return "", err
	}
	rows, err := parseFiles(files)
	if err != nil {
		return "", err
	}
	blob, err := json.Marshal(files)
	if err != nil {
		return "", err
	}
	now := s.Clock.Now()
	im := &importRow{ID: db.NewID(), OrgID: p.OrgID, UserID: p.UserID, Files: blob, RowCount: len(rows), CreatedAt: now}
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		// Uploads never confirmed are dropped after a day (they may hold
		// names of contact persons).
		if _, err := tx.NewDelete().Model((*importRow)(nil)).Where("org_id = ? AND done_at IS NULL AND created_at < ?", p.OrgID,
			now.Add(-importTTL)).Exec(ctx); err != nil {
			return err
		}
		_, err := tx.NewInsert().Model(im).Exec(ctx)
		return err
	})
	return im.ID, err
}

// pending loads an import of the centre that is waiting for confirmation.
func (s *Service) pending(ctx context.Context, q bun.IDB, p *auth.Principal, id string) (*importRow, []*inRecord, error) {
	if err := s.can(p); err != nil {
		return nil, nil, err
	}
	if !db.ValidID(id) {
		return nil, nil, apperr.ErrNotFound
	}
	im := new(importRow)
	err := q.NewSelect().Model(im).Where("id = ? AND org_id = ? AND done_at IS NULL AND created_at >= ?", id, p.OrgID,
		s.Clock.Now().Add(-importTTL)).Scan(ctx)
	if err != nil {
		return nil, nil, db.Translate(err)
	}
	var files []File
	if err := json.Unmarshal(im.Files, &files); err != nil {
		return nil, nil, fmt.Errorf("import %s: %w", id, err)
	}
	rows, err := parseFiles(files)
	return im, rows, err
}

// Preview checks an uploaded import against the centre's guide.
func (s *Service) Preview(ctx context.Context, p *auth.Principal, id string) (*Plan, error) {
	_, rows, err := s.pending(ctx, s.DB.R, p, id)
	if err != nil {
		return nil, err
	}
	st, err := loadState(ctx, s.DB.R, p.OrgID)
	if err != nil {
		return nil, err
	}
	return check(rows, st, s.today()), nil
}

// Result counts what a confirmed import did, by row.
type Result struct {
	Created, Updated, Unchanged int
}

// errHasErrors stops a confirmation whose check found errors.
var errHasErrors = errors.New("the import has errors")

// Confirm writes an import: every row in one transaction, or none. It
// checks the rows again against the guide as it is now; with errors it
// writes nothing and returns the plan to show.
func (s *Service) Confirm(ctx context.Context, p *auth.Principal, id string) (*Plan, *Result, error) {
	var plan *Plan
	res := &Result{}
	err := s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		im, rows, err := s.pending(ctx, tx, p, id)
		if err != nil {
			return err
		}
		st, err := loadState(ctx, tx, p.OrgID)
		if err != nil {
			return err
		}
		if plan = check(rows, st, s.today()); plan.Errors > 0 {
			return errHasErrors
		}
		a := &applier{s: s, tx: tx, orgID: p.OrgID, now: s.Clock.Now(), res: res, reindex: map[string]bool{}}
		if err := a.apply(ctx, plan); err != nil {
			return err
		}
		done := a.now
		if _, err := tx.NewUpdate().Model(im).Set("done_at = ?", done).Set("files = ?", []byte("[]")).WherePK().Exec(ctx); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "guide.exchange.import", ObjectType: "guide_exchange", ObjectID: im.ID,
			OrgID: p.OrgID, Details: map[string]any{"schema": "data-inclusion-v1", "rows": len(rows), "created": res.Created,
				"updated": res.Updated, "unchanged": res.Unchanged, "services": a.touched}})
	})
	if errors.Is(err, errHasErrors) {
		return plan, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return plan, res, nil
}

// applier writes a checked plan inside one transaction.
type applier struct {
	s       *Service
	tx      bun.Tx
	orgID   string
	now     time.Time
	res     *Result
	reindex map[string]bool
	// touched are the services created or updated.
	touched []string
}

func (a *applier) apply(ctx context.Context, pl *Plan) error {
	for _, ps := range pl.structures {
		changed, err := a.structure(ctx, ps)
		if err != nil {
			return err
		}
		a.count(ps.line, changed)
	}
	for _, ps := range pl.services {
		changed, err := a.service(ctx, ps)
		if err != nil {
			return err
		}
		a.count(ps.line, changed)
		if changed {
			a.touched = append(a.touched, ps.localID)
		}
	}
	var ids []string
	for id := range a.reindex {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return a.s.Guide.Reindex(ctx, a.tx, ids...)
}

func (a *applier) count(l *Line, changed bool) {
	switch {
	case l.Action == "create":
		a.res.Created++
	case changed:
		a.res.Updated++
	default:
		a.res.Unchanged++
	}
}

// link records which guide row a record of a source became.
func (a *applier) link(ctx context.Context, kind, source, ext, local string) error {
	l := &linkRow{ID: db.NewID(), OrgID: a.orgID, Kind: kind, Source: source, ExternalID: ext, LocalID: local, CreatedAt: a.now, UpdatedAt: a.now}
	_, err := a.tx.NewInsert().Model(l).On("CONFLICT (org_id, kind, source, external_id) DO UPDATE").
		Set("local_id = EXCLUDED.local_id").Set("updated_at = EXCLUDED.updated_at").Exec(ctx)
	return err
}

func (a *applier) linked(ctx context.Context, kind, source, ext string) (string, error) {
	var ids []string
	err := a.tx.NewSelect().Model((*linkRow)(nil)).Column("local_id").
		Where("org_id = ? AND kind = ? AND source = ? AND external_id = ?", a.orgID, kind, source, ext).Scan(ctx, &ids)
	if err != nil || len(ids) == 0 {
		return "", err
	}
	return ids[0], nil
}

// keep sets *dst to v unless v is empty, and tells whether it changed.
func keep(dst *string, v string) bool {
	if v == "" || *dst == v {
		return false
	}
	*dst = v
	return true
}

func keepBool(dst *bool, v *bool) bool {
	if v == nil || *dst == *v {
		return false
	}
	*dst = *v
	return true
}

func (a *applier) structure(ctx context.Context, ps *planStructure) (bool, error) {
	changed := false
	o := &guide.Organization{ID: db.NewID(), OrgID: a.orgID, Name: ps.name, Description: ps.description, Website: ps.website,
		Email: ps.email, CreatedAt: a.now, UpdatedAt: a.now}
	if ps.localID == "" {
		if _, err := a.tx.NewInsert().Model(o).Exec(ctx); err != nil {
			return false, err
		}
		ps.localID, changed = o.ID, true
	} else {
		if err := a.tx.NewSelect().Model(o).Where("id = ? AND org_id = ?", ps.localID, a.orgID).Scan(ctx); err != nil {
			return false, db.Translate(err)
		}
		oldDesc := o.Description
		changed = keep(&o.Name, ps.name)
		changed = keep(&o.Description, ps.description) || changed
		changed = keep(&o.Website, ps.website) || changed
		changed = keep(&o.Email, ps.email) || changed
		if changed {
			o.UpdatedAt = a.now
			if _, err := a.tx.NewUpdate().Model(o).WherePK().Exec(ctx); err != nil {
				return false, err
			}
			if err := a.s.Guide.SourceChanged(ctx, a.tx, o.ID, "description", oldDesc, o.Description); err != nil {
				return false, err
			}
			if err := a.reindexWhere(ctx, "organization_id = ?", o.ID); err != nil {
				return false, err
			}
		}
	}
	if err := a.link(ctx, kindStructure, ps.source, ps.extID, o.ID); err != nil {
		return false, err
	}
	if ps.place != nil {
		_, placeChanged, err := a.place(ctx, o.ID, ps.source, ps.place)
		return changed || placeChanged, err
	}
	return changed, nil
}

// reindexWhere marks the services matching a condition for reindexing.
func (a *applier) reindexWhere(ctx context.Context, where string, args ...any) error {
	var ids []string
	if err := a.tx.NewSelect().Model((*guide.Service)(nil)).Column("id").Where(where, args...).Scan(ctx, &ids); err != nil {
		return err
	}
	for _, id := range ids {
		a.reindex[id] = true
	}
	return nil
}

// samePlace reports whether a location is at a place's address.
func samePlace(l *guide.Location, p *planPlace) bool {
	return strings.EqualFold(strings.TrimSpace(l.Address), p.address) && l.PostalCode == p.postal
}

// place finds or creates the location of a place: the one linked to it,
// else one of the organisation at the same address, else a new one.
func (a *applier) place(ctx context.Context, organizationID, source string, p *planPlace) (string, bool, error) {
	id, err := a.linked(ctx, kindPlace, source, p.key)
	if err != nil {
		return "", false, err
	}
	l := new(guide.Location)
	found := false
	if id != "" {
		err := a.tx.NewSelect().Model(l).Where("id = ? AND org_id = ? AND organization_id = ?", id, a.orgID, organizationID).Scan(ctx)
		found = err == nil
		if err != nil && !errors.Is(db.Translate(err), apperr.ErrNotFound) {
			return "", false, err
		}
	}
	if !found {
		var locs []*guide.Location
		if err := a.tx.NewSelect().Model(&locs).Where("org_id = ? AND organization_id = ? AND postal_code = ?", a.orgID, organizationID, p.postal).
			OrderExpr("created_at, id").Scan(ctx); err != nil {
			return "", false, err
		}
		for _, x := range locs {
			if samePlace(x, p) {
				l, found = x, true
				break
			}
		}
	}
	changed := false
	if !found {
		city := p.city
		if city == "" && p.arr > 0 {
			city = "Paris"
		}
		l = &guide.Location{ID: db.NewID(), OrgID: a.orgID, OrganizationID: organizationID, Name: p.name, Address: p.address,
			PostalCode: p.postal, City: city, Arrondissement: p.arr, Latitude: p.lat, Longitude: p.lon, Directions: p.directions,
			CreatedAt: a.now, UpdatedAt: a.now}
		if _, err := a.tx.NewInsert().Model(l).Exec(ctx); err != nil {
			return "", false, err
		}
		changed = true
	} else {
		oldDirections := l.Directions
		changed = keep(&l.Address, p.address)
		changed = keep(&l.PostalCode, p.postal) || changed
		changed = keep(&l.City, p.city) || changed
		changed = keep(&l.Directions, p.directions) || changed
		if p.arr > 0 && l.Arrondissement != p.arr {
			l.Arrondissement, changed = p.arr, true
		}
		if p.lat != nil && (l.Latitude == nil || *l.Latitude != *p.lat || *l.Longitude != *p.lon) {
			l.Latitude, l.Longitude, changed = p.lat, p.lon, true
		}
		if changed {
			l.UpdatedAt = a.now
			if _, err := a.tx.NewUpdate().Model(l).WherePK().Exec(ctx); err != nil {
				return "", false, err
			}
			if err := a.s.Guide.SourceChanged(ctx, a.tx, l.ID, "directions", oldDirections, l.Directions); err != nil {
				return "", false, err
			}
			if err := a.reindexWhere(ctx, "id IN (SELECT service_id FROM guide_service_at_locations WHERE location_id = ?)", l.ID); err != nil {
				return "", false, err
			}
		}
	}
	return l.ID, changed, a.link(ctx, kindPlace, source, p.key, l.ID)
}

// fields are the service's columns an import compares.
func fields(sv *guide.Service) string {
	return fmt.Sprint(sv.OrganizationID, sv.Name, sv.Description, sv.Eligibility, sv.ApplicationProcess, sv.DocumentsNote, sv.URL,
		sv.Email, sv.Free, sv.NoPapers, sv.WelcomeMen, sv.WelcomeWomen, sv.WelcomeFamilies, sv.WelcomeMinors, sv.WalkIn,
		sv.Appointment, sv.Referral, sv.CheckedOn.Format(time.DateOnly))
}

func (a *applier) service(ctx context.Context, ps *planService) (bool, error) {
	organizationID := ps.organizationID
	if ps.structure != nil {
		organizationID = ps.structure.localID
	}
	sv := &guide.Service{ID: db.NewID(), OrgID: a.orgID, Status: guide.Draft, CheckedOn: ps.checkedOn,
		CheckedBy: "data·inclusion (" + truncate(ps.source, 60) + ")", CreatedAt: a.now, UpdatedAt: a.now}
	old := *sv
	create := ps.localID == ""
	if !create {
		if err := a.tx.NewSelect().Model(sv).Where("id = ? AND org_id = ?", ps.localID, a.orgID).Scan(ctx); err != nil {
			return false, db.Translate(err)
		}
		old = *sv
		if ps.checkedOn.After(sv.CheckedOn) {
			sv.CheckedOn = ps.checkedOn
		}
		if err := a.sameInDI(ctx, ps, sv); err != nil {
			return false, err
		}
	}
	sv.OrganizationID = organizationID
	for _, f := range []struct {
		dst *string
		v   string
	}{{&sv.Name, ps.name}, {&sv.Description, ps.description}, {&sv.Eligibility, ps.eligibility}, {&sv.ApplicationProcess, ps.process},
		{&sv.DocumentsNote, ps.documents}, {&sv.URL, ps.url}, {&sv.Email, ps.email}} {
		keep(f.dst, f.v)
	}
	for _, f := range []struct {
		dst *bool
		v   *bool
	}{{&sv.Free, ps.free}, {&sv.WalkIn, ps.walkIn}, {&sv.Appointment, ps.appointment}, {&sv.Referral, ps.referral},
		{&sv.WelcomeMen, ps.men}, {&sv.WelcomeWomen, ps.women}, {&sv.WelcomeFamilies, ps.families}, {&sv.WelcomeMinors, ps.minors},
		{&sv.NoPapers, ps.noPapers}} {
		keepBool(f.dst, f.v)
	}
	changed := create || fields(sv) != fields(&old)
	switch {
	case create:
		if _, err := a.tx.NewInsert().Model(sv).Exec(ctx); err != nil {
			return false, err
		}
		ps.localID = sv.ID
	case changed:
		sv.UpdatedAt = a.now
		if _, err := a.tx.NewUpdate().Model(sv).WherePK().Exec(ctx); err != nil {
			return false, err
		}
		for _, f := range guide.Fields {
			if f.Owner != "service" {
				continue
			}
			if err := a.s.Guide.SourceChanged(ctx, a.tx, sv.ID, f.Name, serviceText(&old, f.Name), serviceText(sv, f.Name)); err != nil {
				return false, err
			}
		}
	}
	for _, step := range []func(context.Context, *planService, *guide.Service) (bool, error){
		a.categories, a.checklists, a.location, a.phone, a.hours} {
		c, err := step(ctx, ps, sv)
		if err != nil {
			return false, err
		}
		changed = changed || c
	}
	if changed {
		a.reindex[sv.ID] = true
		if !create {
			if err := a.s.Guide.Touch(ctx, a.tx, sv.ID); err != nil {
				return false, err
			}
		}
	}
	return changed, a.link(ctx, kindService, ps.source, ps.extID, sv.ID)
}

// sameSet reports whether two lists hold the same values.
func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

// sameInDI drops from an update the vocabularies that say, in
// data·inclusion's words, what the service already says: its categories,
// publics and access modes stay as the editors set them.
func (a *applier) sameInDI(ctx context.Context, ps *planService, sv *guide.Service) error {
	var terms []string
	if err := a.tx.NewSelect().Model((*guide.CategoryRow)(nil)).Column("term_id").Where("service_id = ?", sv.ID).Scan(ctx, &terms); err != nil {
		return err
	}
	var cats []string
	for _, t := range terms {
		if c, ok := categoryOf(t); ok {
			cats = append(cats, c)
		}
	}
	phones, err := a.tx.NewSelect().Model((*guide.Phone)(nil)).Where("service_id = ?", sv.ID).Count(ctx)
	if err != nil {
		return err
	}
	modes, by := mobilisation(sv, phones > 0)
	if ps.thematiques != nil && sameSet(ps.thematiques, thematiquesOf(cats)) {
		ps.categories = nil
	}
	if ps.publics != nil && sameSet(ps.publics, exportPublics(sv.WelcomeMen, sv.WelcomeWomen, sv.WelcomeFamilies, sv.WelcomeMinors)) {
		ps.men, ps.women, ps.families, ps.minors = nil, nil, nil, nil
	}
	if ps.modes != nil && sameSet(ps.modes, modes) {
		ps.walkIn, ps.appointment = nil, nil
	}
	if ps.by != nil && sameSet(ps.by, by) {
		ps.referral = nil
	}
	return nil
}

// categories replaces the service's categories when the row maps to some.
func (a *applier) categories(ctx context.Context, ps *planService, sv *guide.Service) (bool, error) {
	if len(ps.categories) == 0 {
		return false, nil
	}
	var cur []string
	if err := a.tx.NewSelect().Model((*guide.CategoryRow)(nil)).Column("term_id").Where("service_id = ?", sv.ID).Scan(ctx, &cur); err != nil {
		return false, err
	}
	var want []string
	for _, slug := range ps.categories {
		c, _ := guide.CategoryBySlug(slug)
		want = append(want, c.ID)
	}
	slices.Sort(cur)
	slices.Sort(want)
	if slices.Equal(cur, want) {
		return false, nil
	}
	if _, err := a.tx.NewDelete().Model((*guide.CategoryRow)(nil)).Where("service_id = ?", sv.ID).Exec(ctx); err != nil {
		return false, err
	}
	for _, id := range want {
		if _, err := a.tx.NewInsert().Model(&guide.CategoryRow{ID: db.NewID(), OrgID: a.orgID, ServiceID: sv.ID, TermID: id}).Exec(ctx); err != nil {
			return false, err
		}
	}
	return true, nil
}

// checklists replaces the service's "documents to bring" checklists when
// the row names some that differ.
func (a *applier) checklists(ctx context.Context, ps *planService, sv *guide.Service) (bool, error) {
	if ps.checklists == nil {
		return false, nil
	}
	var cur []string
	if err := a.tx.NewSelect().Model((*guide.DocumentRow)(nil)).Column("checklist_slug").Where("service_id = ?", sv.ID).
		Order("position").Scan(ctx, &cur); err != nil {
		return false, err
	}
	if slices.Equal(cur, ps.checklists) {
		return false, nil
	}
	if _, err := a.tx.NewDelete().Model((*guide.DocumentRow)(nil)).Where("service_id = ?", sv.ID).Exec(ctx); err != nil {
		return false, err
	}
	for i, slug := range ps.checklists {
		if _, err := a.tx.NewInsert().Model(&guide.DocumentRow{ID: db.NewID(), OrgID: a.orgID, ServiceID: sv.ID, ChecklistSlug: slug,
			Position: i}).Exec(ctx); err != nil {
			return false, err
		}
	}
	return true, nil
}

// location puts the service at the row's place unless it is already at a
// location with that address; it also drops places of another
// organisation (a service's places are its organisation's).
func (a *applier) location(ctx context.Context, ps *planService, sv *guide.Service) (bool, error) {
	var locs []*guide.Location
	if err := a.tx.NewSelect().Model(&locs).Where("id IN (SELECT location_id FROM guide_service_at_locations WHERE service_id = ?)", sv.ID).
		Scan(ctx); err != nil {
		return false, err
	}
	changed := false
	for _, l := range locs {
		if l.OrganizationID != sv.OrganizationID {
			if _, err := a.tx.NewDelete().Model((*guide.ServiceLocationRow)(nil)).Where("service_id = ? AND location_id = ?", sv.ID, l.ID).Exec(ctx); err != nil {
				return false, err
			}
			changed = true
		}
	}
	p := ps.place
	if p == nil && ps.structure != nil && ps.structure.place != nil && len(locs) == 0 {
		p = ps.structure.place
	}
	if p == nil {
		return changed, nil
	}
	for _, l := range locs {
		if l.OrganizationID == sv.OrganizationID && samePlace(l, p) {
			return changed, nil
		}
	}
	if ps.structure != nil && ps.structure.place != nil && p != ps.structure.place && p.address == ps.structure.place.address &&
		p.postal == ps.structure.place.postal {
		p = ps.structure.place
	}
	id, _, err := a.place(ctx, sv.OrganizationID, ps.source, p)
	if err != nil {
		return false, err
	}
	if _, err := a.tx.NewDelete().Model((*guide.ServiceLocationRow)(nil)).Where("service_id = ?", sv.ID).Exec(ctx); err != nil {
		return false, err
	}
	_, err = a.tx.NewInsert().Model(&guide.ServiceLocationRow{ID: db.NewID(), OrgID: a.orgID, ServiceID: sv.ID, LocationID: id}).Exec(ctx)
	return true, err
}

// phone adds the row's phone number unless the service has it.
func (a *applier) phone(ctx context.Context, ps *planService, sv *guide.Service) (bool, error) {
	if ps.phone == "" {
		return false, nil
	}
	n, err := a.tx.NewSelect().Model((*guide.Phone)(nil)).Where("service_id = ? AND number = ?", sv.ID, ps.phone).Count(ctx)
	if err != nil || n > 0 {
		return false, err
	}
	_, err = a.tx.NewInsert().Model(&guide.Phone{ID: db.NewID(), OrgID: a.orgID, ServiceID: sv.ID, Number: ps.phone, Kind: "voice",
		CreatedAt: a.now}).Exec(ctx)
	return true, err
}

func slotKey(weekday int, opens, closes string, from, to *time.Time) string {
	k := fmt.Sprintf("%d %s %s", weekday, opens, closes)
	if from != nil && to != nil {
		k += " " + from.Format(time.DateOnly) + " " + to.Format(time.DateOnly)
	}
	return k
}

// hours replaces the weekly and seasonal slots when the row's differ, and
// adds its dated exceptions the service does not have (it never removes
// one: their reasons and translations are the editors').
func (a *applier) hours(ctx context.Context, ps *planService, sv *guide.Service) (bool, error) {
	if ps.hours == nil {
		return false, nil
	}
	changed := false
	if len(ps.hours.Slots) > 0 {
		var cur []guide.ScheduleRow
		if err := a.tx.NewSelect().Model(&cur).Where("service_id = ?", sv.ID).Scan(ctx); err != nil {
			return false, err
		}
		var have, want []string
		for _, r := range cur {
			have = append(have, slotKey(r.Weekday, r.OpensAt, r.ClosesAt, r.ValidFrom, r.ValidTo))
		}
		for _, s := range ps.hours.Slots {
			want = append(want, slotKey(s.Weekday, s.Opens, s.Closes, s.ValidFrom, s.ValidTo))
		}
		slices.Sort(have)
		slices.Sort(want)
		if !slices.Equal(have, want) {
			if _, err := a.tx.NewDelete().Model((*guide.ScheduleRow)(nil)).Where("service_id = ?", sv.ID).Exec(ctx); err != nil {
				return false, err
			}
			for _, s := range ps.hours.Slots {
				r := &guide.ScheduleRow{ID: db.NewID(), OrgID: a.orgID, ServiceID: sv.ID, Weekday: s.Weekday, OpensAt: s.Opens, ClosesAt: s.Closes,
					ValidFrom: s.ValidFrom, ValidTo: s.ValidTo}
				if _, err := a.tx.NewInsert().Model(r).Exec(ctx); err != nil {
					return false, err
				}
			}
			changed = true
		}
	}
	var excs []guide.ExceptionRow
	if err := a.tx.NewSelect().Model(&excs).Where("service_id = ?", sv.ID).Scan(ctx); err != nil {
		return false, err
	}
	for _, e := range ps.hours.Exceptions {
		if slices.ContainsFunc(excs, func(x guide.ExceptionRow) bool {
			return x.StartsOn.Equal(e.StartsOn) && x.EndsOn.Equal(e.EndsOn) && x.Closed == e.Closed && x.OpensAt == e.Opens && x.ClosesAt == e.Closes
		}) {
			continue
		}
		r := &guide.ExceptionRow{ID: db.NewID(), OrgID: a.orgID, ServiceID: sv.ID, StartsOn: e.StartsOn, EndsOn: e.EndsOn, Closed: e.Closed,
			OpensAt: e.Opens, ClosesAt: e.Closes, Reason: truncate(e.Reason, 299), CreatedAt: a.now}
		if _, err := a.tx.NewInsert().Model(r).Exec(ctx); err != nil {
			return false, err
		}
		excs = append(excs, *r)
		changed = true
	}
	return changed, nil
}
