package pathway

import (
	"context"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/people"
	"parcours/internal/platform/apperr"
	"parcours/internal/platform/auth"
)

// PersonRow is a file of "my people" with its next step.
type PersonRow struct {
	Person people.Person
	Next   *Step
}

// Worklists are what the signed-in user has to do.
type Worklists struct {
	Mine     []PersonRow
	Overdue  []Step
	DueSoon  []Step
	Sleeping []Referral
	Expiring []Application
	Tasks    []Task
	// Names maps the persons of the lists to their names.
	Names map[string]string
	Today time.Time
}

// worklistLimit bounds each list.
const worklistLimit = 50

// Worklists gathers the user's lists: their people (referent or team) with
// the next step, their overdue steps and those due within DueSoonDays,
// their referrals without an answer for SleepingAfter, the rights expiring
// within ExpiringDays of the applications they own, and their items.
func (s *Service) Worklists(ctx context.Context, p *auth.Principal) (*Worklists, error) {
	if p == nil || !p.Can(auth.PermPersonRead) {
		return nil, apperr.ErrForbidden
	}
	today := s.today()
	w := &Worklists{Today: today, Names: map[string]string{}}
	mine, err := s.People.Mine(ctx, p, worklistLimit)
	if err != nil {
		return nil, err
	}
	names := w.Names
	for _, per := range mine {
		w.Mine = append(w.Mine, PersonRow{Person: per})
		names[per.ID] = per.ListName()
	}
	if err := s.nextSteps(ctx, w.Mine); err != nil {
		return nil, err
	}
	open := s.DB.R.NewSelect().Model(&w.Overdue).Where("st.org_id = ? AND st.owner_id = ? AND st.open = ? AND st.due_on < ?", p.OrgID, p.UserID, true, today)
	if err := open.Order("st.due_on").Limit(worklistLimit).Scan(ctx); err != nil {
		return nil, err
	}
	if err := s.DB.R.NewSelect().Model(&w.DueSoon).Where("st.org_id = ? AND st.owner_id = ? AND st.open = ? AND st.due_on >= ? AND st.due_on <= ?",
		p.OrgID, p.UserID, true, today, today.AddDate(0, 0, DueSoonDays)).Order("st.due_on").Limit(worklistLimit).Scan(ctx); err != nil {
		return nil, err
	}
	if err := s.DB.R.NewSelect().Model(&w.Sleeping).Where("rf.org_id = ? AND rf.sent_by = ? AND rf.status = 'sent' AND rf.sent_at < ?",
		p.OrgID, p.UserID, s.Clock.Now().Add(-SleepingAfter)).Order("rf.sent_at").Limit(worklistLimit).Scan(ctx); err != nil {
		return nil, err
	}
	if err := s.DB.R.NewSelect().Model(&w.Expiring).Where("ap.org_id = ? AND ap.owner_id = ? AND ap.outcome = 'granted' AND ap.expires_on <= ? AND ap.expires_on >= ?",
		p.OrgID, p.UserID, today.AddDate(0, 0, ExpiringDays), today.AddDate(0, 0, -30)).Order("ap.expires_on").Limit(worklistLimit).Scan(ctx); err != nil {
		return nil, err
	}
	if err := s.DB.R.NewSelect().Model(&w.Tasks).Where("tk.org_id = ? AND tk.user_id = ? AND tk.done_at IS NULL", p.OrgID, p.UserID).
		Order("tk.created_at DESC").Limit(worklistLimit).Scan(ctx); err != nil {
		return nil, err
	}
	var ids []string
	for _, r := range w.Overdue {
		ids = append(ids, r.PersonID)
	}
	for _, r := range w.DueSoon {
		ids = append(ids, r.PersonID)
	}
	for _, r := range w.Sleeping {
		ids = append(ids, r.PersonID)
	}
	for _, r := range w.Expiring {
		ids = append(ids, r.PersonID)
	}
	for _, r := range w.Tasks {
		ids = append(ids, r.PersonID)
	}
	if err := s.personNames(ctx, p.OrgID, ids, names); err != nil {
		return nil, err
	}
	return w, nil
}

// personNames fills names with the display names of the persons ids.
func (s *Service) personNames(ctx context.Context, orgID string, ids []string, names map[string]string) error {
	ids = slices.DeleteFunc(slices.Compact(slices.Sorted(slices.Values(ids))), func(id string) bool { _, ok := names[id]; return ok })
	if len(ids) == 0 {
		return nil
	}
	// By primary key only: next to a list of IDs, a centre condition would
	// lead SQLite (without statistics) to scan the centre's index.
	var ps []people.Person
	if err := s.DB.R.NewSelect().Model(&ps).Column("id", "org_id", "given_name", "family_name", "given_latin", "family_latin", "anonymised_at").
		Where("p.id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return err
	}
	for _, per := range ps {
		if per.OrgID == orgID {
			names[per.ID] = per.ListName()
		}
	}
	return nil
}

// nextSteps fills the next step of each row, in one query.
func (s *Service) nextSteps(ctx context.Context, rows []PersonRow) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.Person.ID
	}
	var steps []Step
	if err := s.DB.R.NewSelect().Model(&steps).Where("st.person_id IN (?) AND st.open", bun.List(ids)).
		OrderExpr("st.person_id, CASE WHEN st.due_on IS NULL THEN 1 ELSE 0 END, st.due_on, st.created_at").Scan(ctx); err != nil {
		return err
	}
	first := map[string]*Step{}
	for i := range steps {
		if _, ok := first[steps[i].PersonID]; !ok {
			first[steps[i].PersonID] = &steps[i]
		}
	}
	for i := range rows {
		rows[i].Next = first[rows[i].Person.ID]
	}
	return nil
}

// Inbox lists the referrals sent to the partner user's organisation: live
// ones first, then the closed ones of the last 90 days.
func (s *Service) Inbox(ctx context.Context, p *auth.Principal) ([]Referral, error) {
	if p == nil || !p.Can(auth.PermReferralInbox) {
		return nil, apperr.ErrForbidden
	}
	key := partnerKey(p.PartnerOrg)
	if key == "" {
		return nil, nil
	}
	var out []Referral
	err := s.DB.R.NewSelect().Model(&out).Where("rf.org_id = ? AND rf.partner_key = ?", p.OrgID, key).
		Where("rf.status IN ('sent', 'accepted') OR rf.closed_at >= ?", s.Clock.Now().AddDate(0, 0, -90)).
		OrderExpr("CASE rf.status WHEN 'sent' THEN 0 WHEN 'accepted' THEN 1 ELSE 2 END, rf.sent_at DESC").Limit(200).Scan(ctx)
	// No names in the list: the partner opens a referral to see what it
	// shares, and that read is audited.
	return out, err
}

// InboxItem is a referral opened by its partner, with the shared fields.
type InboxItem struct {
	Referral *Referral
	Person   *people.PartnerPerson // nil once the share has ended
}

// OpenReferral returns a referral of the partner's organisation with the
// fields it shares (the read is written to the audit trail).
func (s *Service) OpenReferral(ctx context.Context, p *auth.Principal, id string) (*InboxItem, error) {
	if p == nil || !p.Can(auth.PermReferralInbox) || partnerKey(p.PartnerOrg) == "" {
		return nil, apperr.ErrNotFound
	}
	rf, err := s.referral(ctx, s.DB.R, p.OrgID, id)
	if err != nil {
		return nil, err
	}
	if rf.PartnerKey != partnerKey(p.PartnerOrg) {
		return nil, apperr.ErrNotFound
	}
	it := &InboxItem{Referral: rf}
	pp, err := s.People.PartnerView(ctx, p, rf.PersonID, rf.Source())
	switch {
	case err == nil:
		it.Person = pp
	case !apperr.Is(err, apperr.NotFound):
		return nil, err
	}
	return it, nil
}
