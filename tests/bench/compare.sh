#!/usr/bin/env bash
# Did a change make tandem slower? Times the current tree's tandem and a base revision's
# side by side, in one hyperfine run per command (alternating, same machine state), and
# prints each command's time as a ratio to the base's:
#   the engine commands of engine.sh on the 10,000-item plan (check, priority, schedule,
#   forecast, risks, report --format html), and
#   the history commands of history.sh (audit ROOT..HEAD, log ITEM-1, blame ITEM-1) on
#   the generated histories of 1,000 and 10,000 commits.
# A ratio below 1 is faster. Compare ratios, not absolute times: this machine's speed
# drifts by up to 1.8× over minutes, and both binaries see the same drift here.
#
# usage:  tests/bench/compare.sh [BASE]     (BASE: a revision, default HEAD~1)
#   COMMITS="1000 10000" SIZE=10000 tests/bench/compare.sh main~3
# The base is built (release, target tandem) from a detached worktree in
# build/bench/src-BASE; the current tree as build_tandem does. Prints a markdown table
# (also saved to build/bench/compare.md).
set -euo pipefail
source "$(dirname "$0")/common.sh"

base_rev=${1:-HEAD~1}
size=${SIZE:-10000}
commits=${COMMITS:-1000 10000}
need_tools hyperfine:hyperfine git:git py:yaml:python3-yaml

base_sha=$(git -C "$root" rev-parse --short "$base_rev^{commit}")
src=$out/src-$base_sha
if [ ! -x "$out/bin/base-$base_sha/tandem" ]; then
    [ -d "$src" ] || git -C "$root" worktree add -q --detach "$src" "$base_sha"
    (cd "$src" && cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DTANDEM_TESTS=OFF >&2 &&
        cmake --build build/release -j2 --target tandem >&2)
    mkdir -p "$out/bin/base-$base_sha"
    cp "$src/build/release/tandem" "$out/bin/base-$base_sha/tandem"
fi
old=$out/bin/base-$base_sha/tandem
build_tandem compare
new=$tandem

ensure_plan "$size"
for n in $commits; do ensure_history 1000 "$n"; done

# pair DIR KEY RUNS ARGS...: both binaries on the same command, in one hyperfine run.
pair() {
    local dir=$1 key=$2 runs=$3
    shift 3
    (cd "$dir" && hyperfine -N --style basic --ignore-failure --warmup 1 --runs "$runs" \
        --export-json "$out/results/compare-$key.json" \
        --command-name base "$old $(printf '%q ' "$@")" \
        --command-name new "$new $(printf '%q ' "$@")") >&2
}

load_before=$(load_now)
plan=$out/plan-$size
pair "$plan" check 10 check --today "$today"
pair "$plan" priority 10 priority --today "$today"
pair "$plan" schedule 10 schedule --today "$today"
pair "$plan" forecast 10 forecast --today "$today" --runs 10000
pair "$plan" risks 10 risks --today "$today"
pair "$plan" report 5 report --today "$today" --format html
for n in $commits; do
    repo=$out/history-$n
    root_commit=$(git -C "$repo" rev-list --max-parents=0 HEAD)
    runs=5
    [ "$n" -ge 5000 ] && runs=3
    pair "$repo" "audit-$n" "$runs" audit --today "$today" "$root_commit..HEAD"
    pair "$repo" "log-$n" "$runs" log --today "$today" ITEM-1
    pair "$repo" "blame-$n" "$runs" blame --today "$today" ITEM-1
done
load_after=$(load_now)

{
    echo "tandem $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD || echo ' (with uncommitted changes)')" \
        "against $base_rev ($base_sha), $(date -u +%Y-%m-%d): $(nproc) cores, load average" \
        "$load_before before and $load_after after. Means of hyperfine's runs, both binaries in one run."
    echo
    "$python" - "$out/results" "$size" "$commits" <<'EOF'
import json, sys
res, size, commits = sys.argv[1], int(sys.argv[2]), sys.argv[3].split()
keys = [(k, f"{size:,} items: `{k}`") for k in ("check", "priority", "schedule", "forecast", "risks", "report")]
for n in commits:
    keys += [(f"{c}-{n}", f"{int(n):,} commits: `{c}`") for c in ("audit", "log", "blame")]
print("| command | base (s) | new (s) | new ÷ base |")
print("|---|---:|---:|---:|")
for key, name in keys:
    r = {x["command"]: x for x in json.load(open(f"{res}/compare-{key}.json"))["results"]}
    b, n = r["base"]["mean"], r["new"]["mean"]
    print(f"| {name} | {b:.3f} | {n:.3f} | {n / b:.2f} |")
EOF
} | tee "$out/compare.md"
