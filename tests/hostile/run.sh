#!/usr/bin/env bash
# The hostile-input suite (issue 10): make the inputs, build
# tests/hostile/hostile.c against build/libutx.a and run every case in a
# child with a time and a memory bound.  Needs root (the permission cases
# become nobody), sqlite3, gzip and python3 (a socket, a lock holder).
#
#   bash tests/hostile/run.sh [CASE...]
#   HOSTILE_LIB=other/libutx.a ...                 against another build
#   HOSTILE_MEASURE=1 bash tests/hostile/run.sh   also the 2 M-row wtmpdb
#                                                 measurement (slow)
set -eu
cd "$(dirname "$0")/../.."
B=build
CC=${CC:-cc}
bin=$B/hostile
$CC -std=c99 -Wall -Wextra -Wpedantic -Werror -O1 -g -pthread -Iinclude \
    -o $bin tests/hostile/hostile.c ${HOSTILE_LIB:-$B/libutx.a} $(cat $B/native-static-libs)

# Inputs live under /tmp (nobody must reach the permission cases' files);
# the two slow-to-make ones are kept in build/hostile-cache.
D=$(mktemp -d /tmp/utx-hostile.XXXXXX)
locker=
cleanup() {
    if [ -n "$locker" ]; then kill "$locker" 2>/dev/null || true; wait "$locker" 2>/dev/null || true; fi
    rm -rf "$D"
    return 0
}
trap cleanup EXIT
chmod 755 "$D"
C=$B/hostile-cache
mkdir -p $C "$D/scratch"

WTMPDB_SCHEMA="CREATE TABLE wtmp(ID INTEGER PRIMARY KEY, Type INTEGER, User TEXT NOT NULL, Login INTEGER, Logout INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT) STRICT;"
small_wtmpdb() {
    sqlite3 "$1" "$WTMPDB_SCHEMA INSERT INTO wtmp VALUES(1,3,'alice',1700000000000000,1700000100000000,'pts/0','192.0.2.1','sshd'),(2,1,'reboot',1700000200000000,NULL,'~','6.1.0','');"
}

# Odd files.
mkfifo "$D/fifo"
python3 -c "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])" "$D/socket"
ln -s loop-b "$D/loop-a"
ln -s loop-a "$D/loop-b"
truncate -s 1T "$D/sparse-1tb"
[ -s $C/zeros-256m ] || head -c 256M /dev/zero > $C/zeros-256m
ln -s "$PWD/$C/zeros-256m" "$D/zeros-256m"

# gzip.
gzip -9c samples/wtmp > "$D/wtmp.gz"
{ printf '\037\213\010\000\000\000\000\000\000\003'; head -c 4096 samples/wtmp; } > "$D/corrupt.gz"
[ -s $C/bomb.gz ] || head -c 1G /dev/zero | gzip -9 > $C/bomb.gz
ln -s "$PWD/$C/bomb.gz" "$D/bomb.gz"

# logind trees.
logind_tree() { mkdir -p "$1/seats" "$1/sessions" "$1/users"; }
logind_tree "$D/logind-fifo"
mkfifo "$D/logind-fifo/sessions/1"
logind_tree "$D/root-fifo/run/systemd"
mkfifo "$D/root-fifo/run/systemd/sessions/1"
logind_tree "$D/logind-fifo-user"
printf 'UID=1000\nSTATE=active\nREALTIME=1700000000000000\n' > "$D/logind-fifo-user/sessions/1"
mkfifo "$D/logind-fifo-user/users/1000"
logind_tree "$D/logind-zero"
ln -s /dev/zero "$D/logind-zero/sessions/1"
logind_tree "$D/logind-huge"
truncate -s 1G "$D/logind-huge/sessions/1"

# SQLite.
sqlite3 "$D/view.db" "CREATE VIEW wtmp AS WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r) SELECT i AS ID, 3 AS Type, 'u' AS User, i AS Login, NULL AS Logout, 'pts/0' AS TTY, '' AS RemoteHost, '' AS Service FROM r ORDER BY i DESC;"
sqlite3 "$D/view2.db" "CREATE VIEW Lastlog2 AS WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r) SELECT 'u' || i AS Name, i AS Time, '' AS TTY, '' AS RemoteHost, '' AS Service FROM r ORDER BY Name;"
mkdir -p "$D/root-view/var/lib/wtmpdb"
cp "$D/view.db" "$D/root-view/var/lib/wtmpdb/wtmp.db"
# A database whose table pages are overwritten with text.
sqlite3 "$D/corrupt.db" "$WTMPDB_SCHEMA WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r LIMIT 2000) INSERT INTO wtmp SELECT i, 3, 'user' || i, i * 1000000, NULL, 'pts/1', 'host', 'sshd' FROM r;"
yes 'not a b-tree page' | head -c 65536 | dd of="$D/corrupt.db" bs=4096 seek=1 conv=notrunc status=none
small_wtmpdb "$D/locked.db"
[ -s $C/bigfield.db ] || sqlite3 $C/bigfield.db "$WTMPDB_SCHEMA INSERT INTO wtmp VALUES(1,3,hex(zeroblob(100000000)),1700000000000000,NULL,'pts/0','','sshd');"
ln -s "$PWD/$C/bigfield.db" "$D/bigfield.db"
small_wtmpdb "$D/swap.db"
mkfifo "$D/swap-fifo"
small_wtmpdb "$D/private.db"
chmod 600 "$D/private.db"

# NetBSD lastlogx: 4,096 buckets of 256-byte pages, each holding one record
# and an overflow link to bucket 0's page, which links to itself.
python3 - "$D/lastlogx-cycle" <<'EOF'
import struct, sys
PAGE, BUCKETS = 256, 4096
hdr = [0x061561, 2, 4321, PAGE, 8, 256, 256, 8, 1, 0, BUCKETS - 1, 8191, 4095, 65536, 0, 1, 0] + [0] * 32
out = bytearray(PAGE * (BUCKETS + 1))
out[0:len(hdr) * 4] = b"".join(struct.pack(">I", w) for w in hdr)
for b in range(BUCKETS):
    base = PAGE * (1 + b)
    key, val = struct.pack(">I", b), bytes(16)
    k = PAGE - 4
    d = k - len(val)
    out[base + k:base + PAGE] = key
    out[base + d:base + k] = val
    # Overflow address 0 (split 0, page 0): bucket 0's page.
    out[base:base + 10] = struct.pack(">5H", 4, k, d, 0, 0)
open(sys.argv[1], "wb").write(out)
EOF

# Files changed while read: 1,000 records.
for f in changing-wtmp moving-wtmp; do
    while [ "$(stat -c %s "$D/$f" 2>/dev/null || echo 0)" -lt 384000 ]; do cat samples/wtmp >> "$D/$f"; done
    truncate -s 384000 "$D/$f"
done

# 5,000 files of two records each.
mkdir "$D/many"
while [ "$(stat -c %s "$D/many.all" 2>/dev/null || echo 0)" -lt 3840000 ]; do cat samples/wtmp >> "$D/many.all"; done
head -c 3840000 "$D/many.all" | split -b 768 -d -a 4 - "$D/many/w"
rm "$D/many.all"

cp samples/wtmp "$D/private-wtmp"
chmod 600 "$D/private-wtmp"

# A writer holds locked.db's exclusive lock for the whole run.
python3 -c "
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('BEGIN EXCLUSIVE')
c.execute('DELETE FROM wtmp')
print('locked', flush=True)
time.sleep(600)
" "$D/locked.db" > "$D/locker.out" &
locker=$!
for _ in $(seq 50); do grep -q locked "$D/locker.out" 2>/dev/null && break; sleep 0.1; done

status=0
$bin "$D" "$@" || status=1

if [ -n "${HOSTILE_MEASURE:-}" ]; then
    echo "--- wtmpdb, 2 M rows (1 M sessions with logout + 1 M open), newest first"
    big=$C/wtmpdb-2m.db
    [ -s $big ] || sqlite3 $big "$WTMPDB_SCHEMA WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM r LIMIT 2000000) INSERT INTO wtmp SELECT i, 3, 'user' || (i % 500), 1700000000000000 + i * 1000000, CASE WHEN i % 2 = 0 THEN 1700000000000000 + i * 1000000 + 3600000000 END, 'pts/' || (i % 40), '192.0.2.' || (i % 250), 'sshd' FROM r;"
    $bin --iterate $big
    echo "--- the longest a writer waited for its commit while the reader read"
    python3 - $big "$bin" <<'EOF'
import sqlite3, subprocess, sys, time
db, hostile = sys.argv[1], sys.argv[2]
c = sqlite3.connect(db, isolation_level=None, timeout=60)
def write(until):
    worst, n = 0.0, 0
    while until():
        t = time.monotonic()
        c.execute("BEGIN IMMEDIATE")
        c.execute("UPDATE wtmp SET Logout = Logout WHERE ID = 1")
        c.execute("COMMIT")
        worst = max(worst, time.monotonic() - t)
        n += 1
        time.sleep(0.01)
    return n, worst
end = time.monotonic() + 3
n, worst = write(lambda: time.monotonic() < end)
print(f"no reader: {n} writer transactions, longest {worst * 1000:.0f} ms")
reader = subprocess.Popen([hostile, "--iterate", db])
n, worst = write(lambda: reader.poll() is None)
print(f"with the reader: {n} writer transactions, longest {worst * 1000:.0f} ms")
EOF
fi
exit $status
