package guide

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"parcours/internal/platform/audit"
	"parcours/internal/platform/db"
)

// Demo content: the partners the centre's plan names and the centre's own
// sites. Everything here is demo data, to verify before any real use:
// names are public bodies and associations, but the descriptions, hours and
// languages are illustrations, addresses are left out (the arrondissement
// only, where known) and no phone number is given except the national
// ones (3646 Assurance Maladie, 3949 France Travail).

type demoService struct {
	org, place      string
	arr             int
	city            string
	name, nameEN    string
	desc, descEN    string
	cats            string // space-separated category slugs
	langs           string // spoken on site
	flags           string // F free, P no papers, m men, w women, f families, y minors, W walk-in, A appointment, R referral
	hours           string // "1-5 09:30-12:30,14:00-17:00; 6 10:00-12:00"
	docs            string // checklist slugs
	phone           string
	how, howEN      string
	months          int // months since the last check
	arDraft, arRevd [2]string
}

// demoOrgs: organisation name -> description (French).
var demoOrgs = [][2]string{
	{"CASVP — Centre d'action sociale de la Ville de Paris", "Le centre d'action sociale de la Ville de Paris accueille, oriente et accompagne les Parisiens en difficulté."},
	{"Droits d'urgence", "Association d'accès au droit : permanences juridiques gratuites pour les personnes en situation de précarité."},
	{"La Cimade", "Association de solidarité avec les personnes migrantes, réfugiées et demandeuses d'asile."},
	{"Gisti", "Groupe d'information et de soutien des immigré·e·s : information juridique sur le droit des étrangers."},
	{"France terre d'asile (FTDA)", "Association d'accueil et d'accompagnement des demandeurs d'asile, réfugiés et mineurs isolés."},
	{"ASFAM", "Association d'accompagnement juridique et social des personnes étrangères."},
	{"Barreau de Paris", "Les avocats du Barreau de Paris tiennent des consultations gratuites."},
	{"Le Kiosque (Emmaüs Solidarité et France terre d'asile)", "Accueil de jour et information pour les personnes exilées."},
	{"Assurance Maladie de Paris (CPAM)", "La caisse primaire d'assurance maladie de Paris : droits à la santé (PUMa, CSS, AME)."},
	{"Comède", "Comité pour la santé des exilés : soins, prévention et accès aux droits."},
	{"Centre Minkowska", "Centre médico-psychologique pour les migrants et réfugiés, consultations avec interprètes."},
	{"Hôpital Avicenne (AP-HP)", "Hôpital public ; consultation de psychiatrie transculturelle."},
	{"Parcours d'exil", "Soins et accompagnement des personnes exilées victimes de torture et de violences."},
	{"Centre Babel", "Centre de consultations transculturelles pour les familles migrantes."},
	{"Centre Primo Levi", "Soins et soutien aux personnes victimes de torture et de violence politique réfugiées en France."},
	{"AP-HP — Permanences d'accès aux soins de santé (PASS)", "Consultations à l'hôpital pour les personnes sans couverture maladie."},
	{"Plateforme EIF-FEL", "Évaluation, information et orientation vers les cours de français à Paris."},
	{"Cours municipaux d'adultes (Ville de Paris)", "Cours du soir de la Ville de Paris, dont français langue étrangère."},
	{"EPEC — Ensemble Paris Emploi Compétences", "Accompagnement vers l'emploi et la formation à Paris."},
	{"Cité des métiers", "Conseils gratuits sur l'emploi, la formation et les métiers."},
	{"IRIV", "Institut de recherche et d'information sur le volontariat : valorisation des compétences des migrants."},
	{"France Travail", "Service public de l'emploi : inscription, indemnisation, accompagnement."},
	{"Meet My Mama", "Entreprise sociale qui accompagne des femmes cheffes cuisinières issues de la migration."},
	{"Food2Rue", "Formation et insertion dans la cuisine de rue."},
	{"Le Baba", "Chantier d'insertion en cuisine et restauration."},
	{"GRDR", "Association Migration-Citoyenneté-Développement : projets d'insertion, dont en cuisine."},
	{"Les Cuistots Migrateurs", "Traiteur qui emploie et forme des cuisiniers réfugiés."},
	{"Refettorio Paris", "Restaurant solidaire et formation en cuisine contre le gaspillage."},
	{"La Parisienne", "Course féminine de Paris : dossards solidaires et entraînements."},
	{"Ekiden de Paris", "Course en relais par équipes : équipes solidaires."},
	{"Cultures du Cœur", "Places gratuites de spectacles, musées et sorties pour les personnes accompagnées."},
}

const casvp = "CASVP — Centre d'action sociale de la Ville de Paris"

var demoServices = []demoService{
	// The centre's own sites.
	{org: casvp, place: "PSA Bastille", arr: 12, name: "Domiciliation au PSA Bastille", nameEN: "Postal address (domiciliation) at PSA Bastille",
		desc: "Une adresse pour recevoir votre courrier et faire vos démarches, si vous n'avez pas de logement stable.", descEN: "An address to receive your mail and do your paperwork if you have no stable home.",
		cats: "domiciliation", langs: "fr en ar", flags: "FPmwfWA", hours: "1-5 09:00-12:30,13:30-16:30", docs: "domiciliation", months: 2,
		how: "Venez sur place le matin, ou prenez rendez-vous à l'accueil.", howEN: "Come in the morning, or book an appointment at the front desk."},
	{org: casvp, place: "PSA Belleville", arr: 20, name: "Domiciliation au PSA Belleville", nameEN: "Postal address (domiciliation) at PSA Belleville",
		desc: "Une adresse pour recevoir votre courrier et faire vos démarches, si vous n'avez pas de logement stable.", descEN: "An address to receive your mail and do your paperwork if you have no stable home.",
		cats: "domiciliation", langs: "fr ar ti en", flags: "FPmwfWA", hours: "1-5 09:00-12:30,13:30-16:30", docs: "domiciliation", months: 1,
		arRevd: [2]string{"عنوان بريدي (domiciliation) في PSA Belleville", "عنوان لاستلام بريدك والقيام بإجراءاتك، إذا لم يكن لديك سكن ثابت."}},
	{org: casvp, place: "PSA Gauthey", arr: 17, name: "Domiciliation au PSA Gauthey", nameEN: "Postal address (domiciliation) at PSA Gauthey",
		desc: "Une adresse pour recevoir votre courrier et faire vos démarches.", descEN: "An address to receive your mail and do your paperwork.",
		cats: "domiciliation", langs: "fr en", flags: "FPmwfA", hours: "1-4 09:00-12:00", docs: "domiciliation", months: 7},
	{org: casvp, place: "PSA Belleville", arr: 20, name: "Permanence juridique du PSA Belleville", nameEN: "Legal advice at PSA Belleville",
		desc: "Une juriste répond à vos questions sur vos papiers, l'asile et vos droits, avec un interprète si besoin.", descEN: "A lawyer answers your questions on papers, asylum and rights, with an interpreter if needed.",
		cats: "legal-aid asylum", langs: "fr ar ti en", flags: "FPmwfWR", hours: "1-5 09:30-12:30; 3 14:00-17:00", docs: "asylum-appointment domiciliation", months: 1,
		how: "Venez sans rendez-vous le matin. Apportez tous vos papiers, même anciens.", howEN: "Walk in in the morning. Bring all your papers, even old ones.",
		arRevd: [2]string{"استشارة قانونية في PSA Belleville", "تجيب مستشارة قانونية عن أسئلتك حول أوراقك واللجوء وحقوقك، بمساعدة مترجم عند الحاجة."}},
	{org: casvp, place: "ESI Halle Saint-Didier", arr: 16, name: "Permanence juridique de l'ESI Halle Saint-Didier", nameEN: "Legal advice at ESI Halle Saint-Didier",
		desc: "Conseils juridiques sur le séjour, le travail et la famille.", descEN: "Legal advice on residence, work and family.",
		cats: "legal-aid", langs: "fr en ps fa-AF", flags: "FPmwW", hours: "2,4 10:00-13:00", docs: "asylum-appointment", months: 3},
	{org: casvp, place: "ESI Halle Saint-Didier", arr: 16, name: "Douches de l'ESI Halle Saint-Didier", nameEN: "Showers at ESI Halle Saint-Didier",
		desc: "Douches, serviettes et produits d'hygiène. Laverie deux fois par semaine.", descEN: "Showers, towels and toiletries. Laundry twice a week.",
		cats: "showers-hygiene", langs: "fr en ar", flags: "FPmwyW", hours: "1-5 08:30-12:00; 6 09:00-12:00", months: 2},
	{org: casvp, place: "ESI Coty", arr: 14, name: "Douches de l'ESI Coty", nameEN: "Showers at ESI Coty",
		desc: "Douches et vestiaire solidaire.", descEN: "Showers and free clothing.",
		cats: "showers-hygiene", langs: "fr ro", flags: "FPmwW", hours: "1-5 09:00-13:00", months: 13},
	{org: casvp, place: "PSA Bastille", arr: 12, name: "Recharge de téléphone au PSA Bastille", nameEN: "Phone charging at PSA Bastille",
		desc: "Bornes de recharge dans la salle d'attente.", descEN: "Charging stations in the waiting room.",
		cats: "phone-charging", langs: "fr", flags: "FPmwfyW", hours: "1-5 09:00-17:00", months: 2},
	{org: casvp, place: "PSA Belleville", arr: 20, name: "Recharge de téléphone au PSA Belleville", nameEN: "Phone charging at PSA Belleville",
		desc: "Bornes de recharge dans la salle d'attente.", descEN: "Charging stations in the waiting room.",
		cats: "phone-charging", langs: "fr", flags: "FPmwfyW", hours: "1-5 09:00-17:00", months: 2},
	{org: casvp, place: "ESI Coty", arr: 14, name: "Recharge de téléphone à l'ESI Coty", nameEN: "Phone charging at ESI Coty",
		desc: "Prises pour recharger votre téléphone pendant l'accueil.", descEN: "Sockets to charge your phone during opening hours.",
		cats: "phone-charging", langs: "fr", flags: "FPmwW", hours: "1-5 09:00-13:00", months: 4},
	{org: casvp, place: "PSA Bastille", arr: 12, name: "WiFi gratuit au PSA Bastille", nameEN: "Free WiFi at PSA Bastille",
		desc: "Accès WiFi gratuit pendant l'accueil, et aide pour vos démarches en ligne.", descEN: "Free WiFi during opening hours, and help with online procedures.",
		cats: "wifi", langs: "fr en", flags: "FPmwfyW", hours: "1-5 09:00-17:00", months: 2},
	{org: casvp, place: "PSA Gauthey", arr: 17, name: "WiFi gratuit au PSA Gauthey", nameEN: "Free WiFi at PSA Gauthey",
		desc: "Accès WiFi gratuit pendant l'accueil.", descEN: "Free WiFi during opening hours.",
		cats: "wifi", langs: "fr", flags: "FPmwfyW", hours: "1-5 09:00-17:00", months: 2},
	{org: casvp, place: "ESI Halle Saint-Didier", arr: 16, name: "WiFi et ordinateurs à l'ESI Halle Saint-Didier", nameEN: "WiFi and computers at ESI Halle Saint-Didier",
		desc: "WiFi gratuit et deux ordinateurs en accès libre.", descEN: "Free WiFi and two computers.",
		cats: "wifi", langs: "fr en", flags: "FPmwW", hours: "1-5 08:30-12:00", months: 5},
	{org: casvp, place: "CASVP 18e", arr: 18, name: "Restaurant solidaire du 18e", nameEN: "Community restaurant, 18th",
		desc: "Repas chaud le midi, sur orientation d'un travailleur social.", descEN: "Hot lunch, on referral by a social worker.",
		cats: "food", langs: "fr ar", flags: "PmwfR", hours: "1-7 11:30-13:30", months: 2,
		how: "Demandez une carte à votre travailleur social.", howEN: "Ask your social worker for a card."},
	{org: casvp, place: "SSP 13e", arr: 13, name: "Colis alimentaires du SSP 13e", nameEN: "Food parcels, SSP 13th",
		desc: "Colis alimentaires chaque semaine pour les familles accompagnées.", descEN: "Weekly food parcels for families followed by a social worker.",
		cats: "food children-families", langs: "fr zh-Hans bn", flags: "FPfR", hours: "3 14:00-17:00", months: 8},
	{org: casvp, place: "PSA Belleville", arr: 20, name: "Accueil social du PSA Belleville", nameEN: "Social welcome desk, PSA Belleville",
		desc: "Premier accueil, écoute et orientation vers les bons services.", descEN: "First welcome, listening and referral to the right services.",
		cats: "domiciliation shelter", langs: "fr ar ti ps en", flags: "FPmwfWA", hours: "1-5 09:00-12:30,13:30-16:30", months: 1},
	{org: casvp, place: "SSP 13e", arr: 13, name: "Accueil des familles du SSP 13e", nameEN: "Family welcome, SSP 13th",
		desc: "Accompagnement social des familles avec enfants.", descEN: "Social support for families with children.",
		cats: "children-families women", langs: "fr zh-Hans en", flags: "FPfwA", hours: "1-5 09:00-12:00,14:00-17:00", months: 3},
	{org: casvp, place: "PSA Bastille", arr: 12, name: "Hébergement d'urgence : orientation (115)", nameEN: "Emergency shelter: referral (115)",
		desc: "Aide pour appeler le 115 et trouver une place d'hébergement pour la nuit.", descEN: "Help to call 115 and find a place to sleep tonight.",
		cats: "shelter", langs: "fr en ar", flags: "FPmwfyW", hours: "1-5 09:00-16:30", phone: "115", months: 2},
	{org: casvp, place: "CASVP 18e", arr: 18, name: "Atelier français du quotidien", nameEN: "Everyday French workshop",
		desc: "Atelier de conversation en français pour les démarches de tous les jours.", descEN: "French conversation for everyday tasks.",
		cats: "french-courses", langs: "fr", flags: "FPmwW", hours: "2,4 14:00-16:00", docs: "french-course", months: 2},
	{org: casvp, place: "PSA Bastille", arr: 12, name: "Passe Navigo Solidarité : aide au dossier", nameEN: "Solidarity transport pass: help with the form",
		desc: "Aide pour demander la réduction Solidarité Transport.", descEN: "Help to apply for the Solidarity Transport discount.",
		cats: "transport", langs: "fr en", flags: "FmwfA", hours: "2 09:00-12:00", docs: "solidarite-transport", months: 2},
	// Legal aid partners.
	{org: "Droits d'urgence", place: "Permanence Droits d'urgence", arr: 18, name: "Permanence d'accès au droit", nameEN: "Legal aid drop-in",
		desc: "Juristes bénévoles : séjour, logement, travail, famille, dettes.", descEN: "Volunteer lawyers: residence, housing, work, family, debts.",
		cats: "legal-aid", langs: "fr en ar", flags: "FPmwfWA", hours: "1,3 14:00-17:00", months: 4},
	{org: "La Cimade", place: "Permanence La Cimade Île-de-France", name: "Permanence étrangers", nameEN: "Advice for foreigners",
		desc: "Conseils sur le séjour, l'asile et l'éloignement.", descEN: "Advice on residence, asylum and removal.",
		cats: "legal-aid asylum", langs: "fr en ar es", flags: "FPmwfW", hours: "2,4 09:30-12:30", docs: "asylum-appointment", months: 2},
	{org: "La Cimade", place: "Permanence La Cimade Île-de-France", name: "Permanence femmes", nameEN: "Advice for women",
		desc: "Accueil des femmes étrangères victimes de violences.", descEN: "Support for foreign women victims of violence.",
		cats: "legal-aid women", langs: "fr en ar", flags: "FPwA", hours: "5 14:00-17:00", months: 3},
	{org: "Gisti", place: "Gisti", arr: 11, name: "Permanence téléphonique juridique", nameEN: "Legal advice by phone",
		desc: "Réponses aux questions de droit des étrangers, par téléphone.", descEN: "Answers to questions on immigration law, by phone.",
		cats: "legal-aid", langs: "fr en", flags: "FPmwf", hours: "1-5 15:00-18:00", months: 2},
	{org: "France terre d'asile (FTDA)", place: "France terre d'asile", arr: 18, name: "Accompagnement des demandeurs d'asile", nameEN: "Support for asylum seekers",
		desc: "Aide pour la procédure d'asile : récit, OFPRA, CNDA.", descEN: "Help with the asylum procedure: account, OFPRA, CNDA.",
		cats: "asylum legal-aid", langs: "fr en ar ps fa-AF ti", flags: "FPmwfR", hours: "1-5 09:00-12:30", docs: "asylum-appointment", months: 2},
	{org: "France terre d'asile (FTDA)", place: "France terre d'asile", arr: 18, name: "Mineurs isolés étrangers : accueil", nameEN: "Unaccompanied minors: welcome",
		desc: "Premier accueil et orientation des jeunes de moins de 18 ans arrivés seuls.", descEN: "Welcome and referral for young people under 18 who arrived alone.",
		cats: "young-people asylum", langs: "fr en ar ps ti", flags: "FPyW", hours: "1-5 09:00-17:00", months: 1},
	{org: "ASFAM", place: "ASFAM", name: "Permanence juridique ASFAM", nameEN: "ASFAM legal advice",
		desc: "Accompagnement juridique et social des personnes étrangères.", descEN: "Legal and social support for foreigners.",
		cats: "legal-aid", langs: "fr ar", flags: "FPmwfA", hours: "2,5 10:00-13:00", months: 6},
	{org: "Barreau de Paris", place: "Maison du Barreau", name: "Consultations gratuites d'avocats", nameEN: "Free consultations with lawyers",
		desc: "Un avocat vous reçoit gratuitement pour une première consultation.", descEN: "A lawyer sees you for free for a first consultation.",
		cats: "legal-aid", langs: "fr en", flags: "FmwfA", hours: "1-5 09:30-12:30", months: 3},
	{org: "Barreau de Paris", place: "Maison du Barreau", name: "Avocats pour les mineurs", nameEN: "Lawyers for minors",
		desc: "Consultations pour les jeunes de moins de 18 ans.", descEN: "Consultations for young people under 18.",
		cats: "legal-aid young-people", langs: "fr en", flags: "FPyA", hours: "3 14:00-17:00", months: 3},
	{org: "Le Kiosque (Emmaüs Solidarité et France terre d'asile)", place: "Le Kiosque", arr: 10, name: "Accueil et information des personnes exilées", nameEN: "Welcome and information for exiles",
		desc: "Informations sur l'asile, la domiciliation et les droits ; orientation.", descEN: "Information on asylum, postal address and rights; referral.",
		cats: "asylum legal-aid domiciliation", langs: "fr en ar ps fa-AF ti", flags: "FPmwyW", hours: "1-5 09:30-13:00", docs: "asylum-appointment", months: 1,
		arDraft: [2]string{"استقبال وإعلام المنفيين", "معلومات عن اللجوء والعنوان البريدي والحقوق، وتوجيه."}},
	// Health.
	{org: "Assurance Maladie de Paris (CPAM)", place: "PSA Gauthey", arr: 17, name: "Permanence CPAM au PSA Gauthey", nameEN: "Health insurance (CPAM) desk at PSA Gauthey",
		desc: "Un conseiller de l'Assurance Maladie ouvre vos droits : PUMa, CSS, AME.", descEN: "A health insurance adviser opens your rights: PUMa, CSS, AME.",
		cats: "health", langs: "fr en", flags: "FmwfA", hours: "2 09:00-12:00", docs: "ame css puma", phone: "3646", months: 2},
	{org: "Assurance Maladie de Paris (CPAM)", place: "PSA Bastille", arr: 12, name: "Permanence CPAM au PSA Bastille", nameEN: "Health insurance (CPAM) desk at PSA Bastille",
		desc: "Un conseiller de l'Assurance Maladie ouvre vos droits : PUMa, CSS, AME.", descEN: "A health insurance adviser opens your rights: PUMa, CSS, AME.",
		cats: "health", langs: "fr ar", flags: "FmwfA", hours: "4 09:00-12:00", docs: "ame css puma", phone: "3646", months: 2,
		arDraft: [2]string{"مكتب التأمين الصحي (CPAM) في PSA Bastille", "مستشار التأمين الصحي يفتح حقوقك: PUMa وCSS وAME."}},
	{org: "Comède", place: "Comède", city: "Le Kremlin-Bicêtre", name: "Centre de santé du Comède", nameEN: "Comède health centre",
		desc: "Consultations médicales, psychologiques et sociales avec interprètes.", descEN: "Medical, psychological and social consultations with interpreters.",
		cats: "health mental-health", langs: "fr en ar ti ps bn", flags: "FPmwfA", hours: "1-5 09:00-17:00", docs: "ame", months: 3},
	{org: "Comède", place: "Comède", city: "Le Kremlin-Bicêtre", name: "Permanence téléphonique santé-droits", nameEN: "Health rights phone line",
		desc: "Aide téléphonique aux professionnels et aux personnes sur l'accès aux soins.", descEN: "Phone help on access to care for professionals and patients.",
		cats: "health legal-aid", langs: "fr en", flags: "FPmwf", hours: "1-5 09:30-12:30", months: 3},
	{org: "Centre Minkowska", place: "Centre Minkowska", name: "Consultations transculturelles", nameEN: "Transcultural consultations",
		desc: "Soins psychologiques adaptés à la culture, avec interprètes.", descEN: "Culturally adapted mental health care, with interpreters.",
		cats: "mental-health", langs: "fr en ar bn ta", flags: "FPmwfA", hours: "1-5 09:00-18:00", months: 2},
	{org: "Hôpital Avicenne (AP-HP)", place: "Hôpital Avicenne", city: "Bobigny", name: "Psychiatrie transculturelle", nameEN: "Transcultural psychiatry",
		desc: "Consultation d'ethnopsychiatrie pour enfants et familles.", descEN: "Ethnopsychiatry consultation for children and families.",
		cats: "mental-health children-families", langs: "fr ar", flags: "FfR", hours: "1,3 09:00-17:00", months: 5},
	{org: "Parcours d'exil", place: "Parcours d'exil", name: "Soins aux victimes de torture", nameEN: "Care for torture survivors",
		desc: "Suivi médical et psychologique des personnes exilées victimes de violences.", descEN: "Medical and psychological follow-up for exiles who suffered violence.",
		cats: "mental-health health", langs: "fr en ar ps", flags: "FPmwR", hours: "1-5 09:30-17:30", months: 4},
	{org: "Centre Babel", place: "Centre Babel", name: "Consultations pour familles migrantes", nameEN: "Consultations for migrant families",
		desc: "Soutien psychologique des familles et des enfants.", descEN: "Psychological support for families and children.",
		cats: "mental-health children-families", langs: "fr en", flags: "FPfR", hours: "2,4 10:00-17:00", months: 7},
	{org: "Centre Primo Levi", place: "Centre Primo Levi", arr: 11, name: "Soins et soutien aux personnes victimes de torture", nameEN: "Care and support for torture survivors",
		desc: "Médecins, psychologues, juristes et assistants sociaux, avec interprètes.", descEN: "Doctors, psychologists, lawyers and social workers, with interpreters.",
		cats: "mental-health legal-aid", langs: "fr en ar ti fa", flags: "FPmwfyR", hours: "1-5 09:30-18:00", months: 2},
	{org: "AP-HP — Permanences d'accès aux soins de santé (PASS)", place: "Hôpital Saint-Louis", arr: 10, name: "PASS de l'hôpital Saint-Louis", nameEN: "PASS at Saint-Louis hospital",
		desc: "Consultation médicale et médicaments pour les personnes sans couverture maladie.", descEN: "Medical consultation and medicines for people without health cover.",
		cats: "health", langs: "fr en ar", flags: "FPmwfyW", hours: "1-5 08:30-16:30", docs: "ame", months: 3},
	{org: "AP-HP — Permanences d'accès aux soins de santé (PASS)", place: "Hôpital de la Pitié-Salpêtrière", arr: 13, name: "PASS de la Pitié-Salpêtrière", nameEN: "PASS at Pitié-Salpêtrière hospital",
		desc: "Consultation médicale et sociale sans couverture maladie.", descEN: "Medical and social consultation without health cover.",
		cats: "health", langs: "fr en zh-Hans", flags: "FPmwfyW", hours: "1-5 09:00-16:00", docs: "ame", months: 13},
	// Language.
	{org: "Plateforme EIF-FEL", place: "Plateforme EIF-FEL", name: "Évaluation et orientation cours de français", nameEN: "French level test and course referral",
		desc: "Un test de votre niveau de français, puis une orientation vers un cours près de chez vous.", descEN: "A test of your French level, then referral to a course near you.",
		cats: "french-courses", langs: "fr en ar", flags: "FPmwA", hours: "1-5 09:30-12:30,14:00-17:00", docs: "french-course", months: 2},
	{org: "Cours municipaux d'adultes (Ville de Paris)", place: "Cours municipaux d'adultes", name: "Français langue étrangère, cours du soir", nameEN: "French as a foreign language, evening classes",
		desc: "Cours du soir de français, à petit prix, de septembre à juin.", descEN: "Low-cost evening French classes, September to June.",
		cats: "french-courses", langs: "fr", flags: "mwA", hours: "1-4 18:30-20:30", docs: "french-course", months: 4},
	{org: "Cours municipaux d'adultes (Ville de Paris)", place: "Cours municipaux d'adultes", name: "Alphabétisation", nameEN: "Literacy classes",
		desc: "Apprendre à lire et écrire en français.", descEN: "Learn to read and write in French.",
		cats: "french-courses", langs: "fr", flags: "mwA", hours: "2,4 18:30-20:30", docs: "french-course", months: 4},
	// Employment and training.
	{org: "EPEC — Ensemble Paris Emploi Compétences", place: "EPEC", name: "Accompagnement vers l'emploi", nameEN: "Support into work",
		desc: "Un conseiller vous aide à chercher un emploi ou une formation.", descEN: "An adviser helps you look for a job or training.",
		cats: "work-training", langs: "fr en", flags: "FmwA", hours: "1-5 09:00-17:00", docs: "france-travail", months: 3},
	{org: "Cité des métiers", place: "Cité des métiers", arr: 19, name: "Conseil emploi et métiers", nameEN: "Job and career advice",
		desc: "Entretiens gratuits sans rendez-vous avec des conseillers emploi et formation.", descEN: "Free walk-in talks with job and training advisers.",
		cats: "work-training", langs: "fr en", flags: "FmwW", hours: "2-6 10:00-18:00", months: 2},
	{org: "IRIV", place: "IRIV", name: "Valoriser ses compétences", nameEN: "Showing your skills",
		desc: "Ateliers pour faire reconnaître l'expérience acquise avant l'arrivée en France.", descEN: "Workshops to get the experience gained before France recognised.",
		cats: "work-training", langs: "fr en", flags: "FmwR", hours: "4 14:00-17:00", months: 9},
	{org: "France Travail", place: "France Travail", name: "Inscription à France Travail", nameEN: "Registering with France Travail",
		desc: "Inscription comme demandeur d'emploi, indemnisation et accompagnement.", descEN: "Register as a jobseeker, benefits and support.",
		cats: "work-training", langs: "fr", flags: "FmwA", hours: "1-5 08:30-12:30", docs: "france-travail", phone: "3949", months: 2},
	// Cooking insertion.
	{org: "Meet My Mama", place: "Meet My Mama", name: "Programme cheffes entrepreneures", nameEN: "Women chef entrepreneurs programme",
		desc: "Formation et accompagnement de femmes cuisinières pour créer leur activité.", descEN: "Training and support for women cooks to start their business.",
		cats: "work-training women food", langs: "fr en", flags: "FwR", hours: "2 14:00-17:00", months: 3},
	{org: "Food2Rue", place: "Food2Rue", name: "Formation cuisine de rue", nameEN: "Street food training",
		desc: "Formation aux métiers de la cuisine de rue, avec stage.", descEN: "Training in street food jobs, with work placement.",
		cats: "work-training food", langs: "fr", flags: "FmwR", hours: "1-5 09:00-16:00", months: 4},
	{org: "Le Baba", place: "Le Baba", name: "Chantier d'insertion cuisine", nameEN: "Kitchen work-integration project",
		desc: "Un contrat de travail en cuisine avec un accompagnement social.", descEN: "A kitchen job contract with social support.",
		cats: "work-training food", langs: "fr", flags: "mwR", hours: "1-5 08:00-15:00", months: 11},
	{org: "GRDR", place: "GRDR", name: "Insertion en cuisine et restauration", nameEN: "Integration through cooking and catering",
		desc: "Parcours de formation et d'insertion en restauration.", descEN: "Training and integration path in catering.",
		cats: "work-training food", langs: "fr ff wo", flags: "FmwR", hours: "2,4 09:30-16:30", months: 3},
	{org: "Les Cuistots Migrateurs", place: "Les Cuistots Migrateurs", name: "Emploi de cuisinier réfugié", nameEN: "Jobs for refugee cooks",
		desc: "Recrutement et formation de cuisiniers réfugiés.", descEN: "Hiring and training refugee cooks.",
		cats: "work-training food", langs: "fr en", flags: "FmwA", hours: "1-5 10:00-16:00", months: 5},
	{org: "Refettorio Paris", place: "Refettorio Paris", arr: 8, name: "Repas solidaires du Refettorio", nameEN: "Refettorio community meals",
		desc: "Repas du soir préparés avec des produits sauvés du gaspillage.", descEN: "Evening meals cooked from food saved from waste.",
		cats: "food", langs: "fr en", flags: "FPmwfR", hours: "1-5 18:30-20:30", months: 2},
	{org: "Refettorio Paris", place: "Refettorio Paris", arr: 8, name: "Formation commis de cuisine", nameEN: "Kitchen assistant training",
		desc: "Formation en cuisine dans un restaurant solidaire.", descEN: "Kitchen training in a community restaurant.",
		cats: "work-training food", langs: "fr", flags: "FmwR", hours: "1-5 09:00-15:00", months: 2},
	// Sport and culture.
	{org: "La Parisienne", place: "La Parisienne", name: "Dossards solidaires et entraînements", nameEN: "Free race entries and training",
		desc: "Courir ensemble la course La Parisienne, avec des entraînements avant.", descEN: "Run La Parisienne together, with training sessions before.",
		cats: "sport women", langs: "fr", flags: "FPwR", hours: "6 10:00-12:00", months: 3},
	{org: "Ekiden de Paris", place: "Ekiden de Paris", name: "Équipes solidaires de relais", nameEN: "Solidarity relay teams",
		desc: "Rejoindre une équipe pour courir le marathon en relais.", descEN: "Join a team to run the relay marathon.",
		cats: "sport", langs: "fr en", flags: "FPmwR", hours: "7 09:00-12:00", months: 3},
	{org: "Cultures du Cœur", place: "Cultures du Cœur", name: "Sorties culturelles gratuites", nameEN: "Free cultural outings",
		desc: "Places gratuites pour des spectacles, concerts et musées.", descEN: "Free tickets for shows, concerts and museums.",
		cats: "culture children-families", langs: "fr", flags: "FPmwfyR", hours: "1-5 10:00-17:00", months: 2},
	{org: "Cultures du Cœur", place: "Cultures du Cœur", name: "Sorties sportives gratuites", nameEN: "Free sports outings",
		desc: "Places gratuites pour des matchs et activités sportives.", descEN: "Free tickets for matches and sports activities.",
		cats: "sport culture young-people", langs: "fr", flags: "FPmwyR", hours: "1-5 10:00-17:00", months: 2},
	{org: casvp, place: "CASVP 18e", arr: 18, name: "Espace jeunes : orientation", nameEN: "Youth space: guidance",
		desc: "Accueil des 16-25 ans : formation, emploi, logement, santé.", descEN: "Welcome for 16-25 year-olds: training, work, housing, health.",
		cats: "young-people work-training", langs: "fr en ar", flags: "FPmwyW", hours: "1-5 13:30-17:30", months: 2},
	{org: casvp, place: "SSP 13e", arr: 13, name: "Permanence santé des femmes", nameEN: "Women's health drop-in",
		desc: "Une sage-femme et une assistante sociale reçoivent les femmes enceintes et les mères.", descEN: "A midwife and a social worker see pregnant women and mothers.",
		cats: "women health children-families", langs: "fr zh-Hans bn", flags: "FPwfW", hours: "2 09:00-12:00", docs: "ame", months: 3},
	{org: casvp, place: "PSA Gauthey", arr: 17, name: "Aide au dossier RSA et CAF", nameEN: "Help with RSA and CAF forms",
		desc: "Aide pour demander le RSA et les prestations de la CAF.", descEN: "Help to apply for RSA and CAF benefits.",
		cats: "domiciliation", langs: "fr en", flags: "FmwfA", hours: "3 09:00-12:00", docs: "rsa caf", months: 2},
	{org: casvp, place: "PSA Bastille", arr: 12, name: "Ouverture de compte bancaire : accompagnement", nameEN: "Opening a bank account: support",
		desc: "Aide pour ouvrir un compte bancaire, y compris avec la procédure de droit au compte.", descEN: "Help to open a bank account, including the right-to-an-account procedure.",
		cats: "domiciliation", langs: "fr en ar", flags: "FmwfA", hours: "5 14:00-16:30", docs: "bank-account", months: 2},
	{org: casvp, place: "SSP 13e", arr: 13, name: "Inscription scolaire : aide aux familles", nameEN: "School enrolment: help for families",
		desc: "Aide pour inscrire vos enfants à l'école.", descEN: "Help to enrol your children at school.",
		cats: "children-families", langs: "fr zh-Hans en", flags: "FPfA", hours: "1,4 14:00-17:00", docs: "school-enrolment", months: 3},
}

// LoadDemo fills the guide of a demo centre once: the partners and sites
// above, with their hours, languages, documents, French and English texts
// (reviewed), a few Arabic ones (some reviewed, some drafts), a temporary
// closure, a winter season and a few services due for a check.
func (s *Store) LoadDemo(ctx context.Context, orgID string) (int, error) {
	done, err := s.DB.R.NewSelect().Model((*Organization)(nil)).Where("org_id = ?", orgID).Exists(ctx)
	if err != nil || done {
		return 0, err
	}
	now := s.Clock.Now()
	today := DateOf(now)
	err = s.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		orgs := map[string]*Organization{}
		for _, o := range demoOrgs {
			org := &Organization{ID: db.NewID(), OrgID: orgID, Name: o[0], Description: o[1], CreatedAt: now, UpdatedAt: now}
			if _, err := tx.NewInsert().Model(org).Exec(ctx); err != nil {
				return err
			}
			orgs[o[0]] = org
		}
		places := map[string]*Location{}
		var ids []string
		for i, d := range demoServices {
			org, ok := orgs[d.org]
			if !ok {
				return fmt.Errorf("demo service %q: no organisation %q", d.name, d.org)
			}
			loc, ok := places[d.org+"|"+d.place]
			if !ok {
				city := d.city
				if city == "" {
					city = "Paris"
				}
				loc = &Location{ID: db.NewID(), OrgID: orgID, OrganizationID: org.ID, Name: d.place, City: city, Arrondissement: d.arr, CreatedAt: now, UpdatedAt: now}
				if d.arr > 0 {
					loc.PostalCode = strconv.Itoa(75000 + d.arr)
				}
				if _, err := tx.NewInsert().Model(loc).Exec(ctx); err != nil {
					return err
				}
				places[d.org+"|"+d.place] = loc
			}
			sv, in := d.service(orgID, org.ID, loc.ID, today.AddDate(0, -d.months, -i%9), now)
			if _, err := tx.NewInsert().Model(sv).Exec(ctx); err != nil {
				return err
			}
			if err := s.replaceLinks(ctx, tx, sv, in); err != nil {
				return err
			}
			if err := d.children(ctx, tx, sv, today); err != nil {
				return err
			}
			if err := d.translations(ctx, tx, sv, now); err != nil {
				return err
			}
			ids = append(ids, sv.ID)
		}
		if err := s.reindex(ctx, tx, ids...); err != nil {
			return err
		}
		return s.Audit.Record(ctx, tx, auditDemo(orgID, len(ids)))
	})
	return len(demoServices), err
}

func (d demoService) service(orgID, organizationID, locationID string, checked, now time.Time) (*Service, ServiceInput) {
	has := func(c byte) bool { return strings.IndexByte(d.flags, c) >= 0 }
	sv := &Service{ID: db.NewID(), OrgID: orgID, OrganizationID: organizationID, Status: Published, Name: d.name, Description: d.desc,
		ApplicationProcess: d.how, Free: has('F'), NoPapers: has('P'), WelcomeMen: has('m'), WelcomeWomen: has('w'),
		WelcomeFamilies: has('f'), WelcomeMinors: has('y'), WalkIn: has('W'), Appointment: has('A'), Referral: has('R'),
		CheckedOn: checked, CheckedBy: "démo", CreatedAt: now, UpdatedAt: now}
	in := ServiceInput{Categories: strings.Fields(d.cats), OnSite: strings.Fields(d.langs), Documents: strings.Fields(d.docs),
		LocationIDs: []string{locationID}}
	return sv, in
}

// children adds the hours, the phone, and for some services a winter
// season or a closure.
func (d demoService) children(ctx context.Context, tx bun.Tx, sv *Service, today time.Time) error {
	for _, rule := range strings.Split(d.hours, ";") {
		days, spans, _ := strings.Cut(strings.TrimSpace(rule), " ")
		for _, wd := range demoDays(days) {
			for _, span := range strings.Split(spans, ",") {
				o, c, _ := strings.Cut(span, "-")
				r := &ScheduleRow{ID: db.NewID(), OrgID: sv.OrgID, ServiceID: sv.ID, Weekday: wd, OpensAt: o, ClosesAt: c}
				if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
					return err
				}
			}
		}
	}
	if d.phone != "" {
		ph := &Phone{ID: db.NewID(), OrgID: sv.OrgID, ServiceID: sv.ID, Number: d.phone, Kind: "voice", CreatedAt: sv.CreatedAt}
		if _, err := tx.NewInsert().Model(ph).Exec(ctx); err != nil {
			return err
		}
	}
	switch {
	case strings.HasPrefix(d.name, "Douches de l'ESI Halle"):
		// Winter: open every day of the week, mornings.
		y := today.Year()
		if today.Month() < time.April {
			y--
		}
		from, to := time.Date(y, time.November, 1, 0, 0, 0, 0, time.UTC), time.Date(y+1, time.March, 31, 0, 0, 0, 0, time.UTC)
		for wd := 1; wd <= 7; wd++ {
			r := &ScheduleRow{ID: db.NewID(), OrgID: sv.OrgID, ServiceID: sv.ID, Weekday: wd, OpensAt: "08:00", ClosesAt: "12:30", ValidFrom: &from, ValidTo: &to}
			if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
				return err
			}
		}
	case d.name == "Permanence CPAM au PSA Bastille":
		e := &ExceptionRow{ID: db.NewID(), OrgID: sv.OrgID, ServiceID: sv.ID, StartsOn: today.AddDate(0, 0, 1), EndsOn: today.AddDate(0, 0, 10),
			Closed: true, Reason: "Formation de l'équipe.", CreatedAt: sv.CreatedAt}
		if _, err := tx.NewInsert().Model(e).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// demoDays reads "1-5" or "2,4" or "3".
func demoDays(s string) []int {
	var out []int
	for _, part := range strings.Split(s, ",") {
		a, b, isRange := strings.Cut(part, "-")
		from, _ := strconv.Atoi(a)
		to := from
		if isRange {
			to, _ = strconv.Atoi(b)
		}
		for wd := from; wd <= to; wd++ {
			out = append(out, wd)
		}
	}
	return out
}

func (d demoService) translations(ctx context.Context, tx bun.Tx, sv *Service, now time.Time) error {
	add := func(lang, field, value, status string) error {
		if value == "" {
			return nil
		}
		t := &Translation{ID: db.NewID(), OrgID: sv.OrgID, OwnerType: "service", OwnerID: sv.ID, Field: field, Lang: lang, Value: value,
			Status: status, TranslatedBy: "démo", UpdatedAt: now}
		if status == TrReviewed {
			t.ReviewedBy, t.ReviewedAt = "démo", &now
		}
		_, err := tx.NewInsert().Model(t).Exec(ctx)
		return err
	}
	for _, tr := range []struct{ lang, field, value, status string }{
		{"en", "name", d.nameEN, TrReviewed}, {"en", "description", d.descEN, TrReviewed}, {"en", "application_process", d.howEN, TrReviewed},
		{"ar", "name", d.arRevd[0], TrReviewed}, {"ar", "description", d.arRevd[1], TrReviewed},
		{"ar", "name", d.arDraft[0], TrDraft}, {"ar", "description", d.arDraft[1], TrDraft},
	} {
		if err := add(tr.lang, tr.field, tr.value, tr.status); err != nil {
			return err
		}
	}
	return nil
}

func auditDemo(orgID string, n int) audit.Event {
	return audit.Event{Action: "guide.demo.load", ObjectType: "guide_service", OrgID: orgID, Details: map[string]any{"services": n}}
}
