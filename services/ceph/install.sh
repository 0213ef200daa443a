#!/usr/bin/env bash
# Installs what the one-node Ceph test cluster (mon + osd + radosgw) needs: Debian's Ceph
# packages, curl (signed S3 requests for readiness) and rclone (benchmark baseline).
# Idempotent: does nothing when everything is already installed.
set -euo pipefail

packages=(ceph-mon ceph-osd radosgw librados2 ceph-common python3-rados curl rclone uuid-runtime)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "ceph: all packages present"
  exit 0
fi
echo "ceph: installing ${missing[*]}"
# Other services' install scripts run apt at the same time: serialise on one lock.
export DEBIAN_FRONTEND=noninteractive
flock /tmp/regstore-apt.lock apt-get update
flock /tmp/regstore-apt.lock apt-get install -y --no-install-recommends "${missing[@]}"
