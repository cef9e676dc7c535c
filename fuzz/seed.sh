#!/usr/bin/env bash
# Fill fuzz/corpus/<target>/ with seed inputs made from the repository's
# samples/ and, when present, the shared corpus (../shared/corpus beside
# the clone, or $UTX_CORPUS). The corpus is never committed (its files
# carry their own licences; fuzz/.gitignore lists fuzz/corpus).
#
#   bash fuzz/seed.sh
#
# Each target gets the files of its own format, with the leading choice
# bytes that select it (see utx_fuzz::seeds); wtmpdb and lastlog2 seeds
# are written with the sqlite3 command when it is installed.
set -euo pipefail
cd "$(dirname "$0")"
root=..

corpus=${UTX_CORPUS:-}
if [ -z "$corpus" ]; then
    for d in $root/../shared/corpus $root/../../shared/corpus; do
        if [ -d "$d" ]; then corpus=$d; break; fi
    done
fi

files=()
while IFS= read -r f; do files+=("$f"); done < <(
    {
        find $root/samples -type f ! -path '*/LICENSES/*' ! -name '*.md'
        if [ -n "$corpus" ]; then
            # Data files only: not the tools' expected outputs.
            find "$corpus" -type f ! -name '*.md' ! -path '*/expected*' \
                ! -name '*.out.txt' ! -name '*.last.txt' ! -name '*.lastlogin.txt' \
                ! -name '*.stdout' ! -name '*.stderr'
        fi
    } | sort)
[ -n "$corpus" ] || echo "seed: no shared corpus (../shared/corpus, \$UTX_CORPUS): samples/ only"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if command -v sqlite3 >/dev/null; then
    # The schemas wtmpdb and lastlog2 create; small pages keep seeds small.
    sqlite3 "$tmp/wtmp.db" "PRAGMA page_size=512;
        CREATE TABLE wtmp(ID INTEGER PRIMARY KEY, Type INTEGER, User TEXT NOT NULL, Login INTEGER, Logout INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT) STRICT;
        INSERT INTO wtmp VALUES(1, 1, 'reboot', 1700000000000000, 1700000900000000, '~', '6.1.0', NULL);
        INSERT INTO wtmp VALUES(2, 3, 'root', 1700000100000000, 1700000200000000, 'pts/0', '192.0.2.1', 'sshd');
        INSERT INTO wtmp VALUES(3, 3, 'alice', 1700000300000000, NULL, 'tty1', NULL, 'login');"
    sqlite3 "$tmp/lastlog2.db" "PRAGMA page_size=512;
        CREATE TABLE Lastlog2(Name TEXT PRIMARY KEY, Time INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT);
        INSERT INTO Lastlog2 VALUES('root', 1700000000, 'pts/0', '192.0.2.1', 'sshd');
        INSERT INTO Lastlog2 VALUES('alice', 1700000300, 'tty1', NULL, 'login');"
    files+=("$tmp/wtmp.db" "$tmp/lastlog2.db")
else
    echo "seed: sqlite3 not installed: no wtmpdb/lastlog2 seeds"
fi

cargo build --quiet --no-default-features --bin replay
./target/debug/replay --seed corpus "${files[@]}"
