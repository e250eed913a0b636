package talktest

import (
	"net/http"
	"slices"
	"time"
)

// The login password and the cookie-session logout pitfall of a real
// server [real P03-P06, P74-P81] [source OC\User\Session::logClientIn,
// validateSession, supportsCookies; spreed BeforeUserLoggedOutListener]:
//
//   - Basic auth with an app password keeps the app password in the cookie
//     session, which stays valid: a cookie jar keeps the Talk sessions.
//   - Basic auth with the login password creates a session token only when
//     the request carries the cookie_test cookie (else the answer sets it,
//     with no path). A later request that sends a logged-in cookie session
//     without a token logs it out (Set-Cookie nc_username=deleted, ...) and
//     ends the Talk sessions held in it, then logs in again. So joinRoom as
//     the 1st request of a jar is followed by sessionIds [] on any 2nd one,
//     while two requests before joinRoom avoid it.

// SetLoginPassword gives a user (created, display name = id, when missing)
// a login password: the one typed into the web login form, accepted by
// basic auth next to the app passwords, with the cookie-session pitfall of
// a real server (see above). "" removes it.
func (s *Server) SetLoginPassword(id, pw string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[id]
	if u == nil {
		u = &user{id: id, display: id, passwords: map[string]bool{}}
		s.users[id] = u
	}
	u.login = pw
}

// passwordOK reports whether pw is a password of u, and whether it is the
// login password (an app password wins, as the server tries tokens first).
func passwordOK(u *user, pw string) (ok, login bool) {
	switch {
	case u == nil:
		return false, false
	case u.passwords[pw]:
		return true, false
	case u.login != "" && pw == u.login:
		return true, true
	}
	return false, false
}

// loginCookieLocked is logClientIn's supportsCookies for a login-password
// login opening the new session se: a token when the request carries
// cookie_test, else the cookie_test cookie is set (PHP setcookie: no path).
func (s *Server) loginCookieLocked(rw *respWriter, r *http.Request, se *session) {
	if !se.login {
		return
	}
	if _, err := r.Cookie("cookie_test"); err == nil {
		se.token = true
		return
	}
	exp := s.now().Add(time.Hour).UTC().Format(http.TimeFormat)
	rw.w.Header().Add("Set-Cookie", "cookie_test=test; expires="+exp+"; Max-Age=3600")
}

// sessionDeletions are the cookies Session::logout's unsetMagicInCookie
// deletes, in the real answer's order.
var sessionDeletions = func() []string {
	var out []string
	for _, path := range []string{"", "; path=/"} {
		for _, name := range []string{"nc_username", "nc_token", "nc_session_id"} {
			out = append(out, name+"=deleted; expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=0"+path+"; HttpOnly")
		}
	}
	return out
}()

// logoutLocked is validateSession failing for the cookie session se (a
// login-password session without a token): the cookie deletions, Talk's
// BeforeUserLoggedOutListener (each Talk session held in se leaves the call
// and ends), and the session is gone.
func (s *Server) logoutLocked(rw *respWriter, se *session, id string) {
	for _, c := range sessionDeletions {
		rw.w.Header().Add("Set-Cookie", c)
	}
	for tok, sid := range se.talk {
		rm := s.rooms[tok]
		if rm == nil {
			continue
		}
		if _, ok := rm.Participants[se.user]; !ok {
			continue
		}
		a := s.attendeeLocked(rm, se.user)
		if !slices.Contains(a.sessions, sid) {
			continue
		}
		a.sessions = removeString(a.sessions, sid)
		if len(a.sessions) == 0 {
			a.inCall, a.lastPing = 0, 0
			s.endCallIfEmptyLocked(rm)
		}
	}
	delete(s.sessions, id)
}
