package domicile

import (
	"context"
	"time"

	"parcours/internal/platform/apperr"
	"parcours/internal/platform/audit"
	"parcours/internal/platform/auth"
)

// The centre's own letters, printed from the browser (print CSS): the
// refusal (L264-4: reasoned, with the referral and the appeal routes),
// the end of the domiciliation (L264-5), and the renewal reminder
// (renewable as of right, L264-2; advised two months before the end).
const (
	LetterRefusal = "refusal"
	LetterEnd     = "end"
	LetterRenewal = "renewal"
)

// Letters lists the letters.
var Letters = []string{LetterRefusal, LetterEnd, LetterRenewal}

// Letter is what a letter prints.
type Letter struct {
	Kind     string
	Entry    *Entry
	Settings *Settings
	// Decision is the refusal or the radiation the letter notifies.
	Decision *Decision
	Date     time.Time
}

// Letter gathers a letter for a file (and records the print in the audit
// trail); the letter needs the matching decision.
func (s *Service) Letter(ctx context.Context, p *auth.Principal, id, kind string) (*Letter, error) {
	if !oneOf(Letters, kind) {
		return nil, apperr.ErrNotFound
	}
	e, err := s.Entry(ctx, p, id, auth.PermDomicileInstruct, "")
	if err != nil {
		return nil, err
	}
	f := e.File
	st, err := s.Settings(ctx, s.DB.R, f.OrgID, f.SiteID)
	if err != nil {
		return nil, err
	}
	l := &Letter{Kind: kind, Entry: e, Settings: st, Date: s.today()}
	switch kind {
	case LetterRefusal, LetterEnd:
		want := StatusRefused
		if kind == LetterEnd {
			want = StatusEnded
		}
		if l.Decision, err = s.lastDecision(ctx, f.ID); err != nil {
			return nil, err
		}
		if l.Decision.Status != want {
			return nil, apperr.New(apperr.Conflict, "domicile.letter.no_decision")
		}
	case LetterRenewal:
		if f.Status != StatusValid || f.EndOn == nil {
			return nil, apperr.New(apperr.Conflict, "domicile.letter.no_decision")
		}
	}
	err = s.Audit.RecordNow(ctx, audit.Event{Action: "domicile.letter", ObjectType: "domicile_file", ObjectID: f.ID, SiteID: f.SiteID,
		Details: map[string]any{"letter": kind, "person": f.Person()}})
	return l, err
}
