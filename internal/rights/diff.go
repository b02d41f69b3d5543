package rights

import (
	"strings"

	"parcours/internal/rights/sheets"
)

// DiffLine is one line of a comparison between two versions.
type DiffLine struct {
	Op   byte // ' ' kept, '-' removed, '+' added
	Text string
}

// Removed and Added tell the template how to show the line.
func (l DiffLine) Removed() bool { return l.Op == '-' }

// Added reports whether the line is new.
func (l DiffLine) Added() bool { return l.Op == '+' }

// SectionDiff compares one section of two versions.
type SectionDiff struct {
	Heading string
	Changed bool
	Lines   []DiffLine
}

// diffSheets compares two versions section by section (the Markdown, line
// by line); the title is compared as a section of its own.
func diffSheets(old, cur sheets.Sheet, titleLabel string) []SectionDiff {
	out := []SectionDiff{diffSection(titleLabel, old.Title, cur.Title)}
	for i, s := range cur.Sections {
		prev := ""
		if i < len(old.Sections) {
			prev = old.Sections[i].Body
		}
		out = append(out, diffSection(s.Heading, prev, s.Body))
	}
	return out
}

func diffSection(heading, a, b string) SectionDiff {
	d := SectionDiff{Heading: heading}
	if a == b {
		return d
	}
	d.Changed = true
	d.Lines = diffLines(strings.Split(a, "\n"), strings.Split(b, "\n"))
	return d
}

// diffLines is a longest-common-subsequence diff; sections are a few dozen
// lines, so the quadratic table is small.
func diffLines(a, b []string) []DiffLine {
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []DiffLine
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i] == b[j]:
			out = append(out, DiffLine{' ', a[i]})
			i++
			j++
		case lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, DiffLine{'-', a[i]})
			i++
		default:
			out = append(out, DiffLine{'+', b[j]})
			j++
		}
	}
	for ; i < n; i++ {
		out = append(out, DiffLine{'-', a[i]})
	}
	for ; j < m; j++ {
		out = append(out, DiffLine{'+', b[j]})
	}
	return out
}
