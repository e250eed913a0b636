package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/talkmod/talkmod/client/talktest"
)

// TestChatInTmux runs the real binary on a demo server of the test's own
// (its questions come quickly): c opens the waiting room's chat, a message
// typed and sent reaches the server and the screen, and the demo's next
// question arrives on the screen by itself. It also logs how long a post
// on the server takes to show on the terminal.
func TestChatInTmux(t *testing.T) {
	needTmux(t)
	bin := mustBuild(t)
	srv, acct, err := talktest.StartDemoWith(talktest.DemoConfig{FirstQuestionAfter: 8 * time.Second, QuestionEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	tok := ""
	for _, tk := range srv.Rooms() {
		if r, _ := srv.Room(tk); r.Name == talktest.DemoWaitingRoom {
			tok = tk
		}
	}
	home := t.TempDir()
	x := tmux{t: t, socket: fmt.Sprintf("talkmod-chat-%d-%d", os.Getpid(), time.Now().UnixNano())}
	cmd := fmt.Sprintf("env HOME=%s XDG_CONFIG_HOME=%s TALKMOD_KEYRING=off TZ=UTC NO_COLOR=1 TALKMOD_SERVER=%s TALKMOD_USER=%s TALKMOD_APP_PASSWORD=%s %s; echo EXITED $?; sleep 600",
		shellQuote(home), shellQuote(filepath.Join(home, ".config")), shellQuote(acct.URL), shellQuote(acct.User), shellQuote(acct.AppPassword), shellQuote(bin))
	x.start(120, 35, cmd)
	x.waitText("Quarterly All-Hands")
	x.keys("/")
	x.keys("-l", "Waiting Room")
	x.keys("Enter")
	x.waitFor("the waiting room selected", func(s string) bool { return strings.Contains(selectedRow(s), "Customer Webinar") })
	x.keys("c")
	s := x.waitText("live: new messages")
	for _, want := range []string{"Chat · Customer Webinar", "Carol Diaz: @Morgan Lee could you share the slides", "^[]0;pwned^G^[[2J^[[31mURGENT"} {
		if !strings.Contains(s, want) {
			t.Errorf("the chat lacks %q:\n%s", want, s)
		}
	}
	x.keys("i")
	x.keys("-l", "Hello from the moderator")
	x.keys("Enter")
	x.waitText("Morgan Lee: Hello from the moderator")
	found := false
	for _, m := range srv.ChatMessages(tok) {
		found = found || (m.ActorID == talktest.DemoUser && m.Text == "Hello from the moderator")
	}
	if !found {
		t.Error("the message is not on the server")
	}
	// the demo's next question arrives by itself
	x.waitText(talktest.DemoQuestions[0])
	// a post on the server, to the terminal
	at := time.Now()
	if _, err := srv.Say(tok, "bob", "tmux latency probe"); err != nil {
		t.Fatal(err)
	}
	deadline := at.Add(e2eDeadline)
	for !strings.Contains(x.screen(), "Bob Chen: tmux latency probe") {
		if time.Now().After(deadline) {
			t.Fatalf("the probe never showed:\n%s", x.screen())
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("post on the server to the tmux screen: %v (screen read every 10 ms)", time.Since(at).Round(time.Millisecond))
	if n := srv.ChatPolls(tok); n > 1 {
		t.Errorf("%d polls at once", n)
	}
	x.keys("Escape")
	x.waitFor("the list again", func(s string) bool {
		return strings.Contains(selectedRow(s), "Customer Webinar") && !strings.Contains(s, "Chat ·")
	})
	x.keys("q")
	x.waitText("EXITED 0")
}
