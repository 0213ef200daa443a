"""Starts one Swift server or daemon with swift.conf read from this run's own folder.

Swift reads /etc/swift/swift.conf (hash prefix/suffix, storage policies) unless told
otherwise; pointing it at the run's etc/ keeps the machine's /etc/swift untouched and lets
parallel runs use their own hashes. Usage: launcher.py ETC_DIR KIND CONF_FILE, where KIND is
proxy, account, container, object (WSGI servers), container-updater or object-updater (daemons).
"""
import os
import sys

os.environ.setdefault("EVENTLET_NO_GREENDNS", "yes")  # halves start-up time


def main():
    etc_dir, kind, conf_file = sys.argv[1:4]
    from swift.common import utils, storage_policy

    utils.set_swift_dir(etc_dir)
    # set_swift_dir re-reads the hash settings only; policies were parsed at import time.
    storage_policy.reload_storage_policies()

    if kind in ("container-updater", "object-updater"):
        from swift.common.daemon import run_daemon
        from swift.container.updater import ContainerUpdater
        from swift.obj.updater import ObjectUpdater

        daemon = ContainerUpdater if kind == "container-updater" else ObjectUpdater
        run_daemon(daemon, conf_file, once=False)
        return 0

    from swift.common.wsgi import run_wsgi

    return run_wsgi(conf_file, kind + "-server")


if __name__ == "__main__":
    sys.exit(main())
