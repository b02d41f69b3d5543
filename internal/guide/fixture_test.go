package guide_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"parcours/internal/guide"
	"parcours/internal/org"
	"parcours/internal/platform/auth"
	"parcours/internal/platform/db"
	"parcours/internal/platform/testkit"
)

// fx is a test world with a centre, its guide editor (as a principal, for
// setting data up through the store) and helpers to add services.
type fx struct {
	*testkit.World
	t      testing.TB
	S      *guide.Store
	centre *org.Org
	p      *auth.Principal
	orgID  string // the guide organisation services belong to
	locs   map[int]string
}

func newFx(t testing.TB, e db.Engine, opts ...testkit.Options) *fx {
	t.Helper()
	w := testkit.NewWorld(t, e, opts...)
	f := &fx{World: w, t: t, S: w.App.Guide, locs: map[int]string{}}
	f.centre = w.Org("CASVP test")
	admin := w.User(f.centre, "editor@casvp.test", auth.Membership{Role: auth.Admin})
	f.p = &auth.Principal{UserID: admin.ID, OrgID: f.centre.ID, Name: admin.Name, Email: admin.Email,
		Memberships: []auth.Membership{{Role: auth.Admin}}}
	o, err := f.S.SaveOrganization(context.Background(), f.p, "", guide.OrganizationInput{Name: "Association Test", Description: "Une association."})
	if err != nil {
		t.Fatal(err)
	}
	f.orgID = o.ID
	return f
}

// loc returns the id of a location of the organisation in arrondissement a.
func (f *fx) loc(a int) string {
	f.t.Helper()
	if id, ok := f.locs[a]; ok {
		return id
	}
	l, err := f.S.SaveLocation(context.Background(), f.p, "", guide.LocationInput{OrganizationID: f.orgID,
		Name: "Lieu " + string(rune('A'+a)), City: "Paris", Arrondissement: a, Directions: "Métro ligne 1."})
	if err != nil {
		f.t.Fatal(err)
	}
	f.locs[a] = l.ID
	return l.ID
}

// svc is a service to add: name, French texts, flags and hours.
type svc struct {
	in    guide.ServiceInput
	arr   int
	hours string // "1-5 09:00-12:00" style, several rules separated by ";"
}

// add creates a published service with its hours.
func (f *fx) add(s svc) *guide.Service {
	f.t.Helper()
	ctx := context.Background()
	in := s.in
	in.OrganizationID = f.orgID
	if in.Status == "" {
		in.Status = guide.Published
	}
	if len(in.Categories) == 0 {
		in.Categories = []string{"legal-aid"}
	}
	if s.arr > 0 {
		in.LocationIDs = []string{f.loc(s.arr)}
	}
	sv, err := f.S.SaveService(ctx, f.p, "", in)
	if err != nil {
		f.t.Fatalf("add %q: %v", in.Name, err)
	}
	if s.hours != "" {
		if err := f.S.SaveHours(ctx, f.p, sv.ID, slots(s.hours)); err != nil {
			f.t.Fatalf("hours of %q: %v", in.Name, err)
		}
	}
	return sv
}

// slots reads "1-5 09:00-12:00,14:00-17:00; 6 10:00-12:00".
func slots(spec string) []guide.SlotInput {
	var out []guide.SlotInput
	for _, rule := range strings.Split(spec, ";") {
		days, spans, _ := strings.Cut(strings.TrimSpace(rule), " ")
		from, to, _ := strings.Cut(days, "-")
		a, b := int(from[0]-'0'), int(from[0]-'0')
		if to != "" {
			b = int(to[0] - '0')
		}
		for wd := a; wd <= b; wd++ {
			for _, span := range strings.Split(spans, ",") {
				o, c, _ := strings.Cut(span, "-")
				out = append(out, guide.SlotInput{Weekday: wd, Opens: o, Closes: c})
			}
		}
	}
	return out
}

// setChecked moves a service's last check into the past (the editing pages
// always set today).
func (f *fx) setChecked(id string, on time.Time) {
	f.t.Helper()
	if _, err := f.DB.W.NewUpdate().Model((*guide.Service)(nil)).Set("checked_on = ?", on).Where("id = ?", id).Exec(context.Background()); err != nil {
		f.t.Fatal(err)
	}
}
