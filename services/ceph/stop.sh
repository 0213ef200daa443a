#!/usr/bin/env bash
# Stops the test cluster by its pid files, in the order that does not hang:
# radosgw first (it blocks on shutdown once the OSD is gone), then the OSDs, then the mon.
# Waits (bounded) for each to exit; a zombie counts as exited.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
dir="${REGSTORE_SERVICES_DIR:-$repo/.services}/ceph"

alive() { # pid -> 0 when the process exists and is not a zombie
  local state
  [ -r "/proc/$1/stat" ] || return 1
  state="$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null || true)"
  [ -n "$state" ] && [ "$state" != "Z" ] && [ "$state" != "X" ]
}

stop_one() { # name pidfile
  local name="$1" pidfile="$2" pid i
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  rm -f "$pidfile"
  [ -n "$pid" ] || return 0
  alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do           # up to 10 s
    alive "$pid" || { echo "ceph: $name stopped"; return 0; }
    sleep 0.1
  done
  echo "ceph: $name (pid $pid) did not stop in 10 s, killing" >&2
  kill -KILL "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do
    alive "$pid" || return 0
    sleep 0.1
  done
  echo "ceph: $name (pid $pid) still alive" >&2
}

[ -d "$dir" ] || exit 0
stop_one radosgw "$dir/run/radosgw.pid"
for pidfile in "$dir"/run/osd.*.pid; do
  [ -e "$pidfile" ] || continue
  name="$(basename "$pidfile" .pid)"
  stop_one "$name" "$pidfile" &   # in parallel: each OSD takes up to a few seconds to stop
done
wait
stop_one mon.a "$dir/run/mon.a.pid"
rm -f "${REGSTORE_SERVICES_DIR:-$repo/.services}/ceph.env"
