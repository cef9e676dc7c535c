#!/usr/bin/env bash
# utx benchmark (`make bench`).  Not part of `make test` / `cargo test`:
# timings on a shared machine are for reading, never for assertions.
#
# Builds (once, cached) a ~1 GiB glibc wtmp with `tests/gen/utmpgen big`,
# then measures, each in its own process:
#   1. utx full forward read (C API)       2. glibc getutxent loop
#   3. plain read() loop (baseline)        4. newest 10 via UT_OPEN_REVERSE
#   5. peak RSS of the utx full read, on the file and on a 4x smaller one
# and prints PASS/MISS against the targets.
#
# Environment:
#   UTX_BENCH_DIR      cache directory for the data file (default build/bench)
#   UTX_BENCH_RECORDS  records in the data file (default 2796202 = 1 GiB)
#   UTX_BENCH_RUNS     runs per timed measurement (default 5)
#   UTX_BENCH_GLIBC_BUDGET  seconds one glibc run may take before it is cut
#                      short and scaled from the prefix it read (default 120)
#   UTX_LIB            static library to link (default: cargo build --release
#                      and target/release/libutx.a)
#   CC                 C compiler (default cc)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

cache=${UTX_BENCH_DIR:-$root/build/bench}
records=${UTX_BENCH_RECORDS:-2796202}
runs=${UTX_BENCH_RUNS:-5}
budget=${UTX_BENCH_GLIBC_BUDGET:-120}
cc=${CC:-cc}
recsize=384 # sizeof(struct utmpx) on x86-64 glibc

tmp=$(mktemp -d "${TMPDIR:-/tmp}/utx-bench.XXXXXX")
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '%s\n' "$*"; }

# --- build ---------------------------------------------------------------
if [ -n "${UTX_LIB:-}" ]; then
    lib=$UTX_LIB
else
    cargo build --release --quiet --lib
    lib=$root/target/release/libutx.a
fi
[ -f "$lib" ] || { say "bench: no library at $lib" >&2; exit 1; }

cflags=(-std=c99 -D_GNU_SOURCE -O2 -Wall -Wextra -Wpedantic -Werror)
"$cc" "${cflags[@]}" -I"$root/include" -o "$tmp/bench" "$root/bench/bench.c" \
    "$lib" -lgcc_s -lutil -lrt -lpthread -lm -ldl
"$cc" "${cflags[@]}" -o "$tmp/utmpgen" "$root/tests/gen/utmpgen.c"

# --- data ----------------------------------------------------------------
mkdir -p "$cache"
data=$cache/wtmp-big-$records.bin
want=$((records * recsize))
if [ ! -f "$data" ] || [ "$(stat -c %s "$data")" -ne "$want" ]; then
    say "generating $data ($records records) with utmpgen big ..."
    "$tmp/utmpgen" big "$data.part" "$records" >/dev/null
    mv "$data.part" "$data"
fi
small=$tmp/wtmp-quarter.bin
head -c $((records / 4 * recsize)) "$data" >"$small"

# Warm the page cache so every reader measures CPU work, not the disk.
cat "$data" >/dev/null
cat "$data" >/dev/null

# --- helpers -------------------------------------------------------------
# get KEY FILE: value of a key=value line
get() { sed -n "s/^$1=//p" "$2" | head -n1; }
# stats: reads numbers on stdin, prints "min median max"
stats() {
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "nan nan nan"; exit }
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.6f %.6f %.6f\n", v[1], m, v[NR] }'
}
calc() { awk "BEGIN { printf \"%.3f\", $1 }"; }
verdict() { awk "BEGIN { exit !($1) }" && echo PASS || echo MISS; }

run_one() { # MODE FILE [ARG] -> writes $tmp/out.N, prints its path
    local out=$tmp/out.$((++outn))
    "$tmp/bench" "$@" >"$out"
    echo "$out"
}
outn=0

# --- measurements --------------------------------------------------------
: >"$tmp/utx.s"
: >"$tmp/read.s"
: >"$tmp/utx.rss"
for _ in $(seq "$runs"); do
    # Interleaved so slow spells on the shared machine hit both alike.
    o=$(run_one utx "$data")
    get seconds "$o" >>"$tmp/utx.s"
    get maxrss_kib "$o" >>"$tmp/utx.rss"
    utx_sum=$(get checksum "$o")
    utx_n=$(get records "$o")
    o=$(run_one read "$data")
    get seconds "$o" >>"$tmp/read.s"
    read_sum=$(get checksum "$o")
    read_n=$(get records "$o")
done
read -r utx_min utx_med utx_max < <(stats <"$tmp/utx.s")
read -r rd_min rd_med rd_max < <(stats <"$tmp/read.s")
read -r rss_min rss_med rss_max < <(stats <"$tmp/utx.rss")

# Peak RSS on the 4x smaller file: must not scale with size.
: >"$tmp/small.rss"
for _ in 1 2 3; do
    o=$(run_one utx "$small")
    get maxrss_kib "$o" >>"$tmp/small.rss"
    small_n=$(get records "$o")
done
read -r srss_min srss_med srss_max < <(stats <"$tmp/small.rss")
o=$(run_one read "$data")
read_rss=$(get maxrss_kib "$o")

# glibc: slow (fcntl lock/unlock and several syscalls per record).  Up to
# three runs while each stays short; a run cut at the budget is scaled.
: >"$tmp/glibc.s"
glibc_note=""
for i in 1 2 3; do
    o=$(run_one glibc "$data" "$budget")
    g_s=$(get seconds "$o")
    g_n=$(get records "$o")
    if [ "$(get partial "$o")" = 1 ]; then
        calc "$g_s * $utx_n / $g_n" >>"$tmp/glibc.s"
        echo >>"$tmp/glibc.s"
        glibc_note="(measured on the first $g_n of $utx_n records in ${g_s}s, scaled)"
        break
    fi
    echo "$g_s" >>"$tmp/glibc.s"
    glibc_sum=$(get checksum "$o")
    glibc_n=$g_n
    awk "BEGIN { exit !($g_s > 30) }" && break
done
read -r gl_min gl_med gl_max < <(grep . "$tmp/glibc.s" | stats)
glibc_runs=$(grep -c . "$tmp/glibc.s")

o=$(run_one newest "$data" 100)
sed -n 's/^ms=//p' "$o" >"$tmp/newest.ms"
read -r nw_min nw_med nw_max < <(stats <"$tmp/newest.ms")

# --- report --------------------------------------------------------------
mib() { calc "$1 / 1024"; }
ms() { calc "$1 * 1000"; }
ratio_best=$(calc "$utx_min / $rd_min")
ratio_med=$(calc "$utx_med / $rd_med")
glibc_ratio=$(calc "$gl_min / $utx_min")
per_rec_ns=$(calc "$utx_min * 1e9 / $utx_n")
rd_per_rec_ns=$(calc "$rd_min * 1e9 / $read_n")
gl_per_rec_ns=$(calc "$gl_min * 1e9 / $utx_n")

check_sums="OK"
[ "$utx_n" = "$records" ] && [ "$read_n" = "$records" ] || check_sums="MISMATCH (record counts)"
[ "$utx_sum" = "$read_sum" ] || check_sums="MISMATCH (utx $utx_sum, read $read_sum)"
if [ -n "${glibc_sum:-}" ] && [ "$glibc_sum" != "$utx_sum" ]; then
    check_sums="MISMATCH (utx $utx_sum, glibc $glibc_sum)"
fi

cat <<EOF
utx benchmark  $(date -u '+%Y-%m-%dT%H:%M:%SZ')  $(uname -srm)  $(nproc) CPUs
  load average: $(cut -d' ' -f1-3 /proc/loadavg)  (shared, noisy machine: each
  timing is the best and median of several separate processes; ratios use
  the best run of each, the least disturbed estimate of real cost)
library:   $lib
data file: $data (cached; delete it to regenerate)
           $(stat -c %s "$data") bytes, $records records of $recsize bytes, utmpgen big
           page cache warmed (cat twice) before measuring
checks:    all readers saw $utx_n records, same checksum: $check_sums

                                   best       median     max      ns/record
1. utx full read (C API)        $(printf '%8.3f s %8.3f s %8.3f s %8s' "$utx_min" "$utx_med" "$utx_max" "$per_rec_ns")   ($runs runs)
2. glibc getutxent loop         $(printf '%8.3f s %8.3f s %8.3f s %8s' "$gl_min" "$gl_med" "$gl_max" "$gl_per_rec_ns")   ($glibc_runs runs) $glibc_note
3. read() loop, 1 MiB buffer    $(printf '%8.3f s %8.3f s %8.3f s %8s' "$rd_min" "$rd_med" "$rd_max" "$rd_per_rec_ns")   ($runs runs)
4. newest 10 (REVERSE open+10 next+close), 100 reps:
                                $(printf '%8.3f ms %7.3f ms %7.3f ms' "$(calc "$nw_min")" "$(calc "$nw_med")" "$(calc "$nw_max")")
5. peak RSS, utx full read:     $(mib "$rss_max") MiB on $(calc "$(stat -c %s "$data") / 1048576") MiB file; $(mib "$srss_max") MiB on $(calc "$(stat -c %s "$small") / 1048576") MiB file
                                (read() loop for comparison: $(mib "$read_rss") MiB; max of runs, ru_maxrss)

targets:
  utx / read loop  = $ratio_best x (median $ratio_med x)  target <= 2.0x     $(verdict "$ratio_best <= 2.0")
  glibc / utx      = $glibc_ratio x                       expected ~25x      $(verdict "$glibc_ratio >= 10")
  newest 10        = median $(calc "$nw_med") ms, max $(calc "$nw_max") ms  target < 1 ms   $(verdict "$nw_med < 1.0")
  peak RSS         = $(mib "$rss_max") MiB (4x smaller file: $(mib "$srss_max") MiB)  target < 8 MiB, not scaling   $(verdict "$rss_max < 8192 && $rss_max - $srss_max < 1024")
EOF
[ "$check_sums" = OK ]
