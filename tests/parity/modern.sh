#!/bin/bash
# `utx who` / `utx lastlog` on modern Linux sources: logind, lastlog2 (and
# wtmpdb through the library), under a temporary --root, plus this host.
#
#   bash tests/parity/modern.sh UTX_BINARY
#
# Truth: coreutils `who FILE` on a glibc-written utmp copied into the tree
# (utmp wins over logind); the values written into the logind tree and
# into a lastlog2 database written by the sqlite3 tool (Debian package
# "sqlite3"; those cases SKIP without it). `--watch` is checked with a
# bound (the command must print its second table within 20 s of a
# change), never with a timing assertion.
# Prints PASS/FAIL/SKIP per case; exits non-zero when any case fails.
set -u
UTX=${1:?usage: modern.sh UTX_BINARY}
case $UTX in /*) ;; *) UTX=$PWD/$UTX ;; esac
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export LANG=C LC_ALL=C TZ=UTC

pass=0 fail=0 skip=0
ok()   { echo "PASS $*"; pass=$((pass + 1)); }
bad()  { echo "FAIL $*"; fail=$((fail + 1)); }
skp()  { echo "SKIP $*"; skip=$((skip + 1)); }
# same NAME EXPECTED_FILE ACTUAL_FILE
same() {
    if cmp -s "$2" "$3"; then ok "$1"; else bad "$1"; diff -u "$2" "$3" | head -n 20 | sed 's/^/    /'; fi
}

W=$(mktemp -d "${TMPDIR:-/tmp}/utx-modern.XXXXXX")
WATCH_PID=
trap '[ -n "$WATCH_PID" ] && kill "$WATCH_PID" 2>/dev/null; rm -rf "$W"' EXIT

T=$W/tree
mkdir -p "$T/run/systemd/seats" "$T/run/systemd/sessions" "$T/run/systemd/users" \
    "$T/var/lib/lastlog"
printf '# This is private data. Do not parse.\nIS_SEAT0=1\nACTIVE=3\n' >"$T/run/systemd/seats/seat0"
cat >"$T/run/systemd/sessions/3" <<'S'
# This is private data. Do not parse.
UID=1000
USER=alice
ACTIVE=1
STATE=active
REMOTE=1
CLASS=user
TTY=/dev/pts/0
REMOTE_HOST="192.0.2.7"
SERVICE=sshd
LEADER=4242
REALTIME=1700000000000000
S
cat >"$T/run/systemd/sessions/c1" <<'S'
# This is private data. Do not parse.
UID=1000
USER=alice
STATE=online
CLASS=manager
REALTIME=1699999990000000
S
cat >"$T/run/systemd/sessions/5" <<'S'
# This is private data. Do not parse.
UID=1001
USER=bob
STATE=online
CLASS=user
DISPLAY=:1
REALTIME=1700000100250000
S

# 1. logind: the tree's sessions, oldest first; manager session left out.
printf '%s\n' 'alice    pts/0        Nov 14 22:13 (192.0.2.7)' 'bob      :1           Nov 14 22:15' >"$W/who.exp"
"$UTX" who --root "$T" >"$W/who.out" 2>"$W/who.err"
same "who --root: logind sessions" "$W/who.exp" "$W/who.out"
"$UTX" who --root "$T" --verbose >/dev/null 2>"$W/v.err"
if grep -qx "utx: source: logind:$T/run/systemd" "$W/v.err"; then ok "who --verbose names logind"; else bad "who --verbose names logind: $(cat "$W/v.err")"; fi
"$UTX" who --root "$T" --json >"$W/j.out" 2>&1
if grep -q "^{\"source\":\"logind:$T/run/systemd\",\"users\":\[{\"user\":\"alice\",\"line\":\"pts/0\",\"host\":\"192.0.2.7\",\"id\":\"3\",\"service\":\"sshd\",\"pid\":4242,\"session\":3,\"uid\":1000,\"sec\":1700000000,\"usec\":0," "$W/j.out" &&
    grep -q '"user":"bob","line":":1",.*"session":5,"uid":1001,"sec":1700000100,"usec":250000' "$W/j.out"; then
    ok "who --json: source and sessions"
else
    bad "who --json: source and sessions"; sed 's/^/    /' "$W/j.out"
fi
n=$("$UTX" who --root "$T" --all-sessions | wc -l)
if [ "$n" = 3 ]; then ok "who --all-sessions keeps the manager session"; else bad "who --all-sessions: $n lines"; fi

# 2. "unavailable" is not "nobody".
mkdir -p "$W/empty"
"$UTX" who --root "$W/empty" >"$W/e.out" 2>"$W/e.err"; rc=$?
if [ "$rc" = 3 ] && [ ! -s "$W/e.out" ] && grep -q "logind is not running" "$W/e.err"; then
    ok "who with no utmp and no logind: exit 3, says logind is not running"
else
    bad "who with no utmp and no logind (rc=$rc): $(cat "$W/e.err")"
fi
mkdir -p "$W/idle/run/systemd/seats" "$W/idle/run/systemd/sessions"
"$UTX" who --root "$W/idle" --json >"$W/i.out" 2>"$W/i.err"; rc=$?
if [ "$rc" = 0 ] && grep -qx "{\"source\":\"logind:$W/idle/run/systemd\",\"users\":\[\]}" "$W/i.out"; then
    ok "who with logind and no sessions: empty, exit 0"
else
    bad "who with logind and no sessions (rc=$rc): $(cat "$W/i.out" "$W/i.err")"
fi

# 3. A utmp with records wins over logind: same output as coreutils who.
if command -v gcc >/dev/null && command -v who >/dev/null &&
    gcc -std=c99 -D_GNU_SOURCE -O2 -o "$W/utmpgen" "$ROOT/tests/gen/utmpgen.c" 2>/dev/null &&
    "$W/utmpgen" utmp-table "$T/run/utmp" >/dev/null 2>&1; then
    who "$T/run/utmp" >"$W/cw.exp"
    "$UTX" who --root "$T" >"$W/cw.out" 2>&1
    same "who --root with a glibc-written run/utmp = coreutils who FILE" "$W/cw.exp" "$W/cw.out"
    "$UTX" who --root "$T" --verbose 2>&1 >/dev/null | grep -qx "utx: source: $T/run/utmp" &&
        ok "who --verbose names the utmp file" || bad "who --verbose names the utmp file"
    rm -f "$T/run/utmp"
else
    skp "utmp over logind (needs gcc, coreutils who and the generator)"
fi

# 4. lastlog2 (no lastlog file in the tree).
if command -v sqlite3 >/dev/null; then
    sqlite3 "$T/var/lib/lastlog/lastlog2.db" \
        "CREATE TABLE IF NOT EXISTS Lastlog2(Name TEXT PRIMARY KEY, Time INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT);
         REPLACE INTO Lastlog2 VALUES('alice', 1700000000, 'pts/0', '192.0.2.7', 'sshd');
         REPLACE INTO Lastlog2 VALUES('bob', 1700000500, 'tty1', '', 'login');"
    {
        printf 'Username         Port     From%*sLatest\n' 39 ' '
        printf '%-16s %-8.8s %-42s%s\n' alice pts/0 192.0.2.7 'Tue Nov 14 22:13:20 +0000 2023'
        printf '%-16s %-8.8s %-42s%s\n' bob tty1 '' 'Tue Nov 14 22:21:40 +0000 2023'
    } >"$W/ll.exp"
    "$UTX" lastlog --root "$T" >"$W/ll.out" 2>&1
    same "lastlog --root: lastlog2 rows" "$W/ll.exp" "$W/ll.out"
    "$UTX" lastlog --root "$T" --verbose 2>&1 >/dev/null |
        grep -qx "utx: source: lastlog2:$T/var/lib/lastlog/lastlog2.db" &&
        ok "lastlog --verbose names lastlog2" || bad "lastlog --verbose names lastlog2"
    "$UTX" lastlog --root "$T" --json >"$W/lj.out" 2>&1
    grep -q "^{\"source\":\"lastlog2:$T/var/lib/lastlog/lastlog2.db\",\"logins\":\[{\"user\":\"alice\",\"line\":\"pts/0\",\"host\":\"192.0.2.7\",\"service\":\"sshd\",\"uid\":-1,\"sec\":1700000000," "$W/lj.out" &&
        ok "lastlog --json: source and logins" || { bad "lastlog --json"; sed 's/^/    /' "$W/lj.out"; }
else
    skp "lastlog2 cases (sqlite3 not installed: apt-get install sqlite3)"
fi

# 4b. A wtmpdb database and the equivalent wtmp file (written by util-linux
# `utmpdump -r`): `utx last` on the database prints what util-linux `last`
# prints on the file, byte for byte (both are named wtmp.db so the
# "begins" line matches).
if command -v sqlite3 >/dev/null && command -v utmpdump >/dev/null && command -v last >/dev/null; then
    mkdir -p "$W/eqa" "$W/eqb"
    cat >"$W/eq.txt" <<'E'
[2] [00000] [~~  ] [reboot  ] [~           ] [6.1.0-28-amd64      ] [0.0.0.0        ] [2023-11-14T22:13:20,000000+00:00]
[7] [00000] [    ] [alice   ] [pts/0       ] [192.0.2.7           ] [192.0.2.7      ] [2023-11-14T22:14:20,250000+00:00]
[7] [00000] [    ] [bob     ] [tty1        ] [                    ] [0.0.0.0        ] [2023-11-14T22:15:00,000000+00:00]
[8] [00000] [    ] [alice   ] [pts/0       ] [192.0.2.7           ] [192.0.2.7      ] [2023-11-14T22:20:00,000000+00:00]
[7] [00000] [    ] [carol   ] [pts/1       ] [2001:db8::1         ] [2001:db8::1    ] [2023-11-14T22:21:00,000000+00:00]
[8] [00000] [    ] [carol   ] [pts/1       ] [2001:db8::1         ] [2001:db8::1    ] [2023-11-14T22:25:00,000000+00:00]
[1] [00000] [~~  ] [shutdown] [~           ] [6.1.0-28-amd64      ] [0.0.0.0        ] [2023-11-14T22:28:20,000000+00:00]
[2] [00000] [~~  ] [reboot  ] [~           ] [6.1.0-28-amd64      ] [0.0.0.0        ] [2023-11-14T22:30:00,000000+00:00]
E
    utmpdump -r <"$W/eq.txt" >"$W/eqa/wtmp.db" 2>/dev/null
    sqlite3 "$W/eqb/wtmp.db" "CREATE TABLE IF NOT EXISTS wtmp(ID INTEGER PRIMARY KEY, Type INTEGER, User TEXT NOT NULL, Login INTEGER, Logout INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT) STRICT;
        INSERT INTO wtmp VALUES(1,1,'reboot',1700000000000000,1700000900000000,'~','6.1.0-28-amd64',NULL);
        INSERT INTO wtmp VALUES(2,3,'alice',1700000060250000,1700000400000000,'pts/0','192.0.2.7','sshd');
        INSERT INTO wtmp VALUES(3,3,'bob',1700000100000000,NULL,'tty1',NULL,'login');
        INSERT INTO wtmp VALUES(4,3,'carol',1700000460000000,1700000700000000,'pts/1','2001:db8::1','sshd');
        INSERT INTO wtmp VALUES(5,1,'reboot',1700001000000000,NULL,'~','6.1.0-28-amd64',NULL);"
    for o in "" "-x" "-F -x" "-i" "-w" "-n 2"; do
        # shellcheck disable=SC2086
        last $o -f "$W/eqa/wtmp.db" >"$W/la.exp" 2>&1
        # shellcheck disable=SC2086
        "$UTX" last $o -f "$W/eqb/wtmp.db" >"$W/la.out" 2>&1
        same "last $o: wtmpdb database = util-linux last on the equivalent wtmp" "$W/la.exp" "$W/la.out"
    done
    n=$("$UTX" last --json -f "$W/eqb/wtmp.db" | grep -c ",\"source\":\"wtmpdb:$W/eqb/wtmp.db\",\"host_name\":\"\"}\$")
    if [ "$n" = 5 ]; then ok "last --json: every line names the wtmpdb source"; else bad "last --json source on $n of 5 lines"; fi
    "$UTX" last --verbose -f "$W/eqb/wtmp.db" 2>&1 >/dev/null | grep -qx "utx: source: wtmpdb:$W/eqb/wtmp.db" &&
        ok "last --verbose names wtmpdb" || bad "last --verbose names wtmpdb"
else
    skp "wtmpdb vs wtmp (needs sqlite3, utmpdump and last)"
fi

# 5. who --watch prints the table again after a session appears.
"$UTX" who --root "$T" --watch=2 >"$W/watch.out" 2>"$W/watch.err" &
WATCH_PID=$!
for _ in $(seq 1 200); do [ -s "$W/watch.out" ] && break; sleep 0.1; done
printf 'UID=1002\nUSER=carol\nSTATE=online\nTTY=tty3\nREALTIME=1700000200000000\n' >"$T/run/systemd/sessions/.#7tmp"
mv "$T/run/systemd/sessions/.#7tmp" "$T/run/systemd/sessions/7"
for _ in $(seq 1 200); do kill -0 "$WATCH_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$WATCH_PID" 2>/dev/null; then
    bad "who --watch=2: no second table within 20 s of a change"
    kill "$WATCH_PID" 2>/dev/null
else
    wait "$WATCH_PID"; rc=$?
    { cat "$W/who.exp"; echo; cat "$W/who.exp"; echo 'carol    tty3         Nov 14 22:16'; } >"$W/watch.exp"
    if [ "$rc" = 0 ]; then same "who --watch=2: table, change, table" "$W/watch.exp" "$W/watch.out"; else bad "who --watch=2 exit $rc: $(cat "$W/watch.err")"; fi
fi
WATCH_PID=

# 6. This host: a source is named, or why there is none.
"$UTX" who --verbose >/dev/null 2>"$W/h.err"; rc=$?
if { [ "$rc" = 0 ] && grep -q '^utx: source: ' "$W/h.err"; } ||
    { [ "$rc" = 3 ] && grep -q 'logind is not running' "$W/h.err"; }; then
    ok "who on this host: $(head -n 1 "$W/h.err")"
else
    bad "who on this host (rc=$rc): $(cat "$W/h.err")"
fi

echo "modern: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
