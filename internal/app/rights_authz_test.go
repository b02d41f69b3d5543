package app_test

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"parcours/internal/platform/auth"
	"parcours/internal/rights"
)

// Role sets and request bodies of the rights module's rows in azRows.
var (
	rightsReaders = []auth.Role{auth.Admin, auth.SiteManager, auth.SocialWorker, auth.ReceptionAgent, auth.LegalSpecialist}
	sheetEditors  = []auth.Role{auth.Admin, auth.LegalSpecialist}
)

func rightsSimForm(*azWorld) url.Values {
	return url.Values{"status": {"refugee"}, "at": {"2026-11-25"}, "arrived_on": {"2026-01-10"}}
}

func rightsTriageForm(*azWorld) url.Values {
	return url.Values{"oqtf": {"yes"}, "oqtf_notified_on": {"2026-11-20"}}
}

// rightsSheetEdit is a valid new version of centre 1's Dublin sheet, made
// from its current version (each allowed role saves one more).
func rightsSheetEdit(z *azWorld) url.Values {
	p := &auth.Principal{OrgID: z.org1.ID, Memberships: []auth.Membership{{Role: auth.Admin}}}
	sh, vs, err := z.App.Rights.Sheet(context.Background(), p, "dublin")
	if err != nil {
		z.T.Fatal(err)
	}
	doc, err := vs[0].Parse()
	if err != nil {
		z.T.Fatal(err)
	}
	f := url.Values{"base": {fmt.Sprint(sh.Version)}, "title": {doc.Title}, "applies_from": {z.Clock.Now().Format(time.DateOnly)},
		"changes": {"Précision."}}
	for i, s := range doc.Sections {
		f.Set(rights.SectionField(i), s.Body)
	}
	f.Set(rights.SectionField(0), doc.Sections[0].Body+fmt.Sprintf("\n\nPrécision %d.", z.next()))
	return f
}
