#!/usr/bin/env bash
# Installs Azurite (Microsoft's Azure Storage emulator) for the azure driver's tests.
# Idempotent: does nothing when the pinned major version is already installed.
# Installs into "${REGSTORE_TOOLS_DIR:-<repo>/.tools}/azurite" (git-ignored), never into the source tree.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
tools="${REGSTORE_TOOLS_DIR:-$repo/.tools}/azurite"
bin="$tools/node_modules/.bin/azurite-blob"

if [[ -x "$bin" ]]; then
  echo "azurite: already installed at $tools"
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  # Debian's nodejs/npm; several install scripts may run apt at once: serialise on one lock.
  if [[ ! -f /tmp/regstore-apt-updated ]]; then
    flock /tmp/regstore-apt.lock apt-get update
    touch /tmp/regstore-apt-updated
  fi
  flock /tmp/regstore-apt.lock apt-get install -y nodejs npm
fi

mkdir -p "$tools"
# A private package.json keeps npm from walking up into the repository.
if [[ ! -f "$tools/package.json" ]]; then
  printf '{ "name": "regstore-azurite", "private": true }\n' >"$tools/package.json"
fi
npm install --prefix "$tools" --no-audit --no-fund --loglevel=error azurite@3
"$bin" --version >/dev/null
echo "azurite: installed $("$bin" --version) at $tools"
