#!/usr/bin/env bash
# Text output benchmark (`make bench`; not part of `make test`: timings on
# a shared machine are for reading, never for assertions).  Goals (issue 13):
#   1. `utx dump FILE` at least 10x faster than util-linux `utmpdump FILE`;
#   2. `utx last -f FILE` at least 10x faster than util-linux `last -f FILE`.
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
#   CC                  C compiler (default cc)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
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

mkdir -p "$cache"
data=$cache/wtmp-big-$records.bin
if [ ! -f "$data" ] || [ "$(stat -c %s "$data")" -ne $((records * recsize)) ]; then
    "$cc" -std=c99 -O2 -o "$tmp/utmpgen" "$root/tests/gen/utmpgen.c"
    echo "generating $data ($records records) with utmpgen big ..."
    "$tmp/utmpgen" big "$data.part" "$records" >/dev/null
    mv "$data.part" "$data"
fi
cat "$data" >/dev/null # warm the page cache

# secs CMD...: wall seconds of one run, output to /dev/null
secs() {
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", (b - a) / 1e9 }'
}
# stats: numbers on stdin -> "min median max"
stats() {
    sort -g | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.3f %.3f %.3f\n", v[1], m, v[NR] }'
}
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }
verdict() { if awk "BEGIN { exit !($1) }"; then echo PASS; else echo MISS; fi; }

# Same bytes first: the speed of a different output would mean nothing.
same=OK
head -c $((20000 * recsize)) "$data" >"$tmp/prefix"
utmpdump "$tmp/prefix" 2>/dev/null >"$tmp/peer.txt" || true
"$utx" dump "$tmp/prefix" 2>/dev/null >"$tmp/utx.txt" || true
cmp -s "$tmp/peer.txt" "$tmp/utx.txt" || same="DIFFERENT (dump)"

# row LABEL GOAL PEER-CMD -- UTX-CMD
row() {
    local label=$1 goal=$2 peer=() mine=() i
    shift 2
    while [ "$1" != -- ]; do peer+=("$1"); shift; done
    shift
    mine=("$@")
    : >"$tmp/p.s"
    : >"$tmp/u.s"
    for ((i = 0; i < runs; i++)); do
        secs "${peer[@]}" >>"$tmp/p.s"
        secs "${mine[@]}" >>"$tmp/u.s"
    done
    read -r pmin pmed pmax < <(stats <"$tmp/p.s")
    read -r umin umed umax < <(stats <"$tmp/u.s")
    ratio=$(calc "$pmed / $umed")
    printf '%-22s peer %6.3f s (%.3f..%.3f)  utx %6.3f s (%.3f..%.3f)  %6sx faster (goal >= %s): %s\n' \
        "$label" "$pmed" "$pmin" "$pmax" "$umed" "$umin" "$umax" "$ratio" "$goal" \
        "$(verdict "$ratio >= $goal")"
}

echo "text output  $(date -u '+%Y-%m-%dT%H:%M:%SZ')  $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "data: $data ($records records), medians of $runs paired runs; output identical on a prefix: $same"
row "utx dump / utmpdump" 10 utmpdump "$data" -- "$utx" dump "$data"
row "utx last -f / last -f" 10 last -f "$data" -- "$utx" last -f "$data"

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
