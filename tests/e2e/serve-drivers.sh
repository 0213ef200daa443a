#!/usr/bin/env bash
# regstore serve on every driver, under real clients (issue 19):
#   - skopeo copies a multi-layer OCI image and a Docker schema-2 image into `regstore serve` and
#     back out with equal digests, on filesystem, inmemory, s3 (RGW), azure (Azurite), swift,
#     rados and oss (the stand-in);
#   - two `regstore serve` processes on one s3 bucket are one registry: a chunked upload started
#     on one, continued on the other, completed on the first; an image pushed to one pulls from
#     the other;
#   - SIGKILL of the server mid-push: the client's retry succeeds and the pulled image is intact;
#   - Go distribution 2.8.2 (`docker-registry`) and `regstore serve` on the same s3 and swift
#     storage: pushed through one, pulled through the other, both ways, equal digests.
# Usage: serve-drivers.sh <published host folder>; the services' REGSTORE_TEST_<DRIVER>_<PARAM>
# variables in the environment (the test command passes them). Ends with "N passed, N failed".
set -uo pipefail
host="$(cd "$1" && pwd)"
regstore="$host/regstore"
work="$(mktemp -d /tmp/regstore-serve-e2e.XXXXXX)"
log="$work/logs"
mkdir -p "$log"
run_id="serve-e2e-$(date +%s)-$$"
passed=0
failed=0
pids=()
pass() { echo "PASS  $1"; passed=$((passed + 1)); }
fail() { echo "FAIL  $1"; failed=$((failed + 1)); if [ -n "${2:-}" ] && [ -f "$2" ]; then sed 's/^/      /' "$2" | tail -n 15; fi; }
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT
skopeo_in() { skopeo copy --retry-times 3 --dest-tls-verify=false "$@"; }
skopeo_out() { skopeo copy --retry-times 3 --src-tls-verify=false "$@"; }

for tool in skopeo docker-registry python3 curl; do
  if ! command -v "$tool" >/dev/null; then
    fail "$tool is installed (services/registry-clients/install.sh)"
    echo "$passed passed, $failed failed"
    exit 1
  fi
done

# ------------------------------------------------------------------ test images (OCI layout, no registry needed)
# make_image <dir> <tag> <layers> <layer MiB>: gzip'd tar layers of random bytes, a config, a manifest, index.json.
make_image() {
  python3 - "$@" <<'PY'
import gzip, hashlib, io, json, os, sys, tarfile
root, tag, layers, mib = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
blobs = os.path.join(root, "blobs", "sha256")
os.makedirs(blobs, exist_ok=True)
def put(data):
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(blobs, digest), "wb") as f:
        f.write(data)
    return "sha256:" + digest, len(data)
diff_ids, descs = [], []
for i in range(layers):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as tar:
        payload = os.urandom(int(mib * 1024 * 1024))
        info = tarfile.TarInfo(f"layer{i}.bin"); info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))
    diff_ids.append("sha256:" + hashlib.sha256(raw.getvalue()).hexdigest())
    digest, size = put(gzip.compress(raw.getvalue(), compresslevel=1))
    descs.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": digest, "size": size})
config = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": diff_ids}, "config": {}}).encode()
cdigest, csize = put(config)
manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cdigest, "size": csize}, "layers": descs}).encode()
mdigest, msize = put(manifest)
with open(os.path.join(root, "oci-layout"), "w") as f:
    json.dump({"imageLayoutVersion": "1.0.0"}, f)
with open(os.path.join(root, "index.json"), "w") as f:
    json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": mdigest, "size": msize,
        "annotations": {"org.opencontainers.image.ref.name": tag}}]}, f)
PY
}
make_image "$work/image" v1 3 2
make_image "$work/big" v1 2 96

# ------------------------------------------------------------------ configuration per driver
# config_for <driver> <file> [port]: distribution's config.yml from the service variables.
config_for() {
  local driver="$1" file="$2" upper
  upper="$(echo "$1" | tr '[:lower:]' '[:upper:]')"
  {
    echo "version: 0.1"
    echo "log: { level: warn }"
    echo "storage:"
    echo "  delete: { enabled: true }"
    echo "  $driver:"
    case "$driver" in
      filesystem) echo "    rootdirectory: '$work/fs-root'" ;;
      inmemory) echo "    rootdirectory: /$run_id" ;;
      *)
        env | grep "^REGSTORE_TEST_${upper}_" | sort | while IFS='=' read -r key value; do
          local name="${key#REGSTORE_TEST_${upper}_}"
          name="$(echo "$name" | tr '[:upper:]' '[:lower:]')"
          [ "$name" = "rootdirectory" ] && continue
          echo "    $name: '${value//\'/\'\'}'"
        done
        echo "    rootdirectory: /$run_id"
        ;;
    esac
  } >"$file"
}

# serve <config> <port> <name>: starts regstore serve in the background and waits for /v2/.
serve() {
  "$regstore" serve "$1" --addr "127.0.0.1:$2" >"$log/serve-$3.txt" 2>&1 &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 1 120); do
    if curl -fs -o /dev/null "http://127.0.0.1:$2/v2/"; then
      echo "$pid"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.25
  done
  return 1
}

manifest_digest() { skopeo inspect --raw --tls-verify=false "$1" | sha256sum | cut -d' ' -f1; }
local_digest() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]+"/index.json"))["manifests"][0]["digest"].split(":")[1])' "$1"; }

# ------------------------------------------------------------------ 1. every driver under skopeo
port=25100
for driver in filesystem inmemory s3 azure swift rados oss; do
  port=$((port + 1))
  upper="$(echo "$driver" | tr '[:lower:]' '[:upper:]')"
  if [ "$driver" != filesystem ] && [ "$driver" != inmemory ] && ! env | grep -q "^REGSTORE_TEST_${upper}_"; then
    fail "$driver: the service's REGSTORE_TEST_${upper}_* variables are set (is services/ started?)"
    continue
  fi
  config_for "$driver" "$work/$driver.yml"
  if ! pid="$(serve "$work/$driver.yml" "$port" "$driver")"; then
    fail "$driver: regstore serve starts and answers /v2/" "$log/serve-$driver.txt"
    continue
  fi
  ref="127.0.0.1:$port/e2e/$driver"
  if skopeo_in "oci:$work/image:v1" "docker://$ref:oci" >"$log/push-$driver.txt" 2>&1 \
    && skopeo_out "docker://$ref:oci" "oci:$work/out-$driver:v1" >"$log/pull-$driver.txt" 2>&1 \
    && [ "$(local_digest "$work/out-$driver")" = "$(local_digest "$work/image")" ] \
    && diff -r "$work/image/blobs" "$work/out-$driver/blobs" >/dev/null; then
    pass "$driver: skopeo pushes a 3-layer OCI image and pulls it back with the same manifest digest and blobs"
  else
    fail "$driver: skopeo OCI image round trip" "$log/push-$driver.txt"
    cat "$log/pull-$driver.txt" "$log/serve-$driver.txt" 2>/dev/null | tail -n 5 | sed 's/^/      /'
  fi
  if skopeo_in --format v2s2 "oci:$work/image:v1" "docker://$ref:v2s2" >"$log/push-v2s2-$driver.txt" 2>&1 \
    && pushed="$(manifest_digest "docker://$ref:v2s2")" \
    && skopeo_out "docker://$ref:v2s2" "dir:$work/out-v2s2-$driver" >"$log/pull-v2s2-$driver.txt" 2>&1 \
    && [ "$(sha256sum <"$work/out-v2s2-$driver/manifest.json" | cut -d' ' -f1)" = "$pushed" ] \
    && grep -q 'application/vnd.docker.distribution.manifest.v2+json' "$work/out-v2s2-$driver/manifest.json"; then
    pass "$driver: a Docker schema-2 image goes in and comes out with the digest it was pushed with"
  else
    fail "$driver: Docker schema-2 round trip" "$log/push-v2s2-$driver.txt"
  fi
  if skopeo delete --tls-verify=false "docker://$ref:v2s2" >"$log/delete-$driver.txt" 2>&1 \
    && ! skopeo inspect --raw --tls-verify=false "docker://$ref:v2s2" >/dev/null 2>&1; then
    pass "$driver: skopeo delete removes the manifest (delete enabled)"
  else
    fail "$driver: skopeo delete" "$log/delete-$driver.txt"
  fi
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
done

# ------------------------------------------------------------------ 2. two replicas on one s3 bucket
if env | grep -q '^REGSTORE_TEST_S3_'; then
  config_for s3 "$work/replica.yml"
  if a="$(serve "$work/replica.yml" 25201 replica-a)" && b="$(serve "$work/replica.yml" 25202 replica-b)"; then
    head -c 3000000 /dev/urandom >"$work/chunked.bin"
    head -c 1500000 "$work/chunked.bin" >"$work/part1"
    tail -c +1500001 "$work/chunked.bin" >"$work/part2"
    digest="sha256:$(sha256sum <"$work/chunked.bin" | cut -d' ' -f1)"
    location="$(curl -fsS -D - -o /dev/null -X POST "http://127.0.0.1:25201/v2/e2e/replica/blobs/uploads/" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')"
    path="${location#http://127.0.0.1:25201}"
    location2="$(curl -fsS -D - -o /dev/null -X PATCH -H 'Content-Type: application/octet-stream' -H "Content-Range: 0-1499999" --data-binary "@$work/part1" "http://127.0.0.1:25202$path" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')"
    path2="${location2#http://127.0.0.1:25202}"
    location3="$(curl -fsS -D - -o /dev/null -X PATCH -H 'Content-Type: application/octet-stream' -H "Content-Range: 1500000-2999999" --data-binary "@$work/part2" "http://127.0.0.1:25201$path2" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')"
    path3="${location3#http://127.0.0.1:25201}"
    sep='?'; case "$path3" in *\?*) sep='&' ;; esac
    code="$(curl -s -o "$log/replica-put.txt" -w '%{http_code}' -X PUT "http://127.0.0.1:25202$path3${sep}digest=$digest")"
    if [ "$code" = 201 ] && curl -fsSL "http://127.0.0.1:25201/v2/e2e/replica/blobs/$digest" | cmp -s - "$work/chunked.bin" \
      && curl -fsSL "http://127.0.0.1:25202/v2/e2e/replica/blobs/$digest" | cmp -s - "$work/chunked.bin"; then
      pass "s3 replicas: a chunked upload started on A, continued on B and A, completed on B; the blob reads back from both (through their redirects)"
    else
      fail "s3 replicas: chunked upload across two servers (PUT answered $code)" "$log/replica-put.txt"
    fi
    if skopeo_in "oci:$work/image:v1" "docker://127.0.0.1:25201/e2e/replica:v1" >"$log/replica-push.txt" 2>&1 \
      && skopeo_out "docker://127.0.0.1:25202/e2e/replica:v1" "oci:$work/out-replica:v1" >>"$log/replica-push.txt" 2>&1 \
      && [ "$(local_digest "$work/out-replica")" = "$(local_digest "$work/image")" ]; then
      pass "s3 replicas: an image pushed to A pulls from B with the same digest"
    else
      fail "s3 replicas: push to A, pull from B" "$log/replica-push.txt"
    fi
    kill "$a" "$b" 2>/dev/null
    wait "$a" "$b" 2>/dev/null

    # ---------------------------------------------------------------- 3. SIGKILL mid-push
    pid="$(serve "$work/replica.yml" 25203 killed)"
    skopeo copy --dest-tls-verify=false "oci:$work/big:v1" "docker://127.0.0.1:25203/e2e/killed:v1" >"$log/killed-first.txt" 2>&1 &
    push=$!
    # Kill once an upload has started (its _uploads entry exists), while its layer is streaming.
    for _ in $(seq 1 100); do
      "$regstore" --config "$work/replica.yml" walk /docker/registry/v2/repositories/e2e/killed 2>/dev/null | grep -q '/_uploads/.*/startedat' && break
      sleep 0.1
    done
    sleep 0.3
    kill -9 "$pid" 2>/dev/null
    wait "$push" 2>/dev/null
    first=$?
    pid="$(serve "$work/replica.yml" 25203 restarted)"
    if skopeo_in "oci:$work/big:v1" "docker://127.0.0.1:25203/e2e/killed:v1" >"$log/killed-retry.txt" 2>&1 \
      && skopeo_out "docker://127.0.0.1:25203/e2e/killed:v1" "oci:$work/out-killed:v1" >>"$log/killed-retry.txt" 2>&1 \
      && diff -r "$work/big/blobs" "$work/out-killed/blobs" >/dev/null && [ "$first" -ne 0 ]; then
      pass "s3: server SIGKILLed mid-push (the push failed, exit $first); the retry succeeds and every blob pulls back intact (2 × 96 MiB)"
    else
      fail "s3: SIGKILL mid-push, then retry (first push exit $first: it must have failed)" "$log/killed-retry.txt"
    fi
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if "$regstore" --config "$work/replica.yml" verify e2e/killed >"$log/killed-verify.txt" 2>&1; then
      pass "s3: after the kill and the retry, regstore verify finds every blob matching its digest and every link resolving"
    else
      fail "s3: regstore verify after the kill" "$log/killed-verify.txt"
    fi
  else
    fail "s3 replicas: two regstore serve processes start on one bucket" "$log/serve-replica-a.txt"
  fi
fi

# ------------------------------------------------------------------ 4. interop with Go distribution 2.8.2
# distribution's own config for the same storage (its s3-aws driver takes no forcepathstyle; AWS_CA_BUNDLE breaks it).
# go_config_for <driver> <file>: the same storage in distribution's own parameter names.
go_config_for() {
  {
    echo "version: 0.1"
    echo "log: { level: warn }"
    echo "storage:"
    echo "  delete: { enabled: true }"
    case "$1" in
      s3)
        echo "  s3:"
        for p in ACCESSKEY SECRETKEY REGION REGIONENDPOINT BUCKET; do
          local value; value="$(printenv "REGSTORE_TEST_S3_$p")"
          echo "    $(echo "$p" | tr '[:upper:]' '[:lower:]'): '${value//\'/\'\'}'"
        done
        echo "    secure: false"
        ;;
      swift)
        echo "  swift:"
        for p in AUTHURL USERNAME PASSWORD CONTAINER; do
          local value; value="$(printenv "REGSTORE_TEST_SWIFT_$p")"
          echo "    $(echo "$p" | tr '[:upper:]' '[:lower:]'): '${value//\'/\'\'}'"
        done
        echo "    authversion: 1"
        ;;
    esac
    # distribution's swift driver has no rootdirectory: its prefix is the same thing (ours takes both).
    if [ "$1" = swift ]; then echo "    prefix: /$run_id"; else echo "    rootdirectory: /$run_id"; fi
    echo "http: { addr: 127.0.0.1:25302 }"
  } >"$2"
}

interop() { # <driver>
  local driver="$1" cfg="$work/go-$1.yml"
  config_for "$driver" "$work/ours-$driver.yml"
  if [ "$driver" = swift ]; then sed -i "s|^    rootdirectory: /$run_id|    prefix: /$run_id|" "$work/ours-$driver.yml"; fi
  go_config_for "$driver" "$cfg"
  env -u AWS_CA_BUNDLE docker-registry serve "$cfg" >"$log/go-$driver.txt" 2>&1 &
  local go=$!
  pids+=("$go")
  for _ in $(seq 1 80); do curl -fs -o /dev/null http://127.0.0.1:25302/v2/ && break; sleep 0.25; done
  local ours
  ours="$(serve "$work/ours-$driver.yml" 25301 "interop-$driver")"
  if skopeo_in "oci:$work/image:v1" "docker://127.0.0.1:25302/e2e/from-go-$driver:v1" >"$log/interop-$driver.txt" 2>&1 \
    && skopeo_out "docker://127.0.0.1:25301/e2e/from-go-$driver:v1" "oci:$work/out-from-go-$driver:v1" >>"$log/interop-$driver.txt" 2>&1 \
    && [ "$(local_digest "$work/out-from-go-$driver")" = "$(local_digest "$work/image")" ]; then
    pass "$driver: pushed through docker-registry (Go distribution 2.8.2), pulled through regstore serve: same digest"
  else
    fail "$driver: docker-registry → regstore serve" "$log/interop-$driver.txt"
    tail -n 5 "$log/go-$driver.txt" | sed 's/^/      go: /'
  fi
  if skopeo_in "oci:$work/image:v1" "docker://127.0.0.1:25301/e2e/from-ours-$driver:v1" >"$log/interop-back-$driver.txt" 2>&1 \
    && skopeo_out "docker://127.0.0.1:25302/e2e/from-ours-$driver:v1" "oci:$work/out-from-ours-$driver:v1" >>"$log/interop-back-$driver.txt" 2>&1 \
    && [ "$(local_digest "$work/out-from-ours-$driver")" = "$(local_digest "$work/image")" ]; then
    pass "$driver: pushed through regstore serve, pulled through docker-registry: same digest"
  else
    fail "$driver: regstore serve → docker-registry" "$log/interop-back-$driver.txt"
  fi
  kill "$go" "$ours" 2>/dev/null
  wait "$go" "$ours" 2>/dev/null
}
for driver in s3 swift; do
  upper="$(echo "$driver" | tr '[:lower:]' '[:upper:]')"
  if env | grep -q "^REGSTORE_TEST_${upper}_"; then interop "$driver"; fi
done

# ------------------------------------------------------------------ clean the run's trees off the shared servers
for driver in s3 azure swift rados oss; do
  [ -f "$work/$driver.yml" ] && "$regstore" --config "$work/$driver.yml" rm -r /docker >/dev/null 2>&1
done
rm -rf "$work/fs-root" "$work/big" "$work/out-"*
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
