package exchange

// HSDS 3.0 objects as this API writes them (schema/*.json of the
// specification). Optional strings are omitted when empty: the schemas give
// several of them a format (uri, email, uuid) that an empty string fails.
// Fields marked "profile" are our extensions (profile.json).

type hsdsPage struct {
	TotalItems int  `json:"total_items"`
	TotalPages int  `json:"total_pages"`
	PageNumber int  `json:"page_number"`
	Size       int  `json:"size"`
	FirstPage  bool `json:"first_page"`
	LastPage   bool `json:"last_page"`
	Empty      bool `json:"empty"`
	Contents   any  `json:"contents"`
}

type hsdsRoot struct {
	Version    string `json:"version"`
	Profile    string `json:"profile"`
	OpenAPIURL string `json:"openapi_url"`
}

// trValue is one language of a translatable field (profile): its status,
// and its text once reviewed (drafts are not published).
type trValue struct {
	Status string `json:"status"`
	Value  string `json:"value,omitempty"`
}

// translations maps a field to its languages (profile).
type translations map[string]map[string]trValue

type hsdsOrganization struct {
	ID           string         `json:"id"`
	Name         string         `json:"name"`
	Description  string         `json:"description"`
	Email        string         `json:"email,omitempty"`
	Website      string         `json:"website,omitempty"`
	Locations    []hsdsLocation `json:"locations,omitempty"`
	Services     []*hsdsService `json:"services,omitempty"`
	Translations translations   `json:"translations,omitempty"`
}

type hsdsService struct {
	ID                     string            `json:"id"`
	OrganizationID         string            `json:"organization_id,omitempty"`
	Name                   string            `json:"name"`
	AlternateName          string            `json:"alternate_name,omitempty"`
	Description            string            `json:"description,omitempty"`
	URL                    string            `json:"url,omitempty"`
	Email                  string            `json:"email,omitempty"`
	Status                 string            `json:"status"`
	ApplicationProcess     string            `json:"application_process,omitempty"`
	FeesDescription        string            `json:"fees_description,omitempty"`
	EligibilityDescription string            `json:"eligibility_description,omitempty"`
	AssuredDate            string            `json:"assured_date,omitempty"`
	Alert                  string            `json:"alert,omitempty"`
	LastModified           string            `json:"last_modified,omitempty"`
	Organization           *hsdsOrganization `json:"organization,omitempty"`
	Phones                 []hsdsPhone       `json:"phones,omitempty"`
	Schedules              []hsdsSchedule    `json:"schedules,omitempty"`
	ServiceAtLocations     []hsdsSAL         `json:"service_at_locations,omitempty"`
	Languages              []hsdsLanguage    `json:"languages,omitempty"`
	CostOptions            []hsdsCost        `json:"cost_options,omitempty"`
	RequiredDocuments      []hsdsDocument    `json:"required_documents,omitempty"`
	Attributes             []hsdsAttribute   `json:"attributes,omitempty"`
	// Profile.
	Translations translations `json:"translations,omitempty"`
	Demo         bool         `json:"demo,omitempty"`
	Stale        bool         `json:"stale,omitempty"`
}

type hsdsLocation struct {
	ID             string        `json:"id"`
	LocationType   string        `json:"location_type"`
	OrganizationID string        `json:"organization_id,omitempty"`
	Name           string        `json:"name,omitempty"`
	Transportation string        `json:"transportation,omitempty"`
	Latitude       *float64      `json:"latitude,omitempty"`
	Longitude      *float64      `json:"longitude,omitempty"`
	Addresses      []hsdsAddress `json:"addresses,omitempty"`
	// Profile.
	Arrondissement int          `json:"arrondissement,omitempty"`
	Translations   translations `json:"translations,omitempty"`
}

type hsdsAddress struct {
	ID            string `json:"id"`
	LocationID    string `json:"location_id,omitempty"`
	Address1      string `json:"address_1"`
	City          string `json:"city"`
	StateProvince string `json:"state_province"`
	PostalCode    string `json:"postal_code"`
	Country       string `json:"country"`
	AddressType   string `json:"address_type"`
}

type hsdsSAL struct {
	ID         string        `json:"id"`
	ServiceID  string        `json:"service_id,omitempty"`
	LocationID string        `json:"location_id,omitempty"`
	Location   *hsdsLocation `json:"location,omitempty"`
	Service    *hsdsService  `json:"service,omitempty"`
}

type hsdsPhone struct {
	ID        string         `json:"id"`
	ServiceID string         `json:"service_id,omitempty"`
	Number    string         `json:"number"`
	Type      string         `json:"type,omitempty"`
	Languages []hsdsLanguage `json:"languages,omitempty"`
}

type hsdsLanguage struct {
	ID        string `json:"id"`
	ServiceID string `json:"service_id,omitempty"`
	PhoneID   string `json:"phone_id,omitempty"`
	Name      string `json:"name,omitempty"`
	Code      string `json:"code"`
}

type hsdsSchedule struct {
	ID          string `json:"id"`
	ServiceID   string `json:"service_id,omitempty"`
	ValidFrom   string `json:"valid_from,omitempty"`
	ValidTo     string `json:"valid_to,omitempty"`
	Freq        string `json:"freq,omitempty"`
	Byday       string `json:"byday,omitempty"`
	OpensAt     string `json:"opens_at,omitempty"`
	ClosesAt    string `json:"closes_at,omitempty"`
	Description string `json:"description,omitempty"`
	// Profile: a dated closure (valid_from to valid_to, no opening).
	Closed       bool         `json:"closed,omitempty"`
	Translations translations `json:"translations,omitempty"`
}

type hsdsCost struct {
	ID        string  `json:"id"`
	ServiceID string  `json:"service_id,omitempty"`
	Option    string  `json:"option,omitempty"`
	Currency  string  `json:"currency,omitempty"`
	Amount    float64 `json:"amount"`
}

type hsdsDocument struct {
	ID        string `json:"id"`
	ServiceID string `json:"service_id,omitempty"`
	Document  string `json:"document,omitempty"`
	URI       string `json:"uri,omitempty"`
}

type hsdsAttribute struct {
	ID             string    `json:"id"`
	LinkID         string    `json:"link_id,omitempty"`
	LinkType       string    `json:"link_type,omitempty"`
	LinkEntity     string    `json:"link_entity,omitempty"`
	TaxonomyTermID string    `json:"taxonomy_term_id,omitempty"`
	TaxonomyTerm   *hsdsTerm `json:"taxonomy_term,omitempty"`
	Value          string    `json:"value,omitempty"`
}

type hsdsTaxonomy struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Version     string `json:"version,omitempty"`
}

type hsdsTerm struct {
	ID             string        `json:"id"`
	Code           string        `json:"code,omitempty"`
	Name           string        `json:"name"`
	Description    string        `json:"description"`
	Taxonomy       string        `json:"taxonomy,omitempty"`
	TaxonomyID     string        `json:"taxonomy_id,omitempty"`
	TaxonomyDetail *hsdsTaxonomy `json:"taxonomy_detail,omitempty"`
	Language       string        `json:"language,omitempty"`
}
