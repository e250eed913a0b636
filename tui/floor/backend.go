// Package floor is the console's floor and call: the room's default
// permissions chooser (P, Chooser: a dialog.Dialog), ending the call for
// everyone (E, a dialog.Confirm), the attendance list (d) — List, the
// floor's part of the room list — and the floor and co-moderators in the
// people view (f, F, m: People, which tui/people holds). Each is a
// component with its own state, keys, Update and View; the console finds
// what it needs of the server by a type assertion on its backend
// (Backend, Of), as it does for the dial-in card.
package floor

import (
	"context"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
)

// Backend is what the floor components ask of the server. *client.Client
// satisfies it, and so does serve's session backend (audited, refused for
// read-only keys).
type Backend interface {
	Participants(ctx context.Context, token string) ([]models.Participant, error)
	SetAttendeePermissions(ctx context.Context, token string, attendeeID int64, method client.PermissionMethod, permissions int) (models.Participant, error)
	SetDefaultPermissions(ctx context.Context, token string, permissions int) (models.Room, error)
	PromoteModerator(ctx context.Context, token string, attendeeID int64) error
	DemoteModerator(ctx context.Context, token string, attendeeID int64) error
	EndCallForEveryone(ctx context.Context, token string) error
	Attendance(ctx context.Context, token string) (client.Attendance, error)
}

var _ Backend = (*client.Client)(nil)

// Of finds the floor backend behind the console's backend (nil when it
// has none: a fake, an old build).
func Of(be any) Backend {
	b, _ := be.(Backend)
	return b
}
