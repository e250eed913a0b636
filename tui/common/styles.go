package common

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"

	"github.com/talkmod/talkmod/tui/datetime"
)

// Styles are every style the console uses, all built from one renderer so
// that a session's colour profile (NO_COLOR, TERM=dumb, an SSH client's
// terminal) decides alone. No other file in tui creates a style.
type Styles struct {
	Header      lipgloss.Style
	HeaderDim   lipgloss.Style
	Zone        lipgloss.Style
	ColHeader   lipgloss.Style
	Row         lipgloss.Style
	RowSelected lipgloss.Style
	RowGreyed   lipgloss.Style
	Pending     lipgloss.Style
	OK          lipgloss.Style
	Err         lipgloss.Style
	Warn        lipgloss.Style
	Dim         lipgloss.Style
	Label       lipgloss.Style
	Title       lipgloss.Style
	Modal       lipgloss.Style
	Option      lipgloss.Style
	OptionSel   lipgloss.Style
	OptionOff   lipgloss.Style
	Filter      lipgloss.Style
	Help        help.Styles
	Picker      datetime.Styles
	// Plain is the zero style of the renderer (for padding and placing).
	Plain lipgloss.Style
}

// NewStyles builds the styles from r.
func NewStyles(r *lipgloss.Renderer) *Styles {
	accent := lipgloss.AdaptiveColor{Light: "#5A3FC0", Dark: "#A78BFA"}
	dim := lipgloss.AdaptiveColor{Light: "#777777", Dark: "#8A8A8A"}
	green := lipgloss.AdaptiveColor{Light: "#0A7D32", Dark: "#4ADE80"}
	red := lipgloss.AdaptiveColor{Light: "#B91C1C", Dark: "#F87171"}
	yellow := lipgloss.AdaptiveColor{Light: "#9A6700", Dark: "#FACC15"}
	greyed := lipgloss.AdaptiveColor{Light: "#A0A0A0", Dark: "#5C5C5C"}

	s := &Styles{}
	s.Plain = r.NewStyle()
	s.Header = r.NewStyle().Bold(true).Foreground(accent)
	s.HeaderDim = r.NewStyle().Foreground(dim)
	s.Zone = r.NewStyle().Foreground(accent)
	s.ColHeader = r.NewStyle().Bold(true).Foreground(dim)
	s.Row = r.NewStyle()
	s.RowSelected = r.NewStyle().Bold(true).Foreground(accent)
	s.RowGreyed = r.NewStyle().Foreground(greyed)
	s.Pending = r.NewStyle().Foreground(yellow)
	s.OK = r.NewStyle().Foreground(green)
	s.Err = r.NewStyle().Foreground(red)
	s.Warn = r.NewStyle().Foreground(yellow)
	s.Dim = r.NewStyle().Foreground(dim)
	s.Label = r.NewStyle().Bold(true)
	s.Title = r.NewStyle().Bold(true).Foreground(accent)
	s.Modal = r.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1)
	s.Option = r.NewStyle()
	s.OptionSel = r.NewStyle().Bold(true).Foreground(accent)
	s.OptionOff = r.NewStyle().Foreground(greyed)
	s.Filter = r.NewStyle().Foreground(accent)
	s.Help = help.Styles{
		Ellipsis:       r.NewStyle().Foreground(dim),
		ShortKey:       r.NewStyle().Bold(true),
		ShortDesc:      r.NewStyle().Foreground(dim),
		ShortSeparator: r.NewStyle().Foreground(greyed),
		FullKey:        r.NewStyle().Bold(true),
		FullDesc:       r.NewStyle().Foreground(dim),
		FullSeparator:  r.NewStyle().Foreground(greyed),
	}
	s.Picker = datetime.DefaultStyles(r)
	return s
}
