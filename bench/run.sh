#!/usr/bin/env bash
# utx benchmark (`make bench`).  Not part of `make test` / `cargo test`:
# timings on a shared machine are for reading, never for assertions.
#
# Builds (once, cached) a ~1 GiB glibc wtmp with `tests/gen/utmpgen big`,
# then measures, each in its own process:
#   1. utx full forward read (C API)       2. glibc getutxent loop
#   3. plain read() loop (baseline)        4. newest 10 via UT_OPEN_REVERSE
#   5. peak RSS of the utx full read, on the file and on a 4x smaller one
#   3b. the read() loop decoding each record into a normalized struct (the
#       plain C reader the C API should be within 1.2x of: issue 13)
#   6. utmp-rs (crates.io), a Rust reader, when it builds (in a throwaway
#      cargo project under build/bench/utmp-rs, never a dependency of utx)
# and prints PASS/MISS against the targets, and the rows of `make bench`'s
# table (bench/lib.sh).
#
# Environment:
#   UTX_BENCH_DIR      cache directory for the data file (default build/bench)
#   UTX_BENCH_RECORDS  records in the data file (default 2796202 = 1 GiB)
#   UTX_BENCH_RUNS     runs per timed measurement (default 9)
#   UTX_BENCH_GLIBC_BUDGET  seconds one glibc run may take before it is cut
#                      short and scaled from the prefix it read (default 120)
#   UTX_BENCH_RUST     0: no utmp-rs row (default 1: build it, once)
#   UTX_LIB            static library to link (default: `make lib` and
#                      build/libutx.a; without a Makefile, cargo build --release)
#   CC                 C compiler (default cc)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"

cache=${UTX_BENCH_DIR:-$root/build/bench}
records=${UTX_BENCH_RECORDS:-2796202}
runs=${UTX_BENCH_RUNS:-9}
budget=${UTX_BENCH_GLIBC_BUDGET:-120}
cc=${CC:-cc}
recsize=384 # sizeof(struct utmpx) on x86-64 glibc

tmp=$(mktemp -d "${TMPDIR:-/tmp}/utx-bench.XXXXXX")
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '%s\n' "$*"; }

# --- build ---------------------------------------------------------------
# The release static library, as `make` builds it (build/libutx.a with the
# native libraries rustc names); without the Makefile, straight from cargo.
native="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"
if [ -n "${UTX_LIB:-}" ]; then
    lib=$UTX_LIB
elif [ -f "$root/Makefile" ]; then
    make -s -C "$root" lib >/dev/null
    lib=$root/build/libutx.a
    native=$(cat "$root/build/native-static-libs")
else
    cargo build --release --quiet -p utx-c --lib
    lib=$root/target/release/libutx_c.a
fi
[ -f "$lib" ] || { say "bench: no library at $lib" >&2; exit 1; }

cflags=(-std=c99 -D_GNU_SOURCE -O2 -Wall -Wextra -Wpedantic -Werror)
# shellcheck disable=SC2086 # $native is a list of linker flags
"$cc" "${cflags[@]}" -I"$root/include" -o "$tmp/bench" "$root/bench/bench.c" \
    "$lib" $native

# utmp-rs 0.3.0 from crates.io in its own cargo project (its own
# [workspace], its own target directory), built once and kept.
rust=""
rust_note=""
if [ "${UTX_BENCH_RUST:-1}" = 0 ]; then
    rust_note="UTX_BENCH_RUST=0"
elif ! command -v cargo >/dev/null; then
    rust_note="cargo not installed"
else
    rdir=$cache/utmp-rs
    mkdir -p "$rdir/src"
    printf '%s\n' '[package]' 'name = "utmprs-peer"' 'version = "0.1.0"' 'edition = "2021"' \
        '[workspace]' '[dependencies]' 'utmp-rs = "=0.3.0"' >"$rdir/Cargo.toml"
    cmp -s "$root/bench/utmp-rs/main.rs" "$rdir/src/main.rs" || cp "$root/bench/utmp-rs/main.rs" "$rdir/src/main.rs"
    if (cd "$rdir" && CARGO_TARGET_DIR=$rdir/target cargo build --release --quiet) >"$tmp/rust.log" 2>&1; then
        rust=$rdir/target/release/utmprs-peer
    else
        rust_note="utmp-rs did not build: $(grep -m1 -E 'error|warning: spurious' "$tmp/rust.log" || tail -n1 "$tmp/rust.log")"
    fi
fi

# --- data ----------------------------------------------------------------
data=$(bench_wtmp "$cache" "$records" "$tmp")
small=$tmp/wtmp-quarter.bin
head -c $((records / 4 * recsize)) "$data" >"$small"

# Warm the page cache so every reader measures CPU work, not the disk.
cat "$data" >/dev/null
cat "$data" >/dev/null

# --- helpers -------------------------------------------------------------
# get KEY FILE: value of a key=value line
get() { sed -n "s/^$1=//p" "$2" | head -n1; }
# cpu FILE: user + system seconds of that run
cpu() { awk -F= '$1 == "user_s" || $1 == "sys_s" { t += $2 } END { printf "%.6f\n", t }' "$1"; }
# stats: numbers on stdin -> "min median max"
stats() {
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "nan nan nan"; exit }
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.6f %.6f %.6f\n", v[1], m, v[NR] }'
}
calc() { awk "BEGIN { printf \"%.3f\", $1 }"; }
verdict() { if awk "BEGIN { exit !($1) }"; then echo PASS; else echo MISS; fi; }

outn=0
run_one() { # MODE FILE [ARG]: one process; its key=value output in $out
    out=$tmp/out.$((++outn))
    "$tmp/bench" "$@" >"$out"
}

# --- measurements --------------------------------------------------------
: >"$tmp/utx.s"
: >"$tmp/utx.cpu"
: >"$tmp/utx.rss"
: >"$tmp/read.s"
: >"$tmp/read.cpu"
: >"$tmp/decode.s"
: >"$tmp/decode.cpu"
: >"$tmp/rust.s"
rust_n=""
for _ in $(seq "$runs"); do
    # Interleaved so slow spells on the shared machine hit both alike.
    run_one utx "$data"
    get seconds "$out" >>"$tmp/utx.s"
    cpu "$out" >>"$tmp/utx.cpu"
    get maxrss_kib "$out" >>"$tmp/utx.rss"
    utx_sum=$(get checksum "$out")
    utx_n=$(get records "$out")
    run_one read "$data"
    get seconds "$out" >>"$tmp/read.s"
    cpu "$out" >>"$tmp/read.cpu"
    read_sum=$(get checksum "$out")
    read_n=$(get records "$out")
    read_rss=$(get maxrss_kib "$out")
    run_one decode "$data"
    get seconds "$out" >>"$tmp/decode.s"
    cpu "$out" >>"$tmp/decode.cpu"
    decode_sum=$(get checksum "$out")
    if [ -n "$rust" ]; then
        out=$tmp/out.$((++outn))
        "$rust" "$data" >"$out"
        get seconds "$out" >>"$tmp/rust.s"
        rust_n=$(get records "$out")
        rust_err=$(get errors "$out")
    fi
done
read -r utx_min utx_med utx_max < <(stats <"$tmp/utx.s")
read -r rd_min rd_med rd_max < <(stats <"$tmp/read.s")
read -r utxc_min _ _ < <(stats <"$tmp/utx.cpu")
read -r rdc_min _ _ < <(stats <"$tmp/read.cpu")
read -r dc_min dc_med dc_max < <(stats <"$tmp/decode.s")
read -r dcc_min _ _ < <(stats <"$tmp/decode.cpu")
read -r _ _ rss_max < <(stats <"$tmp/utx.rss")

# Peak RSS on the 4x smaller file: must not grow with the file.
: >"$tmp/small.rss"
for _ in 1 2 3; do
    run_one utx "$small"
    get maxrss_kib "$out" >>"$tmp/small.rss"
done
read -r _ _ srss_max < <(stats <"$tmp/small.rss")

# glibc: slow (an fcntl lock and unlock and more system calls per record).
# Up to three runs while each stays short; a run cut at the budget is
# scaled from the prefix it read.
: >"$tmp/glibc.s"
glibc_note=""
glibc_sum=""
for _ in 1 2 3; do
    run_one glibc "$data" "$budget"
    g_s=$(get seconds "$out")
    g_n=$(get records "$out")
    if [ "$(get partial "$out")" = 1 ]; then
        calc "$g_s * $utx_n / $g_n" >>"$tmp/glibc.s"
        echo >>"$tmp/glibc.s"
        glibc_note="cut at ${budget} s: timed on the first $g_n of $utx_n records, scaled"
        break
    fi
    echo "$g_s" >>"$tmp/glibc.s"
    glibc_sum=$(get checksum "$out")
    if awk "BEGIN { exit !($g_s > 30) }"; then break; fi
done
read -r gl_min gl_med gl_max < <(grep . "$tmp/glibc.s" | stats)
glibc_runs=$(grep -c . "$tmp/glibc.s")

reps=100
run_one newest "$data" "$reps"
sed -n 's/^ms=//p' "$out" >"$tmp/newest.ms"
read -r nw_min nw_med nw_max < <(stats <"$tmp/newest.ms")
nw_p90=$(sort -g "$tmp/newest.ms" | awk -v n="$reps" 'NR == int(n * 0.9) { print }')

# --- report --------------------------------------------------------------
mib() { calc "$1 / 1024"; }
size_mib() { calc "$(stat -c %s "$1") / 1048576"; }
ns() { calc "$1 * 1e9 / $records"; }
ratio_best=$(calc "$utx_min / $rd_min")
ratio_med=$(calc "$utx_med / $rd_med")
ratio_cpu=$(calc "$utxc_min / $rdc_min")
glibc_ratio=$(calc "$gl_min / $utx_min")
dec_ratio=$(calc "$utx_min / $dc_min")
dec_ratio_med=$(calc "$utx_med / $dc_med")
dec_ratio_cpu=$(calc "$utxc_min / $dcc_min")

check_sums=OK
if [ "$utx_n" != "$records" ] || [ "$read_n" != "$records" ]; then
    check_sums="MISMATCH (record counts: utx $utx_n, read $read_n)"
elif [ "$utx_sum" != "$read_sum" ] || [ "$utx_sum" != "$decode_sum" ]; then
    check_sums="MISMATCH (utx $utx_sum, read $read_sum, decode $decode_sum)"
elif [ -n "$glibc_sum" ] && [ "$glibc_sum" != "$utx_sum" ]; then
    check_sums="MISMATCH (utx $utx_sum, glibc $glibc_sum)"
fi
row() { # LABEL MIN MED MAX RUNS NOTE
    printf '%-30s %7.3f s %7.3f s %7.3f s %8s ns  %s runs %s\n' \
        "$1" "$2" "$3" "$4" "$(ns "$2")" "$5" "$6"
}

say "utx benchmark  $(date -u '+%Y-%m-%dT%H:%M:%SZ')  $(uname -srm), $(nproc) CPUs"
say "  The machine is shared and noisy (load average at the end:"
say "  $(cut -d' ' -f1-3 /proc/loadavg)): each figure comes from separate processes,"
say "  repeated; ratios use the best run of each (the least disturbed"
say "  estimate); CPU = user + system time of the process."
say "library:   $lib"
say "data file: $data"
say "           cached (delete it to regenerate): $(stat -c %s "$data") bytes,"
say "           $records records of $recsize bytes written by utmpgen big;"
say "           page cache warmed (cat twice) before measuring"
say "checks:    utx, read(), decode and glibc saw the same $utx_n records"
say "           (sum of type + first user byte + seconds): $check_sums"
say ""
say "                                  best    median       max  per record"
row "1. utx full read (C API)" "$utx_min" "$utx_med" "$utx_max" "$runs" \
    "(CPU best $(calc "$utxc_min") s)"
row "2. glibc getutxent loop" "$gl_min" "$gl_med" "$gl_max" "$glibc_runs" "$glibc_note"
row "3. read() loop, 1 MiB buffer" "$rd_min" "$rd_med" "$rd_max" "$runs" \
    "(CPU best $(calc "$rdc_min") s)"
row "3b. read() loop + decode" "$dc_min" "$dc_med" "$dc_max" "$runs" \
    "(CPU best $(calc "$dcc_min") s)"
say "4. newest 10 (UT_OPEN_REVERSE open + 10 next + close), $reps times:"
say "     min $(calc "$nw_min") ms, median $(calc "$nw_med") ms, 90th percentile $(calc "$nw_p90") ms, max $(calc "$nw_max") ms"
say "5. peak RSS (ru_maxrss, max of runs) of the utx full read:"
say "     $(mib "$rss_max") MiB on the $(size_mib "$data") MiB file, $(mib "$srss_max") MiB on a $(size_mib "$small") MiB prefix (4x smaller)"
say "     (the read() loop with its 1 MiB buffer: $(mib "$read_rss") MiB)"
say ""
say "targets:"
say "  utx / read loop  $ratio_best x (median $ratio_med x, CPU $ratio_cpu x)  target <= 2.0x: $(verdict "$ratio_best <= 2.0")"
say "  utx / decode     $dec_ratio x (median $dec_ratio_med x, CPU $dec_ratio_cpu x)  target <= 1.2x: $(verdict "$dec_ratio <= 1.2")"
say "  glibc / utx      $glibc_ratio x  expected ~25x: $(verdict "$glibc_ratio >= 10") (at least 10x)"
say "  newest 10        median $(calc "$nw_med") ms  target < 1 ms: $(verdict "$nw_med < 1.0")"
say "  peak RSS         $(mib "$rss_max") MiB (1/4 size: $(mib "$srss_max") MiB)  target < 8 MiB and flat: $(verdict "$rss_max < 8192 && $rss_max - $srss_max < 1024")"
if [ -n "$rust" ]; then
    say "  utmp-rs          $(calc "$(bench_stats "$tmp/rust.s" | cut -d' ' -f3)") s median, $rust_n records ($rust_err refused)"
    [ "$rust_n" = "$utx_n" ] || rust_note="utmp-rs returned $rust_n records, utx $utx_n"
    [ "${rust_err:-0}" = 0 ] || rust_note="utmp-rs refused $rust_err records"
else
    say "  utmp-rs          not measured: $rust_note"
fi

# The rows of make bench's table: medians of the paired runs, spread.
say ""
cpu_med() { bench_stats "$1" | cut -d' ' -f3; }
bench_row read.decode "full read: C API vs read()+decode" s "$tmp/utx.s" "read()+decode" "$tmp/decode.s" utx/peer "<= 1.2" \
    "CPU (user+sys) medians $(cpu_med "$tmp/utx.cpu") s vs $(cpu_med "$tmp/decode.cpu") s: $(calc "$(cpu_med "$tmp/utx.cpu") / $(cpu_med "$tmp/decode.cpu")")x"
bench_row read.plain "full read: C API vs bare read()" s "$tmp/utx.s" "read() loop" "$tmp/read.s" utx/peer "<= 2" \
    "the loop only sums 3 fields"
bench_row read.glibc "full read: glibc getutxent vs C API" s "$tmp/utx.s" "getutxent" "$tmp/glibc.s" peer/utx ">= 10" \
    "$glibc_note"
if [ -n "$rust" ]; then
    bench_row read.utmprs "full read: utmp-rs 0.3 vs C API" s "$tmp/utx.s" "utmp-rs" "$tmp/rust.s" peer/utx "" "$rust_note"
else
    bench_row read.utmprs "full read: utmp-rs 0.3 vs C API" s "$tmp/utx.s" "utmp-rs" "" peer/utx "" "$rust_note"
fi
bench_row read.newest10 "newest 10 (UT_OPEN_REVERSE)" ms "$tmp/newest.ms" "" "" value "< 1" "$reps opens"
bench_row read.rss "peak RSS of the full read" MiB "$(mib "$rss_max")" "" "" value "< 8" \
    "$(mib "$srss_max") MiB on a 4x smaller prefix"
[ "$check_sums" = OK ]
