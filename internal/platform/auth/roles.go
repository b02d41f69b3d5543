package auth

import "slices"

// Role is a job a user holds in one or more sites.
type Role string

// Roles, as the centre names them.
const (
	Admin                Role = "admin"
	SiteManager          Role = "site_manager"
	SocialWorker         Role = "social_worker"
	ReceptionAgent       Role = "reception_agent"
	LegalSpecialist      Role = "legal_specialist"
	Partner              Role = "partner"
	VolunteerCoordinator Role = "volunteer_coordinator"
	Volunteer            Role = "volunteer"
	Translator           Role = "translator"
)

// Roles lists every role in the order shown in forms.
var Roles = []Role{Admin, SiteManager, SocialWorker, ReceptionAgent, LegalSpecialist, Partner,
	VolunteerCoordinator, Volunteer, Translator}

// ValidRole reports whether r is a known role.
func ValidRole(r string) bool { return slices.Contains(Roles, Role(r)) }

// MessageKey is the role's label in the catalogs.
func (r Role) MessageKey() string { return "auth.role." + string(r) }

// Perm is something a role may do. The whole matrix is in this file, so
// who may do what is reviewed in one place.
type Perm string

// Permissions.
const (
	// PermStaff: use the staff area at all.
	PermStaff Perm = "staff"
	// PermSitesView: see the sites one works in (all of them for admins).
	PermSitesView Perm = "sites.view"
	// PermSitesManage: create, edit and archive sites.
	PermSitesManage Perm = "sites.manage"
	// PermUsersManage: create and edit users (site managers: in their sites,
	// with roles below theirs).
	PermUsersManage Perm = "users.manage"
	// PermAuditRead: browse the audit trail.
	PermAuditRead Perm = "audit.read"
	// PermOutboxRead: read the outgoing messages (e-mail and SMS).
	PermOutboxRead Perm = "outbox.read"
	// PermPersonRead: open a person's file.
	PermPersonRead Perm = "person.read"
	// PermReferralInbox: see the referrals sent to one's organisation.
	PermReferralInbox Perm = "referral.inbox"
	// PermVolunteersManage: coordinate volunteers and missions.
	PermVolunteersManage Perm = "volunteers.manage"
	// PermTranslate: review translations.
	PermTranslate Perm = "translate"
	// PermRightsRead: read the status fact sheets, use the rights simulator
	// and the legal triage grid (the professionals who receive people).
	PermRightsRead Perm = "rights.read"
	// PermSheetsEdit: edit the fact sheets and mark them reviewed (and get
	// the review reminders).
	PermSheetsEdit Perm = "rights.sheets.edit"
	// PermPersonHealth: read and write the health note of a person's file
	// and the follow-up notes for social workers.
	PermPersonHealth Perm = "person.health"
	// PermPersonLegal: read and write the legal note, the legal triage grid
	// and the follow-up notes for the legal follow-up.
	PermPersonLegal Perm = "person.legal"
	// PermPersonManage: merge duplicates, rectify and erase a file, export it
	// for the person, review the retention report.
	PermPersonManage Perm = "person.manage"
	// PermPathwayStats: read the delays and statistics of the pathways.
	PermPathwayStats Perm = "pathway.stats"
	// PermMissionAssign: give a volunteer of the file's site a mission for a
	// person (what, when, the fields the volunteer sees), or withdraw it.
	PermMissionAssign Perm = "mission.assign"
	// PermMissions: a volunteer's own missions: the fields each shares, and
	// the report when it is done.
	PermMissions Perm = "missions.own"
	// PermGlossaryAudio: upload and remove the human recordings of the
	// guide's glossary words (translators and administrators).
	PermGlossaryAudio Perm = "glossary.audio"
	// PermGuideEdit: edit the public guide (organisations, services, places,
	// hours, translations as drafts) and get its freshness reminders.
	PermGuideEdit Perm = "guide.edit"
	// Domiciliation (internal/domicile), after DomiFa's role matrix:
	// PermDomicileMail: the reception desk: record mail in and out,
	// contacts, proxies and forwarding, print the card and re-print
	// attestations (DomiFa: every role but the postman prints CERFAs).
	PermDomicileMail Perm = "domicile.mail"
	// PermDomicileInstruct: take requests and renewals, hold the interview,
	// radiate (DomiFa "instructeur": not validate nor refuse).
	PermDomicileInstruct Perm = "domicile.instruct"
	// PermDomicileDecide: grant or refuse an election and undo the last
	// decision (DomiFa "gestionnaire" and "administrateur").
	PermDomicileDecide Perm = "domicile.decide"
	// PermDomicileManage: the site's domiciliation settings (SMS, portal,
	// CERFA header), import, export and the retention report.
	PermDomicileManage Perm = "domicile.manage"
)

var matrix = map[Role][]Perm{
	Admin:                {PermStaff, PermSitesView, PermSitesManage, PermUsersManage, PermAuditRead, PermOutboxRead, PermPersonRead, PermVolunteersManage, PermTranslate, PermRightsRead, PermSheetsEdit, PermPersonManage, PermPathwayStats, PermMissionAssign, PermGuideEdit, PermGlossaryAudio, PermDomicileMail, PermDomicileInstruct, PermDomicileDecide, PermDomicileManage},
	SiteManager:          {PermStaff, PermSitesView, PermUsersManage, PermPersonRead, PermRightsRead, PermPersonManage, PermPathwayStats, PermMissionAssign, PermGuideEdit, PermDomicileMail, PermDomicileInstruct, PermDomicileDecide, PermDomicileManage},
	SocialWorker:         {PermStaff, PermSitesView, PermPersonRead, PermRightsRead, PermPersonHealth, PermPersonLegal, PermMissionAssign, PermGuideEdit, PermDomicileMail, PermDomicileInstruct},
	ReceptionAgent:       {PermStaff, PermSitesView, PermPersonRead, PermRightsRead, PermDomicileMail},
	LegalSpecialist:      {PermStaff, PermSitesView, PermPersonRead, PermRightsRead, PermSheetsEdit, PermPersonLegal},
	Partner:              {PermStaff, PermReferralInbox},
	VolunteerCoordinator: {PermStaff, PermSitesView, PermVolunteersManage},
	Volunteer:            {PermStaff, PermMissions},
	Translator:           {PermStaff, PermTranslate, PermGlossaryAudio},
}

// Grants reports whether role r has permission p.
func (r Role) Grants(p Perm) bool { return slices.Contains(matrix[r], p) }

// RequiresMFA reports whether the role can see a person's data, and so
// must sign in with a second factor: every role except translators (who
// see texts, never a person). Volunteers see the names and phones a
// mission shares, so they need it too.
func (r Role) RequiresMFA() bool {
	return r != Translator
}

// AssignableBy lists the roles a user with role r may give to others.
func (r Role) AssignableBy() []Role {
	switch r {
	case Admin:
		return Roles
	case SiteManager:
		return []Role{SocialWorker, ReceptionAgent, LegalSpecialist, VolunteerCoordinator, Volunteer, Translator}
	}
	return nil
}
