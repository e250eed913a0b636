// Package loginflow waits for Login Flow v2 in a terminal for talkmod
// login: it shows the address (and its QR code), then polls until access
// is granted, with a spinner on a terminal.
package loginflow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	"github.com/mdp/qrterminal/v3"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/tui/sanitize"
	"github.com/talkmod/talkmod/tui/words"
)

// Options are where Wait writes and how long it waits.
type Options struct {
	Stdout, Stderr io.Writer
	// NoQR prints no QR code; Spin draws the spinner (Stderr is a terminal).
	NoQR, Spin bool
	// TimeLimit ends the wait; PollInterval is the time between polls.
	TimeLimit, PollInterval time.Duration
	Logger                  *slog.Logger
}

// Wait shows the flow's address and polls until access is granted, the
// flow fails, TimeLimit passes or ctx ends. A network hiccup or a 5xx
// while waiting is retried (up to five in a row).
func Wait(ctx context.Context, flow *client.LoginFlow, o Options) (*client.LoginResult, error) {
	fmt.Fprintf(o.Stdout, "Open this address in a browser (on this or any other device) and grant access:\n\n    %s\n\n", sanitize.Line(flow.LoginURL))
	if !o.NoQR {
		fmt.Fprintln(o.Stdout, "Or scan it:")
		qrterminal.GenerateWithConfig(flow.LoginURL, qrterminal.Config{
			Level:          qrterminal.L,
			Writer:         o.Stdout,
			HalfBlocks:     true,
			BlackChar:      qrterminal.BLACK_BLACK,
			WhiteBlackChar: qrterminal.WHITE_BLACK,
			WhiteChar:      qrterminal.WHITE_WHITE,
			BlackWhiteChar: qrterminal.BLACK_WHITE,
			QuietZone:      2,
		})
		fmt.Fprintln(o.Stdout)
	}
	ctx, cancel := context.WithTimeout(ctx, o.TimeLimit)
	defer cancel()
	spin := o.Spin
	frames := spinner.MiniDot.Frames // the console's spinner too
	if !spin {
		fmt.Fprintln(o.Stderr, "Waiting for access to be granted (ctrl+c cancels)…")
	}
	start := time.Now()
	tick := time.NewTicker(o.PollInterval)
	defer tick.Stop()
	spinTick := time.NewTicker(spinner.MiniDot.FPS)
	defer spinTick.Stop()
	if !spin {
		spinTick.Stop()
	}
	clearSpin := func() {
		if spin {
			fmt.Fprint(o.Stderr, "\r\033[K")
		}
	}
	defer clearSpin()
	frame := 0
	failures := 0
	poll := func() (*client.LoginResult, error, bool) {
		res, err := client.PollLogin(ctx, flow)
		switch {
		case err == nil:
			return res, nil, true
		case errors.Is(err, client.ErrLoginPending):
			failures = 0
			return nil, nil, false
		case ctx.Err() != nil:
			return nil, nil, false
		}
		// A network hiccup or a 5xx while waiting is not the end of the
		// flow; anything else is.
		if k := client.KindOf(err); (k == client.KindNetwork || k == client.KindUnavailable) && failures < 5 {
			failures++
			o.Logger.Debug("login poll failed, retrying", "err", err.Error())
			return nil, nil, false
		}
		return nil, err, true
	}
	for {
		select {
		case <-ctx.Done():
			clearSpin()
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return nil, fmt.Errorf("login: no access was granted within %s: run talkmod login again", words.Duration(o.TimeLimit))
			}
			return nil, errors.New("login cancelled")
		case <-spinTick.C:
			frame++
			fmt.Fprintf(o.Stderr, "\r%s Waiting for access to be granted in the browser (started %s, ctrl+c cancels)\033[K",
				frames[frame%len(frames)], words.Relative(time.Now(), start))
		case <-tick.C:
			if res, err, done := poll(); done {
				clearSpin()
				return res, err
			}
		}
	}
}
