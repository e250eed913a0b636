package tui

import (
	"context"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
)

// Backend is what the console asks of the server. *client.Client
// satisfies it; tests use a fake.
type Backend interface {
	Capabilities(ctx context.Context) (models.Capabilities, error)
	ListRooms(ctx context.Context, opts client.ListOptions) (*client.RoomList, error)
	GetRoom(ctx context.Context, token string) (models.Room, error)
	SetLobby(ctx context.Context, token string, state models.LobbyState, timer *time.Time) (models.Room, error)
	SetSIP(ctx context.Context, token string, state models.SIPState) (models.Room, error)
	// The people view (people.go).
	Participants(ctx context.Context, token string) ([]models.Participant, error)
	SetAttendeePermissions(ctx context.Context, token string, attendeeID int64, method client.PermissionMethod, permissions int) (models.Participant, error)
	RemoveAttendee(ctx context.Context, token string, attendeeID int64) error
}

var _ Backend = (*client.Client)(nil)
