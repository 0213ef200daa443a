#!/usr/bin/env bash
# Stops the OSS stand-in started by start.sh (by its pid file) and waits for it to exit.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
services="${REGSTORE_SERVICES_DIR:-$repo/.services}"
source "$here/../lib.sh"

if [[ ! -f "$services/oss-standin/oss-standin.pid" ]]; then
  echo "oss-standin: not running (no pid file)"
  exit 0
fi
regstore_stop_pidfile oss-standin "$services/oss-standin/oss-standin.pid"
rm -f "$services/oss-standin.env"
echo "oss-standin: stopped"
