package domicile

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/form"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"parcours/internal/people"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/clock"
	"parcours/internal/platform/db"
)

// The official forms fixed by the decree of 19 May 2016 (D264-1), as the
// fillable PDFs DomiFa ships (SocialGouv/domifa, release 2.257.9): the
// request (CERFA 16029*01, with its decision slip and the proposed
// interview) and the attestation (CERFA 16030*01). We fill the official
// form rather than draw a look-alike.

//go:embed cerfa/*.pdf
var cerfaFS embed.FS

// Forms.
const (
	FormRequest     = "16029"
	FormAttestation = "16030"
)

var cerfaFiles = map[string]string{
	FormRequest:     "cerfa/cerfa-16029-01-demande-election-domicile.pdf",
	FormAttestation: "cerfa/cerfa-16030-01-attestation-election-domicile.pdf",
}

var (
	cerfaOnce sync.Once
	cerfaTpl  map[string][]byte
	cerfaErr  error
)

func pdfConf() *model.Configuration {
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	return conf
}

// templates returns the two forms, repaired once: the attestation's
// family-name widget ("noms1") sits on the page but is missing from the
// form's field list, so no filler sees it; it is attached to the list.
func templates() (map[string][]byte, error) {
	cerfaOnce.Do(func() {
		api.DisableConfigDir()
		cerfaTpl = map[string][]byte{}
		for name, path := range cerfaFiles {
			raw, err := cerfaFS.ReadFile(path)
			if err != nil {
				cerfaErr = err
				return
			}
			fixed, err := attachOrphanWidgets(raw)
			if err != nil {
				cerfaErr = fmt.Errorf("cerfa %s: %w", name, err)
				return
			}
			cerfaTpl[name] = fixed
		}
	})
	return cerfaTpl, cerfaErr
}

// attachOrphanWidgets adds to the AcroForm's field list every named widget
// of the pages that is neither in it nor the child of a field in it.
func attachOrphanWidgets(raw []byte) ([]byte, error) {
	ctx, err := api.ReadValidateAndOptimize(bytes.NewReader(raw), pdfConf())
	if err != nil {
		return nil, err
	}
	root, err := ctx.Catalog()
	if err != nil {
		return nil, err
	}
	af, err := ctx.DereferenceDict(root["AcroForm"])
	if err != nil || af == nil {
		return nil, fmt.Errorf("no AcroForm: %v", err)
	}
	fields, err := ctx.DereferenceArray(af["Fields"])
	if err != nil {
		return nil, err
	}
	known := map[int]bool{}
	for _, f := range fields {
		if r, ok := f.(types.IndirectRef); ok {
			known[r.ObjectNumber.Value()] = true
		}
	}
	added := 0
	for p := 1; p <= ctx.PageCount; p++ {
		d, _, _, err := ctx.PageDict(p, false)
		if err != nil {
			return nil, err
		}
		annots, err := ctx.DereferenceArray(d["Annots"])
		if err != nil {
			return nil, err
		}
		for _, a := range annots {
			r, ok := a.(types.IndirectRef)
			if !ok || known[r.ObjectNumber.Value()] {
				continue
			}
			ad, err := ctx.DereferenceDict(a)
			if err != nil || ad == nil {
				continue
			}
			if st := ad.NameEntry("Subtype"); st == nil || *st != "Widget" {
				continue
			}
			if _, hasParent := ad["Parent"]; hasParent {
				continue
			}
			if _, hasName := ad["T"]; !hasName {
				continue
			}
			fields = append(fields, r)
			known[r.ObjectNumber.Value()] = true
			added++
		}
	}
	if added == 0 {
		return raw, nil
	}
	af["Fields"] = fields
	var out bytes.Buffer
	if err := api.WriteContext(ctx, &out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// FormFields lists the fields of an official form (as filled), name to
// value: on the blank form, every field with an empty value.
func FormFields(pdf []byte) (map[string]string, error) {
	fg, err := api.ExportForm(bytes.NewReader(pdf), "cerfa", pdfConf())
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, f := range fg.Forms {
		for _, t := range f.TextFields {
			out[t.Name] = t.Value
		}
		for _, r := range f.RadioButtonGroups {
			out[r.Name] = r.Value
		}
		for _, c := range f.CheckBoxes {
			out[c.Name] = fmt.Sprint(c.Value)
		}
	}
	return out, nil
}

// BlankForm returns an official form, repaired but not filled.
func BlankForm(name string) ([]byte, error) {
	tpl, err := templates()
	if err != nil {
		return nil, err
	}
	b, ok := tpl[name]
	if !ok {
		return nil, apperr.ErrNotFound
	}
	return b, nil
}

// radios are the radio groups of the forms; the others are text fields.
var radios = map[string]bool{"sexe1": true, "sexe2": true, "typeDemande": true, "decision": true}

// fill writes values into an official form (radio values are the option
// numbers "1", "2" in the order printed on the form).
func fill(name string, values map[string]string) ([]byte, error) {
	tpl, err := BlankForm(name)
	if err != nil {
		return nil, err
	}
	var f form.Form
	for k, v := range values {
		if v == "" {
			continue
		}
		if radios[k] {
			f.RadioButtonGroups = append(f.RadioButtonGroups, &form.RadioButtonGroup{Name: k, Value: v})
		} else {
			f.TextFields = append(f.TextFields, &form.TextField{Name: k, Value: v})
		}
	}
	data, err := json.Marshal(form.FormGroup{Forms: []form.Form{f}})
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := api.FillForm(bytes.NewReader(tpl), bytes.NewReader(data), &out, pdfConf()); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// CerfaKind is what is printed.
type CerfaKind string

// What can be printed.
const (
	// CerfaRequest is the request form (16029) with its decision slip.
	CerfaRequest CerfaKind = "request"
	// CerfaAttestation is the attestation (16030) of a valid decision:
	// the current one, or any past one (re-print).
	CerfaAttestation CerfaKind = "attestation"
	// CerfaProvisional is the attestation of an election to come, from
	// today for one year, printed before the decision (DomiFa
	// "attestation_future").
	CerfaProvisional CerfaKind = "provisional"
)

// cerfaData gathers what the forms print.
type cerfaData struct {
	e         *Entry
	st        *Settings
	deps      []Dependant
	orgKind   string
	decision  *Decision
	start     *time.Time
	end       *time.Time
	signedOn  time.Time
	frLabeler func(string) string
}

// Cerfa fills an official form for a file and records the print in the
// audit trail. decisionID picks a past valid decision for a re-print ("" is
// the current one).
func (s *Service) Cerfa(ctx context.Context, p *auth.Principal, id string, kind CerfaKind, decisionID string) ([]byte, string, error) {
	perm := auth.PermDomicileMail
	if kind != CerfaAttestation {
		perm = auth.PermDomicileInstruct
	}
	e, err := s.Entry(ctx, p, id, perm, "")
	if err != nil {
		return nil, "", err
	}
	f := e.File
	st, err := s.Settings(ctx, s.DB.R, f.OrgID, f.SiteID)
	if err != nil {
		return nil, "", err
	}
	deps, err := s.Dependants(ctx, f.ID)
	if err != nil {
		return nil, "", err
	}
	kindOrg, err := s.orgKind(ctx, f.OrgID)
	if err != nil {
		return nil, "", err
	}
	fr := s.Catalog.Localizer("fr")
	cd := &cerfaData{e: e, st: st, deps: deps, orgKind: kindOrg, signedOn: s.today(), frLabeler: func(k string) string { return fr.T(k) }}
	var pdf []byte
	var name string
	switch kind {
	case CerfaRequest:
		if cd.decision, err = s.lastDecision(ctx, f.ID); err != nil {
			return nil, "", err
		}
		pdf, err = fill(FormRequest, requestValues(cd))
		name = fmt.Sprintf("cerfa-16029-demande-%d.pdf", f.Number)
	case CerfaAttestation:
		if cd.decision, err = s.validDecision(ctx, f, decisionID); err != nil {
			return nil, "", err
		}
		cd.start, cd.end, cd.signedOn = cd.decision.StartOn, cd.decision.EndOn, cd.decision.DecidedOn
		pdf, err = fill(FormAttestation, attestationValues(cd))
		name = fmt.Sprintf("cerfa-16030-attestation-%d-%s.pdf", f.Number, cd.start.Format(time.DateOnly))
	case CerfaProvisional:
		if !f.Open() {
			return nil, "", apperr.New(apperr.Conflict, "domicile.error.not_open")
		}
		start := DefaultStart(f, cd.signedOn)
		cd.start, cd.end = &start, ptr(OneYear(start))
		pdf, err = fill(FormAttestation, attestationValues(cd))
		name = fmt.Sprintf("cerfa-16030-provisoire-%d.pdf", f.Number)
	default:
		return nil, "", apperr.ErrNotFound
	}
	if err != nil {
		return nil, "", err
	}
	details := map[string]any{"kind": string(kind), "person": f.Person()}
	if cd.decision != nil {
		details["decision"] = cd.decision.ID
	}
	if err := s.Audit.RecordNow(ctx, audit.Event{Action: "domicile.cerfa", ObjectType: "domicile_file", ObjectID: f.ID, SiteID: f.SiteID,
		Details: details}); err != nil {
		return nil, "", err
	}
	return pdf, name, nil
}

func (s *Service) lastDecision(ctx context.Context, fileID string) (*Decision, error) {
	d := new(Decision)
	err := s.DB.R.NewSelect().Model(d).Where("file_id = ? AND undone_at IS NULL", fileID).Order("seq DESC").Limit(1).Scan(ctx)
	return d, db.Translate(err)
}

// validDecision returns a valid decision of the file: the given one, or
// the latest.
func (s *Service) validDecision(ctx context.Context, f *File, id string) (*Decision, error) {
	d := new(Decision)
	q := s.DB.R.NewSelect().Model(d).Where("file_id = ? AND status = ? AND undone_at IS NULL", f.ID, StatusValid)
	if id != "" {
		if !db.ValidID(id) {
			return nil, apperr.ErrNotFound
		}
		q = q.Where("id = ?", id)
	}
	if err := q.Order("seq DESC").Limit(1).Scan(ctx); err != nil {
		if apperr.Is(db.Translate(err), apperr.NotFound) {
			return nil, apperr.New(apperr.Conflict, "domicile.error.no_valid_decision")
		}
		return nil, err
	}
	return d, nil
}

func day2(t time.Time) (string, string, string) {
	return t.Format("02"), t.Format("01"), t.Format("2006")
}

// setDate fills a day/month/year triple of fields.
func setDate(v map[string]string, prefix, suffix string, t *time.Time) {
	if t == nil {
		return
	}
	v["jour"+prefix+suffix], v["mois"+prefix+suffix], v["annee"+prefix+suffix] = day2(*t)
}

// identity fills the person's block of a page (suffix "1" or "2").
func identity(v map[string]string, cd *cerfaData, suffix string) {
	given, family := cd.e.LatinName()
	v["noms"+suffix], v["prenoms"+suffix] = strings.ToUpper(family), given
	switch cd.e.File.Civility {
	case "mme":
		v["sexe"+suffix] = "1"
	case "m":
		v["sexe"+suffix] = "2"
	}
	if per := cd.e.Person; per != nil {
		if per.BirthDate != nil {
			setDate(v, "Naissance", suffix, per.BirthDate)
		} else if per.BirthYear > 0 {
			v["anneeNaissance"+suffix] = fmt.Sprint(per.BirthYear)
		}
	}
	v["lieuNaissance"+suffix] = cd.e.File.BirthPlace
}

// organism fills the organisation's block; the prefecture and approval
// only for approved bodies (a CCAS needs no approval).
func organism(v map[string]string, cd *cerfaData, suffix string) {
	v["nomOrga"+suffix] = cd.st.Organism
	if cd.orgKind == "association" {
		v["prefecture"+suffix] = cd.st.Prefecture
		v["agrement"] = cd.st.Approval
	}
}

func dependantsText(deps []Dependant, label func(string) string) string {
	var lines []string
	for _, d := range deps {
		line := strings.TrimSpace(strings.ToUpper(d.Family) + " " + d.Given)
		if d.BirthDate != nil {
			line += ", " + d.BirthDate.Format("02/01/2006")
		}
		if d.Link != "" {
			line += " (" + label("domicile.dependant_link."+d.Link) + ")"
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// requestValues fills the request (16029): the applicant, the request
// (first or renewal), the organisation, the receipt, the proposed
// interview, and on page 2 the decision slip once decided.
func requestValues(cd *cerfaData) map[string]string {
	f := cd.e.File
	v := map[string]string{}
	identity(v, cd, "1")
	v["ayantsDroits"] = dependantsText(cd.deps, cd.frLabeler)
	if cd.e.Person != nil {
		v["telephone"] = people.FormatPhone(cd.e.Person.Phone)
	}
	v["courriel"] = f.Email
	v["typeDemande"] = "1"
	if f.Kind == KindRenewal {
		v["typeDemande"] = "2"
	}
	v["numeroUsager"] = fmt.Sprint(f.Number)
	organism(v, cd, "1")
	v["responsable"] = cd.st.Manager
	v["adresseOrga1"] = oneLine(cd.st.MailAddress)
	v["courrielOrga"], v["telephoneOrga"] = cd.st.Email, cd.st.Phone
	// Left: the applicant signs on the day of the request; right: the
	// organisation's receipt (D264-1).
	v["signature1A"] = cd.st.City
	setDate(v, "Decision", "1A", &f.RequestedOn)
	if f.ReceiptAt != nil {
		v["signature1B"] = cd.st.City
		setDate(v, "Decision", "1B", ptr(Today(*f.ReceiptAt)))
	}
	if f.AppointmentAt != nil {
		at := f.AppointmentAt.In(clock.Paris)
		setDate(v, "Rdv", "", &at)
		v["heureRdv"], v["minutesRdv"] = at.Format("15"), at.Format("04")
		v["entretienAvec"] = f.AppointmentWith
		v["entretienAdresse"] = oneLine(cd.st.MailAddress)
	}
	identity(v, cd, "2")
	organism(v, cd, "2")
	v["rattachement"] = cd.st.Attachment
	if d := cd.decision; d != nil && (d.Status == StatusValid || d.Status == StatusRefused) {
		v["decision"] = "1"
		if d.Status == StatusRefused {
			v["decision"] = "2"
			v["motifRefus"] = strings.TrimSpace(cd.frLabeler("domicile.refusal_reason."+d.Reason) + "\n" + d.ReasonDetail)
			v["orientation"] = strings.TrimSpace(cd.frLabeler("domicile.referral."+d.Referral) + " : " + d.ReferralDetail)
		}
		setDate(v, "Decision", "2", &d.DecidedOn)
		v["signature2"] = cd.st.City
	}
	return v
}

// attestationValues fills the attestation (16030): the person and their
// household, the organisation, the postal address where they receive mail,
// the validity, the first election, and the place and date.
func attestationValues(cd *cerfaData) map[string]string {
	f := cd.e.File
	v := map[string]string{}
	identity(v, cd, "1")
	given, family := cd.e.LatinName()
	v["noms2"], v["prenoms2"] = strings.ToUpper(family), given
	v["ayantsDroits"] = dependantsText(cd.deps, cd.frLabeler)
	organism(v, cd, "1")
	v["responsable"] = cd.st.Manager
	v["adresseOrga1"] = oneLine(cd.st.MailAddress)
	v["courrielOrga"], v["telephoneOrga"] = cd.st.Email, cd.st.Phone
	v["rattachement"] = cd.st.Attachment
	// The address where the person receives mail: their name, the number
	// of their box, then the organisation's postal address.
	v["adresse"] = strings.TrimSpace(strings.TrimSpace(given+" "+strings.ToUpper(family)) + "\n" +
		cd.frLabeler("domicile.cerfa.box") + " " + fmt.Sprint(f.Number) + "\n" + strings.TrimSpace(cd.st.MailAddress))
	setDate(v, "Debut", "", cd.start)
	setDate(v, "Fin", "", cd.end)
	first := f.FirstOn
	if first == nil {
		first = cd.start
	}
	setDate(v, "PremiereDom", "", first)
	setDate(v, "Decision", "1A", &cd.signedOn)
	v["signature1A"] = cd.st.City
	return v
}
