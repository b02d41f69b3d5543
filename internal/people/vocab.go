package people

import (
	"slices"
	"strings"
)

// SpokenLanguage is a language a person may speak, shown by its own name
// (which the person recognises) and its French name (for the desk).
type SpokenLanguage struct {
	Code    string
	Endonym string
	French  string
}

// SpokenLanguages are the languages most often spoken by the people the
// centre welcomes; the order is the form's.
var SpokenLanguages = []SpokenLanguage{
	{"fr", "Français", "français"}, {"en", "English", "anglais"}, {"ar", "العربية", "arabe"},
	{"fa", "فارسی", "persan (farsi)"}, {"prs", "دری", "dari"}, {"ps", "پښتو", "pachto"},
	{"ur", "اردو", "ourdou"}, {"bn", "বাংলা", "bengali"}, {"ta", "தமிழ்", "tamoul"},
	{"ti", "ትግርኛ", "tigrigna"}, {"am", "አማርኛ", "amharique"}, {"so", "Soomaali", "somali"},
	{"ff", "Pulaar", "peul (pular)"}, {"wo", "Wolof", "wolof"}, {"bm", "Bamanankan", "bambara"},
	{"snk", "Soninké", "soninké"}, {"ln", "Lingála", "lingala"}, {"sw", "Kiswahili", "swahili"},
	{"zh", "中文", "chinois"}, {"ro", "Română", "roumain"}, {"ru", "Русский", "russe"},
	{"uk", "Українська", "ukrainien"}, {"ka", "ქართული", "géorgien"}, {"tr", "Türkçe", "turc"},
	{"ku", "Kurdî", "kurde"}, {"es", "Español", "espagnol"}, {"pt", "Português", "portugais"},
	{"ber", "Tamaziɣt", "berbère (tamazight)"},
}

// SpokenLanguageByCode finds a language of the list.
func SpokenLanguageByCode(code string) (SpokenLanguage, bool) {
	i := slices.IndexFunc(SpokenLanguages, func(l SpokenLanguage) bool { return l.Code == code })
	if i < 0 {
		return SpokenLanguage{}, false
	}
	return SpokenLanguages[i], true
}

// FrenchLevels are the levels of French (CEFR); "" is not assessed. Labels
// are "people.french.<level>".
var FrenchLevels = []string{"none", "a1", "a2", "b1", "b2", "c1"}

// Purpose is what a consent allows.
type Purpose string

// Purposes of consent; labels are "people.purpose.<purpose>".
const (
	// PurposeSharePartner: share the file (the fields a referral names)
	// with a named partner organisation.
	PurposeSharePartner Purpose = "share_partner"
	// PurposeSMS: send SMS to the person (reminders).
	PurposeSMS Purpose = "sms"
	// PurposeVolunteer: accompaniment by a volunteer of the centre.
	PurposeVolunteer Purpose = "volunteer"
	// PurposeStatistics: count the file in anonymised statistics.
	PurposeStatistics Purpose = "statistics"
)

// Purposes lists the purposes in form order.
var Purposes = []Purpose{PurposeSharePartner, PurposeSMS, PurposeVolunteer, PurposeStatistics}

// Valid reports whether p is a known purpose.
func (p Purpose) Valid() bool { return slices.Contains(Purposes, p) }

// ShareField is a part of the file a partner may be shown.
type ShareField string

// Fields a share with a partner may include; labels are
// "people.field.<field>". Health is never shared with a partner.
const (
	FieldIdentity  ShareField = "identity"  // names, year of birth
	FieldContact   ShareField = "contact"   // phone, message language
	FieldLanguages ShareField = "languages" // languages spoken, level of French
	FieldStatus    ShareField = "status"    // administrative status and document
	FieldHousehold ShareField = "household" // household size and dependants
	FieldLegalNote ShareField = "legal_note"
)

// ShareFields lists the fields in form order.
var ShareFields = []ShareField{FieldIdentity, FieldContact, FieldLanguages, FieldStatus, FieldHousehold, FieldLegalNote}

// VolunteerShareFields are the fields a volunteer's mission may show:
// never the legal note (nor health, which is never shared).
var VolunteerShareFields = []ShareField{FieldIdentity, FieldContact, FieldLanguages, FieldStatus, FieldHousehold}

// ParseShareFields reads a comma-separated list, keeping known fields in
// form order; identity is always shared.
func ParseShareFields(s string) []ShareField {
	parts := strings.Split(s, ",")
	out := []ShareField{FieldIdentity}
	for _, f := range ShareFields[1:] {
		if slices.Contains(parts, string(f)) {
			out = append(out, f)
		}
	}
	return out
}

// JoinShareFields writes fields as stored.
func JoinShareFields(fs []ShareField) string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = string(f)
	}
	return strings.Join(out, ",")
}

// Relations of a household member to the person; labels are
// "people.relation.<relation>".
var Relations = []string{"spouse", "child", "parent", "other"}
