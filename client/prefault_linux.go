package client

import "syscall"

// madvPopulateWrite is Linux's MADV_POPULATE_WRITE (5.14+; older kernels
// refuse it, which is harmless).
const madvPopulateWrite = 23

// prefault asks the kernel to back a large new buffer at once, with huge
// pages where it can, instead of one page fault per 4 KB as it fills: on
// virtual machines a fault is expensive, and a 10,000-room list is
// 15 MB. Advice only: any error is ignored.
func prefault(b []byte) {
	b = b[:cap(b)]
	if len(b) < 1<<20 {
		return
	}
	// whole pages inside b only
	const page = 4096
	start := (page - int(uintptrOf(b))%page) % page
	end := start + (len(b)-start)/page*page
	if end <= start {
		return
	}
	_ = syscall.Madvise(b[start:end], syscall.MADV_HUGEPAGE)
	_ = syscall.Madvise(b[start:end], madvPopulateWrite)
}
