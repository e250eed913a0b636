package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/client/talktest"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/exit"
	"github.com/talkmod/talkmod/cmd/talkmod/internal/testenv"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui"
	"github.com/talkmod/talkmod/tui/words"
)

// vocabNow is the fixed clock of the vocabulary test.
// forcedTok is a room whose SIP dial-in an administrator forced on.
const forcedTok = "6789012345"

var vocabNow = time.Date(2026, 12, 1, 14, 35, 0, 0, time.UTC)

// runAt runs talkmod in-process like run, with the clock fixed at now.
func runAt(t *testing.T, now time.Time, args ...string) result {
	t.Helper()
	var out, errb testenv.SyncBuffer
	a := &app{args: args, stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		now: func() time.Time { return now }, logger: slog.New(slog.DiscardHandler)}
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetIn(strings.NewReader(""))
	root.SetOut(&out)
	root.SetErr(&errb)
	code := exit.OK
	if err := root.ExecuteContext(context.Background()); err != nil {
		code = a.report(nil, err) // as run: the message on stderr
	}
	r := result{code: code, stdout: out.String(), stderr: errb.String()}
	logResult(t, "talkmod "+strings.Join(args, " "), r)
	return r
}

// consoleView opens the console on the server at now in loc, shows all
// rooms, filters to token (so its detail shows) and returns the screen.
func consoleView(t *testing.T, s *talktest.Server, now time.Time, loc *time.Location, token string, then ...tea.Msg) string {
	t.Helper()
	c, err := client.New(client.Config{BaseURL: s.URL, User: "alice", AppPassword: testenv.AlicePW})
	if err != nil {
		t.Fatal(err)
	}
	r := lipgloss.NewRenderer(io.Discard, termenv.WithProfile(termenv.Ascii))
	r.SetColorProfile(termenv.Ascii)
	m := tui.New(tui.Options{Backend: c, Server: "cloud", User: "alice", Local: loc, Open: loc,
		Now: func() time.Time { return now }, Renderer: r, RefreshInterval: time.Hour, FullRefreshInterval: time.Hour})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(160, 40))
	wait := func(s string) {
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s)) },
			teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
	}
	wait("refreshed")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("a")})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/")})
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(token)})
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	for _, msg := range then {
		if w, ok := msg.(waitFor); ok {
			wait(string(w))
			continue
		}
		tm.Send(msg)
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).View()
}

// waitFor in consoleView's keys waits until the screen shows the text.
type waitFor string

// The console and the commands describe the same rooms, at one clock and
// in one zone, with the same words for type, role, lobby, timer, SIP and
// call.
func TestConsoleAndCommandsUseTheSameWords(t *testing.T) {
	testenv.Isolate(t)
	berlin := mustZone(t, "Europe/Berlin")
	clock := vocabNow.Add(-10 * time.Minute) // the call started 10m ago
	var mu sync.Mutex
	s := talktest.New(talktest.WithClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }))
	t.Cleanup(s.Close)
	s.AddUser("alice", testenv.AlicePW)
	s.SetSIPConfig(true)
	// 25m30s ahead: the one rounding rule says "in 26m" in both
	timer := vocabNow.Add(25*time.Minute + 30*time.Second).Unix()
	s.AddRoom(talktest.Room{Token: testenv.WebinarA, Type: models.ConversationPublic, Name: "Webinar A",
		LobbyState: models.LobbyModeratorsOnly, LobbyTimer: timer,
		Participants: map[string]models.ParticipantType{"alice": models.ParticipantOwner}, LastActivity: 2000})
	s.AddRoom(talktest.Room{Token: testenv.WebinarB, Type: models.ConversationGroup, Name: "Webinar B", HasCall: true,
		SIPEnabled: models.SIPEnabled, Participants: map[string]models.ParticipantType{"alice": models.ParticipantModerator}, LastActivity: 1000})
	s.AddRoom(talktest.Room{Token: testenv.OneToOne, Type: models.ConversationOneToOne, Name: "bob",
		Participants: map[string]models.ParticipantType{"alice": models.ParticipantOwner}, LastActivity: 400})
	s.AddRoom(talktest.Room{Token: testenv.NotModTok, Type: models.ConversationGroup, Name: "Watching",
		SIPEnabled: models.SIPEnabledNoPIN, Participants: map[string]models.ParticipantType{"alice": models.ParticipantUser}, LastActivity: 300})
	s.AddRoom(talktest.Room{Token: "5678901234", Type: models.ConversationChangelog, Name: "Talk updates",
		Participants: map[string]models.ParticipantType{"alice": models.ParticipantUser}, LastActivity: 200})
	one := int(models.SIPEnabled)
	s.AddRoom(talktest.Room{Token: forcedTok, Type: models.ConversationGroup, Name: "Hotline",
		SIPEnabled: models.SIPEnabled, ForcedSIP: &one,
		Participants: map[string]models.ParticipantType{"alice": models.ParticipantOwner}, LastActivity: 100})
	mu.Lock()
	clock = vocabNow
	mu.Unlock()
	useEnv(t, s)

	c, err := client.New(client.Config{BaseURL: s.URL, User: "alice", AppPassword: testenv.AlicePW})
	if err != nil {
		t.Fatal(err)
	}
	list, err := c.ListRooms(context.Background(), client.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rooms := map[string]models.Room{}
	for _, r := range list.Rooms {
		rooms[r.Token] = r
	}

	table := runAt(t, vocabNow, "rooms", "--all", "--tz", "Europe/Berlin")
	if table.code != 0 {
		t.Fatalf("rooms --all: exit %d", table.code)
	}
	rowOf := func(out, token string) string {
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, token) {
				return l
			}
		}
		t.Fatalf("no line for %s in:\n%s", token, out)
		return ""
	}
	for _, token := range []string{testenv.WebinarA, testenv.WebinarB, testenv.OneToOne, testenv.NotModTok, "5678901234", forcedTok} {
		r, ok := rooms[token]
		if !ok {
			t.Fatalf("the server does not list %s", token)
		}
		view := consoleView(t, s, vocabNow, berlin, token)
		// the console's list row of the room (the cursor is on it)
		var listRow string
		for _, l := range strings.Split(view, "\n") {
			if strings.HasPrefix(l, ">") {
				listRow = l
				break
			}
		}
		cli := rowOf(table.stdout, token)
		cells := map[string]string{
			"type":  words.TypeShort(r.Type),
			"lobby": words.LobbyCell(r, vocabNow),
			"sip":   words.SIPCell(r),
		}
		if r.HasCall {
			cells["call"] = words.CallCell(true)
		}
		// a cell is a whole word between spaces
		has := func(row, w string) bool { return strings.Contains(" "+row+" ", " "+w+" ") }
		for what, w := range cells {
			if !has(listRow, w) {
				t.Errorf("%s: the console's row lacks the %s %q: %q", token, what, w, listRow)
			}
			if !has(cli, w) {
				t.Errorf("%s: talkmod rooms lacks the %s %q: %q", token, what, w, cli)
			}
		}
		if !r.HasCall && (strings.Contains(listRow, " yes") || strings.Contains(cli, " yes")) {
			t.Errorf("%s: a call is shown where there is none", token)
		}

		room := runAt(t, vocabNow, "room", token, "--tz", "Europe/Berlin")
		if room.code != 0 {
			t.Fatalf("room %s: exit %d", token, room.code)
		}
		// type and role: the detail's "public · you are the owner" and
		// the command's "Type: public", "You are: owner"
		if !strings.Contains(view, "  "+words.Type(r.Type)+" ") || !strings.Contains(rowOf(room.stdout, "Type:"), words.Type(r.Type)) {
			t.Errorf("%s: type %q not in both:\n%s\n%s", token, words.Type(r.Type), view, room.stdout)
		}
		if you := words.YouAre(r); you != "" {
			if !strings.Contains(view, you) || !strings.HasSuffix(rowOf(room.stdout, "You are:"), words.Role(r.ParticipantType)) {
				t.Errorf("%s: role %q not in both:\n%s\n%s", token, you, view, room.stdout)
			}
		} else if strings.Contains(view, "you are") || strings.Contains(room.stdout, "You are:") {
			t.Errorf("%s: a role is named for a %s conversation:\n%s\n%s", token, words.Type(r.Type), view, room.stdout)
		}
		// the call, in a sentence: the console's full detail and talkmod room
		call := words.Call(r, vocabNow, berlin)
		if r.HasCall && !strings.Contains(call, "10m ago") {
			t.Errorf("%s: the call's words %q", token, call)
		}
		if full := consoleView(t, s, vocabNow, berlin, token, tea.KeyMsg{Type: tea.KeyEnter}, waitFor("Call:")); !strings.Contains(full, call) ||
			!strings.HasSuffix(rowOf(room.stdout, "Call:"), call) {
			t.Errorf("%s: call %q not in both:\n%s\n%s", token, call, full, room.stdout)
		}
		// the timer: in the zone, in UTC and relative, the same words
		if tt, ok := r.LobbyTimerTime(); ok {
			at := words.At(tt, vocabNow, berlin)
			if !strings.Contains(view, at) || !strings.Contains(room.stdout, at) {
				t.Errorf("%s: timer %q not in both:\n%s\n%s", token, at, view, room.stdout)
			}
			clock := words.Clock(tt, vocabNow, berlin)
			if !strings.Contains(cli, clock) {
				t.Errorf("%s: TIMER %q not in %q", token, clock, cli)
			}
			if !strings.Contains(at, "in 26m") {
				t.Errorf("the rounding rule: %q", at)
			}
		}
		// a type without lobby or SIP: the same "n.a. (changelog
		// conversation)" in the console's detail and talkmod room
		if r.Type != models.ConversationGroup && r.Type != models.ConversationPublic {
			na := words.NotApplicable + " (" + words.Type(r.Type) + " conversation)"
			if !strings.Contains(view, "Lobby: "+na) || !strings.HasSuffix(rowOf(room.stdout, "Lobby:"), na) {
				t.Errorf("%s: lobby %q not in both:\n%s\n%s", token, na, view, room.stdout)
			}
		}
		// SIP: the long word in both details
		if r.Type == models.ConversationGroup || r.Type == models.ConversationPublic {
			sip := words.SIP(r.SIPEnabled)
			if !strings.Contains(view, "SIP:   "+sip) || !strings.Contains(rowOf(room.stdout, "SIP dial-in:"), sip) {
				t.Errorf("%s: SIP %q not in both:\n%s\n%s", token, sip, view, room.stdout)
			}
		}
		// the zone, named the same way
		label := words.ZoneLabel(berlin, vocabNow)
		if !strings.Contains(view, label) || !strings.Contains(room.stdout, label) {
			t.Errorf("zone label %q not in both:\n%s\n%s", label, view, room.stdout)
		}
	}

	// a forced SIP setting is refused with the same words in both
	forced := words.Forced(int(models.SIPEnabled))
	cli := runAt(t, vocabNow, "sip", forcedTok, "off", "--tz", "Europe/Berlin")
	if cli.code == 0 || !strings.Contains(cli.stderr, forced) {
		t.Errorf("sip off on a forced room: exit %d, stderr %q lacks %q", cli.code, cli.stderr, forced)
	}
	view := consoleView(t, s, vocabNow, berlin, forcedTok, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("s")},
		waitFor("no phone dial-in"), tea.KeyMsg{Type: tea.KeyUp}, tea.KeyMsg{Type: tea.KeyEnter}, waitFor("forced"))
	if !strings.Contains(view, forced) {
		t.Errorf("the console does not say %q:\n%s", forced, view)
	}
}
