package main

import (
	"context"
	"fmt"
	"os"

	"parcours/internal/platform/db"
)

func main() {
	ctx := context.Background()
	d, err := db.Open(ctx, db.Options{Path: os.Args[1]})
	if err != nil {
		panic(err)
	}
	var org, user string
	d.R.NewRaw("SELECT org_id, id FROM users WHERE email = 'sw01@bench.invalid'").Scan(ctx, &org, &user)
	qs := map[string]string{
		"mine": "SELECT id FROM persons AS p WHERE p.org_id = '" + org + "' AND p.merged_into = '' AND p.anonymised_at IS NULL AND (p.referent_id = '" + user + "' OR p.id IN (SELECT person_id FROM person_team WHERE org_id = '" + org + "' AND user_id = '" + user + "')) ORDER BY p.sort_name, p.id LIMIT 50",
		"overdue": "SELECT id FROM pathway_steps AS st WHERE st.org_id = '" + org + "' AND st.owner_id = '" + user + "' AND st.open AND st.due_on < '2026-11-25' ORDER BY st.due_on LIMIT 50",
		"next": "SELECT id FROM pathway_steps AS st WHERE st.person_id IN ('a','b') AND st.open ORDER BY st.person_id, CASE WHEN st.due_on IS NULL THEN 1 ELSE 0 END, st.due_on",
		"expiring": "SELECT id FROM pathway_applications AS ap WHERE ap.org_id = '" + org + "' AND ap.owner_id = '" + user + "' AND ap.outcome = 'granted' AND ap.expires_on <= '2027-01-01' AND ap.expires_on >= '2026-10-01' ORDER BY ap.expires_on LIMIT 50",
		"sleeping": "SELECT id FROM pathway_referrals AS rf WHERE rf.org_id = '" + org + "' AND rf.sent_by = '" + user + "' AND rf.status = 'sent' AND rf.sent_at < '2026-11-15' ORDER BY rf.sent_at LIMIT 50",
		"tasks": "SELECT id FROM pathway_tasks AS tk WHERE tk.org_id = '" + org + "' AND tk.user_id = '" + user + "' AND tk.done_at IS NULL ORDER BY tk.created_at DESC LIMIT 50",
		"events": "SELECT id FROM person_events WHERE org_id = '" + org + "' AND person_id = 'x' AND audience IN ('') ORDER BY at DESC, id DESC LIMIT 100",
		"search": "SELECT id FROM persons AS p WHERE p.org_id = '" + org + "' AND p.merged_into = '' AND p.anonymised_at IS NULL AND p.id IN (SELECT person_id FROM person_name_keys WHERE org_id = '" + org + "' AND name_key >= 'mhm' AND name_key < 'mhmz') AND (p.site_id IN ('s') OR p.referent_id = 'u') ORDER BY p.sort_name, p.id LIMIT 30",
		"dups": "SELECT person_id FROM person_name_keys WHERE org_id = '" + org + "' AND name_key IN ('mhmd','bnl') GROUP BY person_id HAVING MAX(CASE WHEN name_key IN ('mhmd') THEN 1 ELSE 0 END) = 1 AND MAX(CASE WHEN name_key IN ('bnl') THEN 1 ELSE 0 END) = 1 LIMIT 200",
	}
	for name, q := range qs {
		rows, err := d.R.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q)
		if err != nil {
			fmt.Println(name, err)
			continue
		}
		fmt.Println("==", name)
		for rows.Next() {
			var id, parent, notused int
			var detail string
			rows.Scan(&id, &parent, &notused, &detail)
			fmt.Println("  ", detail)
		}
		rows.Close()
	}
}
