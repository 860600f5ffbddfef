"""End-to-end tests of `tandem log` and `tandem blame` through merges and in shallow clones (SPEC section 3).

The last value `log` shows for each field, and the value `blame` shows, are always the value in the file:
merges are judged by the three-way rule and marked, blame passes through a commit to the first parent that
holds the same value (as `git blame` does), and a shallow clone shows what it holds and where it is cut.
The property test builds random histories with `git fast-import` (branches, clean merges, `-s ours` merges,
conflicts resolved to either side or a third value, evil merges, fast-forwards) and checks every field of
every record at HEAD against an oracle of git blame's rule.
"""

import json
import random
import subprocess
import time
import unittest

from tandem_e2e import TandemTestCase, run
from test_git import CONFIG, PEOPLE, PLAN, Repo, git, git_env, new_repo, set_field


class LogBlameCase(TandemTestCase):

    def tandem(self, repo, *args):
        cwd = repo.root if isinstance(repo, Repo) else repo
        return run(*args, cwd=cwd, env={"GITHUB_STEP_SUMMARY": None, "ASAN_OPTIONS": "detect_leaks=0"})

    def json_of(self, repo, *args):
        r = self.tandem(repo, "--format", "json", *args)
        self.assertExit(r, 0)
        return r.json()

    def blame(self, repo, rid):
        return {f["field"]: f for f in self.json_of(repo, "blame", rid)["fields"]}


def last_shown(commits):
    """The record as `log --format json` last shows it: field → value (None when deleted)."""
    shown = None
    for c in commits:
        if c.get("cut"):
            shown = dict(c["values"])
            continue
        for ch in c["changes"]:
            if ch["field"] == "create":
                shown = dict(c.get("values") or {"title": ch["new"]})
            elif ch["field"] == "delete":
                shown = None
            elif ch["field"] != "order":
                shown = shown if shown is not None else {}
                if ch["new"] is None:
                    shown.pop(ch["field"], None)
                else:
                    shown[ch["field"]] = ch["new"]
    return shown


class TestMerges(LogBlameCase):

    def branch_8_to_13(self):
        """main and a branch `feature` that raised A-1's value 8 → 13; main then changed A-2."""
        repo = new_repo(self.tmp)
        c1 = repo.head()
        repo.git("checkout", "-q", "-b", "feature")
        c2 = repo.edit("bob", "raise", "backlog.yaml", lambda t: set_field(t, "A-1", "value", 13))
        repo.git("checkout", "-q", "main")
        c3 = repo.edit("carol", "estimate A-2", "backlog.yaml", lambda t: set_field(t, "A-2", "estimate", 9))
        return repo, c1, c2, c3

    def test_merge_ours_keeps_8(self):
        repo, c1, c2, _ = self.branch_8_to_13()
        repo.git("merge", "-q", "-s", "ours", "-m", "merge feature, keep ours", "feature", env=repo.env_for("alice"))
        m = repo.head()
        self.assertIn("value: 8\n", repo.read("backlog.yaml"))
        value = self.blame(repo, "A-1")["value"]
        self.assertEqual((value["value"], value["commit"], value.get("cut")), (8, c1, False))
        data = self.json_of(repo, "log", "A-1")
        self.assertEqual(last_shown(data["commits"])["value"], 8)
        last = data["commits"][-1]
        self.assertEqual((last["commit"], last["merge"]), (m, True))
        self.assertEqual([(c["field"], c["old"], c["new"]) for c in last["changes"]], [("value", 13, 8)])
        self.assertEqual(data["cut"], [])
        text = self.tandem(repo, "log", "A-1")
        self.assertExit(text, 0)
        self.assertRegex(text.out, r"value: 13 → 8 \(merge\)")
        self.assertIn(c2[:10], text.out)

    def test_clean_merge_passes_blame_to_the_branch_commit(self):
        repo, c1, c2, c3 = self.branch_8_to_13()
        repo.git("merge", "-q", "--no-ff", "-m", "merge feature", "feature", env=repo.env_for("alice"))
        blame = self.blame(repo, "A-1")
        self.assertEqual((blame["value"]["value"], blame["value"]["commit"]), (13, c2))
        self.assertEqual(blame["title"]["commit"], c1)
        self.assertEqual(self.blame(repo, "A-2")["estimate"]["commit"], c3)
        data = self.json_of(repo, "log", "A-1")
        # A clean merge made nothing of its own: no merge line, and the log ends on 13.
        self.assertEqual([c["commit"] for c in data["commits"]], [c1, c2])
        self.assertEqual(last_shown(data["commits"])["value"], 13)

    def conflict(self, name):
        """main sets A-1's value 8 → 5, the branch 8 → 13; `git merge` stops on the conflict."""
        repo = new_repo(self.tmp, name)
        repo.git("checkout", "-q", "-b", "feature")
        c2 = repo.edit("bob", "raise", "backlog.yaml", lambda t: set_field(t, "A-1", "value", 13))
        repo.git("checkout", "-q", "main")
        c3 = repo.edit("alice", "lower", "backlog.yaml", lambda t: set_field(t, "A-1", "value", 5))
        p = subprocess.run(["git", "merge", "-q", "--no-ff", "feature"], cwd=repo.root, env=git_env(),
                           capture_output=True)
        self.assertNotEqual(p.returncode, 0, "the merge should conflict")
        return repo, c2, c3

    def test_conflict_resolved_by_hand(self):
        for resolved in (5, 13, 21):
            with self.subTest(resolved=resolved):
                repo, c2, c3 = self.conflict(f"repo{resolved}")
                repo.git("checkout", "-q", "--theirs" if resolved == 13 else "--ours", "backlog.yaml")
                repo.edit("carol", "merge feature", "backlog.yaml",
                          lambda t: set_field(t, "A-1", "value", resolved))
                m = repo.head()
                self.assertEqual(len(repo.git("rev-list", "--parents", "-n1", "HEAD").split()), 3)
                value = self.blame(repo, "A-1")["value"]
                self.assertEqual((value["value"], value["commit"]), (resolved, {5: c3, 13: c2, 21: m}[resolved]))
                data = self.json_of(repo, "log", "A-1")
                self.assertEqual(last_shown(data["commits"])["value"], resolved, json.dumps(data, indent=1))
                text = self.tandem(repo, "blame", "A-1")
                self.assertRegex(next(l for l in text.lines if l.startswith("value")), rf"value\s+{resolved}\s")


class TestPositions(LogBlameCase):

    def test_a_move_names_the_positions_the_file_has(self):
        """Issue 27: a move from 5th to 1st, with done items above it, is "from position 5 to 1", as the file
        has them (not its place among the open records only)."""
        items = ["  - {id: D-1, title: d, status: done, done: 2027-01-04}",
                 "  - {id: D-2, title: d, status: done, done: 2027-01-04}",
                 "  - {id: A-1, title: a}", "  - {id: A-2, title: b}", "  - {id: A-3, title: c}"]
        repo = new_repo(self.tmp, plan={**PLAN, "backlog.yaml": "items:\n" + "\n".join(items) + "\n"})
        moved = [items[4]] + items[:4]
        repo.commit("alice", "A-3 first", {"backlog.yaml": "items:\n" + "\n".join(moved) + "\n"})
        r = self.tandem(repo, "log", "A-3")
        self.assertExit(r, 0)
        self.assertIn("moved from position 5 to 1", r.out)
        changes = [c for e in self.json_of(repo, "log", "A-3")["commits"] for c in e["changes"]]
        self.assertIn({"old": 5, "new": 1}, [{"old": c["old"], "new": c["new"]} for c in changes
                                                  if c["field"] == "order"])


    def test_a_reorder_across_files_names_places_in_the_kinds_whole_list(self):
        """A files: glob of two backlog files; renaming the second so that it sorts first moves A-2 ahead
        of A-1: its place in the whole list, across the files in `files:` order, goes from 2 to 1 (in its
        own file it stays first, which read "from position 1 to 1")."""
        config = CONFIG.replace("priority:", 'files:\n  backlog: "backlog*.yaml"\npriority:')
        one = "items:\n  - {id: A-1, title: a, owner: alice, estimate: 1}\n"
        two = "items:\n  - {id: A-2, title: b, owner: alice, estimate: 1}\n"
        plan = {**{k: v for k, v in PLAN.items() if k != "backlog.yaml"}, "tandem.yaml": config,
                "backlog1.yaml": one, "backlog2.yaml": two}
        repo = new_repo(self.tmp, plan=plan)
        repo.git("mv", "backlog2.yaml", "backlog0.yaml")
        repo.commit("carol", "Rename")
        r = self.tandem(repo, "audit", "HEAD~1..HEAD")
        self.assertExit(r, 1)
        self.assertIn("A-2 moved from position 2 to 1 in commit", r.out)
        audit = self.tandem(repo, "audit", "HEAD~1..HEAD", "--format", "json").json()
        orders = [(v["old"], v["new"]) for v in audit["violations"] if v["field"] == "order"]
        self.assertEqual(orders, [(2, 1)])
        self.assertIn("moved from position 2 to 1", self.tandem(repo, "log", "A-2").out)
        # A-1 now comes before A-2 and a new N-1 before both: A-1 keeps its place (2), so the move names
        # A-2, whose place did change (1 to 3), rather than "A-1 moved from position 2 to 2".
        repo.commit("carol", "Regroup", {"backlog0.yaml": "items:\n  - {id: N-1, title: n, owner: alice, estimate: 1}\n",
                                         "backlog1.yaml": one + two.removeprefix("items:\n")})
        audit = self.tandem(repo, "audit", "HEAD~1..HEAD", "--format", "json").json()
        orders = [(v["id"], v["old"], v["new"]) for v in audit["violations"] if v["field"] == "order"]
        self.assertEqual(orders, [("A-2", 1, 3)])

class TestShallow(LogBlameCase):

    def origin(self):
        origin = new_repo(self.tmp, "origin")
        ids = [origin.head()]
        ids.append(origin.edit("bob", "value", "backlog.yaml", lambda t: set_field(t, "A-2", "value", 13)))
        ids.append(origin.edit("carol", "other", "backlog.yaml", lambda t: set_field(t, "A-3", "estimate", 8)))
        ids.append(origin.edit("alice", "retitle", "backlog.yaml",
                               lambda t: set_field(t, "A-2", "title", "Card and wallet")))
        git(self.tmp, "clone", "-q", "--bare", str(origin.root), str(self.tmp / "origin.git"))
        return ids

    def clone(self, depth):
        clone = Repo.clone(f"file://{self.tmp / 'origin.git'}", self.tmp / f"depth{depth}", "--depth", str(depth))
        self.assertEqual(clone.git("rev-parse", "--is-shallow-repository"), "true")
        return clone

    def test_depth_1(self):
        ids = self.origin()
        clone = self.clone(1)
        head = ids[-1]
        data = self.json_of(clone, "log", "A-2")
        self.assertEqual(data["cut"], [head])
        self.assertEqual([(c["commit"], c["cut"]) for c in data["commits"]], [(head, True)])
        self.assertEqual(last_shown(data["commits"])["title"], "Card and wallet")
        self.assertEqual(last_shown(data["commits"])["value"], 13)
        blame = self.blame(clone, "A-2")
        self.assertEqual({(f["commit"], f["cut"]) for f in blame.values()}, {(head, True)})
        self.assertEqual(blame["value"]["value"], 13)
        text = self.tandem(clone, "log", "A-2")
        self.assertExit(text, 0)
        self.assertIn(f"cut at commit {head[:10]} (shallow clone)", text.out)
        self.assertIn("history starts here", text.out)
        text = self.tandem(clone, "blame", "A-2")
        self.assertExit(text, 0)
        self.assertIn("at or before", next(l for l in text.lines if l.startswith("value")))
        self.assertIn(f"cut at commit {head[:10]} (shallow clone)", text.out)

    def test_depth_2(self):
        ids = self.origin()
        clone = self.clone(2)
        data = self.json_of(clone, "log", "A-2")
        self.assertEqual(data["cut"], [ids[-2]])
        self.assertEqual([(c["commit"], c["cut"]) for c in data["commits"]], [(ids[-2], True), (ids[-1], False)])
        blame = self.blame(clone, "A-2")
        self.assertEqual((blame["title"]["commit"], blame["title"]["cut"]), (ids[-1], False))
        self.assertEqual((blame["value"]["commit"], blame["value"]["cut"], blame["value"]["value"]), (ids[-2], True, 13))
        # The full clone blames the commit that set it.
        self.assertEqual(self.blame(self.tmp / "origin", "A-2")["value"]["commit"], ids[1])

    def test_depth_2_of_a_merge(self):
        origin = new_repo(self.tmp, "origin")
        origin.git("checkout", "-q", "-b", "feature")
        origin.edit("bob", "raise", "backlog.yaml", lambda t: set_field(t, "A-1", "value", 13))
        origin.git("checkout", "-q", "main")
        origin.edit("carol", "estimate", "backlog.yaml", lambda t: set_field(t, "A-2", "estimate", 9))
        origin.git("merge", "-q", "-s", "ours", "-m", "merge", "feature", env=origin.env_for("alice"))
        git(self.tmp, "clone", "-q", "--bare", str(origin.root), str(self.tmp / "origin.git"))
        clone = self.clone(2)
        for rid in ("A-1", "A-2"):
            for cmd in ("log", "blame"):
                r = self.tandem(clone, cmd, rid)
                self.assertExit(r, 0)
                self.assertIn("(shallow clone)", r.out)
        self.assertEqual(self.blame(clone, "A-1")["value"]["value"], 8)
        self.assertEqual(last_shown(self.json_of(clone, "log", "A-1")["commits"])["value"], 8)


# --- the property test --------------------------------------------------------------------------------------

FIELDS = ("title", "value", "estimate")
WHO = list(PEOPLE)


def render(state):
    """backlog.yaml for a state: id → {field: value}, in insertion order."""
    lines = ["items:"]
    for rid, fields in state.items():
        lines.append("  - {id: " + rid + "".join(f", {k}: {v}" for k, v in fields.items()) + "}")
    return "\n".join(lines) + "\n"


def three_way(base, first, second, pick):
    """A field-level merge of two states; `pick(rid, field, ours, theirs)` resolves a conflict."""
    out = {}
    for rid in list(first) + [r for r in second if r not in first]:
        b, x, y = base.get(rid), first.get(rid), second.get(rid)
        if x is None or y is None:
            # One side deleted it: kept only where the other side changed nothing.
            other = y if x is None else x
            if other is not None and other != b:
                out[rid] = dict(other)
            continue
        rec = {}
        for f in list(x) + [f for f in y if f not in x]:
            bv, xv, yv = (b or {}).get(f), x.get(f), y.get(f)
            v = xv if xv == yv else yv if xv == bv else xv if yv == bv else pick(rid, f, xv, yv)
            if v is not None:
                rec[f] = v
        out[rid] = rec
    return out


class History:
    """A random history: commits (state, parents), built into a repository with git fast-import."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.states, self.parents = [], []
        self.heads = {}
        self.merges = 0

    def commit(self, state, parents):
        self.states.append(state)
        self.parents.append(parents)
        return len(self.states) - 1

    def ancestors(self, c):
        seen, todo = set(), [c]
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo.extend(self.parents[x])
        return seen

    def base(self, a, b):
        common = self.ancestors(a) & self.ancestors(b)
        return max(common)  # a latest common ancestor (commits are numbered in creation order)

    def value(self, field):
        return f"T{self.rng.randint(1, 4)}" if field == "title" else self.rng.randint(1, 4)

    def edit(self, state):
        state = {rid: dict(f) for rid, f in state.items()}
        for _ in range(self.rng.randint(1, 2)):
            roll = self.rng.random()
            missing = [r for r in ("A-1", "A-2", "A-3", "A-4", "A-5") if r not in state]
            if roll < 0.1 and missing:
                state[self.rng.choice(missing)] = {"title": self.value("title"), "value": self.value("value")}
            elif roll < 0.15 and len(state) > 2:
                del state[self.rng.choice(list(state))]
            elif state:
                rid = self.rng.choice(list(state))
                field = self.rng.choice(FIELDS)
                if field != "title" and field in state[rid] and self.rng.random() < 0.15:
                    del state[rid][field]
                else:
                    state[rid][field] = self.value(field)
        return state

    def build(self, commits):
        rng = self.rng
        n = rng.randint(3, 5)
        root = {f"A-{i}": {"title": f"T{i}", "value": rng.randint(1, 4), "estimate": rng.randint(1, 4)}
                for i in range(1, n + 1)}
        self.heads = {"main": self.commit(root, [])}
        while len(self.states) < commits:
            name = rng.choice(list(self.heads))
            roll = rng.random()
            if roll < 0.2 and len(self.heads) < 4:
                start = rng.choice(sorted(self.ancestors(self.heads[name])))
                self.heads[f"b{len(self.states)}"] = start
            elif roll < 0.45 and len(self.heads) > 1:
                other = rng.choice([b for b in self.heads if b != name])
                self.merge(name, other)
            else:
                self.heads[name] = self.commit(self.edit(self.states[self.heads[name]]), [self.heads[name]])
        for other in [b for b in self.heads if b != "main"]:
            self.merge("main", other)

    def merge(self, into, other):
        rng = self.rng
        a, b = self.heads[into], self.heads[other]
        if b in self.ancestors(a):
            return
        if a in self.ancestors(b) and rng.random() < 0.5:
            self.heads[into] = b  # fast-forward
            return
        kind = rng.choice(["clean", "clean", "ours", "evil"])
        if kind == "ours":
            state = {rid: dict(f) for rid, f in self.states[a].items()}
        else:
            base = self.states[self.base(a, b)]
            state = three_way(base, self.states[a], self.states[b],
                              lambda rid, f, x, y: rng.choice([x, y, self.value(f)]))
            if kind == "evil":
                state = self.edit(state)
        self.merges += 1
        self.heads[into] = self.commit(state, [a, b])

    def fast_import(self, root):
        """Writes the commits as marks :1… with fixed dates; main points at the last head of main."""
        out = []
        plan_config = CONFIG.encode()
        for i, (state, parents) in enumerate(zip(self.states, self.parents)):
            name, email = PEOPLE[WHO[i % len(WHO)]]
            data = render(state).encode()
            when = 1_800_000_000 + 3600 * i
            out.append(f"commit refs/heads/c\nmark :{i + 1}\n".encode())
            out.append(f"author {name} <{email}> {when} +0000\ncommitter {name} <{email}> {when} +0000\n".encode())
            msg = f"commit {i}".encode()
            out.append(b"data %d\n%s\n" % (len(msg), msg))
            if parents:
                out.append(f"from :{parents[0] + 1}\n".encode())
                for p in parents[1:]:
                    out.append(f"merge :{p + 1}\n".encode())
            else:
                out.append(b"deleteall\n")
            out.append(b"M 100644 inline tandem.yaml\ndata %d\n%s\n" % (len(plan_config), plan_config))
            out.append(b"M 100644 inline backlog.yaml\ndata %d\n%s\n" % (len(data), data))
        out.append(f"reset refs/heads/main\nfrom :{self.heads['main'] + 1}\n".encode())
        marks = root / "marks"
        git(root, "fast-import", "--quiet", f"--export-marks={marks}", input=b"".join(out))
        git(root, "reset", "-q", "--hard", "main")
        ids = {}
        for line in marks.read_text().split("\n"):
            if line:
                mark, sha = line.split()
                ids[sha] = int(mark[1:]) - 1
        marks.unlink()
        return ids

    def blame(self, c, rid, field):
        """git blame's rule: the commit that gave `field` of `rid` its value at commit `c`."""
        v = self.states[c][rid][field]
        while True:
            nxt = next((p for p in self.parents[c]
                        if rid in self.states[p] and self.states[p][rid].get(field) == v), None)
            if nxt is None:
                return c
            c = nxt


class TestProperty(LogBlameCase):
    """For every record and field at HEAD of random histories: blame's value == the file's value == log's last
    value, and blame names the commit git blame's rule names."""

    SEEDS = range(20)

    def test_random_histories(self):
        started = time.monotonic()
        merges = 0
        for seed in self.SEEDS:
            with self.subTest(seed=seed):
                h = History(seed)
                h.build(random.Random(seed).randint(10, 30))
                merges += h.merges
                root = self.tmp / f"seed{seed}"
                Repo(root)
                ids = h.fast_import(root)
                head = h.heads["main"]
                for rid, fields in h.states[head].items():
                    blame = self.blame(root, rid)
                    log = self.json_of(root, "log", rid)
                    shown = last_shown(log["commits"])
                    self.assertEqual(shown, fields, f"seed {seed} {rid}: log's last values\n{json.dumps(log, indent=1)}")
                    self.assertEqual({f: b["value"] for f, b in blame.items()}, fields, f"seed {seed} {rid}: blame")
                    for f, b in blame.items():
                        self.assertEqual(ids[b["commit"]], h.blame(head, rid, f), f"seed {seed} {rid} {f}: blamed commit")
                        self.assertFalse(b["cut"])
        self.assertGreater(merges, 20, "the histories should hold merges")
        self.assertLess(time.monotonic() - started, 240)  # a budget for a sanitizer build on a loaded 2-core machine


if __name__ == "__main__":
    unittest.main()
