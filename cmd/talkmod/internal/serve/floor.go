package serve

import (
	"context"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/floor"
)

// The floor and the call in an SSH session (issue 17): each is a change,
// audited and refused for a read-only key, like the others of
// sessionBackend. The attendance list is not a change, but it hands out
// the attendees' e-mail addresses: it is refused and audited the same way.

var _ floor.Backend = (*sessionBackend)(nil)

// SetDefaultPermissions sets the room default (it resets the rights given
// to people).
func (b *sessionBackend) SetDefaultPermissions(ctx context.Context, token string, permissions int) (models.Room, error) {
	return b.change("default-permissions", token, map[string]any{"permissions": permissions}, func() (models.Room, error) {
		return b.c.SetDefaultPermissions(ctx, token, permissions)
	})
}

// PromoteModerator makes an attendee a moderator.
func (b *sessionBackend) PromoteModerator(ctx context.Context, token string, attendeeID int64) error {
	_, err := b.change("promote", token, map[string]any{"attendeeId": attendeeID}, func() (models.Room, error) {
		return models.Room{}, b.c.PromoteModerator(ctx, token, attendeeID)
	})
	return err
}

// DemoteModerator makes a moderator a plain participant.
func (b *sessionBackend) DemoteModerator(ctx context.Context, token string, attendeeID int64) error {
	_, err := b.change("demote", token, map[string]any{"attendeeId": attendeeID}, func() (models.Room, error) {
		return models.Room{}, b.c.DemoteModerator(ctx, token, attendeeID)
	})
	return err
}

// EndCallForEveryone ends the call (join, end, leave: one audit line).
func (b *sessionBackend) EndCallForEveryone(ctx context.Context, token string) error {
	_, err := b.change("end-call", token, map[string]any{"all": true}, func() (models.Room, error) {
		return models.Room{}, b.c.EndCallForEveryone(ctx, token)
	})
	return err
}

// Attendance downloads the attendance list (refused read-only, audited).
func (b *sessionBackend) Attendance(ctx context.Context, token string) (client.Attendance, error) {
	var a client.Attendance
	_, err := b.change("attendance", token, nil, func() (models.Room, error) {
		var err error
		a, err = b.c.Attendance(ctx, token)
		return models.Room{}, err
	})
	return a, err
}
