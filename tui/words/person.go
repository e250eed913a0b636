package words

import (
	"strconv"
	"strings"

	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// PersonName is the name to show for a participant, sanitized: "Guest"
// for a guest without a name, a phone number masked.
func PersonName(p models.Participant) string {
	n := sanitize.Line(p.Name())
	if strings.TrimSpace(n) == "" {
		if p.IsGuest() {
			return "Guest"
		}
		return "#" + strconv.FormatInt(p.AttendeeID, 10)
	}
	return n
}
