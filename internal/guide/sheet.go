package guide

import (
	"context"
	"strings"

	"parcours/internal/guide/glossary"
	"parcours/internal/platform/i18n"
)

// The glossary package prints a service's A4 sheet and shows services on
// the waiting-room screen; it reads them through glossary.ServiceSource,
// which HTTP implements here (the app wires it).

var _ glossary.ServiceLister = (*HTTP)(nil)

func gt(t Text) glossary.Text { return glossary.Text{S: t.Value, Lang: t.Lang} }

// ServiceSheet returns a published service as the printed sheet shows it,
// in lang (texts after the fallback chain, each with its language).
func (h *HTTP) ServiceSheet(ctx context.Context, id, lang string) (*glossary.ServiceSheet, error) {
	d, err := h.S.PublicService(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, ok := i18n.Lookup(lang); !ok {
		lang = i18n.Source
	}
	tx, err := loadTexts(ctx, h.S.DB.R, lang, d.ownerIDs())
	if err != nil {
		return nil, err
	}
	l := h.K.Catalog.Localizer(lang)
	sv := d.Service
	label := func(id string) glossary.Text { return glossary.Text{S: l.T(id), Lang: l.Tag} }
	sh := &glossary.ServiceSheet{ID: sv.ID, Name: gt(tx.get(sv.ID, "name", sv.Name)), Organisation: glossary.Text{S: d.Organization.Name, Lang: i18n.Source},
		Description: gt(tx.get(sv.ID, "description", sv.Description)), Email: sv.Email, Website: sv.URL, CheckedOn: sv.CheckedOn,
		Checklists: d.Documents, Languages: d.OnSite}
	for i, c := range d.Categories {
		if i == 0 {
			sh.Pictogram = "cat-" + c.Slug + ".svg"
		}
		sh.Categories = append(sh.Categories, label("guide.cat."+c.Slug))
	}
	sh.ForWhom = gt(tx.get(sv.ID, "eligibility", sv.Eligibility))
	if sh.ForWhom.S == "" {
		sh.ForWhom = joinLabels(l, map[string]bool{"guide.who.men": sv.WelcomeMen, "guide.who.women": sv.WelcomeWomen,
			"guide.who.families": sv.WelcomeFamilies, "guide.who.minors": sv.WelcomeMinors, "guide.tag.nopapers": sv.NoPapers})
	}
	sh.Access = gt(tx.get(sv.ID, "application_process", sv.ApplicationProcess))
	if sh.Access.S == "" {
		sh.Access = joinLabels(l, map[string]bool{"guide.access.walk_in": sv.WalkIn, "guide.access.appointment": sv.Appointment,
			"guide.access.referral": sv.Referral, "guide.tag.free": sv.Free})
	}
	if len(d.Locations) > 0 {
		loc := d.Locations[0]
		parts := []string{loc.Name}
		if loc.Address != "" {
			parts = append(parts, loc.Address)
		}
		parts = append(parts, strings.TrimSpace(loc.PostalCode+" "+loc.City))
		sh.Address = strings.Join(parts, ", ")
		sh.Directions = gt(tx.get(loc.ID, "directions", loc.Directions))
	}
	for _, p := range d.Phones {
		sh.Phones = append(sh.Phones, p.Display())
		for _, c := range p.Languages {
			if !contains(sh.Languages, c) {
				sh.Languages = append(sh.Languages, c)
			}
		}
	}
	if d.Demo {
		sh.Demo = glossary.Text{S: l.T("guide.demo.title") + " " + l.T("guide.demo.text"), Lang: l.Tag}
	}
	today := h.S.today()
	for i, day := range d.Hours.Week(today) {
		name := l.T("guide.day." + string(rune('0'+day.Weekday())))
		if i == 0 {
			name = l.T("guide.today")
		}
		hours := day.Hours()
		if day.Closed() {
			hours = l.T("guide.hours.closed")
		}
		sh.Hours = append(sh.Hours, glossary.Text{S: name + " " + l.Date(day.Date) + " : " + hours, Lang: l.Tag})
	}
	for _, e := range d.Hours.Upcoming(today) {
		line := l.T("guide.exc.special", "From", l.Date(e.StartsOn), "To", l.Date(e.EndsOn), "Hours", e.Range())
		if e.Closed {
			line = l.T("guide.exc.closed", "From", l.Date(e.StartsOn), "To", l.Date(e.EndsOn))
		}
		if e.Reason != "" {
			line += " " + tx.get(e.ID, "reason", e.Reason).Value
		}
		sh.Closures = append(sh.Closures, glossary.Text{S: line, Lang: l.Tag})
	}
	if sv.DocumentsNote != "" {
		sh.Documents = append(sh.Documents, gt(tx.get(sv.ID, "documents_note", sv.DocumentsNote)))
	}
	return sh, nil
}

// joinLabels lists the labels whose flag is set, in the page language.
func joinLabels(l *i18n.L, flags map[string]bool) glossary.Text {
	var parts []string
	for _, id := range []string{"guide.who.men", "guide.who.women", "guide.who.families", "guide.who.minors", "guide.tag.nopapers",
		"guide.access.walk_in", "guide.access.appointment", "guide.access.referral", "guide.tag.free"} {
		if flags[id] {
			parts = append(parts, l.T(id))
		}
	}
	return glossary.Text{S: strings.Join(parts, " · "), Lang: l.Tag}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ScreenServices lists up to limit services open now, for the waiting-room
// screen.
func (h *HTTP) ScreenServices(ctx context.Context, lang string, limit int) ([]glossary.ServiceSheet, error) {
	res, err := h.S.Search(ctx, Search{OpenNow: true, Page: 1})
	if err != nil {
		return nil, err
	}
	var out []glossary.ServiceSheet
	for _, hit := range res.Hits {
		if len(out) == limit {
			break
		}
		sh, err := h.ServiceSheet(ctx, hit.Service.ID, lang)
		if err != nil {
			return nil, err
		}
		out = append(out, *sh)
	}
	return out, nil
}
