package talktest

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/talkmod/talkmod/models"
)

// The chat of a room, as the M recordings show it
// (client/testdata/recorded/FCM-NOTES.md §9-§14): posting (mentions,
// replies, silent, referenceId, the length limit), the history (newest
// first, X-Chat-Last-Given), the long poll (woken by a new message, else
// 304 with an empty body and no X-Chat headers after at most 30 s),
// deleting (who may, 405 for system and deleted messages, the
// message_deleted system message), read-only (nobody posts, moderators
// included; everyone leaves the call) and the lobby's 412. Every system
// message talktest writes (conversation_created, lobby changes, calls)
// is in the chat too. Not modelled: reactions, read markers (the
// X-Chat-Last-Common-Read header is the newest message id before the
// answer), clearing the history, bots, files, and the creation-time
// order of backdated messages.

// WithChatSecond sets how long one second of a chat poll's wait lasts
// (default a second): tests shorten it to run the 30 s cap quickly.
func WithChatSecond(d time.Duration) Option {
	return func(s *Server) {
		if d > 0 {
			s.chatSecond = d
		}
	}
}

// Errors of the chat hooks.
var (
	// ErrReadOnly: the conversation is locked (the server's 403).
	ErrReadOnly = errors.New("talktest: the conversation is read-only")
	// ErrNoSuchMessage: no such message in the room.
	ErrNoSuchMessage = errors.New("talktest: no such message")
)

// maxPollSeconds is the server's cap on a poll's timeout [real M32].
const maxPollSeconds = 30

// chatLog is a room's chat.
type chatLog struct {
	msgs []*chatMsg // ascending ids
	byID map[int64]*chatMsg
	// wake is closed (and replaced) when a message arrives: it wakes the
	// waiting polls.
	wake     chan struct{}
	readOnly bool
	// polls counts the polls waiting now; pollStarted is closed (and
	// replaced) when one starts to wait.
	polls       int
	pollStarted chan struct{}
}

// chatActor is who wrote or did something.
type chatActor struct {
	typ, id, name string
}

func (a chatActor) same(b chatActor) bool { return a.typ == b.typ && a.id == b.id }

type chatMsg struct {
	id     int64
	actor  chatActor
	ts     int64
	system string // system message id ("" for comments)
	// text is the comment, or a system message as others read it; you
	// is a system message as its actor reads it.
	text, you   string
	params      map[string]richObject
	referenceID string
	silent      bool
	replyTo     int64 // a comment's parent; message_deleted's deleted message
	deleted     bool
	deletedBy   chatActor
}

// richObject is a message parameter.
type richObject struct {
	Type     string `json:"type"`
	ID       string `json:"id"`
	Name     string `json:"name"`
	CallType string `json:"call-type,omitempty"`
	IconURL  string `json:"icon-url,omitempty"`
}

// chatJSON is a message object of the chat: a room's last message
// (messageJSON) and what only the chat sends.
type chatJSON struct {
	messageJSON
	Deleted bool      `json:"deleted,omitempty"`
	Silent  bool      `json:"silent,omitempty"`
	Parent  *chatJSON `json:"parent,omitempty"`
}

func (s *Server) chatLocked(rm *room) *chatLog {
	if rm.chat == nil {
		rm.chat = &chatLog{byID: map[int64]*chatMsg{}, wake: make(chan struct{}), pollStarted: make(chan struct{})}
	}
	return rm.chat
}

// appendLocked adds a message, bumps lastActivity and wakes the polls.
func (s *Server) chatAppendLocked(rm *room, m *chatMsg) {
	c := s.chatLocked(rm)
	c.msgs = append(c.msgs, m)
	c.byID[m.id] = m
	if m.ts > rm.LastActivity {
		rm.LastActivity = m.ts
	}
	close(c.wake)
	c.wake = make(chan struct{})
}

// chatSystemFromLast puts a system message written by postLocked or
// addRoomLocked (rm.last) into the chat.
func (s *Server) chatSystemFromLast(rm *room) {
	m := rm.last
	s.chatAppendLocked(rm, &chatMsg{id: m.id, actor: chatActor{m.actorType, m.actorID, m.actorName}, ts: m.ts,
		system: m.system, text: m.other, you: m.you})
}

// chatSystemLocked writes a system message by an actor, with extra
// parameters.
func (s *Server) chatSystemLocked(rm *room, a chatActor, system, you, other string, params map[string]richObject) *chatMsg {
	s.nextMessage++
	m := &chatMsg{id: s.nextMessage, actor: a, ts: s.now().Unix(), system: system, you: you, text: other, params: params}
	s.chatAppendLocked(rm, m)
	return m
}

func (s *Server) userActorLocked(uid string) chatActor {
	a := chatActor{typ: models.ActorUsers, id: uid, name: uid}
	if u := s.users[uid]; u != nil {
		a.name = u.display
	}
	return a
}

func guestActor(g *guest) chatActor {
	return chatActor{typ: models.ActorGuests, id: g.actorID, name: g.name}
}

// richActor is an actor as a message parameter.
func richActor(a chatActor) richObject {
	switch {
	case a.typ == models.ActorUsers:
		return richObject{Type: "user", ID: a.id, Name: a.name}
	case a.id == "system" || a.id == "":
		return richObject{Type: "guest", ID: "guest/system", Name: "Guest"}
	}
	return richObject{Type: "guest", ID: "guest/" + a.id, Name: a.name}
}

// mentionRe finds @mentions: @all, @user-id.
var mentionRe = regexp.MustCompile(`@([A-Za-z0-9_@.-]*[A-Za-z0-9_])`)

// mentionsLocked turns @all and @user (a participant of the room) into
// placeholders with parameters [real M10, M11].
func (s *Server) mentionsLocked(rm *room, text string) (string, map[string]richObject) {
	params := map[string]richObject{}
	users := map[string]string{}
	out := mentionRe.ReplaceAllStringFunc(text, func(m string) string {
		id := m[1:]
		if id == "all" {
			params["mention-call1"] = richObject{Type: "call", ID: rm.Token, Name: rm.Name, CallType: callType(rm.Type),
				IconURL: s.URL + "/ocs/v2.php/apps/spreed/api/v1/room/" + rm.Token + "/avatar?v=" + sha1Hex("avatar|" + rm.Token)[:8]}
			return "{mention-call1}"
		}
		if _, ok := rm.Participants[id]; !ok {
			return m
		}
		key, ok := users[id]
		if !ok {
			key = "mention-user" + strconv.Itoa(len(users)+1)
			users[id] = key
			params[key] = richObject{Type: "user", ID: id, Name: s.userActorLocked(id).name}
		}
		return "{" + key + "}"
	})
	if len(params) == 0 {
		return text, nil
	}
	return out, params
}

func callType(t models.ConversationType) string {
	switch t {
	case models.ConversationOneToOne:
		return "one2one"
	case models.ConversationPublic:
		return "public"
	}
	return "group"
}

// chatJSONLocked renders a message for a viewer (the texts in "You …"
// form for their own system messages; a deletion by them "by you").
func (s *Server) chatJSONLocked(rm *room, m *chatMsg, viewer chatActor, withParent bool) *chatJSON {
	j := &chatJSON{messageJSON: messageJSON{ID: m.id, Token: rm.Token, ActorType: m.actor.typ, ActorID: m.actor.id, ActorDisplayName: m.actor.name,
		Timestamp: m.ts, Message: m.text, ReferenceID: m.referenceID, MessageParameters: emptyArray}}
	if m.actor.typ == models.ActorGuests && m.actor.id == "system" {
		j.ActorDisplayName = ""
	}
	params := map[string]richObject{}
	for k, v := range m.params {
		params[k] = v
	}
	switch {
	case m.system != "":
		j.SystemMessage, j.MessageType = m.system, models.MessageSystem
		if viewer.same(m.actor) {
			j.Message = m.you
		}
		params["actor"] = richActor(m.actor)
	case m.deleted:
		j.MessageType, j.Markdown, j.Deleted, j.Silent = models.MessageCommentDeleted, true, true, m.silent
		switch {
		case viewer.same(m.deletedBy):
			j.Message = "Message deleted by you"
		case m.deletedBy.same(m.actor):
			j.Message = "Message deleted by author"
		default:
			j.Message = "Message deleted by {actor}"
		}
		params = map[string]richObject{"actor": richActor(m.deletedBy)}
	default:
		j.MessageType, j.IsReplyable, j.Markdown, j.Silent = models.MessageComment, true, true, m.silent
	}
	if len(params) > 0 {
		j.MessageParameters = params
	}
	if withParent && m.replyTo != 0 && (!m.deleted || m.system != "") {
		if p := s.chatLocked(rm).byID[m.replyTo]; p != nil {
			j.Parent = s.chatJSONLocked(rm, p, viewer, false)
		}
	}
	return j
}

// chatCaller is who asks: a user or a guest of the room.
type chatCaller struct {
	rm     *room
	t      models.ParticipantType
	a      *attendee
	actor  chatActor
	guest  *guest
	member bool
}

func (s *Server) chatCallerLocked(rw *respWriter, uid, token string) chatCaller {
	if uid == "" {
		rm := s.rooms[token]
		if g := s.guestLocked(rw, rm); g != nil {
			return chatCaller{rm: rm, t: models.ParticipantGuest, a: g.a, actor: guestActor(g), guest: g, member: true}
		}
		return chatCaller{}
	}
	rm, t := s.memberLocked(token, uid)
	if rm == nil {
		return chatCaller{}
	}
	return chatCaller{rm: rm, t: t, a: s.attendeeLocked(rm, uid), actor: s.userActorLocked(uid), member: true}
}

// held: the lobby holds the caller (412) [real M68-M71].
func (c chatCaller) held() bool {
	return heldByLobby(c.rm, c.t) && effectivePermissions(c.rm, c.t, c.a)&models.PermissionIgnoreLobby == 0
}

// handleChat serves GET/POST/DELETE chat/{token} and DELETE
// chat/{token}/{id}. Checks in the server's order: member (404 []),
// read-only for writes (403 []), lobby (412 []), the chat permission for
// posts (403 []) [real M75, M76].
func (s *Server) handleChat(rw *respWriter, r *http.Request, body []byte, uid, token, msgID string) {
	f := controllerFormat(r)
	s.mu.Lock()
	c := s.chatCallerLocked(rw, uid, token)
	if !c.member {
		s.mu.Unlock()
		rw.ocs(f, http.StatusNotFound, 404, "", nil)
		return
	}
	write := r.Method != http.MethodGet
	if write && s.chatLocked(c.rm).readOnly {
		s.mu.Unlock()
		rw.ocs(f, http.StatusForbidden, 403, "", nil)
		return
	}
	if r.Method == http.MethodDelete && c.guest != nil {
		// RequireAuthenticatedParticipant: guests never delete [real M39]
		s.mu.Unlock()
		rw.ocs(f, http.StatusNotFound, 404, "", nil)
		return
	}
	if c.held() {
		s.mu.Unlock()
		rw.ocs(f, http.StatusPreconditionFailed, 412, "", nil)
		return
	}
	switch {
	case r.Method == http.MethodGet && msgID == "":
		s.mu.Unlock()
		s.chatRead(rw, r, uid, token)
	case r.Method == http.MethodPost && msgID == "":
		defer s.mu.Unlock()
		s.chatPostLocked(rw, r, body, c)
	case r.Method == http.MethodDelete && msgID != "":
		defer s.mu.Unlock()
		s.chatDeleteLocked(rw, r, c, msgID)
	default:
		// clearing the history is not modelled
		s.mu.Unlock()
		rw.ocs(f, http.StatusForbidden, 403, "", nil)
	}
}

func (s *Server) chatPostLocked(rw *respWriter, r *http.Request, body []byte, c chatCaller) {
	f := controllerFormat(r)
	params := readParams(r, body)
	mp, ok := params["message"]
	if !ok || mp.null {
		internalError(rw, r) // [real M15]
		return
	}
	if effectivePermissions(c.rm, c.t, c.a)&models.PermissionChat == 0 {
		rw.ocs(f, http.StatusForbidden, 403, "", nil) // [real F55]
		return
	}
	text := mp.str
	if strings.TrimSpace(text) == "" {
		rw.ocs(f, http.StatusBadRequest, 400, "", errWord("message")) // [real M14]
		return
	}
	if utf8.RuneCountInString(text) > models.MaxMessageLength {
		rw.ocs(f, http.StatusRequestEntityTooLarge, 413, "", errWord("message")) // [real M20]
		return
	}
	var replyTo int64
	if rp, ok := params["replyTo"]; ok && !rp.null {
		replyTo = rp.int()
		p := s.chatLocked(c.rm).byID[replyTo]
		if replyTo != 0 && (p == nil || p.system != "" || p.deleted) {
			rw.ocs(f, http.StatusBadRequest, 400, "", errWord("reply-to")) // [real M16, M19]
			return
		}
	}
	if c.guest != nil {
		if np, ok := params["actorDisplayName"]; ok && np.str != "" {
			c.guest.name = np.str // renames the guest [real M12]
			c.actor.name = np.str
		}
	}
	ref := params["referenceId"].str
	if utf8.RuneCountInString(ref) > 64 {
		ref = string([]rune(ref)[:64])
	}
	common := s.chatLastIDLocked(c.rm)
	msgText, mentions := s.mentionsLocked(c.rm, text)
	s.nextMessage++
	m := &chatMsg{id: s.nextMessage, actor: c.actor, ts: s.now().Unix(), text: msgText, params: mentions,
		referenceID: ref, silent: params["silent"].str == "true" || params["silent"].str == "1", replyTo: replyTo}
	s.chatAppendLocked(c.rm, m)
	rw.w.Header().Set("X-Chat-Last-Common-Read", strconv.FormatInt(common, 10))
	rw.ocs(f, http.StatusCreated, 201, "OK", s.chatJSONLocked(c.rm, m, c.actor, true))
}

func (s *Server) chatLastIDLocked(rm *room) int64 {
	c := s.chatLocked(rm)
	if len(c.msgs) == 0 {
		return 0
	}
	return c.msgs[len(c.msgs)-1].id
}

// chatDeleteLocked: the author, or a moderator (1, 2) outside one-to-one
// rooms [real M33-M46].
func (s *Server) chatDeleteLocked(rw *respWriter, r *http.Request, c chatCaller, msgID string) {
	f := controllerFormat(r)
	id, err := strconv.ParseInt(msgID, 10, 64)
	m := s.chatLocked(c.rm).byID[id]
	if err != nil || m == nil {
		rw.ocs(f, http.StatusNotFound, 404, "", errWord("message"))
		return
	}
	if m.system != "" || m.deleted {
		rw.ocs(f, http.StatusMethodNotAllowed, 405, "", errWord("message"))
		return
	}
	author := m.actor.same(c.actor)
	mod := (c.t == models.ParticipantOwner || c.t == models.ParticipantModerator) && !isOneToOne(c.rm)
	if !author && !mod {
		rw.ocs(f, http.StatusForbidden, 403, "", errWord("permission"))
		return
	}
	m.deleted, m.deletedBy, m.params = true, c.actor, nil
	common := s.chatLastIDLocked(c.rm)
	sys := s.chatSystemLocked(c.rm, c.actor, "message_deleted", "You deleted a message", "{actor} deleted a message", nil)
	sys.replyTo = m.id
	rw.w.Header().Set("X-Chat-Last-Common-Read", strconv.FormatInt(common, 10))
	rw.ocs(f, http.StatusOK, 200, "OK", s.chatJSONLocked(c.rm, sys, c.actor, true))
}

// chatRead serves the history (lookIntoFuture=0) and the poll (1). It is
// called without the lock: a poll waits for a message to arrive.
func (s *Server) chatRead(rw *respWriter, r *http.Request, uid, token string) {
	f := controllerFormat(r)
	q := r.URL.Query()
	if !q.Has("lookIntoFuture") {
		internalError(rw, r) // [real M29]
		return
	}
	future := phpIntString(q.Get("lookIntoFuture")) == 1
	limit := 100
	if q.Has("limit") {
		limit = int(phpIntString(q.Get("limit")))
		if limit > 200 {
			limit = 200
		}
	}
	known := phpIntString(q.Get("lastKnownMessageId"))
	include := phpIntString(q.Get("includeLastKnown")) == 1
	timeout := int64(maxPollSeconds)
	if q.Has("timeout") {
		timeout = min(max(phpIntString(q.Get("timeout")), 0), maxPollSeconds)
	}
	commonWanted, hasCommon := int64(0), q.Has("lastCommonReadId")
	if hasCommon {
		commonWanted = phpIntString(q.Get("lastCommonReadId"))
	}
	var deadline <-chan time.Time
	for {
		s.mu.Lock()
		c := s.chatCallerLocked(rw, uid, token)
		if !c.member {
			s.mu.Unlock()
			rw.ocs(f, http.StatusNotFound, 404, "", nil)
			return
		}
		log := s.chatLocked(c.rm)
		var page []*chatMsg
		if future {
			for _, m := range log.msgs {
				if m.id > known || (include && m.id == known) {
					page = append(page, m)
					if limit > 0 && len(page) == limit {
						break
					}
				}
			}
		} else {
			for i := len(log.msgs) - 1; i >= 0; i-- {
				m := log.msgs[i]
				if known <= 0 || m.id < known || (include && m.id == known) {
					page = append(page, m)
					if limit > 0 && len(page) == limit {
						break
					}
				}
			}
		}
		common := s.chatLastIDLocked(c.rm)
		if len(page) > 0 {
			out := make([]*chatJSON, len(page))
			for i, m := range page {
				out[i] = s.chatJSONLocked(c.rm, m, c.actor, true)
			}
			s.mu.Unlock()
			rw.w.Header().Set("X-Chat-Last-Given", strconv.FormatInt(page[len(page)-1].id, 10))
			rw.w.Header().Set("X-Chat-Last-Common-Read", strconv.FormatInt(common, 10))
			rw.ocs(f, http.StatusOK, 200, "OK", out)
			return
		}
		if future && hasCommon && commonWanted != common {
			s.mu.Unlock()
			rw.w.Header().Set("X-Chat-Last-Common-Read", strconv.FormatInt(common, 10))
			rw.ocs(f, http.StatusOK, 200, "OK", nil) // [real M27]
			return
		}
		if !future || timeout == 0 {
			s.mu.Unlock()
			notModified(rw)
			return
		}
		wake := log.wake
		if deadline == nil {
			t := time.NewTimer(time.Duration(timeout) * s.chatSecond)
			defer t.Stop()
			deadline = t.C
		}
		log.polls++
		close(log.pollStarted)
		log.pollStarted = make(chan struct{})
		s.mu.Unlock()
		woken := false
		select {
		case <-wake:
			woken = true
		case <-deadline:
		case <-r.Context().Done():
		case <-s.closing:
		}
		s.mu.Lock()
		log.polls--
		s.mu.Unlock()
		if !woken {
			if r.Context().Err() == nil && !s.isClosing() {
				notModified(rw) // [real M26, M32]
			}
			return
		}
		s.runDue()
	}
}

// ChatPolls is how many chat polls wait on a room now (a long poll holds
// one PHP worker of a real server for its whole wait).
func (s *Server) ChatPolls(token string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rm := s.rooms[token]; rm != nil {
		return s.chatLocked(rm).polls
	}
	return 0
}

// ChatPollStarted is closed when the next chat poll on a room starts to
// wait (nil for no room): take it before the poll is sent.
func (s *Server) ChatPollStarted(token string) <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rm := s.rooms[token]; rm != nil {
		return s.chatLocked(rm).pollStarted
	}
	return nil
}

// notModified is the poll's 304: an empty body, no X-Chat headers, no
// session cookies [real M26].
func notModified(rw *respWriter) {
	h := rw.w.Header()
	for k, v := range map[string]string{
		"Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "SAMEORIGIN",
		"X-Permitted-Cross-Domain-Policies": "none", "X-Robots-Tag": "noindex, nofollow", "X-XSS-Protection": "1; mode=block",
		"Cache-Control": "no-cache, no-store, must-revalidate", "Content-Type": "application/json; charset=utf-8",
	} {
		h.Set(k, v)
	}
	rw.w.WriteHeader(http.StatusNotModified)
}

// handleReadOnly serves PUT room/{token}/read-only [real M51-M65].
func (s *Server) handleReadOnly(rw *respWriter, r *http.Request, body []byte, uid, token string) {
	f := controllerFormat(r)
	params := readParams(r, body)
	s.mu.Lock()
	defer s.mu.Unlock()
	rm, t := s.memberLocked(token, uid)
	if rm == nil {
		rw.ocs(f, http.StatusNotFound, 404, "", nil)
		return
	}
	if !isModerator(t) {
		rw.ocs(f, http.StatusForbidden, 403, "", nil)
		return
	}
	sp, ok := params["state"]
	if !ok || sp.null {
		internalError(rw, r)
		return
	}
	state := sp.int()
	if state != 0 && state != 1 {
		rw.ocs(f, http.StatusBadRequest, 400, "", errWord("value"))
		return
	}
	log := s.chatLocked(rm)
	if (state == 1) != log.readOnly {
		if rm.Type != models.ConversationGroup && rm.Type != models.ConversationPublic {
			rw.ocs(f, http.StatusBadRequest, 400, "", errWord("type"))
			return
		}
		s.setReadOnlyLocked(rm, state == 1, s.userActorLocked(uid))
	}
	j := s.formatLocked(rm, uid)
	rw.ocs(f, http.StatusOK, 200, "OK", j)
}

// setReadOnlyLocked locks or unlocks; locking ends everyone's call (each
// gets a call_left message) but the room keeps hasCall [real M51, M52].
func (s *Server) setReadOnlyLocked(rm *room, on bool, by chatActor) {
	log := s.chatLocked(rm)
	log.readOnly = on
	if !on {
		s.chatSystemLocked(rm, by, "read_only_off", "You unlocked the conversation", "{actor} unlocked the conversation", nil)
		return
	}
	s.chatSystemLocked(rm, by, "read_only", "You locked the conversation", "{actor} locked the conversation", nil)
	for _, p := range s.peopleLocked(rm) {
		if p.a.inCall == 0 {
			continue
		}
		p.a.inCall = 0
		a := s.userActorLocked(p.uid)
		if p.g != nil {
			a = guestActor(p.g)
		}
		s.chatSystemLocked(rm, a, "call_left", "You left the call", "{actor} left the call", nil)
	}
}

// ---- hooks for tests and the demo ----

// ChatMessage is a message as stored, for tests.
type ChatMessage struct {
	ID                 int64
	ActorType, ActorID string
	ActorName          string
	// Text is the comment (with {placeholders}), or the system message
	// as others read it.
	Text, System string
	ReplyTo      int64
	Deleted      bool
	Silent       bool
}

// ChatMessages lists a room's messages, oldest first (nil for no room).
func (s *Server) ChatMessages(token string) []ChatMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	rm := s.rooms[token]
	if rm == nil {
		return nil
	}
	log := s.chatLocked(rm)
	out := make([]ChatMessage, 0, len(log.msgs))
	for _, m := range log.msgs {
		out = append(out, ChatMessage{ID: m.id, ActorType: m.actor.typ, ActorID: m.actor.id, ActorName: m.actor.name,
			Text: m.text, System: m.system, ReplyTo: m.replyTo, Deleted: m.deleted, Silent: m.silent})
	}
	return out
}

// Say posts a message as a user of the room (as their browser would;
// @mentions become placeholders) and returns its id. The lobby and
// read-only rules apply: ErrHeldByLobby, ErrReadOnly.
func (s *Server) Say(token, user, text string) (int64, error) {
	return s.sayAt(token, user, text, 0)
}

// sayAt is Say with a timestamp (0: now).
func (s *Server) sayAt(token, user, text string, ts int64) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rm, t := s.memberLocked(token, user)
	if rm == nil {
		return 0, ErrNoSuchAttendee
	}
	c := chatCaller{rm: rm, t: t, a: s.attendeeLocked(rm, user), actor: s.userActorLocked(user), member: true}
	return s.sayLocked(c, text, ts)
}

// GuestSay posts a message as a guest of the room (by attendee id).
func (s *Server) GuestSay(token string, attendeeID int64, text string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rm := s.rooms[token]
	if rm == nil {
		return 0, ErrNoSuchAttendee
	}
	for _, g := range rm.guests {
		if g.a.id == attendeeID {
			return s.sayLocked(chatCaller{rm: rm, t: models.ParticipantGuest, a: g.a, actor: guestActor(g), guest: g, member: true}, text, 0)
		}
	}
	return 0, ErrNoSuchAttendee
}

func (s *Server) sayLocked(c chatCaller, text string, ts int64) (int64, error) {
	if s.chatLocked(c.rm).readOnly {
		return 0, ErrReadOnly
	}
	if c.held() {
		return 0, ErrHeldByLobby
	}
	if strings.TrimSpace(text) == "" {
		return 0, fmt.Errorf("talktest: an empty message")
	}
	msgText, mentions := s.mentionsLocked(c.rm, text)
	s.nextMessage++
	if ts == 0 {
		ts = s.now().Unix()
	}
	m := &chatMsg{id: s.nextMessage, actor: c.actor, ts: ts, text: msgText, params: mentions}
	s.chatAppendLocked(c.rm, m)
	return m.id, nil
}

// SetReadOnly locks or unlocks a room as a moderator would (by user).
func (s *Server) SetReadOnly(token, by string, on bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rm := s.rooms[token]
	if rm == nil {
		return ErrNoSuchAttendee
	}
	if s.chatLocked(rm).readOnly != on {
		s.setReadOnlyLocked(rm, on, s.userActorLocked(by))
	}
	return nil
}

// ReadOnly reports whether a room is locked.
func (s *Server) ReadOnly(token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	rm := s.rooms[token]
	return rm != nil && s.chatLocked(rm).readOnly
}

// methodChat marks the chat routes: GET, POST and DELETE (handleChat
// answers each).
const methodChat = "GET|POST|DELETE"

// matchChat matches chat/{token} and chat/{token}/{id} (api v1).
func matchChat(rest string) (route, bool) {
	tail, ok := strings.CutPrefix(rest, "/apps/spreed/api/v1/chat/")
	if !ok {
		return route{}, false
	}
	tok, id, _ := strings.Cut(tail, "/")
	if !tokenRe.MatchString(tok) || strings.Contains(id, "/") {
		return route{}, false
	}
	return route{name: "chat", method: methodChat, token: tok, anon404: true, msgID: id}, true
}
