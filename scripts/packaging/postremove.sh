#!/bin/sh
# talkmod package: after removal, tell systemd the unit is gone.
set -e
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload >/dev/null 2>&1 || true
fi
exit 0
