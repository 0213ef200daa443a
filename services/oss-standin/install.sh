#!/usr/bin/env bash
# Builds the OSS stand-in (plugins/Oss/standin) for the oss driver's tests: no OSS server can
# run here, so this local server speaks the subset of OSS's REST protocol the driver uses and
# verifies every request's signature. Publishes into "${REGSTORE_TOOLS_DIR:-<repo>/.tools}/oss-standin"
# (git-ignored). Idempotent: publishing again only rebuilds what changed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
tools="${REGSTORE_TOOLS_DIR:-$repo/.tools}/oss-standin"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "oss-standin: the .NET SDK (dotnet) is required to build the stand-in" >&2
  exit 1
fi

mkdir -p "$tools"
dotnet publish "$repo/plugins/Oss/standin/Registry.Storage.Oss.StandIn.csproj" -c Release -o "$tools" --nologo -v quiet
echo "oss-standin: installed at $tools"
