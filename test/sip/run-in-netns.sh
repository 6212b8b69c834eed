#!/usr/bin/env bash
# Runs a command inside a fresh network namespace whose only interface is loopback, so the SIP
# rig (Kamailio, rtpengine, baresip) and Chromium can never send traffic beyond 127.0.0.1.
#   test/sip/run-in-netns.sh npx vitest run --project sip
# As root it uses `unshare -n`; otherwise a user namespace maps the caller to root (`-r`).
set -euo pipefail
if [ $# -eq 0 ]; then
  echo "usage: $0 command [args...]" >&2
  exit 2
fi
if [ "$(id -u)" -eq 0 ]; then
  flags=(--net)
else
  flags=(--net --map-root-user)
fi
# shellcheck disable=SC2016
exec unshare "${flags[@]}" -- bash -c 'ip link set lo up && exec "$@"' run-in-netns "$@"
