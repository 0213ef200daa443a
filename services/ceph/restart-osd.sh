#!/usr/bin/env bash
# Crashes one OSD (SIGKILL; its bluestore recovers on start) and starts it again with the
# cluster's same ceph.conf, then waits (bounded) until the mon has it up again and a RADOS
# write to the tests' pool succeeds (up to 150 s: on the one-OSD cluster, peering after a
# kill mid-write has taken over a minute on a loaded machine). The mon, the other OSDs and
# radosgw stay up. On a cluster of several OSDs, wait-clean.sh then waits for recovery.
# Usage: restart-osd.sh [--kill-only|--start-only] [ID] (ID defaults to 0; the fault tests
# kill, watch the operation, then start).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
services="${REGSTORE_SERVICES_DIR:-$(cd "$here/../.." && pwd)/.services}"
dir="$services/ceph"
source "$here/osd.sh"
source "$here/../lib.sh"
phase="" id=0
case "${1:-}" in
  --*) phase="$1"; id="${2:-0}" ;;
  "") ;;
  *) id="$1" ;;
esac
regstore_restart_phases "$phase"
[[ "$id" =~ ^[0-9]+$ ]] || { echo "usage: $0 [--kill-only|--start-only] [ID]" >&2; exit 2; }

[[ -f "$dir/ceph.conf" && -f "$services/ceph.env" ]] \
  || { echo "ceph: no running cluster at $dir; run start.sh first" >&2; exit 1; }
[[ -d "$dir/osd/ceph-$id" ]] || { echo "ceph: the cluster at $dir has no osd.$id" >&2; exit 1; }
pidfile="$dir/run/osd.$id.pid"

if [[ "$REGSTORE_PHASES" == *kill* ]]; then
  regstore_kill_pidfile "osd.$id" "$pidfile"
fi
if [[ "$REGSTORE_PHASES" == *start* ]]; then
  if regstore_running "$(cat "$pidfile" 2>/dev/null || echo 0)"; then
    echo "ceph: osd.$id already running"
    exit 0
  fi
  # The killed OSD's pid-file lock goes only when the last of its threads has exited; a launch
  # that finds it still held fails at once, so it is tried again for up to 30 s.
  for attempt in $(seq 1 30); do
    osd_launch "$dir/ceph.conf" "$dir" "$id" && break
    if [[ $attempt -eq 30 ]] || ! tail -n 5 "$dir/log/osd.$id.out" | grep -q "failed to lock pidfile"; then
      tail -n 40 "$dir/log/osd.$id.out" "$dir/log/osd.$id.log" >&2 || true
      exit 1
    fi
    sleep 1
  done
  if ! osd_wait_up "$dir/ceph.conf" "$id" 150 >&2 \
    || ! rados_wait_ready "$dir/ceph.conf" "$(sed -n 's/^REGSTORE_TEST_RADOS_POOLNAME=//p' "$services/ceph.env")" 150 >&2; then
    echo "ceph: RADOS not ready after the restart of osd.$id; log tail:" >&2
    tail -n 40 "$dir/log/osd.$id.log" >&2 || true
    exit 1
  fi
  echo "ceph: osd.$id restarted"
fi
