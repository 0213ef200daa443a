#!/usr/bin/env bash
# Installs the real registry clients and the reference registry the Registry.Server tests use:
# skopeo (containers/image), docker-registry (Go distribution 2.8.2) and distribution's Go source
# (registry/storage/paths.go documents the storage layout the server writes; the bench builds its
# Go peer, bench/go-peer, from it with Debian's Go: golang-go; the source package depends on the
# aws-sdk-go and ncw/swift sources the s3-aws and swift drivers import), and GNU time, with which
# bench/registry records the client's own CPU seconds.
# Idempotent: does nothing when everything is already installed.
set -euo pipefail

packages=(skopeo docker-registry golang-github-docker-distribution-dev golang-go time)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "registry-clients: already installed ($(skopeo --version))"
  exit 0
fi

# Several install scripts may run apt at once: serialise on one lock.
if [[ ! -f /tmp/regstore-apt-updated ]]; then
  flock /tmp/regstore-apt.lock apt-get update
  touch /tmp/regstore-apt-updated
fi
flock /tmp/regstore-apt.lock env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
echo "registry-clients: installed ${missing[*]}"
