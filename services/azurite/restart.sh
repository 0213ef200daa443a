#!/usr/bin/env bash
# Crashes Azurite (SIGKILL) and starts it again on the same port and the same state folder,
# so blobs committed before the crash survive; waits (bounded) until it answers.
# Usage: restart.sh [--kill-only|--start-only] (the fault tests kill, watch the failure, start),
# or restart.sh --sync [SINCE]: wait until Azurite has saved its metadata (see below).
# The running service's azurite.env stays valid: nothing it names changes.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/daemon.sh"
source "$here/../lib.sh"

# Azurite keeps containers, blobs and blocks in a LokiJS database it saves every 5 s, so a
# crash loses up to 5 s of committed changes (the emulator's property, not a driver's).
# --sync waits (at most 15 s) until that file has been saved after SINCE (nanoseconds since the
# epoch; default: now), so whatever was committed before SINCE survives a kill. A caller passes
# the moment its commit was acknowledged: a save between that and this script's start counts.
if [[ "${1:-}" == "--sync" ]]; then
  db="$state/data/__azurite_db_blob__.json"
  since="${2:-$(date +%s%N)}"
  for _ in $(seq 1 150); do
    if [[ -f "$db" ]] && (( $(stat -c %.9Y "$db" | tr -d .) > since )); then
      echo "azurite: metadata saved"
      exit 0
    fi
    sleep 0.1
  done
  echo "azurite: metadata not saved within 15 s (nothing changed since the last save?)" >&2
  exit 1
fi
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
