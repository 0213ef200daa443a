# Shared by start.sh and stop.sh: where the run's state lives, the ports, and a bounded stop.
# shellcheck shell=bash
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SERVICES_DIR="${REGSTORE_SERVICES_DIR:-$REPO_ROOT/.services}"
STATE="$SERVICES_DIR/swift"
ENV_FILE="$SERVICES_DIR/swift.env"
DEVICE_DIR="$STATE/srv/node/d1"
DEVICE_IMAGE="$STATE/device.img"

# Ports unlikely to collide with the other services (ceph 2xxxx, azurite 10000).
PROXY_PORT="${REGSTORE_SWIFT_PROXY_PORT:-38080}"
OBJECT_PORT="${REGSTORE_SWIFT_OBJECT_PORT:-36010}"
CONTAINER_PORT="${REGSTORE_SWIFT_CONTAINER_PORT:-36011}"
ACCOUNT_PORT="${REGSTORE_SWIFT_ACCOUNT_PORT:-36012}"
MEMCACHED_PORT="${REGSTORE_SWIFT_MEMCACHED_PORT:-31211}"

# Debian's Swift modules live in the system Python, not the pyenv one first on PATH.
PY=/usr/bin/python3

# Whether PID is still a live process (zombies linger ~2 s here: they count as gone).
alive() {
  local pid="$1" state
  [ -r "/proc/$pid/stat" ] || return 1
  state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)"
  [ -n "$state" ] && [ "$state" != "Z" ] && [ "$state" != "X" ]
}

# Stops the process whose pid is in FILE: TERM, wait up to 10 s, then KILL.
stop_pidfile() {
  local file="$1" pid i
  [ -f "$file" ] || return 0
  pid="$(cat "$file")"
  if [ -n "$pid" ] && alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      alive "$pid" || break
      sleep 0.1
    done
    if alive "$pid"; then
      echo "swift: $(basename "$file" .pid) (pid $pid) ignored TERM; killing" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$file"
}

# Unmounts the object device (XFS loop image or tmpfs) if mounted.
unmount_device() {
  if mountpoint -q "$DEVICE_DIR" 2>/dev/null; then
    umount "$DEVICE_DIR" || umount -l "$DEVICE_DIR"
  fi
}

# Starts one Swift server (KIND: proxy, account, container, object, container-updater, object-updater) from
# CONF in the background, logging to log/NAME.log and writing run/NAME.pid. Each server in
# its own session: the container-updater calls killpg(0) on SIGTERM, which would otherwise
# take down whatever process group started it (the test runner).
launch() {
  local name="$1" kind="$2" conf="$3"
  EVENTLET_NO_GREENDNS=yes setsid "$PY" "$REPO_ROOT/services/swift/launcher.py" "$STATE/etc" "$kind" "$conf" \
    >>"$STATE/log/$name.log" 2>&1 </dev/null &
  echo $! >"$STATE/run/$name.pid"
}

# One tempauth request through the proxy; on success sets `token` and `storage_url`.
proxy_auth() {
  local headers
  headers="$(curl -fsS -m 2 -D - -o /dev/null -H "X-Auth-User: test:tester" -H "X-Auth-Key: testing" \
    "http://127.0.0.1:$PROXY_PORT/auth/v1.0" 2>/dev/null || true)"
  token="$(printf '%s' "$headers" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-auth-token"{print $2}')"
  storage_url="$(printf '%s' "$headers" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-storage-url"{print $2}')"
  [ -n "$token" ] && [ -n "$storage_url" ]
}
