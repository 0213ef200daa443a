#!/usr/bin/env bash
# Makes osd.ID the primary of every placement group it holds (primary affinity 0 for the other
# OSDs), so that reads come from its copies — after a kill and restart, the copies recovery gave
# it; waits (bounded, default 120 s) until those PGs are active+clean with it as primary.
# `--all` gives every OSD its primary affinity back and waits until the cluster is clean.
# Usage: serve-from-osd.sh ID|--all [SECONDS]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
services="${REGSTORE_SERVICES_DIR:-$(cd "$here/../.." && pwd)/.services}"
dir="$services/ceph"
source "$here/osd.sh"
case "${1:-}" in
  --all) target=all ;;
  [0-9]*) target="$1" ;;
  *) echo "usage: $0 ID|--all [SECONDS]" >&2; exit 2 ;;
esac
[[ -f "$dir/ceph.conf" ]] || { echo "ceph: no running cluster at $dir; run start.sh first" >&2; exit 1; }
osd_serve_from "$dir/ceph.conf" "$target" "${2:-120}"
