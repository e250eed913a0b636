package talktest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"
)

// dateOf reads an answer's Date header.
func dateOf(t *testing.T, a answer) time.Time {
	t.Helper()
	d, err := http.ParseTime(a.header.Get("Date"))
	if err != nil {
		t.Fatalf("Date header %q: %v", a.header.Get("Date"), err)
	}
	return d
}

func TestDateHeaderFollowsSkewedClock(t *testing.T) {
	s, g, _ := basicWorld(t, WithClockSkew(-2*time.Minute))
	alice := newCaller(t, s, "alice", "pw-alice")
	before := time.Now()
	for _, path := range []string{"/status.php", v4 + "/room", "/ocs/v2.php/cloud/capabilities"} {
		a := alice.do("GET", path, nil)
		off := dateOf(t, a).Sub(before)
		if off > -119*time.Second || off < -122*time.Second {
			t.Errorf("%s: Date is %v off this clock, want about -2m", path, off)
		}
	}
	// the server's clock decides lobby timers: a timer 60 s ahead by this
	// machine's clock is still 3 minutes ahead by the server's.
	s.SetClockSkew(90 * time.Second)
	a := alice.do("GET", v4+"/room/"+g, nil)
	if off := time.Until(dateOf(t, a)); off < 88*time.Second || off > 91*time.Second {
		t.Errorf("after SetClockSkew: Date %v off, want about 90s", off)
	}
	if off := time.Until(s.Now()); off < 89*time.Second || off > 91*time.Second {
		t.Errorf("Now() is %v off, want 90s", off)
	}
	timer := time.Now().Add(60 * time.Second).Unix()
	alice.do("PUT", v4+"/room/"+g+"/webinar/lobby", form("state", "1", "timer", strconv.FormatInt(timer, 10)))
	if r := alice.do("GET", v4+"/room/"+g, nil).room(t); r.LobbyState != 0 {
		t.Errorf("a timer passed by the server's clock (90 s ahead) must lift the lobby: %+v", r)
	}
}

func TestDateHeaderWithFakeClock(t *testing.T) {
	clock := newClock(time.Unix(1800000000, 0))
	s, _, _ := basicWorld(t, WithClock(clock.Now), WithClockSkew(time.Hour))
	a := newCaller(t, s, "", "").do("GET", "/status.php", nil)
	if got, want := dateOf(t, a), time.Unix(1800000000, 0).Add(time.Hour); !got.Equal(want) {
		t.Errorf("Date = %v, want %v", got, want)
	}
}

func TestBruteForceDelay(t *testing.T) {
	for _, c := range []struct{ attempts, ms int }{{0, 0}, {1, 200}, {2, 400}, {5, 3200}, {7, 12800}, {8, 25000}, {10, 25000}, {11, 25000}} {
		if got := bruteDelayMS(c.attempts); got != c.ms {
			t.Errorf("bruteDelayMS(%d) = %d, want %d", c.attempts, got, c.ms)
		}
	}
	s, g, _ := basicWorld(t)
	alice := newCaller(t, s, "alice", "pw-alice")
	delay := func() int {
		var caps struct {
			Capabilities struct {
				Bruteforce struct {
					Delay int `json:"delay"`
				} `json:"bruteforce"`
			} `json:"capabilities"`
		}
		a := alice.do("GET", "/ocs/v2.php/cloud/capabilities?format=json", nil)
		if err := json.Unmarshal(a.env.OCS.Data, &caps); err != nil {
			t.Fatal(err)
		}
		return caps.Capabilities.Bruteforce.Delay
	}
	if d := delay(); d != 0 {
		t.Errorf("no failures: delay %d", d)
	}
	if h := alice.do("GET", v4+"/room/"+g, nil).header.Get("X-Nextcloud-Bruteforce-Throttled"); h != "" {
		t.Errorf("not throttled, header %q", h)
	}
	newCaller(t, s, "alice", "wrong").do("GET", v4+"/room", nil)
	newCaller(t, s, "alice", "wrong").do("GET", v4+"/room", nil)
	if d := delay(); d != 400 {
		t.Errorf("two failed logins: delay %d, want 400", d)
	}
	s.ResetBruteForce()
	s.SetThrottle(3 * time.Second)
	if d := delay(); d != 3000 {
		t.Errorf("SetThrottle(3s): delay %d", d)
	}
	if h := alice.do("GET", v4+"/room/"+g, nil).header.Get("X-Nextcloud-Bruteforce-Throttled"); h != "3000ms" {
		t.Errorf("throttled room answer: header %q, want 3000ms", h)
	}
	if h := alice.do("GET", v4+"/room", nil).header.Get("X-Nextcloud-Bruteforce-Throttled"); h != "" {
		t.Errorf("the room list is not brute-force protected: header %q", h)
	}
}

func TestStatusMaintenance(t *testing.T) {
	s, _, _ := basicWorld(t)
	anon := newCaller(t, s, "", "")
	var st statusJSON
	a := anon.do("GET", "/status.php", nil)
	if err := json.Unmarshal(a.body, &st); err != nil || a.status != 200 || st.Maintenance || st.VersionString != "31.0.6" || !st.Installed {
		t.Fatalf("status.php: %d %s", a.status, a.body)
	}
	s.SetMaintenance(true)
	a = anon.do("GET", "/status.php", nil)
	if err := json.Unmarshal(a.body, &st); err != nil || a.status != 200 || !st.Maintenance {
		t.Fatalf("status.php in maintenance: %d %s", a.status, a.body)
	}
}
