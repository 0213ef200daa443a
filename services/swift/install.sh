#!/usr/bin/env bash
# Installs what the Swift all-in-one needs (idempotent): Debian's OpenStack Swift servers,
# memcached (tempauth's token cache), xfsprogs (the xattr-capable device image), curl (the
# readiness probe), and rclone and time (the benchmark's reference client and memory meter).
# Runs as root; apt is shared with other scripts, so every apt call holds /tmp/regstore-apt.lock.
set -euo pipefail

packages=(swift swift-proxy swift-account swift-container swift-object python3-swiftclient memcached xfsprogs curl rclone time)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "swift: all packages present"
  exit 0
fi

echo "swift: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
flock /tmp/regstore-apt.lock apt-get update -q
flock /tmp/regstore-apt.lock apt-get install -y -q "${missing[@]}"

# Debian enables the packaged services; this all-in-one runs its own copies, so stop any
# that the package scripts started (they would hold ports and /etc/swift state).
for svc in memcached swift-proxy swift-account swift-container swift-object; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
    systemctl stop "$svc" || true
  fi
done
