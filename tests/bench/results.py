"""Reads the figures that common.sh's `bench` leaves in $BENCH_RESULTS, for the tables."""
import json, os

DIR = os.environ.get("BENCH_RESULTS", "")


def result(key):
    """mean, median (wall seconds), sd (None for one run), runs, cpu (user + system seconds per run: the median where the
    runs alternated with others, alternate.py, else the mean), mb (peak RSS
    over the runs /usr/bin/time watched, MB), bad (sorted non-zero exit codes) of the benchmark KEY."""
    r = json.load(open(os.path.join(DIR, key + ".json")))["results"][0]
    # one max RSS (KiB) a line; GNU time adds "Command exited with non-zero status N" lines
    lines = open(os.path.join(DIR, key + ".rss")).read().splitlines()
    kib = [int(x) for x in lines if x.strip().isdigit()]
    return dict(mean=r["mean"], median=r["median"], sd=r["stddev"], runs=len(r["times"]),
                cpu=r["cpu_median"] if "cpu_median" in r else r["user"] + r["system"], mb=max(kib, default=0) * 1024 / 1e6,
                bad=sorted({c for c in r.get("exit_codes", []) if c}))


def row(r):
    """'mean ± σ | runs | CPU | peak MB' cells of a markdown table."""
    sd = f"{r['sd']:.3f}" if r["sd"] is not None else "n/a"
    return f"{r['mean']:.3f} ± {sd} | {r['runs']} | {r['cpu']:.3f} | {r['mb']:.0f}"


def exits(r, expected=()):
    """' (exit 1!)' when some run exited with a code not in expected, else ''."""
    bad = [c for c in r["bad"] if c not in expected]
    return f" (exit {','.join(map(str, bad))}!)" if bad else ""


def verdict(ok):
    return "**yes**" if ok else "**NO**"
