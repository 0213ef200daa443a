#!/usr/bin/env bash
# The migrate proof (issue 9): `regstore migrate` of a ~2 GiB registry tree (thousands of small
# files, a few blobs of 200-500 MiB) from the filesystem driver to s3 (the real Ceph RGW) and
# back, interrupted twice (SIGINT, then SIGKILL) and resumed, verified at every step; the
# throughput of each leg is printed from regstore's own summaries.
#
# Usage: tests/e2e/migrate-roundtrip.sh [HOST_DIR]
#   HOST_DIR  the published host (default artifacts/regstore: ./build.sh publish)
# Needs the s3 service's environment (services/ceph/start.sh, then source .services/ceph.env):
# REGSTORE_TEST_S3_{BUCKET,REGIONENDPOINT,ACCESSKEY,SECRETKEY} and optionally REGION,
# FORCEPATHSTYLE, SECURE. Needs python3, openssl, curl (for the multipart-upload listing,
# which no driver operation shows). Network: only the S3 endpoint (127.0.0.1).
# Tree size: REGSTORE_E2E_MIGRATE_SMALL (small layer blobs, default 1000) and
# REGSTORE_E2E_MIGRATE_LARGE_MIB (large blob sizes, default 250,350,450,500).
# Ends with "N passed, N failed". REGSTORE_E2E_KEEP=1 keeps the temp folder and the s3 prefix.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
host="$(cd "${1:-$repo/artifacts/regstore}" && pwd)"
small="${REGSTORE_E2E_MIGRATE_SMALL:-1000}"
large="${REGSTORE_E2E_MIGRATE_LARGE_MIB:-250,350,450,500}"
transfers=8
checkers=16
started_at=$SECONDS

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "e2e PASS: $1"; }
fail() { failed=$((failed + 1)); echo "e2e FAIL: $1"; if [ -n "${2:-}" ] && [ -f "$2" ]; then tail -n 30 "$2" | sed 's/^/    | /'; fi; }
finish() { echo "e2e: migrate round trip took $((SECONDS - started_at)) s"; echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; }

# ------------------------------------------------------------------ 0. what the run needs
missing=""
for name in BUCKET REGIONENDPOINT ACCESSKEY SECRETKEY; do
  var="REGSTORE_TEST_S3_$name"
  if [ -z "${!var:-}" ]; then missing="$missing $var"; fi
done
for tool in python3 openssl curl diff; do
  if ! command -v "$tool" >/dev/null; then missing="$missing $tool"; fi
done
if [ -n "$missing" ]; then
  fail "the s3 service environment and tools are there (missing:$missing; start services/ceph and source .services/ceph.env)"
  finish
  exit 1
fi
if [ ! -x "$host/regstore" ] || [ ! -d "$host/plugins/s3" ] || [ ! -d "$host/plugins/filesystem" ]; then
  fail "the published host with the s3 and filesystem plugins is at $host (./build.sh publish)"
  finish
  exit 1
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/regstore-migrate-e2e.XXXXXX")"
log="$work/logs"
mkdir -p "$log"
endpoint="${REGSTORE_TEST_S3_REGIONENDPOINT%/}"
bucket="$REGSTORE_TEST_S3_BUCKET"
prefix="regstore-e2e-migrate-$(date -u +%Y%m%d%H%M%S)-$$-$RANDOM"
tree=/docker/registry/v2
bgpid=""
reached=0

# S3 calls the drivers have no operation for (multipart uploads in progress), signed by curl.
# The credentials go through stdin, never the command line.
s3curl() {
  printf 'user = "%s:%s"\n' "$REGSTORE_TEST_S3_ACCESSKEY" "$REGSTORE_TEST_S3_SECRETKEY" \
    | curl -sS --fail-with-body -K - --aws-sigv4 "aws:amz:${REGSTORE_TEST_S3_REGION:-us-east-1}:s3" -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "$@"
}

# Prints "key<TAB>uploadId" for every multipart upload in progress under our prefix.
uploads_in_progress() {
  s3curl "$endpoint/$bucket?prefix=$prefix%2F&uploads=" | python3 -c '
import sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.read())
ns = {"s3": root.tag.split("}")[0].strip("{")} if root.tag.startswith("{") else {}
q = (lambda t: "s3:" + t) if ns else (lambda t: t)
for u in root.findall(q("Upload"), ns):
    print(u.find(q("Key"), ns).text + "\t" + u.find(q("UploadId"), ns).text)'
}

cleanup() {
  if [ -n "$bgpid" ]; then kill -KILL "$bgpid" 2>/dev/null || true; wait "$bgpid" 2>/dev/null || true; fi
  if [ "${REGSTORE_E2E_KEEP:-0}" = 1 ]; then
    echo "e2e: kept $work and s3://$bucket/$prefix"
    return
  fi
  if [ -d "$work" ]; then
    # An early exit: remove what it left on s3 (the normal path removes and checks it itself).
    "$host/regstore" --config "$work/s3.yaml" rm -r "$tree" >/dev/null 2>&1 || true
    abort_uploads >/dev/null 2>&1 || true
    rm -rf "$work"
  fi
}
trap cleanup EXIT

abort_uploads() {
  local key id
  uploads_in_progress | while IFS=$'\t' read -r key id; do
    s3curl -X DELETE "$endpoint/$bucket/$key?uploadId=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$id")" >/dev/null
  done
}

regstore() { "$host/regstore" "$@"; }

# The last JSON summary line of a regstore --output json run, as one field (python expression on s).
summary() {
  python3 - "$1" "$2" <<'PY'
import json, sys
s = None
for line in open(sys.argv[1]):
    line = line.strip()
    if line.startswith("{") and '"type":"summary"' in line:
        s = json.loads(line)
print("" if s is None else eval(sys.argv[2], {}, {"s": s}))
PY
}

# The bytes streamed so far, from the run's last progress (or summary) line.
transferred() { { grep -so '"bytesTransferred":[0-9]*' "$1" || true; } | tail -n 1 | cut -d: -f2; }

# migrate_in_background <log> <args...>: starts regstore with SIGINT at its default, as in a
# terminal where Ctrl-C reaches it: a background job of a non-interactive shell (or a script
# started in the background) would inherit SIGINT ignored, and .NET leaves an ignored signal
# ignored. exec keeps the pid, so $bgpid is the regstore process itself.
migrate_in_background() {
  local out="$1"
  shift
  python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])' \
    "$host/regstore" --output json migrate "$@" >"$out" 2>"$out.err" &
  bgpid=$!
}

# wait_for_bytes <log> <bytes>: polls the progress lines (one a second) until the run has
# streamed <bytes> (left in $reached); fails when the run ends first or after 10 minutes.
wait_for_bytes() {
  local out="$1" want="$2" deadline=$((SECONDS + 600))
  while [ "$SECONDS" -lt "$deadline" ]; do
    reached="$(transferred "$out")"
    # a summary line means the run ended (kill -0 alone would also succeed on the zombie)
    if grep -sq '"type":"summary"' "$out" || ! kill -0 "$bgpid" 2>/dev/null; then return 1; fi
    if [ "${reached:-0}" -ge "$want" ]; then return 0; fi
    sleep 0.2
  done
  return 1
}

# check_visible <name>: lists the s3 tree and compares every file with the source: a file that is
# there must have its full size (nothing partial is ever visible); prints the number present.
check_visible() {
  local name="$1"
  regstore --config "$work/s3.yaml" --output json walk "$tree" >"$log/walk-$name.jsonl" 2>"$log/walk-$name.err" || true
  python3 - "$work/expected.tsv" "$log/walk-$name.jsonl" <<'PY'
import json, sys
expected = {p: int(size) for p, size, _ in (l.rstrip("\n").split("\t") for l in open(sys.argv[1]))}
present = bad = 0
for line in open(sys.argv[2]):
    e = json.loads(line)
    if e.get("isDirectory"):
        continue
    present += 1
    if expected.get(e["path"]) != e["size"]:
        bad += 1
        print(f"partial or unexpected: {e['path']} has {e['size']} bytes, the source {expected.get(e['path'])}", file=sys.stderr)
print(present if bad == 0 else -1)
PY
}

mib() { python3 -c 'import sys; print(f"{int(sys.argv[1]) / 1048576:.1f}")' "$1"; }

# ------------------------------------------------------------------ 1. the source tree
# Distribution's layout with real digests: small layer blobs, a config and a manifest blob per
# image, the repositories' _layers and _manifests links, and a few large layers. Content comes
# from one AES-CTR keystream (fast, deterministic, distinct per file).
cat >"$work/gen.py" <<'PY'
import hashlib, json, os, random, subprocess, sys

root, small_count, large_mib, listing = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
repos, images = 30, 5
rng = random.Random(20261128)
v2 = os.path.join(root, "docker/registry/v2")
stream = subprocess.Popen(["openssl", "enc", "-aes-128-ctr", "-nosalt", "-K", "72656773746f72652d6d696772617465", "-iv", "0" * 32],
                          stdin=open("/dev/zero", "rb"), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
out = open(listing, "w")

def record(path, size, digest):
    out.write(f"/{os.path.relpath(path, root)}\t{size}\t{digest}\n")

def read(n):
    parts = []
    while n:
        b = stream.read(min(n, 8 << 20))
        parts.append(b)
        n -= len(b)
    return b"".join(parts)

def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    record(path, len(data), hashlib.sha256(data).hexdigest())

def blob(data):
    digest = hashlib.sha256(data).hexdigest()
    write(os.path.join(v2, "blobs/sha256", digest[:2], digest, "data"), data)
    return digest

def large_blob(size):
    h, tmp, left = hashlib.sha256(), os.path.join(root, "large.tmp"), size
    with open(tmp, "wb") as f:
        while left:
            chunk = read(min(left, 8 << 20))
            h.update(chunk)
            f.write(chunk)
            left -= len(chunk)
    digest = h.hexdigest()
    final = os.path.join(v2, "blobs/sha256", digest[:2], digest, "data")
    os.makedirs(os.path.dirname(final))
    os.rename(tmp, final)
    record(final, size, digest)
    return digest

sizes = {}
layers = []
for _ in range(small_count):
    data = read(rng.randint(2 << 10, 1000 << 10))
    layers.append(blob(data))
    sizes[layers[-1]] = len(data)
large = []
for mib in large_mib.split(","):
    large.append(large_blob(int(mib) << 20))
    sizes[large[-1]] = int(mib) << 20

def link(path, digest):
    write(os.path.join(v2, "repositories", path), ("sha256:" + digest).encode())

for r in range(repos):
    repo = f"team{r % 5}/app{r:02d}"
    for i in range(images):
        n = r * images + i
        chosen = layers[n::repos * images] + ([large[n]] if n < len(large) else [])
        config = json.dumps({"architecture": "amd64", "os": "linux", "repo": repo, "image": i,
                             "rootfs": {"type": "layers", "diff_ids": ["sha256:" + d for d in chosen]}}, indent=2).encode()
        config_digest = blob(config)
        manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                               "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "sha256:" + config_digest, "size": len(config)},
                               "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "sha256:" + d, "size": sizes[d]} for d in chosen]},
                              indent=2).encode()
        manifest_digest = blob(manifest)
        for d in chosen + [config_digest]:
            link(f"{repo}/_layers/sha256/{d}/link", d)
        link(f"{repo}/_manifests/revisions/sha256/{manifest_digest}/link", manifest_digest)
        link(f"{repo}/_manifests/tags/v{i}.0/current/link", manifest_digest)
        link(f"{repo}/_manifests/tags/v{i}.0/index/sha256/{manifest_digest}/link", manifest_digest)
out.close()
PY
if ! python3 "$work/gen.py" "$work/src" "$small" "$large" "$work/expected.tsv" >"$log/generate.txt" 2>&1; then
  fail "generate the source tree" "$log/generate.txt"
  finish
  exit 1
fi
phases="generate $((SECONDS - started_at)) s"
mark=$SECONDS
phase() { phases="$phases, $1 $((SECONDS - mark)) s"; mark=$SECONDS; }
files="$(wc -l <"$work/expected.tsv")"
bytes="$(awk -F'\t' '{ s += $2 } END { printf "%d", s }' "$work/expected.tsv")"
echo "e2e: source tree: $files files, $bytes bytes ($(mib "$bytes") MiB)"

printf 'storage:\n  filesystem:\n    rootdirectory: %s\n' "$work/src" >"$work/src.yaml"
printf 'storage:\n  filesystem:\n    rootdirectory: %s\n' "$work/back" >"$work/back.yaml"
(
  umask 077 # the file holds the secret key
  {
    printf 'storage:\n  s3:\n'
    printf '    %s: "%s"\n' bucket "$bucket" regionendpoint "$endpoint" region "${REGSTORE_TEST_S3_REGION:-us-east-1}" \
      accesskey "$REGSTORE_TEST_S3_ACCESSKEY" secretkey "$REGSTORE_TEST_S3_SECRETKEY" rootdirectory "/$prefix"
    if [ -n "${REGSTORE_TEST_S3_FORCEPATHSTYLE:-}" ]; then printf '    forcepathstyle: %s\n' "$REGSTORE_TEST_S3_FORCEPATHSTYLE"; fi
    if [ -n "${REGSTORE_TEST_S3_SECURE:-}" ]; then printf '    secure: %s\n' "$REGSTORE_TEST_S3_SECURE"; fi
  } >"$work/s3.yaml"
)
echo "e2e: s3 destination: s3://$bucket/$prefix"

# ------------------------------------------------------------------ 2. fs -> s3, interrupted by SIGINT
migrate_in_background "$log/run1.jsonl" --from "$work/src.yaml" --to "$work/s3.yaml" --transfers "$transfers" --checkers "$checkers"
want=$((bytes * 30 / 100))
if wait_for_bytes "$log/run1.jsonl" "$want"; then
  kill -INT "$bgpid"
  signalled=$SECONDS
  status=0
  wait "$bgpid" || status=$?
  bgpid=""
  pass "run 1 (fs -> s3) got SIGINT after streaming $(mib "$reached") MiB (30% of the tree)"
  if [ "$status" -eq 1 ] && [ "$(summary "$log/run1.jsonl" 's["interrupted"] and s["exitCode"] == 1')" = True ]; then
    pass "the interrupted run exits 1 (retryable) within $((SECONDS - signalled)) s with a summary marked interrupted"
  else
    fail "the interrupted run exits 1 (retryable) with a summary marked interrupted (exit $status)" "$log/run1.jsonl.err"
  fi
else
  status=0
  wait "$bgpid" || status=$?
  bgpid=""
  fail "run 1 (fs -> s3) reached 30% of the tree while running (it ended with exit $status first)" "$log/run1.jsonl.err"
fi

present1="$(check_visible after-sigint 2>"$log/visible-after-sigint.txt")"
if [ "$present1" -gt 0 ] && [ "$present1" -lt "$files" ]; then
  pass "after SIGINT, s3 shows $present1 of $files files, each complete: nothing partial is visible"
else
  fail "after SIGINT, s3 shows some but not all files, each complete (listed: $present1)" "$log/visible-after-sigint.txt"
fi

# The large blobs are the ones a 30% interrupt catches mid-stream: each is absent or whole.
large_state=""
large_ok=1
while IFS=$'\t' read -r path size _; do
  if regstore --config "$work/s3.yaml" --output json stat "$path" >"$log/stat.json" 2>"$log/stat.err"; then
    got="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["size"])' "$log/stat.json")"
    if [ "$got" = "$size" ]; then large_state="$large_state whole"; else large_state="$large_state PARTIAL($got/$size)"; large_ok=0; fi
  elif grep -q "not found" "$log/stat.err"; then
    large_state="$large_state absent"
  else
    large_state="$large_state error"
    large_ok=0
  fi
done < <(awk -F'\t' '$2 >= 104857600' "$work/expected.tsv")
if [ "$large_ok" = 1 ]; then
  pass "after SIGINT, regstore stat of each large blob: absent or whole ($large_state )"
else
  fail "after SIGINT, regstore stat of each large blob: absent or whole ($large_state )" "$log/stat.err"
fi

if uploads_in_progress >"$log/uploads-after-sigint.txt" 2>&1 && [ ! -s "$log/uploads-after-sigint.txt" ]; then
  pass "after SIGINT, no multipart upload is left in progress under the prefix (in-flight transfers were aborted)"
else
  fail "after SIGINT, no multipart upload is left in progress under the prefix" "$log/uploads-after-sigint.txt"
fi

# ------------------------------------------------------------------ 3. resumed, then killed (SIGKILL)
migrate_in_background "$log/run2.jsonl" --from "$work/src.yaml" --to "$work/s3.yaml" --transfers "$transfers" --checkers "$checkers"
want=$((bytes * 25 / 100))
if wait_for_bytes "$log/run2.jsonl" "$want"; then
  kill -KILL "$bgpid"
  wait "$bgpid" 2>/dev/null || true
  bgpid=""
  pass "run 2 (the resume) was killed with SIGKILL after streaming $(mib "$reached") MiB more (25% of the tree)"
else
  wait "$bgpid" 2>/dev/null || true
  bgpid=""
  fail "run 2 (the resume) streamed 25% of the tree more before SIGKILL" "$log/run2.jsonl.err"
fi
present2="$(check_visible after-sigkill 2>"$log/visible-after-sigkill.txt")"
if [ "$present2" -gt "$present1" ] && [ "$present2" -lt "$files" ]; then
  pass "after SIGKILL, s3 shows $present2 of $files files (more than after SIGINT), each complete: nothing partial is visible"
else
  fail "after SIGKILL, s3 shows more files than after SIGINT but not all, each complete (listed: $present2)" "$log/visible-after-sigkill.txt"
fi
orphans="$( (uploads_in_progress || true) | wc -l)"
echo "e2e: SIGKILL left $orphans multipart upload(s) in progress (invisible to readers; aborted at the end)"

phase "fs -> s3 interrupted twice, with checks"

# ------------------------------------------------------------------ 4. resumed to the end
status=0
regstore --output json migrate --from "$work/src.yaml" --to "$work/s3.yaml" --transfers "$transfers" --checkers "$checkers" \
  >"$log/run3.jsonl" 2>"$log/run3.err" || status=$?
if [ "$status" -eq 0 ] && [ "$(summary "$log/run3.jsonl" "s['files'].get('skipped', 0) == $present2 and s['files'].get('copied', 0) == $files - $present2 and len(s['files']) <= 2 and not s['interrupted']")" = True ]; then
  pass "run 3 completes (exit 0): skips the $present2 files already there, copies the other $((files - present2)), no failures"
else
  fail "run 3 completes, skipping the $present2 files already there and copying the rest (exit $status: $(summary "$log/run3.jsonl" 's["files"]'))" "$log/run3.jsonl"
fi

phase "fs -> s3 resumed to the end"
status=0
regstore --output json check --from "$work/src.yaml" --to "$work/s3.yaml" --checkers "$checkers" >"$log/check.jsonl" 2>"$log/check.err" || status=$?
if [ "$status" -eq 0 ] && [ "$(summary "$log/check.jsonl" "s['files'] == {'equal': $files}")" = True ]; then
  pass "regstore check fs vs s3: $files equal, nothing missing, differing or extra (exit 0)"
else
  fail "regstore check fs vs s3 reports all $files equal (exit $status: $(summary "$log/check.jsonl" 's["files"]'))" "$log/check.jsonl"
fi

phase "check"

# ------------------------------------------------------------------ 5. s3 -> a second filesystem tree
status=0
regstore --output json migrate --from "$work/s3.yaml" --to "$work/back.yaml" --transfers "$transfers" --checkers "$checkers" \
  >"$log/back.jsonl" 2>"$log/back.err" || status=$?
if [ "$status" -eq 0 ] && [ "$(summary "$log/back.jsonl" "s['files'] == {'copied': $files} and s['bytesTransferred'] == $bytes")" = True ]; then
  pass "migrate s3 -> filesystem copies all $files files ($bytes bytes), exit 0"
else
  fail "migrate s3 -> filesystem copies all $files files (exit $status: $(summary "$log/back.jsonl" 's["files"]'))" "$log/back.jsonl"
fi

phase "s3 -> fs"
if diff -r "$work/src/docker" "$work/back/docker" >"$log/diff.txt" 2>&1; then
  pass "diff -r: the tree that came back from s3 is identical to the source ($(find "$work/back/docker" -type f | wc -l) files)"
else
  fail "diff -r: the tree that came back from s3 is identical to the source" "$log/diff.txt"
fi

phase "diff -r"

# ------------------------------------------------------------------ 6. throughput, from regstore's summaries
python3 - "$log" <<'PY'
import json, sys
def last(path, kind):
    found = None
    for line in open(path):
        if line.startswith("{") and f'"type":"{kind}"' in line:
            found = json.loads(line)
    return found or {"bytesTransferred": 0, "elapsedSeconds": 0}
log = sys.argv[1]
runs = [last(f"{log}/run1.jsonl", "summary"), last(f"{log}/run2.jsonl", "progress"), last(f"{log}/run3.jsonl", "summary")]
b, s = sum(r["bytesTransferred"] for r in runs), sum(r["elapsedSeconds"] for r in runs)
parts = ", ".join(f'{r["bytesTransferred"] / 1048576:.0f} MiB in {r["elapsedSeconds"]:.1f} s' for r in runs)
print(f"e2e: throughput fs -> s3: {b / 1048576:.0f} MiB in {s:.1f} s over 3 runs = {b / 1048576 / s:.1f} MiB/s ({parts}; incl. read-back verification)")
back = last(f"{log}/back.jsonl", "summary")
print(f"e2e: throughput s3 -> fs: {back['bytesTransferred'] / 1048576:.0f} MiB in {back['elapsedSeconds']:.1f} s = {back['bytesTransferred'] / 1048576 / back['elapsedSeconds']:.1f} MiB/s (incl. read-back verification)")
PY
echo "e2e: load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"

# ------------------------------------------------------------------ 7. clean up the s3 prefix
if [ "${REGSTORE_E2E_KEEP:-0}" != 1 ]; then
  regstore --config "$work/s3.yaml" rm -r "$tree" >"$log/rm.txt" 2>&1 || true
  abort_uploads >>"$log/rm.txt" 2>&1 || true
  left="$(check_visible after-rm 2>/dev/null)"
  in_progress="$( (uploads_in_progress || echo error) | wc -l)"
  if [ "$left" = 0 ] && [ "$in_progress" = 0 ]; then
    pass "cleanup: regstore rm -r emptied the s3 prefix and no multipart upload is left"
  else
    fail "cleanup: regstore rm -r emptied the s3 prefix and no multipart upload is left (files: $left, uploads: $in_progress)" "$log/rm.txt"
  fi
  phase "s3 cleanup"
  rm -rf "$work"
  phase "local cleanup"
fi
echo "e2e: phases: $phases"

finish
