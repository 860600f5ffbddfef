#!/usr/bin/env python3
"""A team working in parallel on one plan (SPEC 13), with and without the merge driver.

PEOPLE people each keep a clone of one origin. In waves, everyone fetches, starts a branch from the
current main, adds an item with `tandem add` (the next free id), changes a field of an item of their own
with `tandem set`, sometimes reorders with `tandem move` (the product owner), and pushes; the branches are
then merged into main one after the other, as a merge queue would. A merge that stops is resolved the
way people often do under time pressure: our side of the conflicted file (`git checkout --ours`).

Printed figures: merges that conflicted, records added on a branch that main lost, duplicate ids on main,
field changes lost, and whether `tandem check` accepts main at the end.

    python3 tests/e2e/merge_sim.py [--people 6] [--branches 30] [--bin build/release/tandem]
"""

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONFIG = """\
version: 1
project:
  name: Simulation
people:
  - {id: pat, name: Pat Owner, email: pat@example.com, roles: [product_owner]}
  - {id: max, name: Max Manager, email: max@example.com, roles: [project_manager]}
  - {id: dev, name: Dana Developer, email: dana@example.com, roles: [developer]}
priority:
  model: manual
"""


def backlog(n):
    out = "# The backlog\nitems:\n"
    for i in range(1, n + 1):
        out += f"  - id: ITEM-{i}\n    title: Item {i}\n    estimate: {1 + i % 5}\n\n"
    return out


class Sim:
    def __init__(self, tandem, root, driver):
        self.tandem_bin = tandem
        self.root = Path(root)
        self.driver = driver
        self.env = dict(os.environ)
        self.env.update({"GIT_AUTHOR_NAME": "Pat", "GIT_AUTHOR_EMAIL": "pat@example.com",
                         "GIT_COMMITTER_NAME": "Pat", "GIT_COMMITTER_EMAIL": "pat@example.com",
                         "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(self.root), "NO_COLOR": "1"})

    def git(self, cwd, *args, check=True):
        p = subprocess.run(["git", *args], cwd=cwd, env=self.env, capture_output=True, text=True)
        if check and p.returncode:
            raise RuntimeError(f"git {' '.join(args)}: {p.stdout}{p.stderr}")
        return p

    def tandem(self, cwd, *args):
        return subprocess.run([self.tandem_bin, *args], cwd=cwd, env=self.env, capture_output=True, text=True)

    def clone(self, name):
        path = self.root / name
        self.git(self.root, "clone", "-q", str(self.root / "origin.git"), str(path))
        if self.driver:
            self.tandem(path, "merge-driver", "install")
        return path


def ids(text):
    return re.findall(r"^\s*- id: (\S+)", text, re.M)


def next_id_on_refs(sim, cwd):
    """The next ITEM-n that no remote-tracking branch uses (what `add` does once it reads every ref)."""
    refs = sim.git(cwd, "for-each-ref", "--format=%(refname)", "refs/remotes", "refs/heads").stdout.split()
    top = 0
    for ref in refs:
        text = sim.git(cwd, "show", f"{ref}:backlog.yaml", check=False).stdout
        top = max([top] + [int(n) for n in re.findall(r"- id: ITEM-(\d+)", text)])
    return f"ITEM-{top + 1}"


def simulate(tandem, people=6, branches=30, driver=True, seed=1, items=20, ids_from_refs=False):
    """Runs the simulation in a temporary directory; returns its figures."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="tandem-sim-") as tmp:
        sim = Sim(tandem, tmp, driver)
        seed_dir = Path(tmp) / "seed"
        seed_dir.mkdir()
        sim.git(seed_dir, "init", "-q", "-b", "main")
        (seed_dir / "tandem.yaml").write_text(CONFIG)
        (seed_dir / "backlog.yaml").write_text(backlog(items))
        if driver:  # .gitattributes is committed with the plan; each clone registers the driver
            sim.tandem(seed_dir, "merge-driver", "install")
        sim.git(seed_dir, "add", "-A")
        sim.git(seed_dir, "commit", "-q", "-m", "plan")
        sim.git(tmp, "clone", "-q", "--bare", str(seed_dir), "origin.git")
        clones = [sim.clone(f"p{i}") for i in range(people)]
        merger = sim.clone("merger")
        figures = {"branches": 0, "conflicts": 0, "lost_records": 0, "lost_changes": 0, "duplicate_ids": 0}
        added, changes = [], []
        start = time.monotonic()
        b = 0
        while b < branches:
            wave = []
            for p in range(people):
                if b == branches:
                    break
                cwd = clones[p]
                name = f"b{b}"
                sim.git(cwd, "fetch", "-q", "origin")
                sim.git(cwd, "checkout", "-q", "-B", name, "origin/main")
                before = set(ids((cwd / "backlog.yaml").read_text()))
                extra = ["--id", next_id_on_refs(sim, cwd)] if ids_from_refs else []
                title = f"Work of person {p}, branch {b}"
                sim.tandem(cwd, "add", *extra, title)
                added.append(title)
                mine = [i for i in sorted(before) if int(i.split("-")[1]) % people == p]
                if mine:
                    rid = rng.choice(mine)
                    value = str(rng.randint(6, 40))
                    sim.tandem(cwd, "set", rid, f"estimate={value}")
                    changes.append((rid, value, name))
                if p == 0 and rng.random() < 0.5:
                    sim.tandem(cwd, "move", rng.choice(sorted(before)), "--top")
                sim.git(cwd, "commit", "-q", "-am", f"branch {b}")
                sim.git(cwd, "push", "-q", "origin", name)
                wave.append(name)
                b += 1
            for name in wave:
                figures["branches"] += 1
                sim.git(merger, "fetch", "-q", "origin")
                sim.git(merger, "checkout", "-q", "-B", "main", "origin/main")
                m = sim.git(merger, "merge", "--no-ff", "-m", f"merge {name}", f"origin/{name}", check=False)
                if m.returncode:
                    figures["conflicts"] += 1
                    sim.git(merger, "checkout", "--ours", "--", "backlog.yaml")
                    sim.git(merger, "add", "-A")
                    sim.git(merger, "commit", "-q", "--no-edit")
                sim.git(merger, "push", "-q", "origin", "main")
        final = sim.git(merger, "show", "main:backlog.yaml").stdout
        final_ids = ids(final)
        figures["duplicate_ids"] = len(final_ids) - len(set(final_ids))
        figures["lost_records"] = sum(1 for title in added if f"title: {title}\n" not in final)
        # The last change of each item's estimate should be on main (each person changes only their own).
        last = {}
        for rid, value, _ in changes:
            last[rid] = value
        for rid, value in last.items():
            if not re.search(rf"- id: {re.escape(rid)}\n(?:    .*\n)*?    estimate: {value}\n", final):
                figures["lost_changes"] += 1
        figures["check_ok"] = sim.tandem(merger, "check").returncode == 0
        figures["seconds"] = round(time.monotonic() - start, 1)
        return figures


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--people", type=int, default=6)
    ap.add_argument("--branches", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--ids-from-refs", action="store_true",
                    help="add with the next id no fetched branch uses (as `add` does with issue 26's ids)")
    ap.add_argument("--bin", default=os.environ.get("TANDEM_BIN", "build/release/tandem"))
    args = ap.parse_args()
    tandem = os.path.abspath(args.bin)
    for driver in (False, True):
        f = simulate(tandem, args.people, args.branches, driver, args.seed, ids_from_refs=args.ids_from_refs)
        print(f"{'with' if driver else 'without'} the driver: {f['branches']} branches, {f['conflicts']} merges "
              f"conflicted, {f['lost_records']} records lost, {f['lost_changes']} field changes lost, "
              f"{f['duplicate_ids']} duplicate ids, check {'passes' if f['check_ok'] else 'fails'} "
              f"({f['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
