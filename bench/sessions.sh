#!/usr/bin/env bash
# Sessions benchmark: `utx last` and the sessions API on a ~1 GiB glibc
# wtmp. Timings on a shared machine are for reading, never assertions.
#
#   bash bench/sessions.sh
#
# Measures (targets in brackets):
#   1. utx last -f vs util-linux last -f, both to /dev/null   [>= 10x faster]
#      (wall and CPU seconds; the verdict uses CPU, as the machine is shared)
#   2. utx last -n 10 (whole process, median)                  [< 5 ms]
#   3. pairing through ut_sessions_next vs a plain read() loop [within 2x]
#   4. ut_reader_seek_time to the middle: chunks read          [< 64]
#   5. peak RSS of utx last -f over the whole file             [< 16 MiB]
# plus a parity check of the first 20000 lines of both `last`s.
#
# Environment:
#   UTX_BENCH_DIR      data cache (default build/bench; the file is shared
#                      with bench/run.sh: wtmp-big-<records>.bin)
#   UTX_BENCH_RECORDS  records (default 2796202 = 1 GiB)
#   UTX_BENCH_RUNS     runs per timed measurement (default 3)
#   UTX_BENCH_LAST_BUDGET  seconds util-linux last may run (default 600)
#   UTX                a utx binary to use (default build/utx, else built)
#   CC                 C compiler (default cc)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
cache=${UTX_BENCH_DIR:-$root/build/bench}
records=${UTX_BENCH_RECORDS:-2796202}
runs=${UTX_BENCH_RUNS:-3}
budget=${UTX_BENCH_LAST_BUDGET:-600}
cc=${CC:-cc}
recsize=384
export LANG=C LC_ALL=C TZ=UTC

tmp=$(mktemp -d "${TMPDIR:-/tmp}/utx-sessions-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
say() { printf '%s\n' "$*"; }

# --- build -----------------------------------------------------------------
cargo build --release --quiet -p utx-c --lib
lib=$root/target/release/libutx_c.a
cflags=(-std=c99 -O2 -Wall -Wextra -Wpedantic -Werror)
"$cc" "${cflags[@]}" -I"$root/include" -o "$tmp/sessions" "$root/bench/sessions.c" \
    "$lib" -lpthread -ldl -lm
"$cc" "${cflags[@]}" -D_GNU_SOURCE -o "$tmp/utmpgen" "$root/tests/gen/utmpgen.c"
utx=${UTX:-}
if [ -z "$utx" ] && [ -f "$root/Makefile" ] && make -s -C "$root" all >/dev/null 2>&1 && [ -x "$root/build/utx" ]; then
    utx=$root/build/utx # rebuilt, so never a stale one
fi
if [ -z "$utx" ]; then
    srcs=("$root"/cmd/utx/*.c)
    "$cc" "${cflags[@]}" -I"$root/include" -I"$root/cmd/utx" -o "$tmp/utx" "${srcs[@]}" "$lib" -lpthread -ldl -lm
    utx=$tmp/utx
fi

# --- data ------------------------------------------------------------------
mkdir -p "$cache"
data=$cache/wtmp-big-$records.bin
want=$((records * recsize))
if [ ! -f "$data" ] || [ "$(stat -L -c %s "$data")" -ne "$want" ]; then
    say "generating $data ($records records) with utmpgen big ..."
    "$tmp/utmpgen" big "$data.part" "$records" >/dev/null
    mv "$data.part" "$data"
fi
cat "$data" >/dev/null # warm the page cache

# --- helpers ---------------------------------------------------------------
get() { sed -n "s/^$1=//p" "$2" | head -n1; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit }
    print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
calc() { awk "BEGIN { printf \"%.3f\", $1 }"; }
verdict() { if awk "BEGIN { exit !($1) }"; then echo PASS; else echo MISS; fi; }
# wall seconds of one command (stdout to /dev/null)
wall() {
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    calc "($t1 - $t0) / 1e9"
    echo
}

say "sessions bench: $data ($(calc "$want / 1073741824") GiB, $records records), $runs runs"

# 1. utx last vs util-linux last: wall and CPU (user+sys) seconds, medians
cpu_of() { # runs "$@" once; prints "wall cpu"
    /usr/bin/time -f '%e %U %S' -o "$tmp/t" "$@" >/dev/null 2>&1 || true
    awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$tmp/t"
}
for _ in $(seq "$runs"); do cpu_of "$utx" last -f "$data"; done >"$tmp/utx_t"
utx_s=$(awk '{print $1}' "$tmp/utx_t" | median)
utx_c=$(awk '{print $2}' "$tmp/utx_t" | median)
if command -v last >/dev/null && last --version 2>/dev/null | grep -q util-linux; then
    for _ in $(seq "$runs"); do cpu_of timeout "$budget" last -f "$data"; done >"$tmp/last_t"
    last_s=$(awk '{print $1}' "$tmp/last_t" | median)
    last_c=$(awk '{print $2}' "$tmp/last_t" | median)
    speedup=$(calc "$last_s / $utx_s")
    cspeed=$(calc "$last_c / $utx_c")
    say "1. utx last -f: ${utx_s}s wall ${utx_c}s cpu   util-linux last -f: ${last_s}s wall ${last_c}s cpu   speedup ${speedup}x wall, ${cspeed}x cpu [>= 10x] $(verdict "$cspeed >= 10")"
    # Parity on the newest 20000 lines (both at the same moment).
    last -n 20000 -f "$data" >"$tmp/last.out" 2>/dev/null
    "$utx" last -n 20000 -f "$data" >"$tmp/utx.out" 2>/dev/null
    if cmp -s "$tmp/last.out" "$tmp/utx.out"; then say "   parity: last -n 20000 identical"
    else say "   parity: last -n 20000 DIFFERS"; fi
else
    say "1. utx last -f: ${utx_s}s wall ${utx_c}s cpu   (util-linux last not installed: no comparison)"
fi

# 2. utx last -n 10 (whole process): elapsed and CPU, mean of 21 runs
UTX_LAST_CHUNKS=1 "$utx" last -n 10 -f "$data" 2>"$tmp/chunks" >/dev/null || true
chunks=$(sed 's/.*: //' "$tmp/chunks")
if command -v perf >/dev/null && perf stat -r 2 true >/dev/null 2>&1; then
    perf stat -r 21 -x, -e task-clock -o "$tmp/perf" "$utx" last -n 10 -f "$data" >/dev/null 2>&1 || true
    cpu_ms=$(awk -F, '/task-clock/ { printf "%.3f", $1 }' "$tmp/perf")
    n10=$(for _ in $(seq 21); do wall "$utx" last -n 10 -f "$data"; done | median)
    n10_ms=$(calc "$n10 * 1000")
    say "2. utx last -n 10: ${cpu_ms} ms cpu (perf, mean of 21), ${n10_ms} ms wall incl. fork/exec (median of 21); $chunks [< 5 ms] $(verdict "$cpu_ms < 5")"
else
    n10=$(for _ in $(seq 21); do wall "$utx" last -n 10 -f "$data"; done | median)
    n10_ms=$(calc "$n10 * 1000")
    say "2. utx last -n 10: ${n10_ms} ms wall incl. fork/exec (median of 21); $chunks [< 5 ms] $(verdict "$n10_ms < 5")"
fi

# 3. pairing throughput vs a plain read() loop (CPU seconds: the wall
#    clock of a shared machine measures the neighbours too)
for _ in $(seq "$runs"); do "$tmp/sessions" pair "$data" >"$tmp/pair"; echo "$(get seconds "$tmp/pair") $(get cpu "$tmp/pair")"; done >"$tmp/pair_t"
for _ in $(seq "$runs"); do "$tmp/sessions" read "$data" >"$tmp/read"; echo "$(get seconds "$tmp/read") $(get cpu "$tmp/read")"; done >"$tmp/read_t"
pair_s=$(awk '{print $1}' "$tmp/pair_t" | median); pair_c=$(awk '{print $2}' "$tmp/pair_t" | median)
read_s=$(awk '{print $1}' "$tmp/read_t" | median); read_c=$(awk '{print $2}' "$tmp/read_t" | median)
ratio=$(calc "$pair_c / $read_c")
mibs=$(calc "$want / 1048576 / $pair_c")
say "3. pairing: ${pair_s}s wall ${pair_c}s cpu ($mibs MiB/s cpu, $(get sessions "$tmp/pair") sessions)   read() loop: ${read_s}s wall ${read_c}s cpu   ratio ${ratio}x cpu, $(calc "$pair_s / $read_s")x wall [within 2x] $(verdict "$ratio <= 2")"

# 4. seek_time to the middle
"$tmp/sessions" seek "$data" >"$tmp/seek"
fc=$(get forward_chunks "$tmp/seek")
rc=$(get reverse_chunks "$tmp/seek")
say "4. seek_time to the middle: forward $fc chunks ($(calc "$(get forward_seconds "$tmp/seek") * 1000") ms), reverse $rc chunks [< 64] $(verdict "$fc < 64 && $rc < 64")"

# 5. peak memory of utx last over the whole file
/usr/bin/time -f '%M' -o "$tmp/rss" "$utx" last -f "$data" >/dev/null 2>&1 || true
rss=$(tail -n1 "$tmp/rss")
say "5. utx last -f peak RSS: $(calc "$rss / 1024") MiB [< 16 MiB] $(verdict "$rss < 16384")"

# The row of make bench's table (bench/all.sh sets UTX_BENCH_ROWS; see
# bench/lib.sh): pairing against the read() loop, CPU seconds of each run.
if [ -n "${UTX_BENCH_ROWS:-}" ]; then
    . "$root/bench/lib.sh"
    bench_row sessions.pair "session pairing vs read() loop, CPU" s "$(awk '{print $2}' "$tmp/pair_t")" \
        "read() loop" "$(awk '{print $2}' "$tmp/read_t")" utx/peer "<= 2" "$(get sessions "$tmp/pair") sessions"
fi
