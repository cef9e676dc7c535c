#!/usr/bin/env bash
# Sessions benchmark: `utx last` and the sessions API on a ~1 GiB glibc
# wtmp. Timings on a shared machine are for reading, never assertions.
#
#   bash bench/sessions.sh
#
# Measures (targets in brackets):
#   1. utx last -f vs util-linux last -f, both to /dev/null   [>= 5x faster]
#   2. utx last -n 10 (whole process, median)                  [< 5 ms]
#   3. pairing through ut_sessions_next vs a plain read() loop [within 3x]
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
cargo build --release --quiet --lib
lib=$root/target/release/libutx.a
cflags=(-std=c99 -O2 -Wall -Wextra -Wpedantic -Werror)
"$cc" "${cflags[@]}" -I"$root/include" -o "$tmp/sessions" "$root/bench/sessions.c" \
    "$lib" -lpthread -ldl -lm
"$cc" "${cflags[@]}" -D_GNU_SOURCE -o "$tmp/utmpgen" "$root/tests/gen/utmpgen.c"
utx=${UTX:-}
if [ -z "$utx" ] && [ -x "$root/build/utx" ]; then utx=$root/build/utx; fi
if [ -z "$utx" ]; then
    srcs=("$root"/examples/utx*.c)
    if [ ! -f "$root/examples/utx.c" ]; then
        # No dispatcher yet: a minimal one for `utx last`.
        printf '%s\n' 'int utx_last_main(int argc, char **argv);' \
            'int main(int argc, char **argv) { return utx_last_main(argc - 1, argv + 1); }' \
            >"$tmp/utx-main.c"
        srcs+=("$tmp/utx-main.c")
    fi
    "$cc" "${cflags[@]}" -I"$root/include" -o "$tmp/utx" "${srcs[@]}" "$lib" -lpthread -ldl -lm
    utx=$tmp/utx
fi

# --- data ------------------------------------------------------------------
mkdir -p "$cache"
data=$cache/wtmp-big-$records.bin
want=$((records * recsize))
if [ ! -f "$data" ] || [ "$(stat -c %s "$data")" -ne "$want" ]; then
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
}

say "sessions bench: $data ($(calc "$want / 1073741824") GiB, $records records), $runs runs"

# 1. utx last vs util-linux last
utx_s=$(for _ in $(seq "$runs"); do wall "$utx" last -f "$data"; done | median)
if command -v last >/dev/null && last --version 2>/dev/null | grep -q util-linux; then
    t0=$(date +%s%N)
    if timeout "$budget" last -f "$data" >/dev/null 2>&1; then
        last_s=$(calc "($(date +%s%N) - $t0) / 1e9")
        speedup=$(calc "$last_s / $utx_s")
        say "1. utx last -f: ${utx_s}s   util-linux last -f: ${last_s}s   speedup ${speedup}x [>= 5x] $(verdict "$speedup >= 5")"
    else
        say "1. utx last -f: ${utx_s}s   util-linux last -f: > ${budget}s (cut)   speedup > $(calc "$budget / $utx_s")x [>= 5x] PASS"
    fi
    # Parity on the newest 20000 lines (both at the same moment).
    last -n 20000 -f "$data" >"$tmp/last.out" 2>/dev/null
    "$utx" last -n 20000 -f "$data" >"$tmp/utx.out" 2>/dev/null
    if cmp -s "$tmp/last.out" "$tmp/utx.out"; then say "   parity: last -n 20000 identical"
    else say "   parity: last -n 20000 DIFFERS"; fi
else
    say "1. utx last -f: ${utx_s}s   (util-linux last not installed: no comparison)"
fi

# 2. utx last -n 10 (whole process)
n10=$(for _ in $(seq 21); do wall "$utx" last -n 10 -f "$data"; done | median)
n10_ms=$(calc "$n10 * 1000")
UTX_LAST_CHUNKS=1 "$utx" last -n 10 -f "$data" 2>"$tmp/chunks" >/dev/null || true
say "2. utx last -n 10: ${n10_ms} ms median of 21 ($(sed 's/.*: //' "$tmp/chunks")) [< 5 ms] $(verdict "$n10_ms < 5")"

# 3. pairing throughput vs a plain read() loop
for _ in $(seq "$runs"); do "$tmp/sessions" pair "$data" >"$tmp/pair"; get seconds "$tmp/pair"; done | median >"$tmp/pair_s"
for _ in $(seq "$runs"); do "$tmp/sessions" read "$data" >"$tmp/read"; get seconds "$tmp/read"; done | median >"$tmp/read_s"
pair_s=$(cat "$tmp/pair_s")
read_s=$(cat "$tmp/read_s")
ratio=$(calc "$pair_s / $read_s")
mibs=$(calc "$want / 1048576 / $pair_s")
say "3. pairing: ${pair_s}s ($mibs MiB/s, $(get sessions "$tmp/pair") sessions)   read() loop: ${read_s}s   ratio ${ratio}x [within 3x] $(verdict "$ratio <= 3")"

# 4. seek_time to the middle
"$tmp/sessions" seek "$data" >"$tmp/seek"
fc=$(get forward_chunks "$tmp/seek")
rc=$(get reverse_chunks "$tmp/seek")
say "4. seek_time to the middle: forward $fc chunks ($(calc "$(get forward_seconds "$tmp/seek") * 1000") ms), reverse $rc chunks [< 64] $(verdict "$fc < 64 && $rc < 64")"

# 5. peak memory of utx last over the whole file
/usr/bin/time -f '%M' -o "$tmp/rss" "$utx" last -f "$data" >/dev/null 2>&1 || true
rss=$(tail -n1 "$tmp/rss")
say "5. utx last -f peak RSS: $(calc "$rss / 1024") MiB [< 16 MiB] $(verdict "$rss < 16384")"
