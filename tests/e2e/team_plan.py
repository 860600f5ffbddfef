"""The team plan of issue 27: a six-person team five weeks into a webshop relaunch, built as the team
would build it, with tandem's editing commands and real commits by role.

46 items in three milestones (and four chores), eight risks, about fifty commits from 29 Oct to 4 Dec 2026
with pinned author and committer dates, a branch merged into main, and `tandem approve` used twice. Fifteen
items are done: thirteen in the first three weeks, two in the last two (the team slowed down), so the
forecast's window and `--window` matter. Two items are in progress on "today", Monday 2026-12-07: APP-11,
assigned to bob who also has two chores ranked above it, and APP-12, which carol started without an
assignee.

`build(root, tandem)` makes the repository; `TODAY` is the day the tests read it on.
"""

import os
import subprocess
from pathlib import Path

TODAY = "2026-12-07"

CONFIG = """\
# The webshop relaunch: who decides what, and the calendar.
version: 1
project:
  name: Webshop relaunch
  start: 2026-11-02
calendar:
  workdays: [mon, tue, wed, thu, fri]
  holidays: [2026-12-24, 2026-12-25, 2026-12-31, 2027-01-01]
people:
  - {id: paula, name: Paula Owner, email: paula@shop.example, roles: [product_owner]}
  - {id: mark, name: Mark Manager, email: mark@shop.example, roles: [project_manager]}
  - {id: alice, name: Alice Dev, email: alice@shop.example, roles: [developer]}
  - {id: bob, name: Bob Dev, email: bob@shop.example, roles: [developer]}
  - {id: carol, name: Carol Dev, email: carol@shop.example, roles: [developer]}
  - {id: dan, name: Dan Dev, email: dan@shop.example, roles: [developer]}
priority:
  model: manual
"""

PEOPLE = {p: f"{p}@shop.example" for p in ("paula", "mark", "alice", "bob", "carol", "dan")}

# Milestones: M1 nearly done, M2 the launch, M3 a loyalty programme planned too tight.
MILESTONES = [("M1", "Beta", "2026-12-23"), ("M2", "Launch", "2027-01-22"), ("M3", "Loyalty", "2027-01-06")]

# Items by milestone: (id, title, estimate). APP-1..12 are M1, APP-13..28 M2, APP-29..42 M3, OPS-1..4 chores.
M1_ITEMS = [(f"APP-{n}", f"Beta feature {n}", 2) for n in range(1, 13)]
M2_ITEMS = [(f"APP-{n}", f"Launch feature {n}", 2) for n in range(13, 29)]
M3_ITEMS = [(f"APP-{n}", f"Loyalty feature {n}", 3 if n % 2 else 4) for n in range(29, 43)]
CHORES = [(f"OPS-{n}", f"Chore {n}", 1) for n in range(1, 5)]

# Fifteen completions: (item, developer, started, done). Thirteen in the first three weeks, two after.
DONE = [
    ("APP-1", "alice", "2026-11-02", "2026-11-02"), ("APP-2", "bob", "2026-11-02", "2026-11-03"),
    ("APP-3", "carol", "2026-11-03", "2026-11-04"), ("APP-4", "dan", "2026-11-03", "2026-11-05"),
    ("APP-5", "alice", "2026-11-04", "2026-11-05"), ("APP-6", "bob", "2026-11-05", "2026-11-06"),
    ("APP-7", "carol", "2026-11-06", "2026-11-09"), ("APP-8", "dan", "2026-11-09", "2026-11-10"),
    ("APP-9", "alice", "2026-11-10", "2026-11-12"), ("APP-10", "bob", "2026-11-12", "2026-11-13"),
    ("APP-13", "carol", "2026-11-13", "2026-11-16"), ("APP-14", "dan", "2026-11-16", "2026-11-18"),
    ("APP-15", "alice", "2026-11-17", "2026-11-19"), ("APP-16", "bob", "2026-11-24", "2026-11-25"),
    ("APP-17", "carol", "2026-11-30", "2026-12-02"),
]

RISKS = [  # (id, title, probability, impact, affects, delay)
    ("R1", "Payment provider changes its API", 2, 4, "[M2]", "[1, 3]"),
    ("R2", "Designer leaves", 1, 3, "[M3]", "[2, 5]"),
    ("R3", "Load test fails", 2, 3, "[APP-20]", "[1, 2]"),
    ("R4", "GDPR review takes long", 1, 4, "[M2]", "[1, 5]"),
    ("R5", "Hosting contract late", 1, 2, "[OPS-3]", None),
    ("R6", "Loyalty partner API unknown", 3, 3, "[M3]", "[2, 6]"),
]


class Builder:
    """Runs tandem and git in `root` as one person at a time, with pinned commit dates."""

    def __init__(self, root, tandem):
        self.root = Path(root)
        self.tandem_bin = tandem
        self.who = "mark"

    def git(self, *args, date=None):
        env = dict(os.environ)
        email = PEOPLE[self.who]
        env.update({"GIT_AUTHOR_NAME": self.who, "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": self.who,
                    "GIT_COMMITTER_EMAIL": email})
        if date:
            env.update({"GIT_AUTHOR_DATE": f"{date}T10:00:00+0000", "GIT_COMMITTER_DATE": f"{date}T10:00:00+0000"})
        p = subprocess.run(["git", *args], cwd=self.root, env=env, capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"git {' '.join(args)}: {p.stderr}")
        return p.stdout.strip()

    def act(self, who):
        """From now on, edits and commits are `who`'s (their git identity, as tandem reads it)."""
        self.who = who
        self.git("config", "user.email", PEOPLE[who])

    def tandem(self, *args, date=None):
        env = dict(os.environ, NO_COLOR="1")
        if date:
            env.update({"GIT_AUTHOR_DATE": f"{date}T10:00:00+0000", "GIT_COMMITTER_DATE": f"{date}T10:00:00+0000"})
        today = ["--today", date] if date else []
        p = subprocess.run([self.tandem_bin, *args, *today], cwd=self.root, env=env, capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"tandem {' '.join(map(str, args))}: exit {p.returncode}\n{p.stdout}{p.stderr}")
        return p.stdout

    def commit(self, message, date):
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, date=date)


def build(root, tandem):
    """Makes the team plan's repository in `root` (an empty directory) with the tandem binary `tandem`."""
    b = Builder(root, tandem)
    b.git("init", "-q", "-b", "main")
    b.act("mark")
    (b.root / "tandem.yaml").write_text(CONFIG)
    (b.root / "backlog.yaml").write_text("# The backlog, in priority order.\nitems: []\n")
    (b.root / "roadmap.yaml").write_text("milestones: []\n")
    (b.root / "risks.yaml").write_text("risks: []\n")
    b.commit("Team, calendar and empty plan files", "2026-10-29")

    b.act("paula")  # the PO creates the milestones and the backlog
    for mid, title, _ in MILESTONES:
        b.tandem("add", "--roadmap", "--id", mid, title)
    b.commit("Milestones", "2026-10-29")
    b.act("mark")  # the PM dates them; committing a target is joint: the PO approves it below
    base = b.git("rev-parse", "HEAD")
    for mid, _, target in MILESTONES:
        b.tandem("set", mid, f"target={target}", "committed=true")
    b.commit("Targets", "2026-10-30")
    b.act("paula")
    b.tandem("approve", "--base", base, date="2026-10-30")
    for batch, day in ((M1_ITEMS, "2026-10-30"), (M2_ITEMS, "2026-10-30"), (M3_ITEMS, "2026-11-02"),
                       (CHORES, "2026-11-02")):
        for iid, title, _ in batch:
            fields = []
            n = int(iid.split("-")[1])
            if iid.startswith("APP"):
                fields.append("milestone=" + ("M1" if n <= 12 else "M2" if n <= 28 else "M3"))
            b.tandem("add", "--id", iid, title, *fields)
        b.commit(f"Backlog: {batch[0][0]} to {batch[-1][0]}", day)

    for dev, batch in (("alice", M1_ITEMS), ("bob", M2_ITEMS), ("carol", M3_ITEMS), ("dan", CHORES)):
        b.act(dev)  # estimates are the developers'
        for iid, _, estimate in batch:
            b.tandem("set", iid, f"estimate={estimate}")
        b.commit(f"Estimates by {dev}", "2026-11-02")

    b.act("mark")  # the PM assigns the beta's last items and the chores
    b.tandem("set", "APP-11", "assignee=bob")
    for iid in ("OPS-1", "OPS-2"):
        b.tandem("set", iid, "assignee=bob")
    b.commit("Assignments", "2026-11-02")
    b.act("mark")
    for rid, title, p, i, affects, delay in RISKS:
        fields = [f"probability={p}", f"impact={i}", f"affects={affects}", "owner=mark"]
        if delay:
            fields.append(f"delay={delay}")
        b.tandem("add", "--risk", "--id", rid, title, *fields)
    b.commit("Risk register", "2026-11-03")

    work(b)
    return b


def work(b):
    """Five weeks of work: starts and completions by the developers, a reorder, a branch, approvals."""
    for n, (iid, dev, started, done) in enumerate(DONE):
        b.act(dev)
        b.tandem("start", iid, "--date", started, date=started)
        b.commit(f"Start {iid}", started)
        b.tandem("done", iid, "--date", done, date=done)
        b.commit(f"{iid} done", done)
        if iid == "APP-13":
            b.act("paula")  # the chores block the launch: the PO moves two of them to the top
            b.tandem("move", "OPS-2", "--top", date=done)
            b.tandem("move", "OPS-1", "--top", date=done)
            b.commit("Chores first", done)
        if iid == "APP-15":
            branch(b)
    b.act("bob")  # bob's started beta item, with a day left
    b.tandem("start", "APP-11", "--date", "2026-12-03", date="2026-12-03")
    b.tandem("set", "APP-11", "remaining=1", date="2026-12-03")
    b.commit("Start APP-11", "2026-12-03")
    b.act("carol")  # carol starts the last beta item, which has no assignee: she becomes it
    before = b.git("rev-parse", "HEAD")
    b.tandem("start", "APP-12", "--date", "2026-12-04", date="2026-12-04")
    b.commit("Start APP-12", "2026-12-04")
    b.act("mark")  # the assignee is the PM's field: the PM approves carol's start
    b.tandem("approve", "--base", before, date="2026-12-04")


def branch(b):
    """dan re-estimates the loyalty items on a branch while main goes on; the branch is merged with --no-ff."""
    b.act("carol")
    b.tandem("add", "--risk", "--id", "R8", "Loyalty vendor contract unsigned", "probability=1", "impact=2",
             "affects=[M3]", "owner=mark", date="2026-11-19")
    b.commit("Risk: vendor contract", "2026-11-19")
    b.act("dan")
    b.git("checkout", "-q", "-b", "loyalty-estimates")
    for iid in ("APP-29", "APP-30"):
        b.tandem("set", iid, "estimate=5", date="2026-11-20")
    b.commit("Re-estimate the loyalty API items", "2026-11-20")
    b.tandem("add", "--risk", "--id", "R7", "Points ledger migration", "probability=2", "impact=2",
             "affects=[APP-30]", "owner=mark", date="2026-11-20")
    b.commit("Risk: points ledger", "2026-11-20")
    b.git("checkout", "-q", "main")
    b.act("mark")
    b.tandem("set", "R5", "review=2026-12-14", date="2026-11-20")
    b.commit("Review date for R5", "2026-11-20")
    b.act("dan")
    b.git("merge", "-q", "--no-ff", "loyalty-estimates", "-m", "Merge loyalty-estimates", date="2026-11-23")
