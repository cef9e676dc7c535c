#!/usr/bin/env bash
# The C examples (examples/*.c): each is built the way its comment says,
# with the project's strict C flags, through `pkg-config --cflags --libs
# utx` of a scratch install, and run; its output is checked against an
# independent tool on the same input:
#   read_wtmp.c     (the README's example, byte for byte)  util-linux utmpdump
#   sessions.c      util-linux last
#   logind_lists.c  the directories of a logind state tree, listed by ls
# usage: bash tests/examples/run.sh   (from the repository root, after make)
set -u
cd "$(dirname "$0")/../.."
CC=${CC:-cc}
C_STRICT="-std=c99 -Wall -Wextra -Wpedantic -Werror"
export LANG=C LC_ALL=C TZ=UTC
tmp=$(mktemp -d /tmp/utx-examples.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
bad=0
ok() { echo "ok   $1"; }
no() { echo "FAIL $1"; shift; printf '     %s\n' "$@"; bad=1; }

make --no-print-directory -s install PREFIX="$tmp/usr" >"$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log"; exit 1; }
export PKG_CONFIG_PATH=$tmp/usr/lib/pkgconfig LD_LIBRARY_PATH=$tmp/usr/lib

# Every example is checked below: a new one must get a check too.
for src in examples/*.c; do
    case $(basename "$src") in read_wtmp.c | sessions.c | logind_lists.c | write_wtmp.c) ;;
        *) no "$src has a check in $0" ;;
    esac
    # shellcheck disable=SC2046
    $CC $C_STRICT -o "$tmp/$(basename "$src" .c)" "$src" $(pkg-config --cflags --libs utx) ||
        no "$src builds with $C_STRICT through pkg-config"
done

# The README's C examples: the first is examples/read_wtmp.c, the second
# examples/write_wtmp.c.
readme_c() { awk -v n="$1" '/^```c$/ {k++; on = (k == n); next} /^```$/ {on = 0} on' README.md; }
readme_c 1 >"$tmp/readme.c"
readme_c 2 >"$tmp/readme2.c"
if [ -s "$tmp/readme2.c" ] && cmp -s "$tmp/readme2.c" examples/write_wtmp.c; then
    ok "README's second C example is examples/write_wtmp.c"
else
    no "README's second C example is examples/write_wtmp.c" "$(diff "$tmp/readme2.c" examples/write_wtmp.c | head -n 10)"
fi

# write_wtmp: a new wtmp that util-linux utmpdump reads as the login
# (user cut to 32 bytes, reported as UT_CUT_USER) and its logout.
if "$tmp/write_wtmp" "$tmp/ww" >"$tmp/ww.out" 2>"$tmp/ww.err" && utmpdump "$tmp/ww" >"$tmp/ww.dump" 2>/dev/null; then
    cat >"$tmp/ww.exp" <<'TXT'
[7] [04242] [ts/3] [firstname.lastname@corp.example.] [pts/3       ] [192.0.2.7           ] [0.0.0.0        ] [2023-11-14T22:13:20,000000+00:00]
[8] [04242] [ts/3] [        ] [pts/3       ] [                    ] [0.0.0.0        ] [2023-11-14T23:13:20,000000+00:00]
TXT
    if cmp -s "$tmp/ww.exp" "$tmp/ww.dump" && [ "$(cat "$tmp/ww.out")" = "cut: 0x1" ] &&
        [ "$(stat -c %a "$tmp/ww")" = "$(printf '%o' $((0664 & ~$(umask))))" ]; then
        ok "write_wtmp: utmpdump reads the login (user cut, reported) and logout; mode 0664 & ~umask"
    else
        no "write_wtmp output" "$(diff "$tmp/ww.exp" "$tmp/ww.dump")" "$(cat "$tmp/ww.out")" "$(stat -c %a "$tmp/ww")"
    fi
else
    no "write_wtmp runs" "$(cat "$tmp/ww.err")"
fi
if [ -s "$tmp/readme.c" ] && cmp -s "$tmp/readme.c" examples/read_wtmp.c; then
    ok "README's C example is examples/read_wtmp.c"
else
    no "README's C example is examples/read_wtmp.c" "$(diff "$tmp/readme.c" examples/read_wtmp.c | head -n 10)"
fi

# read_wtmp: the USER_PROCESS records utmpdump prints, newest first.
"$tmp/read_wtmp" samples/wtmp >"$tmp/rw.out" 2>"$tmp/rw.err" || no "read_wtmp samples/wtmp exits 0" "$(cat "$tmp/rw.err")"
utmpdump samples/wtmp 2>/dev/null | python3 -c '
import datetime, re, sys
rows = []
for l in sys.stdin:
    f = re.findall(r"\[(.*?)\] ", l.rstrip("\n") + " ")
    if f and f[0] == "7":
        t = datetime.datetime.fromisoformat(f[7].split(",")[0]).replace(tzinfo=datetime.timezone.utc)
        rows.append("%-12s %-8s %-16s %d" % (f[3].rstrip(), f[4].rstrip(), f[5].rstrip(), t.timestamp()))
print("\n".join(reversed(rows)))' >"$tmp/rw.exp"
if [ -s "$tmp/rw.exp" ] && cmp -s "$tmp/rw.exp" "$tmp/rw.out"; then
    ok "read_wtmp samples/wtmp == utmpdump's USER_PROCESS records, newest first ($(wc -l <"$tmp/rw.out") lines)"
else
    no "read_wtmp samples/wtmp == utmpdump's USER_PROCESS records" "$(diff "$tmp/rw.exp" "$tmp/rw.out" | head -n 10)"
fi

# sessions: the logins and boots util-linux last lists, in its order, with
# the same start, end and way of ending (whether an open session is "gone"
# depends on this host's processes, so open is open).
"$tmp/sessions" samples/wtmp >"$tmp/s.out" 2>"$tmp/s.err" || no "sessions samples/wtmp exits 0" "$(cat "$tmp/s.err")"
last -w --time-format iso -f samples/wtmp >"$tmp/s.last" || no "last -f samples/wtmp runs"
if python3 - "$tmp/s.last" "$tmp/s.out" >"$tmp/s.log" 2>&1 <<'PY'
import datetime, re, sys
def sec(iso):
    return int(datetime.datetime.fromisoformat(iso).timestamp())
want = []
for l in open(sys.argv[1]):
    m = re.match(r"^(\S+)\s+(system boot|\S+)\s+(.*?)\s*(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d)\s+(.*?)\s*$", l)
    if not m or l.startswith("wtmp begins"):
        continue
    rest, end = m.group(5), None
    if "still logged in" in rest or "gone - no logout" in rest:
        how = "open"
    elif "still running" in rest:
        how = "still running"
    elif rest.startswith("- down"):
        how = "down"
    elif rest.startswith("- crash"):
        how = "crash"
    else:
        how, end = "logged out", sec(rest.split()[1])
    want.append((m.group(1), m.group(2), m.group(3), sec(m.group(4)), how, end))
got = []
for l in open(sys.argv[2]):
    m = re.match(r"^(\S+)\s+(system boot|\S+)\s+(.*?)\s*(-?\d+) (logged out|still logged in|gone - no logout|crash|down|still running|instant)(?: (-?\d+))?$", l.rstrip("\n"))
    assert m, l
    how = "open" if m.group(5) in ("still logged in", "gone - no logout") else m.group(5)
    end = int(m.group(6)) if how == "logged out" else None
    got.append((m.group(1), m.group(2), m.group(3), int(m.group(4)), how, end))
assert want, "last listed nothing"
for i, (w, g) in enumerate(zip(want, got)):
    assert w == g, (i, w, g)
assert len(want) == len(got), (len(want), len(got))
print(len(got), "sessions")
PY
then
    ok "sessions samples/wtmp == util-linux last -w ($(tail -n 1 "$tmp/s.log"))"
else
    no "sessions samples/wtmp == util-linux last -w" "$(tail -n 4 "$tmp/s.log")"
fi

# logind_lists: a logind state tree under a scratch root.
r=$tmp/root/run/systemd
mkdir -p "$r/seats" "$r/sessions" "$r/users" "$r/machines"
touch "$r/seats/seat0" "$r/sessions/3" "$r/sessions/c1" "$r/sessions/12" "$r/users/1000" \
    "$r/users/0" "$r/machines/debian-12" "$r/sessions/.#3abc" # a file logind is writing
for d in seats sessions users machines; do
    if [ $d = users ]; then
        echo "$d: $(ls "$r/$d" | sort -n | tr '\n' ' ' | sed 's/ $//')"
    else
        echo "$d: $(ls "$r/$d" | tr '\n' ' ' | sed 's/ $//')"
    fi
done >"$tmp/l.exp"
"$tmp/logind_lists" "$tmp/root" >"$tmp/l.out" 2>"$tmp/l.err" || no "logind_lists ROOT exits 0" "$(cat "$tmp/l.err")"
if cmp -s "$tmp/l.exp" "$tmp/l.out"; then
    ok "logind_lists ROOT == ls of its seats, sessions, users, machines"
else
    no "logind_lists ROOT == ls of its seats, sessions, users, machines" "$(diff "$tmp/l.exp" "$tmp/l.out")"
fi
mkdir -p "$tmp/empty"
"$tmp/logind_lists" "$tmp/empty" >/dev/null 2>"$tmp/l2.err"
rc=$?
if [ $rc = 3 ] && grep -q "logind is not running here" "$tmp/l2.err"; then
    ok "logind_lists on a root without logind: exit 3 and says so"
else
    no "logind_lists on a root without logind: exit 3 and says so" "exit $rc: $(cat "$tmp/l2.err")"
fi
exit $bad
