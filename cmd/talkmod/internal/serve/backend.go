package serve

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/safetext"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// readOnlyError is the answer of a read-only session's backend to a
// change: nothing is sent.
type readOnlyError struct{}

func (readOnlyError) Error() string { return common.ReadOnlyNote + "; nothing was sent" }

// sessionBackend is the console's backend in an SSH session: the
// session's own client, plus the audit log of every change attempt, the
// read-only refusal, and the watch for a revoked login (401).
type sessionBackend struct {
	c        *client.Client
	readOnly bool
	sv       *server
	sess     *session
	ctx      context.Context // the session's

	names        sync.Map // token → room name, from the lists read
	unauthorized atomic.Bool
}

var (
	_ tui.Backend = (*sessionBackend)(nil)
	_ interface {
		DialInInfo(ctx context.Context, token string) (string, error)
	} = (*sessionBackend)(nil)
)

func (b *sessionBackend) note(err error) error {
	if err != nil && client.KindOf(err) == client.KindUnauthorized {
		b.unauthorized.Store(true)
	}
	return err
}

func (b *sessionBackend) Capabilities(ctx context.Context) (models.Capabilities, error) {
	caps, err := b.c.Capabilities(ctx)
	return caps, b.note(err)
}

func (b *sessionBackend) ListRooms(ctx context.Context, opts client.ListOptions) (*client.RoomList, error) {
	l, err := b.c.ListRooms(ctx, opts)
	if err == nil && l != nil {
		for _, r := range l.Rooms {
			b.names.Store(r.Token, r.DisplayName)
		}
	}
	return l, b.note(err)
}

func (b *sessionBackend) GetRoom(ctx context.Context, token string) (models.Room, error) {
	r, err := b.c.GetRoom(ctx, token)
	if err == nil {
		b.names.Store(r.Token, r.DisplayName)
	}
	return r, b.note(err)
}

// DialInInfo passes the dial-in card's text through (the console finds it
// by a type assertion).
func (b *sessionBackend) DialInInfo(ctx context.Context, token string) (string, error) {
	text, err := b.c.DialInInfo(ctx, token)
	return text, b.note(err)
}

func (b *sessionBackend) SetLobby(ctx context.Context, token string, state models.LobbyState, timer *time.Time) (models.Room, error) {
	vals := map[string]any{"state": int(state)}
	if timer != nil {
		vals["timer"] = timer.Unix()
		vals["timerUTC"] = timer.UTC().Format(time.RFC3339)
	}
	return b.change("lobby", token, vals, func() (models.Room, error) { return b.c.SetLobby(ctx, token, state, timer) })
}

func (b *sessionBackend) SetSIP(ctx context.Context, token string, state models.SIPState) (models.Room, error) {
	return b.change("sip", token, map[string]any{"state": int(state)}, func() (models.Room, error) { return b.c.SetSIP(ctx, token, state) })
}

// Participants passes the people view's read through.
func (b *sessionBackend) Participants(ctx context.Context, token string) ([]models.Participant, error) {
	ps, err := b.c.Participants(ctx, token)
	return ps, b.note(err)
}

// SetAttendeePermissions (let in, send back) is a change: audited, and
// refused in a read-only session.
func (b *sessionBackend) SetAttendeePermissions(ctx context.Context, token string, attendeeID int64, method client.PermissionMethod, permissions int) (models.Participant, error) {
	var p models.Participant
	vals := map[string]any{"attendeeId": attendeeID, "method": string(method), "permissions": permissions}
	_, err := b.change("attendee-permissions", token, vals, func() (models.Room, error) {
		var err error
		p, err = b.c.SetAttendeePermissions(ctx, token, attendeeID, method, permissions)
		return models.Room{}, err
	})
	return p, err
}

// RemoveAttendee is a change: audited, and refused in a read-only session.
func (b *sessionBackend) RemoveAttendee(ctx context.Context, token string, attendeeID int64) error {
	_, err := b.change("remove-attendee", token, map[string]any{"attendeeId": attendeeID}, func() (models.Room, error) {
		return models.Room{}, b.c.RemoveAttendee(ctx, token, attendeeID)
	})
	return err
}

// change runs (or, read-only, refuses) one change and writes its audit
// line.
func (b *sessionBackend) change(action, token string, vals map[string]any, do func() (models.Room, error)) (models.Room, error) {
	ev := b.sess.who()
	ev.Event, ev.Action, ev.Token, ev.Values = "change", action, token, vals
	if n, ok := b.names.Load(token); ok {
		ev.RoomName, _ = n.(string)
	}
	if b.sv.keys != nil && b.sv.keys.roleOf(b.sess.fp) != roleReadWrite && !b.readOnly {
		// the key was removed or made read-only since the session began
		ev.Outcome, ev.Reason, ev.Message = "refused", "key", "the key is no longer authorized to change things: nothing was sent"
		b.sv.audit.log(ev)
		return models.Room{}, readOnlyError{}
	}
	if b.readOnly {
		ev.Outcome, ev.Reason, ev.Message = "refused", "read-only", "read-only session: nothing was sent"
		b.sv.audit.log(ev)
		return models.Room{}, readOnlyError{}
	}
	b.sv.inflight.Add(1)
	defer b.sv.inflight.Add(-1)
	room, err := do()
	switch {
	case err != nil && b.sv.shuttingDown.Load() && errors.Is(b.ctx.Err(), context.Canceled):
		// the grace period ended before the server answered: whether the
		// change was applied is unknown, and the log says so
		ev.Outcome, ev.Reason = "unknown", "shutdown"
		ev.Message = fmt.Sprintf("no answer within the %s the server gives changes in flight when it stops: the change may have been applied; check the room", b.sv.o.ShutdownGrace)
	case err != nil:
		ev.Outcome = "error"
		ev.Status, ev.Reason, ev.Message = b.sv.o.ErrorFields(err)
	default:
		ev.Outcome, ev.Status = "ok", 200
		if room.DisplayName != "" {
			ev.RoomName = room.DisplayName
		}
	}
	b.sv.audit.log(ev)
	return room, b.note(err)
}

// clientErrorFields describes a client error for the audit log: the HTTP
// status, the server's error word (else the client's kind of error), and
// the client's message in plain words.
func clientErrorFields(err error) (status int, reason, message string) {
	var ae *client.APIError
	var re *client.ResponseError
	switch {
	case errors.As(err, &ae):
		status, reason = ae.HTTPStatus, ae.Reason
	case errors.As(err, &re):
		status = re.HTTPStatus
	}
	return status, cmp.Or(reason, client.KindOf(err).String()), safetext.RedactURLs(sanitize.Line(client.Message(err)))
}

// refusedKey writes a key a read-only console refused to the audit log:
// an attempt to change something, of which nothing was sent.
func (b *sessionBackend) refusedKey(key string) {
	ev := b.sess.who()
	ev.Event, ev.Action, ev.Outcome, ev.Reason = "change", "key "+key, "refused", "read-only"
	ev.Message = "read-only session: nothing was sent"
	b.sv.audit.log(ev)
}
