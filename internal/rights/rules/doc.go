// Package rules is the eligibility simulator of parcours: the rights of people
// with a migration background, written as small, dated Go rules.
//
// The rules come from the project's research note (shared/domain/rights.md).
// Each right has its own file (puma.go, css.go, ame.go, ...) with the legal
// references next to the code, and its own table-driven test file.
//
// Principles:
//
//   - The simulator answers, for one Situation at one date, whether each right
//     is open: eligible, not eligible, maybe (needs checking) or unknown.
//   - Every reason is an i18n message ID (prefix "rights.") with named
//     arguments; the French and English texts are in locales/rights.*.json.
//   - Amounts and ceilings are dated parameters (see ParamAt). A date before the
//     first known value gives "unknown"; a date after the last known period
//     gives the last value as an indication only, flagged unconfirmed.
//   - A rule marked UNCONFIRMED in the research note is flagged in the answer
//     (Message.Unconfirmed, RightResult.Unconfirmed) and never yields a certain
//     outcome: a decisive unconfirmed reason turns the outcome into "maybe".
//   - Rules are modelled from ModelStart (1 May 2021, when CESEDA was
//     renumbered); a simulation at an earlier date answers "unknown".
//
// The package is pure: no database, no HTTP, no clock (the date is a
// parameter), standard library only.
package rules
