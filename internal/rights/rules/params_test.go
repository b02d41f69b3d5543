package rules

import "testing"

func TestParamAt(t *testing.T) {
	for _, tc := range []struct {
		name        string
		param       string
		at          string
		status      ParamStatus
		value       int64
		unconfirmed bool
	}{
		{"RSA before the first known value", ParamRSASingle, "2025-03-31", ParamUnknown, 0, false},
		{"RSA April 2025 (décret 2025-293)", ParamRSASingle, "2025-04-01", ParamKnown, 64652, false},
		{"RSA April 2026 is unconfirmed", ParamRSASingle, "2026-04-01", ParamKnown, 65169, true},
		{"CSS 2023 one person", ParamCSSFree1, "2023-04-01", ParamKnown, 971900, false},
		{"CSS 2024 one person", ParamCSSFree1, "2025-03-31", ParamKnown, 1016600, false},
		{"CSS 2025 one person", ParamCSSFree1, "2026-03-31", ParamKnown, 1033900, false},
		{"CSS after 31 Mar 2026 is stale", ParamCSSFree1, "2026-04-01", ParamStale, 1033900, true},
		{"CSS two persons before 2025 unknown", ParamCSSFree2, "2024-06-01", ParamUnknown, 0, false},
		{"CSS with contribution 2025", ParamCSSContrib1, "2025-06-01", ParamKnown, 1395700, false},
		{"ADA base from 1 Nov 2015", ParamADABase, "2015-11-01", ParamKnown, 680, false},
		{"ADA before 1 Nov 2015", ParamADABase, "2015-10-31", ParamUnknown, 0, false},
		{"ADA supplement before 2 Jun 2018 (OpenFisca test, unconfirmed)", ParamADANoHousing, "2018-06-01", ParamKnown, 420, true},
		{"ADA supplement from 2 Jun 2018 (décret 2018-426)", ParamADANoHousing, "2018-06-02", ParamKnown, 740, false},
		{"Navigo 50 % 2025", ParamNavigoMonth50, "2025-01-01", ParamKnown, 4440, false},
		{"student work limit", ParamStudentWorkHours, "2025-01-01", ParamKnown, 964, false},
		{"unknown parameter", "no.such.param", "2025-01-01", ParamUnknown, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := ParamAt(tc.param, d(tc.at))
			if p.Status != tc.status || p.Value != tc.value || p.Unconfirmed != tc.unconfirmed {
				t.Errorf("ParamAt = %+v, want status %s value %d unconfirmed %v", p, tc.status, tc.value, tc.unconfirmed)
			}
		})
	}
	if p := ParamAt(ParamRSASingle, Date{}); p.Status != ParamUnknown {
		t.Errorf("zero date: %+v", p)
	}
}

func TestCSSCeiling(t *testing.T) {
	for _, tc := range []struct {
		kind   CSSKind
		n      int
		at     string
		want   int64
		status ParamStatus
	}{
		{CSSFree, 1, "2025-06-01", 1033900, ParamKnown},
		{CSSFree, 0, "2025-06-01", 1033900, ParamKnown},
		{CSSFree, 3, "2025-06-01", 1860900, ParamKnown},
		{CSSFree, 5, "2025-06-01", 2171100 + 413500, ParamKnown},
		{CSSContribution, 4, "2025-06-01", 2931100, ParamKnown},
		{CSSContribution, 7, "2025-06-01", 2931100 + 3*558300, ParamKnown},
		{CSSFree, 5, "2024-06-01", 0, ParamUnknown},
		{CSSFree, 6, "2026-06-01", 2171100 + 2*413500, ParamStale},
	} {
		p := CSSCeiling(tc.kind, tc.n, d(tc.at))
		if p.Value != tc.want || p.Status != tc.status {
			t.Errorf("CSSCeiling(%d, %d, %s) = %d %s, want %d %s", tc.kind, tc.n, tc.at, p.Value, p.Status, tc.want, tc.status)
		}
	}
}

func TestParamTableIsOrdered(t *testing.T) {
	for _, name := range ParamNames() {
		h := ParamHistory(name)
		if len(h) == 0 {
			t.Errorf("%s: no value", name)
		}
		for i, p := range h {
			if p.Source == "" {
				t.Errorf("%s: value %d has no source", name, i)
			}
			if !p.Until.IsZero() && p.Until.Before(p.From) {
				t.Errorf("%s: period %d ends before it starts", name, i)
			}
			if i > 0 && !h[i-1].From.Before(p.From) {
				t.Errorf("%s: values are not sorted", name)
			}
			if i > 0 && !h[i-1].Until.IsZero() && !h[i-1].Until.Before(p.From) {
				t.Errorf("%s: periods overlap", name)
			}
		}
	}
}
