package rules

// StatusID identifies an administrative status (closed list, stable IDs).
type StatusID string

// The statuses of rights.md, §1 to §11.
const (
	StatusAsylumNormal           StatusID = "asylum_normal"            // §1 demandeur d'asile, procédure normale
	StatusAsylumAccelerated      StatusID = "asylum_accelerated"       // §2 procédure accélérée
	StatusAsylumDublin           StatusID = "asylum_dublin"            // §3 procédure Dublin
	StatusAsylumRefused          StatusID = "asylum_refused"           // §4 débouté du droit d'asile
	StatusRefugee                StatusID = "refugee"                  // §5 réfugié
	StatusSubsidiaryProtection   StatusID = "subsidiary_protection"    // §6 protection subsidiaire
	StatusStateless              StatusID = "stateless"                // §7 apatride reconnu
	StatusStatelessApplicant     StatusID = "stateless_applicant"      // §7 demande d'apatridie en cours
	StatusFamilyReunionResident  StatusID = "family_reunion_resident"  // §8 regroupement familial
	StatusFamilyReunionProtected StatusID = "family_reunion_protected" // §8 réunification familiale
	StatusVPF                    StatusID = "vpf"                      // §9.2 CST vie privée et familiale
	StatusSickForeigner          StatusID = "sick_foreigner"           // §9.3 étranger malade (L. 425-9)
	StatusEmployee               StatusID = "employee"                 // §9.4 salarié
	StatusTemporaryWorker        StatusID = "temporary_worker"         // §9.4 travailleur temporaire
	StatusStudent                StatusID = "student"                  // §9.5 étudiant
	StatusMultiYearCard          StatusID = "multi_year_card"          // §9.6 carte pluriannuelle
	StatusResidentCard           StatusID = "resident_card"            // §9.7 carte de résident
	StatusReceipt                StatusID = "receipt"                  // §9.1 récépissé / attestation de prolongation / décision favorable
	StatusFilingCertificate      StatusID = "filing_certificate"       // §9.1 attestation de dépôt (ANEF)
	StatusAPSSickChild           StatusID = "aps_sick_child"           // §9.1 APS parent d'enfant malade (L. 425-10)
	StatusAPSTreatment           StatusID = "aps_treatment"            // §9.1 APS pour soins (R. 425-14)
	StatusNoPermit               StatusID = "no_permit"                // §10 sans titre de séjour
	StatusMinorAssessment        StatusID = "minor_assessment"         // §11 se déclare mineur, en évaluation
	StatusMinorInCare            StatusID = "minor_in_care"            // §11 mineur reconnu, confié à l'ASE
	StatusMinorContesting        StatusID = "minor_contesting"         // §11 minorité refusée, recours
)

// StatusGroup groups statuses for forms.
type StatusGroup string

const (
	GroupAsylum     StatusGroup = "asylum"
	GroupProtection StatusGroup = "protection"
	GroupFamily     StatusGroup = "family"
	GroupTitle      StatusGroup = "title"
	GroupInterim    StatusGroup = "interim"
	GroupIrregular  StatusGroup = "irregular"
	GroupMinor      StatusGroup = "minor"
)

// StatusInfo describes a status for the web layer.
type StatusInfo struct {
	ID    StatusID    `json:"id"`
	Group StatusGroup `json:"group"`
	// Name and Description are message IDs.
	Name        string `json:"name"`
	Description string `json:"description"`
	// Sheet is the slug of the matching fact sheet (internal/rights/sheets).
	// Every status has one; statuses of a sheet share its group.
	Sheet string `json:"sheet,omitempty"`
	// NeedsBasis is true when Situation.Basis must say which title is behind
	// the document (receipt, multi-year card, réunification familiale).
	NeedsBasis bool `json:"needs_basis"`
}

var statusList = []StatusInfo{
	{ID: StatusAsylumNormal, Group: GroupAsylum, Sheet: "demandeur-asile-normale"},
	{ID: StatusAsylumAccelerated, Group: GroupAsylum, Sheet: "demandeur-asile-acceleree"},
	{ID: StatusAsylumDublin, Group: GroupAsylum, Sheet: "dublin"},
	{ID: StatusAsylumRefused, Group: GroupAsylum, Sheet: "deboute"},
	{ID: StatusRefugee, Group: GroupProtection, Sheet: "refugie"},
	{ID: StatusSubsidiaryProtection, Group: GroupProtection, Sheet: "protection-subsidiaire"},
	{ID: StatusStateless, Group: GroupProtection, Sheet: "apatride"},
	{ID: StatusStatelessApplicant, Group: GroupProtection, Sheet: "apatride"},
	{ID: StatusFamilyReunionResident, Group: GroupFamily, Sheet: "regroupement-familial"},
	{ID: StatusFamilyReunionProtected, Group: GroupFamily, Sheet: "reunification-familiale", NeedsBasis: true},
	{ID: StatusVPF, Group: GroupTitle, Sheet: "vpf"},
	{ID: StatusSickForeigner, Group: GroupTitle, Sheet: "etranger-malade"},
	{ID: StatusEmployee, Group: GroupTitle, Sheet: "salarie"},
	{ID: StatusTemporaryWorker, Group: GroupTitle, Sheet: "salarie"},
	{ID: StatusStudent, Group: GroupTitle, Sheet: "etudiant"},
	{ID: StatusMultiYearCard, Group: GroupTitle, Sheet: "pluriannuelle", NeedsBasis: true},
	{ID: StatusResidentCard, Group: GroupTitle, Sheet: "carte-resident"},
	{ID: StatusReceipt, Group: GroupInterim, Sheet: "recepisse-aps", NeedsBasis: true},
	{ID: StatusFilingCertificate, Group: GroupInterim, Sheet: "recepisse-aps"},
	{ID: StatusAPSSickChild, Group: GroupInterim, Sheet: "recepisse-aps"},
	{ID: StatusAPSTreatment, Group: GroupInterim, Sheet: "recepisse-aps"},
	{ID: StatusNoPermit, Group: GroupIrregular, Sheet: "sans-titre"},
	{ID: StatusMinorAssessment, Group: GroupMinor, Sheet: "mineurs"},
	{ID: StatusMinorInCare, Group: GroupMinor, Sheet: "mineurs"},
	{ID: StatusMinorContesting, Group: GroupMinor, Sheet: "mineurs"},
}

var statusByID = func() map[StatusID]StatusInfo {
	m := make(map[StatusID]StatusInfo, len(statusList))
	for i := range statusList {
		s := &statusList[i]
		s.Name = "rights.status." + string(s.ID) + ".name"
		s.Description = "rights.status." + string(s.ID) + ".description"
		m[s.ID] = *s
	}
	return m
}()

// Statuses returns the statuses in form order.
func Statuses() []StatusInfo {
	out := make([]StatusInfo, len(statusList))
	copy(out, statusList)
	return out
}

// Valid reports whether id is a known status.
func (id StatusID) Valid() bool {
	_, ok := statusByID[id]
	return ok
}

// Group returns the status group ("" for an unknown status).
func (id StatusID) Group() StatusGroup { return statusByID[id].Group }

func (id StatusID) isAsylumSeeker() bool {
	return id == StatusAsylumNormal || id == StatusAsylumAccelerated || id == StatusAsylumDublin
}

func (id StatusID) isMinorStatus() bool { return id.Group() == GroupMinor }

// titleStatuses are the statuses a Basis may name: residence titles and
// protection statuses behind a receipt, a multi-year card or a réunification.
var titleStatuses = map[StatusID]bool{
	StatusRefugee: true, StatusSubsidiaryProtection: true, StatusStateless: true,
	StatusFamilyReunionResident: true, StatusFamilyReunionProtected: true,
	StatusVPF: true, StatusSickForeigner: true, StatusEmployee: true,
	StatusTemporaryWorker: true, StatusStudent: true, StatusMultiYearCard: true,
	StatusResidentCard: true,
}

// validBasis reports whether b is an acceptable Basis for status s.
func validBasis(s, b StatusID) bool {
	if b == "" {
		return true
	}
	switch s {
	case StatusReceipt:
		return titleStatuses[b]
	case StatusMultiYearCard:
		// L. 433-4 ff.: the ground of the card. Temporary workers cannot
		// move to a multi-year card directly (L. 433-5).
		return titleStatuses[b] && b != StatusMultiYearCard && b != StatusResidentCard &&
			b != StatusRefugee && b != StatusTemporaryWorker
	case StatusFamilyReunionProtected:
		return b == StatusRefugee || b == StatusSubsidiaryProtection || b == StatusStateless
	}
	return false
}

// Bases lists the statuses Situation.Basis may name for a status (empty when
// the status takes no basis), in form order.
func Bases(id StatusID) []StatusID {
	if !statusByID[id].NeedsBasis {
		return nil
	}
	var out []StatusID
	for _, s := range statusList {
		if validBasis(id, s.ID) {
			out = append(out, s.ID)
		}
	}
	return out
}
