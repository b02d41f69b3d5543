package glossary

import (
	"bytes"
	"encoding/binary"
	"time"

	"parcours/internal/platform/apperr"
)

// Limits of an uploaded recording.
const (
	MaxUploadBytes = 2 << 20 // 2 MiB
	MinDuration    = 300 * time.Millisecond
	MaxDuration    = 60 * time.Second
)

// Audio formats, as stored (the extension of the URL).
const (
	FormatOpus = "opus" // Ogg Opus
	FormatOgg  = "ogg"  // Ogg Vorbis
	FormatMP3  = "mp3"
	FormatM4A  = "m4a" // MPEG-4 audio (AAC), what phones record
	FormatWAV  = "wav"
)

// ContentType is the MIME type a format is served with.
func ContentType(format string) string {
	switch format {
	case FormatOpus:
		return "audio/ogg; codecs=opus"
	case FormatOgg:
		return "audio/ogg"
	case FormatMP3:
		return "audio/mpeg"
	case FormatM4A:
		return "audio/mp4"
	case FormatWAV:
		return "audio/wav"
	}
	return "application/octet-stream"
}

// Sniffed is what the content of an audio file says it is.
type Sniffed struct {
	Format   string
	Duration time.Duration
}

// Validation errors of an upload (message IDs).
const (
	ErrKeyEmpty    = "glossary.audio.error.empty"
	ErrKeyTooLarge = "glossary.audio.error.too_large"
	ErrKeyType     = "glossary.audio.error.type"
	ErrKeyShort    = "glossary.audio.error.too_short"
	ErrKeyLong     = "glossary.audio.error.too_long"
)

func invalidAudio(key string) error {
	return apperr.Validation(map[string]string{"audio": key})
}

// ValidateAudio checks an uploaded recording: not empty, at most
// MaxUploadBytes, a format recognised from its bytes (never from the name
// or the type the browser sent: Ogg Opus or Vorbis, MP3, MPEG-4 audio, WAV),
// and a duration between MinDuration and MaxDuration read from the file's
// own headers. Errors are validation errors on the field "audio".
func ValidateAudio(b []byte) (Sniffed, error) {
	switch {
	case len(b) == 0:
		return Sniffed{}, invalidAudio(ErrKeyEmpty)
	case len(b) > MaxUploadBytes:
		return Sniffed{}, invalidAudio(ErrKeyTooLarge)
	}
	s, ok := Sniff(b)
	if !ok {
		return Sniffed{}, invalidAudio(ErrKeyType)
	}
	switch {
	case s.Duration < MinDuration:
		return s, invalidAudio(ErrKeyShort)
	case s.Duration > MaxDuration:
		return s, invalidAudio(ErrKeyLong)
	}
	return s, nil
}

// Sniff recognises an audio file from its bytes and reads its duration.
func Sniff(b []byte) (Sniffed, bool) {
	switch {
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WAVE":
		return sniffWAV(b)
	case len(b) >= 4 && string(b[:4]) == "OggS":
		return sniffOgg(b)
	case len(b) >= 12 && string(b[4:8]) == "ftyp":
		return sniffMP4(b)
	}
	return sniffMP3(b)
}

// sniffWAV reads the fmt and data chunks of a RIFF WAVE file.
func sniffWAV(b []byte) (Sniffed, bool) {
	var byteRate, dataLen uint32
	for p := 12; p+8 <= len(b); {
		id, size := string(b[p:p+4]), binary.LittleEndian.Uint32(b[p+4:p+8])
		body := p + 8
		switch id {
		case "fmt ":
			if size < 16 || body+16 > len(b) {
				return Sniffed{}, false
			}
			format := binary.LittleEndian.Uint16(b[body:])
			if format != 1 && format != 3 && format != 0xFFFE {
				return Sniffed{}, false
			}
			byteRate = binary.LittleEndian.Uint32(b[body+8:])
		case "data":
			dataLen = size
			if rest := uint32(len(b) - body); dataLen > rest {
				dataLen = rest // streamed WAV (size unknown) or truncated
			}
			if byteRate == 0 {
				return Sniffed{}, false
			}
			return Sniffed{Format: FormatWAV, Duration: time.Duration(float64(dataLen) / float64(byteRate) * float64(time.Second))}, true
		}
		next := uint64(body) + uint64(size) + uint64(size&1)
		if next > uint64(len(b)) {
			break
		}
		p = int(next)
	}
	return Sniffed{}, false
}

// sniffOgg reads the first packet (Opus or Vorbis identification header)
// and the granule position of the last page.
func sniffOgg(b []byte) (Sniffed, bool) {
	const hdr = 27
	if len(b) < hdr+1 || b[4] != 0 {
		return Sniffed{}, false
	}
	segs := int(b[26])
	start := hdr + segs
	if len(b) < start+19 {
		return Sniffed{}, false
	}
	pkt := b[start:]
	var format string
	var rate, preskip uint64
	switch {
	case bytes.HasPrefix(pkt, []byte("OpusHead")):
		format, rate, preskip = FormatOpus, 48000, uint64(binary.LittleEndian.Uint16(pkt[10:12]))
	case len(pkt) >= 16 && bytes.HasPrefix(pkt, []byte("\x01vorbis")):
		format, rate = FormatOgg, uint64(binary.LittleEndian.Uint32(pkt[12:16]))
	default:
		return Sniffed{}, false
	}
	if rate == 0 {
		return Sniffed{}, false
	}
	// The last page: the last "OggS" capture pattern with a version 0 header.
	var granule uint64
	found := false
	for i := len(b) - hdr; i >= 0; i-- {
		if b[i] == 'O' && string(b[i:i+4]) == "OggS" && b[i+4] == 0 {
			granule = binary.LittleEndian.Uint64(b[i+6 : i+14])
			if granule != ^uint64(0) { // -1: no packet ends on this page
				found = true
				break
			}
		}
	}
	if !found || granule <= preskip {
		return Sniffed{}, false
	}
	secs := float64(granule-preskip) / float64(rate)
	if secs > 24*3600 {
		return Sniffed{}, false
	}
	return Sniffed{Format: format, Duration: time.Duration(secs * float64(time.Second))}, true
}

// sniffMP4 walks the boxes of an MPEG-4 file: it needs a movie header
// (duration) and at least one sound track, and no video track.
func sniffMP4(b []byte) (Sniffed, bool) {
	moov, ok := findBox(b, "moov")
	if !ok {
		return Sniffed{}, false
	}
	mvhd, ok := findBox(moov, "mvhd")
	if !ok || len(mvhd) < 20 {
		return Sniffed{}, false
	}
	var scale, dur uint64
	if mvhd[0] == 1 {
		if len(mvhd) < 32 {
			return Sniffed{}, false
		}
		scale, dur = uint64(binary.BigEndian.Uint32(mvhd[20:24])), binary.BigEndian.Uint64(mvhd[24:32])
	} else {
		scale, dur = uint64(binary.BigEndian.Uint32(mvhd[12:16])), uint64(binary.BigEndian.Uint32(mvhd[16:20]))
	}
	if scale == 0 {
		return Sniffed{}, false
	}
	sound := false
	for rest := moov; ; {
		trak, after, ok := nextBox(rest, "trak")
		if !ok {
			break
		}
		rest = after
		mdia, ok := findBox(trak, "mdia")
		if !ok {
			continue
		}
		hdlr, ok := findBox(mdia, "hdlr")
		if !ok || len(hdlr) < 12 {
			continue
		}
		switch string(hdlr[8:12]) {
		case "soun":
			sound = true
		case "vide":
			return Sniffed{}, false
		}
	}
	secs := float64(dur) / float64(scale)
	if !sound || secs > 24*3600 {
		return Sniffed{}, false
	}
	return Sniffed{Format: FormatM4A, Duration: time.Duration(secs * float64(time.Second))}, true
}

// findBox returns the payload of the first box of type typ among the boxes
// that make up b.
func findBox(b []byte, typ string) ([]byte, bool) {
	p, _, ok := nextBox(b, typ)
	return p, ok
}

// nextBox returns the payload of the first box typ in b and what follows it.
func nextBox(b []byte, typ string) (payload, rest []byte, ok bool) {
	for len(b) >= 8 {
		size := uint64(binary.BigEndian.Uint32(b[:4]))
		head := uint64(8)
		switch size {
		case 0:
			size = uint64(len(b))
		case 1:
			if len(b) < 16 {
				return nil, nil, false
			}
			size, head = binary.BigEndian.Uint64(b[8:16]), 16
		}
		if size < head || size > uint64(len(b)) {
			return nil, nil, false
		}
		if string(b[4:8]) == typ {
			return b[head:size], b[size:], true
		}
		b = b[size:]
	}
	return nil, nil, false
}

// MPEG audio tables (layer III, and the layers I and II for the lengths).
var (
	mp3Rates = [4][3]int{ // [version][index]; version 0: 2.5, 2: MPEG-2, 3: MPEG-1
		{11025, 12000, 8000}, {}, {22050, 24000, 16000}, {44100, 48000, 32000},
	}
	// kbps by [mpeg1?][layer 1..3][index]
	mp3Bitrates = [2][4][16]int{
		{{}, {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256}, {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}, {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}},
		{{}, {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448}, {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384}, {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}},
	}
)

// sniffMP3 skips an ID3v2 tag, then walks MPEG audio frames from the
// start: the file is MP3 when at least 3 frames follow each other and
// they cover most of the file; the duration is the sum of the frames.
func sniffMP3(b []byte) (Sniffed, bool) {
	p := 0
	if len(b) >= 10 && string(b[:3]) == "ID3" {
		size := int(b[6]&0x7f)<<21 | int(b[7]&0x7f)<<14 | int(b[8]&0x7f)<<7 | int(b[9]&0x7f)
		p = 10 + size
		if b[5]&0x10 != 0 {
			p += 10 // footer
		}
	}
	start := p
	frames := 0
	var samples float64
	for p+4 <= len(b) {
		h := binary.BigEndian.Uint32(b[p : p+4])
		if h>>21 != 0x7ff {
			break
		}
		version := int(h>>19) & 3
		layer := 4 - int(h>>17)&3 // 1, 2, 3 (4 is reserved)
		bi := int(h>>12) & 0xf
		ri := int(h>>10) & 3
		pad := int(h>>9) & 1
		if version == 1 || layer == 4 || bi == 0 || bi == 15 || ri == 3 {
			break
		}
		mpeg1 := 0
		if version == 3 {
			mpeg1 = 1
		}
		rate := mp3Rates[version][ri]
		kbps := mp3Bitrates[mpeg1][layer][bi]
		var length, spf int
		switch {
		case layer == 1:
			length, spf = (12*kbps*1000/rate+pad)*4, 384
		case layer == 2 || mpeg1 == 1:
			length, spf = 144*kbps*1000/rate+pad, 1152
		default: // layer III, MPEG-2 or 2.5
			length, spf = 72*kbps*1000/rate+pad, 576
		}
		if layer == 2 {
			spf = 1152
		}
		if length < 4 {
			break
		}
		if p+length > len(b) {
			// A last frame cut short still counts if the rest was sound.
			if frames >= 3 {
				p = len(b)
			}
			break
		}
		frames++
		samples += float64(spf) / float64(rate)
		p += length
	}
	rest := len(b) - p
	if len(b)-p >= 128 && string(b[len(b)-128:len(b)-125]) == "TAG" {
		rest -= 128
	}
	covered := p - start
	if frames < 3 || covered <= 0 || rest > covered/10+512 {
		return Sniffed{}, false
	}
	return Sniffed{Format: FormatMP3, Duration: time.Duration(samples * float64(time.Second))}, true
}
