#!/usr/bin/env bash
# Prints the id of the acting primary OSD of each RADOS object named (one a line) in the tests'
# pool: the OSD whose death stalls that object's reads and writes until it is marked down.
# Usage: primary-osd.sh OBJECT...
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
services="${REGSTORE_SERVICES_DIR:-$(cd "$here/../.." && pwd)/.services}"
dir="$services/ceph"
source "$here/osd.sh"
[[ $# -gt 0 ]] || { echo "usage: $0 OBJECT..." >&2; exit 2; }
[[ -f "$dir/ceph.conf" && -f "$services/ceph.env" ]] \
  || { echo "ceph: no running cluster at $dir; run start.sh first" >&2; exit 1; }
osd_primary_of "$dir/ceph.conf" "$(sed -n 's/^REGSTORE_TEST_RADOS_POOLNAME=//p' "$services/ceph.env")" "$@"
