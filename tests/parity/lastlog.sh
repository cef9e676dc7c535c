#!/usr/bin/env bash
# Parity of `utx lastlog` with shadow 4.13 lastlog(8), option by option.
#
#   bash tests/parity/lastlog.sh UTX_BINARY
#
# Each case is a chroot-like tree made here: its own etc/passwd (accounts
# out of uid order, a gap, a shared uid, a uid beyond the file) and a
# var/log/lastlog written by Python (292-byte records: times of 2 days,
# 40 days and 3 years ago, a 2038-overflowing time, a full-width line and
# host), or a real lastlog of the corpus with accounts for its uids.
# `lastlog -R TREE OPTS` (shadow chroots: needs root) is compared with
# `utx lastlog --root TREE OPTS`, stdout and exit status byte for byte.
# Errors: the same message as shadow (program name aside), exit status 1
# for bad values and 2 for usage errors (shadow: 1).
# Prints PASS/FAIL/SKIP per case; exits non-zero when any case fails.
set -u
UTX=${1:?usage: lastlog.sh UTX_BINARY}
case $UTX in /*) ;; *) UTX=$PWD/$UTX ;; esac
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export LANG=C LC_ALL=C TZ=UTC

pass=0 fail=0 skip=0
ok()  { echo "PASS $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
skp() { echo "SKIP $*"; skip=$((skip + 1)); }

if ! command -v lastlog >/dev/null; then
    skp "shadow lastlog is not installed (package login)"
    echo "lastlog parity: $pass passed, $fail failed, $skip skipped"
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    skp "shadow lastlog -R chroots: needs root"
    echo "lastlog parity: $pass passed, $fail failed, $skip skipped"
    exit 0
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/utx-lastlog.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# tree DIR: etc/passwd and var/log/lastlog from Python ($2: a lastlog to copy)
tree() {
    mkdir -p "$1/etc" "$1/var/log"
    python3 - "$1" "${2:-}" <<'PY'
import os, struct, sys, time
root, copy = sys.argv[1], sys.argv[2]
now = int(time.time())
accounts = [("root", 0), ("daemon", 1), ("bin", 2), ("sys", 3), ("alice", 1000),
            ("carol", 1002), ("bob", 1001), ("alias0", 0), ("dave", 1003),
            ("a-very-long-user-name", 1004), ("eve", 1005), ("far", 70000),
            ("nobody", 65534)]
uids = set()
if copy:
    data = open(copy, "rb").read()
    for i in range(len(data) // 292):
        if any(data[i * 292:(i + 1) * 292]):
            uids.add(i)
    accounts += [("u%d" % u, u) for u in sorted(uids)]
with open(os.path.join(root, "etc/passwd"), "w") as f:
    for name, uid in accounts:
        f.write("%s:x:%d:%d::/home/%s:/bin/sh\n" % (name, uid, uid, name))
if copy:
    open(os.path.join(root, "var/log/lastlog"), "wb").write(data)
    sys.exit(0)
recs = {0: (now - 2 * 86400, "pts/0", "192.0.2.1"),
        1: (now - 40 * 86400, "tty1", ""),
        1000: (now - 3 * 365 * 86400, "pts/12345678901", "a-host.example.org"),
        1001: (now - 3600, "ssh:notty", "2001:db8::1%eth0-with-a-long-name"),
        1002: (0x80000010, "pts/3", "wraps.example"),
        1003: (1, "tty7", "epoch"),
        1004: (now - 10 * 86400, "x" * 32, "h" * 255)}
size = 1006 * 292  # eve (1005) and far (70000) lie beyond the file
buf = bytearray(size)
for uid, (t, line, host) in recs.items():
    struct.pack_into("<I", buf, uid * 292, t & 0xffffffff)
    buf[uid * 292 + 4:uid * 292 + 36] = line.encode()[:32].ljust(32, b"\0")
    buf[uid * 292 + 36:uid * 292 + 292] = host.encode()[:256].ljust(256, b"\0")
open(os.path.join(root, "var/log/lastlog"), "wb").write(bytes(buf))
PY
}

# compare NAME TREE OPTS...
compare() {
    local name=$1 t=$2
    shift 2
    lastlog -R "$t" "$@" >"$WORK/e.out" 2>"$WORK/e.err"
    echo "exit $?" >>"$WORK/e.out"
    "$UTX" lastlog --root "$t" "$@" >"$WORK/u.out" 2>"$WORK/u.err"
    echo "exit $?" >>"$WORK/u.out"
    if cmp -s "$WORK/e.out" "$WORK/u.out"; then
        ok "$name ($(($(wc -l <"$WORK/e.out") - 1)) lines)"
    else
        bad "$name"
        diff -u --label "lastlog -R $*" --label "utx lastlog --root $*" "$WORK/e.out" "$WORK/u.out" |
            head -n 20 | sed 's/^/    /'
    fi
}

OPTS=("" "-u root" "-u 0" "-u alias0" "-u 1000" "-u bob" "-u 1-3" "-u 2-" "-u -3" "-u 1000-1005"
    "-u 99999" "-u 70000" "-u 5-3" "-u ''" "-t 1" "-t 5" "-t 30" "-t 0x10" "-t 100000" "-b 1"
    "-b 30" "-b 0" "-b 5000" "-t 50 -b 5" "-t 50 -u 0-1001" "-b 20 -u 1000-" "--time=5"
    "--before 30" "--user=daemon" "--user carol" "--ti 5" "-u0" "-t5" "-R_ROOT_ -u 1")

section_tree() { # NAME TREE
    local o
    for o in "${OPTS[@]}"; do
        o=${o//_ROOT_/$2}
        eval "compare \"lastlog $o ($1)\" \"\$2\" $o"
    done
}

n=0
tree "$WORK/synth"
section_tree "synthetic" "$WORK/synth"

# login.defs' LASTLOG_UID_MAX: accounts above it are not listed (unless -u).
tree "$WORK/max"
printf '# comment\nLASTLOG_UID_MAX\t60000\n' >"$WORK/max/etc/login.defs"
for o in "" "-u 1000-" "-t 100000"; do
    eval "compare \"lastlog $o (LASTLOG_UID_MAX 60000)\" \"\$WORK/max\" $o"
done

# The corpus: real lastlog files, accounts made for their uids.
CORPUS=
for c in "${UTX_CORPUS:-}" "$ROOT/../shared/corpus" "$ROOT/../../shared/corpus"; do
    if [ -n "$c" ] && [ -f "$c/MANIFEST.md" ]; then CORPUS=$(cd "$c" && pwd); break; fi
done
FILES=("$ROOT/samples/lastlog")
if [ -n "$CORPUS" ]; then
    for d in Debian11/aarch64_ARMv6 Debian13/RISC-V Ubuntu20/x86_64 Ubuntu16/x86_32 CentOS7/x86_64; do
        FILES+=("$CORPUS/s4/logs/$d/lastlog")
    done
fi
for f in "${FILES[@]}"; do
    [ -f "$f" ] || continue
    name=${f#"$ROOT/"}
    [ -z "$CORPUS" ] || name=${name#"$CORPUS/"}
    t=$WORK/c$((++n))
    tree "$t" "$f"
    for o in "" "-u 0" "-u 1000-" "-t 100000" "-b 100"; do
        eval "compare \"lastlog $o ($name)\" \"\$t\" $o"
    done
done
[ -n "$CORPUS" ] || skp "corpus: ../shared/corpus not found"

# Errors: shadow's message; exit 1 for bad values, 2 for usage errors.
err_case() { # WANT_RC ARGS...
    local want=$1
    shift
    lastlog -R "$WORK/synth" "$@" >/dev/null 2>"$WORK/e.err"
    "$UTX" lastlog --root "$WORK/synth" "$@" >/dev/null 2>"$WORK/u.err"
    local rc=$?
    head -n 1 "$WORK/e.err" >"$WORK/e.1"
    head -n 1 "$WORK/u.err" | sed 's/^utx lastlog: /lastlog: /' >"$WORK/u.1"
    if [ "$rc" = "$want" ] && cmp -s "$WORK/e.1" "$WORK/u.1"; then
        ok "lastlog $*: shadow's message, exit $want"
    else
        bad "lastlog $*: exit $rc (want $want)" "$(diff "$WORK/e.1" "$WORK/u.1")"
    fi
}
err_case 1 -u nosuch
err_case 1 -u 1-x
err_case 1 -t x
err_case 1 -b ''
err_case 2 -x
err_case 2 extra
err_case 2 -C
err_case 2 -C -S -u root
# -C/-S need a writer utx does not have: a clear message, exit 1.
for o in -C -S; do
    "$UTX" lastlog --root "$WORK/synth" "$o" -u root >"$WORK/u.out" 2>"$WORK/u.err"
    rc=$?
    if [ "$rc" = 1 ] && [ ! -s "$WORK/u.out" ] && grep -q "utx only reads login files" "$WORK/u.err"; then
        ok "lastlog $o -u root: refused, exit 1"
    else
        bad "lastlog $o -u root: exit $rc: $(cat "$WORK/u.err")"
    fi
done

echo "lastlog parity: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
