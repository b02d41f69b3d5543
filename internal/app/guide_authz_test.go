package app_test

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"parcours/internal/guide"
	"parcours/internal/platform/auth"
)

// Roles of the guide's staff routes (see auth.PermGuideEdit, PermTranslate).
var (
	guideEditors     = []auth.Role{auth.Admin, auth.SiteManager, auth.SocialWorker}
	guideTranslators = []auth.Role{auth.Admin, auth.Translator}
	guideTexts       = []auth.Role{auth.Admin, auth.SiteManager, auth.SocialWorker, auth.Translator}
)

// guideData is centre 1's guide in the authorization world: an
// organisation, a place and a published service.
type guideData struct {
	p                 *auth.Principal
	org, loc, service string
}

var guideWorlds = map[*azWorld]*guideData{}

func (z *azWorld) guide() *guideData {
	if g, ok := guideWorlds[z]; ok {
		return g
	}
	ctx := context.Background()
	admin := z.roles[auth.Admin]
	g := &guideData{p: &auth.Principal{UserID: admin.ID, OrgID: z.org1.ID, Name: admin.Name, Memberships: []auth.Membership{{Role: auth.Admin}}}}
	s := z.App.Guide
	o, err := s.SaveOrganization(ctx, g.p, "", guide.OrganizationInput{Name: "Partenaire Un"})
	if err != nil {
		z.T.Fatal(err)
	}
	l, err := s.SaveLocation(ctx, g.p, "", guide.LocationInput{OrganizationID: o.ID, Name: "Lieu Un", Arrondissement: 12})
	if err != nil {
		z.T.Fatal(err)
	}
	sv, err := s.SaveService(ctx, g.p, "", guide.ServiceInput{OrganizationID: o.ID, Status: guide.Published, Name: "Service Un",
		Description: "Un service.", Categories: []string{"food"}, LocationIDs: []string{l.ID}})
	if err != nil {
		z.T.Fatal(err)
	}
	g.org, g.loc, g.service = o.ID, l.ID, sv.ID
	guideWorlds[z] = g
	z.T.Cleanup(func() { delete(guideWorlds, z) })
	return g
}

// guideChild adds a closure or a phone line to delete, and returns its path.
func (z *azWorld) guideChild(kind string) string {
	g, ctx := z.guide(), context.Background()
	base := "/fr/admin/guide/services/" + g.service
	switch kind {
	case "exception":
		day := time.Date(2027, 1, 1+z.next(), 0, 0, 0, 0, time.UTC)
		if err := z.App.Guide.AddException(ctx, g.p, g.service, guide.ExceptionInput{StartsOn: &day, EndsOn: &day, Closed: true}); err != nil {
			z.T.Fatal(err)
		}
		d, _ := z.App.Guide.StaffService(ctx, g.p, g.service)
		return base + "/exceptions/" + d.Hours.Exceptions[len(d.Hours.Exceptions)-1].ID + "/delete"
	default:
		if err := z.App.Guide.AddPhone(ctx, g.p, g.service, guide.PhoneInput{Number: fmt.Sprintf("01020304%02d", z.next()%100), Kind: "voice"}); err != nil {
			z.T.Fatal(err)
		}
		d, _ := z.App.Guide.StaffService(ctx, g.p, g.service)
		return base + "/phones/" + d.Phones[len(d.Phones)-1].ID + "/delete"
	}
}

func guideRows() []azRow {
	svc := func(z *azWorld) string { return "/fr/admin/guide/services/" + z.guide().service }
	sub := func(suffix string) func(*azWorld) string {
		return func(z *azWorld) string { return svc(z) + suffix }
	}
	locOf := func(f func(*azWorld) string) func(*azWorld, string) string {
		return func(z *azWorld, _ string) string { return f(z) }
	}
	serviceForm := func(z *azWorld) url.Values {
		return url.Values{"organization_id": {z.guide().org}, "status": {"published"}, "name": {fmt.Sprintf("Service %d", z.next())},
			"categories": {"food"}, "locations": {z.guide().loc}}
	}
	orgPath := func(z *azWorld) string { return "/fr/admin/guide/organizations/" + z.guide().org }
	locPath := func(z *azWorld) string { return "/fr/admin/guide/locations/" + z.guide().loc }
	return append([]azRow{
		// Public guide (the home page row is above).
		{pattern: "GET /guide/search", path: fixed("/fr/guide/search?cat=food&open=1"), want: 200},
		{pattern: "GET /guide/services/{id}", path: func(z *azWorld) string { return "/fr/guide/services/" + z.guide().service }, want: 200},
		// Editing.
		{pattern: "GET /admin/guide", staff: guideEditors, path: fixed("/fr/admin/guide"), want: 200},
		{pattern: "GET /admin/guide/services/new", staff: guideEditors, path: fixed("/fr/admin/guide/services/new"), want: 200},
		{pattern: "POST /admin/guide/services", staff: guideEditors, path: fixed("/fr/admin/guide/services"), form: serviceForm,
			want: 303, loc: at("/fr/admin/guide/services/")},
		{pattern: "GET /admin/guide/services/{id}", staff: guideEditors, path: svc, want: 200},
		{pattern: "POST /admin/guide/services/{id}", staff: guideEditors, path: svc, form: serviceForm, want: 303, loc: self},
		{pattern: "POST /admin/guide/services/{id}/checked", staff: guideEditors, path: sub("/checked"), want: 303, loc: locOf(svc)},
		{pattern: "GET /admin/guide/services/{id}/hours", staff: guideEditors, path: sub("/hours"), want: 200},
		{pattern: "POST /admin/guide/services/{id}/hours", staff: guideEditors, path: sub("/hours"), want: 303, loc: self,
			form: func(*azWorld) url.Values {
				return url.Values{"weekday": {"1"}, "opens": {"09:00"}, "closes": {"12:00"}, "from": {""}, "to": {""}}
			}},
		{pattern: "POST /admin/guide/services/{id}/exceptions", staff: guideEditors, path: sub("/exceptions"), want: 303, loc: locOf(sub("/hours")),
			form: func(*azWorld) url.Values {
				return url.Values{"starts_on": {"2027-02-01"}, "ends_on": {"2027-02-02"}, "closed": {"1"}, "reason": {"Travaux"}}
			}},
		{pattern: "POST /admin/guide/services/{id}/exceptions/{eid}/delete", staff: guideEditors,
			path: func(z *azWorld) string { return z.guideChild("exception") }, want: 303, loc: locOf(sub("/hours"))},
		{pattern: "POST /admin/guide/services/{id}/phones", staff: guideEditors, path: sub("/phones"), want: 303, loc: locOf(svc),
			form: func(*azWorld) url.Values { return url.Values{"phone_number": {"0102030405"}, "phone_kind": {"voice"}} }},
		{pattern: "POST /admin/guide/services/{id}/phones/{pid}/delete", staff: guideEditors,
			path: func(z *azWorld) string { return z.guideChild("phone") }, want: 303, loc: locOf(svc)},
		{pattern: "GET /admin/guide/organizations", staff: guideEditors, path: fixed("/fr/admin/guide/organizations"), want: 200},
		{pattern: "GET /admin/guide/organizations/new", staff: guideEditors, path: fixed("/fr/admin/guide/organizations/new"), want: 200},
		{pattern: "POST /admin/guide/organizations", staff: guideEditors, path: fixed("/fr/admin/guide/organizations"), want: 303,
			loc:  at("/fr/admin/guide/organizations"),
			form: func(z *azWorld) url.Values { return url.Values{"name": {fmt.Sprintf("Partenaire %d", z.next())}} }},
		{pattern: "GET /admin/guide/organizations/{id}", staff: guideEditors, path: orgPath, want: 200},
		{pattern: "POST /admin/guide/organizations/{id}", staff: guideEditors, path: orgPath, want: 303, loc: at("/fr/admin/guide/organizations"),
			form: func(*azWorld) url.Values {
				return url.Values{"name": {"Partenaire Un"}, "description": {"Mis à jour."}}
			}},
		{pattern: "GET /admin/guide/locations", staff: guideEditors, path: fixed("/fr/admin/guide/locations"), want: 200},
		{pattern: "GET /admin/guide/locations/new", staff: guideEditors, path: fixed("/fr/admin/guide/locations/new"), want: 200},
		{pattern: "POST /admin/guide/locations", staff: guideEditors, path: fixed("/fr/admin/guide/locations"), want: 303, loc: at("/fr/admin/guide/locations"),
			form: func(z *azWorld) url.Values {
				return url.Values{"organization_id": {z.guide().org}, "name": {fmt.Sprintf("Lieu %d", z.next())}, "arrondissement": {"3"}}
			}},
		{pattern: "GET /admin/guide/locations/{id}", staff: guideEditors, path: locPath, want: 200},
		{pattern: "POST /admin/guide/locations/{id}", staff: guideEditors, path: locPath, want: 303, loc: at("/fr/admin/guide/locations"),
			form: func(z *azWorld) url.Values {
				return url.Values{"organization_id": {z.guide().org}, "name": {"Lieu Un"}, "arrondissement": {"12"}}
			}},
		// Translations.
		{pattern: "GET /admin/guide/translations", staff: guideTranslators, path: fixed("/fr/admin/guide/translations?lang=ti"), want: 200},
		{pattern: "GET /admin/guide/services/{id}/translations/{lang}", staff: guideTexts, path: sub("/translations/ar"), want: 200},
		{pattern: "POST /admin/guide/services/{id}/translations/{lang}", staff: guideTexts, path: sub("/translations/ar"), want: 303, loc: self,
			form: func(z *azWorld) url.Values {
				return url.Values{"tr." + z.guide().service + ".name": {fmt.Sprintf("خدمة %d", z.next())}}
			}},
	}, exchangeRows()...)
}
