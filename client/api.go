package client

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/talkmod/talkmod/models"
)

// Version is talkmod's version, sent in the User-Agent.
var Version = "0.1.0"

// Config sets up a Client.
type Config struct {
	// BaseURL is the Nextcloud server, e.g. https://cloud.example.com or
	// https://example.com/nextcloud.
	BaseURL string
	// User is the login name; AppPassword the app password.
	User        string
	AppPassword string
	// UserAgent overrides the default "talkmod/<version>".
	UserAgent string
	// Timeout bounds each call as a whole, retries included (default 30 s;
	// brute-force throttled answers can take 25 s).
	Timeout time.Duration
	// AllowInsecureHTTP allows http:// to a host that is not loopback.
	AllowInsecureHTTP bool
	// Logger gets debug logs (requests, statuses, timings; never a
	// secret). Nil discards them. Nothing is ever written to the terminal.
	Logger *slog.Logger
	// Now is the clock used to check lobby timers (default time.Now).
	Now func() time.Time
}

// ListOptions are the query options of ListRooms.
type ListOptions struct {
	// ModifiedSince asks only for rooms changed since then (unix seconds):
	// pass the previous list's ModifiedBefore. 0 = the full list.
	ModifiedSince int64
	// KeepRaw keeps each room's object as the server sent it in
	// models.Room.Raw (for --json); the console leaves it off.
	KeepRaw bool
	// Lean decodes only Token, Type, ParticipantType and LastActivity (what
	// filtering and sorting need; the other fields stay zero and are not
	// checked): for a caller that prints Raw.
	Lean bool
	// Keep, when set, says which rooms the list holds: the others are
	// dropped while the list is read, their raw bytes with them (e.g.
	// models.Room.IsWebinarCandidate). It sees a room without Raw.
	Keep func(models.Room) bool
}

// RoomList is the answer of ListRooms.
type RoomList struct {
	Rooms []models.Room
	// ModifiedBefore is X-Nextcloud-Talk-Modified-Before: the next
	// ModifiedSince.
	ModifiedBefore int64
	// TalkHash is X-Nextcloud-Talk-Hash: when it changes, re-read the
	// capabilities.
	TalkHash string
}

// LoginFlow is a started Login Flow v2.
type LoginFlow struct {
	// LoginURL is the page the user opens in a browser to grant access.
	LoginURL string
	// PollEndpoint and PollToken are what PollLogin sends. The token is a
	// secret: never log it.
	PollEndpoint string
	PollToken    string

	opts loginConfig
}

// LoginResult is what a granted Login Flow v2 gives.
type LoginResult struct {
	// Server is the base URL to use from now on (it can differ from what
	// the user typed).
	Server      string
	LoginName   string
	AppPassword string
}

// redacted shows whether a secret is set, never its value.
func redacted(secret string) string {
	if secret == "" {
		return `""`
	}
	return "[redacted]"
}

// String prints the configuration without the app password (for %v, %+v
// and logs).
func (c Config) String() string {
	return fmt.Sprintf("{BaseURL:%s User:%s AppPassword:%s UserAgent:%q Timeout:%s AllowInsecureHTTP:%t}",
		c.BaseURL, c.User, redacted(c.AppPassword), c.UserAgent, c.Timeout, c.AllowInsecureHTTP)
}

// GoString is String, for %#v.
func (c Config) GoString() string { return "client.Config" + c.String() }

// String prints the flow without the poll token.
func (f LoginFlow) String() string {
	return fmt.Sprintf("{LoginURL:%s PollEndpoint:%s PollToken:%s}", f.LoginURL, f.PollEndpoint, redacted(f.PollToken))
}

// GoString is String, for %#v.
func (f LoginFlow) GoString() string { return "client.LoginFlow" + f.String() }

// String prints the result without the app password.
func (r LoginResult) String() string {
	return fmt.Sprintf("{Server:%s LoginName:%s AppPassword:%s}", r.Server, r.LoginName, redacted(r.AppPassword))
}

// GoString is String, for %#v.
func (r LoginResult) GoString() string { return "client.LoginResult" + r.String() }
