# bash completion for utx(1): subcommands, their options, and the values
# of --format (from `utx --list-formats`), --db, --time-format, -u and
# --root (-R of lastlog).  Installed by `make install` as
# $(BASHCOMPDIR)/utx; tested by tests/completion/run.sh.

_utx_options() {
    case $1 in
    dump) echo "--json --json=ecs --format --newest-first -r --reverse -o --output --db -f --follow --since-offset --checkpoint --host-name --help -h --version -V" ;;
    convert) echo "--from --to --help -h" ;;
    login) echo "--line --user --host --id --pid -f -w --help -h" ;;
    logout) echo "--line -f -w --help -h" ;;
    who)
        echo "-a -b -d -H -l -m -p -q -r -s -t -T -w -u --all --boot --count --dead" \
            "--heading --login --lookup --mesg --message --process --runlevel --short" \
            "--time --users --writable --format --verbose --json --watch --watch= --root" \
            "--all-sessions --help -h --version -V" ;;
    last | lastb)
        echo "-a -d -f -F -i -n -p -R -s -t -w -x --hostlast --dns --file --fulltimes" \
            "--ip --limit --present --nohostname --since --until --fullnames --system" \
            "--time-format --json --merge --follow --since-offset --checkpoint --host-name --verbose --help -h --version -V" ;;
    lastlog)
        echo "-b -C -h -R -S -t -u -f -V --before --clear --help --root --set --time --user" \
            "--format --verbose --json --version" ;;
    esac
}

_utx() {
    local cur prev sub i
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    # "--format=NAME": bash splits at "=" (COMP_WORDBREAKS).
    if [ "$cur" = "=" ]; then
        cur=
    elif [ "$prev" = "=" ] && [ "$COMP_CWORD" -ge 2 ]; then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    else
        case $cur in --*=*) prev=${cur%%=*} cur=${cur#*=} ;; esac
    fi

    if [ "$COMP_CWORD" -eq 1 ]; then
        if [[ $cur == -* ]]; then
            mapfile -t COMPREPLY < <(compgen -W "--help --version --list-formats -h -V" -- "$cur")
        else
            mapfile -t COMPREPLY < <(compgen -W "dump who last lastb lastlog convert login logout help" -- "$cur")
        fi
        return 0
    fi
    sub=${COMP_WORDS[1]}

    case $prev in
    --format | --from | --to)
        local names
        names=$("${COMP_WORDS[0]}" --list-formats 2>/dev/null)
        mapfile -t COMPREPLY < <(compgen -W "$names" -- "$cur")
        return 0 ;;
    --db)
        [ "$sub" = dump ] && mapfile -t COMPREPLY < <(compgen -W "utmp wtmp btmp lastlog" -- "$cur")
        return 0 ;;
    --time-format)
        mapfile -t COMPREPLY < <(compgen -W "notime short full iso" -- "$cur")
        return 0 ;;
    --root | -R)
        [ "$prev" = -R ] && [ "$sub" != lastlog ] && return 0 # last -R: a flag
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        return 0 ;;
    -f | --file | --checkpoint)
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        return 0 ;;
    --since-offset)
        return 0 ;;
    --host-name)
        mapfile -t COMPREPLY < <(compgen -A hostname -- "$cur")
        return 0 ;;
    -u | --user)
        [ "$sub" = lastlog ] && mapfile -t COMPREPLY < <(compgen -u -- "$cur") && return 0 ;;
    -b | --before | --time)
        [ "$sub" = lastlog ] && return 0 ;; # DAYS

    -n | --limit | -s | --since | -t | --until | -p | --present)
        case $sub in last | lastb | lastlog) return 0 ;; esac ;;
    esac

    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_utx_options "$sub")" -- "$cur")
        # "--watch=" takes its count right after the "=".
        for i in "${!COMPREPLY[@]}"; do
            [[ ${COMPREPLY[i]} == *= ]] && compopt -o nospace 2>/dev/null
        done
        return 0
    fi
    case $sub in
    last | lastb) mapfile -t COMPREPLY < <(compgen -u -- "$cur") ;;
    dump | who) mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
    esac
    return 0
}

complete -o default -F _utx utx
