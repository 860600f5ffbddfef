#!/usr/bin/env bash
# Benchmark: `tandem check` side by side with the Python validators a team would otherwise
# put in CI (yamllint, and jsonschema via validate_jsonschema.py), on synthetic plans of
# 1,000 / 10,000 / 100,000 items made by gen_plan.py. Times each with hyperfine and
# records each one's peak memory (max RSS, from /usr/bin/time -f %M around every run).
#
# Needs, on a fresh Debian 12, besides the build tools of the README:
#   apt-get install hyperfine yamllint python3-jsonschema python3-yaml time
# (if one of these is missing, the script apt-get installs it).
#
# usage:  tests/bench/run.sh                       (from anywhere; takes ~20 min)
#         SIZES="1000 10000" tests/bench/run.sh    (other sizes)
# Prints a markdown table on stdout (also saved to build/bench/results.md); hyperfine's
# progress goes to stderr. Plans are cached in build/bench/plan-N/ (remade when
# gen_plan.py changes); hyperfine JSON and RSS figures go to build/bench/results/.
set -euo pipefail

source "$(dirname "$0")/common.sh"
sizes=${SIZES:-1000 10000 100000}
files=(tandem.yaml backlog.yaml roadmap.yaml risks.yaml)

need_tools hyperfine:hyperfine yamllint:yamllint /usr/bin/time:time py:yaml:python3-yaml py:jsonschema:python3-jsonschema
build_tandem check
for n in $sizes; do ensure_plan "$n"; done

# --- timing ---------------------------------------------------------------------------

load_before=$(load_now)
for n in $sizes; do
    if [ "$n" -ge 50000 ]; then  # yamllint takes minutes here, jsonschema over a minute
        t_runs=3 j_runs=2 y_warmup=0 y_runs=1  # files are in the page cache by then
    else
        t_runs=10 j_runs=3 y_warmup=1 y_runs=3
    fi
    echo "== $n items (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
    bench "$out/plan-$n" "$n-tandem" tandem 1 "$t_runs" "$tandem" check --today "$today"
    # The same with valijson's per-record pass behind the decoder (before issue 29: every check).
    bench "$out/plan-$n" "$n-tandem-schemas" "tandem --schemas" 1 "$t_runs" "$tandem" check --schemas --today "$today"
    bench "$out/plan-$n" "$n-jsonschema" jsonschema 1 "$j_runs" "$python" "$here/validate_jsonschema.py"
    bench "$out/plan-$n" "$n-yamllint" yamllint "$y_warmup" "$y_runs" yamllint -d relaxed "${files[@]}"
done
load_after=$(load_now)

# --- table ---------------------------------------------------------------------------
{
    echo "Benchmark of $(date -u +%Y-%m-%d): $(nproc) × $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
        "load average $load_before before and $load_after after;" \
        "$("$tandem" --version | head -1), hyperfine $(hyperfine --version | cut -d' ' -f2)," \
        "$(yamllint --version), jsonschema $("$python" -c 'import importlib.metadata as m; print(m.version("jsonschema"))')," \
        "PyYAML $("$python" -c 'import yaml; print(yaml.__version__, "(libyaml)" if yaml.__with_libyaml__ else "(pure Python)")')."
    echo
    "$python" - "$out" "$sizes" <<'EOF'
import json, os, sys

out, sizes = sys.argv[1], [int(s) for s in sys.argv[2].split()]
tools = ["tandem", "tandem-schemas", "jsonschema", "yamllint"]
label = {"tandem-schemas": "tandem check --schemas"}
res = {}
for n in sizes:
    for t in tools:
        r = json.load(open(f"{out}/results/{n}-{t}.json"))["results"][0]
        rss = [int(x) for x in open(f"{out}/results/{n}-{t}.rss").read().split()]
        res[n, t] = dict(mean=r["mean"], sd=r["stddev"], runs=len(r["times"]),
                         cpu=r["user"] + r["system"],
                         mb=max(rss) * 1024 / 1e6,
                         bad=sorted({c for c in r.get("exit_codes", []) if c}))

# CPU = user + system seconds, mean per run: less disturbed than wall time on a busy machine.
print("| items | plan MB | tool | mean ± σ (s) | runs | CPU (s) | peak MB | × tandem's time |")
print("|---:|---:|---|---:|---:|---:|---:|---:|")
for n in sizes:
    plan_mb = sum(os.path.getsize(f"{out}/plan-{n}/{f}") for f in
                  ("tandem.yaml", "backlog.yaml", "roadmap.yaml", "risks.yaml")) / 1e6
    for t in tools:
        r = res[n, t]
        sd = f"{r['sd']:.3f}" if r["sd"] is not None else "n/a"
        bad = f" (exit {','.join(map(str, r['bad']))}!)" if r["bad"] else ""
        ratio = r["mean"] / res[n, "tandem"]["mean"]
        print(f"| {n:,} | {plan_mb:.1f} | {label.get(t, t)}{bad} | {r['mean']:.3f} ± {sd} | {r['runs']} "
              f"| {r['cpu']:.3f} | {r['mb']:.0f} | {ratio:.1f}× |")

def verdict(ok):
    return "**yes**" if ok else "**NO**"

print("\nTargets (issue 2):\n")
if 10000 in sizes:
    t = res[10000, "tandem"]
    print(f"- 10,000 items checked in < 1 s: {t['mean']:.2f} s → {verdict(t['mean'] < 1)}")
if 100000 in sizes:
    t = res[100000, "tandem"]
    print(f"- 100,000 items in < 10 s: {t['mean']:.2f} s → {verdict(t['mean'] < 10)}")
    print(f"- 100,000 items with peak < 300 MB: {t['mb']:.0f} MB → {verdict(t['mb'] < 300)}")
for other in ("jsonschema", "yamllint"):
    ratios = [res[n, other]["mean"] / res[n, "tandem"]["mean"] for n in sizes]
    shown = ", ".join(f"{r:.1f}× at {n:,}" for r, n in zip(ratios, sizes))
    print(f"- ≥ 3× faster than {other} at every size: {shown} → {verdict(min(ratios) >= 3)}")
if any(r["bad"] for r in res.values()):
    print("\nSome runs exited non-zero (see the table): their times are not comparable.")
EOF
} | tee "$out/results.md"
