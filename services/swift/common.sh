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
