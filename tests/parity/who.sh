#!/usr/bin/env bash
# Parity of `utx who` with coreutils 9.1 who(1), option by option.
#
#   bash tests/parity/who.sh UTX_BINARY
#
# 1. Files written by glibc (tests/gen/utmpgen.c: every entry type, a
#    pututxline utmp table, clock changes, reboots): `who OPTS FILE` and
#    `utx who OPTS FILE`, stdout and exit status byte for byte, for every
#    option of who 9.1 and their long forms.
# 2. -T and -u: who stats the tty of each user (/dev/LINE, or LINE itself
#    when absolute) for its mode (+ group tty may write, - not, ? no such
#    file) and idle time (atime).  A utmp whose lines are files made here
#    with known modes and access times (now, 2 h ago, 3 days ago, absent)
#    makes the check independent of this host's /dev.
# 3. -m and "am i": under a pseudo-terminal (script(1)), with a utmp
#    naming that terminal.
# 4. The real utmp files of the corpus, with -a, -q, -H -u, -b -r.
# 5. Usage errors: the same message (program name aside) as who.
# Prints PASS/FAIL/SKIP per case; exits non-zero when any case fails.
set -u
UTX=${1:?usage: who.sh UTX_BINARY}
case $UTX in /*) ;; *) UTX=$PWD/$UTX ;; esac
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export LANG=C LC_ALL=C TZ=UTC

pass=0 fail=0 skip=0
ok()  { echo "PASS $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
skp() { echo "SKIP $*"; skip=$((skip + 1)); }

WORK=$(mktemp -d /tmp/uw.XXXXXX) # short: the -T lines live here (32 bytes)
trap 'rm -rf "$WORK"' EXIT
command -v who >/dev/null || { skp "coreutils who is not installed"; exit 0; }

# compare NAME ARGS...: who ARGS vs utx who ARGS, run in $DIR.
compare() {
    local name=$1 try
    shift
    # -T and -u stat /dev/LINE: a pty another process opens or closes
    # between the two runs changes the answer, so a difference is retried.
    for try in 1 2 3; do
        (cd "$DIR" && who "$@" >"$WORK/e.out" 2>"$WORK/e.err"; echo $? >"$WORK/e.rc")
        (cd "$DIR" && "$UTX" who "$@" >"$WORK/u.out" 2>"$WORK/u.err"; echo $? >"$WORK/u.rc")
        cmp -s "$WORK/e.out" "$WORK/u.out" && break
        sleep 0.2
    done
    if ! cmp -s "$WORK/e.out" "$WORK/u.out"; then
        bad "$name"
        diff -u --label "who $*" --label "utx who $*" "$WORK/e.out" "$WORK/u.out" | head -n 20 | sed 's/^/    /'
    elif ! cmp -s "$WORK/e.rc" "$WORK/u.rc"; then
        bad "$name: exit $(cat "$WORK/u.rc"), who exits $(cat "$WORK/e.rc")"
    else
        ok "$name ($(wc -l <"$WORK/e.out") lines)"
    fi
}

OPTSETS=("" -a -b -d -H -l -m -p -q -r -s -t -T -w -u --lookup -aH "-s -d" "-s -u"
    "-d -s" -bt -lpd "-H -q" "-Hm" "-r -T" --all --boot --count --dead --heading
    --login --process --runlevel --short --time --mesg --message --writable --users
    --co --me "--all --heading --lookup" "-u --" "-aH --")

# ------------------------------------------------------------------
# 1. glibc-written files
if ! gcc -std=c99 -D_GNU_SOURCE -O2 -o "$WORK/utmpgen" "$ROOT/tests/gen/utmpgen.c" 2>"$WORK/gcc.err"; then
    bad "generator builds: $(head -n 3 "$WORK/gcc.err")"
else
    "$WORK/utmpgen" all "$WORK/gen" >/dev/null 2>&1
    DIR=$WORK/gen
    for f in types.wtmp utmp-table.utmp clock.wtmp reboots.wtmp many-users.wtmp ipv6.wtmp fullwidth.wtmp logwtmp.wtmp; do
        [ -s "$DIR/$f" ] || { skp "gen/$f: not written here"; continue; }
        for o in "${OPTSETS[@]}"; do
            # shellcheck disable=SC2086
            compare "who $o gen/$f" $o "$f"
        done
    done
fi

# ------------------------------------------------------------------
# 2. -T and -u on ttys with known modes and times
if python3 - "$WORK" <<'PY'
import grp, os, struct, sys, time
work = sys.argv[1]
now = int(time.time())
try:
    tty = grp.getgrnam("tty").gr_gid
except KeyError:
    tty = 0
recs = []
def rec(typ, pid, line, user, host, t, ident=b""):
    r = bytearray(384)
    struct.pack_into("<hxxi", r, 0, typ, pid)
    r[8:40] = line.encode().ljust(32, b"\0")
    r[40:44] = ident.ljust(4, b"\0")
    r[44:76] = user.encode().ljust(32, b"\0")
    r[76:332] = host.encode().ljust(256, b"\0")
    struct.pack_into("<ii", r, 340, t, 0)
    recs.append(bytes(r))
rec(2, 0, "~", "reboot", "6.1.0", now - 2 * 86400, b"~~")
# name, mode, group, atime (seconds ago; None: no such file)
ttys = [("a", 0o620, tty, 10), ("b", 0o600, tty, 7260), ("c", 0o620, tty, 3 * 86400),
        ("d", 0o622, 0, 100), ("e", 0o620, tty, None), ("f", 0o640, tty, 5 * 3600 + 42 * 60)]
for i, (name, mode, gid, ago) in enumerate(ttys):
    path = os.path.join(work, name)
    if ago is not None:
        open(path, "w").close()
        os.chown(path, -1, gid) if os.geteuid() == 0 else None
        os.chmod(path, mode)
        os.utime(path, (now - ago, now - ago))
    rec(7, 3000 + i, path, "user" + name, "host%d.example:0" % i if i % 2 else "", now - 3600 - i, name.encode())
# a relative line under /dev that cannot exist
rec(7, 3999, "no/such/tty", "ghost", "", now - 60, b"gh")
open(os.path.join(work, "ttys.utmp"), "wb").write(b"".join(recs))
PY
then
    DIR=$WORK
    for o in -T -u -Tu -a "-a -H" "-s -T" --mesg --users "-uT --lookup" -q -b; do
        # shellcheck disable=SC2086
        compare "who $o (ttys with known modes and times)" $o ttys.utmp
    done
    if grep -q ' old ' "$WORK/u.out" 2>/dev/null || "$UTX" who -u "$WORK/ttys.utmp" | grep -q ' old '; then
        "$UTX" who -Tu "$WORK/ttys.utmp" >"$WORK/t.out"
        if grep -q '^usera    + ' "$WORK/t.out" && grep -q '^userb    - ' "$WORK/t.out" &&
            grep -q '^usere    ? ' "$WORK/t.out" && grep -q ' 02:01 ' "$WORK/t.out" &&
            grep -q ' old ' "$WORK/t.out" && grep -q '  \. ' "$WORK/t.out"; then
            ok "who -Tu shows +, -, ?, '.', HH:MM and old"
        else
            bad "who -Tu shows +, -, ?, '.', HH:MM and old:" "$(cat "$WORK/t.out")"
        fi
    fi
else
    skp "-T/-u: python3 could not write the utmp"
fi

# ------------------------------------------------------------------
# 3. -m and "am i" under a pseudo-terminal
if command -v script >/dev/null && command -v python3 >/dev/null; then
    cat >"$WORK/m.sh" <<'SH'
set -u
line=$(tty) || exit 3
line=${line#/dev/}
python3 - "$line" "$WORK/m.utmp" <<'PY'
import struct, sys
line, out = sys.argv[1], sys.argv[2]
recs = b""
for i, (l, u) in enumerate([("tty9", "other"), (line, "me"), ("pts/999", "third")]):
    r = bytearray(384)
    struct.pack_into("<hxxi", r, 0, 7, 4000 + i)
    r[8:40] = l.encode().ljust(32, b"\0")
    r[44:76] = u.encode().ljust(32, b"\0")
    struct.pack_into("<ii", r, 340, 1700000000 + i, 0)
    recs += bytes(r)
open(out, "wb").write(recs)
PY
cd "$WORK" || exit 3
for o in -m -mH "-m -a" "-m -q"; do
    # shellcheck disable=SC2086
    who $o m.utmp >"m.e$o" 2>&1; echo $? >>"m.e$o"
    # shellcheck disable=SC2086
    "$UTX" who $o m.utmp >"m.u$o" 2>&1; echo $? >>"m.u$o"
done
if [ -e /run/utmp ] || [ -e /var/run/utmp ]; then # else utx says so (exit 3)
    who am i >m.eami 2>&1; echo $? >>m.eami
    "$UTX" who am i >m.uami 2>&1; echo $? >>m.uami
fi
SH
    WORK=$WORK UTX=$UTX script -qec "bash $WORK/m.sh" /dev/null </dev/null >/dev/null 2>&1
    for o in -m -mH "-m -a" "-m -q" ami; do
        if [ "$o" = ami ] && [ ! -f "$WORK/m.eami" ]; then
            skp "who am i: this host has no utmp"
        elif [ ! -f "$WORK/m.e$o" ]; then
            skp "who $o under a pty: script(1) gave no terminal here"
        elif cmp -s "$WORK/m.e$o" "$WORK/m.u$o"; then
            ok "who $o under a pty ($(($(wc -l <"$WORK/m.e$o") - 1)) lines)"
        else
            bad "who $o under a pty"
            diff -u "$WORK/m.e$o" "$WORK/m.u$o" | sed 's/^/    /'
        fi
    done
    if [ -f "$WORK/m.u-m" ] && ! grep -q '^me ' "$WORK/m.u-m"; then
        bad "who -m names the user of this terminal: $(cat "$WORK/m.u-m")"
    fi
else
    skp "-m: script(1) or python3 missing"
fi
# Without a terminal, -m prints nothing (the heading only with -H).
DIR=$WORK
[ -s "$WORK/gen/utmp-table.utmp" ] && for o in -m -mH; do
    compare "who $o without a terminal" $o gen/utmp-table.utmp </dev/null
done

# ------------------------------------------------------------------
# 4. the corpus
CORPUS=
for c in "${UTX_CORPUS:-}" "$ROOT/../shared/corpus" "$ROOT/../../shared/corpus"; do
    if [ -n "$c" ] && [ -f "$c/MANIFEST.md" ]; then CORPUS=$(cd "$c" && pwd); break; fi
done
if [ -z "$CORPUS" ]; then
    skp "corpus: ../shared/corpus not found"
else
    DIR=$CORPUS
    for f in $(cd "$CORPUS" && ls s4/logs/*/*/utmp 2>/dev/null) plaso/utmp dtformats/utmp-linux_libc6 \
        util-linux/ts/utmp/wtmp-a.LE util-linux/ts/utmp/wtmp-ipv6.LE; do
        # only files in this host's layout (who reads others as garbage)
        "$UTX" dump --json "$CORPUS/$f" 2>/dev/null | head -n 1 | grep -q '"format":"linux-384-le"' || continue
        for o in -a -q "-H -u" "-b -r" -dl; do
            # shellcheck disable=SC2086
            compare "who $o $f" $o "$f"
        done
    done
fi

# ------------------------------------------------------------------
# 5. usage errors: who's message with "utx who" for "who", exit 2
DIR=$WORK
for args in "-x" "--bogus" "--h" "--he" "a b c" "--boot=1" "--users=x" "-aZ"; do
    # shellcheck disable=SC2086
    who $args >/dev/null 2>"$WORK/e.err"
    # shellcheck disable=SC2086
    "$UTX" who $args >/dev/null 2>"$WORK/u.err"
    rc=$?
    sed 's/^utx who: /who: /; s/utx who --help/who --help/' "$WORK/u.err" >"$WORK/u.cmp"
    if [ "$rc" = 2 ] && cmp -s "$WORK/e.err" "$WORK/u.cmp"; then
        ok "who $args: who's message, exit 2"
    else
        bad "who $args: exit $rc" "$(diff "$WORK/e.err" "$WORK/u.cmp")"
    fi
done

echo "who parity: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
