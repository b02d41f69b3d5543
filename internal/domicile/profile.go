package domicile

import (
	"context"
	"strings"

	"github.com/uptrace/bun"
)

// The annual report (D264-8) counts the people domiciled at the end date
// by civility, age and the interview's categories. The latest grant of a
// file carries them (its "profile"), copied from the file, the person and
// the interview whenever one of them changes here, so that the report
// reads dom_decisions alone (reading the three tables for every election
// in force took seconds Paris-wide). A change of the birth date in the
// person's file shows at the next change of the domiciliation file.

// profileColumns are the profile's columns and the SQL that computes each
// one for the row of dom_decisions being updated.
var profileColumns = [][2]string{
	{"civility", "COALESCE((SELECT f.civility FROM dom_files AS f WHERE f.id = dom_decisions.file_id), '')"},
	{"birth_date", "(SELECT p.birth_date FROM dom_files AS f JOIN persons AS p ON p.id = f.person_id WHERE f.id = dom_decisions.file_id)"},
	{"birth_year", "COALESCE((SELECT p.birth_year FROM dom_files AS f JOIN persons AS p ON p.id = f.person_id WHERE f.id = dom_decisions.file_id), 0)"},
	{"household", interviewColumn("i.household")},
	{"cause", interviewColumn("i.cause")},
	{"link", interviewColumn("i.link")},
	{"motive", interviewColumn("i.reason")},
	{"residence", interviewColumn("i.residence")},
	{"support", interviewColumn("CASE WHEN i.support THEN 'yes' ELSE 'no' END")},
	{"work", interviewColumn("i.work")},
	{"dependants", "(SELECT COUNT(*) FROM dom_dependants AS dd WHERE dd.file_id = dom_decisions.file_id)"},
}

func interviewColumn(expr string) string {
	return "COALESCE((SELECT " + expr + " FROM dom_interviews AS i WHERE i.file_id = dom_decisions.file_id), '')"
}

// profileSet is the SET clause that refreshes a profile.
var profileSet = func() string {
	parts := make([]string, len(profileColumns))
	for i, c := range profileColumns {
		parts[i] = c[0] + " = " + c[1]
	}
	return strings.Join(parts, ", ")
}()

// refreshProfile copies the current characteristics of a file into its
// latest grant not undone, inside tx.
func refreshProfile(ctx context.Context, tx bun.IDB, fileID string) error {
	_, err := tx.NewRaw("UPDATE dom_decisions SET "+profileSet+" WHERE file_id = ? AND status = ? AND undone_at IS NULL AND seq = "+
		"(SELECT MAX(d2.seq) FROM dom_decisions AS d2 WHERE d2.file_id = ? AND d2.status = ? AND d2.undone_at IS NULL)",
		fileID, StatusValid, fileID, StatusValid).Exec(ctx)
	return err
}

// clearProfile removes the profile of every decision of a purged file
// (its counts become "not given", as its interview is gone).
func clearProfile(ctx context.Context, tx bun.IDB, fileID string) error {
	_, err := tx.NewUpdate().Model((*Decision)(nil)).
		Set("civility = '', birth_date = NULL, birth_year = 0, household = '', cause = '', link = '', motive = ''").
		Set("residence = '', support = '', work = ''").Where("file_id = ?", fileID).Exec(ctx)
	return err
}
