package pathway

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
	"parcours/internal/platform/clock"
	"parcours/internal/platform/db"
	"parcours/internal/rights/triage"
)

// The three-way follow-up: the social worker, the legal specialist and the
// person. A note's audience says who reads it:
//
//   - "team": everyone who may open the file;
//   - "social": those who see health notes (social workers);
//   - "legal": those who see legal notes (legal specialists and social
//     workers);
//
// and a note marked for the person is part of their copy of the file.

// Note audiences; labels are "pathway.note.audience.<audience>".
var NoteAudiences = []string{"team", "social", "legal"}

// Note is a follow-up note.
type Note struct {
	bun.BaseModel `bun:"table:pathway_notes,alias:nt"`

	ID        string    `bun:"id,pk"`
	OrgID     string    `bun:"org_id"`
	PersonID  string    `bun:"person_id"`
	AuthorID  string    `bun:"author_id"`
	Audience  string    `bun:"audience"`
	ForPerson bool      `bun:"for_person"`
	Body      string    `bun:"body"`
	CreatedAt time.Time `bun:"created_at"`
}

// readable reports whether an access shows notes of an audience.
func readable(a people.Access, audience string) bool {
	switch audience {
	case "social":
		return a.Health
	case "legal":
		return a.Legal
	}
	return a.Read
}

// audiences lists the audiences an access reads.
func audiences(a people.Access) []string {
	var out []string
	for _, au := range NoteAudiences {
		if readable(a, au) {
			out = append(out, au)
		}
	}
	return out
}

// AddNote writes a follow-up note for an audience the user reads.
func (s *Service) AddNote(ctx context.Context, p *auth.Principal, personID, audience string, forPerson bool, body string) (*Note, error) {
	per, a, err := s.open(ctx, p, personID)
	if err != nil {
		return nil, err
	}
	if err := people.Writable(per); err != nil {
		return nil, err
	}
	fields := map[string]string{}
	body = strings.TrimSpace(body)
	switch {
	case body == "":
		fields["note_body"] = "common.form.required"
	case utf8.RuneCountInString(body) > 4000:
		fields["note_body"] = "common.form.too_long"
	}
	if !valid(NoteAudiences, audience) || !readable(a, audience) {
		fields["note_audience"] = "common.form.invalid_choice"
	}
	if len(fields) > 0 {
		return nil, apperr.Validation(fields)
	}
	n := &Note{ID: db.NewID(), OrgID: per.OrgID, PersonID: per.ID, AuthorID: p.UserID, Audience: audience, ForPerson: forPerson,
		Body: body, CreatedAt: s.Clock.Now()}
	aud := people.AudienceAll
	switch audience {
	case "social":
		aud = people.AudienceHealth
	case "legal":
		aud = people.AudienceLegal
	}
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(n).Exec(ctx); err != nil {
			return err
		}
		if err := s.event(ctx, tx, per, "note", "pathway.event.note", map[string]any{"User": p.UserID}, "", aud, true); err != nil {
			return err
		}
		return s.record(ctx, tx, per, "note.add", map[string]any{"note": n.ID, "audience": audience, "for_person": forPerson})
	})
	return n, err
}

// notes lists the notes an access reads, newest first.
func (s *Service) notes(ctx context.Context, personID string, a people.Access) ([]Note, error) {
	aud := audiences(a)
	if len(aud) == 0 {
		return nil, nil
	}
	var out []Note
	err := s.DB.R.NewSelect().Model(&out).Where("nt.person_id = ? AND nt.audience IN (?)", personID, bun.List(aud)).
		Order("nt.created_at DESC").Limit(100).Scan(ctx)
	return out, err
}

// Assessment is a stored triage: the answers and the flags they raised.
type Assessment struct {
	bun.BaseModel `bun:"table:pathway_triage,alias:tr"`

	ID         string    `bun:"id,pk"`
	OrgID      string    `bun:"org_id"`
	PersonID   string    `bun:"person_id"`
	AnswersRaw string    `bun:"answers"`
	FlagsRaw   string    `bun:"flags"`
	AssessedBy string    `bun:"assessed_by"`
	AssessedAt time.Time `bun:"assessed_at"`
}

// Answers decodes the stored answers.
func (a Assessment) Answers() triage.Answers {
	var out triage.Answers
	_ = json.Unmarshal([]byte(a.AnswersRaw), &out)
	return out
}

// Result re-runs the grid on the stored answers at the date of the
// assessment (the flags as they were raised).
func (a Assessment) Result() (triage.Assessment, error) {
	return triage.Assess(a.Answers(), a.AssessedAt.In(clock.Paris))
}

// FlagIDs decodes the stored flags.
func (a Assessment) FlagIDs() []string {
	var out []string
	_ = json.Unmarshal([]byte(a.FlagsRaw), &out)
	return out
}

// Assess fills the legal triage grid for a person (users who see legal
// notes), stores the answers and the flags, and returns the assessment.
func (s *Service) Assess(ctx context.Context, p *auth.Principal, personID string, answers triage.Answers) (*Assessment, triage.Assessment, error) {
	per, a, err := s.open(ctx, p, personID)
	if err != nil {
		return nil, triage.Assessment{}, err
	}
	if !a.Legal {
		return nil, triage.Assessment{}, apperr.ErrForbidden
	}
	if err := people.Writable(per); err != nil {
		return nil, triage.Assessment{}, err
	}
	now := s.Clock.Now()
	res, err := triage.Assess(answers, now.In(clock.Paris))
	if err != nil {
		return nil, triage.Assessment{}, apperr.Wrap(apperr.Invalid, "common.error.invalid", err)
	}
	ids := make([]string, len(res.Flags))
	for i, f := range res.Flags {
		ids[i] = f.ID
	}
	ab, err := json.Marshal(answers)
	if err != nil {
		return nil, triage.Assessment{}, err
	}
	fb, err := json.Marshal(ids)
	if err != nil {
		return nil, triage.Assessment{}, err
	}
	as := &Assessment{ID: db.NewID(), OrgID: per.OrgID, PersonID: per.ID, AnswersRaw: string(ab), FlagsRaw: string(fb),
		AssessedBy: p.UserID, AssessedAt: now}
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(as).Exec(ctx); err != nil {
			return err
		}
		if err := s.event(ctx, tx, per, "triage", "pathway.event.triage", map[string]any{"Count": len(ids)}, "/people/"+per.ID+"/triage",
			people.AudienceLegal, true); err != nil {
			return err
		}
		return s.record(ctx, tx, per, "triage", map[string]any{"assessment": as.ID, "flags": ids})
	})
	return as, res, err
}

// LastAssessment returns the person's latest triage, or nil.
func (s *Service) LastAssessment(ctx context.Context, personID string) (*Assessment, error) {
	var out []Assessment
	if err := s.DB.R.NewSelect().Model(&out).Where("tr.person_id = ?", personID).Order("tr.assessed_at DESC").Limit(1).Scan(ctx); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	return &out[0], nil
}

// auditSystem is the audit entry of a job's change.
func auditSystem(per *people.Person, action string, details map[string]any) audit.Event {
	return audit.Event{Action: "pathway." + action, OrgID: per.OrgID, ActorLabel: "system", ObjectType: "person", ObjectID: per.ID,
		SiteID: per.SiteID, Details: details}
}

// auditTask is the audit entry of a cleared worklist item.
func auditTask(t *Task) audit.Event {
	return audit.Event{Action: "pathway.task.done", ObjectType: "person", ObjectID: t.PersonID, Details: map[string]any{"task": t.ID, "kind": t.Kind}}
}
