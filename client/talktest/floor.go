package talktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/talkmod/talkmod/models"
)

// The floor and the call as the F and C recordings show them
// (client/testdata/recorded/FCM-NOTES.md): the room's default permissions
// (which reset everyone's own), promoting and demoting moderators (which
// resets the target's own), updating one's call flags (audio and video
// dropped without the rights), ending the call for everyone (only with a
// Talk session of one's own), and the attendance CSV.

// methodCall marks the call route: POST join, PUT flags, DELETE leave.
const methodCall = "POST|PUT|DELETE"

// t is the guest's participant type: guest or guest moderator.
func (g *guest) t() models.ParticipantType {
	if g.moderator {
		return models.ParticipantGuestModerator
	}
	return models.ParticipantGuest
}

// matchFloor matches the call routes of this file below
// /apps/spreed/api/v4/call/.
func matchFloor(rest string) (route, bool) {
	if tok, ok := strings.CutSuffix(rest, "/download"); ok && tokenRe.MatchString(tok) {
		return route{name: "download", method: http.MethodGet, token: tok, anon404: true}, true
	}
	return route{}, false
}

// callerLocked is the attendee a request acts as: a user (uid) or the
// guest of the request's session. rm is nil when neither is a member.
func (s *Server) callerLocked(rw *respWriter, uid, token string) (*room, person) {
	if uid == "" {
		rm := s.rooms[token]
		if g := s.guestLocked(rw, rm); g != nil {
			return rm, person{g: g, t: g.t(), a: g.a}
		}
		return nil, person{}
	}
	rm, t := s.memberLocked(token, uid)
	if rm == nil {
		return nil, person{}
	}
	return rm, person{uid: uid, t: t, a: s.attendeeLocked(rm, uid)}
}

// handleFloor serves the routes of this file. Every one starts as the
// middleware does: a member (else 404 []), a moderator (else 403 []).
func (s *Server) handleFloor(rw *respWriter, r *http.Request, body []byte, uid string, rt route) {
	params := readParams(r, body)
	s.mu.Lock()
	defer s.mu.Unlock()
	f := controllerFormat(r)
	rm, me := s.callerLocked(rw, uid, rt.token)
	if rm == nil {
		rw.ocs(f, http.StatusNotFound, 404, "", nil)
		return
	}
	if !isModerator(me.t) {
		rw.ocs(f, http.StatusForbidden, 403, "", nil)
		return
	}
	switch rt.name {
	case "callperms":
		// call permissions were removed in Talk 20 [real F06]
		rw.ocs(f, http.StatusBadRequest, 400, "", errWord("mode"))
	case "defaultperms":
		s.setDefaultPermissionsLocked(rw, r, params, rm, me)
	case "moderators":
		s.changeModeratorLocked(rw, r, params, rm, me)
	case "download":
		s.downloadLocked(rw, r, rm)
	}
}

// setDefaultPermissionsLocked is PUT permissions/default [real F03-F23]:
// one-to-one 400 type, missing 500, outside 0..255 400 value; stored with
// bit 1; every attendee's own permissions reset to 0 [real F49, F50]; the
// answer is the whole room.
func (s *Server) setDefaultPermissionsLocked(rw *respWriter, r *http.Request, params map[string]param, rm *room, me person) {
	f := controllerFormat(r)
	if isOneToOne(rm) {
		rw.ocs(f, http.StatusBadRequest, 400, "", errWord("type"))
		return
	}
	p, has := params["permissions"]
	if !has || p.null {
		internalError(rw, r)
		return
	}
	v := p.int()
	if v < 0 || v > models.PermissionsMax {
		rw.ocs(f, http.StatusBadRequest, 400, "", errWord("value"))
		return
	}
	rm.DefaultPermissions = models.StoredPermissions(int(v))
	for _, pp := range s.peopleLocked(rm) {
		pp.a.perms = 0
	}
	rw.w.Header().Set("X-Nextcloud-Talk-Hash", s.talkHashLocked())
	var j roomJSON
	if me.g != nil {
		j = s.formatGuestLocked(rm, me.g)
	} else {
		j = s.formatLocked(rm, me.uid)
	}
	if sid := talkSessionLocked(rw, rm.Token); sid == "" || !slices.Contains(me.a.sessions, sid) {
		j.ParticipantFlags = 0 // the flags are the request's session's [real F49]
	}
	rw.ocs(f, http.StatusOK, 200, "OK", j)
}

// changeModeratorLocked is POST (promote) and DELETE (demote) moderators
// [real F61-F89]: missing id 500; unknown or of another room 404 null;
// oneself 403 null; the owner, one-to-one, already (not) a moderator 400
// null. Promotion resets the target's own permissions [real F24-F28].
func (s *Server) changeModeratorLocked(rw *respWriter, r *http.Request, params map[string]param, rm *room, me person) {
	f := controllerFormat(r)
	null := json.RawMessage("null")
	idP, has := params["attendeeId"]
	if !has || idP.null {
		internalError(rw, r)
		return
	}
	target, found := s.personLocked(rm, idP.int())
	switch {
	case !found:
		rw.ocs(f, http.StatusNotFound, 404, "", null)
		return
	case target.a == me.a:
		rw.ocs(f, http.StatusForbidden, 403, "", null)
		return
	}
	promote := r.Method == http.MethodPost
	if target.t == models.ParticipantOwner || isOneToOne(rm) || isModerator(target.t) == promote {
		rw.ocs(f, http.StatusBadRequest, 400, "", null)
		return
	}
	actor := me.uid
	name := s.displayLocked(target)
	switch {
	case target.g != nil:
		target.g.moderator = promote
		if promote {
			s.postLocked(rm, actor, "guest_moderator_promoted", "You promoted "+name+" to moderator", "{actor} promoted "+name+" to moderator")
		} else {
			s.postLocked(rm, actor, "guest_moderator_demoted", "You demoted "+name+" from moderator", "{actor} demoted "+name+" from moderator")
		}
	case promote:
		rm.Participants[target.uid] = models.ParticipantModerator
		s.postLocked(rm, actor, "moderator_promoted", "You promoted "+name+" to moderator", "{actor} promoted "+name+" to moderator")
	default:
		rm.Participants[target.uid] = models.ParticipantUser
		s.postLocked(rm, actor, "moderator_demoted", "You demoted "+name+" from moderator", "{actor} demoted "+name+" from moderator")
	}
	if promote {
		target.a.perms = 0
	}
	target.a.modified = s.now().Unix()
	rw.ocs(f, http.StatusOK, 200, "OK", null)
}

func (s *Server) displayLocked(p person) string {
	if p.g != nil {
		if p.g.name == "" {
			return "Guest"
		}
		return p.g.name
	}
	if u := s.users[p.uid]; u != nil {
		return u.display
	}
	return p.uid
}

// floorCallLocked handles the call requests of this file once the caller
// has a Talk session in the room; true when it answered:
//   - DELETE with all=true by a moderator ends the call for everyone
//     [real C49-C53, C58, C65]; by anyone else it is a plain leave [real C44];
//   - PUT updates one's flags: not in the call 400 null [real C88];
//     audio and video dropped without 16/32 [real F39, F43, F46];
//   - POST by someone without bit 2 while nobody is in the call: 403 []
//     [real F33].
func (s *Server) floorCallLocked(rw *respWriter, r *http.Request, params map[string]param, rm *room, t models.ParticipantType, a *attendee, uid string) bool {
	f := controllerFormat(r)
	eff := effectivePermissions(rm, t, a)
	switch r.Method {
	case http.MethodDelete:
		if !isModerator(t) || !phpBool(params["all"]) {
			return false
		}
		s.endCallForEveryoneLocked(rm, uid)
		rw.ocs(f, http.StatusOK, 200, "OK", json.RawMessage("null"))
		return true
	case http.MethodPut:
		if a.inCall == 0 {
			rw.ocs(f, http.StatusBadRequest, 400, "", json.RawMessage("null"))
			return true
		}
		flags := int(params["flags"].int())
		if eff&models.PermissionAudio == 0 {
			flags &^= models.InCallAudio
		}
		if eff&models.PermissionVideo == 0 {
			flags &^= models.InCallVideo
		}
		a.inCall = flags | models.InCallInCall
		rw.ocs(f, http.StatusOK, 200, "OK", json.RawMessage("null"))
		return true
	case http.MethodPost:
		if !rm.HasCall && eff&models.PermissionStartCall == 0 {
			rw.ocs(f, http.StatusForbidden, 403, "", nil)
			return true
		}
	}
	return false
}

// phpBool reads a boolean parameter as PHP's (bool) cast of a request
// value: "true", "1" and other non-empty strings but "0" and "false".
func phpBool(p param) bool {
	if p.num != nil {
		return p.int() != 0
	}
	v := strings.ToLower(strings.TrimSpace(p.str))
	return v != "" && v != "0" && v != "false"
}

// endCallForEveryoneLocked: every session out of the call (sessions
// kept), the call over, one call_ended_everyone message.
func (s *Server) endCallForEveryoneLocked(rm *room, actor string) {
	if !rm.HasCall {
		return
	}
	for _, p := range s.peopleLocked(rm) {
		p.a.inCall = 0
	}
	rm.HasCall, rm.hostCall, rm.callStart = false, false, 0
	s.postLocked(rm, actor, "call_ended_everyone", "You ended the call with everyone", "{actor} ended the call with everyone")
}

// downloadLocked is GET call/{token}/download [real C32-C39, C54, C72,
// C83, C85]: csv only (format absent or csv; anything else 400 with an
// empty body), only while a call runs (else the same 400), the attendees
// who joined since the call started, by attendee id.
func (s *Server) downloadLocked(rw *respWriter, r *http.Request, rm *room) {
	format := r.URL.Query().Get("format")
	if (format != "" && format != "csv") || !rm.HasCall {
		rw.commonHeaders()
		rw.w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		rw.w.Header().Set("Content-Length", "0")
		rw.w.WriteHeader(http.StatusBadRequest)
		return
	}
	var b bytes.Buffer
	b.WriteString("name,email,type,identifier\n")
	for _, p := range s.peopleLocked(rm) {
		joined := p.a.joinedCall >= rm.callStart
		if rm.hostCall && p.t == models.ParticipantOwner {
			joined = true // the owner started the call
		}
		if !joined {
			continue
		}
		typ, id, email := models.ActorUsers, p.uid, ""
		if p.g != nil {
			typ, id = models.ActorGuests, p.g.actorID
		} else if u := s.users[p.uid]; u != nil {
			email = u.email
		}
		writeCSVLine(&b, s.displayLocked(p), email, typ, id)
	}
	rw.commonHeaders()
	name := fileNameRe.ReplaceAllString(rm.Name, "-")
	if name == "" {
		name = rm.DisplayName
	}
	rw.w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s %s.csv"`, name, s.now().UTC().Format(time.DateOnly)))
	rw.w.Header().Set("Content-Type", "text/csv;charset=UTF-8")
	rw.w.WriteHeader(http.StatusOK)
	_, _ = rw.w.Write(b.Bytes())
}

// fileNameRe is what the server turns into "-" in the file name.
var fileNameRe = regexp.MustCompile(`[/\\:*?"<>|\- ]+`)

// writeCSVLine is PHP's fputcsv with escape ”: a field with a comma,
// quote, space, tab, CR or LF is quoted, quotes doubled; lines end in \n.
func writeCSVLine(b *bytes.Buffer, fields ...string) {
	for i, v := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		if strings.ContainsAny(v, ",\" \t\r\n") {
			b.WriteString(`"` + strings.ReplaceAll(v, `"`, `""`) + `"`)
		} else {
			b.WriteString(v)
		}
	}
	b.WriteByte('\n')
}

// ---- test hooks ----

// SetEmail sets a user's e-mail (it shows in the attendance list).
func (s *Server) SetEmail(id, email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.users[id]; u != nil {
		u.email = email
	}
}

// SetDefaultPermissions sets a room's default permissions as the endpoint
// would (stored with bit 1; everyone's own permissions reset).
func (s *Server) SetDefaultPermissions(token string, perms int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rm := s.rooms[token]; rm != nil {
		rm.DefaultPermissions = models.StoredPermissions(perms)
		for _, p := range s.peopleLocked(rm) {
			p.a.perms = 0
		}
	}
}

// SetCallFlags is a person's own flags update (PUT call/{token}): audio
// and video dropped without the rights; ErrNoSession when not in the call.
func (s *Server) SetCallFlags(token string, attendeeID int64, flags int) error {
	return s.withAttendee(token, attendeeID, func(p person) error {
		rm := s.rooms[token]
		if p.a.inCall == 0 {
			return ErrNoSession
		}
		eff := effectivePermissions(rm, p.t, p.a)
		if eff&models.PermissionAudio == 0 {
			flags &^= models.InCallAudio
		}
		if eff&models.PermissionVideo == 0 {
			flags &^= models.InCallVideo
		}
		p.a.inCall = flags | models.InCallInCall
		return nil
	})
}
