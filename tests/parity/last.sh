#!/bin/bash
# Parity of `utx last` / `utx lastb` with util-linux 2.38 last(1).
#
#   bash tests/parity/last.sh UTX_BINARY
#
# 1. util-linux's own test procedure (tests/ts/utmp/last and last-ipv6 at
#    v2.38.1): the file linked as wtmp-a / wtmp-ipv6, LANG=C TZ=GMT, the
#    "~~~ name ~~~" blocks, compared with the expected outputs in the
#    shared corpus (corpus/util-linux/expected-v2.38.1/utmp/).
# 2. Files written by glibc (tests/gen/utmpgen all), each compared with the
#    installed `last -f` run on the same file right before (`last` looks
#    at /proc and the boot time for "gone - no logout", so both run at the
#    same moment), under LANG=C TZ=UTC, for a set of options.
# Prints PASS/FAIL/SKIP per case; exits non-zero when any case fails.
set -u
UTX=${1:?usage: last.sh UTX_BINARY}
case $UTX in /*) ;; *) UTX=$PWD/$UTX ;; esac
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

SHARED=
for d in "${UTX_SHARED:-}" "$ROOT/../shared" "$ROOT/../../shared"; do
    if [ -n "$d" ] && [ -d "$d/corpus/util-linux" ]; then SHARED=$(cd "$d" && pwd); break; fi
done

pass=0 fail=0 skip=0
ok()   { echo "PASS $*"; pass=$((pass + 1)); }
bad()  { echo "FAIL $*"; fail=$((fail + 1)); }
skp()  { echo "SKIP $*"; skip=$((skip + 1)); }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/utx-last-parity.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# -------------------------------------------------------------------
# 1. util-linux expected outputs
if [ -z "$SHARED" ]; then
    skp "util-linux expected outputs: ../shared (the corpus) is absent"
else
    TS=$SHARED/corpus/util-linux/ts/utmp
    EXP=$SHARED/corpus/util-linux/expected-v2.38.1/utmp
    run_block() { # name, args...
        local name=$1; shift
        echo "~~~ $name ~~~"
        "$UTX" last "$@" 2>/dev/null
    }
    (
        cd "$WORK" || exit 1
        ln -sf "$TS/wtmp-a.LE" wtmp-a
        export LANG=C TZ=GMT
        run_block "basic output" -f wtmp-a
        run_block "include system" -f wtmp-a -x
        run_block "show ip" -f wtmp-a -i torvalds
        run_block "no host" -f wtmp-a -R torvalds
        run_block "full times shortopt" -f wtmp-a -F
        run_block "full times longopt" -f wtmp-a --time-format=full
        run_block "no time" -f wtmp-a --time-format=notime
        run_block "iso-8601 time" -f wtmp-a --time-format=iso -w
        run_block "since and until" -f wtmp-a -s "2013-08-28 02:20" -t "2013-08-28 08:20"
        run_block "present" -f wtmp-a -p "2013-08-28 11:20"
    ) >"$WORK/last-nodns.out"
    if cmp -s "$WORK/last-nodns.out" "$EXP/last-nodns"; then ok "util-linux last-nodns"
    else bad "util-linux last-nodns"; diff "$EXP/last-nodns" "$WORK/last-nodns.out" | head -20; fi
    (
        cd "$WORK" || exit 1
        ln -sf "$TS/wtmp-ipv6.LE" wtmp-ipv6
        export LANG=C TZ=GMT
        run_block "show ip" -f wtmp-ipv6 -i
        run_block "show ip last" -f wtmp-ipv6 -i -a
    ) >"$WORK/last-ipv6-nodns.out"
    if cmp -s "$WORK/last-ipv6-nodns.out" "$EXP/last-ipv6-nodns"; then ok "util-linux last-ipv6-nodns"
    else bad "util-linux last-ipv6-nodns"; diff "$EXP/last-ipv6-nodns" "$WORK/last-ipv6-nodns.out" | head -20; fi
fi

# -------------------------------------------------------------------
# 2. glibc-written files against the installed last
LAST=$(command -v last || true)
LASTB=$(command -v lastb || true)
if [ -z "$LAST" ] || ! "$LAST" --version 2>/dev/null | grep -q util-linux; then
    skp "installed util-linux last: not found"
elif ! command -v gcc >/dev/null; then
    skp "utmpgen: no gcc"
elif ! gcc -std=c99 -D_GNU_SOURCE -O2 -o "$WORK/utmpgen" "$ROOT/tests/gen/utmpgen.c" 2>"$WORK/gcc.err"; then
    skp "utmpgen: does not build here ($(head -1 "$WORK/gcc.err"))"
else
    mkdir -p "$WORK/gen"
    "$WORK/utmpgen" all "$WORK/gen" >/dev/null 2>&1 || true
    # The same tools at the same moment; LANG=C TZ=UTC.
    compare() { # label, tool (last|lastb), args...
        local label=$1 tool=$2; shift 2
        local ref=$LAST
        [ "$tool" = lastb ] && ref=${LASTB:-$LAST}
        LANG=C TZ=UTC "$ref" "$@" >"$WORK/ref" 2>/dev/null
        LANG=C TZ=UTC "$UTX" "$tool" "$@" >"$WORK/got" 2>/dev/null
        if ! cmp -s "$WORK/ref" "$WORK/got"; then
            # Open sessions are shown relative to now (and a boot time read
            # from the clock): the two runs may straddle a minute. Once more.
            LANG=C TZ=UTC "$ref" "$@" >"$WORK/ref" 2>/dev/null
            LANG=C TZ=UTC "$UTX" "$tool" "$@" >"$WORK/got" 2>/dev/null
        fi
        if cmp -s "$WORK/ref" "$WORK/got"; then
            ok "$label"
        else
            bad "$label"; diff "$WORK/ref" "$WORK/got" | head -10
        fi
    }
    OPTS=("" "-x" "-w" "-F" "-i" "-a" "-R" "-x -w -i" "--time-format=iso" "--time-format=full"
          "--time-format=notime -x" "--time-format=short" "-n 3" "-5" "-x -n 7" "-a -i -w")
    for f in "$WORK"/gen/*.wtmp; do
        name=$(basename "$f")
        [ "$name" = big.wtmp ] && continue
        tool=last
        [ "$name" = btmp.wtmp ] && tool=lastb
        for o in "${OPTS[@]}"; do
            # shellcheck disable=SC2086
            compare "$tool -f $name $o" $tool -f "$f" $o
        done
    done
    G=$WORK/gen
    compare "last -f many-users.wtmp user and tty args" last -f "$G/many-users.wtmp" root pts/3 tty2 2
    compare "last -f many-users.wtmp -x reboot" last -x -f "$G/many-users.wtmp" reboot
    compare "last -f reboots.wtmp reboot shutdown" last -x -f "$G/reboots.wtmp" reboot shutdown runlevel
    compare "last -f many-users.wtmp -s/-t" last -f "$G/many-users.wtmp" -s "2015-03-01 12:00" -t "2015-03-02 18:30:00"
    compare "last -f reboots.wtmp -p" last -x -f "$G/reboots.wtmp" -p "2021-02-01 02:07"
    compare "last -f many-users.wtmp --until only" last -f "$G/many-users.wtmp" --until "2015-03-02"
    compare "last -f many-users.wtmp --since only" last -f "$G/many-users.wtmp" --since "2015-03-02 09:15:30"
    compare "last -f many-users.wtmp -p" last -f "$G/many-users.wtmp" -p "2015-03-02 12:00"
    compare "last -f reboots.wtmp -s/-t across boots" last -x -f "$G/reboots.wtmp" -s "2021-02-01 01:00" -t "2021-02-01 02:10"
    compare "last two -f files" last -f "$G/reboots.wtmp" -f "$G/many-users.wtmp" -x
    compare "last -n 5 over two files" last -n 5 -f "$G/reboots.wtmp" -f "$G/many-users.wtmp"
    compare "lastb -f btmp.wtmp -w -i" lastb -f "$G/btmp.wtmp" -w -i
    compare "last -f types.wtmp -x -F" last -x -F -f "$G/types.wtmp"
    # Rotated and gzipped: the same listing as last on the whole file (the
    # "begins" line names the file given, so it is left out).
    if command -v gzip >/dev/null; then
        f=$G/many-users.wtmp
        head -c $((384 * 100)) "$f" >"$WORK/w.2"
        tail -c +$((384 * 100 + 1)) "$f" | head -c $((384 * 60)) >"$WORK/w.1"
        tail -c +$((384 * 160 + 1)) "$f" >"$WORK/w.0"
        gzip -f "$WORK/w.2"
        gzip -c "$G/reboots.wtmp" >"$WORK/reboots.gz"
        LANG=C TZ=UTC "$LAST" -x -f "$f" 2>/dev/null | sed '/^$/,$d' >"$WORK/ref"
        LANG=C TZ=UTC "$UTX" last -x --merge -f "$WORK/w.2.gz" -f "$WORK/w.1" -f "$WORK/w.0" 2>/dev/null | sed '/^$/,$d' >"$WORK/got"
        if cmp -s "$WORK/ref" "$WORK/got"; then ok "last --merge wtmp.2.gz wtmp.1 wtmp = whole file"; else bad "last --merge"; diff "$WORK/ref" "$WORK/got" | head; fi
        LANG=C TZ=UTC "$LAST" -x -f "$G/reboots.wtmp" 2>/dev/null | sed '/^$/,$d' >"$WORK/ref"
        LANG=C TZ=UTC "$UTX" last -x -f "$WORK/reboots.gz" 2>/dev/null | sed '/^$/,$d' >"$WORK/got"
        if cmp -s "$WORK/ref" "$WORK/got"; then ok "last -f reboots.gz = last -f reboots.wtmp"; else bad "last -f .gz"; fi
    fi
    : >"$WORK/empty"
    compare "last -f empty file" last -f "$WORK/empty"
    # A login of this user by this shell, now: "still logged in" or "gone"
    # depends on /proc/<pid>/loginuid and /dev/<tty>, checked by both.
    if command -v utmpdump >/dev/null; then
        now=$(date -u +%Y-%m-%dT%H:%M:%S,000000+00:00)
        me=$(id -un)
        printf '[7] [%05d] [ts/9] [%-8s] [pts/9       ] [live.example        ] [192.0.2.7      ] [%s]\n' \
            $$ "$me" "$now" | utmpdump -r -o "$WORK/live.wtmp" 2>/dev/null
        compare "last -f live.wtmp (this shell's pid)" last -f "$WORK/live.wtmp"
        # Logouts before their logins: negative durations of minutes,
        # hours and days ("(-00:30)", "(-2:15)", "(-3+02:15)").
        {
            for r in "7 100 1 neg1 10:00 01" "8 100 1 - 09:30 01" "7 101 2 neg2 10:00 01" \
                     "8 101 2 - 07:45 01" "7 102 3 neg3 10:00 05" "8 102 3 - 07:45 02"; do
                set -- $r
                u=$4; [ "$u" = - ] && u=
                printf '[%s] [%05d] [ts/%s] [%-8s] [pts/%-8s] [h                   ] [0.0.0.0        ] [2020-01-%sT%s:00,000000+00:00]\n' \
                    "$1" "$2" "$3" "$u" "$3" "$6" "$5"
            done
        } | utmpdump -r -o "$WORK/neg.wtmp" 2>/dev/null
        for o in "" -F --time-format=notime; do
            # shellcheck disable=SC2086
            compare "last -f neg.wtmp $o (negative durations)" last $o -f "$WORK/neg.wtmp"
        done
    fi
fi

# -------------------------------------------------------------------
# 3. --json: one valid JSON object per listed session, same sessions and
#    order as the text listing (-R -w: one user field per line).
if [ -n "${G:-}" ] && command -v python3 >/dev/null; then
    for f in many-users reboots clock; do
        LANG=C TZ=UTC "$UTX" last -x --json -f "$G/$f.wtmp" >"$WORK/json" 2>/dev/null
        LANG=C TZ=UTC "$UTX" last -x -R -w -f "$G/$f.wtmp" 2>/dev/null | sed '/^$/,$d' >"$WORK/text"
        if python3 - "$WORK/json" "$WORK/text" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
text = [l.split()[0] for l in open(sys.argv[2], encoding="latin-1") if l.strip()]
users = [r["user"].split()[0] if r["user"].strip() else "" for r in rows]
assert len(rows) == len(text), (len(rows), len(text))
for r in rows:
    assert r["kind"] in ("user", "reboot", "shutdown", "runlevel", "clock"), r
    assert r["end"] in ("logged-out", "still-logged-in", "gone", "crash", "down", "still-running", "instant"), r
    assert (r["logout"] is None) == (r["end"] in ("still-logged-in", "gone", "still-running") or (r["kind"] in ("clock", "shutdown") and r["logout"] is None)), r
    if r["end"] == "logged-out" and r["kind"] == "user":
        assert r["logout_offset"] is not None and r["logout"] >= 0, r
PY
        then ok "--json $f.wtmp"; else bad "--json $f.wtmp"; fi
    done
fi

# -------------------------------------------------------------------
# 4. Foreign files: sessions with no logout are "still logged in", as the
#    system's own last says (its companion text), never judged by this
#    host's processes.
if [ -n "$SHARED" ]; then
    S4=$SHARED/corpus/s4/logs
    for pair in "FreeBSD13.1/x86_64/utx.log:utx.log.txt" "NetBSD9.3/x86_64/wtmpx:wtmpx.last.txt"; do
        f=$S4/${pair%%:*}
        companion=$(dirname "$f")/${pair#*:}
        LANG=C TZ=UTC "$UTX" last -f "$f" >"$WORK/foreign" 2>/dev/null
        want=$(grep -c 'still logged in' "$companion")
        got=$(grep -c 'still logged in' "$WORK/foreign")
        if [ "$want" -gt 0 ] && [ "$got" = "$want" ] && ! grep -q 'gone - no logout' "$WORK/foreign"; then
            ok "last -f ${pair%%:*}: $got still logged in, as the native last"
        else
            bad "last -f ${pair%%:*}: $got 'still logged in' lines, the native last has $want"
        fi
    done
fi

echo "last parity: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
