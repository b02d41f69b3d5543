package guide

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLightPictos: the light category pictograms of the home page are
// Slim of the originals (PARCOURS_UPDATE_PICTOS=1 rewrites them) and weigh
// less than half.
func TestLightPictos(t *testing.T) {
	const src, dst = "../../web/static/picto", "../../web/static/guide"
	update := os.Getenv("PARCOURS_UPDATE_PICTOS") == "1"
	var before, after int
	for _, c := range Categories {
		name := "cat-" + c.Slug + ".svg"
		orig, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		light := Slim(string(orig), PictoGrid)
		if update {
			if err := os.WriteFile(filepath.Join(dst, name), []byte(light), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(filepath.Join(dst, name))
		if err != nil || string(got) != light {
			t.Errorf("%s is not up to date: run PARCOURS_UPDATE_PICTOS=1 go test ./internal/guide -run TestLightPictos", filepath.Join(dst, name))
		}
		if strings.Count(light, "<path") != strings.Count(string(orig), "<path") {
			t.Errorf("%s: paths lost", name)
		}
		before, after = before+gz(orig), after+gz([]byte(light))
	}
	t.Logf("category pictograms, gzipped: %d bytes, light: %d bytes", before, after)
	if after*2 > before {
		t.Errorf("light pictograms weigh %d bytes gzipped, more than half of %d", after, before)
	}
}

func gz(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Len()
}

func TestSlimPath(t *testing.T) {
	for in, want := range map[string]string{
		"M10 10l2 2 2 2h4v-4z":           "M3 3l0 0l1 1h1v-1z",
		"M0 0C10 10 20 20 40 40s8 8 8 8": "M0 0c3 3 5 5 10 10s2 2 2 2",
		"M100 100a20 20 0 0 1 40 0L0 0Z": "M25 25a5 5 0 0 1 10 0l-35-25z",
		"M4 4m8 8l4 0":                   "M1 1m2 2l1 0",
		"m4 4 4 4":                       "M1 1l1 1",
	} {
		if got := slimPath(in, 4); got != want {
			t.Errorf("slimPath(%q) = %q, want %q", in, got, want)
		}
	}
}
