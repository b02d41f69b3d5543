package exchange

import (
	"slices"
	"strings"
)

// The controlled vocabularies of data·inclusion v1 (schema 1.0.8, see
// ../shared/domain/directory.md §2.2) and how they map onto the guide.
// docs/exchange.md has the same tables for people.

// diSource is the "source" of the records this guide exports.
const diSource = "parcours"

var (
	vocabFrais             = []string{"gratuit", "payant"}
	vocabModesAccueil      = []string{"en-presentiel", "a-distance"}
	vocabModesMobilisation = []string{"se-presenter", "telephoner", "envoyer-un-courriel", "utiliser-lien-mobilisation"}
	vocabMobilisablePar    = []string{"usagers", "professionnels"}
	vocabPublics           = []string{"tous-publics", "actifs", "beneficiaires-des-minimas-sociaux", "demandeurs-emploi", "etudiants",
		"familles", "femmes", "jeunes", "personnes-en-situation-de-handicap", "personnes-en-situation-durgence",
		"personnes-en-situation-juridique-specifique", "personnes-exilees", "residents-qpv-frr", "seniors"}
)

// thematiques are the 16 groups of thématiques and their 69 leaves
// ("group--leaf").
var thematiques = map[string][]string{
	"choisir-un-metier": {"confirmer-son-choix-de-metier", "connaitre-les-opportunites-demploi",
		"decouvrir-un-metier-ou-un-secteur-dactivite", "identifier-ses-points-forts-et-ses-competences"},
	"creer-une-entreprise": {"definir-son-projet-de-creation-dentreprise", "developper-son-entreprise",
		"structurer-son-projet-de-creation-dentreprise"},
	"difficultes-administratives-ou-juridiques": {"accompagnement-aux-demarches-administratives",
		"accompagnement-pour-lacces-a-la-citoyennete", "accompagnement-pour-lacces-aux-droits",
		"beneficier-dune-mesure-daccompagnement-adapte", "connaitre-ses-droits-face-a-une-discrimination",
		"prendre-en-compte-une-problematique-judiciaire"},
	"difficultes-financieres": {"acquerir-une-autonomie-budgetaire", "ameliorer-sa-gestion-budgetaire",
		"mettre-en-place-une-mesure-de-protection-financiere", "prevenir-une-degradation-de-la-situation-financiere",
		"situation-dendettement-surendettement"},
	"equipement-et-alimentation": {"aide-menagere", "alimentation", "electromenager", "habillement"},
	"famille": {"garde-denfants", "prise-en-charge-personne-dependante", "soutien-a-la-parentalite-et-a-leducation",
		"soutien-aidants", "surmonter-conflits-separation-violence"},
	"lecture-ecriture-calcul": {"maitriser-le-calcul", "maitriser-le-francais"},
	"logement-hebergement": {"acheter-un-logement", "changer-de-logement", "louer-un-logement",
		"rechercher-une-solution-dhebergement-temporaire", "reduire-les-impayes-de-loyer", "se-maintenir-dans-le-logement",
		"sinformer-sur-les-demarches-liees-a-lacces-au-logement"},
	"mobilite": {"acceder-a-un-vehicule", "entretenir-reparer-son-vehicule", "etre-accompagne-dans-son-parcours-mobilite",
		"financer-ma-mobilite", "preparer-un-permis", "mobilite-douce-partagee-collective"},
	"numerique": {"acceder-a-des-services-en-ligne", "acceder-a-une-connexion-internet", "acquerir-un-equipement",
		"maitriser-les-fondamentaux-du-numerique"},
	"preparer-sa-candidature": {"developper-son-reseau", "organiser-ses-demarches-de-recherche-demploi",
		"realiser-un-cv-et-ou-une-lettre-de-motivation", "valoriser-ses-competences"},
	"remobilisation": {"activites-sportives-et-culturelles", "benevolat-action-citoyenne", "bien-etre-confiance-en-soi",
		"lien-social"},
	"sante":     {"acces-aux-soins", "addictions", "constituer-un-dossier-mdph-invalidite", "sante-mentale", "sante-sexuelle"},
	"se-former": {"monter-son-dossier-de-formation", "trouver-sa-formation"},
	"souvrir-a-linternational": {"connaitre-les-opportunites-demploi-a-letranger",
		"sinformer-sur-les-aides-pour-travailler-a-letranger", "sorganiser-suite-a-son-retour-en-france"},
	"trouver-un-emploi": {"convaincre-un-recruteur-en-entretien", "faire-des-candidatures-spontanees", "maintien-dans-lemploi",
		"repondre-a-des-offres-demploi", "suivre-ses-candidatures-et-relancer-les-employeurs"},
}

// knownThematique reports whether v is a group or a leaf of the vocabulary.
func knownThematique(v string) bool {
	group, leaf, isLeaf := strings.Cut(v, "--")
	leaves, ok := thematiques[group]
	return ok && (!isLeaf || slices.Contains(leaves, leaf))
}

// categoryThematiques is the crosswalk from the guide's categories to
// thématiques, for the export; the first code of each list is also the one
// an import maps back (importThematique). Categories without an entry have
// no thématique: showers, phone charging (no code in v1), women and young
// people (publics in data·inclusion: femmes, jeunes).
var categoryThematiques = map[string][]string{
	"domiciliation":     {"difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"},
	"legal-aid":         {"difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"},
	"asylum":            {"difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"},
	"health":            {"sante--acces-aux-soins"},
	"mental-health":     {"sante--sante-mentale"},
	"french-courses":    {"lecture-ecriture-calcul--maitriser-le-francais"},
	"work-training":     {"trouver-un-emploi--repondre-a-des-offres-demploi", "se-former--trouver-sa-formation"},
	"food":              {"equipement-et-alimentation--alimentation"},
	"shelter":           {"logement-hebergement--rechercher-une-solution-dhebergement-temporaire"},
	"wifi":              {"numerique--acceder-a-une-connexion-internet"},
	"sport":             {"remobilisation--activites-sportives-et-culturelles"},
	"culture":           {"remobilisation--activites-sportives-et-culturelles"},
	"transport":         {"mobilite--etre-accompagne-dans-son-parcours-mobilite"},
	"children-families": {"famille--soutien-a-la-parentalite-et-a-leducation"},
}

// thematiqueCategories maps a thématique (a leaf, or a whole group) to the
// guide's categories on import. A code absent from this table is known to
// data·inclusion but has no category here: a warning on its line.
var thematiqueCategories = map[string][]string{
	"difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives":   {"domiciliation"},
	"difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits":          {"legal-aid"},
	"difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-a-la-citoyennete":    {"legal-aid"},
	"difficultes-administratives-ou-juridiques--connaitre-ses-droits-face-a-une-discrimination": {"legal-aid"},
	"difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire": {"legal-aid"},
	"difficultes-administratives-ou-juridiques":                                                 {"legal-aid"},
	"sante--acces-aux-soins":                             {"health"},
	"sante--addictions":                                  {"health"},
	"sante--constituer-un-dossier-mdph-invalidite":       {"health"},
	"sante--sante-sexuelle":                              {"health"},
	"sante":                                              {"health"},
	"sante--sante-mentale":                               {"mental-health"},
	"lecture-ecriture-calcul--maitriser-le-francais":     {"french-courses"},
	"trouver-un-emploi":                                  {"work-training"},
	"choisir-un-metier":                                  {"work-training"},
	"preparer-sa-candidature":                            {"work-training"},
	"se-former":                                          {"work-training"},
	"creer-une-entreprise":                               {"work-training"},
	"souvrir-a-linternational":                           {"work-training"},
	"equipement-et-alimentation--alimentation":           {"food"},
	"logement-hebergement":                               {"shelter"},
	"numerique--acceder-a-une-connexion-internet":        {"wifi"},
	"remobilisation--activites-sportives-et-culturelles": {"sport", "culture"},
	"mobilite":                                           {"transport"},
	"famille":                                            {"children-families"},
}

// importThematique returns the categories of a thématique: its own entry,
// else its group's.
func importThematique(v string) []string {
	if cats, ok := thematiqueCategories[v]; ok {
		return cats
	}
	group, _, _ := strings.Cut(v, "--")
	return thematiqueCategories[group]
}

// Publics: the guide says who is welcome with four flags (men, women,
// families, minors). Export: all four -> tous-publics; men and women ->
// personnes-exilees (the guide's public), plus familles and jeunes;
// women only -> femmes (plus familles, jeunes). Import is the inverse;
// the other publics have no flag here (a warning).
var publicFlags = map[string][]string{
	"tous-publics":      {"men", "women", "families", "minors"},
	"personnes-exilees": {"men", "women"},
	"femmes":            {"women"},
	"familles":          {"families"},
	"jeunes":            {"minors"},
}

// exportPublics are the publics of a service's flags.
func exportPublics(men, women, families, minors bool) []string {
	if men && women && families && minors {
		return []string{"tous-publics"}
	}
	var out []string
	switch {
	case men && women:
		out = append(out, "personnes-exilees")
	case women:
		out = append(out, "femmes")
	}
	if families {
		out = append(out, "familles")
	}
	if minors {
		out = append(out, "jeunes")
	}
	return out
}
