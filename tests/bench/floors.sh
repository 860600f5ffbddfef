#!/usr/bin/env bash
# Issue 29's loading and editing targets, each measured in the same run as its floor:
#   check on SIZES items (default 10,000 and 100,000)  vs  yaml_floor (tests/bench/yaml_floor.cpp:
#       libyaml's event parse of the same files, nothing built)      target: CPU ≤ 1.5× the floor
#   set ITEM value=21 on the first size                 vs  check of the same plan
#                                                       target: CPU ≤ 1.5×, peak memory ≤ 3×
# The history targets (audit vs read_floor) are history.sh's, the cold report's (vs git cat-file
# --batch) report.sh's. Each target runs in turns with its floor (alternate.py): CPU is the median of
# user + system seconds per run, peak memory the largest of the runs.
#
# usage:  tests/bench/floors.sh            SIZES="10000 100000" RUNS=10 are the defaults
#   TANDEM=path/to/tandem tests/bench/floors.sh   (that binary; no build)
# Prints a markdown table (also saved to build/bench/floors.md).
set -euo pipefail
source "$(dirname "$0")/common.sh"

sizes=${SIZES:-10000 100000}
runs=${RUNS:-10}
need_tools hyperfine:hyperfine g++:g++ pkg-config:pkg-config
build_tandem floors
floor=$out/bin/yaml_floor
mkdir -p "$out/bin"
g++ -std=c++20 -O2 -o "$floor" "$here/yaml_floor.cpp" $(pkg-config --cflags --libs yaml-0.1)
files=(tandem.yaml backlog.yaml roadmap.yaml risks.yaml)
for n in $sizes; do ensure_plan "$n"; done
first=${sizes%% *}

# set on a private copy in a git repository (the editing commands take the lock in .git)
work=$out/floors-edit-$first
rm -rf "$work"
cp -r "$out/plan-$first" "$work"
git init -q "$work"
cp "$work/backlog.yaml" "$work/backlog.orig"
# Each size's floor and check (and set, on the first size) run in turns, round by round.
load_before=$(load_now)
for n in $sizes; do
    r=$runs
    [ "$n" -ge 50000 ] && r=$(((runs + 2) / 3))
    {
        spec "floors-$n-floor" "libyaml event parse (floor)" "$out/plan-$n" "" "$floor" "${files[@]}"
        spec "floors-$n-check" "tandem check" "$out/plan-$n" "" "$tandem" check -q --today "$today"
        if [ "$n" = "$first" ]; then
            spec "floors-$n-set" "tandem set" "$work" "cp backlog.orig backlog.yaml" \
                "$tandem" set "ITEM-$((n / 2))" value=21 --today "$today" -q
        fi
    } | alternate 1 "$r"
done
load_after=$(load_now)

{
    echo "Floors of $(date -u +%Y-%m-%d): $(machine_line); load average $load_before before and" \
        "$load_after after. Each work ran in turns with its floor; CPU = the median of user + system" \
        "seconds per run."
    echo
    PYTHONPATH=$here "$python" - "$sizes" "$first" <<'EOF'
import sys
from results import result, verdict
sizes, first = [int(s) for s in sys.argv[1].split()], int(sys.argv[2])
print("| items | work | CPU (s) | peak MB | floor | CPU (s) | peak MB | ratio | goal |")
print("|---:|---|---:|---:|---|---:|---:|---:|---|")
for n in sizes:
    c, f = result(f"floors-{n}-check"), result(f"floors-{n}-floor")
    ratio = c["cpu"] / f["cpu"]
    print(f"| {n:,} | `check` | {c['cpu']:.3f} | {c['mb']:.0f} | libyaml event parse | {f['cpu']:.3f} | {f['mb']:.0f} "
          f"| {ratio:.2f}× | ≤ 1.5× {verdict(ratio <= 1.5)} |")
s, c = result(f"floors-{first}-set"), result(f"floors-{first}-check")
t, m = s["cpu"] / c["cpu"], s["mb"] / max(c["mb"], 1e-9)
print(f"| {first:,} | `set` | {s['cpu']:.3f} | {s['mb']:.0f} | `check` | {c['cpu']:.3f} | {c['mb']:.0f} "
      f"| {t:.2f}×, {m:.1f}× memory | ≤ 1.5×, ≤ 3× memory {verdict(t <= 1.5 and m <= 3)} |")
EOF
} | tee "$out/floors.md"
