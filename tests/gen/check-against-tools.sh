#!/usr/bin/env bash
# Sanity check for utmpgen: build it, generate every scenario, and make sure
# the installed util-linux (utmpdump, last, lastb) and coreutils (who) read
# each file.  This proves the files are readable by the reference tools; it
# does not test utx.
#
# usage: bash tests/gen/check-against-tools.sh [WORKDIR]
#   WORKDIR defaults to a fresh mktemp directory, which is kept so that the
#   generated files (WORKDIR/out) and tool outputs (WORKDIR/results) can be
#   inspected afterwards.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ $# -ge 1 ]; then
    work=$1
    mkdir -p "$work" || exit 1
else
    work=$(mktemp -d "${TMPDIR:-/tmp}/utmpgen-check.XXXXXX") || exit 1
fi
work=$(cd "$work" && pwd)

CC=${CC:-gcc}
CFLAGS="-std=c99 -D_GNU_SOURCE -Wall -Wextra -Wpedantic -Werror -O2"
echo "building: $CC $CFLAGS -o $work/utmpgen $here/utmpgen.c"
# shellcheck disable=SC2086
if ! $CC $CFLAGS -o "$work/utmpgen" "$here/utmpgen.c"; then
    echo "FAIL: build"
    exit 1
fi

rm -rf "$work/out" "$work/results"
mkdir -p "$work/results"
if ! "$work/utmpgen" all "$work/out"; then
    echo "FAIL: utmpgen all"
    exit 1
fi
recsize=$("$work/utmpgen" recsize)

export LANG=C LC_ALL=C TZ=UTC
echo
echo "tools: $(utmpdump --version 2>&1 | head -1); $(who --version | head -1)"
echo "record size: $recsize bytes"
echo

fail=0
fails=()
# run NAME TOOL-LABEL REQUIRE-NONEMPTY cmd...
# prints the number of stdout lines; records failures
run() {
    local name=$1 label=$2 need=$3
    shift 3
    local out="$work/results/$name.$label"
    "$@" >"$out.out" 2>"$out.err"
    local rc=$?
    local lines
    lines=$(wc -l <"$out.out")
    if [ "$rc" -ne 0 ]; then
        fails+=("$name: '$*' exited $rc")
        fail=1
    elif [ "$need" = 1 ] && [ "$lines" -eq 0 ]; then
        fails+=("$name: '$*' printed nothing")
        fail=1
    fi
    printf '%s' "$lines"
}

printf '%-18s %8s %9s %7s %9s %6s %8s  %s\n' \
    FILE records utmpdump last 'last -x' who 'who -a' notes
for f in "$work"/out/*; do
    name=$(basename "$f")
    size=$(stat -c %s "$f")
    recs=$((size / recsize))
    notes=""
    if [ $((size % recsize)) -ne 0 ]; then
        fails+=("$name: size $size is not a multiple of $recsize")
        fail=1
    fi
    [ "$recs" -gt 0 ] || { fails+=("$name: empty file"); fail=1; }

    d=$(run "$name" utmpdump 1 utmpdump "$f")
    if [ "$d" -ne "$recs" ]; then
        fails+=("$name: utmpdump printed $d lines for $recs records")
        fail=1
    fi
    users=$(grep -c '^\[7\] ' "$work/results/$name.utmpdump.out")

    l=$(run "$name" last 1 last -f "$f")
    lx=$(run "$name" last-x 1 last -x -f "$f")
    # `who FILE` lists USER_PROCESS records only; require output when there are some
    need_who=0
    [ "$users" -gt 0 ] && need_who=1
    w=$(run "$name" who "$need_who" who "$f")
    if [ "$w" -ne "$users" ]; then
        # informational: an embedded newline in a field adds output lines
        notes="$notes (who: $w lines for $users USER_PROCESS records)"
    fi
    wa=$(run "$name" who-a 0 who -a "$f")
    case $name in
    btmp.*)
        lb=$(run "$name" lastb 1 lastb -f "$f")
        notes="$notes lastb:$lb"
        ;;
    esac
    printf '%-18s %8s %9s %7s %9s %6s %8s %s\n' \
        "$name" "$recs" "$d" "$l" "$lx" "$w" "$wa" "$notes"
done

echo
echo "outputs: $work/results/<file>.<tool>.out"
if [ "$fail" -ne 0 ]; then
    printf 'FAIL: %s\n' "${fails[@]}"
    exit 1
fi
echo "OK: every tool exited 0 and printed output where expected"
