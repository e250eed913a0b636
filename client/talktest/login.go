package talktest

import (
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// loginFlowLifetime is how long a Login Flow v2 stays usable.
const loginFlowLifetime = 20 * time.Minute

type loginFlow struct {
	pollToken, loginToken string
	created               time.Time
	userAgent             string
	granted               bool
	user, appPassword     string
}

// GrantLogin plays the user who opens loginURL (the "login" of POST
// /login/v2) in a browser, logs in and grants access: it creates a new app
// password for user, which the next poll hands out once.
func (s *Server) GrantLogin(loginURL, user string) error {
	u, err := url.Parse(loginURL)
	if err != nil {
		return fmt.Errorf("talktest: bad login URL: %w", err)
	}
	i := strings.LastIndex(u.Path, "/login/v2/flow/")
	if i < 0 {
		return fmt.Errorf("talktest: %q is not a login flow URL", loginURL)
	}
	tok := u.Path[i+len("/login/v2/flow/"):]
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.flowsByLogin[tok]
	if f == nil || s.now().Sub(f.created) > loginFlowLifetime {
		return errors.New("talktest: unknown or expired login flow")
	}
	if f.granted {
		return errors.New("talktest: login flow already granted")
	}
	usr := s.users[user]
	if usr == nil {
		return fmt.Errorf("talktest: unknown user %q", user)
	}
	pw := randomString(72, alnum)
	usr.passwords[pw] = true
	f.granted, f.user, f.appPassword = true, user, pw
	return nil
}

type loginInitJSON struct {
	Poll struct {
		Token    string `json:"token"`
		Endpoint string `json:"endpoint"`
	} `json:"poll"`
	Login string `json:"login"`
}

type loginResultJSON struct {
	Server      string `json:"server"`
	LoginName   string `json:"loginName"`
	AppPassword string `json:"appPassword"`
}

// handleLogin serves /login/v2, /login/v2/poll and /login/v2/flow/{token}
// (with or without /index.php).
func (s *Server) handleLogin(rw *respWriter, r *http.Request, body []byte, p string) {
	switch {
	case p == "/login/v2":
		if r.Method != http.MethodPost {
			rw.html(http.StatusMethodNotAllowed, "")
			return
		}
		s.mu.Lock()
		f := &loginFlow{pollToken: randomString(128, alnum), loginToken: randomString(128, alnum),
			created: s.now(), userAgent: r.UserAgent()}
		s.flows[f.pollToken] = f
		s.flowsByLogin[f.loginToken] = f
		s.expireFlowsLocked()
		s.mu.Unlock()
		var out loginInitJSON
		out.Poll.Token = f.pollToken
		out.Poll.Endpoint = s.URL + "/index.php/login/v2/poll"
		out.Login = s.URL + "/index.php/login/v2/flow/" + f.loginToken
		rw.json(http.StatusOK, out)
	case p == "/login/v2/poll":
		if r.Method != http.MethodPost {
			rw.html(http.StatusMethodNotAllowed, "")
			return
		}
		tok := readParams(r, body)["token"].str
		s.mu.Lock()
		f := s.flows[tok]
		if f == nil || !f.granted || s.now().Sub(f.created) > loginFlowLifetime {
			s.mu.Unlock()
			rw.writeRaw(http.StatusNotFound, "application/json; charset=utf-8", "[]")
			return
		}
		delete(s.flows, f.pollToken)
		delete(s.flowsByLogin, f.loginToken)
		s.mu.Unlock()
		rw.json(http.StatusOK, loginResultJSON{Server: s.URL, LoginName: f.user, AppPassword: f.appPassword})
	case strings.HasPrefix(p, "/login/v2/flow/"):
		s.loginPage(rw, r, body, strings.TrimPrefix(p, "/login/v2/flow/"))
	default:
		rw.html(http.StatusNotFound, "<!DOCTYPE html><html><body><h2>Page not found</h2></body></html>")
	}
}

func (s *Server) expireFlowsLocked() {
	now := s.now()
	for k, f := range s.flows {
		if now.Sub(f.created) > loginFlowLifetime {
			delete(s.flows, k)
			delete(s.flowsByLogin, f.loginToken)
		}
	}
}

// loginPage is the browser side of the flow: a form asking for a user and
// their login password or an app password of theirs (any valid one);
// submitting it grants access.
func (s *Server) loginPage(rw *respWriter, r *http.Request, body []byte, tok string) {
	msg := ""
	if r.Method == http.MethodPost {
		ps := readParams(r, body)
		user, pw := ps["user"].str, ps["password"].str
		s.mu.Lock()
		valid, _ := passwordOK(s.users[user], pw)
		s.mu.Unlock()
		if valid {
			if err := s.GrantLogin(s.URL+"/index.php/login/v2/flow/"+tok, user); err != nil {
				msg = err.Error()
			} else {
				rw.html(http.StatusOK, "<!DOCTYPE html><html><body><h2>Account connected</h2><p>You can close this window.</p></body></html>")
				return
			}
		} else {
			msg = "Wrong login or password."
		}
	}
	s.mu.Lock()
	f := s.flowsByLogin[tok]
	s.mu.Unlock()
	if f == nil {
		rw.html(http.StatusNotFound, "<!DOCTYPE html><html><body><h2>Access forbidden</h2><p>Your login token is invalid or has expired</p></body></html>")
		return
	}
	rw.html(http.StatusOK, `<!DOCTYPE html><html><head><title>talktest login</title></head><body>
<h2>Connect to your account</h2><p>Please log in before granting `+html.EscapeString(f.userAgent)+` access to your talktest account.</p>
<p style="color:red">`+html.EscapeString(msg)+`</p>
<form method="post"><label>Login <input name="user"></label> <label>Password <input name="password" type="password"></label> <button type="submit">Grant access</button></form>
</body></html>`)
}

func (rw *respWriter) writeRaw(status int, contentType, body string) {
	rw.commonHeaders()
	rw.w.Header().Set("Content-Type", contentType)
	rw.w.WriteHeader(status)
	_, _ = rw.w.Write([]byte(body))
}

// userJSON is GET /cloud/user's data.
type userJSON struct {
	Enabled         bool     `json:"enabled"`
	StorageLocation string   `json:"storageLocation"`
	ID              string   `json:"id"`
	LastLogin       int64    `json:"lastLogin"`
	Backend         string   `json:"backend"`
	Subadmin        []string `json:"subadmin"`
	Email           *string  `json:"email"`
	AdditionalMail  []string `json:"additional_mail"`
	DisplayName     string   `json:"displayname"`
	DisplayName2    string   `json:"display-name"`
	Phone           string   `json:"phone"`
	Address         string   `json:"address"`
	Website         string   `json:"website"`
	Twitter         string   `json:"twitter"`
	Organisation    string   `json:"organisation"`
	Role            string   `json:"role"`
	Headline        string   `json:"headline"`
	Biography       string   `json:"biography"`
	ProfileEnabled  string   `json:"profile_enabled"`
	Groups          []string `json:"groups"`
	Language        string   `json:"language"`
	Locale          string   `json:"locale"`
}

func (s *Server) handleUser(rw *respWriter, r *http.Request, uid string) {
	s.mu.Lock()
	u := s.users[uid]
	j := userJSON{
		Enabled: true, StorageLocation: "/var/www/html/data/" + uid, ID: uid,
		LastLogin: s.now().UnixMilli(), Backend: "Database", Subadmin: []string{},
		AdditionalMail: []string{}, DisplayName: u.display, DisplayName2: u.display,
		ProfileEnabled: "1", Groups: append([]string{}, u.groups...), Language: "en",
	}
	s.mu.Unlock()
	rw.ocs(controllerFormat(r), http.StatusOK, 200, "OK", j)
}
