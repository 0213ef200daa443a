#!/usr/bin/env bash
# regstore serve against Go distribution 2.8.2 (Debian's docker-registry) on the same backend:
# skopeo pushes and pulls a 4-layer image (layers of LAYER_MIB MiB, incompressible), alternating
# the two servers, REPS repetitions, each push into a fresh storage root (so no blob is skipped or
# mounted) with an empty skopeo blob cache. Prints one Markdown row per backend × server × direction
# (median seconds, MiB/s) and the servers' peak RSS (VmHWM).
# Usage: serve-vs-distribution.sh <published host folder> [backends: filesystem s3]
# Needs skopeo and docker-registry (services/registry-clients), and for s3 the ceph service's
# REGSTORE_TEST_S3_* variables. Not part of the test command: run by hand, figures go to docs/benchmarks.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
arguments "$@"
layers="${LAYERS:-4}"
layer_mib="${LAYER_MIB:-256}"
reps="${REPS:-3}"
work="$(mktemp -d /tmp/regstore-serve-bench.XXXXXX)"
# Under set -e a failing kill (no job left to kill) would make the trap the script's exit status.
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
export HOME="$work/home" # skopeo's blob-info cache lives here: empty for every run below
mkdir -p "$HOME"

python3 - "$work/image" "$layers" "$layer_mib" <<'PY'
import hashlib, json, os, sys
root, layers, mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
blobs = os.path.join(root, "blobs", "sha256"); os.makedirs(blobs)
def put(data):
    d = hashlib.sha256(data).hexdigest()
    open(os.path.join(blobs, d), "wb").write(data)
    return {"digest": "sha256:" + d, "size": len(data)}
descs = [dict(put(os.urandom(mib << 20)), mediaType="application/vnd.oci.image.layer.v1.tar") for _ in range(layers)]
config = put(json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": [d["digest"] for d in descs]}}).encode())
manifest = put(json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": dict(config, mediaType="application/vnd.oci.image.config.v1+json"), "layers": descs}).encode())
json.dump({"imageLayoutVersion": "1.0.0"}, open(os.path.join(root, "oci-layout"), "w"))
json.dump({"schemaVersion": 2, "manifests": [dict(manifest, mediaType="application/vnd.oci.image.manifest.v1+json",
    annotations={"org.opencontainers.image.ref.name": "v1"})]}, open(os.path.join(root, "index.json"), "w"))
PY
total_mib=$((layers * layer_mib))

start() { # <server> <config> <port>
  if [ "$1" = go ]; then env -u AWS_CA_BUNDLE docker-registry serve "$2" >"$work/$1.log" 2>&1 &
  else "$host/regstore" serve "$2" >"$work/$1.log" 2>&1 & fi
  local pid=$!
  for _ in $(seq 1 200); do curl -fs -o /dev/null "http://127.0.0.1:$3/v2/" && { echo "$pid"; return; }; sleep 0.1; done
  echo "server $1 did not start" >&2; cat "$work/$1.log" >&2; exit 1
}

# seconds <command>: its wall time; the client's own user + system CPU seconds go to $work/client.cpu.
seconds() { local t0 t1; t0=$(date +%s.%N); /usr/bin/time -f "%U + %S" -o "$work/client.cpu" "$@" >/dev/null 2>&1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
client_cpu() { bc < "$work/client.cpu"; }

# cpu <pid>: user + system CPU seconds the process has used so far.
ticks=$(getconf CLK_TCK)
cpu() { awk -v t="$ticks" '{ print ($14 + $15) / t }' "/proc/$1/stat"; }

declare -A results rss cpus clients
alone=()
alone_cpu=()
for backend in "${backends[@]}"; do
  for rep in $(seq 1 "$reps"); do
    for server in go ours; do
      port=$([ "$server" = go ] && echo 26001 || echo 26002)
      root="/bench-$backend-$server-$rep-$$"
      [ "$backend" = filesystem ] && root="$work/fs$root"
      config "$server" "$backend" "$root" "$port" >"$work/$server.yml"
      pid="$(start "$server" "$work/$server.yml" "$port")"
      c0=$(cpu "$pid")
      push=$(seconds skopeo copy --dest-tls-verify=false "oci:$work/image:v1" "docker://127.0.0.1:$port/bench/image:v1")
      c1=$(cpu "$pid")
      clients["$backend $server push"]+="$(client_cpu) "
      rm -rf "$work/out"
      pull=$(seconds skopeo copy --src-tls-verify=false "docker://127.0.0.1:$port/bench/image:v1" "oci:$work/out:v1")
      c2=$(cpu "$pid")
      clients["$backend $server pull"]+="$(client_cpu) "
      hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
      cpus["$backend $server push"]+="$(echo "$c1 - $c0" | bc) "
      cpus["$backend $server pull"]+="$(echo "$c2 - $c1" | bc) "
      kill "$pid"; wait "$pid" 2>/dev/null || true
      results["$backend $server push"]+="$push "
      results["$backend $server pull"]+="$pull "
      rss["$backend $server"]+="$hwm "
      echo "rep $rep $backend $server: push ${push}s pull ${pull}s peak RSS $((hwm / 1024)) MiB" >&2
      if [ "$backend" = filesystem ]; then rm -rf "$root"; else "$host/regstore" --config "$work/$server.yml" rm -r /docker >/dev/null 2>&1 || true; fi
    done
    if [ "${CLIENT_ALONE:-0}" = 1 ]; then
      rm -rf "$work/out"
      alone+=("$(seconds skopeo copy "oci:$work/image:v1" "oci:$work/out:v1")")
      alone_cpu+=("$(client_cpu)")
      echo "rep $rep $backend skopeo alone (oci → oci): ${alone[-1]}s" >&2
    fi
  done
done

echo "| backend | direction | docker-registry 2.8.2 | regstore serve | ours ÷ Go (throughput) | server CPU s, Go / ours | skopeo CPU s, with Go / with ours |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for backend in "${backends[@]}"; do
  for direction in push pull; do
    go=$(echo ${results["$backend go $direction"]} | tr ' ' '\n' | median)
    ours=$(echo ${results["$backend ours $direction"]} | tr ' ' '\n' | median)
    go_cpu=$(echo ${cpus["$backend go $direction"]} | tr ' ' '\n' | median)
    our_cpu=$(echo ${cpus["$backend ours $direction"]} | tr ' ' '\n' | median)
    go_client=$(echo ${clients["$backend go $direction"]} | tr ' ' '\n' | median)
    our_client=$(echo ${clients["$backend ours $direction"]} | tr ' ' '\n' | median)
    printf '| %s | %s | %.2f s (%.0f MiB/s) | %.2f s (%.0f MiB/s) | %.2f× | %.2f / %.2f | %.2f / %.2f |\n' "$backend" "$direction" "$go" "$(echo "$total_mib / $go" | bc -l)" "$ours" "$(echo "$total_mib / $ours" | bc -l)" "$(echo "$go / $ours" | bc -l)" "$go_cpu" "$our_cpu" "$go_client" "$our_client"
  done
  go_rss=$(echo ${rss["$backend go"]} | tr ' ' '\n' | sort -n | tail -n 1)
  our_rss=$(echo ${rss["$backend ours"]} | tr ' ' '\n' | sort -n | tail -n 1)
  echo "| $backend | peak RSS | $((go_rss / 1024)) MiB | $((our_rss / 1024)) MiB | | | |"
done
if [ "${#alone[@]}" -gt 0 ]; then
  floor=$(printf '%s\n' "${alone[@]}" | median)
  floor_cpu=$(printf '%s\n' "${alone_cpu[@]}" | median)
  printf '| (none) | skopeo alone, oci → oci | %.2f s (%.0f MiB/s): the floor under any server | | | | %.2f |\n' "$floor" "$(echo "$total_mib / $floor" | bc -l)" "$floor_cpu"
fi
