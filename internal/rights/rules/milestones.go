package rules

// Dated legal changes the rules depend on. Each is taken from rights.md;
// the section is given next to the date.
var (
	// ModelStart is the earliest date the rules are modelled for: the
	// renumbering of CESEDA on 1 May 2021 (rights.md, header). Every rule cites
	// post-2021 article numbers and sources; earlier dates answer "unknown".
	ModelStart = MustDate("2021-05-01")

	// RSAAutoCSSSince: RSA recipients have received CSS automatically "since
	// 2022" (rights.md §0.2); the first day of 2022 is used.
	RSAAutoCSSSince = MustDate("2022-01-01")

	// OQTF2024Since: new delays to challenge an OQTF and a Dublin transfer
	// (loi 2024-42, décret 2024-799), from 15 Jul 2024 (rights.md §3, §4).
	OQTF2024Since = MustDate("2024-07-15")

	// AME50LastSeen: the last IDFM page read that advertises the Réduction
	// 50 % for AME holders dates from 2025 (rights.md §0.5, §13).
	AME50LastSeen = MustDate("2025-12-31")

	// Integration2026Since: A2 + civic exam for a first multi-year card, B1
	// for a first resident card (rights.md §0.7).
	Integration2026Since = MustDate("2026-01-01")

	// AMEDecree2026: décret 2026-67 of 6 Feb 2026 on AME supporting
	// documents (rights.md §0.2); its entry-into-force date was not read, the
	// décret's date is used and the note is flagged.
	AMEDecree2026 = MustDate("2026-02-06")

	// PactSince: the EU Pact on Migration and Asylum applies (rights.md,
	// header). The asylum rules here are pre-Pact CESEDA rules; whether a
	// French adaptation law followed is UNCONFIRMED.
	PactSince = MustDate("2026-06-12")
)
