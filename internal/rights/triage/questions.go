package triage

// Question IDs.
const (
	QDocumentExpiresOn        = "document_expires_on"
	QAsylumSeeker             = "asylum_seeker"
	QAsylumRegisteredOn       = "asylum_registered_on"
	QOFPRAFiled               = "ofpra_filed"
	QDublin                   = "dublin"
	QDublinAcceptedOn         = "dublin_accepted_on"
	QDublinExtension          = "dublin_extension"
	QDublinTransferDecision   = "dublin_transfer_decision"
	QDublinTransferNotifiedOn = "dublin_transfer_notified_on"
	QOFPRARejection           = "ofpra_rejection"
	QOFPRARejectionOn         = "ofpra_rejection_notified_on"
	QCNDAAppealFiled          = "cnda_appeal_filed"
	QCNDARejection            = "cnda_rejection"
	QCNDARejectionOn          = "cnda_rejection_notified_on"
	QProtectionGranted        = "protection_granted"
	QProtectionNotifiedOn     = "protection_notified_on"
	QInDNA                    = "in_dna_accommodation"
	QOQTF                     = "oqtf"
	QOQTFNotifiedOn           = "oqtf_notified_on"
	QOQTFAfterAsylum          = "oqtf_after_asylum"
	QRestriction              = "restriction"
	QIRTF                     = "irtf"
	QResidenceRefusal         = "residence_refusal"
	QResidenceRefusalOn       = "residence_refusal_notified_on"
	QStatelessRefusal         = "stateless_refusal"
	QStatelessRefusalOn       = "stateless_refusal_notified_on"
	QDeclaresMinor            = "declares_minor"
	QMinorityRefused          = "minority_refused"
	QFamilySeparated          = "family_separated"
	QNoDomiciliation          = "no_domiciliation"
	QNoShelter                = "no_shelter"
	QHealthResidence          = "health_residence_stake"
	QMedicalFileOn            = "medical_file_received_on"
	QNoHealthCover            = "no_health_cover"
)

// Choice IDs.
const (
	// QDublinExtension.
	ExtNone         = "none"
	ExtAbsconding   = "absconding"
	ExtImprisonment = "imprisonment"
	// QRestriction.
	RestrictNone        = "none"
	RestrictHouseArrest = "house_arrest"
	RestrictPrison      = "prison"
	RestrictDetention   = "detention"
)

var questionList = []Question{
	{ID: QDocumentExpiresOn, Kind: KindDate},
	{ID: QAsylumSeeker, Kind: KindBool},
	{ID: QAsylumRegisteredOn, Kind: KindDate, ShowIf: QAsylumSeeker, Past: true},
	{ID: QOFPRAFiled, Kind: KindBool, ShowIf: QAsylumSeeker},
	{ID: QDublin, Kind: KindBool, ShowIf: QAsylumSeeker},
	{ID: QDublinAcceptedOn, Kind: KindDate, ShowIf: QDublin, Past: true},
	{ID: QDublinExtension, Kind: KindChoice, ShowIf: QDublin, Choices: choices(QDublinExtension, ExtNone, ExtAbsconding, ExtImprisonment)},
	{ID: QDublinTransferDecision, Kind: KindBool, ShowIf: QDublin},
	{ID: QDublinTransferNotifiedOn, Kind: KindDate, ShowIf: QDublinTransferDecision, Past: true},
	{ID: QOFPRARejection, Kind: KindBool, ShowIf: QAsylumSeeker},
	{ID: QOFPRARejectionOn, Kind: KindDate, ShowIf: QOFPRARejection, Past: true},
	{ID: QCNDAAppealFiled, Kind: KindBool, ShowIf: QOFPRARejection},
	{ID: QCNDARejection, Kind: KindBool},
	{ID: QCNDARejectionOn, Kind: KindDate, ShowIf: QCNDARejection, Past: true},
	{ID: QProtectionGranted, Kind: KindBool},
	{ID: QProtectionNotifiedOn, Kind: KindDate, ShowIf: QProtectionGranted, Past: true},
	{ID: QInDNA, Kind: KindBool},
	{ID: QOQTF, Kind: KindBool},
	{ID: QOQTFNotifiedOn, Kind: KindDate, ShowIf: QOQTF, Past: true},
	{ID: QOQTFAfterAsylum, Kind: KindBool, ShowIf: QOQTF},
	{ID: QRestriction, Kind: KindChoice, Choices: choices(QRestriction, RestrictNone, RestrictHouseArrest, RestrictPrison, RestrictDetention)},
	{ID: QIRTF, Kind: KindBool},
	{ID: QResidenceRefusal, Kind: KindBool},
	{ID: QResidenceRefusalOn, Kind: KindDate, ShowIf: QResidenceRefusal, Past: true},
	{ID: QStatelessRefusal, Kind: KindBool},
	{ID: QStatelessRefusalOn, Kind: KindDate, ShowIf: QStatelessRefusal, Past: true},
	{ID: QDeclaresMinor, Kind: KindBool},
	{ID: QMinorityRefused, Kind: KindBool, ShowIf: QDeclaresMinor},
	{ID: QFamilySeparated, Kind: KindBool},
	{ID: QNoDomiciliation, Kind: KindBool},
	{ID: QNoShelter, Kind: KindBool},
	{ID: QHealthResidence, Kind: KindBool},
	{ID: QMedicalFileOn, Kind: KindDate, ShowIf: QHealthResidence, Past: true},
	{ID: QNoHealthCover, Kind: KindBool},
}

func choices(q string, ids ...string) []Choice {
	out := make([]Choice, len(ids))
	for i, id := range ids {
		out[i] = Choice{ID: id, Label: "rights.triage.choice." + q + "." + id}
	}
	return out
}

var questionByID = func() map[string]Question {
	m := make(map[string]Question, len(questionList))
	for i := range questionList {
		q := &questionList[i]
		q.Label = "rights.triage.question." + q.ID
		q.Help = "rights.triage.help." + q.ID
		m[q.ID] = *q
	}
	return m
}()

// Questions returns the questions in the order they are asked.
func Questions() []Question {
	out := make([]Question, len(questionList))
	for i, q := range questionList {
		q.Choices = append([]Choice(nil), q.Choices...)
		out[i] = q
	}
	return out
}
