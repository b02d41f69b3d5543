package glossary_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"parcours/internal/guide/glossary"
	"parcours/internal/platform/apperr"
)

// mp3 is n silent MPEG-1 layer III frames (128 kbit/s, 44.1 kHz), after an
// ID3v2 tag when id3 is set.
func mp3(n int, id3 bool) []byte {
	var b bytes.Buffer
	if id3 {
		b.Write([]byte{'I', 'D', '3', 3, 0, 0, 0, 0, 0, 10})
		b.Write(make([]byte, 10))
	}
	for i := 0; i < n; i++ {
		h := []byte{0xFF, 0xFB, 0x90, 0x00} // sync, MPEG-1, layer III, no CRC; 128 kbit/s, 44.1 kHz, no padding
		b.Write(h)
		b.Write(make([]byte, 417-4))
	}
	return b.Bytes()
}

// oggPage is one Ogg page holding one packet.
func oggPage(granule uint64, seq uint32, packet []byte) []byte {
	var b bytes.Buffer
	b.WriteString("OggS")
	b.WriteByte(0)
	b.WriteByte(0)
	binary.Write(&b, binary.LittleEndian, granule)
	binary.Write(&b, binary.LittleEndian, uint32(1)) // serial
	binary.Write(&b, binary.LittleEndian, seq)
	binary.Write(&b, binary.LittleEndian, uint32(0)) // checksum (not checked)
	b.WriteByte(1)
	b.WriteByte(byte(len(packet)))
	b.Write(packet)
	return b.Bytes()
}

func opus(seconds float64) []byte {
	head := append([]byte("OpusHead"), 1, 1, 0x38, 0x01, 0x80, 0xBB, 0, 0, 0, 0, 0) // pre-skip 312, 48 kHz
	var b bytes.Buffer
	b.Write(oggPage(0, 0, head))
	b.Write(oggPage(0, 1, []byte("OpusTags\x00\x00\x00\x00\x00\x00\x00\x00")))
	b.Write(oggPage(uint64(seconds*48000)+312, 2, make([]byte, 40)))
	return b.Bytes()
}

func box(typ string, payload ...[]byte) []byte {
	body := bytes.Join(payload, nil)
	b := make([]byte, 8, 8+len(body))
	binary.BigEndian.PutUint32(b, uint32(8+len(body)))
	copy(b[4:], typ)
	return append(b, body...)
}

func m4a(seconds float64, handler string) []byte {
	mvhd := make([]byte, 100)
	binary.BigEndian.PutUint32(mvhd[12:], 1000)
	binary.BigEndian.PutUint32(mvhd[16:], uint32(seconds*1000))
	hdlr := make([]byte, 24)
	copy(hdlr[8:], handler)
	trak := box("trak", box("tkhd", make([]byte, 84)), box("mdia", box("mdhd", make([]byte, 24)), box("hdlr", hdlr)))
	return append(box("ftyp", []byte("M4A \x00\x00\x02\x00M4A isom")), box("moov", box("mvhd", mvhd), trak)...)
}

func TestValidateAudio(t *testing.T) {
	ok := []struct {
		name   string
		data   []byte
		format string
		secs   float64
	}{
		{"wav", wav(1500), glossary.FormatWAV, 1.5},
		{"mp3", mp3(100, false), glossary.FormatMP3, 100 * 1152 / 44100.0},
		{"mp3 with ID3", mp3(60, true), glossary.FormatMP3, 60 * 1152 / 44100.0},
		{"opus", opus(2.5), glossary.FormatOpus, 2.5},
		{"m4a", m4a(3.25, "soun"), glossary.FormatM4A, 3.25},
	}
	for _, c := range ok {
		s, err := glossary.ValidateAudio(c.data)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if s.Format != c.format || (s.Duration-time.Duration(c.secs*float64(time.Second))).Abs() > 30*time.Millisecond {
			t.Errorf("%s: got %s %s, want %s %.2fs", c.name, s.Format, s.Duration, c.format, c.secs)
		}
	}
	bad := []struct {
		name string
		data []byte
		key  string
	}{
		{"empty", nil, glossary.ErrKeyEmpty},
		{"too large", append(wav(1000), make([]byte, glossary.MaxUploadBytes)...), glossary.ErrKeyTooLarge},
		{"text", []byte("this is not a sound, it is a text file that says hello"), glossary.ErrKeyType},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), glossary.ErrKeyType},
		{"html as mp3", append([]byte{0xFF, 0xFB, 0x90, 0x00}, []byte("<script>alert(1)</script>")...), glossary.ErrKeyType},
		{"video mp4", m4a(3, "vide"), glossary.ErrKeyType},
		{"short", wav(100), glossary.ErrKeyShort},
		{"long", opus(90), glossary.ErrKeyLong},
		{"truncated wav", wav(1000)[:30], glossary.ErrKeyType},
	}
	for _, c := range bad {
		_, err := glossary.ValidateAudio(c.data)
		ae, ok := apperr.As(err)
		if !ok || ae.Kind != apperr.Invalid || ae.Fields["audio"] != c.key {
			t.Errorf("%s: error %v, want the field error %s", c.name, err, c.key)
		}
	}
}

// Real files from the encoders the CLI uses pass the validation with the
// duration the encoders wrote (when espeak-ng and the encoders are here).
func TestValidateAudioRealFiles(t *testing.T) {
	for _, tool := range []string{"espeak-ng", "opusenc", "lame"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed: real-file check skipped", tool)
		}
	}
	dir := t.TempDir()
	w := filepath.Join(dir, "w.wav")
	if out, err := exec.Command("espeak-ng", "-v", "fr", "-w", w, "attestation d'hébergement").CombinedOutput(); err != nil {
		t.Fatalf("espeak-ng: %v %s", err, out)
	}
	exec.Command("opusenc", "--quiet", "--bitrate", "16", w, filepath.Join(dir, "w.opus")).Run()
	exec.Command("lame", "--quiet", "-m", "m", "-b", "24", w, filepath.Join(dir, "w.mp3")).Run()
	var base time.Duration
	for _, f := range []string{"w.wav", "w.opus", "w.mp3"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		s, err := glossary.ValidateAudio(b)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if base == 0 {
			base = s.Duration
		}
		// MP3 adds encoder delay and padding (about 50 ms at each end).
		if d := (s.Duration - base).Abs(); d > 150*time.Millisecond {
			t.Errorf("%s lasts %s, the WAV %s", f, s.Duration, base)
		}
		t.Logf("%s: %d bytes, %s", f, len(b), s.Duration)
	}
}

func FuzzValidateAudio(f *testing.F) {
	for _, s := range [][]byte{wav(1000), mp3(50, true), opus(2), m4a(2, "soun"), []byte("OggS"), []byte("RIFF\x00\x00\x00\x00WAVE"),
		[]byte("\x00\x00\x00\x18ftypM4A "), {0xFF, 0xFB}, []byte("ID3\x03\x00\x00\x7f\x7f\x7f\x7f")} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := glossary.ValidateAudio(b)
		if err != nil {
			if ae, ok := apperr.As(err); !ok || ae.Kind != apperr.Invalid || ae.Fields["audio"] == "" {
				t.Fatalf("error of the wrong kind: %v", err)
			}
			if errors.Is(err, apperr.ErrNotFound) {
				t.Fatal("not found?")
			}
			return
		}
		if s.Duration < glossary.MinDuration || s.Duration > glossary.MaxDuration || len(b) > glossary.MaxUploadBytes {
			t.Fatalf("accepted %s of %d bytes", s.Duration, len(b))
		}
		switch s.Format {
		case glossary.FormatWAV, glossary.FormatMP3, glossary.FormatOpus, glossary.FormatOgg, glossary.FormatM4A:
		default:
			t.Fatalf("format %q", s.Format)
		}
	})
}
