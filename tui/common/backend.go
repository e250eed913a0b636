package common

import (
	"context"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
)

// Backend is what the console asks of the server (tui.Backend). *client.Client
// satisfies it; tests use a fake. A page that needs more asks for an
// interface of its own with a type assertion, as the detail pane does for
// the SIP dial-in text, so Backend stays as it is.
type Backend interface {
	Capabilities(ctx context.Context) (models.Capabilities, error)
	ListRooms(ctx context.Context, opts client.ListOptions) (*client.RoomList, error)
	GetRoom(ctx context.Context, token string) (models.Room, error)
	SetLobby(ctx context.Context, token string, state models.LobbyState, timer *time.Time) (models.Room, error)
	SetSIP(ctx context.Context, token string, state models.SIPState) (models.Room, error)
	// The people view (tui/people).
	Participants(ctx context.Context, token string) ([]models.Participant, error)
	SetAttendeePermissions(ctx context.Context, token string, attendeeID int64, method client.PermissionMethod, permissions int) (models.Participant, error)
	RemoveAttendee(ctx context.Context, token string, attendeeID int64) error
}

var _ Backend = (*client.Client)(nil)

// Env is what the root tells a page with each call.
type Env struct {
	// Backend is nil when there is no server to ask.
	Backend Backend
	// Room is the page's room as the list has it now; InList is false
	// once it left the list (Room then has only its token).
	Room   models.Room
	InList bool
	// ID is the room's identity in the list (roomlist.IDOf: its token
	// with one account, its account and token with several): what the
	// page keys what it keeps about the room by.
	ID string
	// User is the logged-in user.
	User string
	// Spin is the spinner's frame now.
	Spin string

	// What the console read of the server, for a page that judges by it
	// (the doctor page): the capabilities, the SIP dial-in text (nil: not
	// read; DialInErr: why it could not be), when the list was last read,
	// and Hold: why no request should go now ("": none; logged out,
	// throttled).
	Caps       models.Capabilities
	DialIn     *string
	DialInErr  string
	ListReadAt time.Time
	Hold       string
}
