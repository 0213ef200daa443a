#!/usr/bin/env bash
# The swift driver against `rclone copyto` (Debian's rclone) on the same cluster in the same
# run: 1 GiB stream write and read, 1 KiB object operations, a walk of 10 000 objects, and
# each side's peak memory (/usr/bin/time's max RSS). Needs services/swift running and its
# swift.env sourced. Figures go to docs/benchmarks/swift.md by hand; this prints them.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
: "${REGSTORE_TEST_SWIFT_AUTHURL:?source .services/swift.env first}"
WORK="${REGSTORE_BENCH_DIR:-/var/tmp/regstore-swift-bench}"
ROUNDS="${ROUNDS:-2}"
mkdir -p "$WORK"

: >"$WORK/rclone.conf" # empty: the remote comes from the variables below
export RCLONE_CONFIG="$WORK/rclone.conf"
export RCLONE_CONFIG_SW_TYPE=swift
export RCLONE_CONFIG_SW_USER="$REGSTORE_TEST_SWIFT_USERNAME"
export RCLONE_CONFIG_SW_KEY="$REGSTORE_TEST_SWIFT_PASSWORD"
export RCLONE_CONFIG_SW_AUTH="$REGSTORE_TEST_SWIFT_AUTHURL"
REMOTE="sw:$REGSTORE_TEST_SWIFT_CONTAINER/regstore-bench-rclone"

dotnet build -c Release -v q "$REPO/plugins/Swift/bench" >/dev/null
DRIVER=(dotnet "$REPO/plugins/Swift/bench/bin/Release/net10.0/Registry.Storage.Drivers.Swift.Bench.dll")

# Wall time and peak RSS of one command.
timed() {
  local label="$1"
  shift
  /usr/bin/time -f "$label: %e s wall, max RSS %M KB" "$@"
}

[ -s "$WORK/large" ] || head -c 1073741824 /dev/urandom >"$WORK/large"
cat "$WORK/large" >/dev/null # page cache: both sides read the source from memory

echo "== machine: $(nproc) cores, $(awk '/MemTotal/{print $2/1024/1024 " GiB"}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
for ((round = 1; round <= ROUNDS; round++)); do
  echo "== round $round: 1 GiB"
  timed "driver write" "${DRIVER[@]}" write "$WORK/large"
  timed "driver write uploadconcurrency=2" env REGSTORE_TEST_SWIFT_UPLOADCONCURRENCY=2 "${DRIVER[@]}" write "$WORK/large"
  timed "rclone copyto up" rclone copyto --ignore-times "$WORK/large" "$REMOTE/large"
  timed "driver read" "${DRIVER[@]}" read
  timed "rclone copyto down" rclone copyto "$REMOTE/large" "$WORK/back"
  rm -f "$WORK/back"
  timed "rclone cat >/dev/null" sh -c "rclone cat '$REMOTE/large' >/dev/null"
done

echo "== small objects: 1000 x 1 KiB"
mkdir -p "$WORK/small"
for i in $(seq 0 999); do head -c 1024 /dev/urandom >"$WORK/small/$i"; done
timed "driver small sequential" "${DRIVER[@]}" small 1000 1
timed "driver small 16 parallel" "${DRIVER[@]}" small 1000 16
timed "rclone copy up --transfers 16" rclone copy --transfers 16 "$WORK/small" "$REMOTE/small"
rm -rf "$WORK/small-back"
timed "rclone copy down --transfers 16" rclone copy --transfers 16 "$REMOTE/small" "$WORK/small-back"

echo "== walk of 10 000 objects"
timed "driver populate" "${DRIVER[@]}" populate 10000
timed "driver walk" "${DRIVER[@]}" walk
timed "rclone lsf -R" sh -c "rclone lsf -R 'sw:$REGSTORE_TEST_SWIFT_CONTAINER/regstore-bench/files/walk' | wc -l"

echo "== clean"
timed "driver clean (bulk delete)" "${DRIVER[@]}" clean
timed "rclone purge" rclone purge "$REMOTE"
rm -rf "$WORK/small" "$WORK/small-back"
