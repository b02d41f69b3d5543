package guide

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/guide/seed"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
)

// ChecklistSlugs are the slugs of the "documents to bring" checklists.
var ChecklistSlugs = func() []string {
	cls, err := seed.Checklists()
	if err != nil {
		panic(err) // embedded content, checked by its own tests
	}
	out := make([]string, len(cls))
	for i, c := range cls {
		out[i] = c.Slug
	}
	return out
}()

func (s *Store) can(p *auth.Principal) error {
	if !p.Can(auth.PermGuideEdit) {
		return apperr.ErrForbidden
	}
	return nil
}

// touch marks services changed now. A service's updated_at covers the
// service row and every part of it that has no date of its own or can be
// deleted: hours, dated exceptions and their translations, phone lines,
// languages, categories, documents, places linked, its translations. Every
// edit of such a part calls it in its transaction, so that the HSDS API's
// last_modified (and modified_after) moves with what the API returns.
func (s *Store) touch(ctx context.Context, tx bun.IDB, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := tx.NewUpdate().Model((*Service)(nil)).Set("updated_at = ?", s.Clock.Now()).Where("id IN (?)", bun.List(ids)).Exec(ctx)
	return err
}

// record writes an audit entry of the guide.
func (s *Store) record(ctx context.Context, tx bun.Tx, action, objType, id string, details map[string]any) error {
	return s.Audit.Record(ctx, tx, audit.Event{Action: "guide." + action, ObjectType: "guide_" + objType, ObjectID: id, Details: details})
}

func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s
}

func checkLen(fields map[string]string, name, v string, max int, required bool) {
	switch {
	case required && v == "":
		fields[name] = "common.form.required"
	case len([]rune(v)) > max:
		fields[name] = "common.form.too_long"
	}
}

func invalid(fields map[string]string) error {
	if len(fields) > 0 {
		return apperr.Validation(fields)
	}
	return nil
}

// ---- Organisations ----

// OrganizationInput is the organisation form.
type OrganizationInput struct{ Name, Description, Website, Email string }

func (in OrganizationInput) validate() error {
	f := map[string]string{}
	checkLen(f, "name", in.Name, 160, true)
	checkLen(f, "description", in.Description, 2000, false)
	if in.Website != "" && !validURL(in.Website) {
		f["website"] = "guide.form.url_invalid"
	}
	if in.Email != "" && !validEmail(in.Email) {
		f["email"] = "auth.email.invalid"
	}
	return invalid(f)
}

// Organizations lists the centre's organisations.
func (s *Store) Organizations(ctx context.Context, p *auth.Principal) ([]Organization, error) {
	var out []Organization
	err := s.DB.R.NewSelect().Model(&out).Where("org_id = ?", p.OrgID).Order("name").Scan(ctx)
	return out, err
}

// Organization returns one organisation of the centre.
func (s *Store) Organization(ctx context.Context, p *auth.Principal, id string) (*Organization, error) {
	if !db.ValidID(id) {
		return nil, apperr.ErrNotFound
	}
	o := new(Organization)
	err := s.DB.R.NewSelect().Model(o).Where("org_id = ? AND id = ?", p.OrgID, id).Scan(ctx)
	return o, db.Translate(err)
}

// SaveOrganization creates (id "") or updates an organisation.
func (s *Store) SaveOrganization(ctx context.Context, p *auth.Principal, id string, in OrganizationInput) (*Organization, error) {
	if err := s.can(p); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	o := &Organization{ID: db.NewID(), OrgID: p.OrgID, CreatedAt: now}
	if id != "" {
		var err error
		if o, err = s.Organization(ctx, p, id); err != nil {
			return nil, err
		}
	}
	old := *o
	o.Name, o.Description, o.Website, o.Email, o.UpdatedAt = in.Name, in.Description, in.Website, in.Email, now
	err := s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if id == "" {
			if _, err := tx.NewInsert().Model(o).Exec(ctx); err != nil {
				return err
			}
			return s.record(ctx, tx, "organization.create", "organization", o.ID, map[string]any{"name": o.Name})
		}
		if _, err := tx.NewUpdate().Model(o).WherePK().Where("org_id = ?", p.OrgID).Exec(ctx); err != nil {
			return err
		}
		if err := s.sourceChanged(ctx, tx, o.ID, "description", old.Description, o.Description); err != nil {
			return err
		}
		var ids []string
		if err := tx.NewSelect().Model((*Service)(nil)).Column("id").Where("organization_id = ?", o.ID).Scan(ctx, &ids); err != nil {
			return err
		}
		if err := s.reindex(ctx, tx, ids...); err != nil {
			return err
		}
		return s.record(ctx, tx, "organization.update", "organization", o.ID, map[string]any{"name": o.Name})
	})
	if errors.Is(err, db.ErrUnique) {
		return nil, apperr.Validation(map[string]string{"name": "guide.form.name_taken"})
	}
	return o, err
}

// ---- Locations ----

// LocationInput is the location form.
type LocationInput struct {
	OrganizationID, Name, Address, PostalCode, City, Directions string
	Arrondissement                                              int
	Latitude, Longitude                                         *float64
}

func (in LocationInput) validate() error {
	f := map[string]string{}
	checkLen(f, "name", in.Name, 160, true)
	checkLen(f, "address", in.Address, 200, false)
	checkLen(f, "city", in.City, 80, false)
	checkLen(f, "directions", in.Directions, 1000, false)
	if in.PostalCode != "" && (len(in.PostalCode) != 5 || strings.Trim(in.PostalCode, "0123456789") != "") {
		f["postal_code"] = "guide.form.postal_code_invalid"
	}
	if in.Arrondissement < 0 || in.Arrondissement > 20 {
		f["arrondissement"] = "common.form.invalid_choice"
	}
	if (in.Latitude == nil) != (in.Longitude == nil) {
		f["latitude"] = "guide.form.position_pair"
	} else if in.Latitude != nil && !(Position{*in.Latitude, *in.Longitude}).valid() {
		f["latitude"] = "guide.form.position_invalid"
	}
	return invalid(f)
}

// Locations lists the centre's locations.
func (s *Store) Locations(ctx context.Context, p *auth.Principal) ([]Location, error) {
	var out []Location
	err := s.DB.R.NewSelect().Model(&out).Where("org_id = ?", p.OrgID).Order("name").Scan(ctx)
	return out, err
}

// Location returns one location of the centre.
func (s *Store) Location(ctx context.Context, p *auth.Principal, id string) (*Location, error) {
	if !db.ValidID(id) {
		return nil, apperr.ErrNotFound
	}
	l := new(Location)
	err := s.DB.R.NewSelect().Model(l).Where("org_id = ? AND id = ?", p.OrgID, id).Scan(ctx)
	return l, db.Translate(err)
}

// SaveLocation creates (id "") or updates a location.
func (s *Store) SaveLocation(ctx context.Context, p *auth.Principal, id string, in LocationInput) (*Location, error) {
	if err := s.can(p); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	if _, err := s.Organization(ctx, p, in.OrganizationID); err != nil {
		return nil, apperr.Validation(map[string]string{"organization_id": "common.form.invalid_choice"})
	}
	now := s.Clock.Now()
	l := &Location{ID: db.NewID(), OrgID: p.OrgID, CreatedAt: now}
	if id != "" {
		var err error
		if l, err = s.Location(ctx, p, id); err != nil {
			return nil, err
		}
	}
	old := *l
	l.OrganizationID, l.Name, l.Address, l.PostalCode, l.City = in.OrganizationID, in.Name, in.Address, in.PostalCode, in.City
	l.Arrondissement, l.Latitude, l.Longitude, l.Directions, l.UpdatedAt = in.Arrondissement, in.Latitude, in.Longitude, in.Directions, now
	err := s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if id == "" {
			if _, err := tx.NewInsert().Model(l).Exec(ctx); err != nil {
				return err
			}
			return s.record(ctx, tx, "location.create", "location", l.ID, map[string]any{"name": l.Name})
		}
		if _, err := tx.NewUpdate().Model(l).WherePK().Where("org_id = ?", p.OrgID).Exec(ctx); err != nil {
			return err
		}
		if err := s.sourceChanged(ctx, tx, l.ID, "directions", old.Directions, l.Directions); err != nil {
			return err
		}
		var ids []string
		if err := tx.NewSelect().Model((*ServiceLocationRow)(nil)).Column("service_id").Where("location_id = ?", l.ID).Scan(ctx, &ids); err != nil {
			return err
		}
		if err := s.reindex(ctx, tx, ids...); err != nil {
			return err
		}
		return s.record(ctx, tx, "location.update", "location", l.ID, map[string]any{"name": l.Name})
	})
	return l, err
}

// ---- Services ----

// ServiceInput is the service form.
type ServiceInput struct {
	OrganizationID, Status, Name, Description, Eligibility, ApplicationProcess, DocumentsNote, URL, Email string

	Free, NoPapers, WelcomeMen, WelcomeWomen, WelcomeFamilies, WelcomeMinors, WalkIn, Appointment, Referral bool

	Categories, OnSite, Documents, LocationIDs []string
}

// Input returns the form values of a loaded service.
func (d *Detail) Input() ServiceInput {
	sv := d.Service
	in := ServiceInput{OrganizationID: sv.OrganizationID, Status: sv.Status, Name: sv.Name, Description: sv.Description,
		Eligibility: sv.Eligibility, ApplicationProcess: sv.ApplicationProcess, DocumentsNote: sv.DocumentsNote, URL: sv.URL,
		Email: sv.Email, Free: sv.Free, NoPapers: sv.NoPapers, WelcomeMen: sv.WelcomeMen, WelcomeWomen: sv.WelcomeWomen,
		WelcomeFamilies: sv.WelcomeFamilies, WelcomeMinors: sv.WelcomeMinors, WalkIn: sv.WalkIn, Appointment: sv.Appointment,
		Referral: sv.Referral, OnSite: d.OnSite, Documents: d.Documents}
	for _, c := range d.Categories {
		in.Categories = append(in.Categories, c.Slug)
	}
	for _, l := range d.Locations {
		in.LocationIDs = append(in.LocationIDs, l.ID)
	}
	return in
}

func (in ServiceInput) validate() error {
	f := map[string]string{}
	if in.Status != Draft && in.Status != Published {
		f["status"] = "common.form.invalid_choice"
	}
	for _, fd := range Fields {
		if fd.Owner == "service" {
			checkLen(f, fd.Name, in.text(fd.Name), fd.Max, fd.Name == "name")
		}
	}
	if in.URL != "" && !validURL(in.URL) {
		f["url"] = "guide.form.url_invalid"
	}
	if in.Email != "" && !validEmail(in.Email) {
		f["email"] = "auth.email.invalid"
	}
	for _, c := range in.Categories {
		if _, ok := CategoryBySlug(c); !ok {
			f["categories"] = "common.form.invalid_choice"
		}
	}
	if len(in.Categories) == 0 {
		f["categories"] = "guide.form.category_required"
	}
	for _, c := range in.OnSite {
		if _, ok := SpokenByCode(c); !ok {
			f["on_site"] = "common.form.invalid_choice"
		}
	}
	for _, d := range in.Documents {
		if !slices.Contains(ChecklistSlugs, d) {
			f["documents"] = "common.form.invalid_choice"
		}
	}
	return invalid(f)
}

// text returns a translatable field of the input by its column name.
func (in ServiceInput) text(field string) string {
	switch field {
	case "name":
		return in.Name
	case "description":
		return in.Description
	case "eligibility":
		return in.Eligibility
	case "application_process":
		return in.ApplicationProcess
	case "documents_note":
		return in.DocumentsNote
	}
	return ""
}

// ServiceRow is a line of the staff list.
type ServiceRow struct {
	Service
	OrganizationName string `bun:"organization_name"`
}

// ServiceFilter selects services in the staff list.
type ServiceFilter struct {
	Query  string
	Status string
	Stale  bool // not checked for RemindAfter months
}

// Services lists the centre's services.
func (s *Store) Services(ctx context.Context, p *auth.Principal, f ServiceFilter) ([]ServiceRow, error) {
	var out []ServiceRow
	q := s.DB.R.NewSelect().TableExpr("guide_services AS svc").ColumnExpr("svc.*, gorg.name AS organization_name").
		Join("JOIN guide_organizations AS gorg ON gorg.id = svc.organization_id").Where("svc.org_id = ?", p.OrgID)
	if f.Status != "" {
		q = q.Where("svc.status = ?", f.Status)
	}
	if f.Stale {
		q = q.Where("svc.checked_on <= ?", s.today().AddDate(0, -RemindAfter, 0))
	}
	for _, t := range ParseQuery(f.Query) {
		q = q.Where("svc.search_text LIKE ? ESCAPE '\\'", "%"+db.LikeEscape(t)+"%")
	}
	err := q.OrderExpr("svc.name, svc.id").Limit(1000).Scan(ctx, &out)
	return out, err
}

// StaffService loads a service of the centre for editing.
func (s *Store) StaffService(ctx context.Context, p *auth.Principal, id string) (*Detail, error) {
	return s.detail(ctx, s.DB.R, id, p.OrgID, false)
}

// SaveService creates (id "") or updates a service with its categories,
// languages spoken on site, documents and locations.
func (s *Store) SaveService(ctx context.Context, p *auth.Principal, id string, in ServiceInput) (*Service, error) {
	if err := s.can(p); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	if _, err := s.Organization(ctx, p, in.OrganizationID); err != nil {
		return nil, apperr.Validation(map[string]string{"organization_id": "common.form.invalid_choice"})
	}
	for _, lid := range in.LocationIDs {
		if l, err := s.Location(ctx, p, lid); err != nil || l.OrganizationID != in.OrganizationID {
			return nil, apperr.Validation(map[string]string{"locations": "guide.form.location_other_org"})
		}
	}
	now := s.Clock.Now()
	sv := &Service{ID: db.NewID(), OrgID: p.OrgID, CreatedAt: now, CheckedOn: s.today(), CheckedBy: p.Name, CheckerID: &p.UserID}
	var old Service
	if id != "" {
		d, err := s.StaffService(ctx, p, id)
		if err != nil {
			return nil, err
		}
		sv, old = d.Service, *d.Service
	}
	sv.OrganizationID, sv.Status, sv.Name, sv.Description = in.OrganizationID, in.Status, in.Name, in.Description
	sv.Eligibility, sv.ApplicationProcess, sv.DocumentsNote, sv.URL, sv.Email = in.Eligibility, in.ApplicationProcess, in.DocumentsNote, in.URL, in.Email
	sv.Free, sv.NoPapers, sv.WelcomeMen, sv.WelcomeWomen = in.Free, in.NoPapers, in.WelcomeMen, in.WelcomeWomen
	sv.WelcomeFamilies, sv.WelcomeMinors, sv.WalkIn, sv.Appointment, sv.Referral = in.WelcomeFamilies, in.WelcomeMinors, in.WalkIn, in.Appointment, in.Referral
	sv.UpdatedAt = now
	err := s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		action := "service.update"
		if id == "" {
			action = "service.create"
			if _, err := tx.NewInsert().Model(sv).Exec(ctx); err != nil {
				return err
			}
		} else {
			if _, err := tx.NewUpdate().Model(sv).WherePK().Where("org_id = ?", p.OrgID).Exec(ctx); err != nil {
				return err
			}
			for _, fd := range Fields {
				if fd.Owner == "service" {
					if err := s.sourceChanged(ctx, tx, sv.ID, fd.Name, old.text(fd.Name), in.text(fd.Name)); err != nil {
						return err
					}
				}
			}
		}
		if err := s.replaceLinks(ctx, tx, sv, in); err != nil {
			return err
		}
		if err := s.reindex(ctx, tx, sv.ID); err != nil {
			return err
		}
		return s.record(ctx, tx, action, "service", sv.ID, map[string]any{"name": sv.Name, "status": sv.Status,
			"categories": in.Categories, "on_site": in.OnSite, "documents": in.Documents})
	})
	return sv, err
}

// text returns a translatable field of the service by its column name.
func (sv *Service) text(field string) string {
	in := ServiceInput{Name: sv.Name, Description: sv.Description, Eligibility: sv.Eligibility,
		ApplicationProcess: sv.ApplicationProcess, DocumentsNote: sv.DocumentsNote}
	return in.text(field)
}

// replaceLinks rewrites a service's categories, on-site languages,
// documents and locations.
func (s *Store) replaceLinks(ctx context.Context, tx bun.Tx, sv *Service, in ServiceInput) error {
	for _, m := range []any{(*CategoryRow)(nil), (*DocumentRow)(nil), (*ServiceLocationRow)(nil)} {
		if _, err := tx.NewDelete().Model(m).Where("service_id = ?", sv.ID).Exec(ctx); err != nil {
			return err
		}
	}
	if _, err := tx.NewDelete().Model((*LanguageRow)(nil)).Where("service_id = ? AND phone_id IS NULL", sv.ID).Exec(ctx); err != nil {
		return err
	}
	for _, slug := range in.Categories {
		c, _ := CategoryBySlug(slug)
		if _, err := tx.NewInsert().Model(&CategoryRow{ID: db.NewID(), OrgID: sv.OrgID, ServiceID: sv.ID, TermID: c.ID}).Exec(ctx); err != nil {
			return err
		}
	}
	for i, slug := range in.Documents {
		if _, err := tx.NewInsert().Model(&DocumentRow{ID: db.NewID(), OrgID: sv.OrgID, ServiceID: sv.ID, ChecklistSlug: slug, Position: i}).Exec(ctx); err != nil {
			return err
		}
	}
	for _, code := range in.OnSite {
		if _, err := tx.NewInsert().Model(&LanguageRow{ID: db.NewID(), OrgID: sv.OrgID, ServiceID: sv.ID, Code: code}).Exec(ctx); err != nil {
			return err
		}
	}
	for _, lid := range in.LocationIDs {
		if _, err := tx.NewInsert().Model(&ServiceLocationRow{ID: db.NewID(), OrgID: sv.OrgID, ServiceID: sv.ID, LocationID: lid}).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// MarkChecked records that the information was checked today.
func (s *Store) MarkChecked(ctx context.Context, p *auth.Principal, id string) (*Service, error) {
	if err := s.can(p); err != nil {
		return nil, err
	}
	d, err := s.StaffService(ctx, p, id)
	if err != nil {
		return nil, err
	}
	sv := d.Service
	sv.CheckedOn, sv.CheckedBy, sv.CheckerID, sv.UpdatedAt = s.today(), p.Name, &p.UserID, s.Clock.Now()
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model(sv).Column("checked_on", "checked_by", "checker_id", "updated_at").WherePK().
			Where("org_id = ?", p.OrgID).Exec(ctx); err != nil {
			return err
		}
		return s.record(ctx, tx, "service.checked", "service", sv.ID, map[string]any{"checked_on": sv.CheckedOn.Format(time.DateOnly)})
	})
	return sv, err
}

// ---- Hours ----

// SlotInput is a row of the hours form.
type SlotInput struct {
	Weekday            int
	Opens, Closes      string
	ValidFrom, ValidTo *time.Time
}

// SlotInputs returns a service's rows for the hours form.
func (s *Store) SlotInputs(ctx context.Context, serviceID string) ([]SlotInput, error) {
	var rows []ScheduleRow
	err := s.DB.R.NewSelect().Model(&rows).Where("service_id = ?", serviceID).
		OrderExpr("valid_from IS NOT NULL, valid_from, weekday, opens_at").Scan(ctx)
	out := make([]SlotInput, len(rows))
	for i, r := range rows {
		out[i] = SlotInput{Weekday: r.Weekday, Opens: r.OpensAt, Closes: r.ClosesAt, ValidFrom: r.ValidFrom, ValidTo: r.ValidTo}
	}
	return out, err
}

// SaveHours replaces the weekly and seasonal slots. Errors are keyed by
// row: "slot.3".
func (s *Store) SaveHours(ctx context.Context, p *auth.Principal, id string, slots []SlotInput) error {
	if err := s.can(p); err != nil {
		return err
	}
	d, err := s.StaffService(ctx, p, id)
	if err != nil {
		return err
	}
	f := map[string]string{}
	for i, sl := range slots {
		key := "slot." + strconv.Itoa(i)
		switch {
		case sl.Weekday < 1 || sl.Weekday > 7:
			f[key] = "common.form.invalid_choice"
		case !validSpan(sl.Opens, sl.Closes):
			f[key] = "guide.form.time_invalid"
		case (sl.ValidFrom == nil) != (sl.ValidTo == nil):
			f[key] = "guide.form.season_both"
		case sl.ValidFrom != nil && sl.ValidTo.Before(*sl.ValidFrom):
			f[key] = "guide.form.dates_order"
		}
	}
	if err := invalid(f); err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*ScheduleRow)(nil)).Where("service_id = ?", id).Exec(ctx); err != nil {
			return err
		}
		for _, sl := range slots {
			r := &ScheduleRow{ID: db.NewID(), OrgID: p.OrgID, ServiceID: id, Weekday: sl.Weekday, OpensAt: sl.Opens, ClosesAt: sl.Closes,
				ValidFrom: sl.ValidFrom, ValidTo: sl.ValidTo}
			if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
				return err
			}
		}
		if err := s.touch(ctx, tx, id); err != nil {
			return err
		}
		h := Hours{}
		for _, sl := range slots {
			o, c, _ := Span(sl.Opens, sl.Closes)
			h.Slots = append(h.Slots, Slot{Weekday: sl.Weekday, Opens: o, Closes: c, ValidFrom: sl.ValidFrom, ValidTo: sl.ValidTo})
		}
		return s.record(ctx, tx, "service.hours", "service", d.Service.ID, map[string]any{"opening_hours": h.OSM()})
	})
}

func validSpan(opens, closes string) bool {
	_, _, ok := Span(opens, closes)
	return ok
}

// ExceptionInput is the form of a dated closure or special hours.
type ExceptionInput struct {
	StartsOn, EndsOn *time.Time
	Closed           bool
	Opens, Closes    string
	Reason           string
}

// AddException adds a dated exception to a service.
func (s *Store) AddException(ctx context.Context, p *auth.Principal, id string, in ExceptionInput) error {
	if err := s.can(p); err != nil {
		return err
	}
	if _, err := s.StaffService(ctx, p, id); err != nil {
		return err
	}
	f := map[string]string{}
	if in.StartsOn == nil {
		f["starts_on"] = "common.form.required"
	}
	if in.EndsOn == nil {
		f["ends_on"] = "common.form.required"
	}
	if in.StartsOn != nil && in.EndsOn != nil && in.EndsOn.Before(*in.StartsOn) {
		f["ends_on"] = "guide.form.dates_order"
	}
	if !in.Closed && !validSpan(in.Opens, in.Closes) {
		f["opens_at"] = "guide.form.time_invalid"
	}
	checkLen(f, "reason", in.Reason, 300, false)
	if err := invalid(f); err != nil {
		return err
	}
	e := &ExceptionRow{ID: db.NewID(), OrgID: p.OrgID, ServiceID: id, StartsOn: *in.StartsOn, EndsOn: *in.EndsOn, Closed: in.Closed,
		Reason: in.Reason, CreatedAt: s.Clock.Now()}
	if !in.Closed {
		e.OpensAt, e.ClosesAt = in.Opens, in.Closes
	}
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(e).Exec(ctx); err != nil {
			return err
		}
		if err := s.touch(ctx, tx, id); err != nil {
			return err
		}
		return s.record(ctx, tx, "exception.create", "service", id, map[string]any{"exception": e.ID,
			"from": e.StartsOn.Format(time.DateOnly), "to": e.EndsOn.Format(time.DateOnly), "closed": e.Closed})
	})
}

// DeleteException removes a dated exception and its translations.
func (s *Store) DeleteException(ctx context.Context, p *auth.Principal, id, excID string) error {
	return s.deleteChild(ctx, p, id, excID, (*ExceptionRow)(nil), "exception.delete")
}

// deleteChild removes a row of a service (exception or phone) with what
// hangs on it.
func (s *Store) deleteChild(ctx context.Context, p *auth.Principal, id, childID string, model any, action string) error {
	if err := s.can(p); err != nil {
		return err
	}
	if _, err := s.StaffService(ctx, p, id); err != nil {
		return err
	}
	if !db.ValidID(childID) {
		return apperr.ErrNotFound
	}
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*LanguageRow)(nil)).Where("phone_id = ? AND service_id = ?", childID, id).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*Translation)(nil)).Where("owner_id = ? AND org_id = ?", childID, p.OrgID).Exec(ctx); err != nil {
			return err
		}
		res, err := tx.NewDelete().Model(model).Where("id = ? AND service_id = ? AND org_id = ?", childID, id, p.OrgID).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.ErrNotFound
		}
		if err := s.touch(ctx, tx, id); err != nil {
			return err
		}
		return s.record(ctx, tx, action, "service", id, map[string]any{"id": childID})
	})
}

// ---- Phones ----

// PhoneInput is the phone form.
type PhoneInput struct {
	Number, Kind string
	Languages    []string
}

// NormalizePhone keeps digits and a leading +, and checks the length.
func NormalizePhone(s string) (string, bool) {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	n := b.String()
	digits := len(strings.TrimPrefix(n, "+"))
	return n, digits >= 3 && digits <= 15
}

// AddPhone adds a phone line to a service.
func (s *Store) AddPhone(ctx context.Context, p *auth.Principal, id string, in PhoneInput) error {
	if err := s.can(p); err != nil {
		return err
	}
	if _, err := s.StaffService(ctx, p, id); err != nil {
		return err
	}
	f := map[string]string{}
	num, ok := NormalizePhone(in.Number)
	if !ok {
		f["number"] = "guide.form.phone_invalid"
	}
	if !slices.Contains(PhoneKinds, in.Kind) {
		f["kind"] = "common.form.invalid_choice"
	}
	for _, c := range in.Languages {
		if _, ok := SpokenByCode(c); !ok {
			f["languages"] = "common.form.invalid_choice"
		}
	}
	if err := invalid(f); err != nil {
		return err
	}
	ph := &Phone{ID: db.NewID(), OrgID: p.OrgID, ServiceID: id, Number: num, Kind: in.Kind, CreatedAt: s.Clock.Now()}
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(ph).Exec(ctx); err != nil {
			return err
		}
		for _, c := range in.Languages {
			if _, err := tx.NewInsert().Model(&LanguageRow{ID: db.NewID(), OrgID: p.OrgID, ServiceID: id, PhoneID: &ph.ID, Code: c}).Exec(ctx); err != nil {
				return err
			}
		}
		if err := s.touch(ctx, tx, id); err != nil {
			return err
		}
		return s.record(ctx, tx, "phone.create", "service", id, map[string]any{"phone": ph.ID, "languages": in.Languages})
	})
}

// DeletePhone removes a phone line.
func (s *Store) DeletePhone(ctx context.Context, p *auth.Principal, id, phoneID string) error {
	return s.deleteChild(ctx, p, id, phoneID, (*Phone)(nil), "phone.delete")
}

// ---- Search text ----

// reindex rebuilds the search text of services from their French texts,
// their reviewed and draft translations, their organisation and locations
// (the names of categories are matched apart: categoriesNamed).
func (s *Store) reindex(ctx context.Context, tx bun.Tx, ids ...string) error {
	for _, id := range ids {
		sv := new(Service)
		if err := tx.NewSelect().Model(sv).Where("id = ?", id).Scan(ctx); err != nil {
			return err
		}
		parts := []string{sv.Name, sv.Description, sv.Eligibility, sv.ApplicationProcess, sv.DocumentsNote}
		var org Organization
		if err := tx.NewSelect().Model(&org).Where("id = ?", sv.OrganizationID).Scan(ctx); err != nil {
			return err
		}
		parts = append(parts, org.Name, org.Description)
		var locs []Location
		if err := tx.NewSelect().Model(&locs).Where("id IN (?)", tx.NewSelect().Model((*ServiceLocationRow)(nil)).Column("location_id").
			Where("service_id = ?", id)).Scan(ctx); err != nil {
			return err
		}
		owners := []string{id, org.ID}
		for _, l := range locs {
			parts = append(parts, l.Name, l.Address, l.PostalCode, l.Directions)
			owners = append(owners, l.ID)
		}
		var values []string
		if err := tx.NewSelect().Model((*Translation)(nil)).Column("value").Where("owner_id IN (?)", bun.List(owners)).Scan(ctx, &values); err != nil {
			return err
		}
		parts = append(parts, values...)
		text := " " + Normalize(strings.Join(parts, " \n ")) + " "
		if _, err := tx.NewUpdate().Model((*Service)(nil)).Set("search_text = ?", text).Where("id = ?", id).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// sourceChanged sends the translations of a field back to draft when its
// French text changed.
func (s *Store) sourceChanged(ctx context.Context, tx bun.Tx, ownerID, field, old, cur string) error {
	if old == cur {
		return nil
	}
	_, err := tx.NewUpdate().Model((*Translation)(nil)).Set("status = ?", TrDraft).Set("updated_at = ?", s.Clock.Now()).
		Where("owner_id = ? AND field = ? AND status = ?", ownerID, field, TrReviewed).Exec(ctx)
	if err != nil {
		return fmt.Errorf("translations of %s.%s back to draft: %w", ownerID, field, err)
	}
	return nil
}
