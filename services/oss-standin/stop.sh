#!/usr/bin/env bash
# Stops the OSS stand-in started by start.sh (by its pid file) and waits for it to exit.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
services="${REGSTORE_SERVICES_DIR:-$repo/.services}"
state="$services/oss-standin"
pidfile="$state/oss-standin.pid"

# Running means the process exists and is not a zombie (zombies linger here after exit).
running() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ "$(awk '{print $3}' <<<"${stat##*)}")" != "Z" ]]
}

if [[ ! -f "$pidfile" ]]; then
  echo "oss-standin: not running (no pid file)"
  exit 0
fi

pid="$(cat "$pidfile")"
if running "$pid"; then
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do
    running "$pid" || break
    sleep 0.25
  done
  if running "$pid"; then
    echo "oss-standin: still running after 10 s; killing $pid" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
fi
rm -f "$pidfile" "$services/oss-standin.env"
echo "oss-standin: stopped"
