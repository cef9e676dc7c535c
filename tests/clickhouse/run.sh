#!/usr/bin/env bash
# docs/clickhouse.sql against a real ClickHouse engine: chdb (ClickHouse
# in-process, from PyPI), pinned, in a virtual environment under build/.
#
#   bash tests/clickhouse/run.sh --install   make build/chdb-venv (reused when
#                                            it already has chdb $CHDB_VERSION)
#   bash tests/clickhouse/run.sh [UTX]       the test (tests/clickhouse/run.py)
#
# --install exits non-zero, saying why, when chdb cannot be installed (no
# network, no python3-venv); ci/test.sh then prints a SKIP line.
set -u
cd "$(dirname "$0")/../.."
CHDB_VERSION=3.7.2
VENV=build/chdb-venv

have_chdb() {
    "$VENV/bin/python" -c "import chdb, sys; sys.exit(chdb.__version__ != '$CHDB_VERSION')" 2>/dev/null
}

if [ "${1:-}" = --install ]; then
    have_chdb && { echo "chdb $CHDB_VERSION: $VENV"; exit 0; }
    [ -x "$VENV/bin/pip" ] || python3 -m venv "$VENV" || { echo "python3 -m venv failed (python3-venv missing?)"; exit 1; }
    # The manylinux wheel is self-contained (chdb 4 needs pandas and pyarrow).
    "$VENV/bin/pip" install -q --disable-pip-version-check "chdb==$CHDB_VERSION" ||
        { echo "pip install chdb==$CHDB_VERSION failed (no network to PyPI?)"; exit 1; }
    have_chdb || { echo "chdb $CHDB_VERSION does not import"; exit 1; }
    echo "chdb $CHDB_VERSION installed: $VENV"
    exit 0
fi

UTX=${1:-build/utx}
[ -x "$UTX" ] || { echo "error: $UTX not built"; exit 1; }
have_chdb || { echo "error: no chdb $CHDB_VERSION in $VENV (bash $0 --install)"; exit 1; }
TMP=$(mktemp -d /tmp/utx-clickhouse.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
# glibc-written files (tests/gen/utmpgen.c)
gcc -std=c99 -D_GNU_SOURCE -O2 -o "$TMP/utmpgen" tests/gen/utmpgen.c || exit 1
mkdir "$TMP/gen"
"$TMP/utmpgen" all "$TMP/gen" >/dev/null || exit 1
# docs/fleet/: the configurations parse and their commands work.
timeout -k 5 120 python3 tests/clickhouse/configs.py "$UTX" "$TMP/gen" "$TMP/configs.json" || exit 1
timeout -k 5 240 "$VENV/bin/python" tests/clickhouse/run.py "$UTX" "$TMP/gen" "$TMP/configs.json"
