#!/usr/bin/env bash
# regstore gc against Go distribution 2.8.2's garbage-collect (Debian's docker-registry) on the same
# tree: BLOBS blobs (default 10 000) generated straight into distribution's layout — BLOBS/40
# repositories × 10 images, each an OCI manifest + config + two 1 KiB layers; half the images
# deleted as distribution deletes a manifest (revision link and tag gone, _layers links left), so
# half the blobs are garbage. Per backend, REPS repetitions (default 3), alternating the two
# collectors inside each: the dry run on the shared tree (`docker-registry garbage-collect
# --dry-run` vs `regstore gc --dry-run --grace 0`), then a real run of each on its own fresh copy.
# Every run must name exactly the generated garbage, and a real run leave exactly the other blobs
# (checked; the script fails otherwise). Times
# are whole-process wall clock from bash's $EPOCHREALTIME (start-up included); ours also reports
# its mark and sweep phases (--output json). Prints a Markdown table (medians, min–max) on stdout,
# progress on stderr.
# Usage: gc-vs-distribution.sh <published host folder> [backends: filesystem s3]
# Needs docker-registry (services/registry-clients), and for s3 the ceph service's REGSTORE_TEST_S3_*
# variables; the s3 trees are uploaded with `regstore migrate` (untimed) under fresh prefixes of the
# test bucket and deleted afterwards.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
arguments "$@"
blobs="${BLOBS:-10000}"
reps="${REPS:-3}"
work="$(mktemp -d /tmp/regstore-gc-bench.XXXXXX)"
cp -r "$host" "$work/host" # a long run: a publish meanwhile must not pull the files from under it
regstore="$work/host/regstore"
prefixes=() # s3 copies still to delete
keep=""     # set when a check failed: the outputs stay for a look
cleanup() {
  for p in "${prefixes[@]}"; do "$regstore" --config "$work/s3-$p.yml" rm -r /docker >/dev/null 2>&1 || true; done
  if [ -z "$keep" ]; then rm -rf "$work"; else rm -rf "$work"/tree "$work"/host "$work"/shared "$work"/go-* "$work"/ours-*; echo "outputs kept in $work" >&2; fi
}
trap cleanup EXIT

python3 - "$work/tree" "$blobs" "$work/garbage.txt" <<'PY'
import hashlib, json, os, sys
root, blobs, garbage_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
v2 = os.path.join(root, "docker", "registry", "v2")
def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
def blob(data):
    hex = hashlib.sha256(data).hexdigest()
    write(os.path.join(v2, "blobs", "sha256", hex[:2], hex, "data"), data)
    return hex
def link(path, hex):
    write(os.path.join(path, "link"), ("sha256:" + hex).encode())
garbage = []
repositories = max(1, -(-blobs // 40))
for r in range(repositories):
    name = f"bench/repo{r:04d}"
    repo = os.path.join(v2, "repositories", name)
    for i in range(10):
        layers = [blob(os.urandom(1024)) for _ in range(2)]
        config = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Labels": {"repo": name, "image": str(i)}},
                             "rootfs": {"type": "layers", "diff_ids": ["sha256:" + l for l in layers]}}).encode()
        config_hex = blob(config)
        manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "sha256:" + config_hex, "size": len(config)},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "sha256:" + l, "size": 1024} for l in layers]}).encode()
        manifest_hex = blob(manifest)
        for hex in [config_hex] + layers:
            link(os.path.join(repo, "_layers", "sha256", hex), hex)
        if i % 2 == 0:  # kept: a revision and a tag
            link(os.path.join(repo, "_manifests", "revisions", "sha256", manifest_hex), manifest_hex)
            link(os.path.join(repo, "_manifests", "tags", f"v{i}", "current"), manifest_hex)
            link(os.path.join(repo, "_manifests", "tags", f"v{i}", "index", "sha256", manifest_hex), manifest_hex)
        else:  # deleted: distribution removes the revision link and the tag, leaves the _layers links
            garbage += ["sha256:" + h for h in [manifest_hex, config_hex] + layers]
with open(garbage_file, "w") as f:
    f.write("\n".join(sorted(garbage)) + "\n")
print(f"generated {repositories} repositories, {repositories * 40} blobs, {len(garbage)} garbage", file=sys.stderr)
PY
files=$(find "$work/tree" -type f | wc -l)
generated=$(find "$work/tree/docker/registry/v2/blobs" -name data | wc -l)

# tree <backend> <name>: a fresh copy of the generated tree (untimed); sets root to what the configs take.
tree() {
  if [ "$1" = filesystem ]; then
    cp -a "$work/tree" "$work/$2"
    root="$work/$2"
  else
    root="/gc-bench-$$-$2"
    config ours filesystem "$work/tree" 0 >"$work/from.yml"
    config ours s3 "$root" 0 >"$work/s3-$2.yml"
    prefixes+=("$2")
    "$regstore" migrate --from "$work/from.yml" --to "$work/s3-$2.yml" --transfers 32 --checkers 32 --no-verify >"$work/migrate-$2.log" 2>&1 \
      || { echo "upload of $2 failed" >&2; tail -n 5 "$work/migrate-$2.log" >&2; exit 1; }
  fi
}

drop() { # <backend> <name>: delete a copy
  if [ "$1" = filesystem ]; then rm -rf "${work:?}/$2"; else "$regstore" --config "$work/s3-$2.yml" rm -r /docker >/dev/null 2>&1; fi
}

# run <server> <backend> <root> <dry|real> <output file>: one collection; prints its wall seconds.
run() {
  config "$1" "$2" "$3" 0 >"$work/$1.yml"
  local flags=() t0 t1
  [ "$4" = dry ] && flags=(--dry-run)
  t0=$EPOCHREALTIME
  if [ "$1" = go ]; then
    env -u AWS_CA_BUNDLE docker-registry garbage-collect "${flags[@]}" "$work/$1.yml" >"$5" 2>&1
  else
    "$regstore" --config "$work/$1.yml" -o json gc "${flags[@]}" --grace 0 >"$5" 2>&1
  fi
  t1=$EPOCHREALTIME
  echo "$t1 - $t0" | bc
}

named() { # <server> <output file>: the blobs the run named, sorted
  if [ "$1" = go ]; then sed -n 's/^blob eligible for deletion: //p' "$2"
  else grep -o '"type":"blob","digest":"[^"]*"' "$2" | sed 's/.*"digest":"//; s/"$//'; fi | sort
}

check() { # <server> <output file> <what>: the run named exactly the generated garbage
  if ! cmp -s <(named "$1" "$2") "$work/garbage.txt"; then
    echo "$3: $1 named $(named "$1" "$2" | wc -l) blobs, not the $(wc -l <"$work/garbage.txt") generated as garbage; output: $2" >&2
    tail -n 5 "$2" >&2
    keep=1
    exit 1
  fi
}

remaining() { # <backend> <root> <what>: after a real run, the blobs left are the generated ones less the garbage
  config ours "$1" "$2" 0 >"$work/left.yml"
  local left; left=$("$regstore" --config "$work/left.yml" walk /docker/registry/v2/blobs | grep -c '/data ' || true)
  if [ "$left" -ne $((generated - $(wc -l <"$work/garbage.txt"))) ]; then
    echo "$3: $left blobs left, not $((generated - $(wc -l <"$work/garbage.txt")))" >&2
    keep=1
    exit 1
  fi
}

phases() { # <output file>: ours' mark and sweep seconds and its phases from its JSON summary
  python3 -c 'import json,sys; s=[json.loads(l) for l in open(sys.argv[1]) if "\"summary\"" in l][-1]; print(s["markMs"]/1000, s["sweepMs"]/1000, json.dumps(s["phasesMs"]))' "$1"
}

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
started=$EPOCHREALTIME
declare -A results
for backend in "${backends[@]}"; do
  tree "$backend" shared
  shared="$root"
  for rep in $(seq 1 "$reps"); do
    for server in go ours; do
      out="$work/$backend-$server-dry-$rep.out"
      t=$(run "$server" "$backend" "$shared" dry "$out")
      check "$server" "$out" "$backend dry run $rep"
      results["$backend $server dry"]+="$t "
      extra=""
      if [ "$server" = ours ]; then read -r mark sweep detail < <(phases "$out"); results["$backend ours dry mark"]+="$mark "; extra=" (mark ${mark}s; ms $detail)"; fi
      echo "rep $rep $backend $server dry run: ${t}s$extra" >&2
    done
    for server in go ours; do
      tree "$backend" "$server-$rep"
      out="$work/$backend-$server-real-$rep.out"
      t=$(run "$server" "$backend" "$root" real "$out")
      check "$server" "$out" "$backend real run $rep"
      remaining "$backend" "$root" "$backend real run $rep of $server"
      results["$backend $server real"]+="$t "
      extra=""
      if [ "$server" = ours ]; then
        read -r mark sweep detail < <(phases "$out")
        results["$backend ours real mark"]+="$mark "
        results["$backend ours real sweep"]+="$sweep "
        extra=" (mark ${mark}s, sweep ${sweep}s; ms $detail)"
      fi
      echo "rep $rep $backend $server real run: ${t}s$extra" >&2
      drop "$backend" "$server-$rep"
    done
  done
  drop "$backend" shared
done

cell() { # <key>: median (min–max) of a series
  local values; values=$(echo ${results["$1"]} | tr ' ' '\n')
  printf '%.2f s (%.2f–%.2f)' "$(echo "$values" | median)" "$(echo "$values" | sort -n | head -n 1)" "$(echo "$values" | sort -n | tail -n 1)"
}
ratio() { echo "$(echo ${results["$1"]} | tr ' ' '\n' | median) / $(echo ${results["$2"]} | tr ' ' '\n' | median)" | bc -l; }

echo "Tree: $generated blobs ($(wc -l <"$work/garbage.txt") garbage), $files files; $reps repetitions, median (min–max), whole process."
echo "Filesystem: page cache warm (each tree written just before it is collected; no cache dropped). s3: Ceph RGW on this machine."
echo "Machine: $(nproc) cores; load average before / after: $load_before / $(cut -d' ' -f1-3 /proc/loadavg); $(printf '%.0f' "$(echo "($EPOCHREALTIME - $started) / 60" | bc -l)") min in all."
echo
echo "| backend | run | docker-registry 2.8.2 garbage-collect | regstore gc --grace 0 | of which mark / sweep | Go ÷ ours |"
echo "| --- | --- | --- | --- | --- | --- |"
for backend in "${backends[@]}"; do
  printf '| %s | dry run | %s | %s | mark %s | %.1f× |\n' "$backend" "$(cell "$backend go dry")" "$(cell "$backend ours dry")" \
    "$(cell "$backend ours dry mark")" "$(ratio "$backend go dry" "$backend ours dry")"
  printf '| %s | real run (fresh copy) | %s | %s | mark %s, sweep %s | %.1f× |\n' "$backend" "$(cell "$backend go real")" "$(cell "$backend ours real")" \
    "$(cell "$backend ours real mark")" "$(cell "$backend ours real sweep")" "$(ratio "$backend go real" "$backend ours real")"
done
