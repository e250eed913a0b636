//go:build !linux

package client

// prefault does nothing here (see prefault_linux.go).
func prefault([]byte) {}
