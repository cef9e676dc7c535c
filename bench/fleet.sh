#!/usr/bin/env bash
# Fleet simulation (issue 15): N hosts' wtmp and btmp, exported with
# `utx dump --json --host-name` / `utx last --json`, ingested into
# ClickHouse (chdb 3.7.2, in process) in the tables of docs/clickhouse.sql.
# Prints utx's export rate, the insert rate, the size on disk per million
# rows, and each named query's latency.  Timings on a shared machine are
# for reading, never assertions.
#
#   bash bench/fleet.sh                      20 hosts x 5,000 events
#   UTX_FLEET_HOSTS=1000 UTX_FLEET_EVENTS=10000 bash bench/fleet.sh
#                                            1,000 hosts, 10 M events: about
#                                            4 GB of records, 5 GB of JSON
#                                            and 1 GB of tables under
#                                            UTX_FLEET_DIR, removed at the end
#
# Environment: UTX_FLEET_HOSTS (20), UTX_FLEET_EVENTS per host (5000),
# UTX_FLEET_JOBS exports at a time (the CPU count), UTX_FLEET_DIR
# (build/fleet), UTX (build/utx).  chdb is installed by
# tests/clickhouse/run.sh --install (PyPI).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
hosts=${UTX_FLEET_HOSTS:-20}
events=${UTX_FLEET_EVENTS:-5000}
jobs=${UTX_FLEET_JOBS:-$(nproc)}
dir=${UTX_FLEET_DIR:-$root/build/fleet}
utx=${UTX:-$root/build/utx}
[ -x "$utx" ] || { echo "fleet: $utx not built (make)"; exit 1; }
if ! bash tests/clickhouse/run.sh --install; then
    echo "fleet: SKIP (chdb could not be installed)"
    exit 0
fi
rm -rf "$dir"
trap 'rm -rf "$dir"' EXIT
build/chdb-venv/bin/python bench/fleet.py "$utx" "$dir" "$hosts" "$events" "$jobs"
