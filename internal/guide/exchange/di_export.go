package exchange

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"parcours/internal/guide"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
)

// The columns of data·inclusion v1 structures and services, in the
// schema's order (directory.md §2.1).
var (
	structureColumns = []string{"source", "id", "nom", "description", "date_maj", "siret", "adresse", "complement_adresse",
		"code_postal", "code_insee", "commune", "latitude", "longitude", "telephone", "courriel", "site_web", "lien_source",
		"horaires_accueil", "accessibilite_lieu", "reseaux_porteurs"}
	serviceColumns = []string{"source", "structure_id", "id", "nom", "description", "date_maj", "type", "thematiques", "frais",
		"frais_precisions", "publics", "publics_precisions", "conditions_acces", "adresse", "complement_adresse", "code_postal",
		"code_insee", "commune", "latitude", "longitude", "telephone", "courriel", "contact_nom_prenom", "modes_accueil",
		"zone_eligibilite", "lien_mobilisation", "modes_mobilisation", "mobilisable_par", "mobilisation_precisions",
		"volume_horaire_hebdomadaire", "nombre_semaines", "horaires_accueil", "lien_source"}
	// listColumns hold several values.
	listColumns = []string{"reseaux_porteurs", "thematiques", "publics", "modes_accueil", "zone_eligibilite", "modes_mobilisation",
		"mobilisable_par"}
	// numberColumns hold numbers.
	numberColumns = []string{"latitude", "longitude", "volume_horaire_hebdomadaire", "nombre_semaines"}
)

// Tables of an export.
const (
	TableStructures = "structures"
	TableServices   = "services"
)

// Formats of an export.
const (
	FormatJSON = "json"
	FormatCSV  = "csv"
)

// record is one exported row: column -> string, float64 or []string.
type record struct {
	cols   []string
	values map[string]any
}

func newRecord(cols []string) *record { return &record{cols: cols, values: map[string]any{}} }

// set keeps a value unless it is empty.
func (r *record) set(col string, v any) {
	switch x := v.(type) {
	case string:
		if x == "" {
			return
		}
	case []string:
		if len(x) == 0 {
			return
		}
	case *float64:
		if x == nil {
			return
		}
		v = *x
	}
	r.values[col] = v
}

// MarshalJSON writes the columns in the schema's order, empty ones left out.
func (r *record) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	for _, c := range r.cols {
		v, ok := r.values[c]
		if !ok {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		k, _ := json.Marshal(c)
		b.Write(k)
		b.WriteByte(':')
		enc, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		b.Write(enc)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// csvCell writes a value for CSV: lists comma-separated.
func csvCell(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []string:
		return strings.Join(x, ",")
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

// Quality is a published service or organisation the export carries but
// data·inclusion would refuse or downgrade, for the editors to fix.
type Quality struct {
	Kind, ID, Name string
	// Key is the message ID of the problem.
	Key string
}

// Export is an export of the centre's published services.
type Export struct {
	Structures []*record
	Services   []*record
	Quality    []Quality
}

// BuildExport reads the centre's published services as data·inclusion
// structures and services.
func (s *Service) BuildExport(ctx context.Context, p *auth.Principal) (*Export, error) {
	if !p.Can(auth.PermGuideEdit) {
		return nil, apperr.ErrForbidden
	}
	var ids []string
	if err := s.DB.R.NewSelect().Model((*guide.Service)(nil)).Column("id").Where("org_id = ? AND status = ?", p.OrgID, guide.Published).
		OrderExpr("name, id").Scan(ctx, &ids); err != nil {
		return nil, err
	}
	b, err := s.loadServices(ctx, ids, true)
	if err != nil {
		return nil, err
	}
	x := &Export{}
	seen := map[string]bool{}
	base := strings.TrimRight(s.BaseURL, "/")
	for _, sv := range b.services {
		o := b.orgs[sv.OrganizationID]
		var loc *guide.Location
		if sals := b.sals[sv.ID]; len(sals) > 0 {
			loc = b.locs[sals[0].LocationID]
		}
		if !seen[o.ID] {
			seen[o.ID] = true
			x.Structures = append(x.Structures, x.structure(o, loc))
		}
		x.Services = append(x.Services, x.service(b, sv, loc, base))
	}
	return x, nil
}

func (x *Export) check(kind, id, name, desc string) {
	if n := utf8.RuneCountInString(strings.TrimRight(name, ".")); n < 3 || n > 150 {
		x.Quality = append(x.Quality, Quality{Kind: kind, ID: id, Name: name, Key: "exchange.quality.name"})
	}
	if n := utf8.RuneCountInString(desc); n < 50 {
		x.Quality = append(x.Quality, Quality{Kind: kind, ID: id, Name: name, Key: "exchange.quality.description"})
	}
}

// address writes a place's address columns.
func address(r *record, l *guide.Location) {
	if l == nil {
		return
	}
	r.set("adresse", l.Address)
	// The way in (metro, door, bell) is the address's complement.
	r.set("complement_adresse", strings.TrimSpace(l.Directions))
	r.set("code_postal", l.PostalCode)
	r.set("commune", l.City)
	if l.Arrondissement > 0 {
		r.set("code_insee", strconv.Itoa(75100+l.Arrondissement))
	}
	if l.Latitude != nil && l.Longitude != nil {
		r.set("latitude", l.Latitude)
		r.set("longitude", l.Longitude)
	}
}

func (x *Export) structure(o *guide.Organization, loc *guide.Location) *record {
	r := newRecord(structureColumns)
	r.set("source", diSource)
	r.set("id", o.ID)
	r.set("nom", strings.TrimRight(o.Name, "."))
	r.values["description"] = o.Description
	r.set("date_maj", o.UpdatedAt.Format(time.DateOnly))
	address(r, loc)
	r.set("courriel", o.Email)
	r.set("site_web", o.Website)
	x.check(kindStructure, o.ID, o.Name, o.Description)
	return r
}

func (x *Export) service(b *bundle, sv *guide.Service, loc *guide.Location, base string) *record {
	r := newRecord(serviceColumns)
	r.set("source", diSource)
	r.set("structure_id", sv.OrganizationID)
	r.set("id", sv.ID)
	r.set("nom", strings.TrimRight(sv.Name, "."))
	r.values["description"] = sv.Description
	r.set("date_maj", sv.CheckedOn.Format(time.DateOnly))
	var cats []string
	for _, c := range b.cats[sv.ID] {
		if cat, ok := categoryOf(c.TermID); ok {
			cats = append(cats, cat)
		}
	}
	r.set("thematiques", thematiquesOf(cats))
	if sv.Free {
		r.set("frais", "gratuit")
	}
	r.set("publics", exportPublics(sv.WelcomeMen, sv.WelcomeWomen, sv.WelcomeFamilies, sv.WelcomeMinors))
	r.set("publics_precisions", sv.Eligibility)
	var slugs []string
	for _, d := range b.docs[sv.ID] {
		slugs = append(slugs, d.ChecklistSlug)
	}
	r.set("conditions_acces", exportConditions(sv.DocumentsNote, sv.NoPapers, slugs, base))
	address(r, loc)
	phones := b.phones[sv.ID]
	if tel := callable(phones); tel != "" {
		r.set("telephone", tel)
	}
	r.set("courriel", sv.Email)
	if loc != nil {
		r.set("modes_accueil", []string{"en-presentiel"})
	} else {
		r.set("modes_accueil", []string{"a-distance"})
	}
	r.set("lien_mobilisation", sv.URL)
	modes, by := mobilisation(sv, len(phones) > 0)
	r.set("modes_mobilisation", modes)
	r.set("mobilisable_par", by)
	r.set("mobilisation_precisions", sv.ApplicationProcess)
	r.set("horaires_accueil", b.hoursOf(sv.ID).OSMWithReasons())
	r.set("lien_source", base+"/fr/guide/services/"+sv.ID)
	x.check(kindService, sv.ID, sv.Name, sv.Description)
	return r
}

// callable is the number data·inclusion's one telephone gets: the first
// voice line, else the first line.
func callable(phones []guide.Phone) string {
	for _, p := range phones {
		if p.Kind == "voice" {
			return p.Number
		}
	}
	if len(phones) > 0 {
		return phones[0].Number
	}
	return ""
}

// thematiquesOf are the thématiques of categories.
func thematiquesOf(cats []string) []string {
	var out []string
	for _, c := range cats {
		for _, t := range categoryThematiques[c] {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out
}

// mobilisation says how to get access in data·inclusion's words: walk in
// (se-presenter), by appointment (telephoner, else envoyer-un-courriel,
// else utiliser-lien-mobilisation, as the service can be reached), and
// who may (usagers; professionnels for a referral).
func mobilisation(sv *guide.Service, hasPhone bool) (modes, by []string) {
	if sv.WalkIn {
		modes = append(modes, "se-presenter")
	}
	if sv.Appointment {
		switch {
		case hasPhone:
			modes = append(modes, "telephoner")
		case sv.Email != "":
			modes = append(modes, "envoyer-un-courriel")
		case sv.URL != "":
			modes = append(modes, "utiliser-lien-mobilisation")
		}
	}
	if sv.WalkIn || sv.Appointment {
		by = append(by, "usagers")
	}
	if sv.Referral {
		by = append(by, "professionnels")
	}
	return modes, by
}

// categoryOf returns the slug of a category term.
func categoryOf(termID string) (string, bool) {
	for _, c := range guide.Categories {
		if c.ID == termID {
			return c.Slug, true
		}
	}
	return "", false
}

// Encode writes one table of the export in a format.
func (x *Export) Encode(table, format string) ([]byte, error) {
	rows, cols := x.Structures, structureColumns
	if table == TableServices {
		rows, cols = x.Services, serviceColumns
	}
	if format == FormatJSON {
		if rows == nil {
			rows = []*record{}
		}
		b, err := json.MarshalIndent(rows, "", "  ")
		return append(b, '\n'), err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(cols); err != nil {
		return nil, err
	}
	for _, r := range rows {
		line := make([]string, len(cols))
		for i, c := range cols {
			line[i] = csvCell(r.values[c])
		}
		if err := w.Write(line); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// RecordExport writes the audit entry of a download.
func (s *Service) RecordExport(ctx context.Context, p *auth.Principal, table, format string, rows int) error {
	return s.Audit.RecordNow(ctx, audit.Event{Action: "guide.exchange.export", ObjectType: "guide_exchange", OrgID: p.OrgID,
		Details: map[string]any{"table": table, "format": format, "rows": rows, "schema": "data-inclusion-v1"}})
}
