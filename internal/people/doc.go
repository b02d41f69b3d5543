// Package people holds the persons a centre accompanies: a minimal identity
// (names as written and in Latin letters, birth, languages, phone, language
// for messages, household), the administrative status with its document,
// consent per purpose, the referent and follow-up team, time-boxed sharing,
// and the timeline every module appends to. There is no field for
// ethnicity or religion, by design.
//
// # API for other modules
//
// The app builds one *Service and hands it to the modules that need it;
// below, "people" stands for that *people.Service.
// Every call takes the signed-in *auth.Principal (from auth.From(ctx)) and
// checks, in the service, what that user may see.
//
//	// Open: find a file the user may open. A file of another centre, or of
//	// another site without a share, team membership or referent role, is
//	// apperr NotFound (its existence is not told).
//	per, access, err := people.Find(ctx, p, personID)  // no audit entry: to name the person in your page
//	per, access, err := people.Read(ctx, p, personID, "domiciliation") // writes "person.read" to the audit trail
//	// access.Health / access.Legal tell whether the notes are shown; they
//	// are blanked in per otherwise. access.Manage: the user manages the site.
//
//	// Search in any spelling or script, and by birth or phone (scoped).
//	list, err := people.Search(ctx, p, people.Query{Name: "Abd el Kader", Birth: "1990", Prefix: true})
//
//	// Create with the duplicate check: with candidates and without
//	// NotADuplicate, nothing is created and err == people.ErrDuplicates.
//	per, candidates, err := people.Create(ctx, p, people.Input{...}, people.CreateOptions{})
//	candidates, err := people.Duplicates(ctx, p, input, exceptID)
//	err := people.Validate(&input)                       // normalise and check a form without writing
//	per, err := people.CreateTx(ctx, tx, p, input, opts)  // inside your transaction (run Duplicates first)
//
//	// Consent: block what needs it. Errors are apperr Forbidden with the
//	// message "people.consent.missing.<purpose>".
//	err := people.RequireConsent(ctx, personID, people.PurposeSMS)
//	err := people.RequirePartnerConsent(ctx, personID, "Cimade Paris")
//	ok, err := people.HasConsent(ctx, tx, personID, people.PurposeSMS, "") // inside a job's transaction
//
//	// Timeline: append inside your own transaction (with your audit entry).
//	err := people.Append(ctx, tx, p.OrgID, people.Event{
//		PersonID: id, Kind: "domiciliation.mail_received",
//		Summary:  people.Message{Key: "domiciliation.event.mail", Args: map[string]any{"Count": 2}},
//		Link:     "/domiciliation/" + id, // without the language prefix
//		Contact:  true,                   // the person came: restarts the retention clock
//	})
//	// Audience AudienceHealth or AudienceLegal hides an event from users
//	// who may not see health or legal notes. Timeline arguments named User,
//	// Site, Status, Purpose and Right hold IDs; the page shows their names.
//
//	// Sharing: a partner share needs the person's consent to share with
//	// that partner; access ends on EndsOn by itself (reads check the date,
//	// SweepShares closes the rows).
//	share, err := people.ShareTx(ctx, tx, p, per, people.ShareInput{Kind: people.SharePartner, ...})
//	err := people.EndSharesTx(ctx, tx, orgID, personID, "referral:"+id)
//	pp, err := people.PartnerView(ctx, partnerPrincipal, personID, "referral:"+id) // the shared fields only, audited
//	// A volunteer share (a mission) needs the consent to a volunteer's
//	// accompaniment and a volunteer of the file's site; it never shows the
//	// notes. Withdrawing a consent ends the shares that rested on it.
//	share, err := people.ShareTx(ctx, tx, p, per, people.ShareInput{Kind: people.ShareVolunteer, UserID: volunteerID, ...})
//	pp, err := people.VolunteerView(ctx, volunteerPrincipal, personID, "mission:"+id)
//	live, err := people.VolunteerSources(ctx, volunteerPrincipal) // sources of the shares in force
//	live, err := people.LiveSources(ctx, orgID, personID)         // the same, for one file
//	vols, err := people.Volunteers(ctx, per)                       // who may be given a mission
//
//	// Household members (the counters stay at least what the list needs).
//	ms, err := people.Household(ctx, p, personID)
//	m, err := people.SaveMember(ctx, p, personID, "", people.MemberInput{GivenName: "Awa", Relation: "child", BirthYear: 2019})
//
//	// Follow-up: people.Mine(ctx, p, 50) lists the user's files (referent or
//	// team); Team, SetReferent, AddToTeam, RemoveFromTeam manage the team.
//
// A module that keeps data about persons implements Hook (MergePerson,
// PurgePerson, ExportPerson) and is added to Service.Hooks in app.go: a
// merge moves its rows, an erasure or the retention purge removes them, the
// person's export includes them. A module that adds to the person's page
// implements Panel and is added to HTTP.Panels.
//
// # Visibility
//
// See access.go: site scoping (PermPersonRead in the file's site), the
// referent, the follow-up team and site shares open a file; health notes
// need PermPersonHealth, legal notes PermPersonLegal; merging, rectifying,
// erasing and exporting need PermPersonManage in the file's site. Partners
// and volunteers never open files: they see what a referral (PartnerView)
// or a mission (VolunteerView) shares. Every read of a file is written to the audit trail
// (action "person.read", with the view and why the file is open).
//
// # Names
//
// names.go reduces names to keys that are the same for the usual spellings
// and transliterations (Mohammed/Mohamed/Muhammad/محمد, Abdelkader/Abd el
// Kader/عبد القادر). Search and the duplicate check compare keys.
//
// # Retention
//
// Files without contact coming from the person for Service.Retention
// (PARCOURS_PEOPLE_RETENTION, default 2 years) are put on the retention
// report by the nightly job (the dry run, GET /people/retention), then
// anonymised RetentionGrace later unless the person came back or a manager
// kept the file.
package people
