#!/usr/bin/env bash
# The one entry point: ./build.sh [target] [--option=value ...]
#   ./build.sh            build everything
#   ./build.sh run        publish and run the host on its default (filesystem under ./data)
#   ./build.sh test       install and start every test server, run all tests, stop the servers
#   ./build.sh bench      benchmarks (--quick for a smoke run)
# Targets are in build.cake (Cake, pinned in dotnet-tools.json).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

args=()
if [ $# -gt 0 ] && [[ "$1" != -* ]]; then
  args+=("--target=$1")
  shift
fi
dotnet tool restore >/dev/null
summary=artifacts/test-results/summary.txt
rm -f "$summary"
status=0
dotnet cake build.cake "${args[@]}" "$@" || status=$?
# Cake prints its task report last; the test summary must be the closing line.
if [ -f "$summary" ]; then
  cat "$summary"
fi
exit "$status"
