package domicile

import (
	"context"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"parcours/internal/people"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
)

// Entry is a file with the person's identity, as lists and pages show it.
type Entry struct {
	File   *File
	Person *people.Person
}

// Name is the person's name ("" when the file is anonymised).
func (e Entry) Name() string {
	if e.Person == nil {
		return ""
	}
	return e.Person.DisplayName()
}

// LatinName is the name in Latin letters, as the CERFA prints it.
func (e Entry) LatinName() (given, family string) {
	if e.Person == nil {
		return "", ""
	}
	given, family = e.Person.GivenLatin, e.Person.FamilyLatin
	if given == "" && family == "" {
		given, family = e.Person.GivenName, e.Person.FamilyName
	}
	return given, family
}

// scope returns the sites where the user holds perm ("" and All for every
// site), or Forbidden.
func scope(p *auth.Principal, perm auth.Perm) (auth.Scope, error) {
	if p == nil {
		return auth.Scope{}, apperr.ErrForbidden
	}
	sc := p.ScopeOf(perm)
	if sc.Empty() {
		return sc, apperr.ErrForbidden
	}
	return sc, nil
}

// inScope restricts a query on "dom_files AS f" to the scope's sites.
func inScope(q *bun.SelectQuery, sc auth.Scope) *bun.SelectQuery {
	if sc.All {
		return q
	}
	return q.Where("f.site_id IN (?)", bun.List(sc.Sites))
}

// loadFile reads a file of the user's centre that the user may handle with
// perm; anything else is NotFound.
func (s *Service) loadFile(ctx context.Context, q bun.IDB, p *auth.Principal, id string, perm auth.Perm) (*File, error) {
	if p == nil || !db.ValidID(id) {
		return nil, apperr.ErrNotFound
	}
	f := new(File)
	if err := q.NewSelect().Model(f).Where("f.org_id = ? AND f.id = ?", p.OrgID, id).Scan(ctx); err != nil {
		return nil, db.Translate(err)
	}
	if !p.CanAt(perm, f.SiteID) || f.AnonymisedAt != nil {
		return nil, apperr.ErrNotFound
	}
	return f, nil
}

// person reads the identity of a file's person (the domiciliation desk
// needs the name whatever site opened the person's file).
func (s *Service) person(ctx context.Context, q bun.IDB, orgID, id string) (*people.Person, error) {
	if id == "" {
		return nil, nil
	}
	per := new(people.Person)
	err := q.NewSelect().Model(per).ExcludeColumn("health_note", "legal_note").Where("p.org_id = ? AND p.id = ?", orgID, id).Scan(ctx)
	return per, db.Translate(err)
}

// entries joins files to their persons.
func (s *Service) entries(ctx context.Context, q bun.IDB, orgID string, files []File) ([]Entry, error) {
	ids := make([]string, 0, len(files))
	for _, f := range files {
		if f.PersonID != nil {
			ids = append(ids, *f.PersonID)
		}
	}
	byID := map[string]*people.Person{}
	if len(ids) > 0 {
		var ps []people.Person
		if err := q.NewSelect().Model(&ps).ExcludeColumn("health_note", "legal_note").
			Where("p.org_id = ? AND p.id IN (?)", orgID, bun.List(ids)).Scan(ctx); err != nil {
			return nil, err
		}
		for i := range ps {
			byID[ps[i].ID] = &ps[i]
		}
	}
	out := make([]Entry, len(files))
	for i := range files {
		out[i] = Entry{File: &files[i], Person: byID[files[i].Person()]}
	}
	return out, nil
}

// Entry returns a file and its person for a page; the read is written to
// the audit trail (every read of a file, view names the page).
func (s *Service) Entry(ctx context.Context, p *auth.Principal, id string, perm auth.Perm, view string) (*Entry, error) {
	f, err := s.loadFile(ctx, s.DB.R, p, id, perm)
	if err != nil {
		return nil, err
	}
	per, err := s.person(ctx, s.DB.R, p.OrgID, f.Person())
	if err != nil {
		return nil, err
	}
	if view != "" {
		if err := s.Audit.RecordNow(ctx, audit.Event{Action: "domicile.read", ObjectType: "domicile_file", ObjectID: f.ID,
			SiteID: f.SiteID, Details: map[string]any{"view": view, "person": f.Person()}}); err != nil {
			return nil, err
		}
	}
	return &Entry{File: f, Person: per}, nil
}

// FileOfPerson returns the person's most recent file in the user's centre,
// or nil.
func (s *Service) FileOfPerson(ctx context.Context, p *auth.Principal, personID string) (*File, error) {
	f := new(File)
	err := s.DB.R.NewSelect().Model(f).Where("f.org_id = ? AND f.person_id = ? AND f.anonymised_at IS NULL", p.OrgID, personID).
		Order("f.created_at DESC").Limit(1).Scan(ctx)
	if err != nil {
		if apperr.Is(db.Translate(err), apperr.NotFound) {
			return nil, nil
		}
		return nil, err
	}
	return f, nil
}

// RequestInput opens a request for a person.
type RequestInput struct {
	PersonID    string
	SiteID      string
	RequestedOn *time.Time
	Civility    string
	BirthPlace  string
	Email       string
	Restricted  bool
	// Appointment for the interview (CERFA 16029, proposition d'entretien).
	AppointmentAt   *time.Time
	AppointmentWith string
}

// Length limits of free-text fields.
const (
	maxShort = 120
	maxText  = 2000
)

func tooLong(s string, max int) bool { return utf8.RuneCountInString(s) > max }

func (in *RequestInput) validate(today time.Time) map[string]string {
	fields := map[string]string{}
	if in.Civility != "" && !oneOf(Civilities, in.Civility) {
		fields["civility"] = "common.form.invalid_choice"
	}
	in.BirthPlace, in.Email, in.AppointmentWith = clean(in.BirthPlace), clean(in.Email), clean(in.AppointmentWith)
	if tooLong(in.BirthPlace, maxShort) {
		fields["birth_place"] = "common.form.too_long"
	}
	if in.Email != "" && (!strings.Contains(in.Email, "@") || tooLong(in.Email, 254)) {
		fields["email"] = "auth.email.invalid"
	}
	if tooLong(in.AppointmentWith, maxShort) {
		fields["appointment_with"] = "common.form.too_long"
	}
	if in.RequestedOn != nil && in.RequestedOn.After(today) {
		fields["requested_on"] = "domicile.error.future"
	}
	return fields
}

func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

// snapshot is the part of a file a decision changes; each decision keeps
// the state before it, so the last one can be undone.
type snapshot struct {
	Status    string     `json:"status"`
	Kind      string     `json:"kind"`
	Requested time.Time  `json:"requested_on"`
	Start     *time.Time `json:"start_on"`
	End       *time.Time `json:"end_on"`
	Cut       *time.Time `json:"cut_on"`
	First     *time.Time `json:"first_on"`
	Decided   *time.Time `json:"decided_on"`
	Contact   time.Time  `json:"last_contact_on"`
	Receipt   *time.Time `json:"receipt_at"`
}

func snap(f *File) string {
	b, _ := json.Marshal(snapshot{Status: f.Status, Kind: f.Kind, Requested: f.RequestedOn, Start: f.StartOn, End: f.EndOn,
		Cut: f.CutOn, First: f.FirstOn, Decided: f.DecidedOn, Contact: f.LastContactOn, Receipt: f.ReceiptAt})
	return string(b)
}

func (sn snapshot) apply(f *File) {
	f.Status, f.Kind, f.RequestedOn, f.StartOn, f.EndOn = sn.Status, sn.Kind, sn.Requested, sn.Start, sn.End
	f.CutOn, f.FirstOn, f.DecidedOn, f.LastContactOn, f.ReceiptAt = sn.Cut, sn.First, sn.Decided, sn.Contact, sn.Receipt
}

// nextNumber takes the centre's next domiciliation number inside tx.
func nextNumber(ctx context.Context, tx bun.Tx, orgID string) (int, error) {
	if _, err := tx.NewRaw("INSERT INTO dom_orgs (org_id) VALUES (?) ON CONFLICT (org_id) DO NOTHING", orgID).Exec(ctx); err != nil {
		return 0, err
	}
	var n int
	err := tx.NewRaw("UPDATE dom_orgs SET last_number = last_number + 1 WHERE org_id = ? RETURNING last_number", orgID).Scan(ctx, &n)
	return n, err
}

// openFileOf returns the person's file that is not closed (refused or
// ended), if any: one domiciliation at a time (D264-2).
func openFileOf(ctx context.Context, q bun.IDB, orgID, personID string) (*File, error) {
	f := new(File)
	err := q.NewSelect().Model(f).Where("f.org_id = ? AND f.person_id = ? AND f.status NOT IN (?) AND f.anonymised_at IS NULL",
		orgID, personID, bun.List([]string{StatusRefused, StatusEnded})).Limit(1).Scan(ctx)
	if err != nil {
		if apperr.Is(db.Translate(err), apperr.NotFound) {
			return nil, nil
		}
		return nil, err
	}
	return f, nil
}

// CreateRequest opens a first request for a person in one of the user's
// sites: status "instruction", the request date starting the two-month
// deadline (D264-1). A person whose previous file was refused or ended gets
// a new request on that file (a new first domiciliation, DomiFa).
func (s *Service) CreateRequest(ctx context.Context, p *auth.Principal, in RequestInput) (*File, error) {
	if !p.CanAt(auth.PermDomicileInstruct, in.SiteID) || !db.ValidID(in.SiteID) {
		return nil, apperr.Validation(map[string]string{"site": "common.form.invalid_choice"})
	}
	today := s.today()
	fields := in.validate(today)
	if len(fields) > 0 {
		return nil, apperr.Validation(fields)
	}
	if _, _, err := s.People.Find(ctx, p, in.PersonID); err != nil {
		return nil, err
	}
	requested := today
	if in.RequestedOn != nil {
		requested = *in.RequestedOn
	}
	var f *File
	err := s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if open, err := openFileOf(ctx, tx, p.OrgID, in.PersonID); err != nil {
			return err
		} else if open != nil {
			return &apperr.Error{Kind: apperr.Conflict, Key: "domicile.error.already_open", Args: map[string]any{"Number": open.Number}}
		}
		n, err := nextNumber(ctx, tx, p.OrgID)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		f = &File{ID: db.NewID(), OrgID: p.OrgID, SiteID: in.SiteID, PersonID: ptr(in.PersonID), Number: n, Status: StatusInstruction,
			Kind: KindFirst, Civility: in.Civility, BirthPlace: in.BirthPlace, Email: in.Email, Restricted: in.Restricted,
			RequestedOn: requested, AppointmentAt: in.AppointmentAt, AppointmentWith: in.AppointmentWith, LastContactOn: today,
			Version: 1, CreatedBy: p.UserID, CreatedAt: now, UpdatedAt: now}
		if _, err := tx.NewInsert().Model(f).Exec(ctx); err != nil {
			return err
		}
		iv := &Interview{FileID: f.ID, OrgID: p.OrgID, UpdatedBy: p.UserID, UpdatedAt: now}
		if _, err := tx.NewInsert().Model(iv).Exec(ctx); err != nil {
			return err
		}
		d := &Decision{ID: db.NewID(), OrgID: p.OrgID, SiteID: f.SiteID, FileID: f.ID, Seq: 1, Status: StatusInstruction, Kind: KindFirst,
			DecidedOn: requested, Prev: "{}", DecidedBy: p.UserID, DecidedAt: now}
		if _, err := tx.NewInsert().Model(d).Exec(ctx); err != nil {
			return err
		}
		if err := s.timeline(ctx, tx, f, "domicile.requested", "domicile.event.requested", map[string]any{"Number": f.Number}, true); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "domicile.request", ObjectType: "domicile_file", ObjectID: f.ID,
			SiteID: f.SiteID, Details: map[string]any{"person": in.PersonID, "number": n}})
	})
	return f, err
}

// timeline appends an event to the person's timeline inside tx.
func (s *Service) timeline(ctx context.Context, tx bun.Tx, f *File, kind, key string, args map[string]any, contact bool) error {
	if f.PersonID == nil {
		return nil
	}
	return s.People.Append(ctx, tx, f.OrgID, people.Event{PersonID: *f.PersonID, Kind: kind, Contact: contact,
		Summary: people.Message{Key: key, Args: args}, Link: "/domiciliation/files/" + f.ID})
}

// IdentityInput is what the CERFA needs beyond the person's file.
type IdentityInput struct {
	Civility, BirthPlace, Email string
	Restricted                  bool
	AppointmentAt               *time.Time
	AppointmentWith             string
	Dependants                  []Dependant
}

// maxDependants bounds the household listed on the CERFA (DomiFa imports
// nine).
const maxDependants = 12

// SetIdentity records the civility, birth place, e-mail, restricted scope,
// interview appointment and household members of a file.
func (s *Service) SetIdentity(ctx context.Context, p *auth.Principal, id string, in IdentityInput) error {
	f, err := s.loadFile(ctx, s.DB.R, p, id, auth.PermDomicileInstruct)
	if err != nil {
		return err
	}
	ri := RequestInput{Civility: in.Civility, BirthPlace: in.BirthPlace, Email: in.Email, AppointmentWith: in.AppointmentWith}
	fields := ri.validate(s.today())
	if len(in.Dependants) > maxDependants {
		fields["dependants"] = "domicile.error.too_many_dependants"
	}
	for i := range in.Dependants {
		dp := &in.Dependants[i]
		dp.Given, dp.Family = clean(dp.Given), clean(dp.Family)
		if dp.Given == "" && dp.Family == "" {
			fields["dependants"] = "domicile.error.dependant_name"
		}
		if tooLong(dp.Given, maxShort) || tooLong(dp.Family, maxShort) {
			fields["dependants"] = "common.form.too_long"
		}
		if dp.Link != "" && !oneOf(DependantLinks, dp.Link) {
			fields["dependants"] = "common.form.invalid_choice"
		}
		if dp.BirthDate != nil && dp.BirthDate.After(s.today()) {
			fields["dependants"] = "domicile.error.future"
		}
	}
	if len(fields) > 0 {
		return apperr.Validation(fields)
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*File)(nil)).Set("civility = ?", ri.Civility).Set("birth_place = ?", ri.BirthPlace).
			Set("email = ?", ri.Email).Set("restricted = ?", in.Restricted).Set("appointment_at = ?", in.AppointmentAt).
			Set("appointment_with = ?", ri.AppointmentWith).Set("updated_at = ?", now).Set("version = version + 1").
			Where("id = ? AND org_id = ? AND version = ?", f.ID, f.OrgID, f.Version).Exec(ctx)
		if err := changed(res, err); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*Dependant)(nil)).Where("file_id = ?", f.ID).Exec(ctx); err != nil {
			return err
		}
		for i := range in.Dependants {
			dp := in.Dependants[i]
			dp.ID, dp.OrgID, dp.FileID = db.NewID(), f.OrgID, f.ID
			if _, err := tx.NewInsert().Model(&dp).Exec(ctx); err != nil {
				return err
			}
		}
		if err := refreshProfile(ctx, tx, f.ID); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "domicile.identity", ObjectType: "domicile_file", ObjectID: f.ID,
			SiteID: f.SiteID, Details: map[string]any{"dependants": len(in.Dependants), "restricted": in.Restricted}})
	})
}

// changed turns an update that touched no row (the file changed since it
// was read) into a Conflict.
func changed(res interface{ RowsAffected() (int64, error) }, err error) error {
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.ErrConflict
	}
	return nil
}

// Dependants lists a file's household members.
func (s *Service) Dependants(ctx context.Context, fileID string) ([]Dependant, error) {
	var out []Dependant
	err := s.DB.R.NewSelect().Model(&out).Where("file_id = ?", fileID).Order("birth_date", "id").Scan(ctx)
	return out, err
}

// GiveReceipt records that the receipt of the request was given (D264-1).
func (s *Service) GiveReceipt(ctx context.Context, p *auth.Principal, id string) (*File, error) {
	f, err := s.loadFile(ctx, s.DB.R, p, id, auth.PermDomicileInstruct)
	if err != nil {
		return nil, err
	}
	if !f.Open() {
		return nil, apperr.New(apperr.Conflict, "domicile.error.not_open")
	}
	now := s.Clock.Now()
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*File)(nil)).Set("receipt_at = ?", now).Set("updated_at = ?", now).Set("version = version + 1").
			Where("id = ? AND org_id = ? AND version = ?", f.ID, f.OrgID, f.Version).Exec(ctx)
		if err := changed(res, err); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, audit.Event{Action: "domicile.receipt", ObjectType: "domicile_file", ObjectID: f.ID, SiteID: f.SiteID})
	})
	f.ReceiptAt = &now
	return f, err
}
