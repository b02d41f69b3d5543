package exchange_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The schemas the tests validate against: HSDS 3.0 (testdata/hsds-3.0,
// copied from the specification), in two variants: as published, and
// strict (no property beyond the schema's, after our profile's additions
// are taken out, the way upstream CI checks its examples); our profile
// (profile.json); data·inclusion v1 (testdata/data-inclusion). Format
// assertions are on: ids must be UUIDs, e-mails e-mails, dates dates.

const (
	hsdsBase   = "https://hsds.test/schema/"
	strictBase = "https://hsds.test/strict/"
	diBase     = "https://data-inclusion.test/"
)

// profileKeys are the properties our profile adds (profile.json).
var profileKeys = []string{"translations", "demo", "stale", "arrondissement", "closed"}

var (
	schemasOnce sync.Once
	schemas     map[string]*jsonschema.Schema
	schemasErr  error
)

func readJSON(path string) (any, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return jsonschema.UnmarshalJSON(f)
}

// strictify forbids, in every object schema, properties it does not list.
func strictify(v any) {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["properties"]; ok {
			x["additionalProperties"] = false
		}
		for _, c := range x {
			strictify(c)
		}
	case []any:
		for _, c := range x {
			strictify(c)
		}
	}
}

func loadSchemas() {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	files, _ := filepath.Glob("testdata/hsds-3.0/schema/*.json")
	compiled, _ := filepath.Glob("testdata/hsds-3.0/schema/compiled/*.json")
	for _, f := range append(files, compiled...) {
		rel := strings.TrimPrefix(filepath.ToSlash(f), "testdata/hsds-3.0/schema/")
		for _, base := range []string{hsdsBase, strictBase} {
			doc, err := readJSON(f)
			if err != nil {
				schemasErr = err
				return
			}
			if base == strictBase {
				if rel == "openapi.json" {
					continue
				}
				strictify(doc)
			}
			if err := c.AddResource(base+rel, doc); err != nil {
				schemasErr = err
				return
			}
		}
	}
	for _, f := range []string{"structure.json", "service.json"} {
		doc, err := readJSON("testdata/data-inclusion/" + f)
		if err == nil {
			err = c.AddResource(diBase+f, doc)
		}
		if err != nil {
			schemasErr = err
			return
		}
	}
	profile, err := readJSON("profile.json")
	if err == nil {
		err = c.AddResource("https://hsds.test/profile.json", profile)
	}
	if err != nil {
		schemasErr = err
		return
	}
	// The Page envelope of the lists, with their items.
	// Full organisations and services at locations carry their services,
	// which organization.json and service_at_location.json do not list:
	// not checked strictly (their services are, one by one).
	for name, item := range map[string]string{"services": "compiled/service_list.json", "services_full": "service.json",
		"organizations": "compiled/organization_list.json", "organizations_full": "organization.json",
		"service_at_locations": "compiled/service_at_location_list.json", "taxonomies": "taxonomy.json",
		"taxonomy_terms": "taxonomy_term.json", "service_at_locations_full": "service_at_location.json"} {
		items := []any{map[string]any{"$ref": hsdsBase + item}}
		if !strings.HasSuffix(name, "_full") || name == "services_full" {
			items = append(items, map[string]any{"$ref": strictBase + item})
		}
		page := map[string]any{
			"allOf":      []any{map[string]any{"$ref": hsdsBase + "openapi.json#/components/schemas/Page"}},
			"required":   []any{"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"},
			"properties": map[string]any{"contents": map[string]any{"type": "array", "items": map[string]any{"allOf": items}}},
		}
		if err := c.AddResource("https://hsds.test/page/"+name, page); err != nil {
			schemasErr = err
			return
		}
	}
	schemas = map[string]*jsonschema.Schema{}
	for _, u := range []string{hsdsBase + "service.json", hsdsBase + "organization.json", hsdsBase + "taxonomy.json",
		hsdsBase + "taxonomy_term.json", strictBase + "service.json", strictBase + "organization.json", strictBase + "taxonomy.json",
		strictBase + "taxonomy_term.json", hsdsBase + "openapi.json#/paths/~1/get/responses/200/content/application~1json/schema",
		"https://hsds.test/profile.json", diBase + "structure.json", diBase + "service.json",
		"https://hsds.test/page/services", "https://hsds.test/page/services_full", "https://hsds.test/page/organizations",
		"https://hsds.test/page/organizations_full", "https://hsds.test/page/service_at_locations",
		"https://hsds.test/page/taxonomies", "https://hsds.test/page/taxonomy_terms", "https://hsds.test/page/service_at_locations_full"} {
		s, err := c.Compile(u)
		if err != nil {
			schemasErr = err
			return
		}
		schemas[u] = s
	}
}

// validate checks a JSON document against a schema of schemas.
func validate(t *testing.T, url string, body []byte) {
	t.Helper()
	schemasOnce.Do(loadSchemas)
	if schemasErr != nil {
		t.Fatalf("schemas: %v", schemasErr)
	}
	s, ok := schemas[url]
	if !ok {
		t.Fatalf("no schema %s", url)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if err := s.Validate(doc); err != nil {
		t.Errorf("%s: %v\n%s", url, err, truncate(string(body), 2000))
	}
}

// withoutProfile removes our profile's additions from a document (and
// the keys given), for the strict schemas.
func withoutProfile(t *testing.T, body []byte, also ...string) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	if m, ok := v.(map[string]any); ok {
		for _, k := range also {
			delete(m, k)
		}
	}
	var strip func(any)
	strip = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, k := range profileKeys {
				delete(x, k)
			}
			for _, c := range x {
				strip(c)
			}
		case []any:
			for _, c := range x {
				strip(c)
			}
		}
	}
	strip(v)
	out, _ := json.Marshal(v)
	return out
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// The strict schemas do catch a property HSDS does not have, and the
// format assertions a non-UUID id: the checks below are not vacuous.
func TestSchemasCatchMistakes(t *testing.T) {
	schemasOnce.Do(loadSchemas)
	if schemasErr != nil {
		t.Fatal(schemasErr)
	}
	for _, tc := range []struct{ url, doc string }{
		{strictBase + "service.json", `{"id":"0193a000-0000-7000-8000-000000000001","name":"x","status":"active","organisation_id":"x"}`},
		{hsdsBase + "service.json", `{"id":"not-a-uuid","name":"x","status":"active"}`},
		{hsdsBase + "service.json", `{"id":"0193a000-0000-7000-8000-000000000001","name":"x","status":"open"}`},
		{hsdsBase + "service.json", `{"id":"0193a000-0000-7000-8000-000000000001","name":"x","status":"active","email":"nope"}`},
		{"https://hsds.test/page/services", `{"total_items":1,"contents":[]}`},
		{"https://hsds.test/profile.json", `{"translations":{"name":{"ar":{"status":"draft","value":"مسودة"}}}}`},
		{diBase + "service.json", `{"source":"s","structure_id":"a","id":"b","nom":"Un service","description":"court","date_maj":"2026-01-01"}`},
	} {
		doc, _ := jsonschema.UnmarshalJSON(strings.NewReader(tc.doc))
		if err := schemas[tc.url].Validate(doc); err == nil {
			t.Errorf("%s accepted %s", tc.url, tc.doc)
		}
	}
}
