package exchange

import (
	"strings"
	"time"

	"parcours/internal/guide"
	"parcours/internal/platform/i18n"
)

// builder turns loaded rows into HSDS objects for one response language.
type builder struct {
	*bundle
	lang    string
	l       *i18n.L
	today   time.Time
	baseURL string
}

// orgBasic is an organisation's one-to-one fields.
func (bd *builder) orgBasic(o *guide.Organization) *hsdsOrganization {
	return &hsdsOrganization{ID: o.ID, Name: o.Name, Description: bd.text(bd.lang, o.ID, "description", o.Description),
		Email: o.Email, Website: o.Website}
}

// serviceBasic is a service's one-to-one fields and its organisation, as
// the lists give them (schema compiled/service_list.json).
func (bd *builder) serviceBasic(sv *guide.Service) *hsdsService {
	tr := func(field, french string) string { return bd.text(bd.lang, sv.ID, field, french) }
	out := &hsdsService{ID: sv.ID, OrganizationID: sv.OrganizationID, Name: tr("name", sv.Name),
		Description: tr("description", sv.Description), URL: sv.URL, Email: sv.Email, Status: "active",
		ApplicationProcess: tr("application_process", sv.ApplicationProcess), EligibilityDescription: tr("eligibility", sv.Eligibility),
		AssuredDate: sv.CheckedOn.Format(time.DateOnly), LastModified: bd.modified(sv).UTC().Format("2006-01-02T15:04:05.000Z"),
		Demo: bd.demo[sv.OrgID], Stale: sv.Stale(bd.today)}
	if out.Name != sv.Name {
		out.AlternateName = sv.Name
	}
	if sv.Free {
		out.FeesDescription = bd.l.T("guide.filter.free")
	}
	if o, ok := bd.orgs[sv.OrganizationID]; ok {
		out.Organization = bd.orgBasic(o)
	}
	if day := bd.hoursOf(sv.ID).On(bd.today); day.Exception != nil && day.Exception.Closed {
		out.Status = "temporarily closed"
		out.Alert = bd.text(bd.lang, day.Exception.ID, "reason", day.Exception.Reason)
		if out.Alert == "" {
			out.Alert = bd.l.T("exchange.hsds.closed_until", "Date", day.Exception.EndsOn.Format(time.DateOnly))
		}
	}
	return out
}

// serviceFull is a fully nested service (schema service.json).
func (bd *builder) serviceFull(sv *guide.Service) *hsdsService {
	out := bd.serviceBasic(sv)
	out.Translations = bd.translations("service", sv.ID, func(f string) string { return serviceText(sv, f) })
	if out.Organization != nil {
		o := bd.orgs[sv.OrganizationID]
		out.Organization.Translations = bd.translations("organization", o.ID, func(string) string { return o.Description })
	}
	for _, r := range bd.sals[sv.ID] {
		if l, ok := bd.locs[r.LocationID]; ok {
			loc := bd.location(l, true)
			out.ServiceAtLocations = append(out.ServiceAtLocations, hsdsSAL{ID: r.ID, ServiceID: sv.ID, LocationID: l.ID, Location: &loc})
		}
	}
	for _, p := range bd.phones[sv.ID] {
		ph := hsdsPhone{ID: p.ID, ServiceID: sv.ID, Number: p.Number, Type: p.Kind}
		for _, lr := range bd.langs[sv.ID] {
			if lr.PhoneID != nil && *lr.PhoneID == p.ID {
				ph.Languages = append(ph.Languages, bd.language(lr))
			}
		}
		out.Phones = append(out.Phones, ph)
	}
	for _, lr := range bd.langs[sv.ID] {
		if lr.PhoneID == nil {
			out.Languages = append(out.Languages, bd.language(lr))
		}
	}
	out.Schedules = bd.schedules(sv.ID)
	if sv.Free {
		out.CostOptions = []hsdsCost{{ID: derivedID(sv.ID, "free"), ServiceID: sv.ID, Option: bd.l.T("guide.filter.free"), Currency: "EUR"}}
	}
	for _, d := range bd.docs[sv.ID] {
		out.RequiredDocuments = append(out.RequiredDocuments, hsdsDocument{ID: d.ID, ServiceID: sv.ID,
			Document: checklistTitle(d.ChecklistSlug, bd.lang),
			URI:      strings.TrimRight(bd.baseURL, "/") + "/" + bd.lang + "/guide/checklists/" + d.ChecklistSlug})
	}
	if sv.DocumentsNote != "" {
		out.RequiredDocuments = append(out.RequiredDocuments, hsdsDocument{ID: derivedID(sv.ID, "documents_note"), ServiceID: sv.ID,
			Document: bd.text(bd.lang, sv.ID, "documents_note", sv.DocumentsNote)})
	}
	for _, c := range bd.cats[sv.ID] {
		if tx, t, ok := termByID(c.TermID); ok {
			out.Attributes = append(out.Attributes, bd.attribute(c.ID, sv.ID, tx, t))
		}
	}
	for _, t := range flagsOf(sv) {
		tx, _, _ := termByID(t.ID)
		out.Attributes = append(out.Attributes, bd.attribute(derivedID(sv.ID, t.ID), sv.ID, tx, t))
	}
	return out
}

// serviceText is a service's French text by field name.
func serviceText(sv *guide.Service, field string) string {
	switch field {
	case "name":
		return sv.Name
	case "description":
		return sv.Description
	case "eligibility":
		return sv.Eligibility
	case "application_process":
		return sv.ApplicationProcess
	case "documents_note":
		return sv.DocumentsNote
	}
	return ""
}

func (bd *builder) language(lr guide.LanguageRow) hsdsLanguage {
	out := hsdsLanguage{ID: lr.ID, Code: lr.Code}
	if lr.PhoneID != nil {
		out.PhoneID = *lr.PhoneID
	} else {
		out.ServiceID = lr.ServiceID
	}
	if sp, ok := guide.SpokenByCode(lr.Code); ok {
		out.Name = sp.Name
	}
	return out
}

// location is a place (schema location.json); full adds its translations.
func (bd *builder) location(l *guide.Location, full bool) hsdsLocation {
	out := hsdsLocation{ID: l.ID, LocationType: "physical", OrganizationID: l.OrganizationID, Name: l.Name,
		Transportation: bd.text(bd.lang, l.ID, "directions", l.Directions), Latitude: l.Latitude, Longitude: l.Longitude,
		Arrondissement: l.Arrondissement}
	// HSDS requires a street, a city and a postal code for an address.
	if l.Address != "" && l.City != "" && l.PostalCode != "" {
		out.Addresses = []hsdsAddress{{ID: derivedID(l.ID, "address"), LocationID: l.ID, Address1: l.Address, City: l.City,
			StateProvince: "Île-de-France", PostalCode: l.PostalCode, Country: "FR", AddressType: "physical"}}
	}
	if full {
		out.Translations = bd.translations("location", l.ID, func(string) string { return l.Directions })
	}
	return out
}

var hsdsDays = []string{"", "MO", "TU", "WE", "TH", "FR", "SA", "SU"}

// schedules are the weekly slots (seasonal ones with their dates), then
// the dated exceptions: special hours, or closures (profile: closed).
func (bd *builder) schedules(id string) []hsdsSchedule {
	var out []hsdsSchedule
	for _, r := range bd.scheds[id] {
		o, c, ok := guide.Span(r.OpensAt, r.ClosesAt)
		if !ok {
			continue
		}
		s := hsdsSchedule{ID: r.ID, ServiceID: id, Freq: "WEEKLY", Byday: hsdsDays[r.Weekday], OpensAt: guide.Clock(o), ClosesAt: guide.Clock(c)}
		if r.ValidFrom != nil && r.ValidTo != nil {
			s.ValidFrom, s.ValidTo = r.ValidFrom.Format(time.DateOnly), r.ValidTo.Format(time.DateOnly)
		}
		out = append(out, s)
	}
	for _, e := range bd.excs[id] {
		s := hsdsSchedule{ID: e.ID, ServiceID: id, ValidFrom: e.StartsOn.Format(time.DateOnly), ValidTo: e.EndsOn.Format(time.DateOnly),
			Description: bd.text(bd.lang, e.ID, "reason", e.Reason), Closed: e.Closed,
			Translations: bd.translations("exception", e.ID, func(string) string { return e.Reason })}
		if !e.Closed {
			o, c, ok := guide.Span(e.OpensAt, e.ClosesAt)
			if !ok {
				continue
			}
			s.OpensAt, s.ClosesAt = guide.Clock(o), guide.Clock(c)
		}
		out = append(out, s)
	}
	return out
}

// taxonomy is a taxonomy's HSDS object.
func (bd *builder) taxonomy(tx *Taxonomy) *hsdsTaxonomy {
	return &hsdsTaxonomy{ID: tx.ID, Name: tx.Name, Description: bd.l.T(tx.Label), Version: "1"}
}

// term is a term's HSDS object.
func (bd *builder) term(tx *Taxonomy, t Term) *hsdsTerm {
	name := bd.l.T(t.Label)
	return &hsdsTerm{ID: t.ID, Code: t.Code, Name: name, Description: name, Taxonomy: tx.Name, TaxonomyID: tx.ID,
		TaxonomyDetail: bd.taxonomy(tx), Language: bd.l.Tag}
}

func (bd *builder) attribute(id, serviceID string, tx *Taxonomy, t Term) hsdsAttribute {
	return hsdsAttribute{ID: id, LinkID: serviceID, LinkType: "service", LinkEntity: "service", TaxonomyTermID: t.ID,
		TaxonomyTerm: bd.term(tx, t), Value: t.Code}
}
