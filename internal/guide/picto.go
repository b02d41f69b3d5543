package guide

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// The home page shows the 18 category pictograms at once. As drawn
// (Mulberry Symbols, web/static/picto/cat-*.svg) they weigh 62 KB gzipped,
// more than the page's whole budget; Slim redraws them on a coarser grid
// (a quarter of the 850-unit canvas, still 3 units per pixel at the tile
// size), which keeps them identical to the eye at 26 KB. The light copies
// are web/static/guide/cat-*.svg, rebuilt and checked by TestLightPictos
// (CC BY-SA 4.0, like the originals; see web/static/guide/CREDITS.md).

// PictoGrid is the factor the light pictograms are scaled down by.
const PictoGrid = 4

var (
	pathData    = regexp.MustCompile(`\sd="([^"]*)"`)
	pathToken   = regexp.MustCompile(`([MmLlHhVvCcSsQqTtAaZz])|([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)`)
	svgRoot     = regexp.MustCompile(`<svg[^>]*>`)
	rootSize    = regexp.MustCompile(` (width|height|viewBox)="([^"]*)"`)
	strokeAttr  = regexp.MustCompile(`stroke-(width|dasharray)(="|:)([-\d., ]+)`)
	pathArgsLen = map[byte]int{'M': 2, 'L': 2, 'H': 1, 'V': 1, 'C': 6, 'S': 4, 'Q': 4, 'T': 2, 'A': 7, 'Z': 0}
)

// Slim scales an SVG drawing down by grid and rounds its path coordinates
// to whole units. Paths are rewritten with relative commands computed from
// rounded absolute points, so rounding errors do not add up along a path.
func Slim(svg string, grid float64) string {
	out := pathData.ReplaceAllStringFunc(svg, func(m string) string {
		return ` d="` + slimPath(pathData.FindStringSubmatch(m)[1], grid) + `"`
	})
	out = strokeAttr.ReplaceAllStringFunc(out, func(m string) string {
		p := strokeAttr.FindStringSubmatch(m)
		return "stroke-" + p[1] + p[2] + scaleList(p[3], grid)
	})
	return svgRoot.ReplaceAllStringFunc(out, func(root string) string {
		return rootSize.ReplaceAllStringFunc(root, func(a string) string {
			p := rootSize.FindStringSubmatch(a)
			return " " + p[1] + `="` + scaleList(p[2], grid) + `"`
		})
	})
}

// scaleList divides each number of a space- or comma-separated list.
func scaleList(s string, grid float64) string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' })
	for i, x := range f {
		v, err := strconv.ParseFloat(x, 64)
		if err != nil {
			return s
		}
		f[i] = strconv.FormatFloat(math.Round(v/grid*100)/100, 'f', -1, 64)
	}
	return strings.Join(f, " ")
}

func slimPath(d string, grid float64) string {
	toks := pathToken.FindAllString(d, -1)
	var b strings.Builder
	var cmd byte
	var cx, cy, sx, sy float64 // current and subpath start points, exact
	var rx, ry int             // current point, rounded (in grid units)
	round := func(v float64) int { return int(math.Round(v / grid)) }
	nums := func(vs ...int) {
		for i, v := range vs {
			if i > 0 && v >= 0 {
				b.WriteByte(' ')
			}
			b.WriteString(strconv.Itoa(v))
		}
	}
	for i := 0; i < len(toks); {
		t := toks[i]
		if c := t[0]; strings.IndexByte("MmLlHhVvCcSsQqTtAaZz", c) >= 0 {
			cmd, i = c, i+1
			if c == 'Z' || c == 'z' {
				b.WriteByte('z')
				cx, cy = sx, sy
				rx, ry = round(sx), round(sy)
				continue
			}
		} else {
			switch cmd {
			case 0:
				return d
			case 'M':
				cmd = 'L'
			case 'm':
				cmd = 'l'
			}
		}
		up := cmd &^ 0x20
		n := pathArgsLen[up]
		if i+n > len(toks) {
			break
		}
		args := make([]float64, n)
		for k := range args {
			args[k], _ = strconv.ParseFloat(toks[i+k], 64)
		}
		i += n
		ox, oy := 0.0, 0.0
		if cmd >= 'a' {
			ox, oy = cx, cy
		}
		switch up {
		case 'H':
			cx = args[0] + ox
			x := round(cx)
			b.WriteByte('h')
			nums(x - rx)
			rx = x
		case 'V':
			cy = args[0] + oy
			y := round(cy)
			b.WriteByte('v')
			nums(y - ry)
			ry = y
		case 'A':
			cx, cy = args[5]+ox, args[6]+oy
			x, y := round(cx), round(cy)
			b.WriteByte('a')
			nums(round(args[0]), round(args[1]), int(math.Round(args[2])), int(args[3]), int(args[4]), x-rx, y-ry)
			rx, ry = x, y
		default:
			rel := make([]int, 0, n)
			var x, y int
			for k := 0; k < n; k += 2 {
				x, y = round(args[k]+ox), round(args[k+1]+oy)
				rel = append(rel, x-rx, y-ry)
			}
			if up == 'M' && b.Len() == 0 {
				b.WriteByte('M')
				nums(x, y)
			} else {
				b.WriteByte(byte(up) | 0x20)
				nums(rel...)
			}
			cx, cy = args[n-2]+ox, args[n-1]+oy
			if up == 'M' {
				sx, sy = cx, cy
			}
			rx, ry = x, y
		}
	}
	return b.String()
}
