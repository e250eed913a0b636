// Package checkup does the work of talkmod doctor: it gathers the facts,
// one request at a time, has tui/doctor judge them, and prints the report.
package checkup

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mattn/go-runewidth"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/doctor"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// Report is the --json output of talkmod doctor.
type Report struct {
	Account  string           `json:"account"`
	Server   string           `json:"server"`
	Token    string           `json:"token,omitempty"`
	Checks   []doctor.Finding `json:"checks"`
	ExitCode int              `json:"exitCode"`
	Summary  map[string]int   `json:"summary"`
}

// Halt says why the checks stopped early ("" when all ran).
type Halt string

const (
	// HaltNone: every check ran.
	HaltNone Halt = ""
	// HaltUnavailable: the server cannot be reached, or is in maintenance.
	HaltUnavailable Halt = "unavailable"
	// HaltBroken: the server answered, but is not installed, needs a
	// database upgrade, or its status could not be read.
	HaltBroken Halt = "broken"
	// HaltUnauthorized: the login was refused (401).
	HaltUnauthorized Halt = "unauthorized"
	// HaltLogin: the login could not be checked for another reason.
	HaltLogin Halt = "login"
)

// Gather runs the checks of the account the client logs in as (rep.Account
// names it) and, when token is not "", of that room, and adds their
// findings to rep.Checks, one request at a time. Times are read from now
// and shown in loc. It says why it stopped early, if it did.
func Gather(ctx context.Context, c *client.Client, rep *Report, token string, now func() time.Time, loc *time.Location) Halt {
	add := func(f ...doctor.Finding) { rep.Checks = append(rep.Checks, f...) }

	// the server: status.php, the connection, the certificate
	st, stAns, stErr := c.ServerStatus(ctx)
	add(doctor.Server(c.BaseURL(), st, stErr))
	add(doctor.Connection(c.BaseURL()))
	if strings.HasPrefix(c.BaseURL(), "https://") {
		add(doctor.Certificate(stAns.Certificate, stErr, now()))
	}
	if stErr != nil || doctor.IsMaintenance(st, stErr) || !st.Installed || st.NeedsDBUpgrade {
		if k := client.KindOf(stErr); doctor.IsMaintenance(st, stErr) || k == client.KindNetwork || k == client.KindUnavailable {
			return HaltUnavailable
		}
		return HaltBroken
	}
	skew, skewOK := stAns.ClockSkew()

	// the login
	user, userAns, userErr := c.CurrentUserAnswer(ctx)
	add(doctor.Login(rep.Account, c.BaseURL(), user, userErr))
	if userErr != nil {
		switch client.KindOf(userErr) {
		case client.KindUnauthorized:
			return HaltUnauthorized
		case client.KindNetwork, client.KindUnavailable:
			return HaltUnavailable
		}
		return HaltLogin
	}
	if sk, ok := userAns.ClockSkew(); ok {
		skew, skewOK = sk, ok
	}
	throttled := max(stAns.Throttled, userAns.Throttled)

	// Talk and its capabilities
	caps, capsAns, capsErr := c.CapabilitiesAnswer(ctx)
	add(doctor.Talk(caps.Capabilities, capsErr))
	add(doctor.Capabilities(caps.Capabilities)...)
	throttled = max(throttled, capsAns.Throttled)

	// the room, its people and the server's dial-in text
	var roomFindings []doctor.Finding
	var dialIn *string
	if token != "" {
		in := doctor.RoomFacts{Token: token, Fresh: true, Caps: caps.Capabilities, Now: now(), Loc: loc, Skew: skew, SkewKnown: skewOK}
		var roomAns client.Answer
		in.Room, roomAns, in.Err = c.GetRoomAnswer(ctx, token)
		throttled = max(throttled, roomAns.Throttled)
		if in.Err == nil {
			if in.Room.IsModerator() && (in.Room.Type == models.ConversationGroup || in.Room.Type == models.ConversationPublic) {
				in.People, in.PeopleErr = c.Participants(ctx, token)
				in.PeopleRead = in.PeopleErr == nil
			}
			text, err := c.DialInInfo(ctx, token)
			if err == nil {
				dialIn = &text
				in.DialIn = &text
			} else if in.Room.SIPEnabled != models.SIPDisabled {
				in.DialInErr = err
			}
		}
		roomFindings = doctor.Room(in)
	}

	add(doctor.Clock(skew, skewOK))
	if capsErr == nil && caps.HasTalk {
		add(doctor.SIPServer(caps.Capabilities, dialIn))
		add(doctor.SIPGroups(caps.Capabilities))
	}
	add(doctor.Throttling(caps.BruteForceDelay, throttled, caps.BruteForceAllowListed))
	add(roomFindings...)
	return HaltNone
}

// Print prints the findings, one a line, the action below each that has
// one, then summary.
func Print(w io.Writer, rep Report, summary string) {
	head := "talkmod doctor: " + rep.Account + " on " + rep.Server
	if rep.Token != "" {
		head += ", room " + rep.Token
	}
	fmt.Fprintln(w, sanitize.Line(head))
	fmt.Fprintln(w)
	width := 0
	for _, f := range rep.Checks {
		width = max(width, runewidth.StringWidth(f.Name))
	}
	indent := strings.Repeat(" ", 2+7+2+width+2)
	for _, f := range rep.Checks {
		fmt.Fprintf(w, "  %-7s  %s%s  %s\n", f.Status, sanitize.Line(f.Name), strings.Repeat(" ", width-runewidth.StringWidth(f.Name)), sanitize.Line(f.Message))
		if f.Action != "" && f.Status != doctor.OK {
			fmt.Fprintf(w, "%sdo: %s\n", indent, sanitize.Line(f.Action))
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, summary)
}
