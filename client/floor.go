package client

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"github.com/talkmod/talkmod/client/internal/printable"
	"github.com/talkmod/talkmod/models"
)

// The floor and the call: the room's default permissions, co-moderators,
// ending the call for everyone and the attendance list, as the F and C
// recordings show them (testdata/recorded/FCM-NOTES.md).

// Operations of this file (APIError.Op).
const (
	opDefaultPermissions = "change default permissions"
	opPromote            = "promote to moderator"
	opDemote             = "demote moderator"
	opJoinRoom           = "join the conversation"
	opEndCall            = "end the call for everyone"
	opLeaveRoom          = "leave the conversation"
	opAttendance         = "download the attendance list"
)

func init() {
	for _, op := range []string{opDefaultPermissions, opPromote, opDemote, opJoinRoom, opEndCall, opLeaveRoom, opAttendance} {
		roomOps[op] = true
	}
}

// SetDefaultPermissions sets the room's default permissions (PUT
// /room/{token}/permissions/default): models.Preset.Value, or 0 for the
// server default. The server stores a value with bit 1 added (132 → 133)
// and answers with the whole room. It also resets every attendee's own
// permissions to 0: rights given to people (the floor, let in past the
// lobby) are lost [real F49, F50]. Refused before sending: a bad token or
// a value outside 0..255 (the server's 400 value).
func (c *Client) SetDefaultPermissions(ctx context.Context, token string, permissions int) (models.Room, error) {
	if err := checkToken(token); err != nil {
		return models.Room{}, err
	}
	if permissions < 0 || permissions > models.PermissionsMax {
		return models.Room{}, &ValidationError{Field: "permissions", Problem: fmt.Sprintf("permissions %d are not valid: use 0 to 255", permissions)}
	}
	form := url.Values{"permissions": {strconv.Itoa(permissions)}}
	return c.putRoom(ctx, opDefaultPermissions, token, "/permissions/default", form)
}

// PromoteModerator makes an attendee a moderator (POST
// /room/{token}/moderators): a user becomes type 2, a guest type 6. They
// keep their session and call; their own permissions are reset to 0
// [real F24-F28]. Undo: DemoteModerator.
func (c *Client) PromoteModerator(ctx context.Context, token string, attendeeID int64) error {
	if err := checkToken(token); err != nil {
		return err
	}
	if err := checkAttendee(attendeeID); err != nil {
		return err
	}
	form := url.Values{"attendeeId": {strconv.FormatInt(attendeeID, 10)}}
	_, err := c.call(ctx, opPromote, http.MethodPost, talkAPI+"/room/"+token+"/moderators", form, nil)
	return err
}

// DemoteModerator makes a moderator a plain participant again (DELETE
// /room/{token}/moderators?attendeeId=N). Undo: PromoteModerator.
func (c *Client) DemoteModerator(ctx context.Context, token string, attendeeID int64) error {
	if err := checkToken(token); err != nil {
		return err
	}
	if err := checkAttendee(attendeeID); err != nil {
		return err
	}
	_, err := c.call(ctx, opDemote, http.MethodDelete, talkAPI+"/room/"+token+"/moderators?attendeeId="+strconv.FormatInt(attendeeID, 10), nil, nil)
	return err
}

// LeaveError is EndCallForEveryone's answer when the call was ended but
// talkmod's own session could not be closed: it ends by itself once the
// server stops hearing from it (about 100 seconds).
type LeaveError struct{ Err error }

func (e *LeaveError) Error() string {
	return "the call was ended; leaving again failed: " + e.Err.Error()
}
func (e *LeaveError) Unwrap() error { return e.Err }

// Explain says what happened in plain words.
func (e *LeaveError) Explain() string {
	return "the call was ended, but talkmod could not leave the conversation again (" + Message(e.Err) +
		"): its session ends by itself within about 100 seconds"
}

// EndCallForEveryone ends the room's call for everyone. The server does
// that only for a moderator with a Talk session of their own in the room
// (without one: 404 and the call goes on [real C86, C87]), so talkmod
// joins the conversation (a session of its own, not in the call), sends
// DELETE /call/{token}?all=true, and leaves again: three requests. It
// leaves even when ending failed or ctx was cancelled. A call ended but a
// leave that failed is a *LeaveError. With no call running the server
// answers 200 [real C56].
func (c *Client) EndCallForEveryone(ctx context.Context, token string) error {
	if err := checkToken(token); err != nil {
		return err
	}
	active := talkAPI + "/room/" + token + "/participants/active"
	var joined struct {
		SessionID string `json:"sessionId"`
	}
	if _, err := c.call(ctx, opJoinRoom, http.MethodPost, active, url.Values{"force": {"true"}}, &joined); err != nil {
		return err
	}
	_, endErr := c.call(ctx, opEndCall, http.MethodDelete, talkAPI+"/call/"+token+"?all=true", nil, nil)
	// leave with a deadline of its own: no session is left behind when
	// the caller gave up
	lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.Timeout)
	defer cancel()
	_, leaveErr := c.call(lctx, opLeaveRoom, http.MethodDelete, active, nil, nil)
	switch {
	case endErr != nil:
		return endErr
	case leaveErr != nil:
		return &LeaveError{Err: leaveErr}
	}
	return nil
}

// Attendance is the attendance list of the running call, as the server
// sent it (CSV: name,email,type,identifier).
type Attendance struct {
	// FileName is the server's file name (Content-Disposition), made safe
	// for a local file: no folders, no control characters.
	FileName string
	// ContentType is the answer's Content-Type.
	ContentType string
	// CSV is the body, byte for byte.
	CSV []byte
}

// AttendanceRow is one line of the attendance list: the attendee's display
// name, e-mail (users: their account's, empty if none), actor type and
// actor id. Untrusted text.
type AttendanceRow struct {
	Name       string `json:"name"`
	Email      string `json:"email"`
	Type       string `json:"type"`
	Identifier string `json:"identifier"`
}

// attendanceHeader is the CSV's first line [real C32].
var attendanceHeader = []string{"name", "email", "type", "identifier"}

// Rows reads the CSV: everyone who joined the call since it started,
// those who left included [real C83].
func (a Attendance) Rows() ([]AttendanceRow, error) {
	r := csv.NewReader(bytes.NewReader(a.CSV))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return nil, &ResponseError{Op: opAttendance, HTTPStatus: 200, ContentType: a.ContentType, Problem: "the attendance list is not valid CSV: " + err.Error(), Snippet: printable.Snippet(a.CSV)}
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != strings.Join(attendanceHeader, ",") {
		return nil, &ResponseError{Op: opAttendance, HTTPStatus: 200, ContentType: a.ContentType, Problem: "the attendance list does not start with name,email,type,identifier", Snippet: printable.Snippet(a.CSV)}
	}
	out := make([]AttendanceRow, 0, len(recs)-1)
	for _, rec := range recs[1:] {
		for len(rec) < 4 {
			rec = append(rec, "")
		}
		out = append(out, AttendanceRow{Name: rec[0], Email: rec[1], Type: rec[2], Identifier: rec[3]})
	}
	return out, nil
}

// IsNoCall reports the attendance list's "no call is running" (the
// server's 400 with an empty body [real C04, C54, C85]; kind
// KindBadRequest).
func IsNoCall(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Op == opAttendance && ae.HTTPStatus == http.StatusBadRequest && ae.Reason == ""
}

// Attendance downloads the attendance list of the room's running call
// (GET /call/{token}/download, capability download-call-participants):
// moderators only, no Talk session needed. The request carries no
// "format" parameter: csv is the default, and format=csv would also make
// OCS answer its errors in XML [real C36-C38 vs C59, C60] (format=json is
// refused with 400, like any format but csv). No call running: an error
// for which IsNoCall is true.
func (c *Client) Attendance(ctx context.Context, token string) (Attendance, error) {
	if err := checkToken(token); err != nil {
		return Attendance{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	// a request of its own: the resty client adds format=json to all
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+talkAPI+"/call/"+token+"/download", nil)
	if err != nil {
		return Attendance{}, &ValidationError{Field: "token", Problem: err.Error()}
	}
	req.Header.Set("OCS-APIRequest", "true")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if c.cfg.User != "" || c.cfg.AppPassword != "" {
		req.SetBasicAuth(c.cfg.User, c.cfg.AppPassword)
	}
	resp, err := c.http.GetClient().Do(req)
	if err != nil {
		return Attendance{}, classifyTransport(opAttendance, c.base, nil, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	c.log.Debug("talk request", "op", opAttendance, "method", http.MethodGet, "status", resp.StatusCode, "bytes", len(body), "err", errText(err))
	if err != nil {
		return Attendance{}, classifyTransport(opAttendance, c.base, nil, err)
	}
	ct := resp.Header.Get("Content-Type")
	if resp.StatusCode == http.StatusBadRequest && len(bytes.TrimSpace(body)) == 0 {
		return Attendance{}, &APIError{Op: opAttendance, HTTPStatus: http.StatusBadRequest}
	}
	if resp.StatusCode != http.StatusOK {
		return Attendance{}, decodeAnswer(opAttendance, resp.StatusCode, resp.Header, body, nil)
	}
	if mt, _, _ := mime.ParseMediaType(ct); mt != "text/csv" {
		return Attendance{}, notOCS(opAttendance, resp.StatusCode, ct, body, nil)
	}
	name := ""
	if _, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); err == nil {
		name = params["filename"]
	}
	return Attendance{FileName: SafeFileName(name, "attendance-"+token+".csv"), ContentType: ct, CSV: body}, nil
}

// SafeFileName makes a server's file name safe to create in a folder: no
// folder parts, no control or escape characters, not hidden, at most 200
// bytes, ending in .csv; fallback when nothing is left.
func SafeFileName(name, fallback string) string {
	name = strings.Map(func(r rune) rune {
		switch {
		case r == '/' || r == '\\' || r == 0:
			return '-'
		case unicode.IsControl(r) || r == '\u202e' || r == '\u202d' || unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, name)
	name = strings.TrimLeft(strings.TrimSpace(name), ".-")
	if len(name) > 200 {
		name = strings.ToValidUTF8(name[:200], "")
	}
	if name == "" {
		return fallback
	}
	if !strings.HasSuffix(strings.ToLower(name), ".csv") {
		name += ".csv"
	}
	return name
}

// explainFloor words the answers of this file's operations; ok is false
// for what the general rules say well.
func explainFloor(e *APIError) (string, bool) {
	switch e.Op {
	case opDefaultPermissions:
		switch {
		case e.HTTPStatus == http.StatusBadRequest && e.Reason == "type":
			return "a one-to-one conversation has no default permissions (only group and public conversations)", true
		case e.HTTPStatus == http.StatusBadRequest && e.Reason == "value":
			return "the server refused the permissions value (0 to 255)", true
		case e.HTTPStatus == http.StatusBadRequest && e.Reason == "mode":
			return "the server has no call permissions any more (removed in Talk 20): only the room default can be set", true
		}
	case opPromote, opDemote:
		switch {
		case e.HTTPStatus == http.StatusBadRequest && e.Op == opPromote:
			return "the server refused (400): this person is a moderator already or owns the conversation, or it is a one-to-one conversation", true
		case e.HTTPStatus == http.StatusBadRequest:
			return "the server refused (400): this person is not a moderator or owns the conversation, or it is a one-to-one conversation", true
		case e.HTTPStatus == http.StatusForbidden && e.DataNull:
			return "you cannot change your own role (403)", true
		case e.HTTPStatus == http.StatusNotFound && e.DataNull:
			return "this person is no longer in the conversation (they were removed, or left): re-read the list", true
		}
	case opEndCall:
		if e.HTTPStatus == http.StatusNotFound && e.DataNull {
			return "the server did not find talkmod's own session in the conversation, so the call was not ended and goes on (404)", true
		}
	case opAttendance:
		if e.HTTPStatus == http.StatusBadRequest && e.Reason == "" {
			return "no call is running: the attendance list exists only while a call runs", true
		}
	}
	if roomOps[e.Op] && e.HTTPStatus == http.StatusInternalServerError && e.OCSStatus == 996 && floorOp(e.Op) {
		return "the server had an internal error (HTTP 500, OCS 996: a required value was missing): this is a talkmod bug, please report it", true
	}
	return "", false
}

func floorOp(op string) bool {
	switch op {
	case opDefaultPermissions, opPromote, opDemote, opJoinRoom, opEndCall, opLeaveRoom, opAttendance:
		return true
	}
	return false
}
