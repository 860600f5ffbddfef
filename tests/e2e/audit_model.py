"""A reference model of `tandem audit` (SPEC 3), and random histories made with real git to prove the
audit against it.

The model is short, slow and plain on purpose: it reads every plan version whole (`git cat-file`), keeps
no cache, and applies the rule as SPEC 3 words it:
  * each commit's own changes, judged by the roles of its maker and approvers (a merge's own changes are
    those against the clean three-way merge of its parents, conflicts taken from the first parent);
  * the net change (the base against the clean merge of base and tip), part by part, by its kind
    relative to the base: a field of a record the base has is a field change, a record the base lacks a
    creation (its fields that the creation set are the creation's), a record the tip lacks a deletion,
    and the order a set of pairs of records open on both sides. A part is authorized when a commit that
    set it to its landed value brings the roles it needs; else it is a violation of the setter committed
    last, or of the tip when no commit set it.
Its findings are the set of (commit, kind, id, field, code) that `tandem audit --format json` must give.

Run as a script for long runs: `python3 audit_model.py --seconds 3600 [--seed N] [--keep DIR]`
(TANDEM_BIN names the binary). Every history it finds wrong is written to DIR as a git fast-import
stream with its range, and test_audit_model.py replays each one kept in tests/e2e/regressions/audit/.
"""

import argparse
import bisect
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONFLICT = "\x01conflict"
KINDS = ("backlog", "roadmap", "risks")
LIST_KEY = {"backlog": "items", "roadmap": "milestones", "risks": "risks"}
FILES = {"backlog": ["backlog.yaml", "later.yaml"], "roadmap": ["roadmap.yaml"], "risks": ["risks.yaml"]}
CLOSED = {'"done"', '"dropped"', '"closed"'}
LIST_FIELDS = {"backlog": {"depends_on", "tags", "acceptance"}, "roadmap": {"depends_on"}, "risks": {"affects"}}

PEOPLE = [
    ("pat", "Pat Owner", "pat@example.com", ["product_owner"]),
    ("max", "Max Manager", "max@example.com", ["project_manager"]),
    ("dana", "Dana Developer", "dana@example.com", ["developer"]),
    ("dev2", "Dev Two", "dev2@example.com", ["developer"]),
]
OUTSIDER = ("eve", "Eve Outsider", "eve@example.com", [])

# The rules of the histories' tandem.yaml, written out (no defaults). The model reads the rules of the
# range's base from its tandem.yaml (histories kept in regressions/ hold the rules of their time).
RULES = {
    "backlog": {"create": ["product_owner"], "delete": ["product_owner"],
                "fields": {"estimate": ["developer"], "status": ["developer", "project_manager"],
                           "status=dropped": ["product_owner"],
                           "value=4": ["product_owner", "project_manager"],
                           "assignee": ["project_manager"], "*": ["product_owner"]}},
    "roadmap": {"create": ["product_owner"], "delete": ["product_owner"],
                "fields": {"target": ["project_manager"],
                           "target if committed": {"all": ["product_owner", "project_manager"]},
                           "target=2027-06-01": ["product_owner"],
                           "*": ["product_owner"]}},
    "risks": {"create": ["project_manager", "developer"], "delete": ["project_manager"],
              "fields": {"status": ["project_manager", "developer"], "status=closed": ["project_manager"],
                         "*": ["project_manager"]}},
}


def config_text(declare_roles=False):
    """The histories' tandem.yaml; `declare_roles` declares every role, so that `check` (and with it
    `report`, which reads only a well-formed plan) passes."""
    lines = ["version: 1", "project:", "  name: Model", "files:",
             "  backlog: [backlog.yaml, later.yaml]", "  roadmap: roadmap.yaml", "  risks: risks.yaml",
             "priority:", "  model: manual", "people:"]
    for pid, name, email, roles in PEOPLE:
        lines += [f"  - id: {pid}", f"    name: {name}", f"    email: {email}", f"    roles: [{', '.join(roles)}]"]
    lines += ["roles:", "  developer: {min: 1}"]
    if declare_roles:
        lines += ["  product_owner: {}", "  project_manager: {}"]
    lines += ["ownership:"]
    for kind, rules in RULES.items():
        lines += [f"  {kind}:", f"    create: {json.dumps(rules['create'])}", f"    delete: {json.dumps(rules['delete'])}",
                  "    fields:"]
        for field, req in rules["fields"].items():
            lines.append(f"      {json.dumps(field)}: {json.dumps(req)}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------------
# The model


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


class Git:
    """Reads whole files of a repository through one `git cat-file --batch`."""

    def __init__(self, repo):
        self.repo = repo
        self.cat = subprocess.Popen(["git", "-C", repo, "cat-file", "--batch"], stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE)

    def run(self, *args):
        return subprocess.run(["git", "-C", self.repo, *args], check=True, capture_output=True,
                              text=True).stdout

    def show(self, rev, path):
        self.cat.stdin.write(f"{rev}:{path}\n".encode())
        self.cat.stdin.flush()
        header = self.cat.stdout.readline().decode()
        if header.endswith("missing\n"):
            return None
        size = int(header.split()[2])
        data = self.cat.stdout.read(size + 1)[:-1]
        return data.decode()

    def close(self):
        self.cat.stdin.close()
        self.cat.wait()


def read_version(git, rev):
    """kind → list of (id, {field: canonical}) in file order, all files of the kind in `files:` order."""
    import yaml

    version = {}
    for kind in KINDS:
        records = []
        for path in FILES[kind]:
            text = git.show(rev, path)
            if text is None:
                continue
            doc = yaml.safe_load(text) or {}
            for element in doc.get(LIST_KEY[kind]) or []:
                fields = {k: canonical(v) for k, v in element.items() if k != "id"}
                records.append((str(element["id"]), fields))
        version[kind] = records
    return version


def first(records):
    out = {}
    for rid, fields in records:
        out.setdefault(rid, fields)
    return out


def is_open(fields):
    return fields.get("status") not in CLOSED


def merge_value(base, sides):
    changed, seen = None, False
    for v in sides:
        if v == base:
            continue
        if seen and changed != v:
            return CONFLICT
        changed, seen = v, True
    return changed if seen else base


MISSING = object()


def merge_list(base, sides):
    """A list field merged element by element: the first side's elements no side removed, then each
    other side's additions; a conflict when a value is not a list."""
    lists = []
    for v in [base] + sides:
        if v is MISSING:
            lists.append([] if not lists else None)
        else:
            x = json.loads(v)
            lists.append(x if isinstance(x, list) else None)
    if any(x is None for x in lists):
        return CONFLICT
    b, first_side, others = lists[0], lists[1], lists[2:]
    out = [e for e in first_side if all(e not in b or e in o for o in others)]
    for o in others:
        out += [e for e in o if e not in b and e not in out]
    return canonical(out)


def longest_increasing(seq):
    """The positions of a longest increasing subsequence of `seq` (patience sorting, as history.cpp)."""
    tails, tail_at, before = [], [], [None] * len(seq)
    for i, v in enumerate(seq):
        k = bisect.bisect_left(tails, v)
        if k > 0:
            before[i] = tail_at[k - 1]
        if k == len(tails):
            tails.append(v)
            tail_at.append(i)
        else:
            tails[k], tail_at[k] = v, i
    out = [False] * len(seq)
    i = tail_at[-1] if tails else None
    while i is not None:
        out[i] = True
        i = before[i]
    return out


def pairwise_order(base, sides):
    """history::pairwise_order: the base's records that a side still has, each pair as a side that
    reordered it has it (else as in the base); None when no order holds every pair."""
    kept = {rid for side in sides for rid, _ in side}
    index, ids = {}, []
    for rid, _ in base:
        if rid in kept and rid not in index:
            index[rid] = len(ids)
            ids.append(rid)
    n, pos, moved = len(ids), [], [False] * len(ids)
    for side in sides:
        at, seq = [None] * n, []
        for rid, _ in side:
            i = index.get(rid)
            if i is not None and at[i] is None:
                at[i] = len(seq)
                seq.append(i)
        for j, stays in enumerate(longest_increasing(seq)):
            if not stays:
                moved[seq[j]] = True
        pos.append(at)

    def before(x, y):
        for at in pos:
            if at[x] is not None and at[y] is not None and (at[x] < at[y]) != (x < y):
                return at[x] < at[y]
        return x < y

    still = [i for i in range(n) if not moved[i]]
    gaps = [[] for _ in range(len(still) + 1)]
    for x in (i for i in range(n) if moved[i]):
        g = 0
        while g < len(still) and before(still[g], x):
            g += 1
        if any(before(still[i], x) for i in range(g, len(still))):
            return None
        a = 0
        while a < len(gaps[g]) and before(gaps[g][a], x):
            a += 1
        gaps[g].insert(a, x)
    out, placed = [], []
    for g in range(len(still) + 1):
        for x in gaps[g]:
            out.append(ids[x])
            placed.append(x)
        if g < len(still):
            out.append(ids[still[g]])
    if any(not before(placed[i], placed[j]) for i in range(len(placed)) for j in range(i + 1, len(placed))):
        return None
    return out


def merge_order(base_ids, sides, leader, first=None):
    """history::merge's order: the leading side's records (or the base's records in `first`'s order),
    then each side's additions placed after their predecessor on that side (earlier sides' additions at
    one place first)."""
    seq, at = [], {}
    if first is not None:
        for rid in first:
            seq.append(rid)
            at[rid] = 0
    else:
        for rid, _ in sides[leader]:
            if rid not in at:
                seq.append(rid)
                at[rid] = leader
    for s, side in enumerate(sides):
        if s == leader and first is None:
            continue
        anchor = 0
        for rid, _ in side:
            if rid in at:
                anchor = seq.index(rid) + 1
                continue
            while anchor < len(seq) and seq[anchor] not in base_ids and at[seq[anchor]] < s:
                anchor += 1
            seq.insert(anchor, rid)
            at[rid] = s
            anchor += 1
    return seq


def merge(base, parents):
    """history::merge: field by field (list fields element by element where sides differ); records in
    the order of the one parent that reordered, or, when several did, pair by pair (pairwise_order;
    the first parent's order where their moves contradict one another)."""
    out = {}
    for kind in KINDS:
        in_base = first(base[kind])
        in_parents = [first(p[kind]) for p in parents]

        def open_ids(a, b):
            there = {rid for rid, _ in b}
            return [rid for rid, f in a if is_open(f) and rid in there]

        reordered = [i for i, p in enumerate(parents) if open_ids(p[kind], base[kind]) != open_ids(base[kind], p[kind])]
        leader = reordered[0] if len(reordered) == 1 else 0
        pairwise = pairwise_order(base[kind], [p[kind] for p in parents]) if len(reordered) > 1 else None
        records = []
        for rid in merge_order(set(in_base), [p[kind] for p in parents], leader, pairwise):
            b = in_base.get(rid)
            sides = [p.get(rid) for p in in_parents]
            exists = merge_value(b is not None, [s is not None for s in sides])
            if not exists:
                continue
            names = set(b or {})
            for side in sides:
                names |= set(side or {})
            fields = {}
            for name in sorted(names):
                bv = (b or {}).get(name, MISSING)
                vals = [(side or {}).get(name, MISSING) for side in sides]
                v = merge_value(bv, vals)
                if v == CONFLICT and name in LIST_FIELDS[kind]:
                    v = merge_list(bv, vals)
                if v is not MISSING:
                    fields[name] = v
            records.append((rid, fields))
        out[kind] = records
    return out


def resolve_to_first(merged, first_parent):
    out = {}
    for kind in KINDS:
        in_first = first(first_parent[kind])
        records = []
        for rid, fields in merged[kind]:
            fixed = {}
            for name, v in fields.items():
                if v == CONFLICT:
                    v = (in_first.get(rid) or {}).get(name, MISSING)
                if v is not MISSING:
                    fixed[name] = v
            records.append((rid, fixed))
        out[kind] = records
    return out


def diff(old, new):
    """Each commit's own changes: (kind, id, field, flags, values), values the field's old and new."""
    out = []
    for kind in KINDS:
        before, after = first(old[kind]), first(new[kind])
        for rid, fields in after.items():
            if rid not in before:
                out.append((kind, rid, "create", (), ()))
                continue
            was = before[rid]
            flags = tuple(sorted({n for r in (was, fields) for n, v in r.items() if v == "true"}))
            for name in sorted(set(was) | set(fields)):
                if was.get(name) != fields.get(name):
                    out.append((kind, rid, name, flags, (was.get(name), fields.get(name))))
        for rid in before:
            if rid not in after:
                out.append((kind, rid, "delete", (), ()))
        keep = lambda rid: rid in before and rid in after and (is_open(before[rid]) or is_open(after[rid]))
        was = [rid for rid in dict.fromkeys(r for r, _ in old[kind]) if keep(rid)]
        now = [rid for rid in dict.fromkeys(r for r, _ in new[kind]) if keep(rid)]
        # The first record out of the old order names the move, unless its place in the kind's whole
        # list (done records included) is the same on both sides: then the first whose place changed.
        places = [r for r, _ in old[kind]], [r for r, _ in new[kind]]
        moved = lambda rid: places[0].index(rid) != places[1].index(rid)
        for a, b in zip(now, was):
            if a != b:
                out.append((kind, a if moved(a) else next((r for r in now if moved(r)), a), "order", (), ()))
                break
    return out


def matches(rule_value, value):
    """Whether a field's value (canonical JSON) is the VALUE of a rule `FIELD=VALUE`: a string equal to
    it, a number equal to it as a number, a boolean spelt so; never a list, a mapping or null."""
    if value is None or value == CONFLICT:
        return False
    v = json.loads(value)
    if isinstance(v, bool):
        return rule_value == ("true" if v else "false")
    if isinstance(v, (int, float)):
        try:
            return float(rule_value) == v
        except ValueError:
            return False
    return isinstance(v, str) and v == rule_value


def requirement(rules, kind, field, flags, values):
    """SPEC 3: FIELD=VALUE for the old or new value, then FIELD if FLAG, then FIELD, then "*"."""
    rules = rules[kind]
    if field == "create":
        return rules["create"]
    if field == "delete":
        return rules["delete"]
    for value in values:
        for key, req in rules["fields"].items():
            name, eq, rule_value = key.partition("=")
            if eq and name == field and matches(rule_value, value):
                return req
    for flag in flags:
        if f"{field} if {flag}" in rules["fields"]:
            return rules["fields"][f"{field} if {flag}"]
    return rules["fields"].get(field, rules["fields"]["*"])


def satisfied(req, roles):
    if isinstance(req, dict):
        return all(r in roles for r in req["all"])
    return any(r in roles for r in req)


def audit(repo, base, tip):
    """The model's findings for `tandem audit base..tip`: a set of (commit, kind, id, field, code)."""
    git = Git(repo)
    try:
        return _audit(git, base, tip)
    finally:
        git.close()


def _commits(git, base, tip):
    out = []
    log = git.run("log", "--format=%H%x00%P%x00%ae%x00%ct%x00%B%x01", "--topo-order", "--reverse", f"{base}..{tip}")
    for entry in log.split("\x01"):
        entry = entry.strip("\n")
        if not entry:
            continue
        sha, parents, email, ctime, body = entry.split("\x00")
        out.append({"sha": sha, "parents": parents.split(), "email": email.lower(), "time": int(ctime),
                    "approved_by": [m.lower() for m in re.findall(r"^Approved-by: [^<\n]+<([^>\n]+)>$", body, re.M)],
                    "approves": re.findall(r"^Approves: ([0-9a-f]{40})$", body, re.M)})
    return out


def _audit(git, base, tip):
    import yaml

    people = {email: (pid, roles) for pid, _, email, roles in PEOPLE}
    commits = _commits(git, base, tip)
    in_range = {c["sha"] for c in commits}
    versions = {}

    def version(rev):
        if rev not in versions:
            versions[rev] = read_version(git, rev)
        return versions[rev]

    empty = {kind: [] for kind in KINDS}
    for c in commits:
        after = version(c["sha"])
        if not c["parents"]:
            before = empty
        elif len(c["parents"]) == 1:
            before = version(c["parents"][0])
        else:
            mb = git.run("merge-base", *c["parents"]).strip()
            before = resolve_to_first(merge(version(mb), [version(p) for p in c["parents"]]), version(c["parents"][0]))
        c["before"], c["after"] = before, after
        c["changes"] = diff(before, after)

    # The net change and who set each part.
    net_from = git.run("merge-base", base, tip).strip()
    landed = version(tip) if net_from == base else merge(version(net_from), [version(base), version(tip)])
    parts = net_parts(version(base), landed)
    for c in commits:
        c["sets"] = set_parts(parts, c["before"], c["after"], c["sha"])

    # Approval commits, and who approves what.
    def ancestors(sha):
        seen, todo = set(), [sha]
        while todo:
            s = todo.pop()
            if s in seen or s not in in_range:
                continue
            seen.add(s)
            todo += next(c for c in commits if c["sha"] == s)["parents"]
        return seen

    roles = {}
    for c in commits:
        if c["changes"] or c["sets"]:
            continue
        approver = people.get(c["email"])
        for target in c["approves"]:
            if target in in_range and approver:
                for s in ancestors(target):
                    roles.setdefault(s, []).append(approver)
    for c in commits:
        maker = people.get(c["email"])
        have = set(maker[1]) if maker else set()
        for email in c["approved_by"]:
            p = people.get(email)
            if p and p != maker:
                have |= set(p[1])
        for p in roles.get(c["sha"], []):
            if p != maker:
                have |= set(p[1])
        c["roles"] = have

    config = yaml.safe_load(git.show(base, "tandem.yaml"))
    rules = {kind: config["ownership"][kind] for kind in KINDS}
    findings = set()
    for c in commits:
        for kind, rid, field, flags, values in c["changes"]:
            if not satisfied(requirement(rules, kind, field, flags, values), c["roles"]):
                findings.add((c["sha"], kind, rid, field, "ownership-violation"))
    by_sha = {c["sha"]: c for c in commits}
    tip_sha = git.run("rev-parse", tip).strip()
    order = {}
    for part in parts:
        if part["of_created"] and part["creators"]:
            continue
        req = requirement(rules, part["kind"], part["field"], part["flags"], part["values"])
        if any(satisfied(req, by_sha[s]["roles"]) for s in part["setters"]):
            continue
        who = max(part["setters"], key=lambda s: by_sha[s]["time"], default=tip_sha)
        if part["field"] == "order":
            key = (who, part["kind"])
            if key not in order or part["rank"] < order[key]["rank"]:
                order[key] = part
            continue
        findings.add((who, part["kind"], part["id"], part["field"], "ownership-violation"))
    for (who, kind), part in order.items():
        if not any(f[0] == who and f[1] == kind and f[3] == "order" for f in findings):
            findings.add((who, kind, part["id"], "order", "ownership-violation"))
    return findings


def net_parts(base, landed):
    parts = []
    for kind in KINDS:
        b, l = first(base[kind]), first(landed[kind])
        for rid, fields in l.items():
            if rid in b:
                flags = tuple(sorted({n for r in (b[rid], fields) for n, v in r.items() if v == "true"}))
                for name in sorted(set(b[rid]) | set(fields)):
                    new = fields.get(name)
                    if b[rid].get(name) != new and new != CONFLICT:
                        parts += field_parts(kind, rid, name, b[rid].get(name), new, flags, False)
            else:
                parts.append(part(kind, rid, "create", None, ()))
                flags = tuple(sorted(n for n, v in fields.items() if v == "true"))
                for name, new in fields.items():
                    if new != CONFLICT:
                        parts += field_parts(kind, rid, name, None, new, flags, True)
        for rid in b:
            if rid not in l:
                parts.append(part(kind, rid, "delete", None, ()))
        both = [rid for rid in l if rid in b and is_open(b[rid]) and is_open(l[rid])]
        rank = {rid: i for i, rid in enumerate(both)}
        base_order = [rid for rid in b if rid in rank]
        for i, y in enumerate(base_order):
            for x in base_order[i + 1:]:
                if rank[x] < rank[y]:  # x stands before y now, after it in the base
                    parts.append(part(kind, x, "order", None, (), other=y, rank=rank[x]))
    return parts


def elements(kind, field, value):
    """A list field's elements (an absent value: none); None for any other field or value."""
    if field not in LIST_FIELDS[kind]:
        return None
    if value is None:
        return []
    x = json.loads(value)
    return [canonical(e) for e in x] if isinstance(x, list) else None


def field_parts(kind, rid, name, old, new, flags, of_created):
    """A field's change: one part, or for a list field one part per element added or removed. Each part
    is judged with the field's value in the base and as it lands (value rules)."""
    was, now = elements(kind, name, old), elements(kind, name, new)
    values = (old, new)
    if was is None or now is None:
        return [part(kind, rid, name, new, flags, of_created=of_created, values=values)]
    return ([part(kind, rid, name, None, flags, of_created=of_created, element=("+", e), values=values)
             for e in now if e not in was] +
            [part(kind, rid, name, None, flags, of_created=of_created, element=("-", e), values=values)
             for e in was if e not in now])


def part(kind, rid, field, new, flags, of_created=False, other=None, rank=0, element=None, values=()):
    return {"kind": kind, "id": rid, "field": field, "new": new, "flags": flags, "of_created": of_created,
            "other": other, "rank": rank, "element": element, "values": values, "setters": [], "creators": []}


def set_parts(parts, before, after, sha):
    """The parts this commit set to their landed value; records its creations of created records."""
    sets = False
    for p in parts:
        kind, rid = p["kind"], p["id"]
        b, a = first(before[kind]), first(after[kind])
        created = rid not in b and rid in a
        if p["field"] == "create":
            hit = created
        elif p["field"] == "delete":
            hit = rid in b and rid not in a
        elif p["field"] == "order":
            order_b = list(dict.fromkeys(r for r, _ in before[kind]))
            order_a = list(dict.fromkeys(r for r, _ in after[kind]))
            x, y = rid, p["other"]
            hit = all(r in order_b and r in order_a for r in (x, y)) and \
                order_b.index(x) > order_b.index(y) and order_a.index(x) < order_a.index(y)
        else:
            old = (b.get(rid) or {}).get(p["field"])
            new = (a.get(rid) or {}).get(p["field"])
            if p["element"]:
                sign, e = p["element"]
                was, now = elements(kind, p["field"], old), elements(kind, p["field"], new)
                hit = was is not None and now is not None and (
                    (e not in was and e in now) if sign == "+" else (e in was and e not in now))
            else:
                hit = old != new and new == p["new"]
            if hit and created:
                p["creators"].append(sha)
        if hit:
            p["setters"].append(sha)
            sets = True
    return sets


# ---------------------------------------------------------------------------------------------------
# Random histories


class History:
    """A random history built as a git fast-import stream: a main line, branches from it (some forked
    before the base), edits by people of every role, merges in either parent order resolved cleanly, to
    one side, to a third value or as `-s ours`, approvals."""

    def __init__(self, rng, gap=None, declare_roles=False):
        """`gap`: (least, most) seconds between commits, drawn at random (default one minute each);
        `declare_roles`: as config_text's."""
        self.rng = rng
        self.gap = gap
        self.declare_roles = declare_roles
        self.stream = []
        self.mark = 0
        self.time = 1_800_000_000
        self.plans = {}     # mark → plan
        self.parents = {}   # mark → [marks]
        self.branches = {}  # name → mark
        self.ids = {"backlog": [f"I{i}" for i in range(1, 9)], "roadmap": ["M1", "M2", "M3"],
                    "risks": ["R1", "R2", "R3"]}

    # The plan: kind → list of (id, fields, file)
    def initial_plan(self):
        plan = {"backlog": [], "roadmap": [], "risks": []}
        for i in range(1, 5):
            plan["backlog"].append((f"I{i}", self.item(f"I{i}"), FILES["backlog"][i // 3]))
        plan["roadmap"].append(("M1", {"title": "First", "target": "2027-03-01", "committed": True}, "roadmap.yaml"))
        plan["roadmap"].append(("M2", {"title": "Second", "target": "2027-04-01", "committed": False}, "roadmap.yaml"))
        plan["risks"].append(("R1", {"title": "Risk", "probability": 2, "impact": 3, "status": "open"}, "risks.yaml"))
        return plan

    def item(self, rid):
        r = self.rng
        item = {"title": f"{rid} {r.choice(['a', 'b'])}", "value": r.randint(1, 4), "estimate": r.randint(1, 3),
                "status": r.choice(["todo", "todo", "doing"])}
        if r.random() < 0.5:
            item["tags"] = self.tags()
        return item

    def tags(self):
        return self.rng.sample(["x", "y", "z"], self.rng.randint(0, 3))

    def files(self, plan):
        out = {"tandem.yaml": config_text(self.declare_roles)}
        for kind in KINDS:
            for path in FILES[kind]:
                recs = [(rid, f) for rid, f, p in plan[kind] if p == path]
                if not recs and path == "later.yaml":
                    out[path] = "items: []\n"
                    continue
                lines = [f"{LIST_KEY[kind]}:"]
                for rid, fields in recs:
                    lines.append(f"  - id: {rid}")
                    for k, v in fields.items():
                        lines.append(f"    {k}: {json.dumps(v)}")
                out[path] = "\n".join(lines) + "\n" if recs else f"{LIST_KEY[kind]}: []\n"
        return out

    def commit(self, branch, plan, person, message, parents):
        self.mark += 1
        self.time += self.rng.randint(*self.gap) if self.gap else 60
        mark = self.mark
        _, name, email, _ = person
        s = []
        s.append(f"commit refs/heads/{branch}\nmark :{mark}\n")
        s.append(f"author {name} <{email}> {self.time} +0000\ncommitter {name} <{email}> {self.time} +0000\n")
        data = message.encode()
        s.append(f"data {len(data)}\n{message}\n")
        if parents:
            s.append(f"from :{parents[0]}\n")
            for p in parents[1:]:
                s.append(f"merge :{p}\n")
        s.append("deleteall\n")
        for path, text in self.files(plan).items():
            b = text.encode()
            s.append(f"M 100644 inline {path}\ndata {len(b)}\n{text}\n")
        self.stream.append("".join(s))
        self.plans[mark] = plan
        self.parents[mark] = parents
        self.branches[branch] = mark
        return mark

    def copy(self, plan):
        return {k: [(rid, dict(f), p) for rid, f, p in v] for k, v in plan.items()}

    def edit(self, plan):
        """One random edit; returns the new plan (None when none applies)."""
        r = self.rng
        plan = self.copy(plan)
        kind = r.choice(["backlog", "backlog", "backlog", "roadmap", "risks"])
        recs = plan[kind]
        op = r.choice(["set", "set", "set", "create", "delete", "move", "done", "reopen", "drop"])
        present = {rid for rid, _, _ in recs}
        if op == "create":
            free = [i for i in self.ids[kind] if i not in present]
            if not free:
                return None
            rid = r.choice(free)
            fields = self.item(rid) if kind == "backlog" else (
                {"title": rid, "target": f"2027-0{r.randint(3, 6)}-01", "committed": r.random() < 0.5}
                if kind == "roadmap" else {"title": rid, "probability": r.randint(1, 5), "impact": 3, "status": "open"})
            recs.insert(r.randint(0, len(recs)), (rid, fields, r.choice(FILES[kind])))
            return plan
        if not recs:
            return None
        i = r.randrange(len(recs))
        rid, fields, path = recs[i]
        if op == "delete":
            del recs[i]
        elif op == "move":
            del recs[i]
            recs.insert(r.randint(0, len(recs)), (rid, fields, r.choice(FILES[kind])))
        elif op in ("done", "reopen", "drop") and kind != "roadmap":
            fields["status"] = {"done": "done" if kind == "backlog" else "closed",
                                "drop": "dropped" if kind == "backlog" else "occurred",
                                "reopen": "todo" if kind == "backlog" else "open"}[op]
        elif kind == "backlog":
            f = r.choice(["title", "value", "estimate", "status", "assignee", "tags", "tags"])
            fields[f] = {"title": f"{rid} {r.choice('abc')}", "value": r.randint(1, 4), "estimate": r.randint(1, 3),
                         "status": r.choice(["todo", "doing", "done", "dropped"]),
                         "assignee": r.choice(["dana", "dev2"]),
                         "tags": self.tags()}[f]
        elif kind == "roadmap":
            f = r.choice(["target", "target", "committed", "title"])
            fields[f] = {"target": f"2027-0{r.randint(3, 6)}-01", "committed": r.random() < 0.5,
                         "title": r.choice(["First", "Second", "Third"])}[f]
        else:
            f = r.choice(["probability", "status", "title"])
            fields[f] = {"probability": r.randint(1, 5), "status": r.choice(["open", "closed", "occurred"]),
                         "title": r.choice(["Risk", "Danger"])}[f]
        return plan

    def merged(self, base, ours, theirs, how):
        """The plan a merge commit holds: a clean record-level merge with conflicts resolved one way."""
        if how == "ours":
            return self.copy(ours)
        if how == "theirs":
            return self.copy(theirs)
        r = self.rng
        out = {}
        for kind in KINDS:
            b = {rid: (f, p) for rid, f, p in base[kind]}
            o = {rid: (f, p) for rid, f, p in ours[kind]}
            t = {rid: (f, p) for rid, f, p in theirs[kind]}
            order = [rid for rid, _, _ in ours[kind]] + [rid for rid, _, _ in theirs[kind] if rid not in o]
            recs = []
            for rid in order:
                if rid in b and (rid not in o or rid not in t):
                    if r.random() < 0.5:
                        continue  # deleted on one side
                src = [x for x in (o.get(rid), t.get(rid)) if x]
                fields = {}
                for name in set().union(*(x[0] for x in src)):
                    vals = [x[0][name] for x in src if name in x[0]]
                    bv = b.get(rid, ({}, None))[0].get(name)
                    changed = [v for v in vals if v != bv]
                    fields[name] = changed[0] if changed and (len(set(map(str, changed))) == 1 or how == "first") \
                        else r.choice(vals)
                    if how == "third" and r.random() < 0.2 and name == "value":
                        fields[name] = r.randint(5, 9)
                recs.append((rid, fields, src[0][1]))
            out[kind] = recs
        return out

    def build(self):
        r = self.rng
        people = PEOPLE + [OUTSIDER]
        main = self.commit("main", self.initial_plan(), PEOPLE[0], "plan", [])
        for _ in range(r.randint(0, 3)):  # history before the base
            plan = self.edit(self.plans[self.branches["main"]])
            if plan:
                self.commit("main", plan, r.choice(PEOPLE), "before the base", [self.branches["main"]])
        forks = list(self.plans)
        branches = ["main"]
        for step in range(r.randint(8, 30)):
            roll = r.random()
            if (roll < 0.08 and len(branches) < 4) or len(branches) == 1:
                name = f"b{len(branches)}"
                self.branches[name] = r.choice(forks + [self.branches[b] for b in branches])
                branches.append(name)
                continue
            branch = r.choice(branches)
            head = self.branches[branch]
            if roll < 0.3:
                other = r.choice([b for b in branches if b != branch])
                theirs = self.branches[other]
                if theirs == head:
                    continue
                mb = self.merge_base(head, theirs)
                plan = self.merged(self.plans[mb] if mb else self.initial_plan(), self.plans[head], self.plans[theirs],
                                   r.choice(["clean", "clean", "ours", "theirs", "third", "first"]))
                self.commit(branch, plan, r.choice(people), "Merge", [head, theirs])
            elif roll < 0.38:
                target = r.choice(list(self.ancestors(head)))
                # A placeholder of a commit id's length: make_repo puts the id in once it is known.
                self.commit_empty(branch, head, r.choice(PEOPLE), f"Approve\n\nApproves: {target:040d}")
            else:
                plan = self.edit(self.plans[head])
                if plan is None:
                    continue
                trailer = ""
                if r.random() < 0.15:
                    _, name, email, _ = r.choice(PEOPLE)
                    trailer = f"\n\nApproved-by: {name} <{email}>"
                self.commit(branch, plan, r.choice(people), "Edit" + trailer, [head])
        for name in branches:  # branches made but never committed to stand where they were made
            self.stream.append(f"reset refs/heads/{name}\nfrom :{self.branches[name]}\n\n")
        return branches

    def commit_empty(self, branch, head, person, message):
        return self.commit(branch, self.plans[head], person, message, [head])

    def ancestors(self, mark):
        seen, todo = set(), [mark]
        while todo:
            m = todo.pop()
            if m not in seen:
                seen.add(m)
                todo += self.parents[m]
        return seen

    def merge_base(self, a, b):
        common = self.ancestors(a) & self.ancestors(b)
        best = [m for m in common if not any(m != o and m in self.ancestors(o) for o in common)]
        return max(best) if best else None


def fast_import(repo, pieces):
    """Imports a fast-import stream given in pieces (one commit each) into a new repository. A piece that
    says `Approves: <40-digit mark>` gets the id of that mark's commit, asked of fast-import as it goes
    (`get-mark`). Returns the stream as imported."""
    subprocess.run(["git", "init", "-q", "-b", "main", repo], check=True)
    r, w = os.pipe()
    p = subprocess.Popen(["git", "-C", repo, "fast-import", "--quiet", f"--cat-blob-fd={w}"], stdin=subprocess.PIPE,
                         pass_fds=(w,))
    os.close(w)
    answers = os.fdopen(r, "rb")

    def commit_id(match):
        p.stdin.write(f"get-mark :{int(match.group(1))}\n".encode())
        p.stdin.flush()
        return "Approves: " + answers.readline().decode().strip() + "\n"

    out = []
    for piece in pieces:
        piece = re.sub(r"Approves: (\d{40})\n", commit_id, piece)
        out.append(piece)
        p.stdin.write(piece.encode())
    p.stdin.close()
    if p.wait() != 0:
        raise AssertionError("git fast-import failed")
    answers.close()
    return "".join(out)


def make_repo(root, seed, **history):
    """Builds the history of `seed` in a new repository under `root`; returns (repo, base, tip, stream).
    `history`: History's options (gap, declare_roles)."""
    rng = random.Random(seed)
    h = History(rng, **history)
    branches = h.build()
    repo = os.path.join(root, f"h{seed}")
    stream = fast_import(repo, h.stream)
    base = "main"
    tip = max((b for b in branches if b != "main"), key=lambda b: len(h.ancestors(h.branches[b]) - h.ancestors(h.branches["main"])))
    return repo, base, tip, stream


def tandem_findings(binary, repo, base, tip):
    out = subprocess.run([binary, "-C", repo, "audit", f"{base}..{tip}", "--format", "json"], capture_output=True,
                         text=True, timeout=120)
    if out.returncode not in (0, 1):
        raise AssertionError(f"tandem audit exited {out.returncode}: {out.stderr}")
    data = json.loads(out.stdout)
    found = {(v["commit"], v["kind"], v["id"], v["field"], v["code"]) for v in data["violations"]}
    return found, out.returncode, data


def check_repo(binary, repo, base, tip):
    """None when tandem and the model agree on the range; else a description of the difference."""
    git = Git(repo)
    try:
        base_sha = git.run("rev-parse", base).strip()
        tip_sha = git.run("rev-parse", tip).strip()
    finally:
        git.close()
    if base_sha == tip_sha:
        return None
    expected = audit(repo, base_sha, tip_sha)
    found, code, data = tandem_findings(binary, repo, base_sha, tip_sha)
    if data.get("problems"):
        return f"tandem reported problems: {data['problems']}"
    if found != expected or code != (1 if expected else 0):
        return (f"range {base_sha[:10]}..{tip_sha[:10]}: exit {code}\n  only tandem: {sorted(found - expected)}\n"
                f"  only the model: {sorted(expected - found)}")
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--keep", default=str(Path(__file__).resolve().parent / "regressions" / "audit"))
    args = ap.parse_args()
    binary = os.environ.get("TANDEM_BIN", str(Path(__file__).resolve().parents[2] / "build" / "dev" / "tandem"))
    end = time.time() + args.seconds
    tried = wrong = 0
    seed = args.seed
    with tempfile.TemporaryDirectory(prefix="tandem-model-") as root:
        while time.time() < end:
            repo, base, tip, stream = make_repo(root, seed)
            problem = check_repo(binary, repo, base, tip)
            tried += 1
            if problem:
                wrong += 1
                print(f"seed {seed}: {problem}", flush=True)
                os.makedirs(args.keep, exist_ok=True)
                Path(args.keep, f"seed-{seed}.fi").write_text(stream)
                Path(args.keep, f"seed-{seed}.range").write_text(f"{base} {tip}\n")
            subprocess.run(["rm", "-rf", repo], check=True)
            seed += 1
    print(f"{tried} histories tried, {wrong} wrong (seeds {args.seed}..{seed - 1})")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
