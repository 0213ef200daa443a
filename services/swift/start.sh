#!/usr/bin/env bash
# Starts a one-node OpenStack Swift (proxy, account, container, object servers and the
# container- and object-updaters, Debian's packages) on 127.0.0.1 with tempauth (test:tester / testing),
# all state under "${REGSTORE_SERVICES_DIR:-<repo>/.services}/swift", and writes
# swift.env with the REGSTORE_TEST_SWIFT_* parameters the tests pass to the driver.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

LOGS=(proxy account container object container-updater object-updater memcached)

fail() {
  echo "swift: $*" >&2
  for name in "${LOGS[@]}"; do
    if [ -s "$STATE/log/$name.log" ]; then
      echo "---- $name.log (tail) ----" >&2
      tail -n 30 "$STATE/log/$name.log" >&2
    fi
  done
  "$HERE/stop.sh" >&2 || true
  exit 1
}

# A fresh state folder every run: stop whatever a previous run left behind first.
"$HERE/stop.sh" >/dev/null 2>&1 || true
unmount_device
rm -rf "$STATE"
mkdir -p "$STATE"/{etc,run,log,cache,srv/node/d1}

# Object metadata lives in user xattrs; ext4 holds only ~3.5 KB per file, so the device is
# a sparse XFS image with large inodes (disk-backed), or tmpfs (kernel >= 6.6) without loop devices.
truncate -s "${REGSTORE_SWIFT_DEVICE_SIZE:-64G}" "$DEVICE_IMAGE"
if mkfs.xfs -q -i size=1024 "$DEVICE_IMAGE" && mount -o loop,noatime,discard "$DEVICE_IMAGE" "$DEVICE_DIR" 2>"$STATE/log/mount.log"; then
  echo "swift: device on XFS image $DEVICE_IMAGE"
else
  rm -f "$DEVICE_IMAGE"
  mount -t tmpfs -o "size=${REGSTORE_SWIFT_DEVICE_SIZE:-16G},mode=0755" tmpfs "$DEVICE_DIR" \
    || fail "could not mount an XFS loop image or tmpfs for the object device (see $STATE/log/mount.log)"
  echo "swift: device on tmpfs"
fi

hash_suffix="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
hash_prefix="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
tempurl_key="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"

cat >"$STATE/etc/swift.conf" <<CONF
[swift-hash]
swift_hash_path_suffix = $hash_suffix
swift_hash_path_prefix = $hash_prefix

[storage-policy:0]
name = Policy-0
default = yes
CONF

# Settings every server shares: one process each (exact pid files, immediate exit on TERM),
# no privilege drop (root would hand the state to a `swift` user that cannot write it), no
# mount checks on the device folder, and logs over UDP to the discard port (no /dev/log here).
common_conf() {
  cat <<CONF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $1
workers = 0
user = root
swift_dir = $STATE/etc
devices = $STATE/srv/node
mount_check = false
log_udp_host = 127.0.0.1
log_udp_port = 9
log_level = WARNING
CONF
}

{
  common_conf "$ACCOUNT_PORT"
  cat <<CONF

[pipeline:main]
pipeline = account-server

[app:account-server]
use = egg:swift#account

[account-replicator]
[account-auditor]
[account-reaper]
CONF
} >"$STATE/etc/account-server.conf"

{
  common_conf "$CONTAINER_PORT"
  cat <<CONF

[pipeline:main]
pipeline = container-server

[app:container-server]
use = egg:swift#container

[container-replicator]
[container-auditor]
[container-sync]

[container-updater]
interval = 300
CONF
} >"$STATE/etc/container-server.conf"

{
  common_conf "$OBJECT_PORT"
  cat <<CONF

[pipeline:main]
pipeline = object-server

[app:object-server]
use = egg:swift#object

[object-replicator]
# An object server whose container update times out (1 s, easily reached under load) keeps it as
# an async pending that only this daemon applies: without it the object exists but no listing
# ever shows it (the 30-minute soak counted a committed manifest's segments as orphaned).
[object-updater]
interval = 5
[object-auditor]
CONF
} >"$STATE/etc/object-server.conf"

{
  common_conf "$PROXY_PORT"
  cat <<CONF

# The middleware a real deployment runs: bulk delete, TempURL, tempauth, server-side copy,
# static and dynamic large objects, versioning and symlinks.
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk tempurl tempauth copy slo dlo versioned_writes symlink proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
# One 507 would otherwise block the single object node for 60 s (every request a 503).
error_suppression_interval = 0
# Test machines run many servers on two cores: the defaults (0.5 s to connect to a backend,
# 10 s for it to answer) turn a busy moment into 503s.
conn_timeout = 5
node_timeout = 60

[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = testing .admin

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$MEMCACHED_PORT
# tempauth checks every request's token in memcached; with the defaults (0.3 s to connect,
# 2 s to answer) a busy machine turns a slow lookup into a 401 for a valid token.
connect_timeout = 5
io_timeout = 10
pool_timeout = 10
tries = 3

[filter:catch_errors]
use = egg:swift#catch_errors

[filter:gatekeeper]
use = egg:swift#gatekeeper

[filter:healthcheck]
use = egg:swift#healthcheck

[filter:proxy-logging]
use = egg:swift#proxy_logging

[filter:listing_formats]
use = egg:swift#listing_formats

[filter:bulk]
use = egg:swift#bulk

[filter:tempurl]
use = egg:swift#tempurl

[filter:copy]
use = egg:swift#copy

[filter:slo]
use = egg:swift#slo

[filter:dlo]
use = egg:swift#dlo

[filter:versioned_writes]
use = egg:swift#versioned_writes
allow_versioned_writes = true

[filter:symlink]
use = egg:swift#symlink
CONF
} >"$STATE/etc/proxy-server.conf"

"$PY" "$HERE/rings.py" "$STATE/etc" "$ACCOUNT_PORT" "$CONTAINER_PORT" "$OBJECT_PORT" >"$STATE/log/rings.log" 2>&1 \
  || fail "building the rings failed: $(tail -n 5 "$STATE/log/rings.log")"

# tempauth keeps its tokens in memcached.
setsid memcached -l 127.0.0.1 -p "$MEMCACHED_PORT" -U 0 -m 64 -u root \
  >"$STATE/log/memcached.log" 2>&1 </dev/null &
echo $! >"$STATE/run/memcached.pid"

launch account account "$STATE/etc/account-server.conf"
launch container container "$STATE/etc/container-server.conf"
launch object object "$STATE/etc/object-server.conf"
launch container-updater container-updater "$STATE/etc/container-server.conf"
launch object-updater object-updater "$STATE/etc/object-server.conf"
launch proxy proxy "$STATE/etc/proxy-server.conf"

# Ready when every server answers and tempauth issues a token that can write an object.
ready=""
token=""
storage_url=""
for ((i = 0; i < 300; i++)); do
  for name in memcached account container object container-updater object-updater proxy; do
    alive "$(cat "$STATE/run/$name.pid")" || fail "$name exited during start-up"
  done
  if proxy_auth \
    && curl -fsS -m 5 -o /dev/null -X PUT -H "X-Auth-Token: $token" "$storage_url/regstore-ready" 2>/dev/null \
    && curl -fsS -m 5 -o /dev/null -X PUT -H "X-Auth-Token: $token" --data-binary ready "$storage_url/regstore-ready/probe" 2>/dev/null; then
    ready=yes
    break
  fi
  sleep 0.2
done
[ -n "$ready" ] || fail "not ready within 60 s (auth, container and object PUT through the proxy)"
curl -fsS -m 5 -o /dev/null -X DELETE -H "X-Auth-Token: $token" "$storage_url/regstore-ready/probe"
curl -fsS -m 5 -o /dev/null -X DELETE -H "X-Auth-Token: $token" "$storage_url/regstore-ready"

# The account's TempURL key, so redirects work without the driver changing account metadata.
curl -fsS -m 5 -o /dev/null -X POST -H "X-Auth-Token: $token" -H "X-Account-Meta-Temp-URL-Key: $tempurl_key" "$storage_url" \
  || fail "setting the account's TempURL key failed"

cat >"$ENV_FILE" <<ENV
REGSTORE_TEST_SWIFT_AUTHURL=http://127.0.0.1:$PROXY_PORT/auth/v1.0
REGSTORE_TEST_SWIFT_USERNAME=test:tester
REGSTORE_TEST_SWIFT_PASSWORD=testing
REGSTORE_TEST_SWIFT_CONTAINER=regstore-tests
REGSTORE_TEST_SWIFT_SECRETKEY=$tempurl_key
REGSTORE_TEST_SWIFT_AUTHVERSION=1
REGSTORE_SWIFT_MEMCACHED=127.0.0.1:$MEMCACHED_PORT
ENV
echo "swift: ready at http://127.0.0.1:$PROXY_PORT (wrote $ENV_FILE)"
