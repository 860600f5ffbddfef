#!/usr/bin/env python3
"""Writes a `git fast-import` stream of a synthetic plan history, for the history benchmark.

usage: gen_history.py PLAN_DIR COMMITS [--seed 1] | git fast-import --quiet

The first commit (by the product owner) adds the plan of PLAN_DIR (made by gen_plan.py:
tandem.yaml, backlog.yaml, roadmap.yaml, risks.yaml) on refs/heads/main. Each of the next
COMMITS commits changes one item of backlog.yaml (70 %) or two (30 %), editing the text
in place the way a person would, so that the rest of the file stays byte-identical:

  estimate bumped       (rule: developer)             title edited   (product_owner)
  value changed         (product_owner)               assignee moved (project_manager)
  status todo -> doing  (developer, project_manager)  doing -> done, with a `done:` date

The author is, 85 % of the time, someone who holds the role the default ownership rules
ask for, else someone random among the plan's people (a violation for `tandem audit`,
unless the commit carries an `Approved-by:` trailer, which one in three of those does).
Every 10th commit also edits ITEM-1 (its estimate or its title), so that `tandem log
ITEM-1` has a long history. Authors are the people's emails; commit dates go forward
from 2027-01-04 09:00 UTC by 37 minutes. Deterministic for a given seed.
"""
import argparse, datetime, os, random, re, sys

FILES = ("tandem.yaml", "backlog.yaml", "roadmap.yaml", "risks.yaml")
ESTIMATES = ["0.5", "1", "2", "3", "5", "8"]
VALUES = ["1", "2", "3", "5", "8", "13", "20"]
WORDS = ("checkout cart payment invoice search catalog login account profile address "
         "shipping tax refund coupon review rating wishlist export import report").split()


class Plan:
    def __init__(self, text):
        head, sep, rest = text.partition("\n  - id: ")
        assert sep, "backlog.yaml does not look like gen_plan.py's"
        self.head = head + "\n"
        self.blocks = ["  - id: " + b for b in rest.split("\n  - id: ")]
        self.blocks = [b if b.endswith("\n") else b + "\n" for b in self.blocks]
        self.ids = [re.match(r"  - id: (\S+)", b).group(1) for b in self.blocks]
        self.index = {i: k for k, i in enumerate(self.ids)}

    def field(self, k, name):
        m = re.search(rf"^    {name}: (.*)$", self.blocks[k], re.M)
        return m.group(1) if m else None

    def set_field(self, k, name, value):
        self.blocks[k], n = re.subn(rf"^(    {name}: ).*$", lambda m: m.group(1) + value,
                                    self.blocks[k], count=1, flags=re.M)
        assert n == 1, (self.ids[k], name)

    def insert_after(self, k, after, line):
        self.blocks[k] = re.sub(rf"^(    {after}: .*\n)", lambda m: m.group(1) + line + "\n",
                                self.blocks[k], count=1, flags=re.M)

    def text(self):
        return self.head + "".join(self.blocks)


def people(tandem_yaml):
    """(id, name, email, roles) of each person, read from gen_plan.py's layout."""
    out = []
    for m in re.finditer(r"  - id: (\S+)\n    name: (.*)\n    email: (.*)\n    roles: \[(.*)\]",
                         tandem_yaml):
        out.append((m.group(1), m.group(2), m.group(3), m.group(4).split(", ")))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("plan_dir")
    ap.add_argument("commits", type=int)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    files = {f: open(os.path.join(a.plan_dir, f), encoding="utf-8").read() for f in FILES}
    plan = Plan(files["backlog.yaml"])
    team = people(files["tandem.yaml"])
    by_role = {}
    for p in team:
        for r in p[3]:
            by_role.setdefault(r, []).append(p)
    devs = by_role["developer"]
    out = sys.stdout.buffer

    def data(b):
        out.write(b"data %d\n" % len(b))
        out.write(b)
        out.write(b"\n")

    t0 = 1799053200  # 2027-01-04 09:00:00 UTC
    mark = 0

    def commit(when, who, message, changed):
        nonlocal mark
        ident = f"{who[1]} <{who[2]}> {when} +0000\n".encode()
        out.write(b"commit refs/heads/main\n")
        out.write(b"author " + ident + b"committer " + ident)
        data(message.encode())
        for name, text in changed:
            out.write(f"M 100644 inline {name}\n".encode())
            data(text.encode())

    po = by_role["product_owner"][0]
    commit(t0, po, "Initial plan\n", [(f, files[f]) for f in FILES])

    # the items each operation can apply to, kept up to date as statuses change
    def edits(k):
        st = plan.field(k, "status")
        ops = ["estimate", "title", "value"]
        if plan.field(k, "assignee") is not None:
            ops.append("assignee")
        if st in ("todo", "doing"):
            ops.append("status")
        return ops

    def apply(k, op):
        """Edits item k; returns (roles allowed, summary)."""
        iid = plan.ids[k]
        if op == "estimate":
            old = plan.field(k, "estimate")
            new = ESTIMATES[(ESTIMATES.index(old) + 1) % len(ESTIMATES)] if old in ESTIMATES else "3"
            plan.set_field(k, "estimate", new)
            return ["developer"], f"Re-estimate {iid}: {old} -> {new} days"
        if op == "title":
            verb = rng.choice(["Add", "Improve", "Fix", "Support", "Speed-up"])
            plan.set_field(k, "title", f"{verb} {rng.choice(WORDS)} {rng.choice(WORDS)} "
                                       f"for {rng.choice(WORDS)} flow")
            return ["product_owner"], f"Reword {iid}"
        if op == "value":
            old = plan.field(k, "value")
            plan.set_field(k, "value", rng.choice([v for v in VALUES if v != old]))
            return ["product_owner"], f"Re-value {iid}"
        if op == "assignee":
            plan.set_field(k, "assignee", rng.choice(devs)[0])
            return ["project_manager"], f"Reassign {iid}"
        st = plan.field(k, "status")
        if st == "todo":
            plan.set_field(k, "status", "doing")
            return ["developer", "project_manager"], f"Start {iid}"
        plan.set_field(k, "status", "done")
        plan.insert_after(k, "estimate", f"    done: {day}")
        return ["developer", "project_manager"], f"Finish {iid}"

    item1 = plan.index.get("ITEM-1")
    for c in range(1, a.commits + 1):
        when = t0 + 37 * 60 * c
        day = datetime.datetime.fromtimestamp(when, datetime.timezone.utc).date().isoformat()
        targets = []
        if c % 10 == 0 and item1 is not None:
            targets.append((item1, "estimate" if c % 20 else "title"))
        while len(targets) < (2 if rng.random() < 0.3 else 1):
            k = rng.randrange(len(plan.blocks))
            if any(k == t for t, _ in targets):
                continue
            targets.append((k, rng.choice(edits(k))))
        allowed, lines = None, []
        for k, op in targets:
            roles, summary = apply(k, op)
            # a role that may make every change of the commit, if there is one
            both = [r for r in allowed or roles if r in roles]
            allowed = both or roles
            lines.append(summary)
        if rng.random() < 0.85:
            who = rng.choice([p for r in allowed for p in by_role.get(r, [])])
            trailer = ""
        else:
            who = rng.choice(team)
            trailer = ""
            if rng.random() < 1 / 3:
                ok = rng.choice([p for r in allowed for p in by_role.get(r, [])])
                trailer = f"\nApproved-by: {ok[1]} <{ok[2]}>\n"
        message = "; ".join(lines) + "\n" + trailer
        commit(when, who, message, [("backlog.yaml", plan.text())])
    out.write(b"done\n")


if __name__ == "__main__":
    main()
