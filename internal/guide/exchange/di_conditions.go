package exchange

import (
	"regexp"
	"slices"
	"strings"
)

// data·inclusion's conditions_acces ("pre-requisites and supporting
// documents") carries, beyond the service's note on the documents to
// bring, what the guide says about them with its own fields: the
// "documents to bring" checklists (a line with their public pages) and
// "no identity or residence papers asked" (a line of its own). The export
// writes these lines after the note; the import reads them back into the
// checklists and the flag and keeps the rest as the note, so that they
// survive a round trip. The lines are French, as data·inclusion is.
const (
	noPapersLine   = "Sans papiers demandés : aucun document d'identité ni titre de séjour n'est exigé."
	checklistsHead = "Listes des documents à apporter : "
	// maxNote is the guide's limit on the documents note.
	maxNote = 1000
	// maxConditions bounds conditions_acces: the note and the lines.
	maxConditions = 4000
)

// checklistURL finds the checklist pages of a line.
var checklistURL = regexp.MustCompile(`https?://[^\s()<>]+/guide/checklists/([a-z0-9-]+)`)

// exportConditions writes conditions_acces: the note, then the lines.
func exportConditions(note string, noPapers bool, slugs []string, base string) string {
	lines := []string{}
	if note = strings.TrimSpace(note); note != "" {
		lines = append(lines, note)
	}
	if len(slugs) > 0 {
		var items []string
		for _, slug := range slugs {
			items = append(items, checklistTitle(slug, "fr")+" ("+base+"/fr/guide/checklists/"+slug+")")
		}
		lines = append(lines, checklistsHead+strings.Join(items, " ; "))
	}
	if noPapers {
		lines = append(lines, noPapersLine)
	}
	return strings.Join(lines, "\n")
}

// importConditions reads conditions_acces back: the note, the checklists
// of a checklists line (nil when there is none) and whether it says no
// papers are asked. A line that names an unknown checklist stays in the
// note.
func importConditions(s string) (note string, slugs []string, noPapers bool) {
	var rest []string
	for _, line := range strings.Split(s, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == noPapersLine:
			noPapers = true
			continue
		case strings.HasPrefix(t, checklistsHead):
			found := checklistURL.FindAllStringSubmatch(t, -1)
			known := len(found) > 0
			var got []string
			for _, m := range found {
				if _, ok := checklistTitles[m[1]]; !ok {
					known = false
				}
				if !slices.Contains(got, m[1]) {
					got = append(got, m[1])
				}
			}
			if known {
				slugs = got
				continue
			}
		}
		rest = append(rest, line)
	}
	return strings.TrimSpace(strings.Join(rest, "\n")), slugs, noPapers
}
