package domicile_test

import (
	"testing"

	"parcours/internal/domicile"
	"parcours/internal/platform/db"
	"parcours/internal/platform/i18n"
)

// Every value of every vocabulary is shown through a message built at run
// time ("domicile.<list>.<value>"), which the catalog tests cannot see in
// the templates: each one exists in every language.
func TestVocabulariesAreTranslated(t *testing.T) {
	c := newFx(t, db.SQLite).App.Catalog
	lists := map[string][]string{
		"civility": domicile.Civilities, "link": domicile.Links, "household": domicile.Households,
		"residence": domicile.Residences, "cause": domicile.Causes, "reason": domicile.Reasons, "work": domicile.Works,
		"dependant_link": domicile.DependantLinks, "refusal_reason": domicile.RefusalReasons, "referral": domicile.Referrals,
		"end_reason": domicile.EndReasons, "excuse": domicile.Excuses, "contact_kind": domicile.ContactKinds,
		"mail_kind": domicile.MailKinds, "mail_status": domicile.MailStatuses,
		"status": {domicile.StatusInstruction, domicile.StatusAwaiting, domicile.StatusValid, domicile.StatusRefused, domicile.StatusEnded},
	}
	for _, lang := range i18n.Languages {
		for list, values := range lists {
			for _, v := range values {
				if _, ok := c.Own(lang.Tag, "domicile."+list+"."+v); !ok {
					t.Errorf("%s: no message domicile.%s.%s", lang.Tag, list, v)
				}
			}
		}
	}
}
