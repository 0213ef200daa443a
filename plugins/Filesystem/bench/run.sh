#!/usr/bin/env bash
# Alternates dd and the driver on the same disk, ROUNDS times, for one SIZE in MiB, so noise
# from other work on the machine hits both alike. Run as root (drop_caches). Usage:
#   plugins/Filesystem/bench/run.sh <folder> <size MiB> [rounds]
set -euo pipefail
dir=${1:?folder}; mib=${2:?size in MiB}; rounds=${3:-5}
here=$(cd "$(dirname "$0")" && pwd)
dotnet build -c Release "$here" >/dev/null
bench="$here/bin/Release/net10.0/Registry.Storage.Drivers.Filesystem.Bench.dll"
mkdir -p "$dir"
drop() { sync; echo 3 > /proc/sys/vm/drop_caches; }
for r in $(seq "$rounds"); do
  drop; /usr/bin/time -f "cpu %U user %S sys" dd if=/dev/zero of="$dir/dd.img" bs=1M count="$mib" conv=fsync 2>&1 | awk -v r="$r" '/copied|cpu/ {printf "%s", (/copied/ ? "round " r " dd write " $0 "; " : $0 "\n")}'
  drop; /usr/bin/time -f "cpu %U user %S sys" dd if="$dir/dd.img" of=/dev/null bs=1M 2>&1 | awk -v r="$r" '/copied|cpu/ {printf "%s", (/copied/ ? "round " r " dd read " $0 "; " : $0 "\n")}'
  rm -f "$dir/dd.img"
  drop; dotnet "$bench" "$dir" "${mib}MiB" both | sed "s/^/round $r driver /"
  rm -rf "$dir/bench"
done
