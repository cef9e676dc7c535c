#!/usr/bin/env bash
# The `compat` step: libutx-compat (the POSIX utmpx drop-in) against glibc.
#
#   (0) the .so exports exactly the 13 names, SONAME libutx-compat.so.1;
#       libutx-compat.a defines no other global; include/utx/utmpx.h
#       declares exactly those names
#   (a) tests/compat/posix.c linked against glibc and against
#       libutx-compat reads every tests/gen file glibc wrote: identical
#       output (every getutxent record field by field, getutxid and
#       getutxline lookups, cursor mixes, a utmpxname switch)
#   (b) its pututxline/updwtmpx script writes identical files and output
#       (dynamic and static libutx-compat); login/logout/logwtmp in a
#       private mount namespace write identical utmp and wtmp but for
#       the pid and time glibc stamps
#   (c) coreutils who and users, unmodified, with LD_PRELOAD: the same
#       output on each file; on a logind tree without utmp
#       (UTX_COMPAT_ROOT) `who` lists the sessions `utx who --root` lists,
#       and `who -b` the boot time
#   (d) 8 threads each walk the whole file with their own cursor
#   (e) valgrind, and the program under ASan/UBSan, over the read, write
#       and thread runs
# Run from the repository root after `make` (ci/test.sh compat).
set -u
B=build
CC=${CC:-cc}
F="-std=c99 -Wall -Wextra -Wpedantic -Werror -D_GNU_SOURCE -O1 -g -pthread -Iinclude"
SO=$B/libutx-compat.so.1
NAMES="endutxent getutmp getutmpx getutxent getutxid getutxline login logout logwtmp pututxline setutxent updwtmpx utmpxname"
T=$(mktemp -d /tmp/utx-compat.XXXXXX)
trap 'rm -rf "$T"' EXIT
bad=0 nfail=0 mark=0
fail() { echo "FAIL: $*"; bad=1; nfail=$((nfail + 1)); }
# ok MESSAGE: printed when nothing failed since the previous ok.
ok() { [ $nfail = $mark ] && echo "ok: $*"; mark=$nfail; }

# ---- (0) exports, SONAME, archive, header ----
exported=$(nm -D --defined-only $SO | awk '{print $3}' | sort | paste -sd' ')
[ "$exported" = "$NAMES" ] || fail "$SO exports '$exported'"
leaks=$(nm -D --defined-only $SO | awk '$2 != "T"')
[ -z "$leaks" ] || fail "$SO exports non-functions: $leaks"
soname=$(objdump -p $SO | awk '$1 == "SONAME" {print $2}')
[ "$soname" = libutx-compat.so.1 ] || fail "SONAME is '$soname'"
[ "$(readlink $B/libutx-compat.so)" = libutx-compat.so.1 ] || fail "$B/libutx-compat.so is not a symlink to the .so.1"
in_a=$(readelf -sW $B/libutx-compat.a | awk 'NF >= 8 && $7 != "UND" && $7 != "Ndx" &&
    ($5 == "GLOBAL" || $5 == "WEAK" || $5 == "UNIQUE") {print $8}' | sort -u | paste -sd' ')
[ "$in_a" = "$NAMES" ] || fail "libutx-compat.a defines globals '$in_a'"
declared=$(grep -oE '[a-z]+\(' include/utx/utmpx.h | tr -d '(' | sort -u | paste -sd' ')
[ "$declared" = "$NAMES" ] || fail "include/utx/utmpx.h declares '$declared'"
ok "13 names exported (.so and .a), SONAME $soname, header declares the same 13"

# ---- build ----
$CC $F -o "$T/posix-glibc" tests/compat/posix.c || exit 1
$CC $F -o "$T/posix-compat" tests/compat/posix.c -L$B -lutx-compat || exit 1
# shellcheck disable=SC2046
$CC $F -o "$T/posix-static" tests/compat/posix.c $B/libutx-compat.a $(cat $B/native-static-libs) || exit 1
readelf -d "$T/posix-static" | grep -q 'NEEDED.*utx' && fail "posix-static needs libutx-compat.so"
$CC -std=c99 -D_GNU_SOURCE -Wall -Wextra -Wpedantic -Werror -O2 -o "$T/utmpgen" tests/gen/utmpgen.c || exit 1
"$T/utmpgen" all "$T/gen" > /dev/null || echo "note: utmpgen all exit $? (logwtmp needs namespaces)"
glibc() { "$T/posix-glibc" "$@"; }
compat() { LD_LIBRARY_PATH=$B "$T/posix-compat" "$@"; }

# The compat binary really runs libutx-compat: it reads a FreeBSD
# utx.active, which glibc cannot.
fbsd=${UTX_CORPUS:-../shared/corpus}/s4/logs/FreeBSD13.1/x86_64/utx.active
if [ -f "$fbsd" ]; then
    out=$(compat read "$fbsd")
    echo "$out" | grep -q '^ent: type=7 pid=855 line="pts/0" id="pts/" user="root" host="host.net"' ||
        fail "FreeBSD utx.active through the POSIX API: $out"
    ok "a FreeBSD utx.active read through getutxent (USER_PROCESS root on pts/0)"
else
    fail "no corpus file $fbsd (set UTX_CORPUS)"
fi

# ---- (a) reads: glibc vs libutx-compat on glibc-written files ----
n=0 lines=0
for f in "$T"/gen/*; do
    case $f in */big.wtmp) continue ;; esac
    glibc read "$f" "$T/gen/utmp-table.utmp" > "$T/g.out"
    compat read "$f" "$T/gen/utmp-table.utmp" > "$T/c.out"
    if cmp -s "$T/g.out" "$T/c.out"; then
        n=$((n + 1)); lines=$((lines + $(wc -l < "$T/g.out")))
    else
        fail "read $(basename "$f"): output differs (< glibc, > libutx-compat)"
        diff "$T/g.out" "$T/c.out" | head -n 10
    fi
done
[ $n -ge 11 ] || fail "only $n files compared"
ok "(a) $n glibc-written files: $lines identical result lines (getutxent, getutxid, getutxline with errno, cursor, utmpxname)"

# ---- (b) writes ----
for v in glibc compat static; do
    : > "$T/$v.utmp"; : > "$T/$v.wtmp"
done
glibc write "$T/glibc.utmp" "$T/glibc.wtmp" > "$T/w-glibc.out"
compat write "$T/compat.utmp" "$T/compat.wtmp" > "$T/w-compat.out"
"$T/posix-static" write "$T/static.utmp" "$T/static.wtmp" > "$T/w-static.out"
for v in compat static; do
    cmp "$T/w-glibc.out" "$T/w-$v.out" || { fail "write [$v]: output differs"; diff "$T/w-glibc.out" "$T/w-$v.out" | head; }
    cmp "$T/glibc.utmp" "$T/$v.utmp" || fail "write [$v]: pututxline wrote other bytes"
    cmp "$T/glibc.wtmp" "$T/$v.wtmp" || fail "write [$v]: updwtmpx wrote other bytes"
done
[ "$(wc -c < "$T/glibc.utmp")" -ge $((10 * 384)) ] || fail "the pututxline script wrote too little"
ok "(b) pututxline script ($(grep -c . "$T/w-glibc.out") lines), updwtmpx, getutmp/getutmpx: identical files and output, dynamic and static"

# login/logout/logwtmp write the fixed /var/run/utmp and /var/log/wtmp:
# each run gets its own tmpfs there, in a private mount namespace, and a
# terminal (login records the caller's tty): script(1) on a fresh devpts
# instance, so both runs are on pts/0.
libutil() {
    local out=$T/lu-$1
    mkdir -p "$out"
    unshare -m sh -c '
        mount -t tmpfs none /var/log && mount -t tmpfs none /run &&
        mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts &&
        mount --bind /dev/pts/ptmx /dev/ptmx &&
        touch /var/log/wtmp /var/run/utmp &&
        script -qec "'"$2"' libutil pts/0" /dev/null > "'"$out"'/out" < /dev/null &&
        cp /var/log/wtmp /var/run/utmp "'"$out"'/"'
}
# The pid (bytes 4-7) and the time (340-347) are the run's own.
masked() { python3 -c '
import sys
d = bytearray(open(sys.argv[1], "rb").read())
for i in range(0, len(d) - len(d) % 384, 384):
    d[i + 4:i + 8] = b"\0" * 4
    d[i + 340:i + 348] = b"\0" * 8
sys.stdout.buffer.write(bytes(d))' "$1"; }
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null && command -v script >/dev/null; then
    libutil glibc "$T/posix-glibc" || fail "libutil run [glibc] failed"
    libutil compat "env LD_LIBRARY_PATH=$PWD/$B $T/posix-compat" || fail "libutil run [compat] failed"
    cmp "$T/lu-glibc/out" "$T/lu-compat/out" || fail "login/logout/logwtmp: output differs"
    for f in wtmp utmp; do
        cmp <(masked "$T/lu-glibc/$f") <(masked "$T/lu-compat/$f") || fail "login/logout/logwtmp: $f differs"
    done
    [ "$(wc -c < "$T/lu-glibc/wtmp")" = $((3 * 384)) ] || fail "glibc wrote $(wc -c < "$T/lu-glibc/wtmp") bytes of wtmp"
    grep -q 'logout=1' "$T/lu-glibc/out" || fail "glibc's logout found no slot (no terminal?)"
    ok "(b) login on pts/0, logwtmp, logout x3: same return values, same utmp and wtmp but pid and time"
else
    fail "login/logout/logwtmp need root, unshare -m and script (util-linux)"
fi

# ---- (c) unmodified coreutils who and users over LD_PRELOAD ----
n=0
for f in "$T"/gen/*; do
    for cmd in "who" "who -a" "who -b" "who -q" "users"; do
        # shellcheck disable=SC2086
        a=$(LC_ALL=C TZ=UTC $cmd "$f" 2>&1)
        # shellcheck disable=SC2086
        b=$(LC_ALL=C TZ=UTC LD_PRELOAD=$SO $cmd "$f" 2>&1)
        if [ "$a" = "$b" ]; then n=$((n + 1)); else
            fail "LD_PRELOAD $cmd $(basename "$f") differs"; diff <(echo "$a") <(echo "$b") | head -n 6
        fi
    done
done
ok "(c) $n runs of who, who -a, who -b, who -q, users: same output with LD_PRELOAD=$SO"

# This machine's default: who has no file to name; both see what the
# fallback chain gives (utx who reads the same chain).
a=$(LC_ALL=C TZ=UTC LD_PRELOAD=$SO who 2>&1 | awk '{print $1, $2}')
b=$(LC_ALL=C TZ=UTC $B/utx who 2>/dev/null | awk '{print $1, $2}')
[ "$a" = "$b" ] || { fail "LD_PRELOAD who on this host differs from utx who"; echo "who: $a"; echo "utx: $b"; }
ok "(c) LD_PRELOAD who on this host lists what utx who lists ($(echo -n "$a" | grep -c .) logins)"

# A root with logind's state and no utmp: the sessions, and a boot record.
R=$T/root
mkdir -p "$R/run/systemd/seats" "$R/run/systemd/sessions" "$R/run/systemd/users"
printf 'IS_SEAT0=1\nCAN_TTY=1\nACTIVE=3\nSESSIONS=3 5\n' > "$R/run/systemd/seats/seat0"
now=$(($(date +%s) * 1000000))
printf 'UID=1000\nUSER=alice\nACTIVE=1\nSTATE=active\nREMOTE=1\nTYPE=tty\nCLASS=user\nTTY=/dev/pts/0\nREMOTE_HOST=192.0.2.7\nSERVICE=sshd\nLEADER=%s\nREALTIME=%s\n' \
    $$ $((now - 300000000)) > "$R/run/systemd/sessions/3"
printf 'UID=1001\nUSER=bob\nACTIVE=1\nSTATE=online\nTYPE=tty\nCLASS=user\nTTY=tty2\nSEAT=seat0\nSERVICE=login\nLEADER=%s\nREALTIME=%s\n' \
    $$ $((now - 60000000)) > "$R/run/systemd/sessions/5"
printf 'NAME=alice\nSTATE=active\n' > "$R/run/systemd/users/1000"
printf 'NAME=bob\nSTATE=online\n' > "$R/run/systemd/users/1001"
a=$(LC_ALL=C TZ=UTC UTX_COMPAT_ROOT=$R LD_PRELOAD=$SO who 2>&1)
b=$(LC_ALL=C TZ=UTC $B/utx who --root "$R" 2>&1)
echo "who (preloaded, logind tree):"; echo "$a"
echo "utx who --root:"; echo "$b"
[ "$(echo "$a" | awk '{print $1, $2}')" = "$(echo "$b" | awk '{print $1, $2}')" ] ||
    fail "who over the logind tree lists other users/lines than utx who --root"
[ "$(echo "$a" | grep -c .)" = 2 ] || fail "who over the logind tree: want 2 sessions"
u=$(UTX_COMPAT_ROOT=$R LD_PRELOAD=$SO users)
[ "$u" = "alice bob" ] || fail "users over the logind tree gave '$u'"
boot=$(LC_ALL=C TZ=UTC UTX_COMPAT_ROOT=$R LD_PRELOAD=$SO who -b)
want=$(LC_ALL=C TZ=UTC date -d "@$(awk '/^btime/ {print $2}' /proc/stat)" '+%b %e %H:%M')
echo "who -b: $boot (boot $want)"
case $boot in *"system boot"*"$want"*) ;; *) fail "who -b over the logind tree: '$boot', want $want" ;; esac
ok "(c) logind tree without utmp: who lists alice and bob as utx who --root does; users; who -b gives /proc/stat's boot"

# ---- (d) threads ----
for f in many-users.wtmp big.wtmp; do
    compat threads "$T/gen/$f" 8 || fail "threads on $f"
done
ok "(d) 8 threads, each its own cursor, each saw every record 5 times"

# ---- (e) valgrind ----
if command -v valgrind >/dev/null; then
    VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite"
    : > "$T/vg.utmp"; : > "$T/vg.wtmp"
    LD_LIBRARY_PATH=$B $VG "$T/posix-compat" read "$T/gen/ipv6.wtmp" "$T/gen/utmp-table.utmp" > /dev/null || fail "valgrind read"
    LD_LIBRARY_PATH=$B $VG "$T/posix-compat" write "$T/vg.utmp" "$T/vg.wtmp" > /dev/null || fail "valgrind write"
    LD_LIBRARY_PATH=$B $VG "$T/posix-compat" threads "$T/gen/many-users.wtmp" 8 > /dev/null || fail "valgrind threads"
    ok "(e) valgrind: read, write, threads clean"
else
    fail "valgrind not installed"
fi
SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
# shellcheck disable=SC2086
$CC $F $SAN -o "$T/posix-asan" tests/compat/posix.c -L$B -lutx-compat || exit 1
: > "$T/asan.utmp"; : > "$T/asan.wtmp"
asan() { LD_LIBRARY_PATH=$B ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 "$T/posix-asan" "$@" > /dev/null; }
asan read "$T/gen/many-users.wtmp" "$T/gen/utmp-table.utmp" || fail "ASan read"
asan write "$T/asan.utmp" "$T/asan.wtmp" || fail "ASan write"
asan threads "$T/gen/big.wtmp" 8 || fail "ASan threads"
ok "(e) ASan/UBSan (the C side): read, write, threads clean"
exit $bad
