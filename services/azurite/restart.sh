#!/usr/bin/env bash
# Crashes Azurite (SIGKILL) and starts it again on the same port and the same state folder,
# so blobs committed before the crash survive; waits (bounded) until it answers.
# Usage: restart.sh [--kill-only|--start-only] (the fault tests kill, watch the failure, start).
# The running service's azurite.env stays valid: nothing it names changes.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/daemon.sh"
source "$here/../lib.sh"
regstore_restart_phases "${1:-}"

[[ -d "$state/data" ]] || { echo "azurite: no state at $state; run start.sh first" >&2; exit 1; }
if [[ "$REGSTORE_PHASES" == *kill* ]]; then
  regstore_kill_pidfile azurite "$state/azurite.pid"
fi
if [[ "$REGSTORE_PHASES" == *start* ]]; then
  if regstore_running "$(cat "$state/azurite.pid" 2>/dev/null || echo 0)"; then
    echo "azurite: already running"
    exit 0
  fi
  azurite_launch
  azurite_wait_ready
  echo "azurite: restarted on 127.0.0.1:$port (state $state)"
fi
