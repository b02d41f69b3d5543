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

// Objective is what the person and the professional aim at on an axis.
type Objective struct {
	bun.BaseModel `bun:"table:pathway_objectives"`

	ID        string     `bun:"id,pk"`
	OrgID     string     `bun:"org_id"`
	PersonID  string     `bun:"person_id"`
	Axis      string     `bun:"axis"`
	Title     string     `bun:"title"`
	Status    string     `bun:"status"`
	CreatedBy string     `bun:"created_by"`
	CreatedAt time.Time  `bun:"created_at"`
	ClosedAt  *time.Time `bun:"closed_at"`
}

// Step is one thing to do on the way, with its status and due date.
type Step struct {
	bun.BaseModel `bun:"table:pathway_steps,alias:st"`

	ID          string     `bun:"id,pk"`
	OrgID       string     `bun:"org_id"`
	PersonID    string     `bun:"person_id"`
	SiteID      string     `bun:"site_id"`
	ObjectiveID string     `bun:"objective_id"`
	Axis        string     `bun:"axis"`
	Title       string     `bun:"title"`
	Status      string     `bun:"status"`
	Open        bool       `bun:"open"`
	DueOn       *time.Time `bun:"due_on,type:date"`
	OwnerID     string     `bun:"owner_id"`
	DoneAt      *time.Time `bun:"done_at"`
	CreatedBy   string     `bun:"created_by"`
	CreatedAt   time.Time  `bun:"created_at"`
	UpdatedAt   time.Time  `bun:"updated_at"`
}

// Overdue reports whether an open step's date has passed on day.
func (st Step) Overdue(day time.Time) bool { return st.Open && st.DueOn != nil && st.DueOn.Before(day) }

const maxTitle = 200

func title(s, field string, fields map[string]string) string {
	s = strings.Join(strings.Fields(s), " ")
	switch {
	case s == "":
		fields[field] = "common.form.required"
	case utf8.RuneCountInString(s) > maxTitle:
		fields[field] = "common.form.too_long"
	}
	return s
}

// AddObjective adds an objective on an axis.
func (s *Service) AddObjective(ctx context.Context, p *auth.Principal, personID, axis, text string) (*Objective, error) {
	per, _, err := s.open(ctx, p, personID)
	if err != nil {
		return nil, err
	}
	if err := people.Writable(per); err != nil {
		return nil, err
	}
	fields := map[string]string{}
	text = title(text, "objective_title", fields)
	if !valid(Axes, axis) {
		fields["objective_axis"] = "common.form.invalid_choice"
	}
	if len(fields) > 0 {
		return nil, apperr.Validation(fields)
	}
	o := &Objective{ID: db.NewID(), OrgID: per.OrgID, PersonID: per.ID, Axis: axis, Title: text, Status: "open",
		CreatedBy: p.UserID, CreatedAt: s.Clock.Now()}
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(o).Exec(ctx); err != nil {
			return err
		}
		if err := s.event(ctx, tx, per, "objective", "pathway.event.objective", map[string]any{"Title": text, "Axis": axis}, "", "", true); err != nil {
			return err
		}
		return s.record(ctx, tx, per, "objective.add", map[string]any{"objective": o.ID, "axis": axis})
	})
	return o, err
}

// CloseObjective marks an objective reached or abandoned (or open again).
func (s *Service) CloseObjective(ctx context.Context, p *auth.Principal, personID, id, status string) error {
	per, _, err := s.open(ctx, p, personID)
	if err != nil {
		return err
	}
	if err := people.Writable(per); err != nil {
		return err
	}
	if !valid(ObjectiveStatuses, status) {
		return apperr.Validation(map[string]string{"objective_status": "common.form.invalid_choice"})
	}
	o := new(Objective)
	if err := s.DB.R.NewSelect().Model(o).Where("org_id = ? AND person_id = ? AND id = ?", p.OrgID, per.ID, id).Scan(ctx); err != nil {
		return db.Translate(err)
	}
	now := s.Clock.Now()
	var closed *time.Time
	if status != "open" {
		closed = &now
	}
	return s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model(o).Set("status = ?", status).Set("closed_at = ?", closed).WherePK().Exec(ctx); err != nil {
			return err
		}
		if err := s.event(ctx, tx, per, "objective", "pathway.event.objective_"+status, map[string]any{"Title": o.Title}, "", "", false); err != nil {
			return err
		}
		return s.record(ctx, tx, per, "objective.status", map[string]any{"objective": o.ID, "status": status})
	})
}

// StepInput adds a step.
type StepInput struct {
	Axis        string
	ObjectiveID string
	Title       string
	DueOn       *time.Time
	OwnerID     string // "" is the user
}

// AddStep adds a step to the pathway.
func (s *Service) AddStep(ctx context.Context, p *auth.Principal, personID string, in StepInput) (*Step, error) {
	per, _, err := s.open(ctx, p, personID)
	if err != nil {
		return nil, err
	}
	if err := people.Writable(per); err != nil {
		return nil, err
	}
	fields := map[string]string{}
	in.Title = title(in.Title, "step_title", fields)
	if !valid(Axes, in.Axis) {
		fields["step_axis"] = "common.form.invalid_choice"
	}
	if in.ObjectiveID != "" {
		n, err := s.DB.R.NewSelect().Model((*Objective)(nil)).Where("org_id = ? AND person_id = ? AND id = ?", p.OrgID, per.ID, in.ObjectiveID).Count(ctx)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			fields["step_objective"] = "common.form.invalid_choice"
		}
	}
	if in.OwnerID == "" {
		in.OwnerID = p.UserID
	} else if !s.colleague(ctx, p, in.OwnerID) {
		fields["step_owner"] = "common.form.invalid_choice"
	}
	if in.DueOn != nil && in.DueOn.Before(s.today().AddDate(-1, 0, 0)) {
		fields["step_due"] = "pathway.error.due_past"
	}
	if len(fields) > 0 {
		return nil, apperr.Validation(fields)
	}
	now := s.Clock.Now()
	st := &Step{ID: db.NewID(), OrgID: per.OrgID, PersonID: per.ID, SiteID: per.SiteID, ObjectiveID: in.ObjectiveID, Axis: in.Axis,
		Title: in.Title, Status: "planned", Open: true, DueOn: in.DueOn, OwnerID: in.OwnerID, CreatedBy: p.UserID, CreatedAt: now, UpdatedAt: now}
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(st).Exec(ctx); err != nil {
			return err
		}
		if err := s.event(ctx, tx, per, "step", "pathway.event.step_added", map[string]any{"Title": st.Title}, "", "", true); err != nil {
			return err
		}
		return s.record(ctx, tx, per, "step.add", map[string]any{"step": st.ID, "axis": st.Axis, "due": dateString(st.DueOn)})
	})
	return st, err
}

// UpdateStep changes a step's status and due date.
func (s *Service) UpdateStep(ctx context.Context, p *auth.Principal, personID, id, status string, due *time.Time) (*Step, error) {
	per, _, err := s.open(ctx, p, personID)
	if err != nil {
		return nil, err
	}
	if err := people.Writable(per); err != nil {
		return nil, err
	}
	if !valid(StepStatuses, status) {
		return nil, apperr.Validation(map[string]string{"step_status": "common.form.invalid_choice"})
	}
	st := new(Step)
	if err := s.DB.R.NewSelect().Model(st).Where("st.org_id = ? AND st.person_id = ? AND st.id = ?", p.OrgID, per.ID, id).Scan(ctx); err != nil {
		return nil, db.Translate(err)
	}
	now := s.Clock.Now()
	prev := st.Status
	st.Status, st.Open, st.DueOn, st.UpdatedAt = status, openStatus(status), due, now
	if status == "done" && st.DoneAt == nil {
		st.DoneAt = &now
	}
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model(st).Column("status", "open", "due_on", "done_at", "updated_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		if prev != status {
			if err := s.event(ctx, tx, per, "step", "pathway.event.step_"+status, map[string]any{"Title": st.Title}, "", "", status == "done"); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, per, "step.update", map[string]any{"step": st.ID, "status": status, "due": dateString(due)})
	})
	return st, err
}

func dateString(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

// Objectives lists a person's objectives, open first.
func (s *Service) objectives(ctx context.Context, personID string) ([]Objective, error) {
	var out []Objective
	err := s.DB.R.NewSelect().Model(&out).Where("person_id = ?", personID).
		OrderExpr("CASE status WHEN 'open' THEN 0 ELSE 1 END, created_at").Scan(ctx)
	return out, err
}

// steps lists a person's steps: open ones by due date (undated last), then
// the closed ones, newest first.
func (s *Service) steps(ctx context.Context, personID string) ([]Step, error) {
	var out []Step
	err := s.DB.R.NewSelect().Model(&out).Where("st.person_id = ?", personID).
		OrderExpr("st.open DESC, CASE WHEN st.due_on IS NULL THEN 1 ELSE 0 END, st.due_on, st.updated_at DESC").Limit(200).Scan(ctx)
	return out, err
}

// NextStep returns the person's next open step (earliest due date, undated
// last), or nil.
func (s *Service) NextStep(ctx context.Context, q bun.IDB, personID string) (*Step, error) {
	var out []Step
	err := q.NewSelect().Model(&out).Where("st.person_id = ? AND st.open", personID).
		OrderExpr("CASE WHEN st.due_on IS NULL THEN 1 ELSE 0 END, st.due_on, st.created_at").Limit(1).Scan(ctx)
	if err != nil || len(out) == 0 {
		return nil, err
	}
	return &out[0], nil
}

// colleague reports whether a user of the centre may own a step (opens files).
func (s *Service) colleague(ctx context.Context, p *auth.Principal, userID string) bool {
	cs, err := s.People.Colleagues(ctx, p)
	if err != nil {
		return false
	}
	for _, c := range cs {
		if c.ID == userID {
			return true
		}
	}
	return false
}
