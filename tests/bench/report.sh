#!/usr/bin/env bash
# Benchmark of `tandem report` (issue 5) on the 10,000-item plan of gen_plan.py:
#  1. `report --format html -o FILE` and `--format markdown` (target: html under 2 s), by hyperfine;
#  2. opening the HTML file in a real browser (headless chromium: load, layout and paint of the
#     whole page to a screenshot), minus the same for an empty page, i.e. the time the report
#     itself costs the browser (target: under 2 s). Median of RUNS runs each.
# The plan is not in a git repository, so the "recent changes" part is skipped (as outside git).
#  3. the same two reports in a git repository: the plan committed, then COMMITS (default 1,000)
#     commits of gen_history.py, with today just after the last one, so that the one walk of the
#     history (burn-up, throughput, cycle time, the window's violations and recent changes) reads
#     every commit (target: html under 2 s), cold (no history cache) and warm (the history cache of
#     the run before, in build/bench/report-SIZE/cache);
#  4. the floor of the cold report (issue 29, target: cold within 2× of it): git's own reading of the
#     same blob versions, every version of the plan files that the walk reads (each once), oldest first as tandem
#     reads them, by one `git cat-file --batch`; the table gives the ratio; and the same piped into
#     `cat`, what the copy through a pipe alone costs. These three run in turns, round by round
#     (alternate.py: medians of COLD_RUNS runs, default 3).
#
# Needs, besides the build tools of the README:  apt-get install hyperfine time chromium
# usage:  tests/bench/report.sh              (SIZE=10000 RUNS=5 are the defaults)
#   TANDEM=path/to/tandem tests/bench/report.sh   (that binary; no build)
# Prints a markdown table on stdout (also saved to build/bench/report.md).
set -euo pipefail
source "$(dirname "$0")/common.sh"

size=${SIZE:-10000}
runs=${RUNS:-5}
need_tools hyperfine:hyperfine /usr/bin/time:time py:yaml:python3-yaml chromium:chromium
build_tandem report
ensure_plan "$size"

dir=$out/report-$size
mkdir -p "$dir"
load_before=$(load_now)
bench "$out/plan-$size" "report-$size-html" "report --format html" 1 "$runs" \
    "$tandem" report --format html -o "$dir/report.html" --today "$today"
bench "$out/plan-$size" "report-$size-markdown" "report --format markdown" 1 "$runs" \
    "$tandem" report --format markdown --today "$today"
"$tandem" -C "$out/plan-$size" report --format html -o "$dir/report.html" --today "$today"

# 3. With history: a private repository of the SIZE-item plan and COMMITS commits (dated from
# 2027-01-04 09:00 UTC, 37 minutes apart); today is the day after the last commit.
commits=${COMMITS:-1000}
repo=$out/report-history-$size-$commits
if [ ! -f "$repo/.git/bench-generated" ] || [ "$here/gen_history.py" -nt "$repo/.git/bench-generated" ]; then
    echo "generating a history of $commits commits on the $size-item plan" >&2
    rm -rf "$repo"
    GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null git init -q -b main "$repo"
    "$python" "$here/gen_history.py" "$out/plan-$size" "$commits" |
        GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null git -C "$repo" fast-import --quiet
    GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null git -C "$repo" reset -q --hard main
    touch "$repo/.git/bench-generated"
fi
history_today=$("$python" -c "import datetime as d; print((d.datetime(2027, 1, 4, 9) + d.timedelta(minutes=37 * $commits)).date() + d.timedelta(days=1))")
# Cold: no history cache (removed before each run, which then writes it anew); warm: the cache of the
# run before (what a person re-running the report, or CI keeping the cache directory, gets).
export TANDEM_CACHE_DIR=$dir/cache
git -C "$repo" log --reverse --format= --raw --no-abbrev --no-renames HEAD |
    awk '$4 !~ /^0+$/ && !seen[$4]++ { print $4 }' >"$dir/versions"
# The cold report, its floor and the pipe alone run in turns, round by round (alternate.py).
# What the pipe alone costs: the same answers copied into a reader (`cat`), as tandem's are.
{
    spec "report-$size-history-cold" "report --format html (history, cold)" "$repo" \
        "rm -rf $(printf %q "$TANDEM_CACHE_DIR")" \
        "$tandem" report --format html -o "$dir/report-history.html" \
        --today "$history_today"
    spec "report-$size-history-floor" "git cat-file --batch of the same versions" "$repo" "" \
        sh -c 'git cat-file --batch <"$1" >/dev/null' floor "$dir/versions"
    spec "report-$size-history-pipe" "git cat-file --batch of the same versions, piped" "$repo" "" \
        sh -c 'git cat-file --batch <"$1" | cat >/dev/null' floor "$dir/versions"
} | alternate 0 "${COLD_RUNS:-3}"
bench "$repo" "report-$size-history-html" "report --format html (history)" 1 "$runs" \
    "$tandem" report --format html -o "$dir/report-history.html" --today "$history_today"
bench "$repo" "report-$size-history-markdown" "report --format markdown (history)" 1 "$runs" \
    "$tandem" report --format markdown --today "$history_today"
printf '<!DOCTYPE html><title>empty</title>\n' >"$dir/empty.html"

# browser_seconds PAGE: "wall cpu", the medians over RUNS headless screenshots of PAGE (1200×2000
# window) of the wall time and of the CPU time (user + system of chromium and its processes).
browser_seconds() {
    local page=$1 i
    for ((i = 0; i < runs; i++)); do
        rm -rf "$dir/profile"
        /usr/bin/time -f '%e %U %S' -o "$dir/time" chromium --headless --no-sandbox --disable-gpu --disable-quic \
            --no-first-run --disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage \
            --user-data-dir="$dir/profile" --hide-scrollbars --window-size=1200,2000 \
            --screenshot="$dir/shot.png" "file://$page" >/dev/null 2>&1
        tail -1 "$dir/time"
    done | "$python" -c 'import statistics as s, sys
rows = [list(map(float, l.split())) for l in sys.stdin]
print(f"{s.median(r[0] for r in rows):.2f} {s.median(r[1] + r[2] for r in rows):.2f}")'
}
read -r page_s page_cpu < <(browser_seconds "$dir/report.html")
read -r empty_s empty_cpu < <(browser_seconds "$dir/empty.html")
load_after=$(load_now)

{
    echo "Report benchmark of $(date -u +%Y-%m-%d): $(machine_line), $(chromium --version 2>/dev/null | head -1);" \
        "load average $load_before before and $load_after after."
    echo
    PYTHONPATH=$here "$python" - "$size" "$dir" "$page_s" "$empty_s" "$page_cpu" "$empty_cpu" <<'PY'
import os, sys
from results import result
size, d = int(sys.argv[1]), sys.argv[2]
page_s, empty_s, page_cpu, empty_cpu = map(float, sys.argv[3:7])
print("| items | what | mean (s) | CPU (s) | peak MB | size |")
print("|---:|---|---:|---:|---:|---:|")
for fmt in ("html", "markdown"):
    r = result(f"report-{size}-{fmt}")
    size_txt = f"{os.path.getsize(os.path.join(d, 'report.html')) / 1e6:.1f} MB" if fmt == "html" else ""
    print(f"| {size:,} | report --format {fmt} | {r['mean']:.3f} | {r['cpu']:.3f} | {r['mb']:.0f} | {size_txt} |")
print(f"| {size:,} | chromium: open the html report and paint it (median) | {page_s:.2f} | {page_cpu:.2f} | | |")
print(f"| {size:,} | chromium: the same for an empty page | {empty_s:.2f} | {empty_cpu:.2f} | | |")
print(f"| {size:,} | **browser time the report costs** | **{page_s - empty_s:.2f}** | **{page_cpu - empty_cpu:.2f}** | | |")
commits = f"{int(os.environ.get('COMMITS', '1000')):,} commits of history"
r = result(f"report-{size}-history-cold")
print(f"| {size:,} | report --format html, {commits}, cold (no cache), median | {r['median']:.3f} | {r['cpu']:.3f} | {r['mb']:.0f} | |")
f = result(f"report-{size}-history-floor")
versions = sum(1 for _ in open(os.path.join(d, "versions")))
print(f"| {size:,} | floor: git cat-file --batch of the same {versions:,} blob versions, median | {f['median']:.3f} | {f['cpu']:.3f} | {f['mb']:.0f} | |")
print(f"| {size:,} | **cold report / floor** (target ≤ 2×) | **{r['median'] / f['median']:.1f}×** | **{r['cpu'] / f['cpu']:.1f}×** | | |")
p = result(f"report-{size}-history-pipe")
print(f"| {size:,} | the same, piped into cat (the copy tandem's reading cannot avoid), median | {p['median']:.3f} | {p['cpu']:.3f} | {p['mb']:.0f} | |")
for fmt in ("html", "markdown"):
    r = result(f"report-{size}-history-{fmt}")
    print(f"| {size:,} | report --format {fmt}, {commits}, warm | {r['mean']:.3f} | {r['cpu']:.3f} | {r['mb']:.0f} | |")
PY
} | tee "$out/report.md"
