#!/usr/bin/env bash
# scripts/screenshot.sh: regenerate docs/console.svg, the picture of the
# console at the top of the README, from the demo.
#
# It runs `talkmod --demo` in a 100x30 tmux window, waits for the rooms,
# captures the screen with its colours (tmux capture-pane -e) and renders
# that to SVG with charmbracelet/freeze (go run, pinned below). Needs tmux
# and Go; the go command fetches freeze from the module proxy the first
# time. The demo's clock and refresh times differ from run to run, so the
# picture does too: commit it when the console's look changes.
#
# Offline, with freeze already in the module cache (go run pkg@version asks
# the proxy about the module's deprecation even then), serve the cache as
# the proxy:
#   GOPROXY=file://$(go env GOMODCACHE)/cache/download GOSUMDB=off scripts/screenshot.sh
set -euo pipefail
FREEZE=github.com/charmbracelet/freeze@v0.2.2

cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "screenshot.sh: needs tmux" >&2; exit 1; }
work="$(mktemp -d)"
session="talkmod-shot-$$"
cleanup() {
	tmux kill-session -t "$session" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/talkmod" ./cmd/talkmod
tmux -f /dev/null new-session -d -s "$session" -x 100 -y 30 \
	-e TERM=xterm-256color -e COLORTERM=truecolor -e TZ=UTC \
	"$work/talkmod --demo --tz UTC; sleep 60"
# The rooms are on screen once the list shows its first demo webinar.
for _ in $(seq 1 100); do
	if tmux capture-pane -p -t "$session" | grep -q 'Quarterly All-Hands'; then
		break
	fi
	sleep 0.1
done
sleep 1 # the first refresh settles
tmux capture-pane -e -p -t "$session" >"$work/console.ansi"
tmux send-keys -t "$session" q

go run "$FREEZE" --language ansi --window --theme charm --padding 20,40 --margin 0 \
	--font.size 14 --line-height 1.2 --border.radius 8 \
	--output docs/console.svg "$work/console.ansi"
echo "docs/console.svg: $(wc -c <docs/console.svg) bytes"
