#!/usr/bin/env bash
# Benchmark of `tandem add`'s id look-up (issue 26, SPEC 12 rule 7): the next id must be one that
# no local branch, remote-tracking branch or tag uses and that the branch's history never used.
# On the 10,000-commit history of history.sh (1,000-item plan, gen_history.py), times:
#   add, no cache        TANDEM_NO_CACHE=1: every commit of every ref's history read
#   add, second run      the id cache (core/git/cache.*, IdCache) already filled by a first add
#   add, 200 branches    the same repository with 200 more branches whose tips each add an item
#                        to the backlog (made with git fast-import), second run
# Each run adds a real item (hyperfine --prepare puts backlog.yaml back first).
# Targets (issue 26): the second add under 0.2 s; with 200 branches under 0.25 s.
#
# usage:  tests/bench/ids.sh                (COMMITS=10000 by default)
#   TANDEM=path/to/tandem tests/bench/ids.sh   (that binary; no build)
# Prints a markdown table on stdout (also saved to build/bench/ids.md).
set -euo pipefail
source "$(dirname "$0")/common.sh"

commits=${COMMITS:-10000}
items=1000
need_tools hyperfine:hyperfine /usr/bin/time:time git:git
build_tandem ids
ensure_history "$items" "$commits"

# A private clone of the history (adds write backlog.yaml; branches are added below).
work=$out/ids-$commits
rm -rf "$work"
git clone -q --no-local "$out/history-$commits" "$work"
git -C "$work" config user.email pat@example.com
export TANDEM_CACHE_DIR=$out/ids-cache
rm -rf "$TANDEM_CACHE_DIR"
prepare="git checkout -q -- backlog.yaml"
add=("$tandem" add "A new item" --today "$today" -q)

load_before=$(load_now)
BENCH_PREPARE=$prepare bench "$work" "ids-$commits-nocache" "add, no cache" 0 3 env TANDEM_NO_CACHE=1 "${add[@]}"
(cd "$work" && "${add[@]}" && $prepare)   # fills the cache
BENCH_PREPARE=$prepare bench "$work" "ids-$commits-cached" "add, second run" 1 10 "${add[@]}"

# 200 branches from main, each adding one item at the end of the backlog.
"$python" - "$work" <<'PY' | git -C "$work" fast-import --quiet
import subprocess, sys
work = sys.argv[1]
text = subprocess.run(["git", "-C", work, "show", "main:backlog.yaml"], capture_output=True, check=True).stdout
for n in range(1, 201):
    blob = text + f"  - id: BR-{n}\n    title: On branch {n}\n".encode()
    msg = f"branch {n} adds BR-{n}\n".encode()
    sys.stdout.buffer.write(b"commit refs/heads/branch-%d\n" % n)
    sys.stdout.buffer.write(b"author Pat <pat@example.com> 1800000000 +0000\n")
    sys.stdout.buffer.write(b"committer Pat <pat@example.com> 1800000000 +0000\n")
    sys.stdout.buffer.write(b"data %d\n%s" % (len(msg), msg))
    sys.stdout.buffer.write(b"from refs/heads/main^0\n")
    sys.stdout.buffer.write(b"M 100644 inline backlog.yaml\ndata %d\n%s\n" % (len(blob), blob))
PY
(cd "$work" && "${add[@]}" && $prepare)   # reads the 200 new commits into the cache
BENCH_PREPARE=$prepare bench "$work" "ids-$commits-branches" "add, 200 branches, second run" 1 10 "${add[@]}"
branches=$(git -C "$work" for-each-ref refs/heads | wc -l)
load_after=$(load_now)

{
    echo "Id benchmark of $(date -u +%Y-%m-%d): $(machine_line), $(git --version); load average" \
        "$load_before before and $load_after after."
    echo
    PYTHONPATH=$here "$python" - "$commits" "$branches" <<'PY'
import sys
from results import result, row, exits, verdict
commits, branches = int(sys.argv[1]), int(sys.argv[2])
rows = [("nocache", "`add`, no cache (TANDEM_NO_CACHE=1)"), ("cached", "`add`, second run (cache filled)"),
        ("branches", f"`add`, {branches} branches, second run")]
res = {k: result(f"ids-{commits}-{k}") for k, _ in rows}
print("| commits | command | mean ± σ (s) | runs | CPU (s) | peak MB |")
print("|---:|---|---:|---:|---:|---:|")
for k, name in rows:
    print(f"| {commits:,} | {name}{exits(res[k])} | {row(res[k])} |")
c, b = res["cached"], res["branches"]
print(f"\nTargets (issue 26): second add under 0.2 s: {c['mean']:.3f} s → {verdict(c['mean'] < 0.2)}; "
      f"with {branches} branches under 0.25 s: {b['mean']:.3f} s → {verdict(b['mean'] < 0.25)}")
PY
} | tee "$out/ids.md"
