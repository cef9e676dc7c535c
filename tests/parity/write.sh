#!/usr/bin/env bash
# Parity of the writing commands with util-linux, and upstream readers on
# what utx wrote.
#
#   bash tests/parity/write.sh UTX_BINARY
#
# - `utx dump -r` against `utmpdump -r`, byte for byte (file, stdin, -o),
#   on util-linux's own test texts (new and old time syntax, IPv6);
# - util-linux's utmpdump-tobin (text -> binary = its wtmp-*.LE) and
#   utmpdump-circle (text -> binary -> text = the text; -> binary again =
#   the binary) through utx alone;
# - `utx dump -o FILE` = `utmpdump -o FILE`;
# - files written by `utx login`/`utx logout` and `utx convert` read by
#   util-linux `utmpdump` and `last` as utx reads them;
# - `utx convert` between layouts that hold the data is lossless.
# Prints PASS/FAIL/SKIP per case; exits non-zero when any case fails.
set -u
UTX=${1:?usage: write.sh UTX_BINARY}
case $UTX in /*) ;; *) UTX=$PWD/$UTX ;; esac
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export LANG=C LC_ALL=C TZ=UTC
TS=${UTX_CORPUS:-$ROOT/../shared/corpus}/util-linux/ts/utmp
[ -d "$TS" ] || TS=$ROOT/../../shared/corpus/util-linux/ts/utmp
T=$(mktemp -d /tmp/utx-write-parity.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT

pass=0 fail=0 skip=0
ok()  { echo "PASS $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
skp() { echo "SKIP $*"; skip=$((skip + 1)); }
same() { if cmp -s "$2" "$3"; then ok "$1"; else bad "$1 ($(cmp "$2" "$3" 2>&1 | head -n 1))"; fi; }

if [ ! -d "$TS" ]; then
    skp "util-linux test texts absent (corpus util-linux/ts/utmp)"
elif ! command -v utmpdump >/dev/null; then
    skp "util-linux utmpdump is not installed"
else
    for x in a b ipv6 a-old b-old ipv6-old; do
        utmpdump -r -o "$T/ref" "$TS/txt-$x" 2>"$T/ref.err"
        "$UTX" dump -r -o "$T/out" "$TS/txt-$x" 2>"$T/out.err"
        same "dump -r -o txt-$x = utmpdump -r -o" "$T/ref" "$T/out"
        same "dump -r txt-$x: stderr as utmpdump's" "$T/ref.err" "$T/out.err"
        "$UTX" dump -r "$TS/txt-$x" >"$T/stdout" 2>/dev/null
        same "dump -r txt-$x > stdout" "$T/ref" "$T/stdout"
        "$UTX" dump -r <"$TS/txt-$x" >"$T/stdin" 2>"$T/stdin.err"
        utmpdump -r <"$TS/txt-$x" >/dev/null 2>"$T/refstdin.err"
        same "dump -r < txt-$x (stdin)" "$T/ref" "$T/stdin"
        same "dump -r < txt-$x: stderr as utmpdump's" "$T/refstdin.err" "$T/stdin.err"
        case $x in *-old) base=${x%-old} ;; *) base=$x ;; esac
        same "utmpdump-tobin txt-$x = wtmp-$base.LE" "$TS/wtmp-$base.LE" "$T/out"
        # circle: binary -> text -> binary, through utx alone.
        "$UTX" dump "$T/out" >"$T/text" 2>/dev/null
        utmpdump "$T/out" >"$T/reftext" 2>/dev/null
        same "utmpdump-circle txt-$x: utmpdump reads utx's binary as utx does" "$T/reftext" "$T/text"
        [ "$x" = "$base" ] && same "utmpdump-circle txt-$x: text again" "$TS/txt-$x" "$T/text"
        "$UTX" dump -r "$T/text" >"$T/again" 2>/dev/null
        same "utmpdump-circle txt-$x: binary again" "$T/out" "$T/again"
    done
    utmpdump -o "$T/ref.txt" "$ROOT/samples/wtmp" 2>/dev/null
    "$UTX" dump -o "$T/out.txt" "$ROOT/samples/wtmp" 2>/dev/null
    same "dump -o FILE = utmpdump -o FILE" "$T/ref.txt" "$T/out.txt"
fi

# login and logout: util-linux reads the files as utx does.
: >"$T/utmp"
: >"$T/wtmp"
"$UTX" login --line pts/7 --user alice --host h.example --pid 1 -f "$T/utmp" -w "$T/wtmp" &&
    "$UTX" login --line pts/8 --user bob --pid 1 -f "$T/utmp" -w "$T/wtmp" &&
    "$UTX" logout --line pts/7 -f "$T/utmp" -w "$T/wtmp"
if [ $? != 0 ]; then
    bad "utx login/logout"
else
    if command -v utmpdump >/dev/null; then
        for f in utmp wtmp; do
            utmpdump "$T/$f" >"$T/$f.ref" 2>/dev/null
            "$UTX" dump "$T/$f" >"$T/$f.out" 2>/dev/null
            same "login/logout $f: utmpdump reads it as utx dump" "$T/$f.ref" "$T/$f.out"
        done
        if [ "$(grep -c '^\[7\]' "$T/utmp.ref")" = 1 ] && [ "$(grep -c '^\[8\] .* \[pts/7 ' "$T/utmp.ref")" = 1 ] &&
            [ "$(wc -l <"$T/utmp.ref")" = 2 ]; then
            ok "login/logout: utmp has bob's slot and pts/7 dead in alice's slot"
        else
            bad "login/logout: utmp slots: $(cat "$T/utmp.ref")"
        fi
        [ "$(wc -l <"$T/wtmp.ref")" = 3 ] && ok "login/logout: wtmp has 3 records" ||
            bad "login/logout: wtmp: $(cat "$T/wtmp.ref")"
    fi
    if command -v last >/dev/null; then
        last -f "$T/wtmp" --time-format iso >"$T/last.ref" 2>/dev/null
        if grep -q '^alice *pts/7 *h.example' "$T/last.ref" && grep -q '^bob *pts/8' "$T/last.ref"; then
            ok "util-linux last reads utx login's wtmp"
        else
            bad "util-linux last on utx login's wtmp: $(cat "$T/last.ref")"
        fi
    fi
fi

# convert: a FreeBSD utx.log and a NetBSD wtmpx to Linux, read by
# util-linux; and losslessly back and forth between layouts that hold
# every field (linux-384-le <-> linux-400-be <-> utmps-400-le).
CORPUS=${UTX_CORPUS:-$ROOT/../shared/corpus}
[ -d "$CORPUS" ] || CORPUS=$ROOT/../../shared/corpus
src=$ROOT/samples/wtmp
"$UTX" convert --to linux-400-be "$src" "$T/c400" 2>"$T/c.err" &&
    "$UTX" convert --to utmps-400-le "$T/c400" "$T/cutmps" 2>>"$T/c.err" &&
    "$UTX" convert --to linux-384-le "$T/cutmps" "$T/c384" 2>>"$T/c.err"
if [ $? = 0 ]; then
    same "convert linux-384-le -> linux-400-be -> utmps-400-le -> linux-384-le: same bytes" "$src" "$T/c384"
    grep -q '0 with fields cut, 0 skipped' "$T/c.err" && ok "convert reports nothing cut or skipped" ||
        bad "convert summary: $(cat "$T/c.err")"
else
    bad "convert: $(cat "$T/c.err")"
fi
for f in $(find "$CORPUS" -name 'utx.log' -o -name 'wtmpx' 2>/dev/null | grep -v synthetic | sort | head -n 4); do
    rm -f "$T/conv"
    if "$UTX" convert --to linux-384-le "$f" "$T/conv" 2>"$T/conv.err"; then
        "$UTX" dump "$T/conv" >"$T/conv.out" 2>/dev/null
        if command -v utmpdump >/dev/null; then
            utmpdump "$T/conv" >"$T/conv.ref" 2>/dev/null
            same "convert ${f#"$CORPUS"/} to linux: utmpdump reads it as utx" "$T/conv.ref" "$T/conv.out"
        fi
        [ -s "$T/conv.out" ] && ok "convert ${f#"$CORPUS"/}: $(tail -n 1 "$T/conv.err" | sed 's/^utx convert: //')" ||
            bad "convert ${f#"$CORPUS"/}: nothing written"
    else
        bad "convert ${f#"$CORPUS"/}: $(cat "$T/conv.err")"
    fi
done

echo "write parity: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
