# Shared by start.sh and restart-rgw.sh: how radosgw is launched and when it counts as ready.
# shellcheck shell=bash

# Launches radosgw (it daemonizes and writes DIR/run/radosgw.pid) with the cluster's config.
rgw_launch() { # conf dir
  radosgw -c "$1" -n client.rgw.a >>"$2/log/rgw.out" 2>&1
}

# Waits up to ~30 s until a signed S3 request succeeds: creating the tests' bucket
# (idempotent: 200 or 409). Returns 1 when it never does.
rgw_wait_ready() { # endpoint access_key secret_key bucket
  local endpoint="$1" access="$2" secret="$3" bucket="$4" code
  for _ in $(seq 1 "${REGSTORE_CEPH_RGW_WAIT_TRIES:-300}"); do
    # RGW requires the payload header; curl 7.88 omits it.
    code="$(curl -sS -o /dev/null -w '%{http_code}' --max-time 5 \
      --aws-sigv4 "aws:amz:us-east-1:s3" --user "$access:$secret" \
      -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -X PUT "$endpoint/$bucket" 2>/dev/null || true)"
    if [ "$code" = "200" ] || [ "$code" = "409" ]; then return 0; fi
    sleep 0.1
  done
  return 1
}
