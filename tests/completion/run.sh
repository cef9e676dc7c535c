#!/usr/bin/env bash
# completions/utx.bash: sourced in bash, its function is called with
# COMP_WORDS/COMP_CWORD as bash would, and the candidates are checked:
# subcommands, every option each subcommand's --help prints, the --format
# names `utx --list-formats` prints (both "--format NAME" and
# "--format=NAME"), and the fixed value lists.
# usage: bash tests/completion/run.sh UTX_BINARY
set -u
UTX=${1:?usage: $0 UTX_BINARY}
cd "$(dirname "$0")/../.."
# shellcheck source=../../completions/utx.bash
. completions/utx.bash
bad=0

# complete WORD...: the candidates for the last WORD (COMP_WORDS[0] is $UTX).
complete_words() {
    COMP_WORDS=("$UTX" "$@")
    COMP_CWORD=$#
    COMPREPLY=()
    _utx
    printf '%s\n' "${COMPREPLY[@]}" | sort
}
expect() { # NAME WANT GOT
    if [ "$2" = "$3" ]; then echo "ok   $1"; else
        echo "FAIL $1"; echo "     want: $(echo "$2" | tr '\n' ' ')"; echo "     got:  $(echo "$3" | tr '\n' ' ')"; bad=1
    fi
}
has() { # NAME ITEM GOT
    if grep -qxF -- "$2" <<<"$3"; then :; else echo "FAIL $1: '$2' not offered"; bad=1; fi
}

[ "$(complete -p utx)" = "complete -o default -F _utx utx" ] || { echo "FAIL: utx is not registered"; bad=1; }
expect "subcommands" "$(printf '%s\n' convert dump help last lastb lastlog login logout who)" "$(complete_words '')"
expect "subcommands starting with l" "$(printf '%s\n' last lastb lastlog login logout)" "$(complete_words l)"
expect "top-level options" "$(printf '%s\n' --help --list-formats --version)" "$(complete_words --)"

# Every option a subcommand's --help (and the top-level usage) prints.
for sub in dump who last lastb lastlog convert login logout; do
    got=$(complete_words "$sub" -)
    opts=$("$UTX" "$sub" --help | grep -oE '(^|[][ ,|(])--?[A-Za-z][A-Za-z0-9-]*' | sed 's/^[][ ,|(]//' | sort -u)
    [ -n "$opts" ] || { echo "FAIL: no options in utx $sub --help"; bad=1; }
    n=0
    for o in $opts; do has "utx $sub -<TAB>" "$o" "$got"; n=$((n + 1)); done
    echo "ok   utx $sub -<TAB> offers the $n options of its --help"
done

formats=$("$UTX" --list-formats | sort)
[ "$(echo "$formats" | wc -l)" -gt 40 ] || { echo "FAIL: utx --list-formats printed $(echo "$formats" | wc -l) names"; bad=1; }
expect "dump --format <TAB>: every --list-formats name" "$formats" "$(complete_words dump --format '')"
expect "who --format linux-4<TAB>" "$(grep '^linux-4' <<<"$formats")" "$(complete_words who --format linux-4)"
expect "lastlog --format=netbsd-l<TAB>" "$(grep '^netbsd-l' <<<"$formats")" "$(complete_words lastlog --format = netbsd-l)"
expect "dump --db <TAB>" "$(printf '%s\n' btmp lastlog utmp wtmp)" "$(complete_words dump --db '')"
expect "last --time-format <TAB>" "$(printf '%s\n' full iso notime short)" "$(complete_words last -x --time-format '')"
expect "lastb --time-format=i<TAB>" "iso" "$(complete_words lastb --time-format = i)"
expect "last -n <TAB>: a number, nothing offered" "" "$(complete_words last -n '')"
expect "dump --j<TAB>" "$(printf '%s\n' --json --json=ecs)" "$(complete_words dump --j)"
expect "last --sy<TAB>" "--system" "$(complete_words last --sy)"
expect "who --hea<TAB>" "--heading" "$(complete_words who --hea)"
expect "who --w<TAB>" "$(printf '%s\n' --watch --watch= --writable)" "$(complete_words who --w)"
expect "lastlog --be<TAB>" "--before" "$(complete_words lastlog --be)"
expect "lastlog -t <TAB>: days, nothing offered" "" "$(complete_words lastlog -t '')"
expect "lastlog -R samples/RE<TAB> (directories only)" "" "$(complete_words lastlog -R samples/RE)"
expect "who --root samples/RE<TAB> (directories only)" "" "$(complete_words who --root samples/RE)"
expect "lastlog -f samples/last<TAB>" "samples/lastlog" "$(complete_words lastlog -f samples/last)"
exit $bad
