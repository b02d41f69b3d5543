package guide

import (
	"fmt"
	"math"
	"net/url"
	"strings"

	"parcours/internal/platform/i18n"
)

// Spoken is a language a service may speak, named in itself and in French.
type Spoken struct {
	Code, Name, French string
	RTL                bool
}

// Dir is the direction of the language's name.
func (s Spoken) Dir() string {
	if s.RTL {
		return "rtl"
	}
	return "ltr"
}

// others are the spoken languages that are not interface languages.
var others = []Spoken{
	{"es", "Español", "espagnol", false}, {"pt", "Português", "portugais", false}, {"ru", "Русский", "russe", false},
	{"uk", "Українська", "ukrainien", false}, {"tr", "Türkçe", "turc", false}, {"ku", "Kurdî", "kurde", false},
	{"so", "Soomaali", "somali", false}, {"am", "አማርኛ", "amharique", false}, {"wo", "Wolof", "wolof", false},
	{"ln", "Lingála", "lingala", false}, {"sw", "Kiswahili", "swahili", false}, {"ta", "தமிழ்", "tamoul", false},
	{"hi", "हिन्दी", "hindi", false}, {"pa", "ਪੰਜਾਬੀ", "pendjabi", false}, {"ka", "ქართული", "géorgien", false},
	{"sq", "Shqip", "albanais", false}, {"fsl", "Langue des signes française (LSF)", "langue des signes (LSF)", false},
}

// SpokenLanguages are the languages a service may say it speaks: the 12
// interface languages, then others often spoken by the people received.
var SpokenLanguages = func() []Spoken {
	out := make([]Spoken, 0, len(i18n.Languages)+len(others))
	for _, l := range i18n.Languages {
		out = append(out, Spoken{Code: l.Tag, Name: l.Name, French: l.French, RTL: l.RTL})
	}
	return append(out, others...)
}()

// SpokenByCode finds a spoken language.
func SpokenByCode(code string) (Spoken, bool) {
	for _, s := range SpokenLanguages {
		if s.Code == code {
			return s, true
		}
	}
	return Spoken{}, false
}

func spokenCodes() []string {
	out := make([]string, len(SpokenLanguages))
	for i, s := range SpokenLanguages {
		out[i] = s.Code
	}
	return out
}

// centroids are approximate centres of the 20 arrondissements, used to
// sort by distance the places whose exact position is not known.
var centroids = [21][2]float64{{},
	{48.8625, 2.3364}, {48.8683, 2.3428}, {48.8630, 2.3601}, {48.8543, 2.3576}, {48.8445, 2.3507},
	{48.8491, 2.3328}, {48.8562, 2.3122}, {48.8727, 2.3125}, {48.8770, 2.3375}, {48.8761, 2.3608},
	{48.8591, 2.3800}, {48.8400, 2.3950}, {48.8283, 2.3623}, {48.8292, 2.3265}, {48.8401, 2.2929},
	{48.8600, 2.2760}, {48.8874, 2.3067}, {48.8925, 2.3482}, {48.8871, 2.3848}, {48.8634, 2.4012},
}

// Position is a point on the map.
type Position struct{ Lat, Lon float64 }

// valid reports whether p is a real coordinate.
func (p Position) valid() bool {
	return !math.IsNaN(p.Lat) && !math.IsNaN(p.Lon) && p.Lat >= -90 && p.Lat <= 90 && p.Lon >= -180 && p.Lon <= 180
}

// KmTo is the distance in kilometres (equirectangular, fine at city scale).
func (p Position) KmTo(q Position) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	x := (q.Lon - p.Lon) * rad * math.Cos((p.Lat+q.Lat)/2*rad)
	y := (q.Lat - p.Lat) * rad
	return r * math.Hypot(x, y)
}

// Where is the best known position of a location: its coordinates, else
// the centre of its arrondissement (Exact false), else none.
func (l *Location) Where() (Position, bool, bool) {
	if l.Latitude != nil && l.Longitude != nil {
		return Position{*l.Latitude, *l.Longitude}, true, true
	}
	if l.Arrondissement >= 1 && l.Arrondissement <= 20 {
		c := centroids[l.Arrondissement]
		return Position{c[0], c[1]}, false, true
	}
	return Position{}, false, false
}

// MapURL links to OpenStreetMap: the point when known, else a search for
// the address or the arrondissement.
func (l *Location) MapURL() string {
	if l.Latitude != nil && l.Longitude != nil {
		return fmt.Sprintf("https://www.openstreetmap.org/?mlat=%.5f&mlon=%.5f#map=18/%.5f/%.5f", *l.Latitude, *l.Longitude, *l.Latitude, *l.Longitude)
	}
	q := strings.TrimSpace(strings.Join([]string{l.Address, l.PostalCode, l.City}, " "))
	if l.Address == "" && l.Arrondissement > 0 {
		q = fmt.Sprintf("Paris %d", 75000+l.Arrondissement)
	}
	if q == "" {
		return ""
	}
	return "https://www.openstreetmap.org/search?query=" + strings.ReplaceAll(url.QueryEscape(q), "+", "%20")
}
