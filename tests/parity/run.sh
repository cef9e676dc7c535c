#!/usr/bin/env bash
# Parity tests of the `utx` command against independent truth:
#   - util-linux 2.38 `utmpdump`, coreutils `who` and shadow `lastlog`
#     installed on this host, on the same files;
#   - files written by glibc itself (tests/gen/utmpgen.c);
#   - the real files of the corpus (../shared/corpus, see its MANIFEST.md)
#     and of samples/, and the field values their upstream tests assert.
#
# usage: bash tests/parity/run.sh UTX_BINARY
# Environment: UTX_CORPUS=DIR overrides where the corpus is looked for.
# Exit status: 0 when every check passed, 1 when one failed, 2 on misuse.
set -u

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
    echo "usage: $0 UTX_BINARY (an executable)" >&2
    exit 2
fi
UTX=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/utx-parity.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT
export LANG=C LC_ALL=C TZ=UTC

. "$HERE/lib.sh"

for tool in utmpdump who; do
    if ! command -v "$tool" >/dev/null; then
        echo "parity: '$tool' is not installed; cannot compare" >&2
        exit 2
    fi
done
echo "utx under test: $UTX ($("$UTX" --version))"
echo "peers: $(utmpdump --version 2>&1 | head -n 1); $(who --version | head -n 1)"

# ------------------------------------------------------------------
# The corpus: ../shared/corpus next to the repository (the main checkout),
# or two levels up (a worktree under wt/), or $UTX_CORPUS.
CORPUS=
for c in "${UTX_CORPUS:-}" "$ROOT/../shared/corpus" "$ROOT/../../shared/corpus"; do
    if [ -n "$c" ] && [ -f "$c/MANIFEST.md" ]; then
        CORPUS=$(cd "$c" && pwd)
        break
    fi
done

# ------------------------------------------------------------------
section() { printf '\n== %s\n' "$1"; }

# 1. Files written by glibc (the generator).
section "glibc-written files (tests/gen/utmpgen.c)"
GEN=$TMP/gen
if ! command -v gcc >/dev/null; then
    skip "generator" "gcc not installed"
elif ! gcc -std=c99 -D_GNU_SOURCE -O2 -o "$TMP/utmpgen" "$ROOT/tests/gen/utmpgen.c" 2>"$TMP/gcc.err"; then
    fail "generator builds" "$(head -n 5 "$TMP/gcc.err")"
else
    # Scenarios that need privileges (logwtmp's private mount) may fail
    # here; each missing file is reported as a SKIP below.
    "$TMP/utmpgen" all "$GEN" >"$TMP/gen.log" 2>&1
    for f in $("$TMP/utmpgen" list); do
        path=$GEN/$f
        if [ ! -s "$path" ]; then
            skip "gen/$f" "the generator could not write it here: $(grep -m1 -F "${f%.*}" "$TMP/gen.log")"
            continue
        fi
        dump_parity "dump gen/$f" "$GEN" "$f"
        who_parity "who gen/$f" "$GEN" "$f"
    done
fi

# 2. The bundled samples (in the repository, so always run).
section "samples/"
for f in utmp wtmp btmp; do
    dump_parity "dump samples/$f" "$ROOT/samples" "$f"
done
who_parity "who samples/utmp" "$ROOT/samples" utmp
fields "samples/utmp-aarch64: 400-byte LE record 1" "$ROOT/samples/utmp-aarch64" 400 \
    '"format":"linux-400-le"' '"pid":18' '"line":"tty2"' '"type_num":8' \
    '"addr":"4.3.2.1"' '"time":"2026-07-03T14:57:58*'
fields "samples/utmp-s390x: 400-byte BE record 1" "$ROOT/samples/utmp-s390x" 400 \
    '"format":"linux-400-be"' '"pid":32' '"line":"tty2"' '"type_num":8' \
    '"addr":"1.2.3.4"' '"time":"2026-07-04T05:00:25*'
fields "samples/lastlog: uid 0" "$ROOT/samples/lastlog" 0 \
    '"type":"LAST_LOGIN"' '"uid":0' '"line":"pts/0"' '"host":"host.net"' \
    '"sec":1709449438'

# 3. The corpus.
if [ -z "$CORPUS" ]; then
    section "corpus"
    echo "SKIP: ../shared/corpus not found — corpus parity not run"
else
    section "corpus: utmpdump byte parity ($CORPUS)"
    # Every s4 file the manifest marks "utmpdump 2.38 here: OK".
    S4_OK=$(awk -F'|' '/^\| / && $(NF-1) ~ /^ *OK/ {
                gsub(/^ +| +$/, "", $2); print $2 }' "$CORPUS/MANIFEST.md")
    if [ -z "$S4_OK" ]; then
        fail "manifest lists utmpdump-OK files" "no 'OK' rows found in $CORPUS/MANIFEST.md"
    fi
    while IFS= read -r f; do
        [ -n "$f" ] || continue
        dump_parity "dump s4/logs/$f" "$CORPUS/s4/logs" "$f"
    done <<<"$S4_OK"
    for f in util-linux/ts/utmp/wtmp-a.LE util-linux/ts/utmp/wtmp-b.LE \
        util-linux/ts/utmp/wtmp-ipv6.LE utmp-rs/basic32.utmp \
        utmp-rs/with_host_32.utmp utmp-rs/long_user_32.utmp plaso/utmp \
        plaso/utmp_x86_64 dtformats/utmp-linux_libc6; do
        dump_parity "dump $f" "$CORPUS" "$f"
    done
    # One stray byte after 4 records: utmpdump ignores it silently, utx
    # warns on stderr, so only stdout is compared; the warning is checked.
    dump_parity "dump plaso/wtmp.1 (stdout)" "$CORPUS" plaso/wtmp.1 stdout
    run_to "$TMP/w1" "$UTX" dump "$CORPUS/plaso/wtmp.1"
    if grep -q "trailing partial record at offset 1536 ignored" "$TMP/w1.err"; then
        pass "dump plaso/wtmp.1 warns about the stray byte"
    else
        fail "dump plaso/wtmp.1 warns about the stray byte" "stderr: $(cat "$TMP/w1.err")"
    fi

    section "corpus: who parity"
    while IFS= read -r f; do
        case $f in */utmp) who_parity "who s4/logs/$f" "$CORPUS/s4/logs" "$f" ;; esac
    done <<<"$S4_OK"
    for f in plaso/utmp plaso/utmp_x86_64 dtformats/utmp-linux_libc6 \
        utmp-rs/basic32.utmp utmp-rs/with_host_32.utmp \
        util-linux/ts/utmp/wtmp-a.LE util-linux/ts/utmp/wtmp-ipv6.LE; do
        who_parity "who $f" "$CORPUS" "$f"
    done

    section "corpus: formats utmpdump cannot read"
    # Big-endian twins: utx on X.BE must print what utmpdump prints for X.LE.
    for x in a b ipv6; do
        d=$CORPUS/util-linux/ts/utmp
        run_to "$TMP/le" utmpdump "$d/wtmp-$x.LE"
        run_to "$TMP/be" "$UTX" dump "$d/wtmp-$x.BE"
        if [ "$RC" != 0 ]; then
            fail "dump wtmp-$x.BE == utmpdump wtmp-$x.LE" "utx exited $RC: $(head -n 2 "$TMP/be.err")"
        else
            same "dump wtmp-$x.BE == utmpdump wtmp-$x.LE" "$TMP/le.out" "$TMP/be.out" \
                "utmpdump wtmp-$x.LE" "utx dump wtmp-$x.BE"
        fi
    done
    # utmpdump's own text (current and old ctime style): utx reads it and
    # prints what utmpdump prints for the binary it was made from.
    for t in a b ipv6 a-old b-old ipv6-old; do
        d=$CORPUS/util-linux/ts/utmp
        run_to "$TMP/le" utmpdump "$d/wtmp-${t%-old}.LE"
        run_to "$TMP/tx" "$UTX" dump "$d/txt-$t"
        if [ "$RC" != 0 ]; then
            fail "dump txt-$t == utmpdump wtmp-${t%-old}.LE" "utx exited $RC: $(head -n 2 "$TMP/tx.err")"
        else
            same "dump txt-$t == utmpdump wtmp-${t%-old}.LE" "$TMP/le.out" "$TMP/tx.out" \
                "utmpdump wtmp-${t%-old}.LE" "utx dump txt-$t"
        fi
    done
    # 400-byte records: the values plaso's and utmp-rs's tests assert.
    fields "plaso/utmp_aarch64 record 1" "$CORPUS/plaso/utmp_aarch64" 400 \
        '"format":"linux-400-le"' '"pid":18' '"line":"tty2"' '"type_num":8' \
        '"addr":"4.3.2.1"' '"time":"2026-07-03T14:57:58*'
    fields "plaso/utmp_aarch64 record 2" "$CORPUS/plaso/utmp_aarch64" 800 \
        '"user":"reboot"' '"type_num":2'
    fields "plaso/utmp_aarch64 record 5" "$CORPUS/plaso/utmp_aarch64" 2000 \
        '"user":"date"' '"type_num":3' '"time":"2026-07-03T15:02:58*'
    fields "plaso/utmp_s390 record 1" "$CORPUS/plaso/utmp_s390" 400 \
        '"format":"linux-400-be"' '"pid":32' '"line":"tty2"' '"type_num":8' \
        '"addr":"1.2.3.4"' '"time":"2026-07-04T05:00:25*'
    fields "plaso/utmp_s390 record 2" "$CORPUS/plaso/utmp_s390" 800 \
        '"user":"reboot"' '"type_num":2'
    fields "utmp-rs/basic64 boot" "$CORPUS/utmp-rs/basic64.utmp" 0 \
        '"format":"linux-400-le"' '"type":"BOOT_TIME"' '"sec":1658083371' '"usec":314869'
    fields "utmp-rs/basic64 run level" "$CORPUS/utmp-rs/basic64.utmp" 400 \
        '"type":"RUN_LVL"' '"pid":53'
    fields "utmp-rs/basic64 login" "$CORPUS/utmp-rs/basic64.utmp" 800 \
        '"type":"LOGIN_PROCESS"' '"pid":1219' '"line":"ttyAMA0"' '"session":1219'
    for f in plaso/utmp_aarch64 plaso/utmp_s390 utmp-rs/basic64.utmp; do
        run_to "$TMP/t" "$UTX" dump "$CORPUS/$f"
        n=$(wc -l <"$TMP/t.out")
        want=$(($(wc -c <"$CORPUS/$f") / 400))
        if [ "$RC" = 0 ] && [ "$n" = "$want" ]; then
            pass "dump $f: $n lines"
        else
            fail "dump $f: $want lines" "exit $RC, $n lines: $(head -n 2 "$TMP/t.err")"
        fi
    done

    section "corpus: damaged files"
    # plaso/utmp_corrupted: alice, two records of type 99, bob, 50 stray
    # bytes.  utmpdump prints the type-99 records (utx: type UNKNOWN,
    # raw_type kept) and ignores the stray bytes (utx warns on stderr).
    # plaso's test expects bob at offset 1152.
    dump_parity "dump plaso/utmp_corrupted (stdout)" "$CORPUS" plaso/utmp_corrupted stdout
    fields "plaso/utmp_corrupted: bob after the damage" "$CORPUS/plaso/utmp_corrupted" 1152 \
        '"format":"linux-384-le"' '"user":"bob"' '"pid":3003' '"line":"pts/0"' \
        '"addr":"10.0.0.5"' '"type_num":7' '"time":"2023-11-14T22:46:40*'
    fields "plaso/utmp_corrupted: a type-99 record" "$CORPUS/plaso/utmp_corrupted" 384 \
        '"type":"UNKNOWN"' '"type_num":13' '"raw_type":99'

    section "corpus: lastlog against the companions made on the source systems"
    # lastlog.txt was printed by the source system's lastlog in its local
    # time zone; user names may not resolve here, so the name column is
    # dropped and port, from and time compared.  OpenSUSE15's companion
    # came from lastlog2 (port "ssh"), not from this file: not compared.
    while read -r dir zone; do
        f=$CORPUS/s4/logs/$dir/lastlog
        [ -f "$f" ] || { skip "lastlog $dir" "not in the corpus"; continue; }
        grep -v -e '^Username' -e 'Never logged in' "$f.txt" |
            awk '{ $1 = ""; print }' | sort >"$TMP/ll-exp"
        TZ=$zone "$UTX" lastlog -f "$f" >"$TMP/ll.out" 2>"$TMP/ll.err"
        RC=$?
        grep -v '^Username' "$TMP/ll.out" | awk '{ $1 = ""; print }' | sort >"$TMP/ll-utx"
        if [ "$RC" != 0 ]; then
            fail "lastlog $dir (TZ=$zone)" "exit $RC: $(cat "$TMP/ll.err")"
        else
            same "lastlog $dir (TZ=$zone)" "$TMP/ll-exp" "$TMP/ll-utx" "$dir/lastlog.txt" "utx lastlog"
        fi
    done <<'EOF'
CentOS7/x86_64 America/New_York
Debian11/aarch64_ARMv6 America/Los_Angeles
Debian11/armv6l_ARMv6 America/Los_Angeles
Debian11/armv7l_ARMv6 America/Los_Angeles
Debian13/RISC-V America/Los_Angeles
Ubuntu16/x86_32 America/Los_Angeles
Ubuntu20/x86_64 America/Los_Angeles
EOF
    # FreeBSD utx.lastlogin, and a copy of it under another name (a futx
    # file given to lastlog holds last logins): user, port and host as the
    # companion printed by FreeBSD's `lastlogin`.
    f=$CORPUS/s4/logs/FreeBSD13.1/x86_64/utx.lastlogin
    if [ -f "$f" ]; then
        cp "$f" "$TMP/COPY"
        awk '{ print $1, $2, $3 }' "$f.txt" | sort >"$TMP/ull-exp"
        for g in "$f" "$TMP/COPY"; do
            "$UTX" lastlog -f "$g" >"$TMP/ull.out" 2>"$TMP/ull.err"
            RC=$?
            grep -v '^Username' "$TMP/ull.out" | awk '{ print $1, $2, $3 }' | sort >"$TMP/ull-utx"
            if [ "$RC" != 0 ]; then
                fail "lastlog -f $(basename "$g") (FreeBSD utx.lastlogin)" "exit $RC: $(cat "$TMP/ull.err")"
            else
                same "lastlog -f $(basename "$g") (FreeBSD utx.lastlogin)" "$TMP/ull-exp" "$TMP/ull-utx" \
                    "utx.lastlogin.txt" "utx lastlog"
            fi
        done
    fi
fi

# 4. lastlog against shadow's own lastlog on the same file: it reads only
# /var/log/lastlog, so it is pointed at a scratch root with -R (chroot,
# needs root) holding this host's passwd, so names resolve alike.
section "lastlog against shadow lastlog -R"
if ! command -v lastlog >/dev/null; then
    skip "lastlog -R" "shadow lastlog not installed"
elif [ "$(id -u)" != 0 ]; then
    skip "lastlog -R" "needs root for chroot"
else
    LL_FILES=("$ROOT/samples/lastlog")
    if [ -n "$CORPUS" ]; then
        for d in Debian11/aarch64_ARMv6 Debian13/RISC-V Ubuntu20/x86_64 Ubuntu16/x86_32; do
            LL_FILES+=("$CORPUS/s4/logs/$d/lastlog")
        done
    fi
    for f in "${LL_FILES[@]}"; do
        name=${f#"$ROOT/"}
        [ -z "$CORPUS" ] || name=${name#"$CORPUS/"}
        root=$TMP/llroot
        rm -rf "$root"
        mkdir -p "$root/etc" "$root/var/log"
        cp /etc/passwd /etc/group "$root/etc/"
        cp "$f" "$root/var/log/lastlog"
        if ! lastlog -R "$root" >"$TMP/sh.out" 2>"$TMP/sh.err"; then
            skip "lastlog -R $name" "shadow lastlog -R failed: $(head -n 1 "$TMP/sh.err")"
            continue
        fi
        # shadow lists every passwd user; utx only users with a login, and
        # uids without a passwd entry by number.
        grep -v 'Never logged in' "$TMP/sh.out" | sort >"$TMP/sh.cmp"
        "$UTX" lastlog -f "$f" 2>"$TMP/ul.err" | grep -v '^[0-9][0-9]* ' | sort >"$TMP/ul.cmp"
        same "lastlog -f $name == lastlog -R" "$TMP/sh.cmp" "$TMP/ul.cmp" "shadow lastlog" "utx lastlog"
        # One user, by name and by uid, with and without a login.
        for u in root 0 daemon 1; do
            lastlog -R "$root" -u "$u" >"$TMP/shu.out" 2>&1
            "$UTX" lastlog -f "$f" -u "$u" >"$TMP/ulu.out" 2>&1
            same "lastlog -f $name -u $u" "$TMP/shu.out" "$TMP/ulu.out" "shadow lastlog -u $u" "utx lastlog -u $u"
        done
    done
fi

# 5. The command's own behaviour.
section "command line"
run_to "$TMP/v" "$UTX" --version
if [ "$RC" = 0 ] && grep -Eq '^utx [0-9]+\.[0-9]+\.[0-9]+$' "$TMP/v.out"; then
    pass "--version"
else
    fail "--version" "exit $RC: $(cat "$TMP/v.out" "$TMP/v.err")"
fi
run_to "$TMP/nf" "$UTX" dump "$TMP/does-not-exist"
if [ "$RC" = 1 ] && [ "$(cat "$TMP/nf.err")" = "utx: $TMP/does-not-exist: No such file or directory" ]; then
    pass "missing FILE: exit 1 and a message"
else
    fail "missing FILE: exit 1 and a message" "exit $RC: $(cat "$TMP/nf.err")"
fi
run_to "$TMP/fmt" "$UTX" dump --format no-such-format "$ROOT/samples/utmp"
if [ "$RC" = 2 ] && grep -q "valid names: .*linux-384-le" "$TMP/fmt.err"; then
    pass "--format with an unknown name lists the valid ones"
else
    fail "--format with an unknown name lists the valid ones" "exit $RC: $(cat "$TMP/fmt.err")"
fi
# A forced format is used as given (and named in every JSON entry).
run_to "$TMP/ff" "$UTX" dump --json --format linux-400-be "$ROOT/samples/utmp-s390x"
if [ "$RC" = 0 ] && [ "$(grep -c '"format":"linux-400-be"' "$TMP/ff.out")" = 6 ]; then
    pass "--format forces a format"
else
    fail "--format forces a format" "exit $RC: $(head -n 2 "$TMP/ff.out" "$TMP/ff.err")"
fi
"$UTX" dump "$ROOT/samples/wtmp" 2>/dev/null | tac >"$TMP/fwd"
"$UTX" dump --newest-first "$ROOT/samples/wtmp" >"$TMP/rev" 2>/dev/null
same "dump --newest-first: newest first" "$TMP/fwd" "$TMP/rev" "utx dump | tac" "utx dump --newest-first"

# This host's utmp, without FILE: in a private mount namespace a tmpfs on
# /run holds a glibc-written utmp whose first two USER_PROCESS entries get
# the pid of a live process; `who` (no FILE) drops the dead ones, and so
# must `utx who`.
host_db_check() {
    local src=$1 live=$2
    mount -t tmpfs none /run || return 1
    cp "$src" /run/utmp
    local n=0 i=0 type
    while read -r type _; do
        if [ "$type" = "[7]" ] && [ $n -lt 2 ]; then
            printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((live & 255)) \
                $((live >> 8 & 255)) $((live >> 16 & 255)) $((live >> 24 & 255)))" |
                dd of=/run/utmp bs=1 seek=$((i * 384 + 4)) conv=notrunc status=none
            n=$((n + 1))
        fi
        i=$((i + 1))
    done < <(utmpdump /run/utmp 2>/dev/null)
    who >"$TMP/hw.exp" 2>&1
    "$UTX" who >"$TMP/hw.out" 2>&1 || return 1
    utmpdump /run/utmp >"$TMP/hd.exp" 2>/dev/null
    "$UTX" dump >"$TMP/hd.out" 2>/dev/null || return 1
}
if [ -s "$GEN/utmp-table.utmp" ] && [ "$(id -u)" = 0 ] && command -v unshare >/dev/null &&
    unshare -m --propagation private true 2>/dev/null; then
    sleep 60 &
    live=$!
    export -f host_db_check
    export UTX TMP
    if unshare -m --propagation private bash -c "host_db_check '$GEN/utmp-table.utmp' $live"; then
        if [ "$(wc -l <"$TMP/hw.exp")" = 2 ]; then
            same "who without FILE (this host's utmp, dead pids left out)" "$TMP/hw.exp" "$TMP/hw.out" "who" "utx who"
        else
            fail "who without FILE (this host's utmp, dead pids left out)" "the patched utmp should give 2 live entries:" "$(cat "$TMP/hw.exp")"
        fi
        same "dump without FILE (this host's utmp)" "$TMP/hd.exp" "$TMP/hd.out" "utmpdump /run/utmp" "utx dump"
    else
        fail "who/dump without FILE (this host's utmp)" "$(cat "$TMP/hw.out" 2>/dev/null)"
    fi
    kill "$live" 2>/dev/null
    wait "$live" 2>/dev/null
else
    skip "who without FILE" "needs root, unshare and gen/utmp-table.utmp"
fi
if [ -e /var/run/utmp ] || [ -e /run/utmp ]; then
    run_to "$TMP/db" "$UTX" who
    if [ "$RC" = 0 ]; then pass "who without FILE reads this host's utmp"; else
        fail "who without FILE reads this host's utmp" "exit $RC: $(cat "$TMP/db.err")"
    fi
else
    run_to "$TMP/db" "$UTX" who
    # The library's message names the paths it looked at.
    if [ "$RC" = 3 ] && grep -q "/run/utmp" "$TMP/db.err" && [ ! -s "$TMP/db.out" ]; then
        pass "who without FILE on a host without utmp: exit 3 and says so"
    else
        fail "who without FILE on a host without utmp: exit 3 and says so" "exit $RC: $(cat "$TMP/db.err")"
    fi
fi

# JSON: field by field against utmpdump on every file byte-compared above.
if command -v python3 >/dev/null; then
    if python3 "$HERE/json_vs_utmpdump.py" "$UTX" "${DUMPED[@]}" >"$TMP/jv.log" 2>&1; then
        pass "dump --json agrees with utmpdump field by field ($(tail -n 1 "$TMP/jv.log"))"
    else
        fail "dump --json agrees with utmpdump field by field" "$(tail -n 6 "$TMP/jv.log")"
    fi
else
    skip "dump --json vs utmpdump" "no python3"
fi

# JSON: non-UTF-8 bytes survive exactly (compared with the raw records).
if [ -s "$GEN/nonutf8.wtmp" ] && command -v python3 >/dev/null; then
    "$UTX" dump --json "$GEN/nonutf8.wtmp" >"$TMP/j.out" 2>"$TMP/j.err"
    if python3 - "$TMP/j.out" "$GEN/nonutf8.wtmp" >"$TMP/j.log" 2>&1 <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
raw = open(sys.argv[2], "rb").read()
assert len(lines) == len(raw) // 384, (len(lines), len(raw) // 384)
for i, line in enumerate(lines):
    e = json.loads(line)
    rec = raw[i * 384:(i + 1) * 384]
    def field(off, n):
        b = rec[off:off + n]
        return b.split(b"\0", 1)[0]
    for name, off, n in (("user", 44, 32), ("line", 8, 32), ("id", 40, 4), ("host", 76, 256)):
        want = field(off, n)
        try:
            text = want.decode("utf-8")
            assert e[name] == text, (i, name, e[name], text)
            assert name + "_hex" not in e, (i, name)
        except UnicodeDecodeError:
            assert bytes.fromhex(e[name + "_hex"]) == want, (i, name)
            assert "NOT_UTF8" in e["flags"], (i, e["flags"])
print("ok", len(lines))
PY
    then
        pass "dump --json gen/nonutf8.wtmp: valid JSON, every string byte-exact"
    else
        fail "dump --json gen/nonutf8.wtmp: valid JSON, every string byte-exact" "$(tail -n 3 "$TMP/j.log")"
    fi
else
    skip "dump --json check" "no python3 or no gen/nonutf8.wtmp"
fi

# JSON: one string encoder for every subcommand.  Invalid UTF-8 (an
# overlong "/", a surrogate, a code point above U+10FFFF, a lone
# continuation byte) has each byte escaped as \u00XX, valid UTF-8 passes
# through, controls are escaped; dump, who, last and lastb print the same
# user string byte for byte.
if command -v python3 >/dev/null; then
    if python3 - "$UTX" "$TMP/enc.wtmp" >"$TMP/enc.log" 2>&1 <<'PY'
import codecs, json, struct, subprocess, sys
utx, path = sys.argv[1], sys.argv[2]
users = [b"\xc0\xaf", b"\xe0\x80\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
         b"a\x80b", b"caf\xc3\xa9", b"\xf0\x9f\x98\x80", b"t\tq\"\\"]
# as the one encoder writes them; their values are checked against
# Python's own UTF-8 decoder below
expected = ['"\\u00c0\\u00af"', '"\\u00e0\\u0080\\u00af"', '"\\u00ed\\u00a0\\u0080"',
        '"\\u00f4\\u0090\\u0080\\u0080"', '"a\\u0080b"', '"caf\u00e9"',
        '"\U0001f600"', '"t\\tq\\"\\\\"']
recs = b""
for i, u in enumerate(users):
    r = bytearray(384)
    struct.pack_into("<hxxi", r, 0, 7, 1000 + i)        # USER_PROCESS, pid
    r[8:40] = (b"pts/%d" % i).ljust(32, b"\0")          # ut_line
    r[40:44] = (b"%d" % i).ljust(4, b"\0")              # ut_id
    r[44:76] = u.ljust(32, b"\0")                       # ut_user
    struct.pack_into("<ii", r, 340, 1700000000 + 60 * i, 0)
    recs += bytes(r)
open(path, "wb").write(recs)

def latin1_bad(e):  # each byte of an invalid sequence as its Latin-1 reading
    return e.object[e.start:e.end].decode("latin-1"), e.end
codecs.register_error("latin1-bad", latin1_bad)
want = [json.dumps(u.decode("utf-8", "latin1-bad"), ensure_ascii=False) for u in users]

def user_strings(args):
    """Every "user" value printed by utx ARGS, as the raw JSON text."""
    out = subprocess.run([utx] + args, capture_output=True, check=True).stdout
    got = []
    for line in out.decode("utf-8").splitlines():
        json.loads(line)  # each line is valid JSON
        k = 0
        while (k := line.find('"user":', k)) >= 0:
            i = j = k + 7
            j += 1
            while line[j] != '"':
                j += 2 if line[j] == "\\" else 1
            got.append(line[i:j + 1])
            k = j
    return got

got = {
    "dump --json": user_strings(["dump", "--json", path]),
    "who --json": user_strings(["who", "--json", path]),
    "last --json": user_strings(["last", "--json", "-f", path])[::-1],
    "lastb --json": user_strings(["lastb", "--json", "-f", path])[::-1],
}
for name, strings in got.items():
    assert [json.loads(x) for x in strings] == [json.loads(x) for x in want], (name, strings, want)
    assert strings == expected, (name, strings, expected)
print("ok", len(users), "users")
PY
    then
        pass "JSON strings: dump, who, last and lastb escape invalid UTF-8 alike ($(tail -n 1 "$TMP/enc.log"))"
    else
        fail "JSON strings: dump, who, last and lastb escape invalid UTF-8 alike" "$(tail -n 6 "$TMP/enc.log")"
    fi
else
    skip "JSON string encoding" "no python3"
fi

# 6. Other parity suites in this folder (e.g. last.sh for `utx last`):
# each runs with the same binary; its exit status is one check here.
for suite in "$HERE"/*.sh; do
    case $(basename "$suite") in run.sh | lib.sh) continue ;; esac
    section "$(basename "$suite")"
    bash "$suite" "$UTX" 2>&1 | sed 's/^/  /'
    if [ "${PIPESTATUS[0]}" = 0 ]; then
        pass "suite $(basename "$suite")"
    else
        fail "suite $(basename "$suite")" "see its output above"
    fi
done

summary
