package talktest

import (
	"sort"

	"github.com/talkmod/talkmod/models"
)

// Room is a conversation as the test sets it up. Zero values are sensible:
// Type 0 means a group room, LastActivity 0 means "now", an empty Token is
// generated.
type Room struct {
	Token                                                string
	Type                                                 models.ConversationType
	Name, DisplayName, Description, ObjectType, ObjectID string
	LobbyState                                           models.LobbyState
	LobbyTimer                                           int64
	SIPEnabled                                           models.SIPState
	HasCall                                              bool
	BreakoutRoomMode                                     int
	// RemoteServer makes the room federated: the webinar endpoints answer
	// 406 for it.
	RemoteServer string
	// ForcedSIP and ForcedLobby are values an admin preset forces: a change
	// to another value is refused with 400 {"error":"forced","forced":N}.
	ForcedSIP, ForcedLobby *int
	LastActivity           int64
	// Participants maps user ids to their participant type.
	Participants map[string]models.ParticipantType
	// DefaultPermissions is the room default as the server stores it (0 =
	// the server default; e.g. 133 for "listen only").
	DefaultPermissions int
	// AttendeeIDs pins the attendee ids of some participants (e.g. those of
	// a recording); the others get the next free ids.
	AttendeeIDs map[string]int64
}

type attendee struct {
	id  int64
	pin string
	// modified is when the attendee's own data last changed (participant
	// type): modifiedSince lists such rooms too.
	modified int64
	// perms is the stored attendeePermissions (0 = the default).
	perms int
	// sessions are the Talk sessions in the conversation (none =
	// offline), inCall the call flags, lastPing the last join/ping.
	sessions []string
	inCall   int
	lastPing int64
	// joinedCall is when they last joined the call (the attendance list).
	joinedCall int64
}

type message struct {
	id                 int64
	actorType, actorID string
	actorName          string
	ts                 int64
	system, you, other string // system message id; text for the actor; text for others
}

type room struct {
	Room
	id        int64
	attendees map[string]*attendee
	guests    []*guest
	// hostCall: the call was started by the test (Room.HasCall or
	// StartCall): the owner is in it from a device talktest does not model.
	hostCall  bool
	callStart int64
	last      message
	chat      *chatLog // chat.go
}

// AddRoom adds (or replaces) a room and returns its token. An empty token
// is generated like the real server does: 10 digits that can take SIP
// (no leading 0, no two equal digits in a row) when SIP is configured,
// else 8 lowercase letters and digits.
func (s *Server) AddRoom(r Room) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addRoomLocked(r)
}

func (s *Server) addRoomLocked(r Room) string {
	if r.Token == "" {
		r.Token = s.newTokenLocked()
	}
	if r.Type == 0 {
		r.Type = models.ConversationGroup
	}
	now := s.now().Unix()
	if r.LastActivity == 0 {
		r.LastActivity = now
	}
	parts := make(map[string]models.ParticipantType, len(r.Participants))
	for u, t := range r.Participants {
		parts[u] = t
	}
	r.Participants = parts
	r.ForcedSIP = copyIntPtr(r.ForcedSIP)
	r.ForcedLobby = copyIntPtr(r.ForcedLobby)
	s.nextRoomID++
	rm := &room{Room: r, id: s.nextRoomID, attendees: map[string]*attendee{}}
	if r.HasCall {
		rm.callStart = now
		rm.hostCall = true
	}
	owner := ""
	for u, id := range r.AttendeeIDs {
		if _, ok := parts[u]; ok {
			rm.attendees[u] = &attendee{id: id}
			if id > s.nextAttendee {
				s.nextAttendee = id
			}
		}
	}
	r.AttendeeIDs = nil
	rm.Room.AttendeeIDs = nil
	for _, u := range sortedKeys(parts) {
		s.attendeeLocked(rm, u)
		if parts[u] == models.ParticipantOwner && owner == "" {
			owner = u
		}
	}
	rm.last = s.systemMessageLocked(owner, "conversation_created", "You created the conversation", "{actor} created the conversation", r.LastActivity)
	s.chatSystemFromLast(rm)
	s.rooms[r.Token] = rm
	return r.Token
}

func copyIntPtr(p *int) *int {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func sortedKeys(m map[string]models.ParticipantType) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (s *Server) newTokenLocked() string {
	for {
		var t string
		if s.sipConfigured {
			b := []byte(randomString(10, digits))
			for b[0] == '0' {
				b[0] = randomString(1, digits)[0]
			}
			for i := 1; i < len(b); i++ {
				for b[i] == b[i-1] {
					b[i] = randomString(1, digits)[0]
				}
			}
			t = string(b)
		} else {
			t = randomString(8, lowerDigits)
		}
		if _, taken := s.rooms[t]; !taken {
			return t
		}
	}
}

func (s *Server) attendeeLocked(rm *room, uid string) *attendee {
	a := rm.attendees[uid]
	if a == nil {
		s.nextAttendee++
		a = &attendee{id: s.nextAttendee}
		rm.attendees[uid] = a
	}
	return a
}

func (s *Server) systemMessageLocked(actor, system, you, other string, ts int64) message {
	s.nextMessage++
	m := message{id: s.nextMessage, actorType: "users", actorID: actor, ts: ts, system: system, you: you, other: other}
	if u := s.users[actor]; u != nil {
		m.actorName = u.display
	} else if actor == "" {
		m.actorType, m.actorID, m.actorName = "guests", "system", ""
	} else {
		m.actorName = actor
	}
	return m
}

// post records a system message in a room and bumps its lastActivity.
func (s *Server) postLocked(rm *room, actor, system, you, other string) {
	now := s.now().Unix()
	rm.last = s.systemMessageLocked(actor, system, you, other, now)
	rm.LastActivity = now
	s.chatSystemFromLast(rm)
}

// Room returns a snapshot of a room as stored (without the lazy lobby
// reset a read over HTTP performs).
func (s *Server) Room(token string) (Room, bool) {
	s.runDue()
	s.mu.Lock()
	defer s.mu.Unlock()
	rm := s.rooms[token]
	if rm == nil {
		return Room{}, false
	}
	r := rm.Room
	r.Participants = make(map[string]models.ParticipantType, len(rm.Participants))
	for u, t := range rm.Participants {
		r.Participants[u] = t
	}
	r.ForcedSIP = copyIntPtr(r.ForcedSIP)
	r.ForcedLobby = copyIntPtr(r.ForcedLobby)
	return r, true
}

// Rooms returns the tokens of all rooms, in the order they were added.
func (s *Server) Rooms() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	list := make([]*room, 0, len(s.rooms))
	for _, rm := range s.rooms {
		list = append(list, rm)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].id < list[j].id })
	out := make([]string, len(list))
	for i, rm := range list {
		out[i] = rm.Token
	}
	return out
}

// UpdateRoom changes a stored room in place (fn gets a pointer to it). The
// token cannot be changed.
func (s *Server) UpdateRoom(token string, fn func(r *Room)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	rm := s.rooms[token]
	if rm == nil {
		return false
	}
	had := rm.HasCall
	fn(&rm.Room)
	rm.Token = token
	if rm.HasCall != had {
		rm.hostCall = rm.HasCall
	}
	if rm.Participants == nil {
		rm.Participants = map[string]models.ParticipantType{}
	}
	for u := range rm.Participants {
		s.attendeeLocked(rm, u)
	}
	return true
}

// SetParticipant adds a user to a room or changes their participant type.
func (s *Server) SetParticipant(token, user string, t models.ParticipantType) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rm := s.rooms[token]; rm != nil {
		rm.Participants[user] = t
		s.attendeeLocked(rm, user).modified = s.now().Unix()
	}
}

// Promote makes a user a moderator of a room (adding them if needed).
func (s *Server) Promote(token, user string) {
	s.SetParticipant(token, user, models.ParticipantModerator)
}

// Demote makes a participant a plain user (no-op for non-participants).
func (s *Server) Demote(token, user string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rm := s.rooms[token]; rm != nil {
		if _, ok := rm.Participants[user]; ok {
			rm.Participants[user] = models.ParticipantUser
			s.attendeeLocked(rm, user).modified = s.now().Unix()
		}
	}
}

// RemoveParticipant removes a user from a room.
func (s *Server) RemoveParticipant(token, user string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rm := s.rooms[token]; rm != nil {
		delete(rm.Participants, user)
		delete(rm.attendees, user)
	}
}

// RenameRoom renames a room (a system message bumps lastActivity).
func (s *Server) RenameRoom(token, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rm := s.rooms[token]; rm != nil {
		rm.Name, rm.DisplayName = name, name
		s.postLocked(rm, "", "conversation_renamed", "You renamed the conversation", "{actor} renamed the conversation")
	}
}

// DeleteRoom deletes a room.
func (s *Server) DeleteRoom(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.rooms, token)
}

// StartCall starts a call in a room.
func (s *Server) StartCall(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rm := s.rooms[token]; rm != nil && !rm.HasCall {
		rm.HasCall = true
		rm.hostCall = true
		rm.callStart = s.now().Unix()
		s.postLocked(rm, "", "call_started", "You started a call", "{actor} started a call")
	}
}

// EndCall ends the call of a room.
func (s *Server) EndCall(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rm := s.rooms[token]; rm != nil && rm.HasCall {
		rm.HasCall = false
		rm.hostCall = false
		rm.callStart = 0
		s.postLocked(rm, "", "call_ended", "Call ended", "Call ended")
	}
}

// checkTimerLocked is the lazy lobby reset: reading a room whose lobby
// timer has passed lifts the lobby and clears the timer.
func (s *Server) checkTimerLocked(rm *room) {
	if rm.LobbyTimer <= 0 || rm.LobbyTimer > s.now().Unix() {
		return
	}
	wasOn := rm.LobbyState != models.LobbyNone
	rm.LobbyState, rm.LobbyTimer = models.LobbyNone, 0
	if wasOn {
		s.postLocked(rm, "", "lobby_timer_reached", "The conversation is now open to everyone", "The conversation is now open to everyone")
	}
}

// roomJSON is the room object with the 52 fields of Talk 21, in its order.
type roomJSON struct {
	ID                    int64        `json:"id"`
	Token                 string       `json:"token"`
	Type                  int          `json:"type"`
	Name                  string       `json:"name"`
	DisplayName           string       `json:"displayName"`
	ObjectType            string       `json:"objectType"`
	ObjectID              string       `json:"objectId"`
	ParticipantType       int          `json:"participantType"`
	ParticipantFlags      int          `json:"participantFlags"`
	ReadOnly              int          `json:"readOnly"`
	HasPassword           bool         `json:"hasPassword"`
	HasCall               bool         `json:"hasCall"`
	CallStartTime         int64        `json:"callStartTime"`
	CallRecording         int          `json:"callRecording"`
	CanStartCall          bool         `json:"canStartCall"`
	LastActivity          int64        `json:"lastActivity"`
	LastReadMessage       int64        `json:"lastReadMessage"`
	UnreadMessages        int          `json:"unreadMessages"`
	UnreadMention         bool         `json:"unreadMention"`
	UnreadMentionDirect   bool         `json:"unreadMentionDirect"`
	IsFavorite            bool         `json:"isFavorite"`
	CanLeaveConversation  bool         `json:"canLeaveConversation"`
	CanDeleteConversation bool         `json:"canDeleteConversation"`
	NotificationLevel     int          `json:"notificationLevel"`
	NotificationCalls     int          `json:"notificationCalls"`
	LobbyState            int          `json:"lobbyState"`
	LobbyTimer            int64        `json:"lobbyTimer"`
	LastPing              int64        `json:"lastPing"`
	SessionID             string       `json:"sessionId"`
	SIPEnabled            int          `json:"sipEnabled"`
	ActorType             string       `json:"actorType"`
	ActorID               string       `json:"actorId"`
	AttendeeID            int64        `json:"attendeeId"`
	Permissions           int          `json:"permissions"`
	AttendeePermissions   int          `json:"attendeePermissions"`
	CallPermissions       int          `json:"callPermissions"`
	DefaultPermissions    int          `json:"defaultPermissions"`
	CanEnableSIP          bool         `json:"canEnableSIP"`
	AttendeePin           string       `json:"attendeePin"`
	Description           string       `json:"description"`
	LastCommonReadMessage int64        `json:"lastCommonReadMessage"`
	Listable              int          `json:"listable"`
	CallFlag              int          `json:"callFlag"`
	MessageExpiration     int          `json:"messageExpiration"`
	AvatarVersion         string       `json:"avatarVersion"`
	IsCustomAvatar        bool         `json:"isCustomAvatar"`
	BreakoutRoomMode      int          `json:"breakoutRoomMode"`
	BreakoutRoomStatus    int          `json:"breakoutRoomStatus"`
	RecordingConsent      int          `json:"recordingConsent"`
	MentionPermissions    int          `json:"mentionPermissions"`
	IsArchived            bool         `json:"isArchived"`
	RemoteServer          string       `json:"remoteServer,omitempty"`
	RemoteToken           string       `json:"remoteToken,omitempty"`
	LastMessage           *messageJSON `json:"lastMessage,omitempty"`
}

// messageJSON is a message object with the keys of Talk 21, in its order
// (a room's lastMessage; the chat's messages add to it: chatJSON).
type messageJSON struct {
	ID                  int64    `json:"id"`
	Token               string   `json:"token"`
	ActorType           string   `json:"actorType"`
	ActorID             string   `json:"actorId"`
	ActorDisplayName    string   `json:"actorDisplayName"`
	Timestamp           int64    `json:"timestamp"`
	Message             string   `json:"message"`
	MessageParameters   any      `json:"messageParameters"` // an object, or [] when empty
	SystemMessage       string   `json:"systemMessage"`
	MessageType         string   `json:"messageType"`
	IsReplyable         bool     `json:"isReplyable"`
	ReferenceID         string   `json:"referenceId"`
	Reactions           struct{} `json:"reactions"`
	ExpirationTimestamp int64    `json:"expirationTimestamp"`
	Markdown            bool     `json:"markdown"`
}

func sipConfiguredPin() string {
	p := randomString(7, digits)
	for p[0] == '0' {
		p = randomString(1, "123456789") + p[1:]
	}
	return p
}

// heldByLobby: a non-moderator while the lobby is on.
func heldByLobby(rm *room, t models.ParticipantType) bool {
	return rm.LobbyState == models.LobbyModeratorsOnly && !isModerator(t)
}

// canEnableSIPLocked is the per-room canEnableSIP for a user.
func (s *Server) canEnableSIPLocked(rm *room, uid string) bool {
	t := rm.Participants[uid]
	return s.sipConfigured && models.SIPCompatibleToken(rm.Token) &&
		(rm.Type == models.ConversationGroup || rm.Type == models.ConversationPublic) &&
		(t == models.ParticipantOwner || t == models.ParticipantModerator) &&
		s.inSIPGroupsLocked(uid) && !heldByLobby(rm, t)
}

// formatLocked formats a room for a user, like RoomFormatter.
func (s *Server) formatLocked(rm *room, uid string) roomJSON {
	return s.formatForLocked(rm, uid, rm.Participants[uid], s.attendeeLocked(rm, uid))
}

// formatGuestLocked formats a room for a guest [real P41].
func (s *Server) formatGuestLocked(rm *room, g *guest) roomJSON {
	j := s.formatForLocked(rm, "", g.t(), g.a)
	j.ActorType, j.ActorID = models.ActorGuests, g.actorID
	j.CanEnableSIP = false
	j.NotificationLevel = 3
	return j
}

// formatForLocked formats a room for one attendee: a user (uid) or a
// guest (uid "").
func (s *Server) formatForLocked(rm *room, uid string, t models.ParticipantType, a *attendee) roomJSON {
	// held by the lobby: not a moderator, and not let in (bit 8)
	held := heldByLobby(rm, t) && effectivePermissions(rm, t, a)&models.PermissionIgnoreLobby == 0
	mod := isModerator(t)
	name, display := rm.Name, rm.DisplayName
	if rm.Type == models.ConversationOneToOne && name == "" {
		for _, other := range sortedKeys(rm.Participants) {
			if other != uid {
				name = other
				break
			}
		}
	}
	if rm.Type == models.ConversationOneToOne && (display == "" || display == rm.Name) {
		if u := s.users[name]; u != nil {
			display = u.display
		}
	}
	if display == "" {
		display = name
	}
	j := roomJSON{
		ID: rm.id, Token: rm.Token, Type: int(rm.Type), Name: name, DisplayName: display,
		ObjectType: rm.ObjectType, ObjectID: rm.ObjectID, ParticipantType: int(t),
		HasCall: rm.HasCall && !held, CanStartCall: !held && rm.Type != models.ConversationNoteToSelf && effectivePermissions(rm, t, a)&models.PermissionStartCall != 0,
		LastActivity: rm.LastActivity, LastReadMessage: rm.last.id,
		CanLeaveConversation: rm.Type != models.ConversationNoteToSelf,
		CanDeleteConversation: mod && rm.Type != models.ConversationOneToOne &&
			rm.Type != models.ConversationChangelog && rm.Type != models.ConversationFormerOneToOne,
		NotificationLevel: 2, NotificationCalls: 1,
		LobbyState: int(rm.LobbyState), LobbyTimer: rm.LobbyTimer,
		SessionID: "0", ActorType: "users", ActorID: uid, AttendeeID: a.id,
		Permissions: 246, CanEnableSIP: uid != "" && s.canEnableSIPLocked(rm, uid),
		Description: rm.Description, LastCommonReadMessage: rm.last.id,
		AvatarVersion: sha1Hex("avatar|" + rm.Token)[:8], BreakoutRoomMode: rm.BreakoutRoomMode,
		RemoteServer: rm.RemoteServer,
	}
	if rm.RemoteServer != "" {
		j.RemoteToken = rm.Token
	}
	if rm.Type == models.ConversationOneToOne {
		j.NotificationLevel = 1
	}
	if rm.Type == models.ConversationChangelog || (rm.chat != nil && rm.chat.readOnly) {
		j.ReadOnly = 1
	}
	j.Permissions = effectivePermissions(rm, t, a)
	j.AttendeePermissions = a.perms
	j.DefaultPermissions = rm.DefaultPermissions
	j.ParticipantFlags = a.inCall
	if rm.HasCall {
		// the call's flags are the OR of who joined; a held user still
		// sees them, but not hasCall [real P14, P19]
		j.CallStartTime = rm.callStart
		j.CallFlag = s.callFlagLocked(rm)
	}
	if s.sipConfigured {
		j.SIPEnabled = int(rm.SIPEnabled)
		if rm.SIPEnabled != models.SIPDisabled {
			if a.pin == "" {
				a.pin = sipConfiguredPin()
			}
			j.AttendeePin = a.pin
		}
	}
	if held {
		j.LastReadMessage = 0
	} else {
		j.LastMessage = s.messageJSONLocked(rm, uid)
	}
	return j
}

func (s *Server) messageJSONLocked(rm *room, viewer string) *messageJSON {
	m := rm.last
	text := m.other
	if m.actorID == viewer && m.actorType == "users" {
		text = m.you
	}
	params := map[string]any{}
	if m.actorType == "users" {
		params["actor"] = map[string]string{"type": "user", "id": m.actorID, "name": m.actorName}
	} else {
		params["actor"] = map[string]string{"type": "guest", "id": "guest/system", "name": "Guest"}
	}
	return &messageJSON{
		ID: m.id, Token: rm.Token, ActorType: m.actorType, ActorID: m.actorID,
		ActorDisplayName: m.actorName, Timestamp: m.ts, Message: text,
		MessageParameters: params, SystemMessage: m.system, MessageType: "system",
	}
}
