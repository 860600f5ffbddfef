"""Times a group of commands that are compared with each other by running them in turns: each
round runs every command once, starting one further along each round, so that a slow spell of a
shared machine falls on all of them alike (issue 29 asks for commands alternated in one run,
CPU medians). Writes, per command, what common.sh's `bench` writes for results.py: KEY.json in
hyperfine's shape (wall times, mean user and system) plus `cpu_median`, the median of user +
system seconds per run (the process and the children it waited for), and KEY.rss, the peak
resident memory of each run in KiB.

usage: alternate.py OUT_DIR WARMUP RUNS < SPECS
  SPECS: one JSON array per line, [KEY, NAME, DIR, PREPARE, COMMAND, ARG...]; PREPARE is a shell
  command run in DIR before each run of COMMAND (not timed), or "".
"""
import json, os, statistics, subprocess, sys, time


def run_once(directory, command, prepare):
    """(wall seconds, user seconds, system seconds, peak KiB, exit code) of one run."""
    if prepare:
        subprocess.run(prepare, shell=True, cwd=directory, check=True)
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=directory, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    return wall, usage.ru_utime, usage.ru_stime, usage.ru_maxrss, child.returncode


def main():
    out, warmup, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    specs = [json.loads(line) for line in sys.stdin if line.strip()]
    for _ in range(warmup):
        for key, name, directory, prepare, *command in specs:
            run_once(directory, command, prepare)
    rows = {spec[0]: [] for spec in specs}
    for r in range(runs):
        for i in range(len(specs)):
            key, name, directory, prepare, *command = specs[(r + i) % len(specs)]
            print(f"  {name}: round {r + 1} of {runs}", file=sys.stderr)
            rows[key].append(run_once(directory, command, prepare))
    for key, name, *_ in specs:
        walls, users, systems, peaks, codes = zip(*rows[key])
        result = {
            "command": name,
            "mean": statistics.mean(walls),
            "stddev": statistics.stdev(walls) if len(walls) > 1 else None,
            "median": statistics.median(walls),
            "min": min(walls),
            "max": max(walls),
            "user": statistics.mean(users),
            "system": statistics.mean(systems),
            "cpu_median": statistics.median(u + s for u, s in zip(users, systems)),
            "times": list(walls),
            "exit_codes": list(codes),
        }
        with open(os.path.join(out, key + ".json"), "w") as f:
            json.dump({"results": [result]}, f, indent=1)
        with open(os.path.join(out, key + ".rss"), "w") as f:
            f.write("".join(f"{kib}\n" for kib in peaks))
        print(f"{name}: median {result['median']:.3f} s wall, {result['cpu_median']:.3f} s CPU", file=sys.stderr)


if __name__ == "__main__":
    main()
