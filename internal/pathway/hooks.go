package pathway

import (
	"context"
	"log/slog"

	"github.com/riverqueue/river"
	"github.com/uptrace/bun"

	"parcours/internal/people"
)

// pathwayTables hold rows about a person.
var pathwayTables = []string{"pathway_objectives", "pathway_steps", "pathway_applications", "pathway_referrals",
	"pathway_tasks", "pathway_notes", "pathway_triage", "pathway_missions"}

// MergePerson moves the pathway of a duplicate to the kept file.
func (s *Service) MergePerson(ctx context.Context, tx bun.Tx, orgID, fromID, intoID string) error {
	for _, t := range pathwayTables {
		if _, err := tx.NewUpdate().Table(t).Set("person_id = ?", intoID).Where("org_id = ? AND person_id = ?", orgID, fromID).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// PurgePerson removes the person's pathway. What is not personal stays for
// the delay statistics: the applications' right, site, dates and outcome
// (their note goes).
func (s *Service) PurgePerson(ctx context.Context, tx bun.Tx, orgID, personID string) error {
	for _, t := range pathwayTables {
		if t == "pathway_applications" {
			continue
		}
		if _, err := tx.NewDelete().Table(t).Where("org_id = ? AND person_id = ?", orgID, personID).Exec(ctx); err != nil {
			return err
		}
	}
	_, err := tx.NewUpdate().Model((*Application)(nil)).Set("note = ''").Set("owner_id = ''").Set("created_by = ''").
		Where("org_id = ? AND person_id = ?", orgID, personID).Exec(ctx)
	return err
}

// ExportPerson gives the pathway for the person's copy of their file: the
// objectives, steps, applications, referrals, volunteer missions and the
// notes written for them.
func (s *Service) ExportPerson(ctx context.Context, orgID, personID string) ([]people.ExportSection, error) {
	var out []people.ExportSection
	objs, err := s.objectives(ctx, personID)
	if err != nil {
		return nil, err
	}
	sec := people.ExportSection{Module: "pathway", Title: people.Message{Key: "pathway.export.objectives"}}
	for _, o := range objs {
		sec.Rows = append(sec.Rows, people.ExportRow{Label: people.Message{Key: "pathway.axis." + o.Axis}, Value: o.Title})
	}
	out = append(out, sec)
	steps, err := s.steps(ctx, personID)
	if err != nil {
		return nil, err
	}
	sec = people.ExportSection{Module: "pathway", Title: people.Message{Key: "pathway.export.steps"}}
	for _, st := range steps {
		sec.Rows = append(sec.Rows, people.ExportRow{Label: people.Message{Key: "pathway.step.status." + st.Status}, Value: st.Title, Date: st.DueOn})
	}
	out = append(out, sec)
	apps, err := s.applications(ctx, personID)
	if err != nil {
		return nil, err
	}
	sec = people.ExportSection{Module: "pathway", Title: people.Message{Key: "pathway.export.applications"}}
	for _, ap := range apps {
		d := ap.SubmittedOn
		if ap.DecidedOn != nil {
			d = ap.DecidedOn
		}
		sec.Rows = append(sec.Rows, people.ExportRow{Label: people.Message{Key: "pathway.export.application",
			Args: map[string]any{"Right": ap.Right, "Outcome": ap.Outcome}}, Value: ap.Note, Date: d})
	}
	out = append(out, sec)
	refs, err := s.referrals(ctx, personID)
	if err != nil {
		return nil, err
	}
	sec = people.ExportSection{Module: "pathway", Title: people.Message{Key: "pathway.export.referrals"}}
	for _, rf := range refs {
		t := rf.SentAt
		sec.Rows = append(sec.Rows, people.ExportRow{Label: people.Message{Key: "pathway.referral.status." + rf.Status},
			Value: rf.Organisation + " — " + rf.ServiceName + ": " + rf.Reason, Date: &t})
	}
	out = append(out, sec)
	ms, err := s.missions(ctx, personID)
	if err != nil {
		return nil, err
	}
	sec = people.ExportSection{Module: "pathway", Title: people.Message{Key: "pathway.export.missions"}}
	for _, m := range ms {
		d := m.OnDate
		v := m.Title
		if m.Report != "" {
			v += ": " + m.Report
		}
		sec.Rows = append(sec.Rows, people.ExportRow{Label: people.Message{Key: "pathway.mission.status." + m.Status}, Value: v, Date: &d})
	}
	out = append(out, sec)
	var notes []Note
	if err := s.DB.R.NewSelect().Model(&notes).Where("nt.org_id = ? AND nt.person_id = ? AND nt.for_person", orgID, personID).
		Order("nt.created_at").Scan(ctx); err != nil {
		return nil, err
	}
	sec = people.ExportSection{Module: "pathway", Title: people.Message{Key: "pathway.export.notes"}}
	for _, n := range notes {
		t := n.CreatedAt
		sec.Rows = append(sec.Rows, people.ExportRow{Label: people.Message{Key: "pathway.export.note"}, Value: n.Body, Date: &t})
	}
	return append(out, sec), nil
}

// DailyArgs is the daily job of the pathways: remind the senders of
// sleeping referrals.
type DailyArgs struct{}

// Kind names the job.
func (DailyArgs) Kind() string { return "pathway.daily" }

// DailyWorker runs DailyArgs.
type DailyWorker struct {
	river.WorkerDefaults[DailyArgs]
	S   *Service
	Log *slog.Logger
}

// Work sends the reminders due.
func (w *DailyWorker) Work(ctx context.Context, _ *river.Job[DailyArgs]) error {
	n, err := w.S.RemindSleeping(ctx)
	if w.Log != nil {
		w.Log.Info("pathway daily", "sleeping_referrals", n)
	}
	return err
}

// DailyJob runs the job every day at 8:00 in Paris.
func DailyJob() *river.PeriodicJob {
	return river.NewPeriodicJob(people.DailyAt{Hour: 8}, func() (river.JobArgs, *river.InsertOpts) { return DailyArgs{}, nil },
		&river.PeriodicJobOpts{ID: "pathway.daily"})
}
