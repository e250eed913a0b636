package talktest

import (
	"time"
)

// The waiting room's chat in the demo: a short history (a welcome, a
// question that @mentions the demo user, a spam message to delete, a
// message of terminal escapes), then a question every QuestionEvery.

// Demo chat texts, for tests.
const (
	DemoChatWelcome = "Welcome! We start at the top of the hour. Post your questions here."
	// DemoChatMention mentions the demo user (@moderator).
	DemoChatMention = "@" + DemoUser + " could you share the slides after the session?"
	// DemoChatSpam is the message to delete.
	DemoChatSpam = "💰💰 EARN $5000 A WEEK FROM HOME!!! cheap-followers.example 💰💰"
	// DemoChatEvil is terminal escapes: a title change, a screen clear,
	// colours.
	DemoChatEvil = "\x1b]0;pwned\x07\x1b[2J\x1b[31mURGENT: your session expired, log in again\x1b[0m"
)

// DemoQuestions arrive in the waiting room's chat, one every
// QuestionEvery, in this order, from alice, bob and carol in turn.
var DemoQuestions = []string{
	"Will the recording be available afterwards?",
	"Can we get the slides as PDF?",
	"Is the new release compatible with version 30?",
	"How long is the Q&A at the end?",
	"Does the SIP dial-in work from abroad?",
	"Will there be a follow-up session for admins?",
	"Where do I report a bug I found in the beta?",
	"Can guests ask questions too, or only logged-in users?",
	"Is there a migration guide?",
	"What is the support period of this release?",
	"Can I share this link with my team?",
	"Thank you, this was very helpful!",
}

var demoAskers = []string{"alice", "bob", "carol"}

// seedWaitingChat writes the history, then schedules the questions (at
// the server's clock and at wall time, stopped by Close).
func (s *Server) seedWaitingChat(token string, cfg DemoConfig) {
	if cfg.FirstQuestionAfter <= 0 {
		cfg.FirstQuestionAfter = 10 * time.Second
	}
	if cfg.QuestionEvery <= 0 {
		cfg.QuestionEvery = 20 * time.Second
	}
	now := s.Now()
	for i, m := range []struct{ who, text string }{
		{DemoUser, DemoChatWelcome},
		{"alice", "The slides and the recording will be shared after the session."},
		{"carol", DemoChatMention},
		{"bob", DemoChatSpam},
		{"carol", DemoChatEvil},
		{"bob", "Is the audio working for everyone?"},
	} {
		// before the room's last activity (a minute ago)
		_, _ = s.sayAt(token, m.who, m.text, now.Add(time.Duration(i-30)*2*time.Minute/5).Unix())
	}
	start := s.Now()
	for i, q := range DemoQuestions {
		after := cfg.FirstQuestionAfter + time.Duration(i)*cfg.QuestionEvery
		who, q := demoAskers[i%len(demoAskers)], q
		s.At(start.Add(after), func(s *Server) { _, _ = s.Say(token, who, q) })
		t := time.AfterFunc(after, func() { s.runDue() })
		s.onClose(func() { t.Stop() })
	}
}
