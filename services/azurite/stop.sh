#!/usr/bin/env bash
# Stops the Azurite started by start.sh (by its pid file) and waits for it to exit.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
services="${REGSTORE_SERVICES_DIR:-$repo/.services}"
source "$here/../lib.sh"

if [[ ! -f "$services/azurite/azurite.pid" ]]; then
  echo "azurite: not running (no pid file)"
  exit 0
fi
regstore_stop_pidfile azurite "$services/azurite/azurite.pid"
rm -f "$services/azurite.env"
echo "azurite: stopped"
