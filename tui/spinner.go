package tui

import (
	"time"

	"github.com/charmbracelet/bubbles/spinner"
)

// The console's one spinner: pending rooms, the people on their way and
// the login screen all turn the same frames at the same pace (bubbles'
// MiniDot, the frames talkmod always showed).
var spinFrames = spinner.MiniDot.Frames

// spinEvery is the pace of the spinner.
const spinEvery = 100 * time.Millisecond

// spinFrame is the frame for tick i.
func spinFrame(i int) string { return spinFrames[i%len(spinFrames)] }
