#!/bin/sh
# talkmod package: after install or upgrade. Creates the system user of
# talkmod-serve.service and tells systemd about the unit; does not enable or
# start it (it needs /etc/talkmod/serve.env filled in first).
set -e
if ! getent passwd talkmod-serve >/dev/null 2>&1; then
	if command -v systemd-sysusers >/dev/null 2>&1; then
		systemd-sysusers /usr/lib/sysusers.d/talkmod-serve.conf
	else
		useradd --system --user-group --home-dir /var/lib/talkmod-serve --no-create-home \
			--shell /usr/sbin/nologin --comment "talkmod serve" talkmod-serve
	fi
fi
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload >/dev/null 2>&1 || true
	# An upgrade restarts a running service on the new binary.
	systemctl try-restart talkmod-serve.service >/dev/null 2>&1 || true
fi
exit 0
