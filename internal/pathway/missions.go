package pathway

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"parcours/internal/people"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
)

// A mission asks a volunteer of the file's site to accompany the person
// (to the CPAM, to the prefecture...). Like a referral, it opens a share of
// the file limited to the fields it names (people.VolunteerShareFields:
// never the health or legal notes), which needs the person's consent to a
// volunteer's accompaniment. The volunteer's access ends by itself on the
// end date, when the consent is withdrawn, when the mission is withdrawn,
// and once the volunteer has reported.

// Mission is a volunteer's mission for a person.
type Mission struct {
	bun.BaseModel `bun:"table:pathway_missions,alias:ms"`

	ID          string     `bun:"id,pk"`
	OrgID       string     `bun:"org_id"`
	PersonID    string     `bun:"person_id"`
	SiteID      string     `bun:"site_id"`
	VolunteerID string     `bun:"volunteer_id"`
	Title       string     `bun:"title"`
	OnDate      time.Time  `bun:"on_date,type:date"`
	AtTime      string     `bun:"at_time"`
	Fields      string     `bun:"fields"`
	EndsOn      time.Time  `bun:"ends_on,type:date"`
	Status      string     `bun:"status"`
	Report      string     `bun:"report"`
	CreatedBy   string     `bun:"created_by"`
	CreatedAt   time.Time  `bun:"created_at"`
	DoneAt      *time.Time `bun:"done_at"`
	ClosedAt    *time.Time `bun:"closed_at"`
	UpdatedAt   time.Time  `bun:"updated_at"`
}

// Mission statuses; labels are "pathway.mission.status.<status>", and
// "pathway.mission.status.ended" for an assigned mission whose access has
// ended (its end date passed, or the consent was withdrawn).
const (
	MissionAssigned  = "assigned"
	MissionDone      = "done"
	MissionCancelled = "cancelled"
)

// Source is what the mission's share of the file is known by.
func (m Mission) Source() string { return "mission:" + m.ID }

// FieldList returns the shared fields.
func (m Mission) FieldList() []people.ShareField { return people.ParseShareFields(m.Fields) }

// State is the status shown: "ended" for an assigned mission whose share
// no longer opens the file (live lists the sources that still do).
func (m Mission) State(live map[string]bool) string {
	if m.Status == MissionAssigned && !live[m.Source()] {
		return "ended"
	}
	return m.Status
}

// MissionInput is the mission form.
type MissionInput struct {
	VolunteerID string
	Title       string
	OnDate      *time.Time
	AtTime      string // "15:30" or ""
	EndsOn      *time.Time
	Fields      []people.ShareField
	// ConsentNow: the person agrees, today, to a volunteer's accompaniment
	// (the consent is recorded with the mission).
	ConsentNow bool
}

// Bounds of a mission's access, after its date.
const (
	DefaultMissionDays = 7
	MaxMissionDays     = 90
)

// Assign gives a volunteer of the file's site a mission for the person
// (social workers and site managers). Without the person's consent to a
// volunteer's accompaniment (recorded before, or now with ConsentNow), it
// is refused (Forbidden, "people.consent.missing.volunteer").
func (s *Service) Assign(ctx context.Context, p *auth.Principal, personID string, in MissionInput) (*Mission, error) {
	per, _, err := s.open(ctx, p, personID)
	if err != nil {
		return nil, err
	}
	if !p.Can(auth.PermMissionAssign) {
		return nil, apperr.ErrForbidden
	}
	if err := people.Writable(per); err != nil {
		return nil, err
	}
	if err := s.validateMission(&in); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	m := &Mission{ID: db.NewID(), OrgID: per.OrgID, PersonID: per.ID, SiteID: per.SiteID, VolunteerID: in.VolunteerID, Title: in.Title,
		OnDate: *in.OnDate, AtTime: in.AtTime, EndsOn: *in.EndsOn, Status: MissionAssigned, CreatedBy: p.UserID, CreatedAt: now, UpdatedAt: now}
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if in.ConsentNow {
			if _, err := s.People.GiveConsentTx(ctx, tx, p, per, people.ConsentInput{Purpose: people.PurposeVolunteer}); err != nil {
				return err
			}
		}
		sh, err := s.People.ShareTx(ctx, tx, p, per, people.ShareInput{Kind: people.ShareVolunteer, UserID: in.VolunteerID,
			Fields: in.Fields, Reason: in.Title, EndsOn: in.EndsOn, Source: m.Source()})
		if ae, ok := apperr.As(err); ok && ae.Fields != nil {
			return apperr.Validation(renameFields(ae.Fields, map[string]string{"user": "mission_volunteer", "ends_on": "mission_ends_on",
				"reason": "mission_title"}))
		}
		if err != nil {
			return err
		}
		m.Fields = sh.Fields
		if _, err := tx.NewInsert().Model(m).Exec(ctx); err != nil {
			return err
		}
		if err := s.mailUser(ctx, tx, m.OrgID, m.VolunteerID, "pathway.mission", "pathway.mail.mission_subject", "pathway.mail.mission_body",
			map[string]any{}, "/missions/"+m.ID); err != nil {
			return err
		}
		if err := s.event(ctx, tx, per, "mission", "pathway.event.mission_assigned", map[string]any{"User": m.VolunteerID, "Title": m.Title,
			"Date": m.OnDate.Format(time.DateOnly)}, "/people/"+per.ID+"#missions", "", false); err != nil {
			return err
		}
		return s.record(ctx, tx, per, "mission.assign", map[string]any{"mission": m.ID, "volunteer": m.VolunteerID, "fields": m.Fields,
			"until": m.EndsOn.Format(time.DateOnly), "consent_now": in.ConsentNow})
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// validateMission checks the form: a title, a date not past, an optional
// time, an end date from the date to MaxMissionDays after it (by default
// DefaultMissionDays after it).
func (s *Service) validateMission(in *MissionInput) error {
	fields := map[string]string{}
	in.Title = strings.Join(strings.Fields(in.Title), " ")
	switch {
	case in.Title == "":
		fields["mission_title"] = "common.form.required"
	case utf8.RuneCountInString(in.Title) > maxTitle:
		fields["mission_title"] = "common.form.too_long"
	}
	today := s.today()
	switch {
	case in.OnDate == nil:
		fields["mission_on"] = "common.form.required"
	case in.OnDate.Before(today):
		fields["mission_on"] = "pathway.error.mission_past"
	}
	if in.AtTime != "" {
		t, err := time.Parse("15:04", in.AtTime)
		if err != nil {
			fields["mission_at"] = "pathway.error.mission_time"
		}
		in.AtTime = t.Format("15:04")
	}
	if in.OnDate != nil {
		if in.EndsOn == nil {
			e := in.OnDate.AddDate(0, 0, DefaultMissionDays)
			in.EndsOn = &e
		}
		switch {
		case in.EndsOn.Before(*in.OnDate):
			fields["mission_ends_on"] = "pathway.error.mission_end"
		case in.EndsOn.After(in.OnDate.AddDate(0, 0, MaxMissionDays)):
			fields["mission_ends_on"] = "pathway.error.mission_too_long"
		}
	}
	if len(in.Fields) == 0 {
		in.Fields = []people.ShareField{people.FieldIdentity}
	}
	if len(fields) > 0 {
		return apperr.Validation(fields)
	}
	return nil
}

// renameFields maps the field names of another form's errors to this one's.
func renameFields(fields, names map[string]string) map[string]string {
	out := make(map[string]string, len(fields))
	for k, v := range fields {
		if n, ok := names[k]; ok {
			k = n
		}
		out[k] = v
	}
	return out
}

func (s *Service) mission(ctx context.Context, q bun.IDB, orgID, id string) (*Mission, error) {
	return byID[Mission](ctx, q, "ms", orgID, id)
}

func (s *Service) missions(ctx context.Context, personID string) ([]Mission, error) {
	var out []Mission
	err := s.DB.R.NewSelect().Model(&out).Where("ms.person_id = ?", personID).Order("ms.on_date DESC", "ms.created_at DESC").Limit(100).Scan(ctx)
	return out, err
}

// CancelMission withdraws a mission before it is done: the volunteer's
// access ends at once.
func (s *Service) CancelMission(ctx context.Context, p *auth.Principal, personID, id string) error {
	per, _, err := s.open(ctx, p, personID)
	if err != nil {
		return err
	}
	if !p.Can(auth.PermMissionAssign) {
		return apperr.ErrForbidden
	}
	m, err := s.mission(ctx, s.DB.R, p.OrgID, id)
	if err != nil {
		return err
	}
	if m.PersonID != per.ID {
		return apperr.ErrNotFound
	}
	if m.Status != MissionAssigned {
		return apperr.New(apperr.Conflict, "pathway.error.mission_state")
	}
	now := s.Clock.Now()
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*Mission)(nil)).Set("status = ?", MissionCancelled).Set("closed_at = ?", now).Set("updated_at = ?", now).
			Where("id = ? AND status = ?", m.ID, MissionAssigned).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "pathway.error.mission_state")
		}
		if err := s.People.EndSharesTx(ctx, tx, m.OrgID, m.PersonID, m.Source()); err != nil {
			return err
		}
		if err := s.event(ctx, tx, per, "mission", "pathway.event.mission_cancelled", map[string]any{"User": m.VolunteerID, "Title": m.Title},
			"/people/"+per.ID+"#missions", "", false); err != nil {
			return err
		}
		return s.record(ctx, tx, per, "mission.cancel", map[string]any{"mission": m.ID})
	})
}

// MyMissions lists the volunteer's missions in force: assigned to them in
// a site where they still volunteer, not done nor withdrawn, and whose
// share still opens the file (end date not passed, consent in force), by
// date.
func (s *Service) MyMissions(ctx context.Context, p *auth.Principal) ([]Mission, error) {
	if p == nil || !p.Can(auth.PermMissions) {
		return nil, apperr.ErrForbidden
	}
	live, err := s.People.VolunteerSources(ctx, p)
	if err != nil {
		return nil, err
	}
	var ms []Mission
	if err := s.DB.R.NewSelect().Model(&ms).Where("ms.org_id = ? AND ms.volunteer_id = ? AND ms.status = ? AND ms.ends_on >= ?",
		p.OrgID, p.UserID, MissionAssigned, s.today()).Order("ms.on_date", "ms.at_time", "ms.id").Limit(200).Scan(ctx); err != nil {
		return nil, err
	}
	out := ms[:0]
	for _, m := range ms {
		if live[m.Source()] && p.CanAt(auth.PermMissions, m.SiteID) {
			out = append(out, m)
		}
	}
	return out, nil
}

// MissionItem is a mission opened by its volunteer, with the fields it
// shares and who gave it.
type MissionItem struct {
	Mission *Mission
	Person  *people.PartnerPerson
	Worker  string
}

// volunteerMission finds an open mission of the volunteer p, who still holds
// the role in its site: another's, a closed one, or one of a site the
// volunteer left is NotFound (the share's own checks come after).
func (s *Service) volunteerMission(ctx context.Context, p *auth.Principal, id string) (*Mission, error) {
	if p == nil || !p.Can(auth.PermMissions) {
		return nil, apperr.ErrNotFound
	}
	m, err := s.mission(ctx, s.DB.R, p.OrgID, id)
	if err != nil {
		return nil, err
	}
	if m.VolunteerID != p.UserID || m.Status != MissionAssigned || !p.CanAt(auth.PermMissions, m.SiteID) {
		return nil, apperr.ErrNotFound
	}
	return m, nil
}

// OpenMission returns a mission of the volunteer with the fields it shares
// (the read is written to the audit trail).
func (s *Service) OpenMission(ctx context.Context, p *auth.Principal, id string) (*MissionItem, error) {
	m, err := s.volunteerMission(ctx, p, id)
	if err != nil {
		return nil, err
	}
	pp, err := s.People.VolunteerView(ctx, p, m.PersonID, m.Source())
	if err != nil {
		return nil, err
	}
	it := &MissionItem{Mission: m, Person: pp}
	if err := s.DB.R.NewSelect().Table("users").Column("name").Where("org_id = ? AND id = ?", m.OrgID, m.CreatedBy).
		Scan(ctx, &it.Worker); err != nil && !apperr.Is(db.Translate(err), apperr.NotFound) {
		return nil, err
	}
	return it, nil
}

// maxReport bounds a volunteer's report.
const maxReport = 1000

// CompleteMission records that the volunteer did the mission, with their
// report: the access ends, the report comes back to the person's timeline
// and pathway, and to the one who gave the mission (a worklist item and an
// e-mail without personal data).
func (s *Service) CompleteMission(ctx context.Context, p *auth.Principal, id, report string) (*Mission, error) {
	m, err := s.volunteerMission(ctx, p, id)
	if err != nil {
		return nil, err
	}
	live, err := s.People.VolunteerSources(ctx, p)
	if err != nil {
		return nil, err
	}
	if !live[m.Source()] {
		return nil, apperr.ErrNotFound
	}
	report = strings.TrimSpace(report)
	switch {
	case report == "":
		return nil, apperr.Validation(map[string]string{"report": "pathway.error.mission_report"})
	case utf8.RuneCountInString(report) > maxReport:
		return nil, apperr.Validation(map[string]string{"report": "common.form.too_long"})
	}
	now := s.Clock.Now()
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*Mission)(nil)).Set("status = ?", MissionDone).Set("report = ?", report).Set("done_at = ?", now).
			Set("closed_at = ?", now).Set("updated_at = ?", now).Where("id = ? AND status = ?", m.ID, MissionAssigned).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "pathway.error.mission_state")
		}
		per := new(people.Person)
		if err := tx.NewSelect().Model(per).Where("p.org_id = ? AND p.id = ?", m.OrgID, m.PersonID).Scan(ctx); err != nil {
			return err
		}
		if err := s.People.EndSharesTx(ctx, tx, m.OrgID, m.PersonID, m.Source()); err != nil {
			return err
		}
		args := map[string]any{"User": p.UserID, "Title": m.Title}
		if err := s.addTask(ctx, tx, per, m.CreatedBy, "mission_done", m.ID, "pathway.task.mission_done", args, nil, "mission:"+m.ID); err != nil {
			return err
		}
		if err := s.mailUser(ctx, tx, m.OrgID, m.CreatedBy, "pathway.mission_done", "pathway.mail.mission_done_subject",
			"pathway.mail.mission_done_body", map[string]any{}, "/people/"+m.PersonID+"#missions"); err != nil {
			return err
		}
		if err := s.event(ctx, tx, per, "mission", "pathway.event.mission_done", map[string]any{"User": p.UserID, "Title": m.Title,
			"Report": report}, "/people/"+per.ID+"#missions", "", true); err != nil {
			return err
		}
		return s.record(ctx, tx, per, "mission.done", map[string]any{"mission": m.ID})
	})
	if err != nil {
		return nil, err
	}
	m.Status, m.Report = MissionDone, report
	return m, nil
}
