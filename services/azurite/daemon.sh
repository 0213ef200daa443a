# Shared by start.sh and restart.sh: where Azurite's state lives, how it is launched and
# when it counts as ready. Source it after setting `here` to this folder.
# shellcheck shell=bash
repo="$(cd "$here/../.." && pwd)"
tools="${REGSTORE_TOOLS_DIR:-$repo/.tools}/azurite"
services="${REGSTORE_SERVICES_DIR:-$repo/.services}"
state="$services/azurite"
port="${REGSTORE_AZURITE_PORT:-10917}"
bin="$tools/node_modules/.bin/azurite-blob"
# The emulator's documented, public development account (not a secret).
account=devstoreaccount1

# Launches azurite-blob in the background on the state folder's data (kept across restarts:
# committed blobs survive) and writes its pid file.
azurite_launch() {
  # --skipApiVersionCheck: Azure.Storage.Blobs 12.30 sends a newer API version than Azurite knows.
  # setsid: its own session, so stopping it never signals the test runner's process group.
  setsid "$bin" --blobHost 127.0.0.1 --blobPort "$port" --location "$state/data" \
    --silent --skipApiVersionCheck --disableTelemetry \
    >>"$state/azurite.log" 2>&1 </dev/null &
  echo $! >"$state/azurite.pid"
}

# Waits up to 30 s until the account endpoint answers HTTP at all (403 without credentials
# is fine); on failure prints the log tail and returns 1.
azurite_wait_ready() {
  local url="http://127.0.0.1:$port/$account?comp=list" code
  for _ in $(seq 1 120); do
    if ! kill -0 "$(cat "$state/azurite.pid")" 2>/dev/null; then
      echo "azurite: exited during start-up; log tail:" >&2
      tail -n 40 "$state/azurite.log" >&2 || true
      return 1
    fi
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)"
    [[ "$code" != "000" ]] && return 0
    sleep 0.25
  done
  echo "azurite: not ready after 30 s; log tail:" >&2
  tail -n 40 "$state/azurite.log" >&2 || true
  return 1
}
