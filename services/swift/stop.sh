#!/usr/bin/env bash
# Stops the Swift all-in-one started by start.sh (by pid file, bounded waits) and releases
# its device. Logs and configuration stay in the state folder for inspection.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# The proxy first, so no new requests reach the backends while they stop.
for name in proxy object-updater container-updater object container account memcached; do
  stop_pidfile "$STATE/run/$name.pid"
done

unmount_device
rm -f "$DEVICE_IMAGE" "$ENV_FILE"
echo "swift: stopped"
