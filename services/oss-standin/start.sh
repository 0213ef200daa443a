#!/usr/bin/env bash
# Starts the OSS stand-in on 127.0.0.1 with fresh on-disk state, waits until it answers, and
# writes "$REGSTORE_SERVICES_DIR/oss-standin.env" with the oss driver's test parameters
# (REGSTORE_TEST_OSS_*: key pair, region, bucket, endpoint, secure=false, testloopback=true).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
tools="${REGSTORE_TOOLS_DIR:-$repo/.tools}/oss-standin"
services="${REGSTORE_SERVICES_DIR:-$repo/.services}"
state="$services/oss-standin"
port="${REGSTORE_OSS_STANDIN_PORT:-19310}"
dll="$tools/Registry.Storage.Oss.StandIn.dll"
# A test-only key pair, valid for this stand-in alone (handed over in the environment, never on a command line).
export REGSTORE_OSS_STANDIN_ACCESSKEYID="${REGSTORE_OSS_STANDIN_ACCESSKEYID:-LTAIStandInAccessKeyId}"
export REGSTORE_OSS_STANDIN_ACCESSKEYSECRET="${REGSTORE_OSS_STANDIN_ACCESSKEYSECRET:-StandInAccessKeySecret0123456789}"

if [[ ! -f "$dll" ]]; then
  echo "oss-standin: not installed; run $here/install.sh first" >&2
  exit 1
fi

# A previous run that was not stopped would hold the port and the state folder.
"$here/stop.sh" >/dev/null 2>&1 || true
rm -rf "$state"
mkdir -p "$state/data"

# setsid: its own session, so stopping it never signals the test runner's process group.
setsid dotnet "$dll" --port "$port" --data "$state/data" --env-file "$state/oss-standin.env" \
  >"$state/oss-standin.log" 2>&1 </dev/null &
echo $! >"$state/oss-standin.pid"

# Ready when the stand-in wrote its parameters (it does so once listening) and answers HTTP
# (a 403 for this unsigned request is the expected answer).
for _ in $(seq 1 120); do
  if ! kill -0 "$(cat "$state/oss-standin.pid")" 2>/dev/null; then
    echo "oss-standin: exited during start-up; log tail:" >&2
    tail -n 40 "$state/oss-standin.log" >&2 || true
    exit 1
  fi
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/" || true)"
  if [[ -f "$state/oss-standin.env" && "$code" != "000" ]]; then
    cp "$state/oss-standin.env" "$services/oss-standin.env"
    echo "oss-standin: ready on 127.0.0.1:$port (state $state, env $services/oss-standin.env)"
    exit 0
  fi
  sleep 0.25
done

echo "oss-standin: not ready after 30 s; log tail:" >&2
tail -n 40 "$state/oss-standin.log" >&2 || true
"$here/stop.sh" || true
exit 1
