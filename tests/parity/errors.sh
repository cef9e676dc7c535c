#!/usr/bin/env bash
# Error messages of every subcommand: the peers' form PROGRAM: FILE:
# MESSAGE with the OS's strerror text, never Rust's "(os error N)".
#
#   bash tests/parity/errors.sh UTX_BINARY
#
# Cases: a missing file, a directory, a file the caller may not read (run
# as nobody through setpriv; skipped when not root), a file that is not a
# login file.  `utx last -f` / `utx lastb -f` must print exactly what
# util-linux last/lastb print (stderr, stdout and exit status); `utx dump`
# must give utmpdump's OS message and exit status for the cases utmpdump
# reports; who, lastlog and dump must print "utx: FILE: MESSAGE", exit 1.
# Prints PASS/FAIL/SKIP per case; exits non-zero when any case fails.
set -u
UTX=${1:?usage: errors.sh UTX_BINARY}
case $UTX in /*) ;; *) UTX=$PWD/$UTX ;; esac
export LANG=C LC_ALL=C TZ=UTC

pass=0 fail=0 skip=0
ok()  { echo "PASS $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }
skp() { echo "SKIP $*"; skip=$((skip + 1)); }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/utx-errors.XXXXXX")
chmod 755 "$WORK"
trap 'rm -rf "$WORK"' EXIT
mkdir "$WORK/dir"
printf 'secret\n' >"$WORK/private"
chmod 600 "$WORK/private"
printf 'abcdefg' >"$WORK/seven" # no record layout fits 7 bytes
chmod 644 "$WORK/seven"

AS_NOBODY=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    AS_NOBODY=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi

# run PREFIX CMD...: stdout, stderr, exit status in PREFIX.{out,err,rc}
run() {
    local p=$1
    shift
    "$@" >"$p.out" 2>"$p.err"
    echo $? >"$p.rc"
    cat "$p.err" >>"$WORK/all-messages"
}

# cases: NAME PATH [as-nobody]
CASES=("missing:$WORK/missing" "directory:$WORK/dir" "not a login file:$WORK/seven")
[ ${#AS_NOBODY[@]} -gt 0 ] && CASES+=("permission denied:$WORK/private:nobody") ||
    skp "permission denied: needs root and setpriv"

for c in "${CASES[@]}"; do
    IFS=: read -r name path who_runs <<<"$c"
    pre=()
    [ "${who_runs:-}" = nobody ] && pre=("${AS_NOBODY[@]}")
    # last and lastb: util-linux's text, byte for byte (not-a-login-file:
    # util-linux reads garbage records, utx refuses; the form is checked)
    for prog in last lastb; do
        run "$WORK/e" "${pre[@]}" "$prog" -f "$path"
        run "$WORK/u" "${pre[@]}" "$UTX" "$prog" -f "$path"
        if [ "$name" = "not a login file" ]; then
            if grep -qx "$prog: cannot open $path: not a recognised format.*" "$WORK/u.err" &&
                [ "$(cat "$WORK/u.rc")" = 1 ]; then
                ok "$prog -f ($name): '$prog: cannot open FILE: MESSAGE', exit 1"
            else
                bad "$prog -f ($name): $(cat "$WORK/u.err") exit $(cat "$WORK/u.rc")"
            fi
        elif cmp -s "$WORK/e.err" "$WORK/u.err" && cmp -s "$WORK/e.rc" "$WORK/u.rc" &&
            cmp -s <(sed '$d' "$WORK/e.out") <(sed '$d' "$WORK/u.out"); then
            ok "$prog -f ($name): as util-linux: $(head -n 1 "$WORK/u.err"), exit $(cat "$WORK/u.rc")"
        else
            bad "$prog -f ($name)" "util-linux: $(cat "$WORK/e.err") exit $(cat "$WORK/e.rc")" \
                "utx:        $(cat "$WORK/u.err") exit $(cat "$WORK/u.rc")"
        fi
    done
    # dump: utmpdump's OS message and status where utmpdump reports one
    run "$WORK/e" "${pre[@]}" utmpdump "$path"
    run "$WORK/u" "${pre[@]}" "$UTX" dump "$path"
    if grep -q '^utmpdump: cannot open ' "$WORK/e.err"; then
        emsg=$(sed -n 's/^utmpdump: cannot open [^:]*: //p' "$WORK/e.err")
        if [ "$(cat "$WORK/u.err")" = "utx: $path: $emsg" ] && cmp -s "$WORK/e.rc" "$WORK/u.rc"; then
            ok "dump ($name): utx: FILE: $emsg, exit $(cat "$WORK/u.rc") as utmpdump"
        else
            bad "dump ($name)" "utmpdump: $(cat "$WORK/e.err") exit $(cat "$WORK/e.rc")" \
                "utx: $(cat "$WORK/u.err") exit $(cat "$WORK/u.rc")"
        fi
    fi
    # every subcommand: "utx: FILE: MESSAGE", exit 1, no Rust wording
    case $name in
    missing) msg="No such file or directory" ;;
    directory) msg="Is a directory" ;;
    "permission denied") msg="Permission denied" ;;
    *) msg="not a recognised format*" ;;
    esac
    for cmd in "dump $path" "who $path" "lastlog -f $path" "dump --json $path" "who --json $path"; do
        # shellcheck disable=SC2086
        run "$WORK/u" "${pre[@]}" "$UTX" $cmd
        # shellcheck disable=SC2053
        if [[ $(cat "$WORK/u.err") == "utx: $path: "$msg ]] && [ "$(cat "$WORK/u.rc")" = 1 ] &&
            [ ! -s "$WORK/u.out" ]; then
            ok "$cmd ($name): utx: FILE: ${msg%\*}, exit 1"
        else
            bad "$cmd ($name): $(cat "$WORK/u.err") exit $(cat "$WORK/u.rc")"
        fi
    done
done


# --help and --version of every subcommand; last/lastb -V in util-linux's
# shape ("last from util-linux 2.38.1" -> "last from utx 1.0.0").
for sub in dump who last lastb lastlog; do
    for o in --help --version -V; do
        [ "$sub $o" = "who -V" ] && continue # coreutils who has no -V
        run "$WORK/u" "$UTX" $sub $o
        if [ "$(cat "$WORK/u.rc")" = 0 ] && [ -s "$WORK/u.out" ] && [ ! -s "$WORK/u.err" ]; then
            ok "$sub $o: exit 0, on stdout"
        else
            bad "$sub $o: exit $(cat "$WORK/u.rc"): $(cat "$WORK/u.err")"
        fi
    done
done
for prog in last lastb; do
    for o in -V --version; do
        peer=$("$prog" $o 2>&1 | sed 's/ from util-linux [0-9.]*$/ from X/')
        mine=$("$UTX" "$prog" $o 2>&1 | sed 's/ from utx [0-9.]*$/ from X/')
        if [ "$peer" = "$prog from X" ] && [ "$mine" = "$peer" ]; then
            ok "$prog $o: util-linux's shape ($("$UTX" "$prog" $o))"
        else
            bad "$prog $o: '$mine', util-linux: '$peer'"
        fi
    done
done
"$UTX" lastb --help >"$WORK/b.help"
"$UTX" last --help >"$WORK/l.help"
if grep -q '^ utx lastb \[options\]' "$WORK/b.help" && grep -q 'failed login' "$WORK/b.help" &&
    grep -q '/var/log/btmp' "$WORK/b.help" && ! grep -q 'failed login' "$WORK/l.help"; then
    ok "lastb --help is lastb's own text"
else
    bad "lastb --help is lastb's own text"
fi

# No "(os error N)" in any message printed above.
if [ ! -s "$WORK/all-messages" ]; then
    bad "messages were collected"
elif grep -q -e 'os error' "$WORK/all-messages"; then
    bad "no Rust wording in any message: $(grep -m1 'os error' "$WORK/all-messages")"
else
    ok "no Rust wording in any of the $(wc -l <"$WORK/all-messages") messages"
fi
echo "errors parity: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
