"""Mon and OSD commands for the test cluster's scripts (through osd.sh), over librados:
~0.1 s a call where the ceph CLI takes ~1 s. Run with Debian's /usr/bin/python3 (it has the
rados module; a pyenv python3 first on PATH does not).

Usage: cluster.py CONF COMMAND [ARGS]
  mon JSON...               runs each mon command in order (EEXIST is fine: a repeated create)
  ready POOL SECONDS        until a write to POOL succeeds (an OSD is up and the PGs active)
  wait-up ID SECONDS        until osd.ID is up in the OSD map
  wait-clean SECONDS        until HEALTH_OK, every OSD up and in, every PG active+clean
  primary POOL OBJECT...    prints the acting primary OSD of each object, one a line
  serve-from ID|all SECONDS primary affinity 0 for every OSD but ID (all: 1 for every OSD),
                            then until every PG is active+clean and, for ID, has ID as its
                            primary wherever it holds a copy
A wait that times out exits non-zero naming what was not yet as wanted.
"""
import json
import sys
import time

import rados


class Cluster:
    def __init__(self, conf):
        # A dead OSD makes a write wait for the next map: give up after 5 s and try again.
        self.client = rados.Rados(conffile=conf, name="client.admin", conf={"rados_osd_op_timeout": "5"})
        self.client.connect(timeout=20)

    def mon(self, prefix, **args):
        ret, out, err = self.client.mon_command(json.dumps(dict(prefix=prefix, format="json", **args)), b"", timeout=10)
        if ret != 0:
            raise RuntimeError(f"{prefix}: {ret} {err}")
        return json.loads(out) if out else None

    def pgs(self):
        """(pgid, query) of every placement group of every pool, each asked of its primary:
        there is no ceph-mgr, which is what reports PG states to the mon."""
        for pool in self.mon("osd dump")["pools"]:
            for n in range(pool["pg_num"]):
                pgid = f"{pool['pool']}.{n:x}"
                try:
                    ret, out, _ = self.client.pg_command(pgid, json.dumps({"prefix": "query", "pgid": pgid}), b"", timeout=5)
                    query = json.loads(out) if ret == 0 else None
                except rados.Error:
                    query = None
                yield pgid, query or {"state": "not answering", "acting": [], "info": {"stats": {}}}


def wait(seconds, problems, wanted):
    """Polls problems() (a list of what is not yet as wanted) until it is empty or SECONDS pass."""
    start = time.monotonic()
    while True:
        try:
            found = problems()
        except (rados.Error, RuntimeError, KeyError, ValueError) as e:
            found = [f"not answered: {e}"]
        if not found:
            print(f"ceph: {wanted} after {time.monotonic() - start:.1f} s")
            return
        if time.monotonic() - start > seconds:
            sys.exit(f"ceph: not yet {wanted} after {seconds:.0f} s: {'; '.join(found[:12])}")
        time.sleep(0.3)


def mon(cluster, *commands):
    for command in commands:
        ret, _, err = cluster.client.mon_command(command, b"", timeout=20)
        if ret not in (0, -17):
            sys.exit(f"mon command {command} failed: {ret} {err}")


def ready(cluster, pool, seconds):
    deadline = time.monotonic() + float(seconds)
    while True:
        try:
            with cluster.client.open_ioctx(pool) as io:
                io.write_full("regstore-ready", b"ok")
                io.remove_object("regstore-ready")
            return
        except rados.Error:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def wait_up(cluster, osd, seconds):
    osd = int(osd)
    wait(float(seconds),
         lambda: [] if any(o["osd"] == osd and o["up"] for o in cluster.mon("osd dump")["osds"]) else [f"osd.{osd} down"],
         f"osd.{osd} up")


def clean_problems(cluster):
    found = []
    health = cluster.mon("health")
    if health["status"] != "HEALTH_OK":
        found.append(f"{health['status']} ({', '.join(sorted(health.get('checks', {})))})")
    found += [f"osd.{o['osd']} {'up' if o['up'] else 'down'}/{'in' if o['in'] else 'out'}"
              for o in cluster.mon("osd dump")["osds"] if not (o["up"] and o["in"])]
    found += [f"pg {pgid} {q['state']}" for pgid, q in cluster.pgs() if q["state"] != "active+clean"]
    return found


def wait_clean(cluster, seconds):
    wait(float(seconds), lambda: clean_problems(cluster), "HEALTH_OK, every OSD up and in, every PG active+clean")


def primary(cluster, pool, *objects):
    for name in objects:
        print(cluster.mon("osd map", pool=pool, object=name)["acting_primary"])


def serve_from(cluster, target, seconds):
    for o in cluster.mon("osd dump")["osds"]:
        weight = 1.0 if target == "all" or o["osd"] == int(target) else 0.0
        if o["primary_affinity"] != weight:
            cluster.mon("osd primary-affinity", id=o["osd"], weight=weight)

    def problems():
        found = []
        for pgid, q in cluster.pgs():
            if q["state"] != "active+clean":
                found.append(f"pg {pgid} {q['state']}")
            elif target != "all" and int(target) in q["acting"] and q["info"]["stats"].get("acting_primary") != int(target):
                found.append(f"pg {pgid} primary osd.{q['info']['stats'].get('acting_primary')}")
        return found

    wait(float(seconds), problems,
         "every OSD primary again, every PG active+clean" if target == "all"
         else f"osd.{target} primary of every PG it holds, every PG active+clean")


COMMANDS = {"mon": mon, "ready": ready, "wait-up": wait_up, "wait-clean": wait_clean, "primary": primary, "serve-from": serve_from}

if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[2] not in COMMANDS:
        sys.exit(__doc__)
    cluster = Cluster(sys.argv[1])
    try:
        COMMANDS[sys.argv[2]](cluster, *sys.argv[3:])
    finally:
        cluster.client.shutdown()
