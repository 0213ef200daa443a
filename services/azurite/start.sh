#!/usr/bin/env bash
# Starts Azurite's blob service on 127.0.0.1 with fresh on-disk state, waits until it
# answers, and writes "$REGSTORE_SERVICES_DIR/azurite.env" with the azure driver's
# test parameters (REGSTORE_TEST_AZURE_*).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
tools="${REGSTORE_TOOLS_DIR:-$repo/.tools}/azurite"
services="${REGSTORE_SERVICES_DIR:-$repo/.services}"
state="$services/azurite"
port="${REGSTORE_AZURITE_PORT:-10917}"
bin="$tools/node_modules/.bin/azurite-blob"
# The emulator's documented, public development key (not a secret).
account=devstoreaccount1
key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

if [[ ! -x "$bin" ]]; then
  echo "azurite: not installed; run $here/install.sh first" >&2
  exit 1
fi

# A previous run that was not stopped would hold the port and the state folder.
"$here/stop.sh" >/dev/null 2>&1 || true
rm -rf "$state"
mkdir -p "$state/data"

# Something else on the port would answer the readiness probe and take our tests' data.
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "azurite: 127.0.0.1:$port is already in use; set REGSTORE_AZURITE_PORT to a free port" >&2
  exit 1
fi

# --skipApiVersionCheck: Azure.Storage.Blobs 12.30 sends a newer API version than Azurite knows.
# setsid: its own session, so stopping it never signals the test runner's process group.
setsid "$bin" --blobHost 127.0.0.1 --blobPort "$port" --location "$state/data" \
  --silent --skipApiVersionCheck --disableTelemetry \
  >"$state/azurite.log" 2>&1 </dev/null &
echo $! >"$state/azurite.pid"

# Ready when the account endpoint answers HTTP at all (403 without credentials is fine).
url="http://127.0.0.1:$port/$account?comp=list"
for _ in $(seq 1 120); do
  if ! kill -0 "$(cat "$state/azurite.pid")" 2>/dev/null; then
    echo "azurite: exited during start-up; log tail:" >&2
    tail -n 40 "$state/azurite.log" >&2 || true
    exit 1
  fi
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)"
  if [[ "$code" != "000" ]]; then
    {
      echo "REGSTORE_TEST_AZURE_ACCOUNTNAME=$account"
      echo "REGSTORE_TEST_AZURE_ACCOUNTKEY=$key"
      echo "REGSTORE_TEST_AZURE_CONTAINER=regstore-test"
      echo "REGSTORE_TEST_AZURE_SERVICEURL=http://127.0.0.1:$port/$account"
    } >"$services/azurite.env"
    echo "azurite: ready on 127.0.0.1:$port (state $state, env $services/azurite.env)"
    exit 0
  fi
  sleep 0.25
done

echo "azurite: not ready after 30 s; log tail:" >&2
tail -n 40 "$state/azurite.log" >&2 || true
"$here/stop.sh" || true
exit 1
