package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/talkmod/talkmod/models"
)

// PermissionMethod is how SetAttendeePermissions changes the permissions.
type PermissionMethod string

// The methods the server accepts.
const (
	// PermissionAdd adds bits to the effective permissions (add 8 = let
	// past the lobby, the web UI's "Move to conversation").
	PermissionAdd PermissionMethod = "add"
	// PermissionRemove removes bits (remove 8 = "Move back to lobby").
	PermissionRemove PermissionMethod = "remove"
	// PermissionSet stores the value (with the custom bit); set 0 resets
	// to the default.
	PermissionSet PermissionMethod = "set"
)

// Operations of this file (APIError.Op).
const (
	opParticipants = "list participants"
	opPermissions  = "change permissions"
	opRemove       = "remove participant"
)

// SetAttendeePermissions changes one attendee's permissions: method add
// or remove with PermissionIgnoreLobby (8) lets them past the lobby or
// sends them back. The server answers with the target only, always with
// inCall 0 and no sessions whatever the real state: re-read Participants
// for that. Refused before sending: a bad token, attendee id, method, or
// permissions outside 0..255 (the server's 400 value).
func (c *Client) SetAttendeePermissions(ctx context.Context, token string, attendeeID int64, method PermissionMethod, permissions int) (models.Participant, error) {
	if err := checkToken(token); err != nil {
		return models.Participant{}, err
	}
	if err := checkAttendee(attendeeID); err != nil {
		return models.Participant{}, err
	}
	switch method {
	case PermissionAdd, PermissionRemove, PermissionSet:
	default:
		return models.Participant{}, &ValidationError{Field: "method", Problem: fmt.Sprintf("permission method %q is not valid: use add, remove or set", string(method))}
	}
	if permissions < 0 || permissions > 255 {
		return models.Participant{}, &ValidationError{Field: "permissions", Problem: fmt.Sprintf("permissions %d are not valid: use 0 to 255", permissions)}
	}
	form := url.Values{
		"attendeeId":  {strconv.FormatInt(attendeeID, 10)},
		"method":      {string(method)},
		"permissions": {strconv.Itoa(permissions)},
	}
	var ps []models.Participant
	if _, err := c.call(ctx, opPermissions, http.MethodPut, talkAPI+"/room/"+token+"/attendees/permissions", form, &ps); err != nil {
		return models.Participant{}, err
	}
	for _, p := range ps {
		if p.AttendeeID == attendeeID {
			return p, nil
		}
	}
	// An answer without the target: the change was made (200), but there
	// is nothing to show; the caller re-reads the list anyway.
	return models.Participant{AttendeeID: attendeeID}, nil
}

// RemoveAttendee removes one attendee from the conversation (DELETE
// /room/{token}/attendees). Re-adding the person later gives them a new
// attendee id. Your own attendee id means "leave the conversation".
func (c *Client) RemoveAttendee(ctx context.Context, token string, attendeeID int64) error {
	if err := checkToken(token); err != nil {
		return err
	}
	if err := checkAttendee(attendeeID); err != nil {
		return err
	}
	_, err := c.call(ctx, opRemove, http.MethodDelete, talkAPI+"/room/"+token+"/attendees?attendeeId="+strconv.FormatInt(attendeeID, 10), nil, nil)
	return err
}

func checkAttendee(id int64) error {
	if id <= 0 {
		return &ValidationError{Field: "attendee", Problem: fmt.Sprintf("%d is not an attendee id (a positive number)", id)}
	}
	return nil
}
