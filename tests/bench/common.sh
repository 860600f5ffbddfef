# shellcheck shell=bash disable=SC2034  # (variables for the scripts that source this)
# Shared by the benchmark scripts of tests/bench (run.sh, engine.sh, history.sh): sourced,
# not run. Sets here, root, out, today, python; defines need_tools, build_tandem,
# ensure_plan, ensure_history, bench, load_now, machine_line.

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$root/build/bench
today=2026-11-28
# Debian's python3, the one python3-yaml and python3-jsonschema install into (a python3
# earlier on PATH, e.g. pyenv's, may have other versions or none).
python=${PYTHON:-/usr/bin/python3}
mkdir -p "$out/results"

# need_tools CHECK:PACKAGE...: apt-get installs the Debian PACKAGE of each CHECK that
# fails. CHECK is a command name, an absolute path, or py:MODULE (importable by $python).
need_tools() {
    local missing=() spec check pkg
    for spec in "$@"; do
        check=${spec%%:*} pkg=${spec#*:}
        case $check in
        py) "$python" -c "import ${pkg%%:*}" 2>/dev/null || missing+=("${pkg#*:}") ;;
        /*) [ -x "$check" ] || missing+=("$pkg") ;;
        *) command -v "$check" >/dev/null || missing+=("$pkg") ;;
        esac
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "installing: ${missing[*]}" >&2
        local sudo=
        [ "$(id -u)" -eq 0 ] || sudo=sudo
        $sudo apt-get update -qq >&2
        $sudo apt-get install -y -qq "${missing[@]}" >&2
    fi
}

# build_tandem NAME: builds the release preset (target tandem only, -j2: the machine is
# shared) and sets $tandem to a private copy of the binary ($out/bin/NAME/tandem), so that
# a rebuild of build/release during the benchmark does not change what is measured.
# With TANDEM=/path/to/tandem set, uses that binary and builds nothing.
build_tandem() {
    if [ -n "${TANDEM:-}" ]; then
        tandem=$TANDEM
        return
    fi
    (cd "$root" &&
        { [ -f build/release/build.ninja ] || cmake --preset release >&2; } &&
        cmake --build --preset release -j2 --target tandem >&2)
    mkdir -p "$out/bin/$1"
    cp "$root/build/release/tandem" "$out/bin/$1/tandem.tmp"
    mv "$out/bin/$1/tandem.tmp" "$out/bin/$1/tandem"
    tandem=$out/bin/$1/tandem
}

# ensure_plan N: makes $out/plan-N with gen_plan.py (cached; remade when gen_plan.py changes).
ensure_plan() {
    local n=$1 plan=$out/plan-$1 tmp
    if [ ! -f "$plan/backlog.yaml" ] || [ "$here/gen_plan.py" -nt "$plan/backlog.yaml" ]; then
        echo "generating a plan of $n items" >&2
        tmp=$(mktemp -d "$out/tmp.XXXXXX")
        chmod 755 "$tmp"
        "$python" "$here/gen_plan.py" "$tmp" "$n"
        rm -rf "$plan"
        mv "$tmp" "$plan"
    fi
}

# ensure_history ITEMS N: makes $out/history-N, a repository with the ITEMS-item plan committed
# once and then N commits that each change one or two items (gen_history.py through
# `git fast-import`; cached, remade when gen_history.py or gen_plan.py changes). The
# repository is private to the benchmark: no user or system git config is read.
ensure_history() {
    local items=$1 n=$2 repo=$out/history-$2 stamp=$out/history-$2/.git/bench-generated
    ensure_plan "$items"
    export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
    if [ ! -f "$stamp" ] || [ "$here/gen_history.py" -nt "$stamp" ] ||
        [ "$here/gen_plan.py" -nt "$stamp" ]; then
        echo "generating a history of $n commits" >&2
        rm -rf "$repo"
        git init -q -b main "$repo"
        "$python" "$here/gen_history.py" "$out/plan-$items" "$n" |
            git -C "$repo" fast-import --quiet
        git -C "$repo" reset -q --hard main
        touch "$stamp"
    fi
}

# bench DIR KEY NAME WARMUP RUNS COMMAND...: runs COMMAND in DIR under hyperfine (no
# shell); hyperfine's JSON goes to $out/results/KEY.json, and the max RSS (KiB) that
# /usr/bin/time measures to $out/results/KEY.rss. /usr/bin/time's own start costs about 5 ms
# on this machine, an eighth of a 40 ms run: quick commands (RUNS of 10 or more) are timed
# bare and their memory taken from one more run; slow ones are timed inside the wrapper.
# Failing runs are not fatal (--ignore-failure): their exit codes are in the JSON, for the
# table to show. Output of the command is discarded.
bench() {
    local dir=$1 key=$2 name=$3 warmup=$4 runs=$5
    shift 5
    local rss=$out/results/$key.rss
    local timed
    timed="/usr/bin/time -a -o $(printf %q "$rss") -f %M $(printf '%q ' "$@")"
    [ "$runs" -ge 10 ] && timed=$(printf '%q ' "$@")
    : >"$rss"
    (cd "$dir" &&
        hyperfine -N --style basic --ignore-failure --warmup "$warmup" --runs "$runs" \
            ${BENCH_PREPARE:+--prepare "$BENCH_PREPARE"} \
            --export-json "$out/results/$key.json" --command-name "$name" "$timed") >&2
    if [ "$runs" -ge 10 ]; then
        (cd "$dir" && /usr/bin/time -a -o "$rss" -f %M "$@" >/dev/null 2>&1) || true
    fi
}

# alternate WARMUP RUNS < specs: times a group of commands compared with each other in turns,
# round by round (alternate.py), leaving for results.py what `bench` leaves; CPU is then the median.
alternate() { "$python" "$here/alternate.py" "$out/results" "$1" "$2"; }
# spec KEY NAME DIR PREPARE COMMAND...: one command of an `alternate` group (PREPARE: a shell command
# run in DIR before each run, untimed, or "").
spec() { "$python" -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "$@"; }

load_now() { cut -d' ' -f1-3 /proc/loadavg; }

# machine_line: "N × CPU, tandem VERSION, hyperfine VERSION" for the tables' headers.
machine_line() {
    echo "$(nproc) × $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
        "$("$tandem" --version | head -1), hyperfine $(hyperfine --version | cut -d' ' -f2)"
}

# results.py (next to this file) reads $out/results/KEY.{json,rss} for the tables; no
# __pycache__ is left in the source tree.
export BENCH_RESULTS=$out/results PYTHONDONTWRITEBYTECODE=1
