# Shared by start.sh and restart-osd.sh: how the OSD is launched and when RADOS counts as ready.
# shellcheck shell=bash

# Launches osd.0 (it daemonizes and writes DIR/run/osd.0.pid) with the cluster's config.
osd_launch() { # conf dir
  ceph-osd -c "$1" -i 0 >>"$2/log/osd.out" 2>&1
}

# Waits up to SECONDS (default 60) until a write to POOL succeeds (the OSD is up and the PGs active).
# Debian's /usr/bin/python3 has the rados module (a pyenv python3 first on PATH does not).
rados_wait_ready() { # conf pool [seconds]
  /usr/bin/python3 - "$1" "$2" "${3:-60}" <<'PY'
import sys, time, rados
conf, pool = sys.argv[1], sys.argv[2]
deadline = time.monotonic() + float(sys.argv[3])
c = rados.Rados(conffile=conf, name="client.admin", conf={"rados_osd_op_timeout": "5"})
c.connect(timeout=20)
try:
    while True:
        try:
            with c.open_ioctx(pool) as io:
                io.write_full("regstore-ready", b"ok")
                io.remove_object("regstore-ready")
            break
        except rados.Error:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
finally:
    c.shutdown()
PY
}
