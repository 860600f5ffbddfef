#!/usr/bin/env bash
# Benchmark of the planning engine (issue 3), end to end from the built binary:
#  1. on the 10,000-item plan of gen_plan.py (50 people, 20 milestones): `check`,
#     `priority`, `schedule` and `forecast --runs 10000`, each one's time minus check's
#     (target: at most 0.5 s more than check); `load` and `schedule --milestone M1 --status
#     todo` against `schedule` (issue 14, target: at most 10 % more CPU);
#  2. on 100,000 items: `schedule` (target: under 15 s), with `check` for reference;
#  3. TaskJuggler (tj3) against `tandem schedule` on the same work: the undone items of
#     the 1,000-item plan, converted by plan_to_tjp.py (target: tandem at least 100×
#     faster). Also prints how far the two schedules agree (they need not: tj3 fills
#     gaps in a person's time with later work, tandem's serial list schedule does not).
# All commands run with --today 2026-11-28 in the plan's directory. Times by hyperfine;
# peak memory (max RSS) by /usr/bin/time around every run.
#
# Needs, on a fresh Debian 12, besides the build tools of the README:
#   apt-get install hyperfine time python3-yaml tj3   (installed if missing)
#
# usage:  tests/bench/engine.sh           (from anywhere; ~10 min on a quiet machine)
#   SIZE=10000 BIG=100000 TJ_SIZE=1000 TJ_RUNS=3 tests/bench/engine.sh   (the defaults)
#   TANDEM=path/to/tandem tests/bench/engine.sh   (that binary; no build)
# Prints a markdown table on stdout (also saved to build/bench/engine.md); hyperfine's
# progress goes to stderr. Plans are cached in build/bench/plan-N/, the tj3 project and
# its output are in build/bench/tj3-N/, hyperfine JSON and RSS in build/bench/results/.
set -euo pipefail
source "$(dirname "$0")/common.sh"

size=${SIZE:-10000}
big=${BIG:-100000}
tj=${TJ_SIZE:-1000}
tj_runs=${TJ_RUNS:-3}

need_tools hyperfine:hyperfine /usr/bin/time:time py:yaml:python3-yaml tj3:tj3
build_tandem engine
for n in "$size" "$big" "$tj"; do ensure_plan "$n"; done

# --- the tj3 project (remade every time: it depends on tandem's priority ranks) -------
tjdir=$out/tj3-$tj
rm -rf "$tjdir"
mkdir -p "$tjdir"
"$python" "$here/plan_to_tjp.py" --tandem "$tandem" --today "$today" \
    "$out/plan-$tj" "$tj" "$tjdir/plan.tjp"
# One untimed run, to fail early if tj3 rejects the project (hyperfine would only record
# an exit code) and to keep its warnings (priority inversions) for reading.
if ! tj3 --silent --no-color -o "$tjdir" "$tjdir/plan.tjp" 2>"$tjdir/tj3.log"; then
    tail -20 "$tjdir/tj3.log" >&2
    echo "tj3 failed on $tjdir/plan.tjp (log: $tjdir/tj3.log)" >&2
    exit 1
fi
"$tandem" -C "$out/plan-$tj" schedule --today "$today" --format json >"$tjdir/tandem.json"

# --- timing --------------------------------------------------------------------------
load_before=$(load_now)
echo "== engine on $size items (load average $(load_now))" >&2
for c in check priority schedule forecast load schedule-filtered; do
    args=("$c")
    [ "$c" = forecast ] && args+=(--runs 10000)
    [ "$c" = schedule-filtered ] && args=(schedule --milestone M1 --status todo)
    bench "$out/plan-$size" "engine-$size-$c" "$c" 1 10 "$tandem" "${args[@]}" --today "$today"
done
echo "== engine on $big items (load average $(load_now))" >&2
bench "$out/plan-$big" "engine-$big-check" check 0 3 "$tandem" check --today "$today"
bench "$out/plan-$big" "engine-$big-schedule" schedule 0 3 "$tandem" schedule --today "$today"
echo "== tj3 against tandem schedule, $tj-item plan (load average $(load_now))" >&2
bench "$out/plan-$tj" "engine-$tj-schedule" "tandem schedule" 2 20 \
    "$tandem" schedule --today "$today"
bench "$tjdir" "engine-$tj-tj3" tj3 0 "$tj_runs" tj3 --silent --no-color -o "$tjdir" plan.tjp
load_after=$(load_now)

# --- table ---------------------------------------------------------------------------
{
    echo "Engine benchmark of $(date -u +%Y-%m-%d): $(machine_line), $(tj3 --version | head -1);" \
        "load average $load_before before and $load_after after (other work was running:" \
        "wall times are inflated by roughly load ÷ cores; CPU = user + system seconds per" \
        "run is less disturbed)."
    echo
    PYTHONPATH=$here "$python" - "$out" "$size" "$big" "$tj" <<'EOF'
import csv, json, os, re, sys
from results import result, row, exits, verdict

out, size, big, tj = sys.argv[1], *map(int, sys.argv[2:])
cmds = ["check", "priority", "schedule", "forecast", "load", "schedule-filtered"]
label = {"forecast": "forecast --runs 10000", "schedule-filtered": "schedule --milestone M1 --status todo"}
r = {c: result(f"engine-{size}-{c}") for c in cmds}
rb = {c: result(f"engine-{big}-{c}") for c in ("check", "schedule")}

print("| items | command | mean ± σ (s) | runs | CPU (s) | peak MB | − check, wall (s) | − check, CPU (s) |")
print("|---:|---|---:|---:|---:|---:|---:|---:|")
for n, res in ((size, r), (big, rb)):
    for c, x in res.items():
        d = "" if c == "check" else f"{x['mean'] - res['check']['mean']:+.3f}"
        dc = "" if c == "check" else f"{x['cpu'] - res['check']['cpu']:+.3f}"
        print(f"| {n:,} | `tandem {label.get(c, c)}`{exits(x)} | {row(x)} | {d} | {dc} |")

extra = max(r[c]["cpu"] / r["schedule"]["cpu"] for c in ("load", "schedule-filtered")) - 1
print(f"\nTarget (issue 14): `load` and the filters add at most 10 % to `schedule` (CPU): "
      f"{extra * 100:+.0f} % → **{'yes' if extra <= 0.10 else 'NO'}**")

ts, tj3 = result(f"engine-{tj}-schedule"), result(f"engine-{tj}-tj3")
tjdir = f"{out}/tj3-{tj}"
tasks = sum(1 for line in open(f"{tjdir}/plan.tjp") if line.startswith("task "))
print(f"\nTaskJuggler on the same work: the {tasks} undone items of the {tj:,}-item plan "
      f"(`plan_to_tjp.py`; project in `build/bench/tj3-{tj}/plan.tjp`).\n")
print("| tool | mean ± σ (s) | runs | CPU (s) | peak MB | × tandem's wall time | × tandem's CPU time |")
print("|---|---:|---:|---:|---:|---:|---:|")
for name, x in (("`tandem schedule`", ts), ("`tj3`", tj3)):
    print(f"| {name}{exits(x)} | {row(x)} | {x['mean'] / ts['mean']:.0f}× | {x['cpu'] / ts['cpu']:.0f}× |")

# how far the two schedules agree (informative: tj3 is not a serial list scheduler)
mine = {i["id"]: i for i in json.load(open(f"{tjdir}/tandem.json"))["items"]}
theirs = {}
with open(f"{tjdir}/tj3_schedule.csv", newline="") as f:
    for row_ in list(csv.reader(f, delimiter=";"))[1:]:
        m = re.search(r"\((p_[^)]*)\)", row_[3])
        theirs[row_[0]] = (row_[1], row_[2], m.group(1)[2:] if m else None)
both = [i for i in theirs if i in mine]
same = lambda k, j: sum(1 for i in both if mine[i][k] == theirs[i][j])
print(f"\nBoth schedule the same {len(both)} items (tandem {len(mine)}, tj3 {len(theirs)}); "
      f"same start {same('start', 0)}, same finish {same('finish', 1)}, same person "
      f"{same('person', 2)}; last finish: tandem {max(x['finish'] for x in mine.values())}, "
      f"tj3 {max(t[1] for t in theirs.values())} (tj3 fills a person's idle gaps with later "
      f"work; tandem's serial list schedule, SPEC section 5, does not).")

print("\nTargets (issue 3):\n")
for c in cmds[1:]:
    d, dc = r[c]["mean"] - r["check"]["mean"], r[c]["cpu"] - r["check"]["cpu"]
    print(f"- `{label.get(c, c)}` at most 0.5 s more than `check` on {size:,} items: "
          f"{d:+.3f} s wall ({dc:+.3f} s CPU) → {verdict(d <= 0.5)}")
s = rb["schedule"]
print(f"- `schedule` on {big:,} items in < 15 s: {s['mean']:.2f} s wall ({s['cpu']:.2f} s CPU) "
      f"→ {verdict(s['mean'] < 15)}")
ratio, cratio = tj3["mean"] / ts["mean"], tj3["cpu"] / ts["cpu"]
print(f"- tandem ≥ 100× faster than tj3 on the same {tj:,}-item work: {ratio:.0f}× wall, "
      f"{cratio:.0f}× CPU → {verdict(ratio >= 100)}")
if any(x["bad"] for x in [*r.values(), *rb.values(), ts, tj3]):
    print("\nSome runs exited non-zero (see the tables): their times are not comparable.")
EOF
} | tee "$out/engine.md"
