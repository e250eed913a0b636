package tui

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/dialog"
)

// fakePage is the smallest page: f opens it on a group conversation; it
// takes the keys while it is on screen, E opens a question of its own
// through the root (dialog.OpenMsg) and it acts on the y.
type fakePage struct {
	open      bool
	token     string
	keys      []string
	confirmed any
}

func (p *fakePage) Key(*common.KeyMap) key.Binding {
	return key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "fake"))
}

func (p *fakePage) Refuse(r models.Room) (string, string) {
	if r.Type != models.ConversationGroup {
		return "not a group", "not a group: the fake page is for groups"
	}
	return "", ""
}

func (p *fakePage) Open(_ common.Common, env common.Env) tea.Cmd {
	p.open, p.token = true, env.Room.Token
	return nil
}

func (p *fakePage) IsOpen() bool  { return p.open }
func (p *fakePage) Token() string { return p.token }

func (p *fakePage) Update(_ common.Common, _ common.Env, msg tea.Msg) (tea.Cmd, common.Note, bool) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		p.keys = append(p.keys, msg.String())
		switch msg.String() {
		case "esc":
			p.open = false
		case "E":
			d := dialog.Confirm{Title: "End the call", Question: "End it? y/n", No: "call kept", Payload: "end"}
			return func() tea.Msg { return dialog.OpenMsg{Dialog: d} }, common.Note{}, true
		}
		return nil, common.Note{Text: "key " + msg.String(), Level: common.LevelInfo}, true
	case dialog.ConfirmedMsg:
		p.confirmed = msg.Payload
		return nil, common.Note{Text: "ended", Level: common.LevelOK}, true
	}
	return nil, common.Note{}, false
}

func (p *fakePage) View(_ common.Common, env common.Env, _ time.Time, _ int) string {
	return "FAKE PAGE " + env.Room.DisplayName
}

func (p *fakePage) HelpLine(common.Common) string                 { return "fake keys" }
func (p *fakePage) Confirming() bool                              { return false }
func (p *fakePage) Pending() int                                  { return 0 }
func (p *fakePage) SyncKeys(*common.KeyMap, bool)                 {}
func (p *fakePage) Changes(_ *common.KeyMap, msg tea.KeyMsg) bool { return msg.String() == "E" }
func (p *fakePage) HelpText() string                              { return "The fake page (f)." }

// A new page is a component and one line (here: the append): the root
// opens it with its key on the selected room or says why not, gives it
// the keys while it is on screen (q and ? stay the root's), lays it out,
// opens its question and hands it the y.
func TestAPageIsAComponentAndOneLine(t *testing.T) {
	h := newDemo(t, 120, 40)
	p := &fakePage{}
	h.m.pages = append(h.m.pages, p)

	h.press("a") // all rooms: the one-to-one conversation with Bob too
	h.selectRoom("bob1")
	h.press("f")
	if p.open {
		t.Fatal("the page opened on a room it refuses")
	}
	mustContain(t, h.m.flash.text, "not a group: the fake page is for groups")
	h.press("a")

	h.selectRoom("748392")
	h.press("f")
	if !p.open || p.token != "748392" {
		t.Fatalf("f did not open the page on Town hall: %+v", p)
	}
	v := h.view()
	mustContain(t, v, "FAKE PAGE Town hall")
	mustContain(t, v, "fake keys")

	h.press("x")
	if !reflect.DeepEqual(p.keys, []string{"x"}) || h.m.flash.text != "key x" {
		t.Fatalf("x: keys %v, status %q", p.keys, h.m.flash.text)
	}
	h.press("?")
	// its paragraph in the help, wherever the lines wrap
	mustContain(t, strings.Join(strings.Fields(h.view()), " "), "The fake page (f).")
	h.press("x") // closes the help, is not the page's
	if h.m.help.Show || len(p.keys) != 1 {
		t.Fatalf("the help: shown %v, page keys %v", h.m.help.Show, p.keys)
	}

	h.press("E")
	if modal(h.m) != modalConfirm {
		t.Fatalf("E: dialog %s", modal(h.m))
	}
	mustContain(t, h.view(), "End the call")
	h.press("y")
	if p.confirmed != "end" || h.m.dialog != nil || h.m.flash.text != "ended" {
		t.Fatalf("y: page got %v, dialog %v, status %q", p.confirmed, h.m.dialog, h.m.flash.text)
	}

	h.m.c.ReadOnly = true
	h.press("E")
	if h.m.dialog != nil || h.m.flash.text != common.ReadOnlyNote {
		t.Fatalf("read-only E: dialog %v, status %q", h.m.dialog, h.m.flash.text)
	}
	h.m.c.ReadOnly = false

	h.press("esc")
	if p.open {
		t.Fatal("esc did not close the page")
	}
	mustContain(t, h.view(), "NAME")
}
