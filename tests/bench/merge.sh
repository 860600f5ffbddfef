#!/usr/bin/env bash
# Benchmark of the merge driver (issue 26): `tandem merge-driver run BASE OURS THEIRS PATH 7`, what
# git runs on a merge, on the 10,000-item backlog of gen_plan.py (4.8 MB) with 50 records changed
# on each side (a field of 40, a tag added to 5, and 5 new records), all merging cleanly. Target:
# under 1 s. Each run starts from the same OURS (hyperfine --prepare copies it back), so every run
# makes the whole merge and writes its result. `tandem check` of the same plan is timed in the same
# run, for a figure that depends less on the machine's load.
#
# usage:  tests/bench/merge.sh            (SIZE=10000 RUNS=10 by default)
#   TANDEM=path/to/tandem tests/bench/merge.sh   (that binary; no build)
# Prints a markdown table on stdout (also saved to build/bench/merge.md).
set -euo pipefail
source "$(dirname "$0")/common.sh"

size=${SIZE:-10000}
runs=${RUNS:-10}
need_tools hyperfine:hyperfine /usr/bin/time:time
build_tandem merge
ensure_plan "$size"

work=$out/merge-$size
rm -rf "$work"
mkdir -p "$work"
"$python" - "$out/plan-$size/backlog.yaml" "$work" <<'PY'
import random, re, sys
src, out = sys.argv[1], sys.argv[2]
base = open(src).read()
head, body = base.split("items:\n", 1)
records = re.split(r"(?m)^(?=  - id: )", body)
rng = random.Random(26)
picked = rng.sample(range(len(records)), 100)
def side(which, indexes, tag):
    recs = list(records)
    for n, i in enumerate(indexes):
        r = recs[i]
        if n < 40:
            r = re.sub(r"(?m)^    estimate: .*$", f"    estimate: {13 if which == 'ours' else 21}", r, count=1)
        elif n < 45:
            r = re.sub(r"(?m)^    tags: \[", f"    tags: [{tag}, ", r, count=1)
        recs[i] = r
    new = "".join(f"  - id: {which.upper()}-{k}\n    title: New on {which} {k}\n    estimate: 1\n" for k in range(5))
    open(f"{out}/{which}.yaml", "w").write(head + "items:\n" + "".join(recs) + new)
open(f"{out}/base.yaml", "w").write(base)
side("ours", picked[:45], "mine")
side("theirs", picked[50:95], "yours")
PY
cp "$work/ours.yaml" "$work/ours.orig"

load_before=$(load_now)
bench "$out/plan-$size" "merge-$size-check" check 1 "$runs" "$tandem" check --today "$today"
BENCH_PREPARE="cp ours.orig ours.yaml" \
    bench "$work" "merge-$size-run" "merge-driver run" 1 "$runs" \
    "$tandem" merge-driver run base.yaml ours.yaml theirs.yaml backlog.yaml 7
cp "$work/ours.orig" "$work/ours.yaml"
"$tandem" merge-driver run "$work/base.yaml" "$work/ours.yaml" "$work/theirs.yaml" backlog.yaml 7
grep -c '^  - id: ' "$work/ours.yaml" >"$work/count"
load_after=$(load_now)

{
    echo "Merge driver benchmark of $(date -u +%Y-%m-%d): $(machine_line); load average $load_before" \
        "before and $load_after after."
    echo
    PYTHONPATH=$here "$python" - "$size" "$(cat "$work/count")" <<'PY'
import sys
from results import result, row, exits, verdict
size, count = int(sys.argv[1]), int(sys.argv[2])
r, c = result(f"merge-{size}-run"), result(f"merge-{size}-check")
print("| items | changed per side | command | mean ± σ (s) | runs | CPU (s) | peak MB |")
print("|---:|---:|---|---:|---:|---:|---:|")
print(f"| {size:,} | – | `tandem check` (for scale){exits(c, (0, 1))} | {row(c)} |")
print(f"| {size:,} | 50 | `tandem merge-driver run`{exits(r)} | {row(r)} |")
print(f"\nThe driver takes {r['mean'] / c['mean']:.1f}× `check` (wall), {r['cpu'] / c['cpu']:.1f}× (CPU).")
print(f"\nMerged records: {count:,} (expected {size + 10:,}).")
print(f"Target (issue 26): under 1 s: {r['mean']:.3f} s → {verdict(r['mean'] < 1 and count == size + 10)}")
PY
} | tee "$out/merge.md"
