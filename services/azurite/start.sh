#!/usr/bin/env bash
# Starts Azurite's blob service on 127.0.0.1 with fresh on-disk state, waits until it
# answers, and writes "$REGSTORE_SERVICES_DIR/azurite.env" with the azure driver's
# test parameters (REGSTORE_TEST_AZURE_*).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/daemon.sh"
# The emulator's documented, public development key (not a secret).
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

azurite_launch
if ! azurite_wait_ready; then
  "$here/stop.sh" || true
  exit 1
fi
{
  echo "REGSTORE_TEST_AZURE_ACCOUNTNAME=$account"
  echo "REGSTORE_TEST_AZURE_ACCOUNTKEY=$key"
  echo "REGSTORE_TEST_AZURE_CONTAINER=regstore-test"
  echo "REGSTORE_TEST_AZURE_SERVICEURL=http://127.0.0.1:$port/$account"
} >"$services/azurite.env"
echo "azurite: ready on 127.0.0.1:$port (state $state, env $services/azurite.env)"
