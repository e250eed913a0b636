//go:build !linux

package serve

import "os"

// ownerOf: the owner is not read on this system (the mode still is).
func ownerOf(os.FileInfo) (uid int, known bool) { return 0, false }

// statDetail: the mode, size and modification time are the stamp here.
func statDetail(os.FileInfo) string { return "" }
