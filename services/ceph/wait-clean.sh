#!/usr/bin/env bash
# Waits (bounded, default 180 s) until the running test cluster is clean: HEALTH_OK from the
# mon, every OSD up and in, every placement group active+clean (asked of the OSDs: there is
# no ceph-mgr). Prints how long it took; on a timeout, what was still not clean (exit 1).
# Usage: wait-clean.sh [SECONDS]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
services="${REGSTORE_SERVICES_DIR:-$(cd "$here/../.." && pwd)/.services}"
dir="$services/ceph"
source "$here/osd.sh"
[[ -f "$dir/ceph.conf" ]] || { echo "ceph: no running cluster at $dir; run start.sh first" >&2; exit 1; }
pgs_wait_clean "$dir/ceph.conf" "${1:-180}"
