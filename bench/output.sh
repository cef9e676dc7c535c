#!/usr/bin/env bash
# Text output benchmark (`make bench`; not part of `make test`: timings on
# a shared machine are for reading, never for assertions).  Goals (issue 13):
#   1. `utx dump FILE` at least 10x faster than util-linux `utmpdump FILE`;
#   2. `utx last -f FILE` at least 10x faster than util-linux `last -f FILE`;
# and, measured for reading: `utx lastb -f` against util-linux `lastb -f` on
# a btmp-like file (utmpgen's btmp scenario repeated to a quarter of the
# records), `utx who` against coreutils `who` on a 10,000-slot utmp written
# by the utx writer (bench/write.c slots-utx; glibc writes the same bytes,
# see bench/write.sh), 10 invocations per sample.
# Each pair runs interleaved (peer, utx) UTX_BENCH_RUNS times on the same
# glibc wtmp written by `tests/gen/utmpgen big`, output to /dev/null; the
# ratios use the medians of wall time (the spread, min..max, is printed).
# With UTX_BENCH_CALLGRIND=1 it also counts instructions (valgrind
# callgrind, reproducible on a busy machine) on the first 20000 records.
#
# Environment:
#   UTX                 the command (default build/utx, built by make)
#   UTX_BENCH_DIR       cache directory for the data file (default build/bench)
#   UTX_BENCH_RECORDS   records in the data file (default 2796202 = 1 GiB)
#   UTX_BENCH_RUNS      paired runs per row (default 5)
#   UTX_BENCH_WHO_SLOTS slots of the who utmp (default 10000)
#   UTX_LIB             libutx.a for bench/write.c (default build/libutx.a)
#   CC                  C compiler (default cc)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
export LC_ALL=C TZ=UTC
utx=${UTX:-$root/build/utx}
cache=${UTX_BENCH_DIR:-$root/build/bench}
records=${UTX_BENCH_RECORDS:-2796202}
runs=${UTX_BENCH_RUNS:-5}
cc=${CC:-cc}
recsize=384 # sizeof(struct utmpx) on x86-64 glibc

[ -x "$utx" ] || make -s -C "$root" >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/utx-bench-output.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

data=$(bench_wtmp "$cache" "$records" "$tmp")
# btmp-like: the 14 failed logins of utmpgen's btmp scenario, repeated.
btrecords=$((records / 4 > 14 ? records / 4 : 14))
btmp=$cache/btmp-like-$btrecords.bin
if [ ! -f "$btmp" ] || [ "$(stat -L -c %s "$btmp")" -ne $((btrecords * recsize)) ]; then
    "$cc" -std=c99 -O2 -o "$tmp/utmpgen" "$root/tests/gen/utmpgen.c"
    "$tmp/utmpgen" btmp "$tmp/bt" >/dev/null
    while [ "$(stat -c %s "$tmp/bt")" -lt $((btrecords * recsize)) ]; do
        cat "$tmp/bt" "$tmp/bt" >"$tmp/bt2" && mv "$tmp/bt2" "$tmp/bt"
    done
    head -c $((btrecords * recsize)) "$tmp/bt" >"$btmp"
fi
# who: a utmp of UTX_BENCH_WHO_SLOTS live USER_PROCESS slots.
slots=${UTX_BENCH_WHO_SLOTS:-10000}
utmp=$cache/utmp-$slots-slots.bin
if [ ! -f "$utmp" ] || [ "$(stat -L -c %s "$utmp")" -ne $((slots * recsize)) ]; then
    lib=${UTX_LIB:-$root/build/libutx.a}
    [ -f "$lib" ] || make -s -C "$root" lib >/dev/null
    # shellcheck disable=SC2046 # the native libraries are a list
    "$cc" -std=c99 -O2 -I"$root/include" -o "$tmp/write" "$root/bench/write.c" "$lib" \
        $(cat "$root/build/native-static-libs" 2>/dev/null) -lutil
    : >"$utmp.part"
    "$tmp/write" slots-utx "$utmp.part" "$slots" "$slots" >/dev/null
    mv "$utmp.part" "$utmp"
fi
cat "$data" "$btmp" >/dev/null # warm the page cache

# secs CMD...: wall seconds of one run, output to /dev/null
secs() {
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", (b - a) / 1e9 }'
}
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }

# Same bytes first: the speed of a different output would mean nothing.
same=OK
head -c $((20000 * recsize)) "$data" >"$tmp/prefix"
utmpdump "$tmp/prefix" 2>/dev/null >"$tmp/peer.txt" || true
"$utx" dump "$tmp/prefix" 2>/dev/null >"$tmp/utx.txt" || true
cmp -s "$tmp/peer.txt" "$tmp/utx.txt" || same="DIFFERENT (dump)"
last -f "$tmp/prefix" >"$tmp/peer.txt" 2>/dev/null || true
"$utx" last -f "$tmp/prefix" >"$tmp/utx.txt" 2>/dev/null || true
cmp -s "$tmp/peer.txt" "$tmp/utx.txt" || same="${same#OK} DIFFERENT (last)"
head -c $((20000 * recsize)) "$btmp" >"$tmp/btprefix"
lastb -f "$tmp/btprefix" >"$tmp/peer.txt" 2>/dev/null || true
"$utx" lastb -f "$tmp/btprefix" >"$tmp/utx.txt" 2>/dev/null || true
cmp -s "$tmp/peer.txt" "$tmp/utx.txt" || same="${same#OK} DIFFERENT (lastb)"
who "$utmp" >"$tmp/peer.txt" 2>/dev/null || true
"$utx" who "$utmp" >"$tmp/utx.txt" 2>/dev/null || true
cmp -s "$tmp/peer.txt" "$tmp/utx.txt" || same="${same#OK} DIFFERENT (who)"
[ "$(wc -l <"$tmp/utx.txt")" -eq "$slots" ] || same="${same#OK} (who: $(wc -l <"$tmp/utx.txt") lines, want $slots)"
same=${same# }

# secs10 CMD...: wall milliseconds of one of 10 runs in a row
secs10() {
    local t0 t1 i
    t0=$(date +%s%N)
    for i in 1 2 3 4 5 6 7 8 9 10; do "$@" >/dev/null 2>&1 || true; done
    t1=$(date +%s%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", (b - a) / 1e7 }'
}
# row ID LABEL GOAL PEER-CMD -- UTX-CMD (goal "" for none)
timer=secs
unit=s
row() {
    local id=$1 label=$2 goal=$3 peer=() mine=() i
    shift 3
    while [ "$1" != -- ]; do peer+=("$1"); shift; done
    shift
    mine=("$@")
    : >"$tmp/p.s"
    : >"$tmp/u.s"
    for ((i = 0; i < runs; i++)); do
        $timer "${peer[@]}" >>"$tmp/p.s"
        $timer "${mine[@]}" >>"$tmp/u.s"
    done
    bench_row "$id" "$label" "$unit" "$tmp/u.s" "${peer[0]}" "$tmp/p.s" peer/utx "${goal:+>= $goal}" "${note:-}"
}

echo "text output  $(date -u '+%Y-%m-%dT%H:%M:%SZ')  $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "data: $data ($records records), medians of $runs paired runs; output identical (20000-record prefixes, who: whole file): $same"
note=""
[ "$same" = OK ] || note="OUTPUT $same"
row dump "utx dump vs utmpdump" 10 utmpdump "$data" -- "$utx" dump "$data"
row last "utx last -f vs last -f" 10 last -f "$data" -- "$utx" last -f "$data"
row lastb "utx lastb -f vs lastb -f" "" lastb -f "$btmp" -- "$utx" lastb -f "$btmp"
timer=secs10
unit=ms
row who "utx who vs who, $slots slots" "" who "$utmp" -- "$utx" who "$utmp"

if [ "${UTX_BENCH_CALLGRIND:-0}" = 1 ] && command -v valgrind >/dev/null; then
    # Ir: instructions executed, the whole process, on the 20000-record prefix.
    ir() {
        valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
            sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
    }
    for pair in "dump|utmpdump|$utx dump" "last -f|last -f|$utx last -f"; do
        IFS='|' read -r name p u <<<"$pair"
        # shellcheck disable=SC2086 # the commands are word lists
        pi=$(ir $p "$tmp/prefix")
        # shellcheck disable=SC2086
        ui=$(ir $u "$tmp/prefix")
        printf 'instructions, %-8s peer %s, utx %s (%s per record), ratio %s\n' "$name" "$pi" \
            "$ui" "$((ui / 20000))" "$(calc "$pi / $ui")"
    done
fi
[ "$same" = OK ]
