# Shared by the services' scripts: waiting for a process by pid, bounded, and stopping or
# killing it. Source it; it defines functions only.
# shellcheck shell=bash

# Whether PID is a live process. Zombies linger ~2 s after exit in this sandbox, so this
# reads the state in /proc/PID/stat instead of trusting `kill -0`, and the threads left.
regstore_running() {
  local stat tasks
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ "$(awk '{print $1}' <<<"${stat##*)}")" != [ZX] ]] && return 0   # the state: the first field after "(comm)"
  # A zombie leader is not the end: after SIGKILL its other threads may still be finishing
  # disk I/O, holding its files and locks (a killed ceph-osd's pid-file lock refused the new one).
  tasks=(/proc/"$1"/task/*)
  [[ ${#tasks[@]} -gt 1 ]]
}

# Waits until PID has exited, at most TENTHS tenths of a second; fails if it is still running.
regstore_wait_exit() {
  local pid="$1" tenths="$2" i
  for ((i = 0; i < tenths; i++)); do
    regstore_running "$pid" || return 0
    sleep 0.1
  done
  ! regstore_running "$pid"
}

# Stops the process in PIDFILE: TERM, up to 10 s to exit, then KILL. Removes the pid file.
# NAME prefixes the messages.
regstore_stop_pidfile() {
  local name="$1" pidfile="$2" pid
  [[ -f "$pidfile" ]] || return 0
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  if [[ -n "$pid" ]] && regstore_running "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    if ! regstore_wait_exit "$pid" 100; then
      echo "$name: still running after 10 s; killing $pid" >&2
      kill -KILL "$pid" 2>/dev/null || true
      regstore_wait_exit "$pid" 50 || echo "$name: pid $pid still alive" >&2
    fi
  fi
  rm -f "$pidfile"
}

# Kills the process in PIDFILE hard (SIGKILL: no shutdown, open connections reset, as in a
# crash) and waits up to 10 s for it to be gone. Keeps the pid file (a crash leaves it too).
regstore_kill_pidfile() {
  local name="$1" pidfile="$2" pid
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  if [[ -z "$pid" ]] || ! regstore_running "$pid"; then
    echo "$name: not running (pid file $pidfile)" >&2
    return 1
  fi
  kill -KILL "$pid"
  regstore_wait_exit "$pid" 100 || { echo "$name: pid $pid survived SIGKILL for 10 s" >&2; return 1; }
  echo "$name: killed (pid $pid)"
}

# Parses the one argument the restart scripts take into REGSTORE_PHASES:
# none = kill then start, --kill-only, --start-only (the tests kill, watch the failure, then start).
regstore_restart_phases() {
  case "${1:-}" in
    "") REGSTORE_PHASES="kill start" ;;
    --kill-only) REGSTORE_PHASES="kill" ;;
    --start-only) REGSTORE_PHASES="start" ;;
    *) echo "usage: $0 [--kill-only|--start-only]" >&2; return 2 ;;
  esac
}
