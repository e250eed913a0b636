package tui

import (
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/talkmod/talkmod/client"
	"github.com/talkmod/talkmod/models"
	"github.com/talkmod/talkmod/tui/accounts"
	"github.com/talkmod/talkmod/tui/bulk"
	"github.com/talkmod/talkmod/tui/common"
	"github.com/talkmod/talkmod/tui/dialog"
	"github.com/talkmod/talkmod/tui/roomlist"
	"github.com/talkmod/talkmod/tui/sanitize"
)

// Changes to several rooms: marks, one dialog and one question for all
// marked rooms, then one request per room with at most bulk.Limit in
// flight, each row showing its own spinner and outcome. What is sent and
// the bookkeeping of sending it are tui/bulk's; here the root keeps the
// marks, opens the dialogs and sends: bulk.Limit requests (each an
// ordinary send, answered by an actionMsg), then the next as each answer
// arrives, so the limit holds whatever order tea runs the commands in.

// bulkState is the console's bookkeeping of changes to several rooms.
type bulkState struct {
	marks bulk.Marks
	// run is the change on its way (nil: none).
	run *bulk.Run
	// choosing: the open picker or SIP chooser is for the marked rooms.
	choosing bool
	// undo are the rooms the last change to several rooms changed (u
	// restores them together); cleared by any single change made after.
	undo []string
	// undoWhat words that change ("lobby on").
	undoWhat string
	// summaryFlash is the id of the flash holding the last summary (a
	// note about marks is added to it rather than replacing it).
	summaryFlash int
}

// marked returns the marked rooms in list order, as the plan sees them.
func (m Model) marked(undo bool) []bulk.Room {
	var out []bulk.Room
	add := func(e *roomlist.Entry) {
		r := bulk.Room{Room: e.Room, Name: e.Name, Pending: m.rooms.isPending(e.ID), Hidden: !m.table.Matches(e)}
		if m.accts.Multi() {
			a := m.accts.At(e)
			r.ID, r.Server, r.Caps = e.ID, a.Name, &a.Caps
		}
		if s := m.rooms[e.ID]; s != nil && s.undo != nil {
			r.Undo = &s.undo.Change
		}
		out = append(out, r)
	}
	if undo {
		for _, tok := range m.bulk.undo {
			if e := m.table.Find(tok); e != nil { // one that left the list was said when it left
				add(e)
			}
		}
		return out
	}
	if m.bulk.marks.Count() == 0 {
		return nil
	}
	for _, e := range m.table.All {
		if m.bulk.marks.Has(e.ID) {
			add(e)
		}
	}
	return out
}

// syncMarks drops the marks of rooms that left the list (or that the user
// can no longer change) and says so by name; before are the marks before
// an update that may change the list (nil for other messages).
func (m Model) syncMarks(before map[string]string) Model {
	if len(before) == 0 {
		return m
	}
	var lost []string
	for tok, name := range before {
		if !m.bulk.marks.Has(tok) {
			continue // unmarked on purpose (or changed)
		}
		if e := m.table.Find(tok); e == nil || e.Greyed {
			m.bulk.marks.Mark(tok, "", false)
			lost = append(lost, name)
		}
	}
	if len(lost) == 0 {
		return m
	}
	sort.Strings(lost)
	what := strconv.Itoa(len(lost)) + " marked rooms left your list and are no longer marked: "
	if len(lost) == 1 {
		what = "a marked room left your list and is no longer marked: "
	}
	text := what + strings.Join(lost, ", ")
	if m.bulk.summaryFlash != 0 && m.flash.id == m.bulk.summaryFlash && m.flash.text != "" {
		// the summary of a change to several rooms stays on screen
		m.flash.sticky(m.flash.text+" · "+text, common.LevelWarn)
		m.bulk.summaryFlash = m.flash.id
		return m
	}
	m.flash.sticky(text, common.LevelWarn)
	return m
}

func (m Model) bulkKey(msg tea.KeyMsg) (Model, tea.Cmd, bool) {
	k := m.c.Keys
	switch {
	case key.Matches(msg, m.c.Keys.Mark):
		e := m.table.Selected()
		if e == nil {
			return m, m.flash.set(m.c, m.actionBlocked(nil), common.LevelWarn), true
		}
		if e.Greyed {
			return m, m.flash.set(m.c, "cannot mark "+e.Name+": "+e.Why, common.LevelWarn), true
		}
		on := !m.bulk.marks.Has(e.ID)
		m.bulk.marks.Mark(e.ID, e.Name, on)
		verb := "marked "
		if !on {
			verb = "unmarked "
		}
		return m, m.flash.set(m.c, verb+e.Name+" · "+m.bulk.marks.Words(), common.LevelInfo), true
	case key.Matches(msg, m.c.Keys.MarkAll):
		added, left := 0, 0
		for _, e := range m.table.Visible {
			if e.Greyed {
				left++
				continue
			}
			if !m.bulk.marks.Has(e.ID) {
				added++
			}
			m.bulk.marks.Mark(e.ID, e.Name, true)
		}
		text := "marked every room shown (" + strconv.Itoa(added) + " more) · " + m.bulk.marks.Words()
		if left > 0 {
			text += " · " + strconv.Itoa(left) + " that cannot be changed here left out"
		}
		return m, m.flash.set(m.c, text, common.LevelInfo), true
	case key.Matches(msg, m.c.Keys.Unmark),
		// esc with nothing else to close (the list's ClearFilter and Back
		// bindings are disabled then)
		msg.Type == tea.KeyEsc && !m.detailFull && m.filter.Input == "" && m.bulk.marks.Count() > 0:
		n := m.bulk.marks.Clear()
		if n == 0 {
			return m, m.flash.set(m.c, "no room is marked (space marks the selected room, * every room shown)", common.LevelInfo), true
		}
		return m, m.flash.set(m.c, "cleared "+strconv.Itoa(n)+" marks", common.LevelInfo), true
	case key.Matches(msg, k.Undo) && len(m.bulk.undo) > 0:
		return m.bulkUndo()
	}
	if m.bulk.marks.Count() == 0 {
		return m, nil, false
	}
	switch {
	case key.Matches(msg, k.Lobby), key.Matches(msg, k.Timer), key.Matches(msg, k.SIP):
		if reason := m.bulkBlocked(); reason != "" {
			return m, m.flash.set(m.c, reason, common.LevelWarn), true
		}
	}
	n := m.bulk.marks.Count()
	switch {
	case key.Matches(msg, k.Lobby):
		m.dialog = dialog.BulkLobby{Marked: n}
		return m, nil, true
	case key.Matches(msg, k.Timer):
		m.dialog = dialog.NewPicker(m.c, models.Room{}, strconv.Itoa(n)+" marked rooms")
		m.bulk.choosing = true
		return m, nil, true
	case key.Matches(msg, k.SIP):
		caps := bulkCaps(m.accts, m.marked(false))
		if reason := sipBlocked(caps); reason != "" {
			return m, m.flash.set(m.c, "cannot switch SIP dial-in: "+reason, common.LevelWarn), true
		}
		m.dialog = dialog.NewBulkSIP(strconv.Itoa(n)+" marked rooms", caps)
		m.bulk.choosing = true
		return m, nil, true
	}
	return m, nil, false
}

// bulkBlocked says why no change to several rooms can start now, or "".
func (m Model) bulkBlocked() string {
	// with several accounts each room's own account says (not sent:
	// why) when its request would go
	switch a := m.accts[0]; {
	case !m.accts.Multi() && a.Backend == nil:
		return "no server to send to"
	case !m.accts.Multi() && a.Sync.Unauthorized:
		return a.UnauthorizedWords()
	case m.bulk.run != nil:
		return "a change to several rooms is still being sent: wait for its summary"
	}
	return ""
}

// bulkDialogResult takes the answers that concern the marked rooms: the
// dialogs opened for them and the one question. ok is false for the
// others (m may still have changed).
func (m Model) bulkDialogResult(msg tea.Msg) (Model, tea.Cmd, bool) {
	var t bulk.Target
	switch msg := msg.(type) {
	case dialog.ConfirmedMsg:
		p, ok := msg.Payload.(*bulk.Plan)
		if !ok {
			return m, nil, false
		}
		m.dialog = nil
		return m.bulkStart(p)
	case dialog.BulkLobbyMsg:
		t = bulk.Target{Op: bulk.OpLobby, Lobby: msg.Lobby}
	case dialog.CancelledMsg:
		m.bulk.choosing = false
		return m, nil, false
	case dialog.PickedMsg:
		if !m.bulk.choosing {
			return m, nil, false
		}
		t = bulk.Target{Op: bulk.OpLobby, Lobby: models.LobbyModeratorsOnly, Timer: msg.Timer, Clear: msg.Clear}
	case dialog.SIPChosenMsg:
		if !m.bulk.choosing {
			return m, nil, false
		}
		t = bulk.Target{Op: bulk.OpSIP, SIP: msg.State, SIPLabel: msg.Label}
	default:
		return m, nil, false
	}
	m.bulk.choosing = false
	m.dialog = nil
	p := bulk.For(t, m.marked(false), m.accts[0].Caps, m.c.Now(), m.c.Clock)
	if len(p.Items) == 0 {
		return m, m.flash.set(m.c, p.What+": nothing to send: "+bulk.SkipWords(p.Skipped), common.LevelWarn), true
	}
	m.dialog = p.Confirm() // nothing is sent before y
	return m, nil, true
}

// bulkUndo is u after a change to several rooms: sent together under the
// same rules; it asks first (y only) when a restored state removes
// people from a call or drops a timer.
func (m Model) bulkUndo() (Model, tea.Cmd, bool) {
	if reason := m.bulkBlocked(); reason != "" {
		return m, m.flash.set(m.c, reason, common.LevelWarn), true
	}
	p := bulk.UndoPlan(m.bulk.undoWhat, m.marked(true), m.c.Now(), m.c.Clock)
	if len(p.Items) == 0 {
		m.bulk.undo = nil
		return m, m.flash.set(m.c, "nothing to undo: "+bulk.SkipWords(p.Skipped), common.LevelWarn), true
	}
	if len(p.Calls) > 0 || len(p.Drops) > 0 {
		m.dialog = p.Confirm()
		return m, nil, true
	}
	return m.bulkStart(p)
}

// bulkStart sends a confirmed plan: bulk.Limit requests now, the next as
// each answer arrives.
func (m Model) bulkStart(p *bulk.Plan) (Model, tea.Cmd, bool) {
	if reason := m.bulkBlocked(); reason != "" {
		return m, m.flash.set(m.c, reason, common.LevelWarn), true
	}
	m.bulk.run = bulk.NewRun(p)
	accts := m.accts
	m.bulk.run.Label = func(server string) string { // its SERVER column
		for _, a := range accts {
			if a.Name == server {
				return a.Who()
			}
		}
		return sanitize.Line(server)
	}
	if p.Undo {
		m.bulk.undo = nil
	}
	m, cmd := m.bulkDispatch()
	return m, cmd, true
}

// bulkDispatch sends what the run lets go now; once nothing is in flight
// and nothing more will go, it ends the run with its summary.
func (m Model) bulkDispatch() (Model, tea.Cmd) {
	run := m.bulk.run
	if run == nil {
		return m, nil
	}
	var cmds []tea.Cmd
	for !m.quitting {
		it, ok := run.Next()
		if !ok {
			break
		}
		req := actionReq{token: it.Token, Change: it.Change}
		e := m.table.Find(req.token)
		if e == nil {
			run.NotSent()
			continue
		}
		if reason := m.actionBlocked(e); reason != "" {
			run.Fail("not sent")
			m.rooms.get(req.token).outcome = &outcome{ok: false, op: req.Op, text: "not sent: " + reason, kind: client.KindOther}
			continue
		}
		var cmd tea.Cmd
		m, cmd = m.send(req)
		if !m.rooms.isPending(req.token) {
			// refused before sending (a timer that passed meanwhile)
			run.Fail("refused (not valid)")
			continue
		}
		run.Sent(req.token)
		cmds = append(cmds, cmd)
	}
	if run.Waiting() > 0 {
		m.flash.sticky(run.Progress(), common.LevelInfo)
		return m, tea.Batch(cmds...)
	}
	// the end: what was never sent says why
	for _, it := range run.Rest() {
		stop := run.StoppedFor(it.Server)
		ns := &client.NotSentError{Cause: stop}
		if stop == nil && m.quitting {
			ns.Cause = errors.New("you quit")
		}
		if client.KindOf(stop) == client.KindThrottled {
			// when the console polls again; a part minute rounds up,
			// as the commands' batch does (the words show minutes)
			ns.RetryAt = m.accts.Of(it.Token).Sync.PausedUntil
			if t := ns.RetryAt.Truncate(time.Minute); !t.Equal(ns.RetryAt) {
				ns.RetryAt = t.Add(time.Minute)
			}
		}
		text := ns.Words(m.c.Loc())
		if stop == nil && m.quitting {
			text = "not sent: you quit talkmod"
		}
		if m.accts.Multi() && stop != nil {
			text += " (" + m.accts.Of(it.Token).Who() + ")"
		}
		m.rooms.get(it.Token).outcome = &outcome{ok: false, op: it.Change.Op, text: text, kind: client.KindOf(stop)}
	}
	m.bulk.run = nil
	if !run.Undo && len(run.Changed()) > 0 {
		m.bulk.undo = run.Changed()
		m.bulk.undoWhat = run.What
	}
	level := common.LevelOK
	if run.Failed() {
		level = common.LevelWarn
	}
	m.flash.sticky(run.Summary(m.bulk.marks.Count()), level)
	m.bulk.summaryFlash = m.flash.id
	return m, tea.Batch(cmds...)
}

// bulkAnswered follows the answer of a PUT (its outcome is already
// applied): the run's bookkeeping and its next request.
func (m Model) bulkAnswered(msg actionMsg, cmd tea.Cmd) (Model, tea.Cmd) {
	run := m.bulk.run
	if run == nil || !run.Awaits(msg.token) {
		if msg.err == nil && !msg.asked.Undo {
			// a single change after a bulk one: u is about that change now
			m.bulk.undo = nil
		}
		return m, cmd
	}
	run.Answered(msg.token, msg.err)
	if msg.err == nil {
		m.bulk.marks.Mark(msg.token, "", false)
	}
	m, next := m.bulkDispatch()
	return m, tea.Batch(cmd, next)
}

// isListChange says whether msg may change which rooms are in the list
// (then the marks are checked against it).
func isListChange(msg tea.Msg) bool {
	switch msg.(type) {
	case accounts.ListMsg, actionMsg, rereadMsg:
		return true
	}
	return false
}

// bulkCaps are the capabilities the SIP chooser of the marks offers from:
// with several accounts, those of the first marked room's server that can
// switch SIP (each room is then checked against its own server's).
func bulkCaps(accts accounts.List, marked []bulk.Room) models.Capabilities {
	if !accts.Multi() {
		return accts[0].Caps
	}
	var first *models.Capabilities
	for _, r := range marked {
		if r.Caps == nil {
			continue
		}
		if first == nil {
			first = r.Caps
		}
		if sipBlocked(*r.Caps) == "" {
			return *r.Caps
		}
	}
	if first != nil {
		return *first
	}
	return accts[0].Caps
}
