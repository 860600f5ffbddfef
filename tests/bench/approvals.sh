#!/usr/bin/env bash
# Benchmark of the approval lookup (issue 30): N plan commits by a developer, each followed by an
# empty approval commit of the product owner (gen_approvals.py), audited as ROOT..HEAD. The lookup
# is one pass over the range, so time grows linearly with N. Target: N = 2,000 under 2 s (release
# build, 2-core machine); before: 1,000 took 7.6 s, 1,500 26 s, 2,000 53 s.
# usage: tests/bench/approvals.sh   (N="500 1000 2000" by default; TANDEM=path to skip the build)
set -euo pipefail
source "$(dirname "$0")/common.sh"
need_tools hyperfine:hyperfine git:git
build_tandem approvals
for n in ${N:-500 1000 2000}; do
    repo=$out/approvals-$n
    if [ ! -d "$repo/.git" ]; then
        rm -rf "$repo"
        "$python" "$here/gen_approvals.py" "$repo" "$n" >/dev/null
    fi
    root_commit=$(git -C "$repo" rev-list --max-parents=0 HEAD)
    echo "== N = $n (load average $(load_now))" >&2
    bench "$repo" "approvals-$n" "tandem audit, $n approvals" 1 5 "$tandem" audit "$root_commit..HEAD"
done
BENCH_HERE=$here BENCH_RESULTS=$out/results "$python" - ${N:-500 1000 2000} <<'PY' | tee "$out/approvals.md"
import os, sys
sys.path.insert(0, os.environ["BENCH_HERE"])
from results import result, row
print("| N approvals | mean ± σ (s) | runs | CPU (s) | peak MB |\n|---:|---|---:|---:|---:|")
for n in sys.argv[1:]:
    print(f"| {n} | {row(result(f'approvals-{n}'))} |")
PY
