#!/usr/bin/env bash
# Benchmark of the editing commands (issue 15), end to end from the built binary, on the
# 10,000-item plan of gen_plan.py (4.8 MB backlog): `tandem set ITEM-5000 value=…` (the
# text edit, the re-parse and semantic check of the file, the whole plan loaded and
# checked again, the atomic write) against `tandem check` of the same plan. Target: the
# edit takes at most 2× check. Each edit run starts from the same file (hyperfine
# --prepare copies it back), so every run makes a real change and verifies it.
#
# usage:  tests/bench/edit.sh            (SIZE=10000 RUNS=10 by default)
#   TANDEM=path/to/tandem tests/bench/edit.sh   (that binary; no build)
# Prints a markdown table on stdout (also saved to build/bench/edit.md).
set -euo pipefail
source "$(dirname "$0")/common.sh"

size=${SIZE:-10000}
runs=${RUNS:-10}
need_tools hyperfine:hyperfine /usr/bin/time:time
build_tandem edit
ensure_plan "$size"

# A private copy: the edit writes the file. No git, no identity: the note is expected.
work=$out/edit-$size
rm -rf "$work"
cp -r "$out/plan-$size" "$work"
cp "$work/backlog.yaml" "$work/backlog.orig"
id=ITEM-$((size / 2))

load_before=$(load_now)
bench "$work" "edit-$size-check" check 1 "$runs" "$tandem" check --today "$today"
: >"$out/results/edit-$size-set.rss"
(cd "$work" &&
    hyperfine -N --style basic --ignore-failure --warmup 1 --runs "$runs" \
        --prepare "cp backlog.orig backlog.yaml" \
        --export-json "$out/results/edit-$size-set.json" --command-name "set" \
        "$tandem set $id value=21 --today $today -q") >&2
cp "$work/backlog.orig" "$work/backlog.yaml"
(cd "$work" && /usr/bin/time -a -o "$out/results/edit-$size-set.rss" -f %M \
    "$tandem" set "$id" value=21 --today "$today" -q >/dev/null 2>&1) || true
load_after=$(load_now)

{
    echo "Edit benchmark of $(date -u +%Y-%m-%d): $(machine_line); load average $load_before" \
        "before and $load_after after."
    echo
    PYTHONPATH=$here "$python" - "$size" "$id" <<'PY'
import sys
from results import result, row, exits, verdict
size, rid = int(sys.argv[1]), sys.argv[2]
c, s = result(f"edit-{size}-check"), result(f"edit-{size}-set")
print("| items | command | mean ± σ (s) | runs | CPU (s) | peak MB |")
print("|---:|---|---:|---:|---:|---:|")
print(f"| {size:,} | `tandem check`{exits(c)} | {row(c)} |")
print(f"| {size:,} | `tandem set {rid} value=21`{exits(s)} | {row(s)} |")
ratio, cratio = s["mean"] / c["mean"], s["cpu"] / c["cpu"]
print(f"\nTarget (issue 15): an edit at most 2× `check`: {ratio:.2f}× wall, {cratio:.2f}× CPU "
      f"→ {verdict(ratio <= 2)}")
PY
} | tee "$out/edit.md"
