package talktest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"

	"github.com/talkmod/talkmod/models"
)

// The people of a room: sessions, guests, the call, the attendee
// permissions endpoint and attendee removal, as the P recordings show them
// (client/testdata/recorded/P-NOTES.md).

// Errors of the people hooks.
var (
	// ErrNoSuchAttendee: no such room or attendee.
	ErrNoSuchAttendee = errors.New("talktest: no such room or attendee")
	// ErrHeldByLobby: the lobby holds the person back (the server's 412).
	ErrHeldByLobby = errors.New("talktest: held by the lobby")
	// ErrNoSession: the person has not joined the conversation (the
	// server's 404 on joinCall).
	ErrNoSession = errors.New("talktest: not joined to the conversation")
)

// moderatorPermissions is what moderators always have.
const moderatorPermissions = 254

type guest struct {
	actorID, name string
	a             *attendee
	// moderator: a guest moderator (type 6)
	moderator bool
}

// effectivePermissions is Participant::getPermissions: moderators 254,
// else the attendee's own value, else the room default, else 246.
func effectivePermissions(rm *room, t models.ParticipantType, a *attendee) int {
	return models.EffectivePermissions(t, a.perms, rm.DefaultPermissions)
}

func newSessionID() string { return randomString(64, alnum+"+/") }

// person is one attendee of a room, user or guest.
type person struct {
	uid string // "" for a guest
	g   *guest
	t   models.ParticipantType
	a   *attendee
}

func (s *Server) peopleLocked(rm *room) []person {
	out := make([]person, 0, len(rm.Participants)+len(rm.guests))
	for u, t := range rm.Participants {
		out = append(out, person{uid: u, t: t, a: s.attendeeLocked(rm, u)})
	}
	for _, g := range rm.guests {
		out = append(out, person{g: g, t: g.t(), a: g.a})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].a.id < out[j].a.id })
	return out
}

func (s *Server) personLocked(rm *room, id int64) (person, bool) {
	for _, p := range s.peopleLocked(rm) {
		if p.a.id == id {
			return p, true
		}
	}
	return person{}, false
}

// participantJSON is one item of the participant list.
type participantJSON struct {
	RoomToken           string   `json:"roomToken"`
	InCall              int      `json:"inCall"`
	LastPing            int64    `json:"lastPing"`
	SessionIDs          []string `json:"sessionIds"`
	ParticipantType     int      `json:"participantType"`
	AttendeeID          int64    `json:"attendeeId"`
	ActorID             string   `json:"actorId"`
	ActorType           string   `json:"actorType"`
	DisplayName         string   `json:"displayName"`
	Permissions         int      `json:"permissions"`
	AttendeePermissions int      `json:"attendeePermissions"`
	AttendeePin         string   `json:"attendeePin"`
	PhoneNumber         string   `json:"phoneNumber"`
	CallID              string   `json:"callId"`
}

// participantStatusJSON is an item with the user status fields
// (includeStatus, and every 200 of attendees/permissions).
type participantStatusJSON struct {
	participantJSON
	Status        string  `json:"status"`
	StatusIcon    *string `json:"statusIcon"`
	StatusMessage *string `json:"statusMessage"`
	StatusClearAt *int64  `json:"statusClearAt"`
}

func (s *Server) participantLocked(rm *room, p person, viewer string) participantJSON {
	a := p.a
	j := participantJSON{
		RoomToken: rm.Token, InCall: a.inCall, LastPing: a.lastPing, SessionIDs: append([]string{}, a.sessions...),
		ParticipantType: int(p.t), AttendeeID: a.id, Permissions: effectivePermissions(rm, p.t, a), AttendeePermissions: a.perms,
	}
	if p.g != nil {
		j.ActorType, j.ActorID, j.DisplayName = models.ActorGuests, p.g.actorID, p.g.name
		return j
	}
	j.ActorType, j.ActorID, j.DisplayName = models.ActorUsers, p.uid, p.uid
	if usr := s.users[p.uid]; usr != nil {
		j.DisplayName = usr.display
	}
	if s.sipConfigured && rm.SIPEnabled != models.SIPDisabled && (isModerator(rm.Participants[viewer]) || p.uid == viewer) {
		if a.pin == "" {
			a.pin = sipConfiguredPin()
		}
		j.AttendeePin = a.pin
	}
	if rm.HasCall && rm.hostCall && p.t == models.ParticipantOwner && len(a.sessions) == 0 {
		// The owner runs the webinar's call from another device.
		j.InCall = models.InCallInCall | models.InCallAudio | models.InCallVideo
		j.LastPing = s.now().Unix()
		j.SessionIDs = []string{sha1Hex(fmt.Sprintf("session|%s|%s", rm.Token, p.uid))}
	}
	return j
}

func withStatus(j participantJSON, isUser bool) any {
	if !isUser {
		return j
	}
	return participantStatusJSON{participantJSON: j, Status: "offline"}
}

func (s *Server) participantsLocked(rm *room, viewer string, status bool) []any {
	people := s.peopleLocked(rm)
	out := make([]any, 0, len(people))
	for _, p := range people {
		j := s.participantLocked(rm, p, viewer)
		if status {
			out = append(out, withStatus(j, p.g == nil))
		} else {
			out = append(out, j)
		}
	}
	return out
}

func (s *Server) handleParticipants(rw *respWriter, r *http.Request, uid, token string) {
	s.mu.Lock()
	if uid == "" {
		// a guest: the lobby check first (412), then guests may not
		// list (403 null) [real P44, P47]
		rm := s.rooms[token]
		g := s.guestLocked(rw, rm)
		held := g != nil && guestHeldLocked(rm, g)
		s.mu.Unlock()
		switch {
		case g == nil:
			rw.ocs(controllerFormat(r), http.StatusNotFound, 404, "", nil)
		case held:
			rw.ocs(controllerFormat(r), http.StatusPreconditionFailed, 412, "", nil)
		default:
			rw.ocs(controllerFormat(r), http.StatusForbidden, 403, "", json.RawMessage("null"))
		}
		return
	}
	rm, t := s.memberLocked(token, uid)
	if rm == nil {
		s.mu.Unlock()
		rw.ocs(controllerFormat(r), http.StatusNotFound, 404, "", nil)
		return
	}
	s.checkTimerLocked(rm)
	if heldByLobby(rm, t) && effectivePermissions(rm, t, s.attendeeLocked(rm, uid))&models.PermissionIgnoreLobby == 0 {
		s.mu.Unlock()
		rw.ocs(controllerFormat(r), http.StatusPreconditionFailed, 412, "", nil)
		return
	}
	status := r.URL.Query().Get("includeStatus") == "true" || r.URL.Query().Get("includeStatus") == "1"
	list := s.participantsLocked(rm, uid, status)
	s.mu.Unlock()
	if status {
		rw.w.Header().Set("X-Nextcloud-Has-User-Statuses", "1")
	}
	rw.ocs(controllerFormat(r), http.StatusOK, 200, "OK", list)
}

// internalError is the server's answer to a PHP type error (a required
// parameter missing): 500 with OCS 996, XML unless ?format=json.
func internalError(rw *respWriter, r *http.Request) {
	rw.ocs(formatParam(r), http.StatusInternalServerError, 996, "Internal Server Error\n", nil)
}

// moderatorCallLocked does the checks both people endpoints start with:
// the caller must be a member (else 404 []) and a moderator (else 403 []).
func (s *Server) moderatorCallLocked(rw *respWriter, r *http.Request, uid, token string) (*room, bool) {
	rm, t := s.memberLocked(token, uid)
	if rm == nil {
		rw.ocs(controllerFormat(r), http.StatusNotFound, 404, "", nil)
		return nil, false
	}
	if !isModerator(t) {
		rw.ocs(controllerFormat(r), http.StatusForbidden, 403, "", nil)
		return nil, false
	}
	return rm, true
}

func isOneToOne(rm *room) bool {
	return rm.Type == models.ConversationOneToOne || rm.Type == models.ConversationFormerOneToOne
}

// attendeeTargetLocked is the first checks of both attendee endpoints: a
// moderator's call (moderatorCallLocked), an attendeeId (none: the
// server's 500), and that person in the room (else 404 participant).
// When ok is false the answer is written.
func (s *Server) attendeeTargetLocked(rw *respWriter, r *http.Request, params map[string]param, uid, token string) (*room, person, bool) {
	rm, ok := s.moderatorCallLocked(rw, r, uid, token)
	if !ok {
		return nil, person{}, false
	}
	idP, has := params["attendeeId"]
	if !has || idP.null {
		internalError(rw, r)
		return nil, person{}, false
	}
	target, found := s.personLocked(rm, idP.int())
	if !found {
		rw.ocs(controllerFormat(r), http.StatusNotFound, 404, "", errWord("participant"))
		return nil, person{}, false
	}
	return rm, target, true
}

// handlePermissions serves PUT attendees/permissions. Check order as the
// server: attendee 404, room type 400, moderator target 403, value 400,
// method 400. The 200 answer lists only the target, with the user status
// fields, inCall 0, lastPing 0 and no sessions, whatever the real state.
func (s *Server) handlePermissions(rw *respWriter, r *http.Request, body []byte, uid, token string) {
	params := readParams(r, body)
	s.mu.Lock()
	defer s.mu.Unlock()
	rm, target, ok := s.attendeeTargetLocked(rw, r, params, uid, token)
	if !ok {
		return
	}
	f := controllerFormat(r)
	if isOneToOne(rm) {
		rw.ocs(f, http.StatusBadRequest, 400, "", errWord("room-type"))
		return
	}
	if isModerator(target.t) {
		rw.ocs(f, http.StatusForbidden, 403, "", errWord("moderator"))
		return
	}
	perms := int(params["permissions"].int())
	if perms < 0 || perms > 255 {
		rw.ocs(f, http.StatusBadRequest, 400, "", errWord("value"))
		return
	}
	eff := effectivePermissions(rm, target.t, target.a)
	switch params["method"].str {
	case "add":
		// on the effective value, bit 1 kept: 133 add 16 → 149 [real F24, F37]
		target.a.perms = eff | perms
	case "remove":
		target.a.perms = eff &^ perms
	case "set":
		if perms == 0 {
			target.a.perms = 0
		} else {
			target.a.perms = perms | models.PermissionCustom
		}
	default:
		rw.ocs(f, http.StatusBadRequest, 400, "", errWord("method"))
		return
	}
	if target.t == models.ParticipantUserPublicLink {
		rm.Participants[target.uid] = models.ParticipantUser
		target.t = models.ParticipantUser
	}
	target.a.modified = s.now().Unix()
	rw.w.Header().Set("X-Nextcloud-Has-User-Statuses", "1")
	if target.g != nil && target.a.perms <= models.PermissionCustom {
		// a guest back on the default is filtered out [real F91]
		rw.ocs(f, http.StatusOK, 200, "OK", nil)
		return
	}
	j := s.participantLocked(rm, target, uid)
	j.InCall, j.LastPing, j.SessionIDs = 0, 0, []string{}
	rw.ocs(f, http.StatusOK, 200, "OK", []any{withStatus(j, target.g == nil)})
}

// handleRemoveAttendee serves DELETE attendees?attendeeId=N.
func (s *Server) handleRemoveAttendee(rw *respWriter, r *http.Request, body []byte, uid, token string) {
	params := readParams(r, body)
	s.mu.Lock()
	defer s.mu.Unlock()
	rm, target, ok := s.attendeeTargetLocked(rw, r, params, uid, token)
	if !ok {
		return
	}
	f := controllerFormat(r)
	if target.uid == uid {
		// Your own attendee id: leave. The last moderator cannot while
		// other users stay; the last user deletes the room.
		mods, users := 0, 0
		for _, t := range rm.Participants {
			users++
			if t == models.ParticipantOwner || t == models.ParticipantModerator {
				mods++
			}
		}
		if mods == 1 && users > 1 {
			rw.ocs(f, http.StatusBadRequest, 400, "", errWord("last-moderator"))
			return
		}
		s.removePersonLocked(rm, target)
		if len(rm.Participants) == 0 {
			delete(s.rooms, rm.Token)
		}
		rw.ocs(f, http.StatusOK, 200, "OK", json.RawMessage("null"))
		return
	}
	if isOneToOne(rm) {
		rw.ocs(f, http.StatusBadRequest, 400, "", errWord("room-type"))
		return
	}
	if target.t == models.ParticipantOwner {
		rw.ocs(f, http.StatusForbidden, 403, "", errWord("owner"))
		return
	}
	s.removePersonLocked(rm, target)
	rw.ocs(f, http.StatusOK, 200, "OK", json.RawMessage("null"))
}

func (s *Server) removePersonLocked(rm *room, p person) {
	if p.g != nil {
		for i, g := range rm.guests {
			if g == p.g {
				rm.guests = append(rm.guests[:i], rm.guests[i+1:]...)
				break
			}
		}
		return
	}
	delete(rm.Participants, p.uid)
	delete(rm.attendees, p.uid)
}

// callFlagLocked is the room's callFlag: the OR of the in-call flags of
// everyone in the call (the owner's host call counts as audio and video).
func (s *Server) callFlagLocked(rm *room) int {
	f := 0
	if rm.hostCall {
		f = models.InCallInCall | models.InCallAudio | models.InCallVideo
	}
	for _, p := range s.peopleLocked(rm) {
		f |= p.a.inCall
	}
	return f
}

// endCallIfEmptyLocked ends a call that people joined (not one the test
// started: StartCall, Room.HasCall) once nobody is in it any more, as the
// server does when the last one leaves [real P21, P74: hasCall false].
func (s *Server) endCallIfEmptyLocked(rm *room) {
	if rm == nil || !rm.HasCall || rm.hostCall || s.callFlagLocked(rm) != 0 {
		return
	}
	rm.HasCall, rm.callStart = false, 0
	s.postLocked(rm, "", "call_ended", "Call ended", "Call ended")
}

// ---- test hooks ----

// AttendeeID returns the attendee id of a user in a room (0 when none).
// Removing and re-adding a user gives a new id.
func (s *Server) AttendeeID(token, user string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	rm := s.rooms[token]
	if rm == nil {
		return 0
	}
	if _, ok := rm.Participants[user]; !ok {
		return 0
	}
	return s.attendeeLocked(rm, user).id
}

// JoinRoom connects a user to the conversation (the web client's
// joinRoom): one more session, lastPing now. It works while the lobby is
// on: that is how people come to wait in the lobby.
func (s *Server) JoinRoom(token, user string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rm := s.rooms[token]
	if rm == nil {
		return 0, ErrNoSuchAttendee
	}
	if _, ok := rm.Participants[user]; !ok {
		if rm.Type != models.ConversationPublic {
			return 0, ErrNoSuchAttendee
		}
		rm.Participants[user] = models.ParticipantUserPublicLink
	}
	a := s.attendeeLocked(rm, user)
	a.sessions = append(a.sessions, newSessionID())
	a.lastPing = s.now().Unix()
	return a.id, nil
}

// GuestJoin lets a guest (no account) join a public room with a display
// name, which may be empty or hostile. It returns the new attendee id.
func (s *Server) GuestJoin(token, name string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rm := s.rooms[token]
	if rm == nil || rm.Type != models.ConversationPublic {
		return 0, ErrNoSuchAttendee
	}
	s.nextAttendee++
	g := &guest{actorID: sha1Hex(randomString(32, alnum)), name: name,
		a: &attendee{id: s.nextAttendee, sessions: []string{newSessionID()}, lastPing: s.now().Unix()}}
	rm.guests = append(rm.guests, g)
	return g.a.id, nil
}

func (s *Server) lookupLocked(token string, id int64) (person, bool) {
	rm := s.rooms[token]
	if rm == nil {
		return person{}, false
	}
	return s.personLocked(rm, id)
}

// Leave disconnects a person from the conversation (all sessions; out of
// the call). A guest with default permissions drops out of the list, as on
// the real server once their session is gone.
func (s *Server) Leave(token string, attendeeID int64) error {
	return s.withAttendee(token, attendeeID, func(p person) error {
		p.a.sessions, p.a.inCall = nil, 0
		if p.g != nil && p.a.perms == 0 {
			s.removePersonLocked(s.rooms[token], p)
		}
		s.endCallIfEmptyLocked(s.rooms[token])
		return nil
	})
}

// JoinCall puts a connected person in the call with the in-call flags
// (audio 2, video 4, phone 8; the in-call bit 1 is added). Like the
// server: ErrNoSession without a session, ErrHeldByLobby while the lobby
// holds them; audio and video are dropped without permissions 16/32.
func (s *Server) JoinCall(token string, attendeeID int64, flags int) error {
	return s.withAttendee(token, attendeeID, func(p person) error {
		rm := s.rooms[token]
		eff := effectivePermissions(rm, p.t, p.a)
		if heldByLobby(rm, p.t) && eff&models.PermissionIgnoreLobby == 0 {
			return ErrHeldByLobby
		}
		if len(p.a.sessions) == 0 {
			return ErrNoSession
		}
		if eff&models.PermissionAudio == 0 {
			flags &^= models.InCallAudio
		}
		if eff&models.PermissionVideo == 0 {
			flags &^= models.InCallVideo
		}
		p.a.inCall = flags | models.InCallInCall
		p.a.lastPing = s.now().Unix()
		p.a.joinedCall = s.now().Unix()
		if !rm.HasCall {
			rm.HasCall = true
			rm.callStart = s.now().Unix()
		}
		return nil
	})
}

// SetPermissions stores an attendee's permissions as the attendees/
// permissions endpoint's "set" would (0 = back to the default), e.g. a
// speaker let past the lobby beforehand (SetPermissions(tok, id, 254)).
func (s *Server) SetPermissions(token string, attendeeID int64, perms int) error {
	return s.withAttendee(token, attendeeID, func(p person) error {
		p.a.perms = perms
		return nil
	})
}

// Participants is the room's participant list as a moderator reads it
// (nil for an unknown room).
func (s *Server) Participants(token string) []models.Participant {
	s.mu.Lock()
	rm := s.rooms[token]
	if rm == nil {
		s.mu.Unlock()
		return nil
	}
	b := marshal(s.participantsLocked(rm, "", false))
	s.mu.Unlock()
	var out []models.Participant
	_ = json.Unmarshal(b, &out)
	return out
}

// methodPostOrDelete marks a route that takes POST and DELETE.
const methodPostOrDelete = "POST|DELETE"

// talkSessionLocked is the Talk session this request's cookie session
// holds for the room ("" when none).
func talkSessionLocked(rw *respWriter, token string) string {
	if rw.sess == nil || rw.sess.talk == nil {
		return ""
	}
	return rw.sess.talk[token]
}

// handleActive serves POST (joinRoom) and DELETE (leaveRoom)
// room/{token}/participants/active for users. joinRoom works while the
// lobby is on: the answer is then the restricted lobby view [real P05].
// The Talk session is kept in the cookie session: a request without that
// cookie does not find it [real P12].
func (s *Server) handleActive(rw *respWriter, r *http.Request, uid, token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := controllerFormat(r)
	if uid == "" {
		rm := s.rooms[token]
		if rm == nil || rm.Type != models.ConversationPublic || r.Method != http.MethodPost {
			rw.ocs(f, http.StatusNotFound, 404, "", nil)
			return
		}
		j := s.guestJoinLocked(rw, rm)
		rw.w.Header().Set("X-Nextcloud-Talk-Hash", s.talkHashLocked())
		rw.ocs(f, http.StatusOK, 200, "OK", j)
		return
	}
	rm, _ := s.memberLocked(token, uid)
	if rm == nil {
		rw.ocs(f, http.StatusNotFound, 404, "", nil)
		return
	}
	a := s.attendeeLocked(rm, uid)
	if r.Method == http.MethodDelete {
		if sid := talkSessionLocked(rw, token); sid != "" {
			a.sessions = removeString(a.sessions, sid)
			if len(a.sessions) == 0 {
				a.inCall = 0
				s.endCallIfEmptyLocked(rm)
			}
			delete(rw.sess.talk, token)
		}
		rw.ocs(f, http.StatusOK, 200, "OK", json.RawMessage("null"))
		return
	}
	s.checkTimerLocked(rm)
	if old := talkSessionLocked(rw, token); old != "" {
		// a rejoin from the same cookie session replaces its Talk
		// session [real C61, C66: one session]
		a.sessions = removeString(a.sessions, old)
	}
	sid := newSessionID()
	a.sessions = append(a.sessions, sid)
	a.lastPing = s.now().Unix()
	if rw.sess != nil {
		if rw.sess.talk == nil {
			rw.sess.talk = map[string]string{}
		}
		rw.sess.talk[token] = sid
	}
	j := s.formatLocked(rm, uid)
	j.SessionID = sid
	rw.w.Header().Set("X-Nextcloud-Talk-Hash", s.talkHashLocked())
	rw.ocs(f, http.StatusOK, 200, "OK", j)
}

// handleCall serves POST (joinCall, flags) and DELETE (leaveCall)
// call/{token}. joinCall checks the lobby first (412 []), then the Talk
// session of the cookie session (404 null); leaveCall has no lobby check.
func (s *Server) handleCall(rw *respWriter, r *http.Request, body []byte, uid, token string) {
	params := readParams(r, body)
	s.mu.Lock()
	defer s.mu.Unlock()
	f := controllerFormat(r)
	var rm *room
	var t models.ParticipantType
	var a *attendee
	if uid == "" {
		rm = s.rooms[token]
		if g := s.guestLocked(rw, rm); g != nil {
			t, a = g.t(), g.a
		}
	} else if rm, t = s.memberLocked(token, uid); rm != nil {
		a = s.attendeeLocked(rm, uid)
	}
	if rm == nil || a == nil {
		rw.ocs(f, http.StatusNotFound, 404, "", nil)
		return
	}
	eff := effectivePermissions(rm, t, a)
	if r.Method == http.MethodPost && rm.chat != nil && rm.chat.readOnly {
		// read-only is checked before the lobby [real M57] (chat.go)
		rw.ocs(f, http.StatusForbidden, 403, "", nil)
		return
	}
	if r.Method == http.MethodPost && heldByLobby(rm, t) && eff&models.PermissionIgnoreLobby == 0 {
		rw.ocs(f, http.StatusPreconditionFailed, 412, "", nil)
		return
	}
	sid := talkSessionLocked(rw, token)
	if sid == "" || !slices.Contains(a.sessions, sid) {
		rw.ocs(f, http.StatusNotFound, 404, "", json.RawMessage("null"))
		return
	}
	if s.floorCallLocked(rw, r, params, rm, t, a, uid) {
		return // end for everyone, flags update, a call nobody may start
	}
	if r.Method == http.MethodDelete {
		a.inCall = 0
		s.endCallIfEmptyLocked(rm)
		rw.ocs(f, http.StatusOK, 200, "OK", json.RawMessage("null"))
		return
	}
	flags := models.InCallInCall | models.InCallAudio | models.InCallVideo
	if fp, ok := params["flags"]; ok && !fp.null {
		flags = int(fp.int())
	}
	if eff&models.PermissionAudio == 0 {
		flags &^= models.InCallAudio
	}
	if eff&models.PermissionVideo == 0 {
		flags &^= models.InCallVideo
	}
	a.inCall = flags | models.InCallInCall
	a.lastPing = s.now().Unix()
	a.joinedCall = s.now().Unix()
	if !rm.HasCall {
		rm.HasCall = true
		rm.callStart = s.now().Unix()
	}
	rw.ocs(f, http.StatusOK, 200, "OK", json.RawMessage("null"))
}

func removeString(list []string, s string) []string {
	out := list[:0]
	for _, v := range list {
		if v != s {
			out = append(out, v)
		}
	}
	return out
}

// isGuest reports a request in a guest's session.
func (rw *respWriter) isGuest() bool {
	return rw.sess != nil && rw.sess.user == "" && rw.sess.guest != nil
}

// guestLocked is the guest this request's session joined the room as.
func (s *Server) guestLocked(rw *respWriter, rm *room) *guest {
	if !rw.isGuest() || rm == nil {
		return nil
	}
	id, ok := rw.sess.guest[rm.Token]
	if !ok {
		return nil
	}
	for _, g := range rm.guests {
		if g.a.id == id {
			return g
		}
	}
	return nil
}

// guestJoinLocked serves a guest's joinRoom on a public room: a new guest
// attendee (or the one this session joined as), one more Talk session,
// kept in the (anonymous) cookie session [real P41].
func (s *Server) guestJoinLocked(rw *respWriter, rm *room) roomJSON {
	if rw.sess == nil {
		rw.sess = &session{passphrase: randomString(128, alnum)}
		rw.sessID = randomString(26, lowerDigits)
		s.sessions[rw.sessID] = rw.sess
	}
	if rw.sess.guest == nil {
		rw.sess.guest = map[string]int64{}
	}
	if rw.sess.talk == nil {
		rw.sess.talk = map[string]string{}
	}
	g := s.guestLocked(rw, rm)
	if g == nil {
		s.nextAttendee++
		g = &guest{actorID: sha1Hex(randomString(32, alnum)), a: &attendee{id: s.nextAttendee}}
		rm.guests = append(rm.guests, g)
		rw.sess.guest[rm.Token] = g.a.id
	}
	sid := newSessionID()
	g.a.sessions = append(g.a.sessions, sid)
	g.a.lastPing = s.now().Unix()
	rw.sess.talk[rm.Token] = sid
	j := s.formatGuestLocked(rm, g)
	j.SessionID = sid
	return j
}

// handleGuestName serves POST api/v1/guest/{token}/name (works while the
// lobby holds the guest) [real P42].
func (s *Server) handleGuestName(rw *respWriter, r *http.Request, body []byte, token string) {
	params := readParams(r, body)
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.guestLocked(rw, s.rooms[token])
	if g == nil {
		rw.ocs(controllerFormat(r), http.StatusNotFound, 404, "", json.RawMessage("null"))
		return
	}
	g.name = params["displayName"].str
	rw.ocs(controllerFormat(r), http.StatusOK, 200, "OK", json.RawMessage("null"))
}

// guestHeldLocked: the lobby holds a guest who was not let in.
func guestHeldLocked(rm *room, g *guest) bool {
	return rm.LobbyState == models.LobbyModeratorsOnly && effectivePermissions(rm, g.t(), g.a)&models.PermissionIgnoreLobby == 0
}

// withAttendee runs change on an attendee of a room under the lock;
// ErrNoSuchAttendee when there is none.
func (s *Server) withAttendee(token string, attendeeID int64, change func(p person) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.lookupLocked(token, attendeeID)
	if !ok {
		return ErrNoSuchAttendee
	}
	return change(p)
}
