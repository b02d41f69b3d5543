package domicile

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"parcours/internal/people"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/web"
)

// Import of existing files (docs/domicile.md documents the template): a
// CSV (comma or semicolon, UTF-8) or XLSX table, one row per person, with a
// header row. Columns are found by their header, in our template's names
// or in DomiFa's (its import columns, as summarised in domifa.md, §2.13:
// ID, civilité, nom, prénom, dates, statut, motifs, entretien, up to nine
// ayants droit). Values accept our codes, DomiFa's codes and the French
// words. The preview lists every line's errors; the confirmation imports
// all rows in one transaction, or none.

// Import limits.
const (
	MaxImportBytes = 10 << 20
	MaxImportRows  = 20000
	maxImportDeps  = 9
)

// importColumns maps a column to its accepted headers (folded: lower case,
// no accents, letters and digits only).
var importColumns = map[string][]string{
	"number":         {"numero", "id", "ref", "customref", "numerodedomiciliation", "numeroidentification"},
	"civility":       {"civilite", "sexe", "genre"},
	"family":         {"nom", "nomdefamille", "nomdusage"},
	"given":          {"prenom", "prenoms"},
	"birth":          {"datenaissance", "datedenaissance"},
	"birth_place":    {"lieunaissance", "lieudenaissance", "villenaissance", "villedenaissance"},
	"phone":          {"telephone", "numerodetelephone", "tel", "portable"},
	"email":          {"email", "courriel", "mail"},
	"status":         {"statut", "statutdomicilie", "status"},
	"refusal":        {"motifrefus", "motifderefus"},
	"end_reason":     {"motifradiation", "motifderadiation"},
	"ended_on":       {"dateradiation", "datederadiation"},
	"kind":           {"type", "typedom", "typededomiciliation", "typedemande"},
	"requested":      {"datedemande", "datedelademande"},
	"start":          {"datedebut", "datededebut", "datedebutdom", "datededebutdeladomiciliation"},
	"end":            {"datefin", "datedefin", "datefindom", "datedefindeladomiciliation"},
	"first":          {"datepremieredom", "datedepremieredomiciliation", "datepremieredomiciliation"},
	"last_contact":   {"datedernierpassage", "datedudernierpassage", "dernierpassage"},
	"referral":       {"orientation"},
	"referral_text":  {"orientationdetail", "detailorientation"},
	"elsewhere":      {"domiciliationexistante", "dejadomicilie"},
	"work":           {"situationpro", "situationprofessionnelle"},
	"income":         {"revenus"},
	"link":           {"liencommune", "lienaveclacommune"},
	"household":      {"menage", "compositionmenage", "compositiondumenage", "typemenage"},
	"residence":      {"residence", "situationresidentielle"},
	"cause":          {"cause", "causeinstabilite", "causeinstabilitelogement"},
	"reason":         {"raison", "raisonprincipale", "raisondemande"},
	"support":        {"accompagnement", "accompagnementsocial"},
	"comments":       {"commentaires", "commentaire", "remarques"},
	"dep_family":     {"ayantdroitnom", "adnom"},
	"dep_given":      {"ayantdroitprenom", "adprenom"},
	"dep_birth":      {"ayantdroitdatenaissance", "addatenaissance", "ayantdroitdatedenaissance"},
	"dep_link":       {"ayantdroitlien", "adlien", "ayantdroitliendeparente"},
	"restricted":     {"champrestreint", "ame"},
	"interview_date": {"dateentretien"},
}

// personColumns names the template column of a people.Input field.
var personColumns = map[string]string{"family_name": "family", "given_name": "given", "family_latin": "family", "given_latin": "given",
	"birth_date": "birth", "birth_year": "birth", "phone": "phone", "msg_lang": "family", "household_size": "family", "dependants": "family"}

// ColumnName is the template's header of a column ("dep_family#2" is
// "ayant_droit_2_nom").
func ColumnName(col string) string {
	base, n, dep := strings.Cut(col, "#")
	if dep {
		return "ayant_droit_" + n + "_" + strings.TrimPrefix(templateNames[base], "ayant_droit_1_")
	}
	if name, ok := templateNames[base]; ok {
		return name
	}
	return base
}

// templateNames are the template's headers of the columns.
var templateNames = map[string]string{"number": "numero", "civility": "civilite", "family": "nom", "given": "prenom",
	"birth": "date_naissance", "birth_place": "lieu_naissance", "phone": "telephone", "email": "email", "status": "statut", "kind": "type",
	"requested": "date_demande", "start": "date_debut", "end": "date_fin", "first": "date_premiere_dom", "last_contact": "date_dernier_passage",
	"refusal": "motif_refus", "end_reason": "motif_radiation", "referral": "orientation", "referral_text": "orientation_detail",
	"elsewhere": "domiciliation_existante", "work": "situation_pro", "income": "revenus", "link": "lien_commune", "household": "menage",
	"residence": "residence", "cause": "cause", "reason": "raison", "support": "accompagnement", "comments": "commentaires",
	"dep_family": "ayant_droit_1_nom", "dep_given": "ayant_droit_1_prenom", "dep_birth": "ayant_droit_1_date_naissance",
	"dep_link": "ayant_droit_1_lien", "restricted": "champ_restreint", "interview_date": "date_entretien", "ended_on": "date_radiation",
	"link_detail": "lien_commune", "residence_detail": "residence", "cause_detail": "cause", "reason_detail": "raison",
	"work_detail": "situation_pro", "held_on": "date_entretien", "referred_by": "orientation", "income_kind": "revenus", "support_by": "accompagnement"}

// TemplateColumns is the documented template's header row.
var TemplateColumns = []string{"numero", "civilite", "nom", "prenom", "date_naissance", "lieu_naissance", "telephone", "email",
	"statut", "type", "date_demande", "date_debut", "date_fin", "date_premiere_dom", "date_dernier_passage", "motif_refus",
	"motif_radiation", "date_radiation", "orientation", "orientation_detail", "domiciliation_existante", "situation_pro", "revenus", "lien_commune",
	"menage", "residence", "cause", "raison", "accompagnement", "commentaires",
	"ayant_droit_1_nom", "ayant_droit_1_prenom", "ayant_droit_1_date_naissance", "ayant_droit_1_lien"}

// fold reduces a header or a code to lower-case letters and digits without
// accents ("Date de début" -> "datededebut").
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// codes map folded values to vocabulary keys: our keys, DomiFa's codes and
// French words.
var codes = map[string]map[string]string{
	"status": {"valide": StatusValid, "valid": StatusValid, "actif": StatusValid, "refus": StatusRefused, "refuse": StatusRefused,
		"refused": StatusRefused, "radie": StatusEnded, "radiation": StatusEnded, "ended": StatusEnded, "instruction": StatusInstruction,
		"attentedecision": StatusAwaiting, "avalider": StatusAwaiting, "awaiting": StatusAwaiting},
	"kind": {"premieredom": KindFirst, "premiere": KindFirst, "premieredemande": KindFirst, "first": KindFirst,
		"renouvellement": KindRenewal, "renewal": KindRenewal},
	"civility": {"f": "mme", "femme": "mme", "mme": "mme", "madame": "mme", "h": "m", "m": "m", "homme": "m", "monsieur": "m", "mr": "m"},
	"refusal": {"liencommune": "no_link", "absencedelienaveclacommune": "no_link", "nolink": "no_link", "horsagrement": "out_of_scope",
		"horscriteres": "out_of_scope", "outofscope": "out_of_scope", "saturation": "capacity", "capacite": "capacity",
		"capacitemaximaleatteinte": "capacity", "capacity": "capacity", "autre": "other", "autrerefus": "other", "other": "other"},
	"end_reason": {"asademande": "person_request", "demandedelapersonne": "person_request", "personrequest": "person_request",
		"entreelogement": "housing", "entreedansunlogement": "housing", "housing": "housing", "nonmanifestation3mois": "no_contact",
		"nonmanifestation": "no_contact", "nocontact": "no_contact", "plusdeliencommune": "no_link", "nolink": "no_link",
		"findedomiciliation": "expired", "echeance": "expired", "expired": "expired", "nonrespectreglement": "rules", "rules": "rules",
		"autre": "other", "other": "other"},
	"referral": {"ccas": "ccas", "cias": "cias", "asso": "approved", "organismeagree": "approved", "approved": "approved",
		"autre": "other", "other": "other"},
	"link": {"residentiel": "residential", "parental": "parental", "familial": "family", "professionnel": "professional",
		"social": "social", "autre": "other"},
	"household": {"coupleavecenfant": "couple_children", "couplesansenfant": "couple", "femmeisoleavecenfant": "woman_children",
		"femmeisolesansenfant": "woman", "hommeisoleavecenfant": "man_children", "hommeisolesansenfant": "man"},
	"residence": {"domicilemobile": "mobile_home", "hebergementsocial": "social_housing", "hebergementtiers": "third_party",
		"hotel": "hotel", "sansabri": "street", "logementinutilisable": "unusable", "autre": "other"},
	"cause": {"errance": "wandering", "expulsion": "eviction", "hebergesansadresse": "no_proof", "itinerant": "traveller",
		"rupture": "family_break", "sortiestructure": "leaving_shelter", "violence": "violence", "sortiehospitalisation": "leaving_hospital",
		"sortieincarceration": "leaving_prison", "autre": "other"},
	"reason": {"exercicedroits": "civil_rights", "droitsciviques": "civil_rights", "prestationssociales": "benefits",
		"exerciceactivitepro": "work", "activiteprofessionnelle": "work", "protection": "protection", "violences": "protection", "autre": "other"},
	"work": {"etudiant": "student", "salarie": "employee", "independant": "self_employed", "poleemploi": "job_seeker",
		"francetravail": "job_seeker", "rsa": "rsa", "aah": "aah", "retraite": "retired", "autre": "other"},
	"dep_link": {"conjoint": "spouse", "enfant": "child", "parent": "parent", "autre": "other", "autrepersonneacharge": "other"},
}

// vocabOf is each coded column's vocabulary (its own keys are accepted).
var vocabOf = map[string][]string{"status": Statuses, "kind": {KindFirst, KindRenewal}, "civility": Civilities,
	"refusal": RefusalReasons, "end_reason": EndReasons, "referral": Referrals, "link": Links, "household": Households,
	"residence": Residences, "cause": Causes, "reason": Reasons, "work": Works, "dep_link": DependantLinks}

// LineError is an error of one line (0: the header) and column.
type LineError struct {
	Line   int
	Column string
	Key    string
	Value  string
}

// importRow is one validated line.
type importRow struct {
	Line      int
	Number    int
	Person    people.Input
	File      File
	Interview Interview
	Decision  Decision
	Deps      []Dependant
}

// table is a parsed file: the header and the rows, as text.
type table struct {
	Header []string
	Rows   [][]string
}

// ParseTable reads a CSV (comma or semicolon) or XLSX file.
func ParseTable(name string, data []byte) (*table, error) {
	if len(data) > MaxImportBytes {
		return nil, apperr.Validation(map[string]string{"file": "domicile.import.too_big"})
	}
	if strings.HasSuffix(strings.ToLower(name), ".xlsx") || bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return parseXLSX(data)
	}
	return parseCSV(data)
}

func parseCSV(data []byte) (*table, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, apperr.Validation(map[string]string{"file": "domicile.import.not_utf8"})
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	t := &table{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, apperr.Validation(map[string]string{"file": "domicile.import.unreadable"})
		}
		if t.Header == nil {
			t.Header = rec
			continue
		}
		if len(t.Rows) >= MaxImportRows {
			return nil, apperr.Validation(map[string]string{"file": "domicile.import.too_many_rows"})
		}
		t.Rows = append(t.Rows, rec)
	}
	if t.Header == nil {
		return nil, apperr.Validation(map[string]string{"file": "domicile.import.empty"})
	}
	return t, nil
}

func parseXLSX(data []byte) (t *table, err error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 32 << 20})
	if err != nil {
		return nil, apperr.Validation(map[string]string{"file": "domicile.import.unreadable"})
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, apperr.Validation(map[string]string{"file": "domicile.import.empty"})
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, apperr.Validation(map[string]string{"file": "domicile.import.unreadable"})
	}
	defer rows.Close()
	t = &table{}
	for rows.Next() {
		rec, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, apperr.Validation(map[string]string{"file": "domicile.import.unreadable"})
		}
		if t.Header == nil {
			t.Header = rec
			continue
		}
		if len(t.Rows) >= MaxImportRows {
			return nil, apperr.Validation(map[string]string{"file": "domicile.import.too_many_rows"})
		}
		t.Rows = append(t.Rows, rec)
	}
	if t.Header == nil {
		return nil, apperr.Validation(map[string]string{"file": "domicile.import.empty"})
	}
	return t, nil
}

// columnsOf maps the header's positions to columns; ayant-droit columns
// carry their number ("dep_family#2"). Unknown headers are ignored.
func columnsOf(header []string) map[int]string {
	out := map[int]string{}
	for i, h := range header {
		f := fold(h)
		dep := 0
		// "ayant_droit_2_nom", "AD 2 prénom": take the number out.
		if strings.HasPrefix(f, "ayantdroit") || strings.HasPrefix(f, "ad") {
			prefix := "ad"
			if strings.HasPrefix(f, "ayantdroit") {
				prefix = "ayantdroit"
			}
			rest := f[len(prefix):]
			j := 0
			for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
				j++
			}
			if j > 0 {
				dep, _ = strconv.Atoi(rest[:j])
				f = prefix + rest[j:]
			}
		}
		for col, names := range importColumns {
			for _, n := range names {
				if f != n {
					continue
				}
				if strings.HasPrefix(col, "dep_") {
					if dep == 0 {
						dep = 1
					}
					if dep > maxImportDeps {
						continue
					}
					col = fmt.Sprintf("%s#%d", col, dep)
				}
				out[i] = col
			}
		}
	}
	return out
}

// parseDate reads a date as written (25/11/2026, 2026-11-25) or as an
// Excel serial number.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, ok := web.ParseDate(s); ok {
		return t, true
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil && n > 1 && n < 80000 {
		t := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n))
		if t.Year() >= 1900 && t.Year() <= 2100 {
			return t, true
		}
	}
	return time.Time{}, false
}

// yes reads a yes/no cell.
func yes(s string) (bool, bool) {
	switch fold(s) {
	case "oui", "o", "yes", "y", "1", "vrai", "true", "x":
		return true, true
	case "non", "n", "no", "0", "faux", "false", "":
		return false, true
	}
	return false, false
}

// code reads a coded cell.
func code(col, s string) (string, bool) {
	f := fold(s)
	if f == "" {
		return "", true
	}
	if v, ok := codes[col][f]; ok {
		return v, true
	}
	for _, k := range vocabOf[col] {
		if fold(k) == f {
			return k, true
		}
	}
	return "", false
}

// validateTable checks every row and returns the valid rows and every
// error (an import with any error imports nothing).
func validateTable(t *table, today time.Time, validatePerson func(*people.Input) error) ([]importRow, []LineError) {
	cols := columnsOf(t.Header)
	var errs []LineError
	have := map[string]bool{}
	for _, c := range cols {
		have[c] = true
	}
	if !have["family"] && !have["given"] {
		return nil, []LineError{{Line: 1, Column: "family", Key: "domicile.import.no_name_column"}}
	}
	seen := map[int]int{}
	var out []importRow
	for i, rec := range t.Rows {
		line := i + 2
		cell := map[string]string{}
		blank := true
		for j, v := range rec {
			if col, ok := cols[j]; ok {
				v = strings.TrimSpace(v)
				cell[col] = v
				if v != "" {
					blank = false
				}
			}
		}
		if blank {
			continue
		}
		row, rowErrs := validateRow(line, cell, today, validatePerson)
		if row.Number > 0 {
			if prev, dup := seen[row.Number]; dup {
				rowErrs = append(rowErrs, LineError{Line: line, Column: "number", Key: "domicile.import.number_twice", Value: strconv.Itoa(prev)})
			}
			seen[row.Number] = line
		}
		errs = append(errs, rowErrs...)
		if len(rowErrs) == 0 {
			out = append(out, row)
		}
	}
	if len(out) == 0 && len(errs) == 0 {
		errs = append(errs, LineError{Line: 1, Key: "domicile.import.empty"})
	}
	return out, errs
}

// validateRow reads one line.
func validateRow(line int, cell map[string]string, today time.Time, validatePerson func(*people.Input) error) (importRow, []LineError) {
	var errs []LineError
	fail := func(col, key string) {
		errs = append(errs, LineError{Line: line, Column: col, Key: key, Value: cell[col]})
	}
	row := importRow{Line: line}
	date := func(col string) *time.Time {
		if cell[col] == "" {
			return nil
		}
		t, ok := parseDate(cell[col])
		if !ok {
			fail(col, "common.form.date_invalid")
			return nil
		}
		return &t
	}
	coded := func(col string) string {
		v, ok := code(col, cell[col])
		if !ok {
			fail(col, "common.form.invalid_choice")
		}
		return v
	}
	if v := cell["number"]; v != "" {
		n, ok := ParseRef(v)
		if !ok {
			fail("number", "domicile.import.bad_number")
		}
		row.Number = n
	}
	in := people.Input{FamilyName: cell["family"], GivenName: cell["given"], Phone: cell["phone"], HouseholdSize: 1}
	if b := date("birth"); b != nil {
		in.BirthDate = b
	}
	status := coded("status")
	if status == "" {
		status = StatusValid
	}
	kind := coded("kind")
	if kind == "" {
		kind = KindFirst
	}
	f := File{Status: status, Kind: kind, Civility: coded("civility"), BirthPlace: clean(cell["birth_place"]), Email: clean(cell["email"])}
	if f.Email != "" && !strings.Contains(f.Email, "@") {
		fail("email", "auth.email.invalid")
	}
	if tooLong(f.BirthPlace, maxShort) || tooLong(f.Email, 254) {
		fail("birth_place", "common.form.too_long")
	}
	if restricted, ok := yes(cell["restricted"]); ok {
		f.Restricted = restricted
	}
	start, end, first, last, requested := date("start"), date("end"), date("first"), date("last_contact"), date("requested")
	if requested == nil {
		requested = start
	}
	if requested == nil {
		requested = &today
	}
	f.RequestedOn = *requested
	d := Decision{Status: status, Kind: kind, DecidedOn: f.RequestedOn}
	switch status {
	case StatusValid, StatusEnded:
		if start == nil || end == nil {
			fail("start", "domicile.import.dates_required")
			break
		}
		if end.Before(*start) {
			fail("end", "domicile.error.end_before_start")
		}
		if end.After(OneYear(*start)) {
			fail("end", "domicile.error.over_one_year")
		}
		f.StartOn, f.EndOn, d.StartOn, d.EndOn, d.DecidedOn = start, end, start, end, *start
		if first == nil {
			first = start
		}
		f.FirstOn = first
	case StatusRefused:
		d.Reason, d.Referral = coded("refusal"), coded("referral")
		d.ReferralDetail = clean(cell["referral_text"])
		if d.Reason == "" {
			d.Reason = "other"
		}
	}
	if status == StatusEnded && start != nil && end != nil {
		d.Reason = coded("end_reason")
		if d.Reason == "" {
			d.Reason = "other"
		}
		// Without its date, a radiation is taken at the end of the period.
		cut := date("ended_on")
		if cut == nil {
			cut = ptr(end.AddDate(0, 0, 1))
			if cut.After(today) {
				cut = &today
			}
		}
		if cut.Before(*start) || cut.After(today) {
			fail("ended_on", "domicile.import.ended_on")
		}
		f.CutOn = cut
	}
	for col, t := range map[string]*time.Time{"first": first, "last_contact": last, "requested": requested} {
		if t != nil && t.After(today) {
			fail(col, "domicile.error.future")
		}
	}
	f.LastContactOn = f.RequestedOn
	if last != nil {
		f.LastContactOn = *last
	} else if start != nil && start.After(f.LastContactOn) {
		f.LastContactOn = *start
	}
	iv := Interview{Link: coded("link"), Household: coded("household"), Residence: coded("residence"), Cause: coded("cause"),
		Reason: coded("reason"), Work: coded("work"), Comments: strings.TrimSpace(cell["comments"]), HeldOn: date("interview_date")}
	for col, p := range map[string]*bool{"elsewhere": &iv.Elsewhere, "income": &iv.Income, "support": &iv.Support} {
		v, ok := yes(cell[col])
		if !ok {
			fail(col, "common.form.invalid_choice")
		}
		*p = v
	}
	if fields := iv.validate(today); len(fields) > 0 {
		for k, v := range fields {
			fail(k, v)
		}
	}
	for n := 1; n <= maxImportDeps; n++ {
		suf := fmt.Sprintf("#%d", n)
		dp := Dependant{Family: clean(cell["dep_family"+suf]), Given: clean(cell["dep_given"+suf])}
		if dp.Family == "" && dp.Given == "" {
			continue
		}
		dp.BirthDate = date("dep_birth" + suf)
		if v, ok := code("dep_link", cell["dep_link"+suf]); ok {
			dp.Link = v
		} else {
			fail("dep_link"+suf, "common.form.invalid_choice")
		}
		row.Deps = append(row.Deps, dp)
	}
	if err := validatePerson(&in); err != nil {
		if ae, ok := apperr.As(err); ok {
			for k, v := range ae.Fields {
				errs = append(errs, LineError{Line: line, Column: personColumns[k], Key: v})
			}
		} else {
			fail("family", "common.error.invalid")
		}
	}
	row.Person, row.File, row.Interview, row.Decision = in, f, iv, d
	return row, errs
}

// Import is an uploaded file between its preview and its confirmation.
type Import struct {
	bun.BaseModel `bun:"table:dom_imports"`

	ID        string     `bun:"id,pk"`
	OrgID     string     `bun:"org_id"`
	SiteID    string     `bun:"site_id"`
	UserID    string     `bun:"user_id"`
	Filename  string     `bun:"filename"`
	Data      []byte     `bun:"data"`
	RowCount  int        `bun:"row_count"`
	CreatedAt time.Time  `bun:"created_at"`
	DoneAt    *time.Time `bun:"done_at"`
}

// Preview is what the preview page shows.
type Preview struct {
	Import *Import
	Rows   int
	Errors []LineError
	// Duplicates counts lines whose person may already have a file.
	Duplicates int
}

// maxShownErrors bounds the errors listed on the preview (DomiFa: 50).
const maxShownErrors = 200

// UploadImport stores an uploaded file and returns its preview.
func (s *Service) UploadImport(ctx context.Context, p *auth.Principal, siteID, name string, data []byte) (*Preview, error) {
	if !p.CanAt(auth.PermDomicileManage, siteID) || !db.ValidID(siteID) {
		return nil, apperr.Validation(map[string]string{"site": "common.form.invalid_choice"})
	}
	t, err := ParseTable(name, data)
	if err != nil {
		return nil, err
	}
	im := &Import{ID: db.NewID(), OrgID: p.OrgID, SiteID: siteID, UserID: p.UserID, Filename: clean(name), Data: data,
		RowCount: len(t.Rows), CreatedAt: s.Clock.Now()}
	if tooLong(im.Filename, 200) {
		im.Filename = string([]rune(im.Filename)[:200])
	}
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(im).Exec(ctx); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "domicile.import.upload", ObjectType: "domicile_import", ObjectID: im.ID,
			SiteID: siteID, Details: map[string]any{"file": im.Filename, "rows": im.RowCount, "bytes": len(data)}})
	})
	if err != nil {
		return nil, err
	}
	return s.preview(ctx, p, im, t)
}

// PreviewImport re-reads a stored import.
func (s *Service) PreviewImport(ctx context.Context, p *auth.Principal, id string) (*Preview, error) {
	im, err := s.loadImport(ctx, p, id)
	if err != nil {
		return nil, err
	}
	t, err := ParseTable(im.Filename, im.Data)
	if err != nil {
		return nil, err
	}
	return s.preview(ctx, p, im, t)
}

func (s *Service) loadImport(ctx context.Context, p *auth.Principal, id string) (*Import, error) {
	if !db.ValidID(id) {
		return nil, apperr.ErrNotFound
	}
	im := new(Import)
	if err := s.DB.R.NewSelect().Model(im).Where("org_id = ? AND id = ?", p.OrgID, id).Scan(ctx); err != nil {
		return nil, db.Translate(err)
	}
	if !p.CanAt(auth.PermDomicileManage, im.SiteID) {
		return nil, apperr.ErrNotFound
	}
	return im, nil
}

func (s *Service) preview(ctx context.Context, p *auth.Principal, im *Import, t *table) (*Preview, error) {
	rows, errs := validateTable(t, s.today(), s.People.Validate)
	pv := &Preview{Import: im, Rows: len(rows)}
	more, err := s.checkRows(ctx, p, im.SiteID, rows)
	if err != nil {
		return nil, err
	}
	for _, e := range more {
		if e.Key == "domicile.import.duplicate" {
			pv.Duplicates++
		}
	}
	pv.Errors = append(errs, more...)
	if len(pv.Errors) > maxShownErrors {
		pv.Errors = pv.Errors[:maxShownErrors]
	}
	return pv, nil
}

// checkRows checks the rows against the database: numbers already taken,
// persons who may already have a file (the duplicate check of people).
func (s *Service) checkRows(ctx context.Context, p *auth.Principal, siteID string, rows []importRow) ([]LineError, error) {
	var errs []LineError
	for _, r := range rows {
		if r.Number > 0 {
			n, err := s.DB.R.NewSelect().Model((*File)(nil)).Where("f.org_id = ? AND f.number = ?", p.OrgID, r.Number).Count(ctx)
			if err != nil {
				return nil, err
			}
			if n > 0 {
				errs = append(errs, LineError{Line: r.Line, Column: "number", Key: "domicile.import.number_taken", Value: strconv.Itoa(r.Number)})
			}
		}
		in := r.Person
		in.SiteID = siteID
		cands, err := s.People.Duplicates(ctx, p, in, "")
		if err != nil {
			return nil, err
		}
		if len(cands) > 0 {
			errs = append(errs, LineError{Line: r.Line, Column: "family", Key: "domicile.import.duplicate", Value: in.FamilyName + " " + in.GivenName})
		}
	}
	return errs, nil
}

// ConfirmImport imports every row of a previewed file in one transaction:
// if anything fails, nothing is imported.
func (s *Service) ConfirmImport(ctx context.Context, p *auth.Principal, id string) (int, []LineError, error) {
	im, err := s.loadImport(ctx, p, id)
	if err != nil {
		return 0, nil, err
	}
	if im.DoneAt != nil {
		return 0, nil, apperr.New(apperr.Conflict, "domicile.import.already_done")
	}
	t, err := ParseTable(im.Filename, im.Data)
	if err != nil {
		return 0, nil, err
	}
	today := s.today()
	rows, errs := validateTable(t, today, s.People.Validate)
	more, err := s.checkRows(ctx, p, im.SiteID, rows)
	if err != nil {
		return 0, nil, err
	}
	if errs = append(errs, more...); len(errs) > 0 {
		return 0, errs, nil
	}
	now := s.Clock.Now()
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model(im).Set("done_at = ?", now).WherePK().Where("done_at IS NULL").Exec(ctx)
		if err := changed(res, err); err != nil {
			return err
		}
		for i := range rows {
			if err := s.importRow(ctx, tx, p, im.SiteID, &rows[i], now); err != nil {
				return fmt.Errorf("line %d: %w", rows[i].Line, err)
			}
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "domicile.import.confirm", ObjectType: "domicile_import", ObjectID: im.ID,
			SiteID: im.SiteID, Details: map[string]any{"file": im.Filename, "imported": len(rows)}})
	})
	if err != nil {
		return 0, nil, err
	}
	return len(rows), nil, nil
}

// importRow writes one row inside the import's transaction.
func (s *Service) importRow(ctx context.Context, tx bun.Tx, p *auth.Principal, siteID string, r *importRow, now time.Time) error {
	in := r.Person
	in.SiteID = siteID
	per, err := s.People.CreateTx(ctx, tx, p, in, people.CreateOptions{})
	if err != nil {
		return err
	}
	n := r.Number
	if n == 0 {
		if n, err = nextNumber(ctx, tx, p.OrgID); err != nil {
			return err
		}
	} else if _, err := tx.NewRaw(`INSERT INTO dom_orgs (org_id, last_number) VALUES (?, ?)
		ON CONFLICT (org_id) DO UPDATE SET last_number = CASE WHEN dom_orgs.last_number < EXCLUDED.last_number THEN EXCLUDED.last_number ELSE dom_orgs.last_number END`,
		p.OrgID, n).Exec(ctx); err != nil {
		return err
	}
	f := r.File
	f.ID, f.OrgID, f.SiteID, f.PersonID, f.Number, f.Version = db.NewID(), p.OrgID, siteID, &per.ID, n, 1
	f.CreatedBy, f.CreatedAt, f.UpdatedAt = p.UserID, now, now
	switch f.Status {
	case StatusEnded:
		f.DecidedOn = f.CutOn
	case StatusRefused, StatusValid:
		f.DecidedOn = &r.Decision.DecidedOn
	}
	if _, err := tx.NewInsert().Model(&f).Exec(ctx); err != nil {
		return err
	}
	iv := r.Interview
	iv.FileID, iv.OrgID, iv.UpdatedBy, iv.UpdatedAt = f.ID, p.OrgID, p.UserID, now
	if _, err := tx.NewInsert().Model(&iv).Exec(ctx); err != nil {
		return err
	}
	for _, dp := range r.Deps {
		dp.ID, dp.OrgID, dp.FileID = db.NewID(), p.OrgID, f.ID
		if _, err := tx.NewInsert().Model(&dp).Exec(ctx); err != nil {
			return err
		}
	}
	decs := []Decision{{Status: StatusInstruction, Kind: f.Kind, DecidedOn: f.RequestedOn}}
	if f.Status != StatusInstruction {
		d := r.Decision
		d.Dependants = len(r.Deps)
		if f.Status == StatusEnded {
			// An imported radiation: its election, then its end.
			decs = append(decs, Decision{Status: StatusValid, Kind: f.Kind, DecidedOn: *d.StartOn, StartOn: d.StartOn, EndOn: d.EndOn,
				CutOn: f.CutOn, Dependants: d.Dependants})
			d.StartOn, d.EndOn, d.CutOn, d.DecidedOn = nil, nil, f.CutOn, *f.CutOn
		}
		decs = append(decs, d)
	}
	for i := range decs {
		d := decs[i]
		d.ID, d.OrgID, d.SiteID, d.FileID, d.Seq, d.Prev, d.DecidedBy, d.DecidedAt = db.NewID(), p.OrgID, siteID, f.ID, i+1, "{}", p.UserID, now
		if _, err := tx.NewInsert().Model(&d).Exec(ctx); err != nil {
			return err
		}
	}
	return refreshProfile(ctx, tx, f.ID)
}

// TemplateCSV is the import template: the header and one example row.
func TemplateCSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Comma = ';'
	_ = w.Write(TemplateColumns)
	_ = w.Write([]string{"", "F", "DIALLO", "Aminata", "12/03/1985", "Conakry", "06 12 34 56 78", "", "VALIDE", "PREMIERE_DOM",
		"02/01/2026", "05/01/2026", "04/01/2027", "05/01/2026", "20/11/2026", "", "", "", "", "", "NON", "RSA", "OUI", "RESIDENTIEL",
		"FEMME_ISOLE_AVEC_ENFANT", "HEBERGEMENT_TIERS", "RUPTURE", "PRESTATIONS_SOCIALES", "OUI", "",
		"DIALLO", "Fatou", "04/07/2015", "ENFANT"})
	w.Flush()
	return b.Bytes()
}
