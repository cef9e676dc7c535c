#!/usr/bin/env bash
# Scaling (`make bench`; timings on a shared machine are for reading,
# never for assertions).  The same measurements at three sizes of one
# glibc wtmp: prefixes of bench/run.sh's file holding 1/16, 1/4 and all of
# its records (64 MiB, 256 MiB and 1 GiB by default):
#   1. the full read through the C API (bench/bench.c utx) and
#      2. `utx last -f FILE >/dev/null`: CPU time (user + system: the wall
#      clock of a shared machine measures the neighbours too) per record at
#      each size, the ratio of the largest to the smallest (linear in size:
#      about 1), and peak RSS (ru_maxrss, from getrusage in bench.c and
#      from wait4 for utx last, `bench spawn`): flat;
#   3. the newest 10 entries (ut_reader_open with UT_OPEN_REVERSE, 10
#      ut_reader_next) and 4. ut_reader_seek_time to the middle record's
#      time (+ 1 next): microseconds at each size, flat as the file grows.
# Goals (this bench's own reading of "linear" and "flat" on a noisy
# machine): per-record time and RSS at the largest size within 1.25x of
# the smallest; newest-10 and seek within 2x.  Runs are interleaved: each
# run goes through every size in turn.
#
# Environment: UTX_BENCH_DIR, UTX_BENCH_RECORDS (as bench/run.sh),
# UTX_BENCH_RUNS (default 5), UTX (build/utx), UTX_LIB (build/libutx.a),
# CC.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
export LC_ALL=C TZ=UTC
cache=${UTX_BENCH_DIR:-$root/build/bench}
records=${UTX_BENCH_RECORDS:-2796202}
runs=${UTX_BENCH_RUNS:-5}
utx=${UTX:-$root/build/utx}
lib=${UTX_LIB:-$root/build/libutx.a}
cc=${CC:-cc}
recsize=384
[ -x "$utx" ] && [ -f "$lib" ] || make -s -C "$root" >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/utx-bench-scaling.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# shellcheck disable=SC2046 # the native libraries are a list
"$cc" -std=c99 -D_GNU_SOURCE -O2 -Wall -Wextra -Wpedantic -Werror -I"$root/include" -o "$tmp/bench" \
    "$root/bench/bench.c" "$lib" $(cat "$root/build/native-static-libs" 2>/dev/null)
data=$(bench_wtmp "$cache" "$records" "$tmp")

# The three files: prefixes (whole records) and the file itself.
names=() files=() counts=()
for div in 16 4 1; do
    n=$((records / div))
    [ "$n" -ge 100 ] || n=100
    [ "$n" -le "$records" ] || n=$records
    if [ "$div" = 1 ]; then f=$data; else f=$tmp/prefix-$div.bin; head -c $((n * recsize)) "$data" >"$f"; fi
    b=$((n * recsize))
    name=$(awk -v b="$b" 'BEGIN { if (b >= 1000 * 2^20) printf "%.3gGiB", b / 2^30; else printf "%.3gMiB", b / 2^20 }')
    names+=("$name") files+=("$f") counts+=("$n")
done
cat "${files[@]}" >/dev/null # warm the page cache

get() { sed -n "s/^$1=//p" "$2" | head -n1; }
med() { bench_stats "$1" | cut -d' ' -f3; }
for i in 0 1 2; do : >"$tmp/read.$i" >"$tmp/readrss.$i" >"$tmp/last.$i" >"$tmp/lastrss.$i"; done
for _ in $(seq "$runs"); do
    for i in 0 1 2; do
        "$tmp/bench" utx "${files[$i]}" >"$tmp/out"
        [ "$(get records "$tmp/out")" = "${counts[$i]}" ] || { echo "scaling: read $(get records "$tmp/out") records of ${counts[$i]}" >&2; exit 1; }
        awk -v u="$(get user_s "$tmp/out")" -v s="$(get sys_s "$tmp/out")" -v n="${counts[$i]}" \
            'BEGIN { printf "%.3f\n", (u + s) * 1e9 / n }' >>"$tmp/read.$i"
        awk -v k="$(get maxrss_kib "$tmp/out")" 'BEGIN { printf "%.3f\n", k / 1024 }' >>"$tmp/readrss.$i"
        "$tmp/bench" spawn "$utx" last -f "${files[$i]}" >"$tmp/t"
        awk -v n="${counts[$i]}" '{ printf "%.3f\n", $1 * 1e9 / n }' <<<"$(get cpu_s "$tmp/t")" >>"$tmp/last.$i"
        awk '{ printf "%.3f\n", $1 / 1024 }' <<<"$(get maxrss_kib "$tmp/t")" >>"$tmp/lastrss.$i"
    done
done
for i in 0 1 2; do
    "$tmp/bench" newest "${files[$i]}" 100 | sed -n 's/^ms=//p' | awk '{ printf "%.3f\n", $1 * 1000 }' >"$tmp/newest.$i"
    "$tmp/bench" seek "${files[$i]}" 50 >"$tmp/seek.out"
    sed -n 's/^us=//p' "$tmp/seek.out" >"$tmp/seek.$i"
    echo "${names[$i]}: seek_time read $(get chunks "$tmp/seek.out") chunks"
done

# row ID LABEL UNIT KEY GOAL: largest size (the utx column) against the
# smallest (the peer column), the median at each size in POINTS
row() {
    local points="" i
    for i in 0 1 2; do points="$points${points:+;}${names[$i]}=$(med "$tmp/$4.$i")"; done
    bench_row "$1" "$2" "$3" "$tmp/$4.2" "${names[0]}" "$tmp/$4.0" utx/peer "$5" "" "$points"
}
echo "scaling: ${names[*]} (${counts[*]} records), $runs interleaved runs; newest 10: 100 opens, seek: 50"
row scale.read "scaling: full read, CPU ns/record" ns "read" "<= 1.25"
row scale.read.rss "scaling: full read, peak RSS" MiB "readrss" "<= 1.25"
row scale.last "scaling: utx last -f, CPU ns/record" ns "last" "<= 1.25"
row scale.last.rss "scaling: utx last -f, peak RSS" MiB "lastrss" "<= 1.25"
row scale.newest10 "scaling: newest 10 (reverse open)" us "newest" "<= 2"
row scale.seek "scaling: ut_reader_seek_time" us "seek" "<= 2"
