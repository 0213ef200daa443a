#!/usr/bin/env bash
# Crashes the Swift proxy alone (SIGKILL; account, container, object servers and memcached
# stay up, so committed objects and issued tokens survive) and starts it again with the same
# proxy-server.conf (same port, same tempauth users), then waits (bounded) until tempauth
# answers and the account can be read.
# Usage: restart-proxy.sh [--kill-only|--start-only] (the fault tests kill, watch the failure, start).
# The running service's swift.env stays valid: nothing it names changes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$REPO_ROOT/services/lib.sh"
regstore_restart_phases "${1:-}"

conf="$STATE/etc/proxy-server.conf"
[[ -f "$conf" && -f "$ENV_FILE" ]] || { echo "swift: no running service at $STATE; run start.sh first" >&2; exit 1; }
# The port the running service was started with, whatever this shell's environment says.
PROXY_PORT="$(awk -F' *= *' '$1=="bind_port"{print $2; exit}' "$conf")"

if [[ "$REGSTORE_PHASES" == *kill* ]]; then
  regstore_kill_pidfile swift-proxy "$STATE/run/proxy.pid"
fi
if [[ "$REGSTORE_PHASES" == *start* ]]; then
  if regstore_running "$(cat "$STATE/run/proxy.pid" 2>/dev/null || echo 0)"; then
    echo "swift: proxy already running"
    exit 0
  fi
  launch proxy proxy "$conf"
  for ((i = 0; i < 300; i++)); do   # up to ~60 s
    regstore_running "$(cat "$STATE/run/proxy.pid")" \
      || { echo "swift: proxy exited during restart; log tail:" >&2; tail -n 30 "$STATE/log/proxy.log" >&2; exit 1; }
    if proxy_auth && curl -fsS -m 5 -o /dev/null -I -H "X-Auth-Token: $token" "$storage_url" 2>/dev/null; then
      echo "swift: proxy restarted at http://127.0.0.1:$PROXY_PORT"
      exit 0
    fi
    sleep 0.2
  done
  echo "swift: proxy not ready within 60 s of restart; log tail:" >&2
  tail -n 30 "$STATE/log/proxy.log" >&2
  exit 1
fi
