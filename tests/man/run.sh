#!/usr/bin/env bash
# man/utx.1 and man/libutx.3: each renders with `man -l` at 80 columns and
# with groff's warnings on, without a warning; utx.1 documents every
# subcommand and every option that `utx --help` and `utx SUB --help`
# print; libutx.3 names every function of include/utx.h, and its EXAMPLE
# compiles with the strict C flags.
# usage: bash tests/man/run.sh UTX_BINARY   (from the repository root)
set -u
UTX=${1:?usage: $0 UTX_BINARY}
cd "$(dirname "$0")/../.."
export LANG=C LC_ALL=C MANWIDTH=80
tmp=$(mktemp -d /tmp/utx-man.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
bad=0
ok() { echo "ok   $1"; }
no() { echo "FAIL $1"; shift; printf '     %s\n' "$@"; bad=1; }

for page in man/utx.1 man/libutx.3; do
    name=$(basename "$page")
    man --warnings -l "$page" >"$tmp/$name.txt" 2>"$tmp/$name.err"
    rc=$?
    groff -ww -z -man "$page" 2>>"$tmp/$name.err"
    if [ $rc = 0 ] && [ ! -s "$tmp/$name.err" ] && [ -s "$tmp/$name.txt" ]; then
        ok "$page renders with man -l, no warnings ($(wc -l <"$tmp/$name.txt") lines)"
    else
        no "$page renders with man -l, no warnings" "exit $rc" "$(head -n 5 "$tmp/$name.err")"
    fi
    long=$(awk 'length > 80' "$tmp/$name.txt")
    [ -z "$long" ] || no "$page fits 80 columns" "$long"
done

# A word of the rendered page, as a whole token (not part of a longer name).
in_page() { grep -qE -- "(^|[^A-Za-z0-9_-])$2([^A-Za-z0-9_-]|$)" "$tmp/$1.txt"; }

# Options: the top-level usage and each subcommand's --help.
"$UTX" --help >"$tmp/top" || no "utx --help exits 0"
subs=$(sed -n '/^commands:/,/^$/p' "$tmp/top" | awk 'NF > 1 {print $1}')
[ -n "$subs" ] || no "utx --help lists the subcommands"
for sub in $subs; do
    in_page utx.1 "utx $sub" || no "utx.1 documents 'utx $sub'"
    [ "$sub" = help ] && continue
    "$UTX" "$sub" --help >"$tmp/help.$sub" || no "utx $sub --help exits 0"
done
n=0
for f in "$tmp/top" "$tmp"/help.*; do
    for o in $(grep -oE '(^|[][ ,|(])--?[A-Za-z][A-Za-z0-9-]*' "$f" | sed 's/^[][ ,|(]//' | sort -u); do
        n=$((n + 1))
        in_page utx.1 "$o" || no "utx.1 documents $o (printed by utx ${f##*help.} --help)"
    done
done
[ $n -gt 40 ] && ok "utx.1 documents the $n options the usages print" || no "only $n options found in the usages"
for s in "EXIT STATUS" ENVIRONMENT FILES EXAMPLES; do
    grep -q "^$s" "$tmp/utx.1.txt" || no "utx.1 has a $s section"
done

# libutx.3: every function of the header.
fns=$(grep -oE '^[A-Za-z_][A-Za-z0-9_ *]*[ *]ut_[a-z0-9_]+\(' include/utx.h | grep -oE 'ut_[a-z0-9_]+' | sort -u)
missing=$(for f in $fns; do in_page libutx.3 "$f" || echo "$f"; done)
if [ -n "$fns" ] && [ -z "$missing" ]; then
    ok "libutx.3 names all $(echo "$fns" | wc -l) functions of include/utx.h"
else
    no "libutx.3 names every function of include/utx.h" "missing: $(echo "$missing" | tr '\n' ' ')"
fi
# Its EXAMPLE is a program that builds.
sed -n '/^EXAMPLE/,/^SEE ALSO/p' "$tmp/libutx.3.txt" | sed -n '/^ *#include/,$p' | sed '$d' |
    sed 's/^           //' >"$tmp/example.c"
if ${CC:-cc} -std=c99 -Wall -Wextra -Wpedantic -Werror -Iinclude -o "$tmp/example" "$tmp/example.c" \
    -Lbuild -lutx 2>"$tmp/cc.err"; then
    ok "libutx.3's EXAMPLE compiles with the strict flags"
else
    no "libutx.3's EXAMPLE compiles with the strict flags" "$(head -n 5 "$tmp/cc.err")"
fi
exit $bad
