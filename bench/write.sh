#!/usr/bin/env bash
# Writer benchmark (`make bench`): glibc against utx in the same run.
#   1. appending N records to a wtmp: glibc updwtmpx in a loop, utx
#      ut_writer_put in a loop, utx ut_writer_put_many (1,000 a call);
#   2. M pututxline-equivalent updates on a utmp of S slots (setutxent +
#      pututxline against ut_writer_put with UT_WRITE_SLOTS).
# Environment: UTX_BENCH_APPENDS (default 1000000), UTX_BENCH_UPDATES
# (default 100000), UTX_BENCH_SLOTS (default 1000), UTX_LIB (libutx.a).
# Rows of make bench's table (bench/lib.sh): one run each, for reading.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
n=${UTX_BENCH_APPENDS:-1000000}
m=${UTX_BENCH_UPDATES:-100000}
slots=${UTX_BENCH_SLOTS:-1000}
lib=${UTX_LIB:-$root/build/libutx.a}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/utx-bench-write.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
${CC:-cc} -std=c99 -O2 -Iinclude -o "$tmp/write" bench/write.c "$lib" \
    $(cat build/native-static-libs 2>/dev/null) -lutil
run() { : >"$tmp/f"; "$tmp/write" "$@"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", (b > 0 ? a / b : 0) }'; }
echo "== writing: $n appends, $m updates on $slots slots =="
g=$(run append-glibc "$tmp/f" "$n")
cp "$tmp/f" "$tmp/glibc.wtmp"
u=$(run append-utx "$tmp/f" "$n")
cmp -s "$tmp/f" "$tmp/glibc.wtmp" && same="identical files" || same="FILES DIFFER"
b=$(run append-batch "$tmp/f" "$n")
cmp -s "$tmp/f" "$tmp/glibc.wtmp" || same="$same; BATCH FILE DIFFERS"
printf '%-44s glibc %7.3f s  utx %7.3f s (%s)  batch %7.3f s (%s)  [%s]\n' \
    "append $n records to a wtmp" "$g" "$u" "$(ratio "$g" "$u")" "$b" "$(ratio "$g" "$b")" "$same"
bench_row write.append "append: ut_writer_put vs updwtmpx" s "$u" updwtmpx "$g" peer/utx "" "$n records, $same"
bench_row write.batch "append: ut_writer_put_many vs updwtmpx" s "$b" updwtmpx "$g" peer/utx "" "$n records, $same"
: >"$tmp/s"
"$tmp/write" slots-glibc "$tmp/s" "$slots" "$slots" >/dev/null
cp "$tmp/s" "$tmp/u"
g=$("$tmp/write" slots-glibc "$tmp/s" "$m" "$slots")
u=$("$tmp/write" slots-utx "$tmp/u" "$m" "$slots")
cmp -s "$tmp/s" "$tmp/u" && same="identical files" || same="FILES DIFFER"
printf '%-44s glibc %7.3f s  utx %7.3f s (%s)  [%s]\n' \
    "$m pututxline on a $slots-slot utmp" "$g" "$u" "$(ratio "$g" "$u")" "$same"
bench_row write.slots "utmp slots: ut_writer_put vs pututxline" s "$u" pututxline "$g" peer/utx "" \
    "$m updates on $slots slots, $same"
