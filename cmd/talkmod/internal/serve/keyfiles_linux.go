package serve

import (
	"fmt"
	"os"
	"syscall"
)

// ownerOf is a file's owner.
func ownerOf(st os.FileInfo) (uid int, known bool) {
	s, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(s.Uid), true
}

// statDetail is what a stamp adds on this system: inode, owner, group and
// the change time (which chmod and chown move, unlike the modification
// time).
func statDetail(st os.FileInfo) string {
	s, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	return fmt.Sprintf("%d %d:%d %d.%d", s.Ino, s.Uid, s.Gid, s.Ctim.Sec, s.Ctim.Nsec)
}
