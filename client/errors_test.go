package client

import (
	"strings"
	"testing"
)

// TestNonRoomErrorsAreNotToldAsRoomErrors: a 403/404 outside a
// conversation does not talk about moderators or removed conversations.
func TestNonRoomErrorsAreNotToldAsRoomErrors(t *testing.T) {
	for _, c := range []struct {
		err  *APIError
		want string
	}{
		{&APIError{HTTPStatus: 403, Op: "revoke app password", Message: "no app password in use"}, "does not use an app password"},
		{&APIError{HTTPStatus: 403, Op: "current user"}, "may not be allowed to use Talk"},
		{&APIError{HTTPStatus: 404, Op: "current user"}, "does not know this address"},
		{&APIError{HTTPStatus: 404, Op: "list participants"}, "conversation is gone"},
		{&APIError{HTTPStatus: 403, Op: "list participants"}, "not a moderator"},
		{&APIError{HTTPStatus: 404}, "conversation is gone"},
	} {
		if m := Message(c.err); !strings.Contains(m, c.want) {
			t.Errorf("%v: %q, want %q", c.err, m, c.want)
		}
	}
}
