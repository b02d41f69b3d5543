// Package domicile is the domiciliation of people without a stable address:
// the request and its interview, the decisions and their attestations on the
// official forms, the mail register, the contact log, proxies and
// forwarding, SMS, the person's read-only portal, the annual activity
// report, import, export and retention.
//
// The rules come from the Code de l'action sociale et des familles (CASF)
// and from the reference public system DomiFa; each rule names its article
// where it is applied:
//
//   - L264-1: domiciliation at a CCAS/CIAS or an approved body gives access
//     to rights; the attestation names the organisation and its address.
//   - L264-2: granted for a limited time, renewable as of right; a foreigner
//     without a residence permit may be domiciled for AME, legal aid and
//     civil rights only (the "restricted" flag).
//   - L264-4: a CCAS or CIAS may refuse only for lack of a link with the
//     commune, with a reasoned decision and a referral (R264-4 defines the
//     link).
//   - L264-5 and D264-3: the election ends at the person's request, when
//     they find a stable home, or when they have not come nor contacted the
//     body for more than three consecutive months, unless for health or
//     deprivation of liberty; the body keeps a record of contacts.
//   - D264-1: one year; a receipt for the request and a reply within two
//     months; official models (CERFA 16029*01 and 16030*01).
//   - D264-2: an interview for every first request and renewal; one
//     domiciliation at a time.
//   - D264-8: the yearly activity report (people domiciled at the end date,
//     elections, radiations and refusals with their reasons).
//
// A domiciled person is a file of package people (found in any spelling,
// created with the duplicate check); this package keeps the domiciliation
// file, linked by person_id, and implements people.Hook (merge, purge,
// export) and people.Panel (a part of the person's page).
//
// Who may do what (see auth/roles.go, after DomiFa's role matrix):
// PermDomicileMail (reception: mail, contacts, proxies, forwarding, card,
// attestation re-prints), PermDomicileInstruct (social workers: requests,
// interviews, radiation, renewal requests), PermDomicileDecide (site
// managers and administrators: grant or refuse, undo the last decision),
// PermDomicileManage (settings, import, export, retention).
package domicile
