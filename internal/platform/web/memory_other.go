//go:build !linux

package web

// releaseExecutable does nothing outside Linux.
func releaseExecutable() {}

// residentBytes is not known outside Linux.
func residentBytes() int64 { return 0 }
