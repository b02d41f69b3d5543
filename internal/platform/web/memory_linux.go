package web

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// releaseExecutable drops from the process the resident pages of the
// executable's read-only mappings (code, read-only data: r-xp and r--p),
// with madvise(MADV_DONTNEED). For a private file mapping that was never
// written, the kernel maps the file's pages again on the next access (from
// the page cache): nothing is lost. A mapping holding any anonymous page
// (copy-on-write: relocations of a position-independent binary made
// read-only afterwards, or a debugger's breakpoint) is left alone: dropping
// it would bring back the file's original bytes.
func releaseExecutable() {
	exe, err := os.Stat("/proc/self/exe")
	if err != nil {
		return
	}
	st, ok := exe.Sys().(*syscall.Stat_t)
	if !ok {
		return
	}
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return
	}
	defer f.Close()
	var regions []mapping
	var cur *mapping
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) == 0 {
			continue
		}
		if c := line[0]; (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') {
			if r, ok := parseMapping(string(line), st); ok {
				regions = append(regions, r)
				cur = &regions[len(regions)-1]
			} else {
				cur = nil
			}
			continue
		}
		if cur == nil || !cur.ours {
			continue
		}
		if rest, ok := bytes.CutPrefix(line, []byte("Anonymous:")); ok {
			if kb, _ := strconv.ParseInt(string(bytes.Fields(rest)[0]), 10, 64); kb != 0 {
				cur.anon = true
			}
		}
	}
	if sc.Err() != nil {
		return
	}
	for _, r := range regions {
		if r.ours && !r.anon {
			_ = madvise(r.start, r.end-r.start, syscall.MADV_DONTNEED)
		}
	}
}

// mapping is one line of /proc/self/maps.
type mapping struct {
	start, end uintptr
	ours       bool // a read-only private mapping of the executable
	anon       bool // holds anonymous (copy-on-write) pages
}

// parseMapping reads a mapping line of /proc/self/smaps:
// "start-end perms offset dev inode path". A mapping is ours when it maps
// the executable (same device and inode) read-only and private.
func parseMapping(line string, exe *syscall.Stat_t) (r mapping, ok bool) {
	f := strings.Fields(line)
	if len(f) < 5 {
		return r, false
	}
	lo, hi, found := strings.Cut(f[0], "-")
	if !found {
		return r, false
	}
	start, err1 := strconv.ParseUint(lo, 16, 64)
	end, err2 := strconv.ParseUint(hi, 16, 64)
	if err1 != nil || err2 != nil || end <= start {
		return r, false
	}
	r.start, r.end = uintptr(start), uintptr(end)
	inode, _ := strconv.ParseUint(f[4], 10, 64)
	major, minor, _ := strings.Cut(f[3], ":")
	ma, _ := strconv.ParseUint(major, 16, 32)
	mi, _ := strconv.ParseUint(minor, 16, 32)
	perms := f[1]
	r.ours = (perms == "r-xp" || perms == "r--p") && inode != 0 && inode == exe.Ino &&
		uint64(exe.Dev) == mkdev(ma, mi)
	return r, true
}

// mkdev encodes a device number as the kernel reports it in stat(2)
// (glibc's gnu_dev_makedev).
func mkdev(major, minor uint64) uint64 {
	return (minor & 0xff) | (major&0xfff)<<8 | (minor&^0xff)<<12 | (major&^0xfff)<<32
}

func madvise(addr, length uintptr, advice int) error {
	_, _, e := syscall.Syscall(syscall.SYS_MADVISE, addr, length, uintptr(advice))
	if e != 0 {
		return e
	}
	return nil
}

// residentBytes is VmRSS from /proc/self/status.
func residentBytes() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb << 10
			}
		}
	}
	return 0
}
