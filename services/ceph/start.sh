#!/usr/bin/env bash
# Starts a throwaway one-node Ceph cluster on 127.0.0.1 for the s3 and rados drivers' tests:
# one mon, one bluestore OSD on a sparse file, radosgw (beast) with an S3 user, the bucket
# the s3 tests use and the RADOS pool `regstore`. All state lives in
# ${REGSTORE_SERVICES_DIR:-<repo>/.services}/ceph (recreated on every start); on success
# the parameters the tests pass to the drivers are written to .../ceph.env.
# The facts behind each setting are in /work/shared/services.md ("Ceph").
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
services="${REGSTORE_SERVICES_DIR:-$repo/.services}"
dir="$services/ceph"
envfile="$services/ceph.env"
source "$here/rgw.sh"
source "$here/osd.sh"

# Ports well away from Ceph's defaults (3300/6789/6800-7300/7480), so a system cluster
# or another agent's service cannot collide with ours.
mon_v2="${REGSTORE_CEPH_MON_V2_PORT:-13300}"
mon_v1="${REGSTORE_CEPH_MON_V1_PORT:-16789}"
osd_port_min="${REGSTORE_CEPH_OSD_PORT_MIN:-16800}"
osd_port_max="${REGSTORE_CEPH_OSD_PORT_MAX:-16899}"
rgw_port="${REGSTORE_CEPH_RGW_PORT:-17480}"
# Sparse: only written data takes disk space. Large enough for the 5 GiB stream, its move
# (a second copy) and RGW's not yet collected garbage.
block_size="${REGSTORE_CEPH_BLOCK_SIZE:-48G}"

# Fixed test credentials: this cluster lives only on 127.0.0.1 for one test run.
access_key="regstoreaccess"
secret_key="regstoresecret0123456789abcdefghij"
bucket="regstore"
pool="regstore"

# A previous run may still be up (or have crashed): stop it and start clean.
"$here/stop.sh" >/dev/null 2>&1 || true
rm -rf "$dir"
mkdir -p "$dir"/{mon,osd/ceph-0,rgw,run,crash,log}
rm -f "$envfile"

fail() {
  echo "ceph: $*" >&2
  for f in "$dir"/log/*.log; do
    [ -f "$f" ] || continue
    echo "---- tail of $f" >&2
    tail -n 40 "$f" >&2 || true
  done
  "$here/stop.sh" >&2 || true
  exit 1
}

fsid="$(uuidgen)"
osd_uuid="$(uuidgen)"
conf="$dir/ceph.conf"
keyring="$dir/keyring"

cat > "$conf" <<CONF
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$mon_v2,v1:127.0.0.1:$mon_v1]
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind port min = $osd_port_min
ms bind port max = $osd_port_max
keyring = $keyring
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
auth allow insecure global id reclaim = false
run dir = $dir/run
crash dir = $dir/crash
admin socket = $dir/run/\$cluster-\$name.asok
mon cluster log file = $dir/log/cluster.log
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool delete = true
mon warn on pool no redundancy = false
mon data avail warn = 2
mon data avail crit = 1
paxos propose interval = 0.1
# RGW keeps multipart parts and copies as RADOS objects; the rados driver splits its own.
osd max object size = 134217728

[mon]
mon data = $dir/mon/\$cluster-\$id
log file = $dir/log/\$name.log
pid file = $dir/run/\$name.pid

[osd]
osd data = $dir/osd/\$cluster-\$id
osd objectstore = bluestore
bluestore block create = true
bluestore block size = $block_size
bluestore fsck on mkfs = false
bluestore fsck on mount = false
# A test cluster: keep the OSD's cache small (the default target is 4 GiB).
osd memory target = 1073741824
bluestore cache autotune = true
log file = $dir/log/\$name.log
pid file = $dir/run/\$name.pid

[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw data = $dir/rgw
log file = $dir/log/\$name.log
pid file = $dir/run/radosgw.pid
rgw dns name = 127.0.0.1
# Collect deleted data within a minute instead of two hours, so repeated 1 GiB / 5 GiB
# runs do not fill the OSD.
rgw gc obj min wait = 30
rgw gc processor period = 30
rgw gc processor max time = 30
# Parts up to 5 GiB (S3's limit) and 10 000 parts per upload, as on AWS.
rgw max put size = 5368709120
rgw multipart part upload limit = 10000
rgw enable usage log = false
rgw thread pool size = 64
CONF

# One keyring for every daemon and tool; the mon imports it at mkfs.
ceph-authtool --create-keyring "$keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-authtool "$keyring" --gen-key -n client.admin \
  --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' --cap mds 'allow *' >/dev/null
ceph-authtool "$keyring" --gen-key -n osd.0 \
  --cap mon 'allow profile osd' --cap mgr 'allow profile osd' --cap osd 'allow *' >/dev/null
ceph-authtool "$keyring" --gen-key -n client.rgw.a \
  --cap mon 'allow rw' --cap osd 'allow rwx' --cap mgr 'allow rw' >/dev/null

monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_v2,v1:127.0.0.1:$mon_v1]" \
  "$dir/monmap" >/dev/null
ceph-mon -c "$conf" --mkfs -i a --monmap "$dir/monmap" --keyring "$keyring" \
  >"$dir/log/mon-mkfs.out" 2>&1 || fail "mon mkfs failed: $(cat "$dir/log/mon-mkfs.out")"
ceph-mon -c "$conf" -i a >"$dir/log/mon.out" 2>&1 || fail "mon did not start"

# Mon commands through librados (~0.1 s each) instead of the ceph CLI (~1 s each).
# Debian's /usr/bin/python3 has the rados module (a pyenv python3 first on PATH does not).
mon() { # json ... -> runs each mon command, fails on the first error
  /usr/bin/python3 - "$conf" "$@" <<'PY'
import json, sys, rados
conf, cmds = sys.argv[1], sys.argv[2:]
c = rados.Rados(conffile=conf, name="client.admin")
c.connect(timeout=20)
try:
    for cmd in cmds:
        ret, out, err = c.mon_command(cmd, b"", timeout=20)
        if ret != 0 and ret != -17:   # EEXIST is fine on a repeated create
            sys.exit(f"mon command {cmd} failed: {ret} {err}")
finally:
    c.shutdown()
PY
}

mon "{\"prefix\":\"osd new\",\"uuid\":\"$osd_uuid\",\"id\":0}" \
  || fail "osd new failed"
ceph-osd -c "$conf" -i 0 --mkfs --osd-uuid "$osd_uuid" >"$dir/log/osd-mkfs.out" 2>&1 \
  || fail "osd mkfs failed: $(tail -n 20 "$dir/log/osd-mkfs.out")"
osd_launch "$conf" "$dir" || fail "osd did not start"

mon "{\"prefix\":\"osd pool create\",\"pool\":\"$pool\",\"pg_num\":8,\"pgp_num\":8}" \
    "{\"prefix\":\"osd pool application enable\",\"pool\":\"$pool\",\"app\":\"rados\"}" \
  || fail "creating pool $pool failed"

# Ready for RADOS when a write to the pool succeeds (the OSD is up and the PGs active).
rados_wait_ready "$conf" "$pool" || fail "RADOS not ready in 60 s"

# The S3 user (this also creates RGW's own pools), then the gateway.
radosgw-admin -c "$conf" -n client.admin user create --uid=regstore --display-name=regstore \
  --access-key="$access_key" --secret-key="$secret_key" >"$dir/log/user-create.out" 2>&1 \
  || fail "radosgw-admin user create failed: $(tail -n 20 "$dir/log/user-create.out")"
rgw_launch "$conf" "$dir" || fail "radosgw did not start"

# Ready for S3 when a signed request succeeds: create the tests' bucket (idempotent).
rgw_wait_ready "http://127.0.0.1:$rgw_port" "$access_key" "$secret_key" "$bucket" \
  || fail "radosgw did not answer a signed S3 request on 127.0.0.1:$rgw_port"

cat > "$envfile" <<ENV
REGSTORE_TEST_S3_ACCESSKEY=$access_key
REGSTORE_TEST_S3_SECRETKEY=$secret_key
REGSTORE_TEST_S3_REGION=us-east-1
REGSTORE_TEST_S3_REGIONENDPOINT=http://127.0.0.1:$rgw_port
REGSTORE_TEST_S3_BUCKET=$bucket
REGSTORE_TEST_S3_FORCEPATHSTYLE=true
REGSTORE_TEST_S3_SECURE=false
REGSTORE_TEST_RADOS_POOLNAME=$pool
REGSTORE_TEST_RADOS_USERNAME=admin
REGSTORE_TEST_RADOS_CONFFILE=$conf
REGSTORE_TEST_RADOS_KEYRING=$keyring
ENV
echo "ceph: up (mon 127.0.0.1:$mon_v2, rgw http://127.0.0.1:$rgw_port, bucket $bucket, pool $pool); env in $envfile"
