package domicile_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"parcours/internal/domicile"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// The "done when" of issue 4, through the real pages: a social worker takes
// a request to a valid decision (D264-1: request, receipt, interview, grant
// for one year) and prints the attestation (CERFA 16030*01, read back);
// reception logs a morning's mail in a batch and at the desk, then hands it
// over, each action confirmed.
func TestD264_1_RequestToAttestationAndMorningMail(t *testing.T) {
	testkit.ForEachDB(t, func(t *testing.T, e db.Engine) {
		f := newFx(t, e)
		sw, mgr, rec := f.as(f.worker), f.as(f.manager), f.as(f.reception)

		// The social worker files a request for a new person (in Arabic
		// script with the Latin spelling) and is told the number.
		page := post(t, sw, "/fr/domiciliation", url.Values{"site": {f.siteA.ID}, "family_name": {"بن علي"}, "family_latin": {"Benali"},
			"given_name": {"فاطمة"}, "given_latin": {"Fatima"}, "birth_date": {"1984-03-12"}, "msg_lang": {"ar"}, "civility": {"mme"},
			"birth_place": {"Oran"}})
		mustContain(t, page, "request page", f.fr("domicile.request.created", "Number", 1))
		id := fileIDIn(t, page)
		base := "/fr/domiciliation/files/" + id
		post(t, sw, base+"/receipt", nil)
		// Granting before the interview is refused (D264-2).
		r := mgr.Post(base+"/decision", url.Values{"to": {"valid"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, f.fr("domicile.error.interview_required")) {
			t.Fatalf("grant without interview: %d %s", r.Status, errorsOf(r.Body))
		}
		post(t, sw, base+"/interview", url.Values{"link": {"residential"}, "household": {"woman"}, "residence": {"street"},
			"cause": {"eviction"}, "reason": {"benefits"}, "work": {"rsa"}, "income": {"1"}})
		post(t, sw, base+"/decision", url.Values{"to": {"awaiting"}})
		// The social worker may not grant (DomiFa: instructeur); the
		// manager may.
		if r := sw.Post(base+"/decision", url.Values{"to": {"valid"}}); r.Status != http.StatusForbidden {
			t.Fatalf("social worker grants: %d", r.Status)
		}
		page = post(t, mgr, base+"/decision", url.Values{"to": {"valid"}})
		mustContain(t, page, "granted file", f.fr("domicile.decision.done.valid"), "25/11/2026 → 24/11/2027")

		// The attestation is the official form, filled.
		r = sw.Get(base + "/cerfa/attestation")
		if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("attestation: %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		fields, err := domicile.FormFields([]byte(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range map[string]string{"noms1": "BENALI", "prenoms1": "Fatima", "sexe1": "1", "jourNaissance1": "12", "moisNaissance1": "03",
			"anneeNaissance1": "1984", "lieuNaissance1": "Oran", "nomOrga1": "CASVP test", "jourDebut": "25", "moisDebut": "11",
			"anneeDebut": "2026", "jourFin": "24", "moisFin": "11", "anneeFin": "2027", "anneePremiereDom": "2026", "signature1A": "Paris"} {
			if fields[k] != v {
				t.Errorf("attestation field %s = %q, want %q", k, fields[k], v)
			}
		}
		if !strings.Contains(fields["adresse"], "Boîte 1") {
			t.Errorf("attestation address %q lacks the box", fields["adresse"])
		}

		// Reception: the morning's mail in one batch, then one more letter
		// at the desk by name in another spelling.
		page = post(t, rec, "/fr/domiciliation/mail/batch", url.Values{"site": {f.siteA.ID}, "lines": {"1\n1 r\n" + domicile.CardCode(1) + " c\n1 3"}})
		mustContain(t, page, "batch", f.frN("domicile.batch.done", 6, "Files", 1, "Letters", 4, "Registered", 1, "Parcels", 1))
		desk := get(t, rec, "/fr/domiciliation/mail?q="+url.QueryEscape("fatma ben ali"))
		mustContain(t, desk, "desk search", `name="file" value="`+id+`"`)
		page = post(t, rec, "/fr/domiciliation/mail", url.Values{"file": {id}, "kind": {"letter"}, "quantity": {"1"}})
		mustContain(t, page, "desk intake", f.frN("domicile.mail.recorded.letter", 1, "Number", 1, "Pending", 7), "autofocus")
		fl := f.file(t, id)
		if fl.PendingLetters != 5 || fl.PendingRegistered != 1 || fl.PendingParcels != 1 {
			t.Fatalf("pending %d/%d/%d", fl.PendingLetters, fl.PendingRegistered, fl.PendingParcels)
		}
		// Handover: all the letters at once, then everything else.
		page = post(t, rec, base+"/mail/out", url.Values{"to": {"handed"}, "kind": {"letter"}, "back": {"desk"}})
		mustContain(t, page, "handover", f.frN("domicile.mail.out_done.handed", 5, "Number", 1))
		post(t, rec, base+"/mail/out", url.Values{"to": {"handed"}})
		if fl = f.file(t, id); fl.Pending() != 0 {
			t.Fatalf("still pending: %d", fl.Pending())
		}
		// The file page shows who handed what, and a handover is a contact.
		page = get(t, rec, base)
		mustContain(t, page, "file page", f.fr("domicile.mail_status.handed"), "accueil", f.fr("domicile.contact_kind.handover"))
	})
}
