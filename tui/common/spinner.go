package common

import (
	"time"

	"github.com/charmbracelet/bubbles/spinner"
)

// The console's one spinner: pending rooms, the people on their way and
// the login screen all turn the same frames at the same pace (bubbles'
// MiniDot).
var spinFrames = spinner.MiniDot.Frames

// SpinEvery is the pace of the spinner.
const SpinEvery = 100 * time.Millisecond

// SpinFrame is the frame for tick i.
func SpinFrame(i int) string { return spinFrames[i%len(spinFrames)] }
