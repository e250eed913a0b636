package people

import (
	"time"

	"github.com/talkmod/talkmod/models"
)

// LastRead is the view's last good read of the room id (its ID,
// common.Env.ID), and when (ok is false when the view has not read that
// room, or its last read failed): the doctor page (tui/doctor) judges by
// it instead of asking again.
func (p *Page) LastRead(id string) (people []models.Participant, at time.Time, ok bool) {
	if p == nil || p.id != id || !p.loaded || p.readErr != nil {
		return nil, time.Time{}, false
	}
	return p.people, p.readAt, true
}
