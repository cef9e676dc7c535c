# Sourced by the bench scripts: the one row format of `make bench`.
#
#   bench_row ID LABEL UNIT UTX PEER_NAME PEER KIND GOAL [NOTE] [POINTS]
#
# UTX and PEER are the samples (seconds, ms, ...: UNIT says which), either
# a file with one number a line or a list ("1.2 1.3" or "1.2,1.3"); PEER
# may be empty (no peer).  KIND says how the ratio is taken:
#   utx/peer   utx median / peer median (lower is better: "within 1.2x")
#   peer/utx   peer median / utx median ("10x faster")
#   value      no ratio: the goal applies to the utx median itself
# GOAL is "OP NUMBER" (OP one of <= < >= >), on the ratio (or on the value
# for KIND value); empty for a row measured for reading only (verdict
# INFO).  A row whose peer could not run passes PEER_NAME and an empty
# PEER with a NOTE saying why: verdict SKIP.  POINTS, for scaling rows:
# "64MiB=2.1;256MiB=2.2;1GiB=2.3".
#
# Prints one human line; with UTX_BENCH_ROWS set (bench/all.sh sets it),
# also appends the row to that file as tab-separated fields:
#   id label unit runs utx_median utx_min utx_max peer peer_median peer_min
#   peer_max ratio kind goal verdict note points
# bench/table.py turns those rows into the table and build/bench.json.

bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# bench_wtmp CACHE RECORDS TMP: prints the path of the benchmark's glibc
# wtmp of RECORDS records (`tests/gen/utmpgen big`, 384-byte records),
# written into CACHE once and kept (a symbolic link to such a file is
# used as it is); TMP holds the generator.
bench_wtmp() {
    local data=$1/wtmp-big-$2.bin
    mkdir -p "$1" || return 1
    if [ ! -f "$data" ] || [ "$(stat -L -c %s "$data")" -ne $(($2 * 384)) ]; then
        "${CC:-cc}" -std=c99 -O2 -o "$3/utmpgen" "$bench_root/tests/gen/utmpgen.c" || return 1
        echo "generating $data ($2 records) with utmpgen big ..." >&2
        "$3/utmpgen" big "$data.part" "$2" >/dev/null || return 1
        mv "$data.part" "$data" || return 1
    fi
    echo "$data"
}

# bench_stats SAMPLES -> "n min median max" (nan when empty)
bench_stats() {
    local src=$1
    { if [ -f "$src" ]; then cat "$src"; else printf '%s\n' "$src" | tr ', ' '\n\n'; fi; } |
        grep -E '^-?[0-9.]+(e[-+]?[0-9]+)?$' | sort -g | awk '{ v[NR] = $1 } END {
            if (NR == 0) { print "0 nan nan nan"; exit }
            m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%d %.6g %.6g %.6g\n", NR, v[1], m, v[NR] }'
}

bench_row() {
    local id=$1 label=$2 unit=$3 utx=$4 peer_name=$5 peer=$6 kind=$7 goal=$8
    local note=${9:-} points=${10:-}
    local n umin umed umax pn pmin pmed pmax ratio verdict on what
    read -r n umin umed umax < <(bench_stats "$utx")
    pmin=nan pmed=nan pmax=nan pn=0
    if [ -n "$peer" ]; then read -r pn pmin pmed pmax < <(bench_stats "$peer"); fi
    ratio=nan
    case $kind in
        utx/peer) [ "$pn" -gt 0 ] && ratio=$(awk -v a="$umed" -v b="$pmed" 'BEGIN { if (b > 0) printf "%.3g", a / b; else printf "nan" }') ;;
        peer/utx) [ "$pn" -gt 0 ] && ratio=$(awk -v a="$pmed" -v b="$umed" 'BEGIN { if (b > 0) printf "%.3g", a / b; else printf "nan" }') ;;
        value) ;;
        *) echo "bench_row: unknown kind $kind" >&2; return 2 ;;
    esac
    on=$ratio
    [ "$kind" = value ] && on=$umed
    if [ "$n" -eq 0 ] || [ "$on" = nan ] || { [ -n "$peer_name" ] && [ "$pn" -eq 0 ]; }; then
        verdict=SKIP
    elif [ -z "$goal" ]; then
        verdict=INFO
    elif awk -v v="$on" "BEGIN { exit !(v $goal) }"; then
        verdict=PASS
    else
        verdict=MISS
    fi
    what="utx $umed $unit ($umin..$umax)"
    [ -n "$peer_name" ] && what="$what, $peer_name $pmed $unit ($pmin..$pmax)"
    [ "$ratio" != nan ] && what="$what, $kind $ratio"
    printf 'ROW %-34s %s%s: %s%s\n' "$label" "$what" "${goal:+, goal $goal}" "$verdict" "${note:+ ($note)}"
    if [ -n "${UTX_BENCH_ROWS:-}" ]; then
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
            "$id" "$label" "$unit" "$n" "$umed" "$umin" "$umax" "$peer_name" "$pmed" "$pmin" "$pmax" \
            "$ratio" "$kind" "$goal" "$verdict" "${note//$'\t'/ }" "$points" >>"$UTX_BENCH_ROWS"
    fi
}
