#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz harnesses from examples/ and tests/fixtures/.

Run from anywhere; rewrites tests/fuzz/corpus/*/seed-* (hand-written seeds keep other names).
Multi-file seeds put tandem.yaml first and start each other file with a `#=> NAME` line; the diff
seeds hold two such plans separated by a `#== new` line.
"""
import pathlib
import re

here = pathlib.Path(__file__).resolve().parent
root = here.parents[1]
ex = root / "examples"
fx = root / "tests" / "fixtures" / "schema"


def read(p):
    return p.read_text()


def plan(config, files):
    out = config if config.endswith("\n") else config + "\n"
    for name, text in files:
        out += f"#=> {name}\n" + text + ("" if text.endswith("\n") else "\n")
    return out


def write(harness, name, text):
    d = here / "corpus" / harness
    d.mkdir(parents=True, exist_ok=True)
    (d / f"seed-{name}").write_text(text)


for d in (here / "corpus").glob("*/seed-*"):
    d.unlink()

# plan_file: every backlog, roadmap and risk file.
for f in sorted(list(ex.glob("*/*.yaml")) + list(fx.glob("*/*.yaml"))):
    if f.name != "tandem.yaml" and not f.name.startswith("config-"):
        write("plan_file", f"{f.parent.name}-{f.stem}", read(f))
# config: every tandem.yaml.
for f in sorted(list(ex.glob("*/tandem.yaml")) + list(fx.glob("*/config-*.yaml"))):
    write("config", f"{f.parent.name}-{f.stem}", read(f))

SMALL_CONFIG = """version: 1
project: {name: Small, start: 2027-01-04}
calendar: {workdays: [mon, tue, wed, thu, fri], holidays: [2027-01-06], sprint: {start: 2027-01-04, length: 5}}
priority: {model: wsjf}
forecast: {runs: 50, seed: 7, window: 60}
people:
  - {id: po, name: PO, roles: [product_owner]}
  - {id: pm, name: PM, roles: [project_manager]}
  - {id: d1, name: D1, roles: [developer], capacity: 0.5, off: [{from: 2027-01-11, to: 2027-01-12}]}
  - {id: d2, name: D2, roles: [developer]}
"""
SMALL_BACKLOG = """items:
  - {id: A, title: a, estimate: 3, value: 5, time_criticality: 3, risk_reduction: 1, size: 3, milestone: M1}
  - {id: B, title: b, assignee: d1, estimate: 2, depends_on: [A], moscow: must, milestone: M1}
  - {id: C, title: c, estimate: 1, status: doing, remaining: 0.5, assignee: d2}
  - {id: D, title: d, status: done, done: 2026-12-14}
  - {id: E, title: e, status: done, done: 2026-12-21}
  - {id: F, title: f, estimate: 4, depends_on: [B, C], milestone: M2}
"""
SMALL_ROADMAP = """milestones:
  - {id: M1, title: first, target: 2027-01-20}
  - {id: M2, title: second, target: 2027-02-01, depends_on: [M1]}
"""
SMALL_RISKS = """risks:
  - {id: R1, title: r, probability: 3, impact: 4, owner: pm, affects: [A, M2], review: 2027-01-01}
  - {id: R2, title: s, probability: 1, impact: 5, status: closed}
"""
small = plan(SMALL_CONFIG, [("backlog.yaml", SMALL_BACKLOG), ("roadmap.yaml", SMALL_ROADMAP),
                            ("risks.yaml", SMALL_RISKS)])
webshop = plan(read(ex / "webshop/tandem.yaml"),
               [(n, read(ex / "webshop" / n)) for n in ("backlog.yaml", "archive.yaml", "roadmap.yaml", "risks.yaml")])
broken = plan(read(ex / "broken/tandem.yaml"),
              [(n, read(ex / "broken" / n)) for n in ("backlog.yaml", "roadmap.yaml", "risks.yaml")])
full = plan(read(fx / "valid/config-full.yaml"),
            [("backlog.yaml", read(fx / "valid/backlog-full.yaml")), ("roadmap.yaml", read(fx / "valid/roadmap-full.yaml")),
             ("risks.yaml", read(fx / "valid/risks-full.yaml")), ("backlog/empty.yaml", read(fx / "valid/backlog-empty.yaml"))])
for name, text in [("small", small), ("webshop", webshop), ("broken", broken), ("fixtures-full", full)]:
    write("engines", name, text)
FLOW_BACKLOG = """items: [{id: A, title: a, status: done, done: 2027-01-02}, # why
  {id: B, title: b, depends_on: [A]},
  {id: C, title: c}]
"""
# Issue 28's edits: values with aligned comments, flow lists that `+=` must quote into, blank lines between
# records that `move` keeps in place, and a CRLF flow list with one record per line.
ALIGNED_BACKLOG = """items:
  # the first one
  - id: A
    title: a               # what
    value:    13           # WSJF value
    estimate: 2            # days
    acceptance: [First]

  - id: B
    title: b
    acceptance: [
      "One, two",
      three
    ]


  - id: C
    title: c
"""
CRLF_FLOW_BACKLOG = "items: [\r\n  {id: A, title: a, acceptance: [First]},\r\n  {id: B, title: b},\r\n  {id: C, title: c}\r\n]\r\n"
for name, text in [("small", small), ("fixtures-full", full),
                   ("flow", plan(SMALL_CONFIG, [("backlog.yaml", FLOW_BACKLOG), ("roadmap.yaml", SMALL_ROADMAP)])),
                   ("aligned", plan(SMALL_CONFIG, [("backlog.yaml", ALIGNED_BACKLOG)])),
                   ("crlf-flow", plan(SMALL_CONFIG, [("backlog.yaml", CRLF_FLOW_BACKLOG)]))]:
    write("edit", name, text)  # webshop (90 kB) would slow every run
write("plan_file", "small-backlog", SMALL_BACKLOG)
write("config", "small", SMALL_CONFIG)


def edit(text):
    """A plausible next version: a status changes, an item goes, one is added, two swap places."""
    text = text.replace("status: doing", "status: done\n    done: 2027-01-05", 1)
    text = re.sub(r"estimate: (\d+)", lambda m: f"estimate: {int(m.group(1)) + 1}", text, count=2)
    text = text.replace("  - {id: E, title: e, status: done, done: 2026-12-21}\n", "")
    text = text.replace("milestones:\n", "milestones:\n  - {id: M0, title: zero, target: 2027-01-10}\n", 1)
    return text


for name, text in [("small", small), ("fixtures-full", full)]:  # webshop (90 kB) would slow every run
    write("diff", name, text + "#== new\n" + edit(text))
write("diff", "broken-to-small", broken + "#== new\n" + small)
