"""End-to-end tests of tandem's git history commands: audit, log, blame, diff and --rev (SPEC section 3).

Every test builds a real git repository in a temporary directory with the `git` program: commits with
chosen authors, fixed dates, Approved-by trailers, a .mailmap, merges, renames, shallow clones. tandem
itself reads the history with libgit2 only.

The plan used throughout: PO alice, PM bob, developer carol; items A-1..A-3 in milestone M1 (committed,
target 2027-01-22); risk R1. With --today 2027-01-04 carol finishes the 10 workdays of M1 on 2027-01-15.
"""

import datetime as dt
import json
import mmap
import os
import re
import subprocess
import unittest
from pathlib import Path

from tandem_e2e import BIN, TandemTestCase, dedent, run, snapshot

TODAY = "2027-01-04"


def _sanitizer_build():
    """True when the binary is built with AddressSanitizer (the dev preset), whose leak checker can change exit codes."""
    try:
        with open(BIN, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
            return m.find(b"__asan_init") != -1
    except (OSError, ValueError):
        return False


ASAN_BUILD = _sanitizer_build()
NO_LEAK_CHECK = {"ASAN_OPTIONS": "detect_leaks=0"}

CONFIG = dedent("""
    version: 1
    project:
      name: Git audit test
      start: 2027-01-04
    people:
      - id: alice
        name: Alice Martin
        email: alice@example.com
        roles: [product_owner]
      - id: bob
        name: Bob Stone
        email: bob@example.com
        roles: [project_manager]
      - id: carol
        name: Carol Diaz
        email: carol@example.com
        roles: [developer]
    priority:
      model: wsjf
""")

BACKLOG = dedent("""
    items:
      - id: A-1
        title: Guest checkout
        owner: alice
        milestone: M1
        value: 8
        time_criticality: 5
        risk_reduction: 3
        size: 5
        estimate: 2
      - id: A-2
        title: Card payment
        owner: alice
        milestone: M1
        value: 5
        time_criticality: 3
        risk_reduction: 2
        size: 3
        estimate: 3
      - id: A-3
        title: Order history
        owner: alice
        milestone: M1
        value: 3
        time_criticality: 1
        risk_reduction: 1
        size: 8
        estimate: 5
""")

ROADMAP = dedent("""
    milestones:
      - id: M1
        title: Beta
        owner: bob
        target: 2027-01-22
        committed: true
""")

RISKS = dedent("""
    risks:
      - id: R1
        title: Payment provider changes its API
        owner: bob
        probability: 3
        impact: 4
        response: mitigate
        mitigation: Pin the API version
        review: 2027-06-01
        affects: [A-2]
""")

PLAN = {"tandem.yaml": CONFIG, "backlog.yaml": BACKLOG, "roadmap.yaml": ROADMAP, "risks.yaml": RISKS}

PEOPLE = {
    "alice": ("Alice Martin", "alice@example.com"),
    "bob": ("Bob Stone", "bob@example.com"),
    "carol": ("Carol Diaz", "carol@example.com"),
}

ALL_PO_PM = "{all: [product_owner, project_manager]}"


# --- editing YAML text -------------------------------------------------------------------------------------

def _record_span(lines, rid):
    """(first, end) line indexes of the list element whose id is `rid`."""
    start = next(i for i, l in enumerate(lines) if re.match(rf"^\s*- id: {re.escape(rid)}\s*$", l))
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = start + 1
    while end < len(lines) and not (lines[end].strip() and len(lines[end]) - len(lines[end].lstrip()) <= indent):
        end += 1
    return start, end


def set_field(text, rid, field, value):
    """`text` with the field of record `rid` set to `value` (YAML text), replacing or appending the line."""
    lines = text.splitlines(keepends=True)
    start, end = _record_span(lines, rid)
    for i in range(start + 1, end):
        if re.match(rf"^\s+{re.escape(field)}:", lines[i]):
            lines[i] = re.sub(rf"({re.escape(field)}:).*", lambda m: f"{m.group(1)} {value}", lines[i])
            return "".join(lines)
    lines.insert(end, f"    {field}: {value}\n")
    return "".join(lines)


def line_of(text, rid, field=None):
    """1-based line of `field` of record `rid` in `text` (of its `- id:` line when field is None)."""
    lines = text.splitlines()
    start, end = _record_span(lines, rid)
    if field is None:
        return start + 1
    for i in range(start + 1, end):
        if re.match(rf"^\s+{re.escape(field)}:", lines[i]):
            return i + 1
    raise AssertionError(f"{rid} has no field {field}")


def remove_record(text, rid):
    lines = text.splitlines(keepends=True)
    start, end = _record_span(lines, rid)
    return "".join(lines[:start] + lines[end:])


def move_record_before(text, rid, before):
    """Moves the element `rid` just before the element `before`."""
    lines = text.splitlines(keepends=True)
    start, end = _record_span(lines, rid)
    block = lines[start:end]
    rest = lines[:start] + lines[end:]
    at, _ = _record_span(rest, before)
    return "".join(rest[:at] + block + rest[at:])


NEW_ITEM = (
    "  - id: A-4\n"
    "    title: Invoice payment\n"
    "    owner: alice\n"
    "    milestone: M1\n"
    "    value: 2\n"
    "    time_criticality: 2\n"
    "    risk_reduction: 1\n"
    "    size: 2\n"
    "    estimate: 1\n"
)


# --- real git repositories --------------------------------------------------------------------------------

def git_env(extra=None):
    env = dict(os.environ)
    env.update({"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_TERMINAL_PROMPT": "0",
                "LC_ALL": "C"})
    for k in [k for k in env if k.startswith(("GIT_AUTHOR_", "GIT_COMMITTER_", "GIT_DIR", "GIT_WORK_TREE"))]:
        del env[k]
    if extra:
        env.update(extra)
    return env


def git(cwd, *args, env=None, input=None):
    """Runs git; returns its stdout as text (fails the test with git's stderr on error)."""
    p = subprocess.run(["git", *args], cwd=cwd, env=env or git_env(), input=input, capture_output=True)
    if p.returncode != 0:
        raise AssertionError(f"git {' '.join(map(str, args))} failed:\n{p.stderr.decode('utf-8', 'replace')}")
    return p.stdout.decode("utf-8", "replace").strip()


class Repo:
    """A git work tree with a counter for reproducible, increasing commit dates (one day per commit)."""

    START = dt.datetime(2027, 1, 5, 12, 0, 0)

    def __init__(self, root, init=True):
        self.root = Path(root)
        self.n = 0
        if init:
            self.root.mkdir(parents=True, exist_ok=True)
            git(self.root, "init", "-q", "-b", "main")
            self._config()

    def _config(self):
        for k, v in (("commit.gpgsign", "false"), ("core.autocrlf", "false"), ("user.name", "Committer"),
                     ("user.email", "committer@example.org")):
            git(self.root, "config", k, v)

    @classmethod
    def clone(cls, source, dest, *args):
        git(Path(dest).parent, "clone", "-q", *args, str(source), str(dest))
        r = cls(dest, init=False)
        r._config()
        return r

    def date(self, n=None):
        d = self.START + dt.timedelta(days=self.n if n is None else n)
        return d.strftime("%Y-%m-%dT%H:%M:%S+0000")

    def day(self, n):
        """The date (YYYY-MM-DD) of the n-th commit (0-based)."""
        return (self.START + dt.timedelta(days=n)).strftime("%Y-%m-%d")

    def env_for(self, who):
        name, email = PEOPLE[who] if isinstance(who, str) else who
        d = self.date()
        env = git_env()
        env.update({"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": d,
                    "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email, "GIT_COMMITTER_DATE": d})
        return env

    def git(self, *args, **kw):
        return git(self.root, *args, **kw)

    def read(self, path):
        return (self.root / path).read_text(encoding="utf-8")

    def write(self, files):
        for rel, content in files.items():
            p = self.root / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))

    def commit(self, who, message, files=None, remove=(), approved_by=(), git_args=()):
        """Writes `files`, removes `remove`, commits everything as `who`; returns the full commit id."""
        self.write(files or {})
        for rel in remove:
            (self.root / rel).unlink()
        self.git("add", "-A")
        if isinstance(message, str):
            message = message.encode("utf-8")
        if approved_by:
            message += b"\n\n" + b"".join(f"Approved-by: {a}\n".encode("utf-8") for a in approved_by)
        self.git(*git_args, "commit", "-q", "--allow-empty", "-F", "-", env=self.env_for(who), input=message)
        self.n += 1
        return self.head()

    def edit(self, who, message, path, change, **kw):
        """Commits `change(text)` of one file."""
        return self.commit(who, message, {path: change(self.read(path))}, **kw)

    def head(self, rev="HEAD"):
        return self.git("rev-parse", rev)


def new_repo(tmp, name="repo", plan=None):
    """A repository whose first commit, by alice, is the plan."""
    r = Repo(Path(tmp) / name)
    r.commit("alice", "Initial plan", plan or PLAN)
    return r


# --- the test cases ---------------------------------------------------------------------------------------

class GitTestCase(TandemTestCase):

    def tandem(self, repo, *args, leaks=True, **kw):
        """Runs tandem in the repository; leaks=False turns LeakSanitizer off for known leaks inside libgit2
        (tested on their own in TestSanitizerLeaks), so that the exit code stays meaningful."""
        cwd = repo.root if isinstance(repo, Repo) else repo
        env = {"GITHUB_STEP_SUMMARY": None, **kw.pop("env", {})}  # --format github must not write to a CI runner's summary
        if not leaks:
            env.update(NO_LEAK_CHECK)
        kw["env"] = env
        r = run(*args, cwd=cwd, **kw)
        self.assertNoSanitizerReport(r.err, args)
        return r

    def assertNoSanitizerReport(self, err, args):
        # Under the dev preset a leak report turns the exit code into 1, which would mask a wrong exit code.
        self.assertNotRegex(err, r"(Address|Leak|UndefinedBehavior)Sanitizer|runtime error:",
                            f"tandem {' '.join(map(str, args))}: sanitizer report\n{err}")

    def audit_json(self, repo, *args, code=None, leaks=True):
        r = self.tandem(repo, "--format", "json", "audit", *args, leaks=leaks)
        if code is not None:
            self.assertExit(r, code)
        try:
            return r, r.json()
        except json.JSONDecodeError as e:
            self.fail(f"audit --format json printed no JSON ({e}); exit {r.code}\n{r.out}\n{r.err}")

    def assertViolation(self, v, **expected):
        for k, want in expected.items():
            self.assertEqual(v.get(k), want, f"violation key {k!r}: {json.dumps(v, indent=2)}")

    def assertSpecKeys(self, data):
        self.assertIn("commits", data)
        self.assertIsInstance(data["commits"], int)
        for v in data["violations"]:
            for key in ("commit", "author", "person", "file", "line", "id", "field", "old", "new", "requirement"):
                self.assertIn(key, v)

    def assertFault(self, r, *fragments):
        """Exit 2, a message on stderr naming every fragment (case-insensitive), nothing on stdout."""
        self.assertExit(r, 2)
        for f in fragments:
            self.assertIn(f.lower(), r.err.lower(), f"stderr should mention {f!r}:\n{r.err}")
        self.assertEqual(r.out, "", "a command that could not run prints no report")


class TestAuditRules(GitTestCase):
    """Who may change what: each change judged against the rules at the range's base."""

    def test_pm_changing_value_is_a_violation(self):
        repo = new_repo(self.tmp)
        base = repo.head()
        sha = repo.edit("bob", "Raise the value of card payment", "backlog.yaml",
                        lambda t: set_field(t, "A-2", "value", 13))
        new_text = repo.read("backlog.yaml")
        line = line_of(new_text, "A-2", "value")

        r, data = self.audit_json(repo, "--base", base, code=1)
        self.assertSpecKeys(data)
        self.assertEqual(data["commits"], 1)
        self.assertEqual(len(data["violations"]), 1, r.out)
        self.assertViolation(data["violations"][0], commit=sha, author="Bob Stone <bob@example.com>", person="bob",
                             file="backlog.yaml", line=line, id="A-2", field="value", old=5, new=13,
                             requirement="product_owner")

        t = self.tandem(repo, "audit", "--base", base)
        self.assertExit(t, 1)
        self.assertIn(f"backlog.yaml:{line}:", t.out)
        self.assertIn(sha[:7], t.out)
        self.assertIn("A-2", t.out)
        self.assertIn("value", t.out)
        self.assertRegex(t.out, r"5 (→|->) 13")
        self.assertIn("bob", t.out)
        self.assertIn("product_owner", t.out)

    def test_developer_changing_estimate_is_fine(self):
        repo = new_repo(self.tmp)
        base = repo.head()
        repo.edit("carol", "Re-estimate", "backlog.yaml", lambda t: set_field(t, "A-3", "estimate", 8))
        r, data = self.audit_json(repo, f"{base}..HEAD", code=0)
        self.assertEqual(data["commits"], 1)
        self.assertEqual(data["violations"], [])
        t = self.tandem(repo, "audit", f"{base}..HEAD")
        self.assertExit(t, 0)

    def test_po_alone_moving_committed_target_is_a_violation(self):
        repo = new_repo(self.tmp)
        base = repo.head()
        sha = repo.edit("alice", "Move the beta", "roadmap.yaml", lambda t: set_field(t, "M1", "target", "2027-02-05"))
        r, data = self.audit_json(repo, "--base", base, code=1)
        self.assertEqual(len(data["violations"]), 1, r.out)
        self.assertViolation(data["violations"][0], commit=sha, person="alice", file="roadmap.yaml",
                             line=line_of(repo.read("roadmap.yaml"), "M1", "target"), id="M1", field="target",
                             old="2027-01-22", new="2027-02-05", requirement=ALL_PO_PM)

    def test_approved_by_trailer_signs_off_joint_decision(self):
        repo = new_repo(self.tmp)
        base = repo.head()
        repo.edit("alice", "Move the beta", "roadmap.yaml", lambda t: set_field(t, "M1", "target", "2027-02-05"),
                  approved_by=["Bob Stone <bob@example.com>"])
        r, data = self.audit_json(repo, "--base", base, code=0)
        self.assertEqual((data["commits"], data["violations"]), (1, []), r.out)

    def test_approval_by_someone_without_the_role_does_not_count(self):
        repo = new_repo(self.tmp)
        base = repo.head()
        repo.edit("alice", "Move the beta", "roadmap.yaml", lambda t: set_field(t, "M1", "target", "2027-02-05"),
                  approved_by=["Carol Diaz <carol@example.com>", "Mallory <mallory@example.net>"])
        r, data = self.audit_json(repo, "--base", base, code=1)
        self.assertEqual([v["field"] for v in data["violations"]], ["target"], r.out)

    def test_create_and_delete_rules(self):
        repo = new_repo(self.tmp)
        base = repo.head()
        c_create = repo.edit("carol", "Add invoice payment", "backlog.yaml", lambda t: t + NEW_ITEM)
        create_line = line_of(repo.read("backlog.yaml"), "A-4")
        repo.edit("alice", "Drop order history", "backlog.yaml", lambda t: remove_record(t, "A-3"))  # fine
        c_delete = repo.edit("bob", "Drop invoice payment", "backlog.yaml", lambda t: remove_record(t, "A-4"))
        # Risks: a developer may create one, only the PM may delete one.
        repo.edit("carol", "New risk", "risks.yaml",
                  lambda t: t + "  - id: R2\n    title: Load spikes\n    owner: carol\n    probability: 2\n"
                                "    impact: 2\n")
        c_risk = repo.edit("carol", "Remove risk", "risks.yaml", lambda t: remove_record(t, "R1"))

        r, data = self.audit_json(repo, f"{base}..HEAD", code=1)
        self.assertSpecKeys(data)
        self.assertEqual(data["commits"], 5)
        got = [(v["commit"], v["id"], v["field"], v["requirement"]) for v in data["violations"]]
        self.assertEqual(got, [(c_create, "A-4", "create", "product_owner"),
                               (c_delete, "A-4", "delete", "product_owner"),
                               (c_risk, "R1", "delete", "project_manager")], r.out)
        self.assertEqual(data["violations"][0]["file"], "backlog.yaml")
        self.assertEqual(data["violations"][0]["line"], create_line)

    def test_reordering_is_an_order_change_not_a_field_change(self):
        repo = new_repo(self.tmp)
        base = repo.head()
        sha = repo.edit("bob", "Order history first", "backlog.yaml", lambda t: move_record_before(t, "A-3", "A-2"))
        r, data = self.audit_json(repo, "--base", base, code=1)
        self.assertEqual(len(data["violations"]), 1, r.out)
        self.assertViolation(data["violations"][0], commit=sha, field="order", requirement="product_owner",
                             file="backlog.yaml")
        # The same move by the product owner is fine, and changes no field of the moved items.
        repo2 = new_repo(self.tmp, "repo2")
        base2 = repo2.head()
        repo2.edit("alice", "Order history first", "backlog.yaml", lambda t: move_record_before(t, "A-3", "A-2"))
        r, data = self.audit_json(repo2, "--base", base2, code=0)
        self.assertEqual(data["violations"], [])
        d = self.tandem(repo2, "--format", "json", "diff", base2, "HEAD")
        self.assertExit(d, 0)
        self.assertEqual({c["field"] for c in d.json()["changes"]}, {"order"}, d.out)
        # Adding an item at the top creates it; the relative order of the others does not change.
        base3 = repo2.head()
        sha = repo2.edit("carol", "Urgent item first", "backlog.yaml",
                         lambda t: t.replace("items:\n", "items:\n" + NEW_ITEM, 1))
        r, data = self.audit_json(repo2, "--base", base3, code=1)
        self.assertEqual([(v["commit"], v["id"], v["field"]) for v in data["violations"]], [(sha, "A-4", "create")])

    def test_tandem_yaml_is_judged_by_config_rules(self):
        repo = new_repo(self.tmp)
        base = repo.head()
        sha = repo.edit("carol", "Rename the project", "tandem.yaml",
                        lambda t: t.replace("name: Git audit test", "name: Renamed project"))
        r, data = self.audit_json(repo, "--base", base, code=1)
        self.assertEqual(len(data["violations"]), 1, r.out)
        self.assertViolation(data["violations"][0], commit=sha, person="carol", file="tandem.yaml", field="project",
                             requirement=ALL_PO_PM)
        self.assertIsNotNone(data["violations"][0]["line"])
        # PO alone: still a violation; PO with the PM's sign-off: fine.
        mid = repo.head()
        repo.edit("alice", "Rename again", "tandem.yaml", lambda t: t.replace("Renamed project", "Checkout"))
        r, data = self.audit_json(repo, "--base", mid, code=1)
        self.assertEqual([v["field"] for v in data["violations"]], ["project"])
        mid = repo.head()
        repo.edit("alice", "Rename once more", "tandem.yaml", lambda t: t.replace("Checkout", "Webshop"),
                  approved_by=["Bob Stone <bob@example.com>"])
        r, data = self.audit_json(repo, "--base", mid, code=0)
        self.assertEqual(data["violations"], [])

    def test_pull_request_cannot_grant_itself_rights(self):
        repo = new_repo(self.tmp)
        base = repo.head()
        grant = repo.edit("bob", "Let the PM set values", "tandem.yaml",
                          lambda t: t + "ownership:\n  backlog:\n    fields:\n      value: project_manager\n")
        use = repo.edit("bob", "Raise the value", "backlog.yaml", lambda t: set_field(t, "A-2", "value", 13))
        r, data = self.audit_json(repo, "--base", base, code=1)
        got = [(v["commit"], v["field"], v["requirement"]) for v in data["violations"]]
        self.assertEqual(got, [(grant, "ownership", ALL_PO_PM), (use, "value", "product_owner")], r.out)
        self.assertIsNone(data["violations"][0]["id"])
        self.assertEqual(data["violations"][0]["file"], "tandem.yaml")
        # Once the rules are in the base (merged with both sign-offs), they apply.
        r, data = self.audit_json(repo, f"{grant}..{use}", code=0)
        self.assertEqual(data["violations"], [])

    def test_pull_request_cannot_add_people_who_then_authorize_it(self):
        repo = new_repo(self.tmp)
        base = repo.head()
        cfg = repo.read("tandem.yaml").replace(
            "priority:", "  - id: dave\n    name: Dave\n    email: dave@example.com\n    roles: [developer]\npriority:")
        repo.commit("bob", "Add dave", {"tandem.yaml": cfg})
        repo.edit(("Dave", "dave@example.com"), "Re-estimate", "backlog.yaml",
                  lambda t: set_field(t, "A-1", "estimate", 4))
        r, data = self.audit_json(repo, "--base", base, code=1)
        est = [v for v in data["violations"] if v["field"] == "estimate"]
        self.assertEqual(len(est), 1, r.out)
        self.assertIsNone(est[0]["person"])  # dave is not a person at the base

    def test_mailmap_maps_old_email_to_person(self):
        repo = new_repo(self.tmp)
        repo.commit("alice", "mailmap", {".mailmap": "Carol Diaz <carol@example.com> <carol@old-company.example>\n"
                                                     "Bob Stone <bob@example.com> Bobby <BOB@OLD.example>\n"})
        base = repo.head()
        repo.edit(("Carol D.", "carol@old-company.example"), "Re-estimate", "backlog.yaml",
                  lambda t: set_field(t, "A-1", "estimate", 4))
        sha = repo.edit(("Bobby", "BOB@OLD.example"), "Raise value", "backlog.yaml",
                        lambda t: set_field(t, "A-1", "value", 20))
        r, data = self.audit_json(repo, "--base", base, code=1)
        self.assertEqual(data["commits"], 2)
        self.assertEqual(len(data["violations"]), 1, r.out)
        self.assertViolation(data["violations"][0], commit=sha, person="bob", field="value")
        # An Approved-by trailer with an old address is mapped too.
        mid = repo.head()
        repo.edit("alice", "Move the beta", "roadmap.yaml", lambda t: set_field(t, "M1", "target", "2027-02-05"),
                  approved_by=["Bobby <BOB@OLD.example>"])
        r, data = self.audit_json(repo, "--base", mid, code=0)
        self.assertEqual(data["violations"], [])

    def test_author_with_no_matching_person(self):
        repo = new_repo(self.tmp)
        base = repo.head()
        sha = repo.edit(("Eve Outsider", "eve@example.net"), "Re-estimate", "backlog.yaml",
                        lambda t: set_field(t, "A-1", "estimate", 4))
        r, data = self.audit_json(repo, "--base", base, code=1)
        self.assertEqual(len(data["violations"]), 1, r.out)
        self.assertViolation(data["violations"][0], commit=sha, person=None, author="Eve Outsider <eve@example.net>",
                             field="estimate", requirement="developer")
        t = self.tandem(repo, "audit", "--base", base)
        self.assertExit(t, 1)
        self.assertIn("unknown person", t.out)
        self.assertIn("eve@example.net", t.out)


class TestAuditRanges(GitTestCase):

    def three_commits(self):
        repo = new_repo(self.tmp)
        c1 = repo.head()
        c2 = repo.edit("bob", "value", "backlog.yaml", lambda t: set_field(t, "A-2", "value", 13))
        c3 = repo.edit("carol", "estimate", "backlog.yaml", lambda t: set_field(t, "A-3", "estimate", 8))
        return repo, c1, c2, c3

    def test_range_forms(self):
        repo, c1, c2, c3 = self.three_commits()
        _, data = self.audit_json(repo, f"{c1}..{c3}", code=1)
        self.assertEqual((data["commits"], [v["commit"] for v in data["violations"]]), (2, [c2]))
        _, data = self.audit_json(repo, f"{c2}..{c3}", code=0)
        self.assertEqual((data["commits"], data["violations"]), (1, []))
        _, data = self.audit_json(repo, "HEAD~2..HEAD", code=1)
        self.assertEqual(data["commits"], 2)
        _, data = self.audit_json(repo, "--base", "HEAD~1", code=0)
        self.assertEqual(data["commits"], 1)
        _, data = self.audit_json(repo, "--base", c1, code=1)
        self.assertEqual(data["commits"], 2)
        _, data = self.audit_json(repo, f"{c1}..{c2}", code=1)
        self.assertEqual(data["commits"], 1)

    def test_empty_range(self):
        repo, *_ = self.three_commits()
        _, data = self.audit_json(repo, "HEAD..HEAD", code=0)
        self.assertEqual((data["commits"], data["violations"]), (0, []))
        t = self.tandem(repo, "audit", "--base", "HEAD")
        self.assertExit(t, 0)
        self.assertIn("0 commits", t.out)

    def test_default_range_is_upstream_to_head(self):
        origin = new_repo(self.tmp, "origin")
        git(self.tmp, "clone", "-q", "--bare", str(origin.root), str(self.tmp / "origin.git"))
        clone = Repo.clone(self.tmp / "origin.git", self.tmp / "clone")
        clone.n = 1
        clone.edit("carol", "estimate", "backlog.yaml", lambda t: set_field(t, "A-3", "estimate", 8))
        sha = clone.edit("bob", "value", "backlog.yaml", lambda t: set_field(t, "A-2", "value", 13))
        r, data = self.audit_json(clone, code=1, leaks=False)
        self.assertEqual(data["commits"], 2, r.out)
        self.assertEqual([v["commit"] for v in data["violations"]], [sha])
        # After pushing, nothing is left to judge.
        clone.git("push", "-q", "origin", "main")
        r, data = self.audit_json(clone, code=0, leaks=False)
        self.assertEqual((data["commits"], data["violations"]), (0, []))

    def test_no_upstream_is_a_clear_error(self):
        repo, *_ = self.three_commits()
        r = self.tandem(repo, "audit")
        self.assertFault(r, "upstream")
        self.assertTrue("--base" in r.err or ".." in r.err, f"the message should say how to name a range:\n{r.err}")

    def test_range_and_base_together_is_a_usage_error(self):
        repo, c1, *_ = self.three_commits()
        self.assertExit(self.tandem(repo, "audit", "--base", c1, f"{c1}..HEAD"), 2)

    def test_detached_head(self):
        repo, c1, c2, c3 = self.three_commits()
        repo.git("checkout", "-q", "--detach", c2)
        _, data = self.audit_json(repo, f"{c1}..HEAD", code=1)
        self.assertEqual((data["commits"], [v["commit"] for v in data["violations"]]), (1, [c2]))
        _, data = self.audit_json(repo, "--base", c1, code=1)
        self.assertEqual(data["commits"], 1)
        r = self.tandem(repo, "audit")  # no branch, so no upstream
        self.assertFault(r, "upstream")
        lg = self.tandem(repo, "--format", "json", "log", "A-2")
        self.assertExit(lg, 0)
        self.assertEqual([c["commit"] for c in lg.json()["commits"]], [c1, c2])


class TestAuditHistoryShapes(GitTestCase):

    def test_evil_merge_is_judged(self):
        repo = new_repo(self.tmp)
        base = repo.head()
        repo.git("checkout", "-q", "-b", "feature")
        repo.edit("carol", "estimate on feature", "backlog.yaml", lambda t: set_field(t, "A-1", "estimate", 4))
        repo.git("checkout", "-q", "main")
        repo.edit("alice", "value on main", "backlog.yaml", lambda t: set_field(t, "A-2", "value", 9))
        # bob merges and, in the merge commit, also changes a value that neither side touched.
        repo.git("merge", "-q", "--no-ff", "--no-commit", "feature", env=repo.env_for("bob"))
        repo.write({"backlog.yaml": set_field(repo.read("backlog.yaml"), "A-3", "value", 21)})
        repo.git("add", "-A")
        repo.git("commit", "-q", "-m", "Merge feature", env=repo.env_for("bob"))
        merge = repo.head()
        self.assertEqual(len(repo.git("rev-list", "--parents", "-n", "1", "HEAD").split()), 3)
        r, data = self.audit_json(repo, f"{base}..HEAD", code=1)
        self.assertEqual(data["commits"], 3, r.out)
        got = [(v["commit"], v["id"], v["field"], v["old"], v["new"]) for v in data["violations"]]
        self.assertEqual(got, [(merge, "A-3", "value", 3, 21)], r.out)

    def test_evil_merge_conflict_resolved_with_a_third_value(self):
        repo = new_repo(self.tmp)
        base = repo.head()
        repo.git("checkout", "-q", "-b", "feature")
        repo.edit("carol", "estimate 4", "backlog.yaml", lambda t: set_field(t, "A-1", "estimate", 4))
        repo.git("checkout", "-q", "main")
        repo.edit("carol", "estimate 6", "backlog.yaml", lambda t: set_field(t, "A-1", "estimate", 6))
        subprocess.run(["git", "merge", "-q", "--no-ff", "--no-commit", "feature"], cwd=repo.root,
                       env=repo.env_for("alice"), capture_output=True)  # conflicts
        repo.write({"backlog.yaml": set_field(BACKLOG, "A-1", "estimate", 9)})
        repo.git("add", "-A")
        repo.git("commit", "-q", "-m", "Merge feature", env=repo.env_for("alice"))
        merge = repo.head()
        r, data = self.audit_json(repo, f"{base}..HEAD", code=1)
        got = [(v["commit"], v["id"], v["field"], v["new"]) for v in data["violations"]]
        self.assertEqual(got, [(merge, "A-1", "estimate", 9)], r.out)

    def test_clean_merge_is_not_double_counted(self):
        repo = new_repo(self.tmp)
        base = repo.head()
        repo.git("checkout", "-q", "-b", "feature")
        bad = repo.edit("bob", "value on feature", "backlog.yaml", lambda t: set_field(t, "A-2", "value", 13))
        repo.git("checkout", "-q", "main")
        repo.edit("carol", "estimate on main", "backlog.yaml", lambda t: set_field(t, "A-3", "estimate", 8))
        repo.git("merge", "-q", "--no-ff", "-m", "Merge feature", "feature", env=repo.env_for("carol"))
        r, data = self.audit_json(repo, f"{base}..HEAD", code=1)
        self.assertEqual(data["commits"], 3, r.out)
        self.assertEqual([(v["commit"], v["field"]) for v in data["violations"]], [(bad, "value")], r.out)

    def test_renamed_plan_files_are_followed(self):
        # The config rules let any role edit tandem.yaml here, so that only item changes could be violations.
        cfg = CONFIG + 'ownership:\n  config:\n    "*": [developer, product_owner, project_manager]\n'
        repo = new_repo(self.tmp, plan={**PLAN, "tandem.yaml": cfg})
        base = repo.head()
        (repo.root / "plan").mkdir()
        repo.git("mv", "backlog.yaml", "plan/backlog.yaml")
        moved = repo.commit("carol", "Move the backlog", {"tandem.yaml": cfg.replace(
            "priority:", "files:\n  backlog: plan/backlog.yaml\npriority:")})
        self.assertFalse((repo.root / "backlog.yaml").exists())
        bad = repo.edit("bob", "value", "plan/backlog.yaml", lambda t: set_field(t, "A-2", "value", 13))

        r, data = self.audit_json(repo, "--base", base, code=1)
        self.assertEqual(data["commits"], 2)
        got = [(v["commit"], v["file"], v["id"], v["field"]) for v in data["violations"]]
        self.assertEqual(got, [(bad, "plan/backlog.yaml", "A-2", "value")], r.out)

        d = self.tandem(repo, "--format", "json", "diff", base, moved)
        self.assertExit(d, 0)
        self.assertEqual([(c["kind"], c["field"]) for c in d.json()["changes"]], [("config", "files")], d.out)

        lg = self.tandem(repo, "--format", "json", "log", "A-2")
        self.assertExit(lg, 0)
        self.assertEqual([c["commit"] for c in lg.json()["commits"]], [base, bad], lg.out)

    # When backlog.yaml does not parse in one commit, that commit is reported and the file stands as it last
    # parsed: the items after the syntax error are not taken as deleted by that commit's author, nor as
    # re-created by the author of the commit that fixes the file.
    def test_unparseable_plan_in_one_commit(self):
        repo = new_repo(self.tmp)
        base = repo.head()
        broken = repo.commit("carol", "WIP", {"backlog.yaml": BACKLOG.replace("  - id: A-2\n", "  - id: [A-2\n")})
        repo.commit("carol", "Fix it and re-estimate", {"backlog.yaml": set_field(BACKLOG, "A-3", "estimate", 8)})
        bad = repo.edit("bob", "value", "backlog.yaml", lambda t: set_field(t, "A-2", "value", 13))

        r, data = self.audit_json(repo, "--base", base, code=1)
        self.assertEqual(data["commits"], 3)
        got = [(v["commit"], v["id"], v["field"]) for v in data["violations"]]
        # No item was created or deleted by anyone: the broken commit's changes are not judged.
        self.assertEqual(got, [(bad, "A-2", "value")], r.out)
        t = self.tandem(repo, "audit", "--base", base)
        self.assertExit(t, 1)
        self.assertIn(broken[:7], t.out + t.err, "the commit with the broken file is named")
        self.assertIn("backlog.yaml", t.out + t.err)

    def test_unparseable_plan_reported_and_other_commits_still_judged(self):
        repo = new_repo(self.tmp)
        base = repo.head()
        broken = repo.commit("carol", "WIP", {"backlog.yaml": BACKLOG + "  - id: A-9\n    title: [unclosed\n"})
        bad = repo.commit("bob", "Fix it and raise the value",
                          {"backlog.yaml": set_field(BACKLOG, "A-2", "value", 13)})
        r, data = self.audit_json(repo, "--base", base, code=1)
        self.assertEqual(data["commits"], 2)
        self.assertIn(bad, [v["commit"] for v in data["violations"]], r.out)
        self.assertIn(("A-2", "value"), [(v["id"], v["field"]) for v in data["violations"]])
        t = self.tandem(repo, "audit", "--base", base)
        self.assertExit(t, 1)
        self.assertIn(broken[:7], t.out + t.err)

    def test_a_range_whose_only_fault_is_an_unparseable_file_does_not_say_it_is_clean(self):
        repo = new_repo(self.tmp)
        base = repo.head()
        repo.commit("carol", "WIP", {"backlog.yaml": BACKLOG + "  - id: A-9\n    title: [unclosed\n"})
        t = self.tandem(repo, "audit", "--base", base)
        self.assertExit(t, 1)
        self.assertEqual(t.lines[-1], f"{base}..HEAD: 1 plan file version did not parse in 1 commit")
        g = self.tandem(repo, "--format", "github", "audit", "--base", base)
        self.assertExit(g, 1)
        self.assertRegex(g.lines[-1], r"^1 error, 0 warnings in 1 commit$")

    def test_non_utf8_author_name(self):
        repo = new_repo(self.tmp)
        base = repo.head()
        repo.write({"backlog.yaml": set_field(repo.read("backlog.yaml"), "A-2", "value", 13)})
        repo.git("add", "-A")
        env = {k.encode(): v.encode() for k, v in repo.env_for("alice").items()}
        env.update({b"GIT_AUTHOR_NAME": b"Jos\xe9 N\xfa\xf1ez", b"GIT_AUTHOR_EMAIL": b"jose@example.net",
                    b"GIT_COMMITTER_NAME": b"Jos\xe9 N\xfa\xf1ez", b"GIT_COMMITTER_EMAIL": b"jose@example.net"})
        p = subprocess.run(["git", "-c", "i18n.commitEncoding=ISO-8859-1", "commit", "-q", "-F", "-"], cwd=repo.root,
                           env=env, input=b"Valeur augment\xe9e\n", capture_output=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        raw_commit = subprocess.run(["git", "cat-file", "commit", "HEAD"], cwd=repo.root, capture_output=True).stdout
        self.assertIn(b"Jos\xe9", raw_commit)
        self.assertIn(b"encoding ISO-8859-1", raw_commit)

        def raw(*args):
            env = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
            q = subprocess.run([BIN, *args], cwd=repo.root, capture_output=True, env={**env, "NO_COLOR": "1"})
            try:
                out = q.stdout.decode("utf-8")  # strict: the output must be valid UTF-8
            except UnicodeDecodeError as e:
                self.fail(f"tandem {' '.join(args)} printed invalid UTF-8: {e}\n{q.stdout!r}")
            err = q.stderr.decode("utf-8", "replace")
            self.assertNoSanitizerReport(err, args)
            return q.returncode, out, err

        for fmt in ("text", "json", "github", "sarif", "markdown"):
            code, out, err = raw("--format", fmt, "audit", "--base", base)
            self.assertEqual(code, 1, f"{fmt}: {out}\n{err}")
            self.assertIn("jose@example.net", out, fmt)
            if fmt in ("json", "sarif"):
                json.loads(out)
        code, out, err = raw("--format", "json", "audit", "--base", base)
        v = json.loads(out)["violations"][0]
        self.assertTrue(v["author"].startswith("Jos") and v["author"].endswith("<jose@example.net>"), v["author"])
        self.assertIsNone(v["person"])
        for args in (("log", "A-2"), ("--format", "json", "log", "A-2"), ("blame", "A-2"),
                     ("--format", "json", "blame", "A-2"), ("--format", "markdown", "log", "A-2")):
            code, out, err = raw(*args)
            self.assertEqual(code, 0, f"{args}: {err}")
            if "json" in args:
                json.loads(out)

    def test_plan_in_a_subdirectory_of_the_repository(self):
        repo = Repo(self.tmp / "mono")
        repo.commit("alice", "Initial plan", {f"plan/{k}": v for k, v in PLAN.items()} | {"README": "hi\n"})
        base = repo.head()
        repo.edit("bob", "value", "plan/backlog.yaml", lambda t: set_field(t, "A-2", "value", 13))
        line = line_of(repo.read("plan/backlog.yaml"), "A-2", "value")
        for cwd in (repo.root / "plan", repo.root):
            args = ("-C", "plan") if cwd == repo.root else ()
            r = self.tandem(cwd, *args, "--format", "json", "audit", "--base", base)
            self.assertExit(r, 1)
            v = r.json()["violations"]
            self.assertEqual([(x["id"], x["field"], x["line"]) for x in v], [("A-2", "value", line)])
            self.assertTrue(v[0]["file"].endswith("backlog.yaml"))
        # GitHub annotations need the path from the repository's root.
        g = self.tandem(repo.root / "plan", "--format", "github", "audit", "--base", base)
        self.assertExit(g, 1)
        self.assertIn(f"::error file=plan/backlog.yaml,line={line}", g.out)


class TestAuditFormats(GitTestCase):

    def setUp(self):
        super().setUp()
        self.repo = new_repo(self.tmp)
        self.base = self.repo.head()
        self.sha = self.repo.edit("bob", "value", "backlog.yaml", lambda t: set_field(t, "A-2", "value", 13))
        self.line = line_of(self.repo.read("backlog.yaml"), "A-2", "value")

    def test_github(self):
        r = self.tandem(self.repo, "--format", "github", "audit", "--base", self.base)
        self.assertExit(r, 1)
        errors = [l for l in r.lines if l.startswith("::error ")]
        self.assertEqual(len(errors), 1, r.out)
        self.assertTrue(errors[0].startswith(f"::error file=backlog.yaml,line={self.line}"), errors[0])
        self.assertIn("A-2", errors[0])
        self.assertIn(self.sha[:7], errors[0])

    def test_github_and_text_output_cannot_be_steered_by_a_title(self):
        # A title from a pull request with a line break and a workflow command, and a terminal escape.
        hostile = "New\\n::add-mask::secret\\u001b[2J"
        self.repo.edit("bob", "title", "backlog.yaml", lambda t: set_field(t, "A-2", "title", f'"{hostile}"'))
        for fmt in ("github", "text"):
            r = self.tandem(self.repo, "--format", fmt, "audit", "--base", self.base)
            self.assertExit(r, 1)
            self.assertNotIn("\x1b", r.out)
            for line in r.lines:
                self.assertFalse(line.startswith("::") and not line.startswith("::error "), f"{fmt}: {line!r}")
            self.assertIn("New\\n::add-mask::secret\\x1b[2J", r.out)  # shown, escaped, on the violation's own line

    def test_sarif(self):
        r = self.tandem(self.repo, "--format", "sarif", "audit", "--base", self.base)
        self.assertExit(r, 1)
        s = r.json()
        self.assertEqual(s["version"], "2.1.0")
        results = s["runs"][0]["results"]
        self.assertEqual(len(results), 1)
        loc = results[0]["locations"][0]["physicalLocation"]
        self.assertEqual(loc["artifactLocation"]["uri"], "backlog.yaml")
        self.assertEqual(loc["region"]["startLine"], self.line)
        self.assertEqual(results[0]["level"], "error")
        self.assertIn("A-2", results[0]["message"]["text"])

    def test_markdown(self):
        r = self.tandem(self.repo, "--format", "markdown", "audit", "--base", self.base)
        self.assertExit(r, 1)
        self.assertIn("|", r.out)
        self.assertIn(self.sha[:7], r.out)
        self.assertIn("A-2", r.out)
        self.assertIn("product_owner", r.out)
        self.assertIn(f"backlog.yaml:{self.line}", r.out)

    def test_clean_range_in_every_format(self):
        for fmt in ("text", "json", "github", "sarif", "markdown"):
            r = self.tandem(self.repo, "--format", fmt, "audit", "HEAD..HEAD")
            self.assertExit(r, 0)
            if fmt in ("json", "sarif"):
                r.json()


class TestFaults(GitTestCase):

    def test_not_a_git_repository(self):
        plain = self.tmp / "plain"
        plain.mkdir()
        for rel, text in PLAN.items():
            (plain / rel).write_text(text)
        for args in (("audit", "HEAD~1..HEAD"), ("audit",), ("log", "A-1"), ("blame", "A-1"), ("diff",),
                     ("--rev", "HEAD", "check"), ("--rev", "HEAD", "priority")):
            r = self.tandem(plain, *args)
            self.assertFault(r, "git repository")

    def test_unknown_revision_or_range(self):
        repo = new_repo(self.tmp)
        for args in (("audit", "nosuch..HEAD"), ("audit", "HEAD..nosuch"), ("audit", "HEAD~5..HEAD"),
                     ("audit", "--base", "nosuch"), ("diff", "nosuch"), ("diff", "HEAD", "nosuch"),
                     ("--rev", "nosuch", "check"), ("--rev", "nosuch", "schedule"), ("--rev", "nosuch", "log", "A-1")):
            r = self.tandem(repo, *args)
            self.assertFault(r, "nosuch" if "nosuch" in " ".join(args) else "HEAD~5")

    def test_three_dot_range_is_refused(self):
        repo = new_repo(self.tmp)
        self.assertFault(self.tandem(repo, "audit", "HEAD...HEAD"), "..")

    def shallow(self):
        origin = new_repo(self.tmp, "origin")
        ids = [origin.head()]
        for i in range(4):
            ids.append(origin.edit("carol", f"estimate {i}", "backlog.yaml",
                                   lambda t, i=i: set_field(t, "A-3", "estimate", 10 + i)))
        ids.append(origin.edit("bob", "value", "backlog.yaml", lambda t: set_field(t, "A-2", "value", 13)))
        origin.git("tag", "v1", ids[1])
        git(self.tmp, "clone", "-q", "--bare", str(origin.root), str(self.tmp / "origin.git"))
        clone = Repo.clone(f"file://{self.tmp / 'origin.git'}", self.tmp / "shallow", "--depth", "2")
        self.assertEqual(clone.git("rev-parse", "--is-shallow-repository"), "true")
        return clone, ids

    # In a clone made with --depth 2, `audit HEAD~1..HEAD` has all it needs (libgit2 1.5's revwalk would load
    # the parents of the hidden base commit, beyond the shallow boundary: tandem walks shallow clones itself).
    # SPEC 3: audit "works on shallow clones where the history it needs is there".
    def test_shallow_clone_with_the_history_needed(self):
        clone, ids = self.shallow()
        _, data = self.audit_json(clone, "HEAD~1..HEAD", code=1, leaks=False)
        self.assertEqual((data["commits"], [v["commit"] for v in data["violations"]]), (1, [ids[-1]]))
        _, data = self.audit_json(clone, "--base", ids[-2], code=1, leaks=False)
        self.assertEqual(data["commits"], 1)

    def test_shallow_clone_base_missing(self):
        clone, ids = self.shallow()
        for rng in (f"{ids[1]}..HEAD", "HEAD~4..HEAD"):
            r = self.tandem(clone, "audit", rng)
            self.assertFault(r, "shallow", "fetch")

    def test_report_in_a_shallow_clone(self):
        # A CI checkout is often shallow (depth 1 by default in GitHub Actions): report still reports, leaves out
        # the commits whose parent is missing and says so; its recent changes are newest first, as in a full clone.
        origin = new_repo(self.tmp, "origin")
        for i in range(3):
            origin.edit("carol", f"old {i}", "backlog.yaml", lambda t, i=i: set_field(t, "A-3", "estimate", 20 + i))
        origin.git("checkout", "-q", "-b", "feature")
        origin.edit("carol", "f1", "backlog.yaml", lambda t: set_field(t, "A-1", "estimate", 4))
        origin.git("checkout", "-q", "main")
        origin.edit("carol", "m1", "backlog.yaml", lambda t: set_field(t, "A-2", "estimate", 6))
        origin.git("checkout", "-q", "feature")
        origin.edit("carol", "f2", "backlog.yaml", lambda t: set_field(t, "A-1", "estimate", 5))
        origin.git("checkout", "-q", "main")
        origin.git("merge", "-q", "--no-ff", "-m", "merge", "feature", env=origin.env_for("carol"))
        git(self.tmp, "clone", "-q", "--bare", str(origin.root), str(self.tmp / "origin.git"))
        today = origin.day(10)

        def recent(repo):
            r = self.tandem(repo, "--format", "json", "report", "--today", today, leaks=False)
            self.assertExit(r, 0)
            return r, [(c["date"], c["commit"]) for c in r.json()["recent_changes"]]

        _, full = recent(origin)
        self.assertEqual([d for d, _ in full], sorted((d for d, _ in full), reverse=True))
        for depth, cut in (("1", 1), ("2", 2), ("4", 1)):
            with self.subTest(depth=depth):
                clone = Repo.clone(f"file://{self.tmp / 'origin.git'}", self.tmp / f"depth{depth}", "--depth", depth)
                boundary = set(clone.read(".git/shallow").split())
                self.assertEqual(len(boundary), cut)
                r, shallow = recent(clone)
                # every change of a commit the clone holds with its parent, in the full clone's order
                kept = {i for i in clone.git("rev-list", "HEAD").split() if i not in boundary}
                self.assertEqual(shallow, [c for c in full if any(i.startswith(c[1]) for i in kept)])
                for b in boundary:
                    self.assertIn(b[:10], r.err)
                self.assertIn("shallow clone", r.err)
                text = self.tandem(clone, "report", "--today", today, leaks=False)
                self.assertExit(text, 0)
                self.assertIn("where this shallow clone begins", text.out)
                self.assertNotIn("shallow", text.err)

    def test_shallow_clone_history_stops_inside_the_range(self):
        clone, ids = self.shallow()
        clone.git("fetch", "-q", "--depth", "1", "origin", "refs/tags/v1:refs/tags/v1")
        self.assertEqual(clone.head("v1"), ids[1])
        r = self.tandem(clone, "audit", "v1..HEAD", leaks=False)
        self.assertFault(r, "shallow", "history", "fetch")
        self.assertTrue("unshallow" in r.err or "fetch-depth" in r.err or "--deepen" in r.err,
                        f"the message should say how to fetch the missing history:\n{r.err}")


class TestLibgit2Loading(GitTestCase):
    """libgit2 is opened on first use (core/git/libgit2.hpp): commands that do not read git history never load it
    and its dependencies (7 ms of the dynamic loader's work); the others do."""

    def loaded_libraries(self, repo, *args):
        r = self.tandem(repo, *args, env={"LD_DEBUG": "files", "LD_DEBUG_OUTPUT": None}, leaks=False)
        self.assertIn(r.code, (0, 1), f"tandem {' '.join(args)}: {r.err[-2000:]}")
        return set(re.findall(r"file=(\S+) \[0\];\s+(?:needed by|dynamically loaded by)", r.err))

    def test_only_history_commands_load_libgit2(self):
        repo = new_repo(self.tmp)
        for args in (("check",), ("priority",), ("schedule",), ("forecast",), ("risks",)):
            with self.subTest(args=args):
                libs = self.loaded_libraries(repo, "--today", TODAY, *args)
                self.assertTrue(libs, "LD_DEBUG=files listed no library")
                self.assertFalse([l for l in libs if "libgit2" in l], f"tandem {args[0]} loaded libgit2: {libs}")
        for args in (("log", "A-1"), ("audit", "HEAD"), ("--rev", "HEAD", "check"), ("report",)):
            with self.subTest(args=args):
                libs = self.loaded_libraries(repo, "--today", TODAY, *args)
                self.assertTrue([l for l in libs if "libgit2" in l], f"tandem {args[0]} did not load libgit2: {libs}")


class TestSanitizerLeaks(GitTestCase):
    """Under the dev preset (ASan, detect_leaks=1 in ctest) a leak report makes tandem exit 1, whatever the result."""

    # Resolving @{upstream} leaks pcre2 match data inside libgit2 1.5 (git_revparse_single -> git_branch_upstream
    # -> git_remote_lookup -> pcre2_match_data_create); tests/lsan.supp suppresses that one report, so the
    # default `tandem audit` does not exit 1 under LeakSanitizer.
    @unittest.skipUnless(ASAN_BUILD, "needs a sanitizer build")
    def test_no_leak_resolving_upstream(self):
        origin = new_repo(self.tmp, "origin")
        git(self.tmp, "clone", "-q", "--bare", str(origin.root), str(self.tmp / "origin.git"))
        clone = Repo.clone(self.tmp / "origin.git", self.tmp / "clone")
        r = self.tandem(clone, "audit")
        self.assertExit(r, 0)

    # At the shallow boundary libgit2 1.5 leaked inside git_revwalk_next; shallow clones are walked by tandem.
    @unittest.skipUnless(ASAN_BUILD, "needs a sanitizer build")
    def test_no_leak_on_shallow_history_error(self):
        origin = new_repo(self.tmp, "origin")
        for i in range(3):
            origin.edit("carol", f"estimate {i}", "backlog.yaml", lambda t, i=i: set_field(t, "A-3", "estimate", 10 + i))
        origin.git("tag", "v1", "HEAD~3")
        git(self.tmp, "clone", "-q", "--bare", str(origin.root), str(self.tmp / "origin.git"))
        clone = Repo.clone(f"file://{self.tmp / 'origin.git'}", self.tmp / "shallow", "--depth", "1")
        clone.git("fetch", "-q", "--depth", "1", "origin", "refs/tags/v1:refs/tags/v1")
        r = self.tandem(clone, "audit", "v1..HEAD")
        self.assertExit(r, 2)


class TestLogBlame(GitTestCase):

    def history(self):
        repo = new_repo(self.tmp)
        c1 = repo.head()
        c2 = repo.edit("bob", "Raise value", "backlog.yaml", lambda t: set_field(t, "A-2", "value", 13))
        c3 = repo.edit("carol", "Estimate", "backlog.yaml", lambda t: set_field(t, "A-2", "estimate", 4))
        repo.edit("carol", "Other item", "backlog.yaml", lambda t: set_field(t, "A-3", "estimate", 8))
        c5 = repo.edit("alice", "Retitle", "backlog.yaml", lambda t: set_field(t, "A-2", "title", "Card and wallet"))
        return repo, [c1, c2, c3, c5]

    def test_log_lists_each_commit_that_changed_the_item(self):
        repo, (c1, c2, c3, c5) = self.history()
        r = self.tandem(repo, "--format", "json", "log", "A-2")
        self.assertExit(r, 0)
        commits = r.json()["commits"]
        self.assertEqual([c["commit"] for c in commits], [c1, c2, c3, c5])
        self.assertEqual([c["date"] for c in commits], [repo.day(0), repo.day(1), repo.day(2), repo.day(4)])
        self.assertEqual([c["person"] for c in commits], ["alice", "bob", "carol", "alice"])
        self.assertEqual(commits[0]["changes"][0]["field"], "create")
        ch = commits[1]["changes"]
        self.assertEqual([(c["field"], c["old"], c["new"]) for c in ch], [("value", 5, 13)])
        ch = commits[3]["changes"]
        self.assertEqual([(c["field"], c["old"], c["new"]) for c in ch], [("title", "Card payment", "Card and wallet")])

        t = self.tandem(repo, "log", "A-2")
        self.assertExit(t, 0)
        self.assertIn(repo.day(1), t.out)
        self.assertIn("bob", t.out)
        self.assertRegex(t.out, r"value: 5 (→|->) 13")
        self.assertRegex(t.out, r"estimate: 3 (→|->) 4")
        self.assertNotRegex(t.out, r"estimate: 5 (→|->) 8")  # A-3's change is not A-2's

    def test_log_of_milestone_and_risk(self):
        repo = new_repo(self.tmp)
        c2 = repo.edit("bob", "risk", "risks.yaml", lambda t: set_field(t, "R1", "probability", 4))
        c3 = repo.edit("alice", "target", "roadmap.yaml", lambda t: set_field(t, "M1", "target", "2027-02-05"),
                       approved_by=["Bob Stone <bob@example.com>"])
        for rid, sha, field in (("R1", c2, "probability"), ("M1", c3, "target")):
            r = self.tandem(repo, "--format", "json", "log", rid)
            self.assertExit(r, 0)
            commits = r.json()["commits"]
            self.assertEqual(len(commits), 2)
            self.assertEqual(commits[1]["commit"], sha)
            self.assertEqual(commits[1]["changes"][0]["field"], field)

    def test_log_unknown_id(self):
        repo, _ = self.history()
        r = self.tandem(repo, "log", "NOPE-1")
        self.assertFault(r, "NOPE-1")

    def test_log_follows_renamed_files(self):
        repo = new_repo(self.tmp)
        c1 = repo.head()
        c2 = repo.edit("bob", "value", "backlog.yaml", lambda t: set_field(t, "A-2", "value", 13))
        (repo.root / "plan").mkdir()
        repo.git("mv", "backlog.yaml", "plan/backlog.yaml")
        repo.commit("alice", "Move", {"tandem.yaml": CONFIG.replace("priority:", "files:\n  backlog: plan/backlog.yaml\npriority:")},
                    approved_by=["Bob Stone <bob@example.com>"])
        c4 = repo.edit("carol", "estimate", "plan/backlog.yaml", lambda t: set_field(t, "A-2", "estimate", 4))
        r = self.tandem(repo, "--format", "json", "log", "A-2")
        self.assertExit(r, 0)
        commits = r.json()["commits"]
        self.assertEqual([c["commit"] for c in commits], [c1, c2, c4], r.out)
        self.assertEqual(commits[2]["changes"][0]["file"], "plan/backlog.yaml")

    def test_blame(self):
        repo, (c1, c2, c3, c5) = self.history()
        r = self.tandem(repo, "--format", "json", "blame", "A-2")
        self.assertExit(r, 0)
        fields = {f["field"]: f for f in r.json()["fields"]}
        expect = {"value": (13, c2, "bob", repo.day(1)), "estimate": (4, c3, "carol", repo.day(2)),
                  "title": ("Card and wallet", c5, "alice", repo.day(4)), "size": (3, c1, "alice", repo.day(0)),
                  "milestone": ("M1", c1, "alice", repo.day(0))}
        for name, (value, sha, person, date) in expect.items():
            f = fields[name]
            self.assertEqual((f["value"], f["commit"], f["person"], f["date"]), (value, sha, person, date), name)
        self.assertEqual(set(fields), {"title", "owner", "milestone", "value", "time_criticality", "risk_reduction",
                                       "size", "estimate"})
        t = self.tandem(repo, "blame", "A-2")
        self.assertExit(t, 0)
        value_line = next(l for l in t.lines if l.lstrip().startswith("value"))
        self.assertIn("13", value_line)
        self.assertIn("bob", value_line)
        self.assertIn(repo.day(1), value_line)

    def test_blame_unknown_id(self):
        repo, _ = self.history()
        self.assertFault(self.tandem(repo, "blame", "NOPE-1"), "NOPE-1")

    def test_blame_after_a_field_is_removed_and_item_recreated(self):
        repo = new_repo(self.tmp)
        repo.edit("alice", "drop", "backlog.yaml", lambda t: remove_record(t, "A-3"))
        c3 = repo.commit("alice", "back", {"backlog.yaml": BACKLOG})
        r = self.tandem(repo, "--format", "json", "blame", "A-3")
        self.assertExit(r, 0)
        self.assertEqual({f["commit"] for f in r.json()["fields"]}, {c3})


class TestDiff(GitTestCase):

    def test_head_against_working_tree(self):
        repo = new_repo(self.tmp)
        text = repo.read("backlog.yaml")
        text = set_field(text, "A-2", "title", "Card and wallet payment")
        text = remove_record(text, "A-1") + NEW_ITEM
        repo.write({"backlog.yaml": text})
        before = snapshot(repo.root)
        r = self.tandem(repo, "--today", TODAY, "--format", "json", "diff")
        self.assertExit(r, 0)
        self.assertEqual(snapshot(repo.root), before)
        data = r.json()
        for key in ("changes", "ranks", "milestones"):
            self.assertIn(key, data)
        got = {(c["kind"], c["id"], c["field"]): (c["old"], c["new"]) for c in data["changes"]}
        self.assertEqual(got[("backlog", "A-2", "title")], ("Card payment", "Card and wallet payment"))
        self.assertIn(("backlog", "A-1", "delete"), got)
        self.assertIn(("backlog", "A-4", "create"), got)
        for c in data["changes"]:
            self.assertEqual(set(c) >= {"kind", "id", "field", "old", "new"}, True)
        t = self.tandem(repo, "--today", TODAY, "diff")
        self.assertExit(t, 0)
        self.assertIn("A-4", t.out)
        self.assertIn("Card and wallet payment", t.out)

    def test_no_changes(self):
        repo = new_repo(self.tmp)
        r = self.tandem(repo, "--today", TODAY, "--format", "json", "diff")
        self.assertExit(r, 0)
        self.assertEqual((r.json()["changes"], r.json()["ranks"], r.json()["milestones"]), ([], [], []))

    def test_ranks_moved(self):
        repo = new_repo(self.tmp)
        c1 = repo.head()
        c2 = repo.edit("alice", "Order history matters", "backlog.yaml", lambda t: set_field(t, "A-3", "value", 40))
        r = self.tandem(repo, "--today", TODAY, "--format", "json", "diff", c1, c2)
        self.assertExit(r, 0)
        data = r.json()
        self.assertEqual([(c["id"], c["field"], c["old"], c["new"]) for c in data["changes"]], [("A-3", "value", 3, 40)])
        ranks = {m["id"]: (m["old"], m["new"]) for m in data["ranks"]}
        self.assertEqual(ranks, {"A-3": (3, 1), "A-2": (1, 2), "A-1": (2, 3)})
        self.assertEqual(data["milestones"], [])  # same items, same person: M1 finishes on the same day
        md = self.tandem(repo, "--today", TODAY, "--format", "markdown", "diff", c1, c2)
        self.assertExit(md, 0)
        self.assertIn("A-3", md.out)
        self.assertRegex(md.out, r"3 (→|->) 1")

    def test_milestone_forecast_moves_and_becomes_late(self):
        repo = new_repo(self.tmp)
        c1 = repo.head()
        s = self.tandem(repo, "--today", TODAY, "--format", "json", "schedule")
        self.assertExit(s, 0)
        m1 = {m["id"]: m for m in s.json()["milestones"]}["M1"]
        self.assertEqual((m1["finish"], m1["status"]), ("2027-01-15", "on_track"))
        c2 = repo.edit("carol", "Order history is bigger", "backlog.yaml", lambda t: set_field(t, "A-3", "estimate", 15))
        s = self.tandem(repo, "--today", TODAY, "--format", "json", "schedule")
        m1 = {m["id"]: m for m in s.json()["milestones"]}["M1"]
        self.assertEqual((m1["finish"], m1["status"], m1["late_by"]), ("2027-01-29", "late", 5))

        r = self.tandem(repo, "--today", TODAY, "--format", "json", "diff", c1, c2)
        self.assertExit(r, 0)
        ms = r.json()["milestones"]
        self.assertEqual([(m["id"], m["old"], m["new"]) for m in ms], [("M1", "2027-01-15", "2027-01-29")])
        t = self.tandem(repo, "--today", TODAY, "diff", c1, c2)
        self.assertExit(t, 0)
        self.assertRegex(t.out, r"M1: 2027-01-15 (→|->) 2027-01-29, now late by 5 workdays")
        md = self.tandem(repo, "--today", TODAY, "--format", "markdown", "diff", c1, c2)
        self.assertExit(md, 0)
        self.assertRegex(md.out, r"M1: 2027-01-15 (→|->) 2027-01-29, now late by 5 workdays")
        self.assertIn("estimate", md.out)

    def test_one_revision_against_working_tree(self):
        repo = new_repo(self.tmp)
        c1 = repo.head()
        repo.edit("carol", "estimate", "backlog.yaml", lambda t: set_field(t, "A-3", "estimate", 8))
        repo.write({"backlog.yaml": set_field(repo.read("backlog.yaml"), "A-1", "estimate", 1)})
        r = self.tandem(repo, "--today", TODAY, "--format", "json", "diff", c1)
        self.assertExit(r, 0)
        got = {(c["id"], c["field"], c["old"], c["new"]) for c in r.json()["changes"]}
        self.assertEqual(got, {("A-3", "estimate", 5, 8), ("A-1", "estimate", 2, 1)})
        r = self.tandem(repo, "--today", TODAY, "--format", "json", "diff")  # HEAD against the working tree
        self.assertEqual({(c["id"], c["field"]) for c in r.json()["changes"]}, {("A-1", "estimate")})
        r = self.tandem(repo, "--today", TODAY, "--format", "json", "diff", c1, "HEAD")
        self.assertEqual({(c["id"], c["field"]) for c in r.json()["changes"]}, {("A-3", "estimate")})

    def test_milestone_and_risk_changes(self):
        repo = new_repo(self.tmp)
        c1 = repo.head()
        repo.write({"roadmap.yaml": ROADMAP + "  - id: M2\n    title: Launch\n    target: 2027-03-01\n",
                    "risks.yaml": set_field(RISKS, "R1", "impact", 5)})
        r = self.tandem(repo, "--today", TODAY, "--format", "json", "diff", c1)
        self.assertExit(r, 0)
        got = {(c["kind"], c["id"], c["field"]) for c in r.json()["changes"]}
        self.assertEqual(got, {("roadmap", "M2", "create"), ("risks", "R1", "impact")})


class TestRev(GitTestCase):
    """--rev reads the plan from a commit; the working tree is never touched."""

    def setUp(self):
        super().setUp()
        self.repo = new_repo(self.tmp)
        self.c1 = self.repo.head()
        self.c2 = self.repo.commit("alice", "Order history first, risk up", {
            "backlog.yaml": set_field(BACKLOG, "A-3", "value", 40),
            "risks.yaml": set_field(RISKS, "R1", "probability", 5)})
        # The working tree differs and has an error.
        self.repo.write({"backlog.yaml": set_field(BACKLOG, "A-1", "colour", "blue"),
                         "risks.yaml": set_field(RISKS, "R1", "impact", 1)})
        self.before = snapshot(self.repo.root)
        self.status = self.repo.git("status", "--porcelain")

    def tearDown(self):
        self.assertEqual(snapshot(self.repo.root), self.before, "the working tree was modified")
        self.assertEqual(self.repo.git("status", "--porcelain"), self.status)

    def test_check(self):
        self.assertExit(self.tandem(self.repo, "--today", TODAY, "check"), 1)
        self.assertExit(self.tandem(self.repo, "--today", TODAY, "--rev", "HEAD", "check"), 0)
        self.assertExit(self.tandem(self.repo, "--today", TODAY, "--rev", self.c1, "check"), 0)

    def test_priority(self):
        top = lambda rev: self.tandem(self.repo, "--format", "json", "--rev", rev, "priority").json()["items"][0]["id"]
        self.assertEqual(top("HEAD"), "A-3")
        self.assertEqual(top(self.c1), "A-2")
        self.assertEqual(top("HEAD~1"), "A-2")

    def test_schedule(self):
        r = self.tandem(self.repo, "--today", TODAY, "--format", "json", "--rev", "HEAD", "schedule")
        self.assertExit(r, 0)
        items = {i["id"]: i for i in r.json()["items"]}
        self.assertEqual(items["A-3"]["start"], "2027-01-04")  # first by WSJF at HEAD
        r = self.tandem(self.repo, "--today", TODAY, "--format", "json", "--rev", self.c1, "schedule")
        self.assertExit(r, 0)
        items = {i["id"]: i for i in r.json()["items"]}
        self.assertEqual(items["A-2"]["start"], "2027-01-04")

    def test_risks(self):
        exposure = lambda rev: self.tandem(self.repo, "--today", TODAY, "--format", "json", "--rev", rev,
                                           "risks").json()["risks"][0]["exposure"]
        self.assertEqual(exposure("HEAD"), 20)
        self.assertEqual(exposure(self.c1), 12)


if __name__ == "__main__":
    unittest.main()
