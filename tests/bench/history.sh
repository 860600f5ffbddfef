#!/usr/bin/env bash
# Benchmark of the git-history commands (issue 4) against `git log -p`, on generated
# histories: the 1,000-item plan of gen_plan.py (backlog.yaml ≈ 460 KB) committed once,
# then N commits that each change one or two items (gen_history.py, through
# `git fast-import`), for N = 50, 1,000 and 10,000. Times, side by side in one run:
#   git log -p -- backlog.yaml          (output discarded)
#   read floor                          (tests/bench/read_floor.cpp: libgit2 reading each
#                                        changed version of the plan files once, the least
#                                        any history command must do)
#   tandem audit ROOT..HEAD             (every commit after the first; exit 1 expected:
#                                        the history has violations on purpose)
#   tandem log ITEM-1                   (ITEM-1 is changed in every 10th commit)
# Targets: audit and log over 10,000 commits faster than `git log -p` and within 2x of
# the read floor (issue 12); audit of a 50-commit range under 1 s.
# Times by hyperfine, peak memory (max RSS) by /usr/bin/time; the read floor, audit and log run
# in turns, round by round (alternate.py), and their CPU is the median of user + system per run.
#
# Needs, on a fresh Debian 12, besides the build tools of the README:
#   apt-get install hyperfine time git   (installed if missing)
#
# usage:  tests/bench/history.sh          (from anywhere)
#   COMMITS="50 1000 10000" tests/bench/history.sh   (the default)
#   TANDEM=path/to/tandem tests/bench/history.sh     (that binary; no build)
# Prints a markdown table on stdout (also saved to build/bench/history.md); hyperfine's
# progress goes to stderr. Histories are cached in build/bench/history-N/ (remade when
# gen_history.py or gen_plan.py changes); hyperfine JSON and RSS in build/bench/results/.
set -euo pipefail
source "$(dirname "$0")/common.sh"

commits=${COMMITS:-50 1000 10000}
items=1000

need_tools hyperfine:hyperfine /usr/bin/time:time git:git g++:g++ pkg-config:pkg-config
build_tandem history
floor=$out/bin/read_floor
mkdir -p "$out/bin"
g++ -std=c++20 -O2 -o "$floor" "$here/read_floor.cpp" $(pkg-config --cflags --libs libgit2)
ensure_plan "$items"

# --- histories (cached) --------------------------------------------------------------
for n in $commits; do ensure_history "$items" "$n"; done

# --- timing --------------------------------------------------------------------------
load_before=$(load_now)
for n in $commits; do
    repo=$out/history-$n
    root_commit=$(git -C "$repo" rev-list --max-parents=0 HEAD)
    # git log -p takes minutes over 10,000 commits on a busy machine: fewer runs there
    if [ "$n" -ge 5000 ]; then runs=3 warmup=0
    elif [ "$n" -ge 500 ]; then runs=5 warmup=0
    else runs=10 warmup=1; fi
    # every tool finds the pack in the page cache
    cat "$repo"/.git/objects/pack/* >/dev/null
    echo "== $n commits (load average $(load_now))" >&2
    bench "$repo" "history-$n-gitlog" "git log -p" "$warmup" "$runs" \
        git --no-pager log -p -- backlog.yaml
    # the floor and tandem's commands in turns, round by round (alternate.py; CPU = the median)
    {
        spec "history-$n-floor" "read floor" "$repo" "" "$floor" . backlog.yaml roadmap.yaml risks.yaml tandem.yaml
        spec "history-$n-audit" "tandem audit" "$repo" "" "$tandem" audit --today "$today" "$root_commit..HEAD"
        spec "history-$n-log" "tandem log ITEM-1" "$repo" "" "$tandem" log --today "$today" ITEM-1
    } | alternate "$warmup" "$((runs < 5 ? 5 : runs))"
    # what the runs reported (for the table): violations found, commits in ITEM-1's log
    "$tandem" -C "$repo" audit --today "$today" --format json "$root_commit..HEAD" \
        >"$out/results/history-$n-audit.out" || true
    "$tandem" -C "$repo" log --today "$today" --format json ITEM-1 \
        >"$out/results/history-$n-log.out" || true
done
load_after=$(load_now)

# --- table ---------------------------------------------------------------------------
{
    echo "History benchmark of $(date -u +%Y-%m-%d): $(machine_line), $(git --version);" \
        "load average $load_before before and $load_after after (other work was running:" \
        "wall times are inflated by roughly load ÷ cores; CPU = user + system seconds per" \
        "run, the median for the floor, audit and log, which ran in turns, is less disturbed)."
    echo
    PYTHONPATH=$here "$python" - "$out" "$items" "$commits" <<'EOF'
import json, os, sys
from results import result, row, exits, verdict

out, items, commits = sys.argv[1], int(sys.argv[2]), [int(c) for c in sys.argv[3].split()]
tools = [("gitlog", "`git log -p -- backlog.yaml`", ()),
         ("floor", "read floor (libgit2, each plan-file version once)", ()),
         ("audit", "`tandem audit ROOT..HEAD`", (1,)),
         ("log", "`tandem log ITEM-1`", ())]
kb = os.path.getsize(f"{out}/plan-{items}/backlog.yaml") / 1e3


def count(n, what):
    """What the command reported: violations in how many commits, or commits in the log."""
    try:
        d = json.load(open(f"{out}/results/history-{n}-{what}.out"))
    except (OSError, ValueError):
        return "?"
    num = lambda v: len(v) if isinstance(v, list) else v
    if what == "audit":
        return f"{num(d.get('violations'))} violations in {num(d.get('commits'))} commits"
    return f"{num(d.get('commits'))} commits"


print(f"backlog.yaml: {kb:.0f} KB, {items:,} items; each commit changes one or two items.\n")
print("| commits | command | mean ± σ (s) | runs | CPU (s) | peak MB | × git log's time | found |")
print("|---:|---|---:|---:|---:|---:|---:|---|")
res = {}
for n in commits:
    for key, name, ok in tools:
        r = res[n, key] = result(f"history-{n}-{key}")
        found = "" if key in ("gitlog", "floor") else count(n, key)
        print(f"| {n:,} | {name}{exits(r, ok)} | {row(r)} | "
              f"{r['mean'] / res[n, 'gitlog']['mean']:.2f}× | {found} |")

print("\nTargets (issue 4):\n")
big = max(commits)
if big >= 10000:
    g = res[big, "gitlog"]
    f = res[big, "floor"]
    for key, name, _ in tools[2:]:
        t = res[big, key]
        print(f"- {name} over {big:,} commits faster than `git log -p`: {t['mean']:.2f} s "
              f"against {g['mean']:.2f} s wall ({t['cpu']:.2f} s against {g['cpu']:.2f} s CPU) "
              f"→ {verdict(t['mean'] < g['mean'])}")
        print(f"- {name} over {big:,} commits within 2× of the read floor: {t['cpu']:.2f} s against "
              f"{f['cpu']:.2f} s CPU ({t['cpu'] / f['cpu']:.1f}×) → {verdict(t['cpu'] <= 2 * f['cpu'])}")
if 50 in commits:
    a = res[50, "audit"]
    print(f"- `tandem audit` of a 50-commit range under 1 s: {a['mean']:.3f} s wall "
          f"({a['cpu']:.3f} s CPU) → {verdict(a['mean'] < 1)}")
if any(exits(r, ok) for (n, key), r in res.items() for k, _, ok in tools if k == key):
    print("\nSome runs exited with an unexpected code (see the table): their times are not comparable.")
EOF
} | tee "$out/history.md"
