#!/usr/bin/env bash
# Detection benchmark (`make bench`; not part of `make test`: timings on a
# shared machine are for reading, never for assertions). Goals (issue 9):
#   1. open + read a ~20 KB wtmp from memory with UT_FORMAT_AUTO within 2x
#      of the same with the format given (samples/wtmp, 54 records);
#   2. 256 MiB of zeros (a written file, not sparse) decided in < 100 ms.
# Rows of make bench's table (bench/lib.sh): the medians of the 25 paired
# batches (CPU time of 500 open+reads each; goal 1 is on their ratio), and
# of 5 opens (wall time).
# Environment: UTX_LIB (static library; default: make lib), CC,
# UTX_BENCH_ZERO_MIB (size of the zero-filled and sparse files, default 256).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
zmib=${UTX_BENCH_ZERO_MIB:-256}
cc=${CC:-cc}
native="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"
if [ -n "${UTX_LIB:-}" ]; then
    lib=$UTX_LIB
    [ -f "$root/build/native-static-libs" ] && native=$(cat "$root/build/native-static-libs")
else
    make -s -C "$root" lib >/dev/null
    lib=$root/build/libutx.a
    native=$(cat "$root/build/native-static-libs")
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/utx-bench-detect.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2086 # $native is a list of linker flags
"$cc" -std=c99 -O2 -Wall -Wextra -Wpedantic -Werror -I"$root/include" -o "$tmp/detect" \
    "$root/bench/detect.c" "$lib" $native
get() { sed -n "s/^$1=//p" "$2"; }
verdict() { if awk "BEGIN { exit !($1) }"; then echo PASS; else echo MISS; fi; }

"$tmp/detect" memory "$root/samples/wtmp" >"$tmp/mem"
ratio=$(get ratio "$tmp/mem")
printf 'open+read %s (%s bytes, %s entries, %s) from memory: AUTO %s us, format given %s us, ratio %s (goal <= 2): %s\n' \
    samples/wtmp "$(get bytes "$tmp/mem")" "$(get entries "$tmp/mem")" "$(get format "$tmp/mem")" \
    "$(get auto_us "$tmp/mem")" "$(get given_us "$tmp/mem")" "$ratio" "$(verdict "$ratio <= 2")"
bench_row detect.auto "open+read 20 KB wtmp: AUTO vs given, CPU" us "$(get auto_samples_us "$tmp/mem")" \
    "format given" "$(get given_samples_us "$tmp/mem")" utx/peer "<= 2" \
    "samples/wtmp from memory, $(get format "$tmp/mem")"

# The other samples, for reading (their sizes differ: no goal); not in a
# quick run (UTX_BENCH_QUICK=1).
others="utmp btmp lastlog utmp-aarch64 utmp-s390x"
[ "${UTX_BENCH_QUICK:-0}" = 1 ] && others=""
for f in $others; do
    "$tmp/detect" memory "$root/samples/$f" >"$tmp/mem"
    printf '  samples/%s (%s bytes, %s): AUTO %s us, given %s us, ratio %s\n' "$f" \
        "$(get bytes "$tmp/mem")" "$(get format "$tmp/mem")" "$(get auto_us "$tmp/mem")" \
        "$(get given_us "$tmp/mem")" "$(get ratio "$tmp/mem")"
done

dd if=/dev/zero of="$tmp/zeros" bs=1M count="$zmib" status=none
"$tmp/detect" open "$tmp/zeros" >"$tmp/zeros.out"
ms=$(get open_ms "$tmp/zeros.out")
printf '%s MiB of zeros: open (AUTO) %s ms, %s (goal < 100 ms): %s\n' "$zmib" \
    "$ms" "$(get status "$tmp/zeros.out")" "$(verdict "$ms < 100")"
bench_row detect.zeros "open $zmib MiB of zeros (AUTO)" ms "$(get open_samples_ms "$tmp/zeros.out")" "" "" \
    value "< 100" "$(get status "$tmp/zeros.out")"
truncate -s "${zmib}M" "$tmp/sparse"
"$tmp/detect" open "$tmp/sparse" >"$tmp/sparse.out"
ms=$(get open_ms "$tmp/sparse.out")
printf '%s MiB sparse (all holes): open (AUTO) %s ms, %s (goal < 100 ms): %s\n' "$zmib" \
    "$ms" "$(get status "$tmp/sparse.out")" "$(verdict "$ms < 100")"
bench_row detect.sparse "open $zmib MiB sparse (AUTO)" ms "$(get open_samples_ms "$tmp/sparse.out")" "" "" \
    value "< 100" "$(get status "$tmp/sparse.out")"
