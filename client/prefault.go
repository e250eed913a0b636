package client

import (
	"unsafe"

	"github.com/talkmod/talkmod/models"
)

func uintptrOf(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }

// prefaultRooms is prefault for the room slice's backing array.
func prefaultRooms(rooms []models.Room) {
	if cap(rooms) == 0 {
		return
	}
	size := cap(rooms) * int(unsafe.Sizeof(models.Room{}))
	prefault(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(rooms))), size))
}
