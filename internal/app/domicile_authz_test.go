package app_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"parcours/internal/domicile"
	"parcours/internal/people"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
)

// Roles of the domiciliation routes (auth.PermDomicileMail, Instruct,
// Decide, Manage; DomiFa's matrix).
var (
	domMail     = []auth.Role{auth.Admin, auth.SiteManager, auth.SocialWorker, auth.ReceptionAgent}
	domInstruct = []auth.Role{auth.Admin, auth.SiteManager, auth.SocialWorker}
	domDecide   = []auth.Role{auth.Admin, auth.SiteManager}
	domManage   = []auth.Role{auth.Admin, auth.SiteManager}
	domCentre   = []auth.Role{auth.Admin}
)

// domData is centre 1's domiciliation in the authorization world: one file
// of site A in force (with its number), one request under review, and an
// uploaded import; rows that change a file get a fresh one.
type domData struct {
	ctx     context.Context
	admin   *auth.Principal
	valid   *domicile.File
	open    *domicile.File
	import_ string
}

var domWorlds = map[*azWorld]*domData{}

func (z *azWorld) dom() *domData {
	if d, ok := domWorlds[z]; ok {
		return d
	}
	a := z.roles[auth.Admin]
	d := &domData{admin: &auth.Principal{UserID: a.ID, OrgID: z.org1.ID, Email: a.Email, Memberships: []auth.Membership{{Role: auth.Admin}}}}
	d.ctx = audit.WithActor(context.Background(), audit.Actor{UserID: a.ID, OrgID: z.org1.ID, Label: a.Email})
	domWorlds[z] = d
	z.T.Cleanup(func() { delete(domWorlds, z) })
	d.valid = z.domFile(domicile.StatusValid)
	d.open = z.domFile(domicile.StatusInstruction)
	pv, err := z.App.Domicile.UploadImport(d.ctx, d.admin, z.siteA.ID, "import.csv", []byte("nom;prenom\nImport;Un\n"))
	if err != nil {
		z.T.Fatal(err)
	}
	d.import_ = pv.Import.ID
	return d
}

// domFile opens a file of site A for a new person and takes it to status
// (instruction or valid), with a pending letter when valid.
func (z *azWorld) domFile(status string) *domicile.File {
	d := z.dom()
	must := func(err error) {
		if err != nil {
			z.T.Fatal(err)
		}
	}
	s := z.App.Domicile
	given, family := domNames(z)
	per, _, err := z.App.People.Create(d.ctx, d.admin, people.Input{SiteID: z.siteA.ID, GivenLatin: given, FamilyLatin: family,
		HouseholdSize: 1}, people.CreateOptions{NotADuplicate: true})
	must(err)
	f, err := s.CreateRequest(d.ctx, d.admin, domicile.RequestInput{PersonID: per.ID, SiteID: z.siteA.ID})
	must(err)
	if status == domicile.StatusValid {
		must(s.SaveInterview(d.ctx, d.admin, f.ID, domicile.Interview{}))
		_, err = s.Decide(d.ctx, d.admin, f.ID, domicile.DecisionInput{To: domicile.StatusValid})
		must(err)
		_, _, err = s.Intake(d.ctx, d.admin, domicile.IntakeInput{FileID: f.ID, Kind: "letter"})
		must(err)
	}
	return f
}

// domNames gives names no other person of the world has (the duplicate
// check compares names in any spelling, digits aside).
func domNames(z *azWorld) (given, family string) {
	words := []string{"Alba", "Bruno", "Carla", "Dario", "Elsa", "Fabio", "Gina", "Hugo", "Ines", "Joel", "Karl", "Lena", "Milo",
		"Nora", "Otto", "Pia", "Rita", "Sven", "Tara", "Ugo", "Vera", "Walt", "Xena", "Yves", "Zoe"}
	n := z.next()
	return words[n%len(words)] + words[(n/len(words))%len(words)], words[(n/7)%len(words)] + "mann" + words[n%len(words)]
}

func domicileRows() []azRow {
	valid := func(z *azWorld) string { return "/fr/domiciliation/files/" + z.dom().valid.ID }
	open := func(z *azWorld) string { return "/fr/domiciliation/files/" + z.dom().open.ID }
	freshValid := func(suffix string) func(*azWorld) string {
		return func(z *azWorld) string {
			return "/fr/domiciliation/files/" + z.domFile(domicile.StatusValid).ID + suffix
		}
	}
	freshOpen := func(suffix string) func(*azWorld) string {
		return func(z *azWorld) string {
			return "/fr/domiciliation/files/" + z.domFile(domicile.StatusInstruction).ID + suffix
		}
	}
	sub := func(base func(*azWorld) string, suffix string) func(*azWorld) string {
		return func(z *azWorld) string { return base(z) + suffix }
	}
	vals := func(kv ...string) func(*azWorld) url.Values {
		return func(*azWorld) url.Values {
			v := url.Values{}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Add(kv[i], kv[i+1])
			}
			return v
		}
	}
	// fileOf is the file page of a file action's path.
	fileOf := func(_ *azWorld, path string) string { return path[:len("/fr/domiciliation/files/")+36] }
	return []azRow{
		{pattern: "GET /domiciliation", staff: domMail, path: fixed("/fr/domiciliation"), want: 200},
		{pattern: "GET /domiciliation/counters", staff: domMail, path: fixed("/fr/domiciliation/counters"), want: 200},
		{pattern: "GET /domiciliation/search", staff: domMail, path: fixed("/fr/domiciliation/search?q=Test"), want: 200},
		{pattern: "GET /domiciliation/mail", staff: domMail, path: fixed("/fr/domiciliation/mail?q=1"), want: 200},
		{pattern: "POST /domiciliation/mail", staff: domMail, path: fixed("/fr/domiciliation/mail"), want: 303, loc: at("/fr/domiciliation/mail"),
			form: func(z *azWorld) url.Values {
				return url.Values{"file": {z.dom().valid.ID}, "kind": {"letter"}, "quantity": {"1"}}
			}},
		{pattern: "GET /domiciliation/mail/batch", staff: domMail, path: fixed("/fr/domiciliation/mail/batch"), want: 200},
		{pattern: "POST /domiciliation/mail/batch", staff: domMail, path: fixed("/fr/domiciliation/mail/batch"), want: 303,
			loc: at("/fr/domiciliation/mail/batch"), form: func(z *azWorld) url.Values {
				return url.Values{"site": {z.siteA.ID}, "lines": {strconv.Itoa(z.dom().valid.Number) + " c"}}
			}},
		{pattern: "GET /domiciliation/new", staff: domInstruct, path: fixed("/fr/domiciliation/new?q=Test"), want: 200},
		{pattern: "POST /domiciliation", staff: domInstruct, path: fixed("/fr/domiciliation"), want: 303, loc: at("/fr/domiciliation/files/"),
			form: func(z *azWorld) url.Values {
				given, family := domNames(z)
				return url.Values{"site": {z.siteA.ID}, "family_latin": {family}, "given_latin": {given}, "msg_lang": {"fr"}}
			}},
		{pattern: "GET /domiciliation/files/{id}", staff: domMail, path: valid, want: 200},
		{pattern: "POST /domiciliation/files/{id}/identity", staff: domInstruct, path: sub(open, "/identity"), want: 303, loc: fileOf,
			form: vals("civility", "mme", "birth_place", "Dakar")},
		{pattern: "GET /domiciliation/files/{id}/interview", staff: domInstruct, path: sub(open, "/interview"), want: 200},
		{pattern: "POST /domiciliation/files/{id}/interview", staff: domInstruct, path: sub(open, "/interview"), want: 303, loc: fileOf,
			form: vals("link", "residential", "cause", "eviction")},
		{pattern: "POST /domiciliation/files/{id}/receipt", staff: domInstruct, path: freshOpen("/receipt"), want: 303, loc: fileOf},
		{pattern: "GET /domiciliation/files/{id}/decision", staff: domInstruct, path: sub(open, "/decision?to=awaiting"), want: 200},
		{pattern: "POST /domiciliation/files/{id}/decision", staff: domInstruct, path: freshOpen("/decision"), want: 303, loc: fileOf,
			form: vals("to", "awaiting")},
		{pattern: "POST /domiciliation/files/{id}/undo", staff: domDecide, path: freshValid("/undo"), want: 303, loc: fileOf,
			form: vals("undo_reason", "Erreur de saisie")},
		{pattern: "POST /domiciliation/files/{id}/renew", staff: domInstruct, path: freshValid("/renew"), want: 303, loc: fileOf},
		{pattern: "GET /domiciliation/files/{id}/cerfa/{kind}", staff: domMail, path: sub(valid, "/cerfa/attestation"), want: 200},
		{pattern: "GET /domiciliation/files/{id}/letters/{kind}", staff: domInstruct, path: sub(valid, "/letters/renewal"), want: 200},
		{pattern: "GET /domiciliation/files/{id}/card", staff: domMail, path: sub(valid, "/card"), want: 200},
		{pattern: "POST /domiciliation/files/{id}/contacts", staff: domMail, path: sub(valid, "/contacts"), want: 303, loc: fileOf,
			form: vals("kind", "visit")},
		{pattern: "POST /domiciliation/files/{id}/excuse", staff: domInstruct, path: sub(valid, "/excuse"), want: 303, loc: fileOf,
			form: vals("excuse", "health")},
		{pattern: "POST /domiciliation/files/{id}/mail/out", staff: domMail, path: freshValid("/mail/out"), want: 303, loc: fileOf,
			form: vals("to", "handed")},
		{pattern: "POST /domiciliation/files/{id}/proxies", staff: domMail, path: freshValid("/proxies"), want: 303, loc: fileOf,
			form: vals("proxy_family", "Mandataire")},
		{pattern: "POST /domiciliation/files/{id}/proxies/{pid}/end", staff: domMail, want: 303, loc: fileOf,
			path: func(z *azWorld) string {
				f := z.domFile(domicile.StatusValid)
				px, err := z.App.Domicile.AddProxy(z.dom().ctx, z.dom().admin, f.ID, domicile.ProxyInput{Family: "Mandataire"})
				if err != nil {
					z.T.Fatal(err)
				}
				return "/fr/domiciliation/files/" + f.ID + "/proxies/" + px.ID + "/end"
			}},
		{pattern: "POST /domiciliation/files/{id}/forward", staff: domMail, path: freshValid("/forward"), want: 303, loc: fileOf,
			form: vals("forward_name", "CHRS Test", "forward_address", "1 rue de Paris, 75001 Paris")},
		{pattern: "POST /domiciliation/files/{id}/forward/end", staff: domMail, want: 303, loc: fileOf,
			path: func(z *azWorld) string {
				f := z.domFile(domicile.StatusValid)
				if _, err := z.App.Domicile.SetForward(z.dom().ctx, z.dom().admin, f.ID, domicile.ForwardInput{Name: "CHRS", Address: "Paris"}); err != nil {
					z.T.Fatal(err)
				}
				return "/fr/domiciliation/files/" + f.ID + "/forward/end"
			}},
		{pattern: "POST /domiciliation/files/{id}/portal", staff: domMail, path: sub(valid, "/portal"), want: 303, loc: fileOf,
			form: vals("on", "0")},
		{pattern: "GET /domiciliation/worklists/{list}", staff: domMail, path: fixed("/fr/domiciliation/worklists/silent"), want: 200},
		{pattern: "GET /domiciliation/report", staff: domMail, path: fixed("/fr/domiciliation/report"), want: 200},
		{pattern: "GET /domiciliation/report.xlsx", staff: domMail, path: fixed("/fr/domiciliation/report.xlsx"), want: 200},
		{pattern: "GET /domiciliation/import", staff: domManage, path: fixed("/fr/domiciliation/import"), want: 200},
		{pattern: "GET /domiciliation/import/template.csv", staff: domManage, path: fixed("/fr/domiciliation/import/template.csv"), want: 200},
		// The row's form is not a file upload: the form is shown again (422).
		{pattern: "POST /domiciliation/import", staff: domManage, path: fixed("/fr/domiciliation/import"), want: 422, form: vals("site", "x")},
		{pattern: "GET /domiciliation/import/{id}", staff: domManage, want: 200,
			path: func(z *azWorld) string { return "/fr/domiciliation/import/" + z.dom().import_ }},
		{pattern: "POST /domiciliation/import/{id}", staff: domManage, want: 303, loc: at("/fr/domiciliation"),
			path: func(z *azWorld) string {
				d := z.dom()
				given, family := domNames(z)
				pv, err := z.App.Domicile.UploadImport(d.ctx, d.admin, z.siteA.ID, "import.csv",
					[]byte(fmt.Sprintf("nom;prenom;statut\n%s;%s;INSTRUCTION\n", family, given)))
				if err != nil {
					z.T.Fatal(err)
				}
				return "/fr/domiciliation/import/" + pv.Import.ID
			}},
		{pattern: "GET /domiciliation/export", staff: domManage, path: fixed("/fr/domiciliation/export"), want: 200},
		{pattern: "POST /domiciliation/export", staff: domManage, path: fixed("/fr/domiciliation/export"), want: 200, form: vals("confirm", "1")},
		{pattern: "GET /domiciliation/retention", staff: domManage, path: fixed("/fr/domiciliation/retention"), want: 200},
		{pattern: "GET /domiciliation/settings", staff: domManage, path: fixed("/fr/domiciliation/settings"), want: 200},
		{pattern: "POST /domiciliation/settings", staff: domManage, path: fixed("/fr/domiciliation/settings"), want: 303,
			loc: at("/fr/domiciliation/settings"), form: func(z *azWorld) url.Values {
				return url.Values{"site": {z.siteA.ID}, "organism": {"CCAS Un"}, "mail_address": {"1 rue Un\n75001 Paris"}, "sms_hour": {"19"},
					"sms_days": {"2", "4"}}
			}},
		{pattern: "POST /domiciliation/settings/retention", staff: domCentre, path: fixed("/fr/domiciliation/settings/retention"), want: 303,
			loc: at("/fr/domiciliation/retention"), form: vals("retention_months", "24")},
		// The rest of the domiciliation area: made-up paths are a 404.
		{pattern: "/domiciliation", verb: "PUT", staff: everyone, path: fixed("/fr/domiciliation"), want: 404},
		{pattern: "/domiciliation/", verb: "GET", staff: everyone, path: fixed("/fr/domiciliation/made-up"), want: 404},
		// The person's portal: public, its own session.
		{pattern: "GET /portal", path: fixed("/fr/portal"), want: 200},
		{pattern: "POST /portal/code", path: fixed("/fr/portal/code"), want: 303, loc: at("/fr/portal/code"),
			form: vals("number", "1", "phone", "06 12 34 56 78")},
		{pattern: "GET /portal/code", path: fixed("/fr/portal/code?n=1"), want: 200},
		{pattern: "POST /portal/login", path: fixed("/fr/portal/login"), want: 422, form: vals("number", "1", "code", "000000")},
		{pattern: "GET /portal/home", path: fixed("/fr/portal/home"), want: 303, loc: at("/fr/portal")},
		{pattern: "POST /portal/logout", path: fixed("/fr/portal/logout"), want: 303, loc: at("/fr/portal")},
	}
}
