package exchange

import (
	"context"
	"net/mail"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"parcours/internal/guide"
	"parcours/internal/platform/web"
)

// Msg is a message of the preview: an ID and its arguments.
type Msg struct {
	Key  string
	Args map[string]any
}

// Line is a row of the preview, with what will happen to it.
type Line struct {
	File             string
	Line             int
	JSON             bool
	Kind             string
	Source, ID, Name string
	// Action is "create" or "update".
	Action   string
	Errors   []Msg
	Warnings []Msg
}

// Plan is a checked upload: its lines, the columns it does not keep, and
// what the confirmation will write.
type Plan struct {
	Lines   []*Line
	Notices []Msg
	Create  int
	Update  int
	Errors  int
	Warns   int

	structures []*planStructure
	services   []*planService
}

// planPlace is an address to find or create as a location.
type planPlace struct {
	// key is the place's external id: "structure:<id>" or "service:<id>".
	key                   string
	name                  string
	address, postal, city string
	// directions are complement_adresse: the way in.
	directions string
	arr        int
	lat, lon   *float64
}

type planStructure struct {
	line          *Line
	source, extID string
	// localID is the organisation updated ("" to create; set when applied).
	localID                           string
	name, description, website, email string
	place                             *planPlace
}

type planService struct {
	line          *Line
	source, extID string
	structure     *planStructure // in this upload
	// organizationID is the organisation when the structure is not in the
	// upload.
	organizationID string
	localID        string
	checkedOn      time.Time
	// Texts; an empty one keeps the current text.
	name, description, eligibility, process, documents, url, email string
	// Flags; nil keeps the current value.
	free, walkIn, appointment, referral, men, women, families, minors, noPapers *bool
	// categories, checklists: nil keeps the current ones.
	categories, checklists []string
	// The vocabularies as the row gives them (nil when absent): an update
	// keeps the guide's values when they say the same in data·inclusion's
	// words (what the export would write), so that a lossy mapping does
	// not change a service that did not change.
	thematiques, publics, modes, by []string
	place                           *planPlace
	phone                           string
	hours                           *parsedHours
}

// state is what the centre's guide holds, for resolving the rows.
type state struct {
	links     map[string]string // kind|source|external id -> local id
	orgs      map[string]*guide.Organization
	orgByName map[string]string // folded name -> id
	services  map[string]bool
}

func linkKey(kind, source, id string) string { return kind + "|" + source + "|" + id }

func fold(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func loadState(ctx context.Context, q bun.IDB, orgID string) (*state, error) {
	st := &state{links: map[string]string{}, orgs: map[string]*guide.Organization{}, orgByName: map[string]string{}, services: map[string]bool{}}
	var links []linkRow
	if err := q.NewSelect().Model(&links).Where("org_id = ?", orgID).Scan(ctx); err != nil {
		return nil, err
	}
	for _, l := range links {
		st.links[linkKey(l.Kind, l.Source, l.ExternalID)] = l.LocalID
	}
	var orgs []*guide.Organization
	if err := q.NewSelect().Model(&orgs).Where("org_id = ?", orgID).Scan(ctx); err != nil {
		return nil, err
	}
	for _, o := range orgs {
		st.orgs[o.ID] = o
		st.orgByName[fold(o.Name)] = o.ID
	}
	var ids []string
	if err := q.NewSelect().Model((*guide.Service)(nil)).Column("id").Where("org_id = ?", orgID).Scan(ctx, &ids); err != nil {
		return nil, err
	}
	for _, id := range ids {
		st.services[id] = true
	}
	return st, nil
}

// Columns the guide does not keep, by table (a notice when a file has them).
var notKept = map[string][]string{
	kindStructure: {"siret", "telephone", "lien_source", "horaires_accueil", "accessibilite_lieu", "reseaux_porteurs"},
	kindService: {"type", "frais_precisions", "contact_nom_prenom", "zone_eligibilite", "volume_horaire_hebdomadaire",
		"nombre_semaines", "lien_source"},
}

// check validates rows against data·inclusion v1 and the guide's limits,
// maps them, and resolves each one to a create or an update.
func check(rows []*inRecord, st *state, today time.Time) *Plan {
	pl := &Plan{}
	seen := map[string]*Line{}
	structures := map[string]*planStructure{} // source|id
	names := map[string]string{}              // folded name -> structure key
	columns := map[string]map[string]bool{kindStructure: {}, kindService: {}}
	for _, rec := range rows {
		for c := range rec.Cells {
			columns[rec.Kind][c] = true
		}
	}
	pl.notices(columns)
	// Structures first: services refer to them.
	for _, rec := range rows {
		if rec.Kind != kindStructure {
			continue
		}
		c := newRowCheck(rec)
		ps := c.structure(st)
		pl.Lines = append(pl.Lines, c.line)
		key := linkKey(kindStructure, c.line.Source, c.line.ID)
		if _, dup := seen[key]; dup && c.line.ID != "" {
			c.fail("exchange.import.err.duplicate", "ID", c.line.ID)
			continue
		}
		seen[key] = c.line
		if ps == nil {
			continue
		}
		if other, taken := names[fold(ps.name)]; taken && other != key {
			c.fail("exchange.import.err.name_taken", "Value", ps.name)
			continue
		}
		names[fold(ps.name)] = key
		structures[ps.source+"|"+ps.extID] = ps
		pl.structures = append(pl.structures, ps)
	}
	for _, rec := range rows {
		if rec.Kind != kindService {
			continue
		}
		c := newRowCheck(rec)
		ps := c.service(st, structures, today)
		pl.Lines = append(pl.Lines, c.line)
		key := linkKey(kindService, c.line.Source, c.line.ID)
		if _, dup := seen[key]; dup && c.line.ID != "" {
			c.fail("exchange.import.err.duplicate", "ID", c.line.ID)
			continue
		}
		seen[key] = c.line
		if ps != nil {
			pl.services = append(pl.services, ps)
		}
	}
	for _, l := range pl.Lines {
		switch {
		case len(l.Errors) > 0:
			pl.Errors += len(l.Errors)
			l.Action = ""
		case l.Action == "create":
			pl.Create++
		default:
			pl.Update++
		}
		pl.Warns += len(l.Warnings)
	}
	return pl
}

// notices lists the columns of the files that the guide does not keep.
func (pl *Plan) notices(columns map[string]map[string]bool) {
	for _, kind := range []string{kindStructure, kindService} {
		known := structureColumns
		if kind == kindService {
			known = serviceColumns
		}
		var cols []string
		for c := range columns[kind] {
			cols = append(cols, c)
		}
		sort.Strings(cols)
		for _, c := range cols {
			switch {
			case !slices.Contains(known, c):
				pl.Notices = append(pl.Notices, Msg{Key: "exchange.import.notice.unknown", Args: map[string]any{"Field": c, "Table": kind}})
			case slices.Contains(notKept[kind], c):
				pl.Notices = append(pl.Notices, Msg{Key: "exchange.import.notice.not_kept", Args: map[string]any{"Field": c, "Table": kind}})
			}
		}
	}
}

// rowCheck reads one row, recording its errors and warnings.
type rowCheck struct {
	rec  *inRecord
	line *Line
}

func newRowCheck(rec *inRecord) *rowCheck {
	c := &rowCheck{rec: rec, line: &Line{File: rec.File, Line: rec.Line, JSON: rec.JSON, Kind: rec.Kind}}
	if rec.Shape != "" {
		c.fail(rec.Shape)
	}
	return c
}

func msg(key string, args ...any) Msg {
	m := Msg{Key: key, Args: map[string]any{}}
	for i := 0; i+1 < len(args); i += 2 {
		m.Args[args[i].(string)] = args[i+1]
	}
	return m
}

func (c *rowCheck) fail(key string, args ...any) {
	c.line.Errors = append(c.line.Errors, msg(key, args...))
}
func (c *rowCheck) warn(key string, args ...any) {
	c.line.Warnings = append(c.line.Warnings, msg(key, args...))
}

// text reads a text column: cleaned, within min..max characters when
// given; required ones must be there.
func (c *rowCheck) text(col string, min, max int, required bool) string {
	v, ok := c.rec.Cells[col]
	if !ok {
		if required {
			c.fail("exchange.import.err.required", "Field", col)
		}
		return ""
	}
	if v.bad || v.isList {
		c.fail("exchange.import.err.type", "Field", col)
		return ""
	}
	s := web.Clean(v.s)
	n := utf8.RuneCountInString(s)
	switch {
	case s == "" && required:
		c.fail("exchange.import.err.required", "Field", col)
	case s != "" && (n < min || n > max):
		c.fail("exchange.import.err.length", "Field", col, "Min", min, "Max", max)
		return ""
	}
	return s
}

// list reads a list column; every value must be known (vocab).
func (c *rowCheck) list(col string, known func(string) bool) ([]string, bool) {
	v, ok := c.rec.Cells[col]
	if !ok {
		return nil, false
	}
	if v.bad {
		c.fail("exchange.import.err.type", "Field", col)
		return nil, false
	}
	items := v.list
	if !v.isList {
		items = splitList(v.s)
	}
	var out []string
	for _, it := range items {
		it = strings.TrimSpace(it)
		if it == "" || slices.Contains(out, it) {
			continue
		}
		if len(it) > 200 || !known(it) {
			c.fail("exchange.import.err.vocab", "Field", col, "Value", truncate(it, 80))
			continue
		}
		out = append(out, it)
	}
	return out, len(out) > 0
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

func in(vocab []string) func(string) bool {
	return func(v string) bool { return slices.Contains(vocab, v) }
}

// date reads a date (YYYY-MM-DD, or the date of a date-time).
func (c *rowCheck) date(col string) (time.Time, bool) {
	s := c.text(col, 0, 40, true)
	if s == "" {
		return time.Time{}, false
	}
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') {
		if _, err := time.Parse(time.RFC3339, strings.Replace(s, " ", "T", 1)); err == nil {
			s = s[:10]
		}
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Year() < 1900 || t.Year() > 2200 {
		c.fail("exchange.import.err.date", "Field", col)
		return time.Time{}, false
	}
	return t, true
}

// number reads a number column.
func (c *rowCheck) number(col string) (*float64, bool) {
	v, ok := c.rec.Cells[col]
	if !ok {
		return nil, true
	}
	if v.bad || v.isList {
		c.fail("exchange.import.err.type", "Field", col)
		return nil, false
	}
	if v.isNum {
		return &v.num, true
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(v.s), ",", "."), 64)
	if err != nil {
		c.fail("exchange.import.err.type", "Field", col)
		return nil, false
	}
	return &f, true
}

func (c *rowCheck) email(col string) string {
	s := c.text(col, 0, 254, false)
	if s == "" {
		return ""
	}
	if a, err := mail.ParseAddress(s); err != nil || a.Address != s {
		c.fail("exchange.import.err.email", "Field", col)
		return ""
	}
	return s
}

func (c *rowCheck) url(col string) string {
	s := c.text(col, 0, 300, false)
	if s == "" {
		return ""
	}
	if u, err := url.Parse(s); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		c.fail("exchange.import.err.url", "Field", col)
		return ""
	}
	return s
}

// place reads the address columns; nil when the row has none.
func (c *rowCheck) place(key, name string) *planPlace {
	p := &planPlace{key: key, name: truncate(name, 150)}
	p.address = c.text("adresse", 0, 200, false)
	p.directions = c.text("complement_adresse", 0, 1000, false)
	p.postal = c.text("code_postal", 0, 5, false)
	if p.postal != "" && (len(p.postal) != 5 || strings.Trim(p.postal, "0123456789") != "") {
		c.fail("exchange.import.err.postal_code")
		p.postal = ""
	}
	p.city = c.text("commune", 0, 80, false)
	insee := c.text("code_insee", 0, 5, false)
	p.arr = arrondissement(p.postal, insee)
	lat, ok1 := c.number("latitude")
	lon, ok2 := c.number("longitude")
	switch {
	case !ok1 || !ok2:
	case (lat == nil) != (lon == nil), lat != nil && (*lat < -90 || *lat > 90 || *lon < -180 || *lon > 180):
		c.fail("exchange.import.err.position")
	default:
		p.lat, p.lon = lat, lon
	}
	if p.address == "" && p.postal == "" && p.city == "" && p.lat == nil && p.arr == 0 && p.directions == "" {
		return nil
	}
	return p
}

// arrondissement of Paris from a postal code (75001..75020, 75116) or an
// INSEE code (75101..75120).
func arrondissement(postal, insee string) int {
	switch {
	case postal == "75116":
		return 16
	case strings.HasPrefix(postal, "750"):
		if n, err := strconv.Atoi(postal[3:]); err == nil && n >= 1 && n <= 20 {
			return n
		}
	case strings.HasPrefix(insee, "751") && len(insee) == 5:
		if n, err := strconv.Atoi(insee[3:]); err == nil && n >= 1 && n <= 20 {
			return n
		}
	}
	return 0
}

// ids reads source and id, which every row has.
func (c *rowCheck) ids() {
	c.line.Source = c.text("source", 1, 100, true)
	c.line.ID = c.text("id", 1, 200, true)
}

func (c *rowCheck) structure(st *state) *planStructure {
	c.ids()
	name := c.text("nom", 3, 150, true)
	c.line.Name = name
	ps := &planStructure{line: c.line, source: c.line.Source, extID: c.line.ID, name: name}
	ps.description = c.text("description", 0, 2000, false)
	c.date("date_maj")
	ps.email = c.email("courriel")
	ps.website = c.url("site_web")
	ps.place = c.place("structure:"+ps.extID, name)
	if len(c.line.Errors) > 0 {
		return nil
	}
	c.line.Action = "create"
	switch id, linked := st.links[linkKey(kindStructure, ps.source, ps.extID)]; {
	case linked:
		ps.localID = id
	case ps.source == diSource && st.orgs[ps.extID] != nil:
		ps.localID = ps.extID
	default:
		if id, ok := st.orgByName[fold(name)]; ok {
			ps.localID = id
			c.warn("exchange.import.warn.same_name")
		}
	}
	if ps.localID != "" {
		c.line.Action = "update"
	}
	return ps
}

func boolPtr(b bool) *bool { return &b }

func (c *rowCheck) service(st *state, structures map[string]*planStructure, today time.Time) *planService {
	c.ids()
	ps := &planService{line: c.line, source: c.line.Source, extID: c.line.ID}
	structureID := c.text("structure_id", 1, 200, true)
	ps.name = c.text("nom", 3, 150, true)
	c.line.Name = ps.name
	ps.description = c.text("description", 0, 2000, false)
	ps.checkedOn, _ = c.date("date_maj")
	if ps.checkedOn.After(today) {
		ps.checkedOn = today
	}
	ps.eligibility = c.text("publics_precisions", 0, 1000, false)
	if cond := c.text("conditions_acces", 0, maxConditions, false); cond != "" {
		note, slugs, noPapers := importConditions(cond)
		if utf8.RuneCountInString(note) > maxNote {
			c.fail("exchange.import.err.length", "Field", "conditions_acces", "Min", 0, "Max", maxNote)
		}
		ps.documents, ps.checklists = note, slugs
		if noPapers {
			ps.noPapers = boolPtr(true)
		}
	}
	ps.process = c.text("mobilisation_precisions", 0, 1000, false)
	ps.email = c.email("courriel")
	ps.url = c.url("lien_mobilisation")
	if tel := c.text("telephone", 0, 30, false); tel != "" {
		n, ok := guide.NormalizePhone(tel)
		if !ok {
			c.fail("exchange.import.err.phone")
		}
		ps.phone = n
	}
	c.vocabularies(ps)
	if h := c.text("horaires_accueil", 0, maxOSMLength, false); h != "" {
		parsed := parseOSM(h, today)
		for _, rule := range parsed.Skipped {
			c.warn("exchange.import.warn.hours", "Value", truncate(rule, 80))
		}
		if len(parsed.Slots)+len(parsed.Exceptions) > 0 {
			ps.hours = &parsed
		}
	}
	modes, _ := c.list("modes_accueil", in(vocabModesAccueil))
	remote := len(modes) > 0 && !slices.Contains(modes, "en-presentiel")
	if structureID != "" {
		switch s, inUpload := structures[ps.source+"|"+structureID]; {
		case inUpload:
			ps.structure = s
		case st.links[linkKey(kindStructure, ps.source, structureID)] != "":
			ps.organizationID = st.links[linkKey(kindStructure, ps.source, structureID)]
		case ps.source == diSource && st.orgs[structureID] != nil:
			ps.organizationID = structureID
		default:
			c.fail("exchange.import.err.structure_unknown", "ID", truncate(structureID, 80))
		}
	}
	placeName := ps.name
	if ps.structure != nil {
		placeName = ps.structure.name
	} else if o := st.orgs[ps.organizationID]; o != nil {
		placeName = o.Name
	}
	if p := c.place("service:"+ps.extID, placeName); p != nil && !remote {
		ps.place = p
	}
	if len(c.line.Errors) > 0 {
		return nil
	}
	c.line.Action = "create"
	switch id, linked := st.links[linkKey(kindService, ps.source, ps.extID)]; {
	case linked:
		ps.localID = id
	case ps.source == diSource && st.services[ps.extID]:
		ps.localID = ps.extID
	}
	if ps.localID != "" {
		c.line.Action = "update"
	}
	if ps.categories == nil && ps.localID == "" {
		c.warn("exchange.import.warn.no_category")
	}
	return ps
}

// vocabularies reads the controlled vocabularies of a service and maps
// them onto the guide's categories and flags.
func (c *rowCheck) vocabularies(ps *planService) {
	if them, ok := c.list("thematiques", knownThematique); ok {
		ps.thematiques = them
		for _, t := range them {
			cats := importThematique(t)
			if len(cats) == 0 {
				c.warn("exchange.import.warn.unmapped", "Field", "thematiques", "Value", t)
			}
			for _, cat := range cats {
				if !slices.Contains(ps.categories, cat) {
					ps.categories = append(ps.categories, cat)
				}
			}
		}
	}
	if v := c.text("frais", 0, 20, false); v != "" {
		if !slices.Contains(vocabFrais, v) {
			c.fail("exchange.import.err.vocab", "Field", "frais", "Value", truncate(v, 80))
		}
		ps.free = boolPtr(v == "gratuit")
	}
	if pubs, ok := c.list("publics", in(vocabPublics)); ok {
		ps.publics = pubs
		if slices.Contains(pubs, "tous-publics") && len(pubs) > 1 {
			c.fail("exchange.import.err.alone")
		}
		on := map[string]bool{}
		for _, p := range pubs {
			flags, mapped := publicFlags[p]
			if !mapped {
				c.warn("exchange.import.warn.unmapped", "Field", "publics", "Value", p)
			}
			for _, f := range flags {
				on[f] = true
			}
		}
		ps.men, ps.women, ps.families, ps.minors = boolPtr(on["men"]), boolPtr(on["women"]), boolPtr(on["families"]), boolPtr(on["minors"])
		// A service for women only is also in the guide's category for
		// women.
		if on["women"] && !on["men"] && !slices.Contains(ps.categories, "women") {
			ps.categories = append(ps.categories, "women")
		}
	}
	if modes, ok := c.list("modes_mobilisation", in(vocabModesMobilisation)); ok {
		ps.modes = modes
		ps.walkIn = boolPtr(slices.Contains(modes, "se-presenter"))
		ps.appointment = boolPtr(slices.ContainsFunc(modes, func(m string) bool { return m != "se-presenter" }))
	}
	if by, ok := c.list("mobilisable_par", in(vocabMobilisablePar)); ok {
		ps.by = by
		ps.referral = boolPtr(slices.Contains(by, "professionnels"))
	}
}
