#!/usr/bin/env bash
# Does a change leave tandem's output as it was? Runs two binaries on the generated bench plans
# (gen_plan.py's, SIZES items: check, priority, schedule, forecast, risks, list, report) and histories
# (history.sh's, 1,000 items and N commits: audit ROOT..HEAD, log and blame of ITEM-1 and of a few
# other items, diff ROOT HEAD, report), in text and JSON, with --today pinned, and compares their
# stdout, stderr and exit codes byte for byte. A performance change must print nothing here.
#
# usage:  tests/bench/same_output.sh OLD NEW     (two tandem binaries)
#   COMMITS="1000 10000" SIZES="1000 10000" tests/bench/same_output.sh /work/base-tandem build/release/tandem
# Exit 0 when every output is the same; else prints the commands that differ, exit 1.
set -euo pipefail
source "$(dirname "$0")/common.sh"

old=$(realpath "$1")
new=$(realpath "$2")
commits=${COMMITS:-1000}
sizes=${SIZES:-10000}
need_tools git:git
for n in $commits; do ensure_history 1000 "$n"; done
for n in $sizes; do ensure_plan "$n"; done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
differ=0
# same DIR ARGS...: both binaries, in DIR; their outputs compared.
same() {
    local dir=$1
    shift
    local code_old=0 code_new=0
    (cd "$dir" && "$old" "$@" >"$tmp/old.out" 2>"$tmp/old.err") || code_old=$?
    (cd "$dir" && "$new" "$@" >"$tmp/new.out" 2>"$tmp/new.err") || code_new=$?
    if [ "$code_old" != "$code_new" ] || ! cmp -s "$tmp/old.out" "$tmp/new.out" ||
        ! cmp -s "$tmp/old.err" "$tmp/new.err"; then
        echo "DIFFERS (exit $code_old vs $code_new) in $dir: tandem $*"
        diff "$tmp/old.out" "$tmp/new.out" | head -5 || true
        differ=1
    else
        echo "same ($(wc -c <"$tmp/new.out") bytes, exit $code_new): tandem $*" >&2
    fi
}

for n in $sizes; do
    plan=$out/plan-$n
    for command in check priority schedule forecast risks list "report --format markdown"; do
        # shellcheck disable=SC2086  # the command's words
        same "$plan" $command --today "$today"
    done
    for command in check priority schedule forecast risks report; do
        same "$plan" "$command" --today "$today" --format json
    done
done
for n in $commits; do
    repo=$out/history-$n
    root_commit=$(git -C "$repo" rev-list --max-parents=0 HEAD)
    mid=$(git -C "$repo" rev-list HEAD | sed -n "$((n / 2))p")
    for range in "$root_commit..HEAD" "$mid..HEAD" "HEAD~7..HEAD"; do
        same "$repo" audit --today "$today" "$range"
        same "$repo" audit --today "$today" --format json "$range"
    done
    for item in ITEM-1 ITEM-2 ITEM-500 ITEM-1000; do
        same "$repo" log --today "$today" "$item"
        same "$repo" log --today "$today" --format json "$item"
        same "$repo" blame --today "$today" "$item"
        same "$repo" blame --today "$today" --format json "$item"
    done
    same "$repo" diff --today "$today" "$root_commit" HEAD
    same "$repo" diff --today "$today" --format json "$mid" HEAD
    same "$repo" report --today "$today" --format json
done
if [ "$differ" = 0 ]; then
    echo "same output: $old and $new on the plans of $sizes items and the histories of $commits commits"
fi
exit "$differ"
