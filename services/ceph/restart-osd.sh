#!/usr/bin/env bash
# Crashes the OSD (SIGKILL; its bluestore recovers on start) and starts it again with the
# cluster's same ceph.conf, then waits (bounded) until a RADOS write to the tests' pool
# succeeds (up to 150 s: after a kill mid-write, peering has taken over a minute on a loaded
# machine). The mon and radosgw stay up (radosgw's requests wait while the OSD is down).
# Usage: restart-osd.sh [--kill-only|--start-only] (the fault tests kill, watch the failure, start).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
services="${REGSTORE_SERVICES_DIR:-$(cd "$here/../.." && pwd)/.services}"
dir="$services/ceph"
source "$here/osd.sh"
source "$here/../lib.sh"
regstore_restart_phases "${1:-}"

[[ -f "$dir/ceph.conf" && -f "$services/ceph.env" ]] \
  || { echo "ceph: no running cluster at $dir; run start.sh first" >&2; exit 1; }
pidfile="$dir/run/osd.0.pid"

if [[ "$REGSTORE_PHASES" == *kill* ]]; then
  regstore_kill_pidfile osd.0 "$pidfile"
fi
if [[ "$REGSTORE_PHASES" == *start* ]]; then
  if regstore_running "$(cat "$pidfile" 2>/dev/null || echo 0)"; then
    echo "ceph: osd.0 already running"
    exit 0
  fi
  osd_launch "$dir/ceph.conf" "$dir" || { tail -n 40 "$dir/log/osd.out" "$dir/log/osd.0.log" >&2 || true; exit 1; }
  if ! rados_wait_ready "$dir/ceph.conf" "$(sed -n 's/^REGSTORE_TEST_RADOS_POOLNAME=//p' "$services/ceph.env")" 150 >&2; then
    echo "ceph: RADOS not ready after the OSD restart; log tail:" >&2
    tail -n 40 "$dir/log/osd.0.log" >&2 || true
    exit 1
  fi
  echo "ceph: osd.0 restarted"
fi
