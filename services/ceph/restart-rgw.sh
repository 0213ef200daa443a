#!/usr/bin/env bash
# Crashes radosgw alone (SIGKILL; mon and OSD stay up, so every committed object survives)
# and starts it again with the cluster's same ceph.conf (same port, same user), then waits
# (bounded) until a signed S3 request succeeds.
# Usage: restart-rgw.sh [--kill-only|--start-only] (the fault tests kill, watch the failure, start).
# The running cluster's ceph.env stays valid: nothing it names changes.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
services="${REGSTORE_SERVICES_DIR:-$repo/.services}"
dir="$services/ceph"
source "$here/rgw.sh"
source "$here/../lib.sh"
regstore_restart_phases "${1:-}"

[[ -f "$dir/ceph.conf" && -f "$services/ceph.env" ]] \
  || { echo "ceph: no running cluster at $dir; run start.sh first" >&2; exit 1; }
pidfile="$dir/run/radosgw.pid"

if [[ "$REGSTORE_PHASES" == *kill* ]]; then
  regstore_kill_pidfile radosgw "$pidfile"
fi
if [[ "$REGSTORE_PHASES" == *start* ]]; then
  if regstore_running "$(cat "$pidfile" 2>/dev/null || echo 0)"; then
    echo "ceph: radosgw already running"
    exit 0
  fi
  # The readiness probe's parameters are the ones the tests use.
  endpoint="$(sed -n 's/^REGSTORE_TEST_S3_REGIONENDPOINT=//p' "$services/ceph.env")"
  access="$(sed -n 's/^REGSTORE_TEST_S3_ACCESSKEY=//p' "$services/ceph.env")"
  secret="$(sed -n 's/^REGSTORE_TEST_S3_SECRETKEY=//p' "$services/ceph.env")"
  bucket="$(sed -n 's/^REGSTORE_TEST_S3_BUCKET=//p' "$services/ceph.env")"
  rgw_launch "$dir/ceph.conf" "$dir" || { tail -n 40 "$dir/log/rgw.out" "$dir/log/client.rgw.a.log" >&2 || true; exit 1; }
  if ! rgw_wait_ready "$endpoint" "$access" "$secret" "$bucket"; then
    echo "ceph: radosgw not ready after restart; log tail:" >&2
    tail -n 40 "$dir/log/client.rgw.a.log" >&2 || true
    exit 1
  fi
  echo "ceph: radosgw restarted at $endpoint"
fi
