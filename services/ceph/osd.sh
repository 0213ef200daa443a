# Shared by start.sh, restart-osd.sh, wait-clean.sh, primary-osd.sh and serve-from-osd.sh: how an
# OSD is launched, and the cluster queries of cluster.py (mon and OSD commands over librados,
# ~0.1 s each where the ceph CLI takes ~1 s). Debian's /usr/bin/python3 has the rados module
# (a pyenv python3 first on PATH does not).
# shellcheck shell=bash

_ceph_cluster_py="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cluster.py"

# Launches osd.ID (default 0; it daemonizes and writes DIR/run/osd.ID.pid) with the cluster's config.
osd_launch() { # conf dir [id]
  ceph-osd -c "$1" -i "${3:-0}" >>"$2/log/osd.${3:-0}.out" 2>&1
}

# Runs each mon command (JSON) in order; fails on the first error (EEXIST is fine: a repeated create).
osd_mon_commands() { # conf json...
  /usr/bin/python3 "$_ceph_cluster_py" "$1" mon "${@:2}"
}

# Waits up to SECONDS (default 60) until a write to POOL succeeds (an OSD is up and the PGs active).
rados_wait_ready() { # conf pool [seconds]
  /usr/bin/python3 "$_ceph_cluster_py" "$1" ready "$2" "${3:-60}"
}

# Waits up to SECONDS (default 60) until osd.ID is up in the OSD map (after a start: the mon
# has taken its boot message, so peering with it begins).
osd_wait_up() { # conf id [seconds]
  /usr/bin/python3 "$_ceph_cluster_py" "$1" wait-up "$2" "${3:-60}"
}

# Waits up to SECONDS (default 180) until the cluster is clean: the mon reports HEALTH_OK,
# every OSD is up and in, and every placement group of every pool is active+clean. There is
# no ceph-mgr (PG states reach the mon's health only through a mgr), so each PG's state is
# asked of its primary OSD (`pg query`). Prints the time taken, or what was not clean.
pgs_wait_clean() { # conf [seconds]
  /usr/bin/python3 "$_ceph_cluster_py" "$1" wait-clean "${2:-180}"
}

# Prints the acting primary OSD of each OBJECT in POOL (one id a line): the OSD whose death
# stalls that object's reads and writes until the mon marks it down.
osd_primary_of() { # conf pool object...
  /usr/bin/python3 "$_ceph_cluster_py" "$1" primary "${@:2}"
}

# Makes osd.ID the primary of every placement group it holds (primary affinity 0 for every
# other OSD, 1 for it), or with "all" gives every OSD affinity 1 again; then waits up to
# SECONDS (default 120) until every PG is active+clean and, for ID, every PG holding osd.ID
# has it as acting primary — so reads of those PGs are served from osd.ID's own copies.
osd_serve_from() { # conf id|all [seconds]
  /usr/bin/python3 "$_ceph_cluster_py" "$1" serve-from "$2" "${3:-120}"
}
