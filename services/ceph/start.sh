#!/usr/bin/env bash
# Starts a throwaway one-node Ceph cluster on 127.0.0.1 for the s3 and rados drivers' tests:
# one mon, one bluestore OSD on a sparse file, radosgw (beast) with an S3 user, the bucket
# the s3 tests use and the RADOS pool `regstore`. REGSTORE_CEPH_OSDS=3 starts three OSDs
# instead (pool size 2, min_size 1: the OSD-kill tests), REGSTORE_CEPH_RGW=0 no radosgw.
# All state lives in
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
# One OSD (pool size 1) for the ordinary tests; more for the OSD-kill tests, where a pool of
# size 2 / min_size 1 keeps serving I/O while one OSD is dead.
osds="${REGSTORE_CEPH_OSDS:-1}"
with_rgw="${REGSTORE_CEPH_RGW:-1}"
[[ "$osds" =~ ^[1-9]$ ]] || { echo "ceph: REGSTORE_CEPH_OSDS must be 1 to 9, not '$osds'" >&2; exit 2; }
[[ "$with_rgw" == 0 || "$with_rgw" == 1 ]] || { echo "ceph: REGSTORE_CEPH_RGW must be 0 or 1" >&2; exit 2; }
# 8 PGs for one OSD (RGW's pools add more: 32 each gave TOO_MANY_PGS); 32 spread the pool's
# primaries evenly enough over several OSDs that killing any one hits every operation.
if (( osds > 1 )); then pool_size=2 pg_num=32; else pool_size=1 pg_num=8; fi

# Fixed test credentials: this cluster lives only on 127.0.0.1 for one test run.
access_key="regstoreaccess"
secret_key="regstoresecret0123456789abcdefghij"
bucket="regstore"
pool="regstore"

# A previous run may still be up (or have crashed): stop it and start clean.
"$here/stop.sh" >/dev/null 2>&1 || true
rm -rf "$dir"
mkdir -p "$dir"/{mon,rgw,run,crash,log}
for ((id = 0; id < osds; id++)); do mkdir -p "$dir/osd/ceph-$id"; done
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
conf="$dir/ceph.conf"
keyring="$dir/keyring"

# With several OSDs on one host: replicas on different OSDs (`osd crush chooseleaf type = 0`), a
# killed OSD marked down within seconds so I/O carries on against the survivors. Peers report
# a SIGKILLed OSD at once (connection refused); the heartbeat grace is the fallback for a hung
# one. One reporter suffices (the default wants two from different hosts: there is one host).
# No automatic "out" during a test (that would move data to the third OSD and back); the
# mon's MGR_DOWN warning is off (there is no ceph-mgr; PG states are asked of the OSDs).
# Bluestore on a file of a virtio disk counts as rotational: recovery would sleep 0.1 s
# between objects (osd_recovery_sleep = 0 means "the hdd value", so the hdd one is set).
multi_osd_settings() {
  (( osds > 1 )) || return 0
  cat <<SETTINGS
mon osd min down reporters = 1
mon osd reporter subtree level = osd
osd heartbeat interval = 1
osd heartbeat grace = 8
mon osd down out interval = 600
mon mgr mkfs grace = 86400
osd recovery sleep hdd = 0
SETTINGS
}

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
osd pool default size = $pool_size
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

$(multi_osd_settings)

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
for ((id = 0; id < osds; id++)); do
  ceph-authtool "$keyring" --gen-key -n "osd.$id" \
    --cap mon 'allow profile osd' --cap mgr 'allow profile osd' --cap osd 'allow *' >/dev/null
done
ceph-authtool "$keyring" --gen-key -n client.rgw.a \
  --cap mon 'allow rw' --cap osd 'allow rwx' --cap mgr 'allow rw' >/dev/null

monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_v2,v1:127.0.0.1:$mon_v1]" \
  "$dir/monmap" >/dev/null
ceph-mon -c "$conf" --mkfs -i a --monmap "$dir/monmap" --keyring "$keyring" \
  >"$dir/log/mon-mkfs.out" 2>&1 || fail "mon mkfs failed: $(cat "$dir/log/mon-mkfs.out")"
ceph-mon -c "$conf" -i a >"$dir/log/mon.out" 2>&1 || fail "mon did not start"

# Mon commands through librados (~0.1 s each) instead of the ceph CLI (~1 s each): osd.sh.
mon() { # json ... -> runs each mon command, fails on the first error
  osd_mon_commands "$conf" "$@"
}

# Every OSD: registered with the mon, then its bluestore made (in parallel), then started.
osd_uuids=() new_osds=()
for ((id = 0; id < osds; id++)); do
  osd_uuids[id]="$(uuidgen)"
  new_osds+=("{\"prefix\":\"osd new\",\"uuid\":\"${osd_uuids[id]}\",\"id\":$id}")
done
mon "${new_osds[@]}" || fail "osd new failed"
mkfs_pids=()
for ((id = 0; id < osds; id++)); do
  ceph-osd -c "$conf" -i "$id" --mkfs --osd-uuid "${osd_uuids[id]}" >"$dir/log/osd.$id-mkfs.out" 2>&1 &
  mkfs_pids[id]=$!
done
for ((id = 0; id < osds; id++)); do
  wait "${mkfs_pids[id]}" || fail "osd.$id mkfs failed: $(tail -n 20 "$dir/log/osd.$id-mkfs.out")"
done
# ceph-osd mounts its store before it daemonizes (~2 s each): launch them side by side.
launch_pids=()
for ((id = 0; id < osds; id++)); do
  osd_launch "$conf" "$dir" "$id" &
  launch_pids[id]=$!
done
for ((id = 0; id < osds; id++)); do
  wait "${launch_pids[id]}" || fail "osd.$id did not start"
done

mon "{\"prefix\":\"osd pool create\",\"pool\":\"$pool\",\"pg_num\":$pg_num,\"pgp_num\":$pg_num}" \
    "{\"prefix\":\"osd pool application enable\",\"pool\":\"$pool\",\"app\":\"rados\"}" \
  || fail "creating pool $pool failed"

# Ready for RADOS when a write to the pool succeeds (the OSD is up and the PGs active); with
# several OSDs, when every OSD is up and every PG active+clean (replicated) as well.
rados_wait_ready "$conf" "$pool" || fail "RADOS not ready in 60 s"
if (( osds > 1 )); then
  pgs_wait_clean "$conf" 120 || fail "the $osds-OSD cluster did not become clean"
fi

# The S3 user (this also creates RGW's own pools), then the gateway.
if [[ "$with_rgw" == 1 ]]; then
  radosgw-admin -c "$conf" -n client.admin user create --uid=regstore --display-name=regstore \
    --access-key="$access_key" --secret-key="$secret_key" >"$dir/log/user-create.out" 2>&1 \
    || fail "radosgw-admin user create failed: $(tail -n 20 "$dir/log/user-create.out")"
  rgw_launch "$conf" "$dir" || fail "radosgw did not start"

  # Ready for S3 when a signed request succeeds: create the tests' bucket (idempotent).
  rgw_wait_ready "http://127.0.0.1:$rgw_port" "$access_key" "$secret_key" "$bucket" \
    || fail "radosgw did not answer a signed S3 request on 127.0.0.1:$rgw_port"
fi

{
  if [[ "$with_rgw" == 1 ]]; then
    cat <<ENV
REGSTORE_TEST_S3_ACCESSKEY=$access_key
REGSTORE_TEST_S3_SECRETKEY=$secret_key
REGSTORE_TEST_S3_REGION=us-east-1
REGSTORE_TEST_S3_REGIONENDPOINT=http://127.0.0.1:$rgw_port
REGSTORE_TEST_S3_BUCKET=$bucket
REGSTORE_TEST_S3_FORCEPATHSTYLE=true
REGSTORE_TEST_S3_SECURE=false
ENV
  fi
  cat <<ENV
REGSTORE_TEST_RADOS_POOLNAME=$pool
REGSTORE_TEST_RADOS_USERNAME=admin
REGSTORE_TEST_RADOS_CONFFILE=$conf
REGSTORE_TEST_RADOS_KEYRING=$keyring
ENV
} > "$envfile"
if [[ "$with_rgw" == 1 ]]; then
  echo "ceph: up (mon 127.0.0.1:$mon_v2, rgw http://127.0.0.1:$rgw_port, bucket $bucket, pool $pool); env in $envfile"
else
  echo "ceph: up (mon 127.0.0.1:$mon_v2, $osds OSDs, pool $pool of size $pool_size, no radosgw); env in $envfile"
fi
