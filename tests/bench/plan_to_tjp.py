#!/usr/bin/env python3
"""Converts the first N undone items of a tandem plan into an equivalent TaskJuggler project.

usage: plan_to_tjp.py PLAN_DIR N OUT.tjp [--tandem PATH] [--today DATE] [--span 1y]

For the benchmark of issue 3 (tandem schedule against tj3 on the same work), so the
mapping follows tandem's schedule semantics (SPEC section 5) as closely as tj3 allows:

- project start = the later of project.start and --today; `timingresolution 60min`,
  tj3's default working hours (mon-fri, 8 h a day) with calendar.workdays applied;
- each person a resource; calendar.holidays become global `leaves holiday`, each
  person's `off` ranges `leaves annual` (tandem's ranges are inclusive, tj3's end
  exclusive: +1 day);
- each undone (todo/doing) item a task with `effort Xh`: its `remaining`, else its
  `estimate`, in days of 8 h. A part-time assignee (capacity c < 1) works full time in
  tj3 with effort ÷ c instead, rounded to whole hours: tj3 3.7.1 adds `efficiency` up
  per hourly slot as a float and over-books (issue 3). Unassigned items can go to any
  pool member, so their effort cannot be divided by the capacity of the one tj3 picks:
  they keep the plain effort (the only approximation of this mapping);
- `allocate` the assignee, or for unassigned items the whole pool
  (`allocate dev000 { alternative dev001, ... select order persistent }`: the first one
  free, kept for the whole task, like tandem's "pool member who can start it earliest,
  ties by order in people");
- `depends` on the item's dependencies that are among the converted items (the others
  are done, or not converted);
- `priority` from tandem's rank (`tandem priority --format json`), scaled onto tj3's
  1..1000, when a tandem binary is available (--tandem, $TANDEM, or PATH);
- a minimal csv `taskreport`, so that tj3 schedules and writes its result.
Needs PyYAML (Debian: python3-yaml).
"""
import argparse, datetime as dt, json, math, os, re, shutil, subprocess, sys

import yaml

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def load(path):
    with open(path) as f:
        return yaml.safe_load(f) or {}


def as_date(v):
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))


def person_id(pid):
    """tj3 ids are [A-Za-z_][A-Za-z0-9_]*; gen_plan.py's people ids (po, pm, dev000) fit."""
    return "p_" + re.sub(r"[^A-Za-z0-9_]", "_", pid)


def quote(s):
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def tandem_ranks(tandem, plan_dir, today):
    """Item id -> rank, from `tandem priority --format json`; {} if tandem is unavailable."""
    if not tandem:
        return {}
    try:
        r = subprocess.run([tandem, "priority", "--format", "json", "--today", today],
                           cwd=plan_dir, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"plan_to_tjp: no priorities from tandem ({e}); tj3's default priority used",
              file=sys.stderr)
        return {}
    return {row["id"]: row["rank"] for row in json.loads(r.stdout)["items"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("plan_dir")
    ap.add_argument("n", type=int, help="how many undone items (in file order) to convert")
    ap.add_argument("out")
    ap.add_argument("--tandem", default=os.environ.get("TANDEM") or shutil.which("tandem"))
    ap.add_argument("--today", default="2026-11-28")
    ap.add_argument("--span", default="1y", help="tj3 project duration (the schedule must fit)")
    a = ap.parse_args()

    cfg = load(os.path.join(a.plan_dir, "tandem.yaml"))
    backlog_file = (cfg.get("files") or {}).get("backlog", "backlog.yaml")
    if not isinstance(backlog_file, str):
        sys.exit("plan_to_tjp: only a single backlog file is supported")
    items = load(os.path.join(a.plan_dir, backlog_file)).get("items") or []
    if cfg.get("estimates", "days") != "days":
        sys.exit("plan_to_tjp: only `estimates: days` is supported")

    people = cfg["people"]
    by_id = {p["id"]: p for p in people}
    pool_roles = set(cfg.get("pool", ["developer"]))
    pool = [p["id"] for p in people if pool_roles & set(p.get("roles") or [])]
    start = max(as_date(cfg["project"]["start"]), as_date(a.today))
    cal = cfg.get("calendar") or {}
    workdays = cal.get("workdays", DAYS[:5])

    undone = [it for it in items if it.get("status", "todo") in ("todo", "doing")][:a.n]
    chosen = {it["id"] for it in undone}
    # task ids: t1, t2, ... in file order (item ids may hold '-' and '.', tj3's may not)
    tid = {it["id"]: f"t{k + 1}" for k, it in enumerate(undone)}
    ranks = tandem_ranks(a.tandem, a.plan_dir, a.today)
    ranked = sorted((ranks[i] for i in chosen if i in ranks))
    # rank r among the converted items (1 = first) -> tj3 priority 1000 .. 1
    pos = {r: k for k, r in enumerate(ranked)}

    def priority(item_id):
        if item_id not in ranks:
            return None
        k, n = pos[ranks[item_id]], len(ranked)
        return 1000 - (k * 999 // max(1, n - 1)) if n > 1 else 1000

    o = []
    o.append(f'project bench {quote(cfg["project"]["name"])} {start} +{a.span} {{\n'
             f'  timezone "UTC"\n  timingresolution 60min\n  dailyworkinghours 8\n')
    off_days = [d for d in DAYS if d not in workdays]
    if off_days:
        o.append(f'  workinghours {", ".join(off_days)} off\n')
    o.append("}\n\n")
    for h in cal.get("holidays") or []:
        o.append(f'leaves holiday "Holiday" {as_date(h)} +1d\n')
    o.append("\n")
    for p in people:
        o.append(f'resource {person_id(p["id"])} {quote(p.get("name", p["id"]))}')
        offs = p.get("off") or []
        if offs:
            o.append(" {\n  leaves " + ",\n         ".join(
                f'annual {as_date(r["from"])} - {as_date(r["to"]) + dt.timedelta(days=1)}'
                for r in offs) + "\n}\n")
        else:
            o.append("\n")
    o.append("\n")

    pool_alloc = (f"  allocate {person_id(pool[0])} {{ " +
                  (f"alternative {', '.join(person_id(x) for x in pool[1:])} " if len(pool) > 1 else "") +
                  "select order persistent }\n") if pool else None
    unassigned = 0
    for it in undone:
        days = it.get("remaining", it.get("estimate"))
        if days is None:
            continue  # unschedulable in tandem too
        who = it.get("assignee")
        cap = float(by_id[who].get("capacity", 1.0)) if who else 1.0
        hours = max(1, math.floor(days * 8 / (cap if 0 < cap < 1 else 1) + 0.5))
        o.append(f'task {tid[it["id"]]} {quote(it["id"])} {{\n  effort {hours}h\n')
        if who:
            o.append(f"  allocate {person_id(who)}\n")
        elif pool_alloc:
            o.append(pool_alloc)
            unassigned += 1
        deps = [d for d in it.get("depends_on") or [] if d in chosen]
        if deps:
            o.append(f"  depends {', '.join(tid[d] for d in deps)}\n")
        else:
            o.append(f"  start {start}\n")
        pr = priority(it["id"])
        if pr is not None:
            o.append(f"  priority {pr}\n")
        o.append("}\n")
    o.append('\ntaskreport tj3_schedule "tj3_schedule" {\n  formats csv\n'
             '  columns name, start, end, resources\n}\n')
    with open(a.out, "w") as f:
        f.write("".join(o))
    print(f"plan_to_tjp: {len(undone)} undone items ({unassigned} on the pool of {len(pool)}), "
          f"{len(people)} resources, priorities {'from tandem' if ranks else 'default'} -> {a.out}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
