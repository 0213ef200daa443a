"""Builds the three one-replica rings in one process (swift-ring-builder costs ~1.8 s a call).
Usage: rings.py ETC_DIR ACCOUNT_PORT CONTAINER_PORT OBJECT_PORT"""
import sys

from swift.common.ring import RingBuilder


def main():
    etc_dir = sys.argv[1]
    ports = {"account": int(sys.argv[2]), "container": int(sys.argv[3]), "object": int(sys.argv[4])}
    for name, port in ports.items():
        # part_power 8 keeps the rings tiny; one device, one replica: a one-node all-in-one.
        builder = RingBuilder(8, 1, 1)
        builder.add_dev({"id": 0, "region": 1, "zone": 1, "ip": "127.0.0.1", "port": port,
                         "device": "d1", "weight": 100, "meta": ""})
        builder.rebalance()
        builder.save(f"{etc_dir}/{name}.builder")
        builder.get_ring().save(f"{etc_dir}/{name}.ring.gz")


if __name__ == "__main__":
    main()
