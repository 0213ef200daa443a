#!/usr/bin/env bash
# Nothing runs in the background: the tests start docker-registry and the server themselves on
# 127.0.0.1 with free ports. This only checks that the binaries are there.
set -euo pipefail

for binary in skopeo docker-registry; do
  if ! command -v "$binary" >/dev/null 2>&1; then
    echo "registry-clients: $binary is missing; run $(dirname "${BASH_SOURCE[0]}")/install.sh" >&2
    exit 1
  fi
done
echo "registry-clients: $(skopeo --version); docker-registry $(docker-registry --version 2>&1 | head -n1)"
