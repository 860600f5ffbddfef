"""One judge (issue 27): every output that shows ownership violations computes them with `audit`'s code,
approval commits and `Approved-by:` trailers included.

Property: on random histories with branches, merges and approvals (audit_model.py's generator, commits
hours to a day apart), `report --format json`'s violations equal `audit B..T --format json`'s, T the
newest commit on HEAD's first-parent line dated on or before the report's today, B the last commit on
T's first-parent line dated before the report's window (SPEC 8), found here with git alone. CI runs a fixed seed for a time budget (TANDEM_JUDGE_SECONDS, default 30)."""

import datetime as dt
import json
import os
import random
import subprocess
import tempfile
import time
import unittest

import audit_model
from tandem_e2e import BIN
from test_git import GitTestCase, Repo, new_repo, set_field

SEED = 20261227
DAY = 86400


def tandem_json(repo, *args):
    r = subprocess.run([BIN, "-C", repo, *args, "--format", "json"], capture_output=True, text=True, timeout=120)
    if r.returncode not in (0, 1):
        raise AssertionError(f"tandem {' '.join(args)} exited {r.returncode}: {r.stderr}")
    return r.returncode, json.loads(r.stdout)


def key(v):
    """What a violation says: the commit, the change and the rule; the same keys in report and audit."""
    return (v["commit"], v["kind"], v["id"], v["field"], json.dumps(v["old"]), json.dumps(v["new"]),
            v["requirement"], v["code"])


def first_parent_line(repo, rev):
    """`rev`'s first-parent line, newest first, as (commit id, commit time)."""
    log = subprocess.run(["git", "-C", repo, "log", "--first-parent", "--format=%H %ct", rev], check=True,
                         capture_output=True, text=True).stdout
    return [(line.split()[0], int(line.split()[1])) for line in log.split("\n") if line]


def window_top(repo, rev, today):
    """T: the newest commit on `rev`'s first-parent line whose commit time is on or before `today` (a date)."""
    end = int(dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), dt.timezone.utc).timestamp())
    return next((c for c, t in first_parent_line(repo, rev) if t < end), None)


def window_base(repo, rev, since):
    """B: the newest commit on `rev`'s first-parent line whose commit time is before `since` (a date)."""
    start = int(dt.datetime.combine(since, dt.time(), dt.timezone.utc).timestamp())
    return next((c for c, t in first_parent_line(repo, rev) if t < start), None)


def check_history(repo, rev, rng):
    """None when report and audit agree on `rev`'s window; else the difference."""
    times = [int(t) for t in subprocess.run(["git", "-C", repo, "log", "--format=%ct", rev], check=True,
                                            capture_output=True, text=True).stdout.split()]
    first, last = (dt.datetime.fromtimestamp(t, dt.timezone.utc).date() for t in (min(times), max(times)))
    today = last + dt.timedelta(days=rng.randint(-2, 3))  # commits after today are not the window's
    args = ["--rev", rev, "report", "--today", today.isoformat()]
    since = today - dt.timedelta(days=14)
    if rng.random() < 0.7:  # a window that starts anywhere in the history, or before it
        since = first + dt.timedelta(days=rng.randint(-1, max(0, (today - first).days)))
        args += ["--since", since.isoformat()]
    code, report = tandem_json(repo, *args)
    if code != 0:
        return f"report exited {code}"
    head = window_top(repo, rev, today)
    if head is None:  # no commit dated on or before today: nothing to judge
        if report["violations_range"] is not None or report["violations"] != []:
            return f"{' '.join(args)}: no commit by today, yet report judged {report['violations_range']}"
        return None
    base = window_base(repo, head, since)
    if report["violations_range"] != {"base": base, "head": head}:
        return f"{' '.join(args)}: report judged {report['violations_range']}, B..T is {base}..{head}"
    if base == head:
        expected = []
    else:
        _, audited = tandem_json(repo, "audit", f"{base}..{head}" if base else head)
        expected = audited["violations"]
    if sorted(map(key, report["violations"])) != sorted(map(key, expected)):
        return (f"{' '.join(args)} (B {base}):\n  report: {sorted(map(key, report['violations']))}\n"
                f"  audit:  {sorted(map(key, expected))}")
    return None


class TestOneJudge(GitTestCase):

    def test_report_violations_are_audit_of_the_window_range_on_random_histories(self):
        budget = float(os.environ.get("TANDEM_JUDGE_SECONDS", "30"))
        end = time.monotonic() + budget
        tried = approved = 0
        with tempfile.TemporaryDirectory(prefix="tandem-judge-") as root:
            seed = SEED
            while tried < 6 or time.monotonic() < end:
                repo, _, tip, stream = audit_model.make_repo(root, seed, gap=(3600, 30 * 3600), declare_roles=True)
                subprocess.run(["git", "-C", repo, "reset", "-q", "--hard", "main"], check=True)  # report reads the work tree's tandem.yaml
                approved += "Approves:" in stream
                rng = random.Random(seed)
                for rev in (tip, "main"):
                    problem = check_history(repo, rev, rng)
                    self.assertIsNone(problem, f"seed {seed}, {rev}: {problem}")
                tried += 1
                seed += 1
        self.assertGreater(approved, 0, "some histories have approval commits")
        print(f"\n{tried} random histories: report's violations are audit's")

    def test_an_approval_commit_clears_the_change_in_audit_and_report(self):
        # bob (project manager) raises A-2's value, which is the product owner's; alice approves the branch
        # with `tandem approve`, and it is merged. audit and report agree: no violation.
        repo = new_repo(self.tmp)
        base = repo.head()
        repo.git("checkout", "-q", "-b", "feature")
        change = repo.edit("bob", "Raise A-2", "backlog.yaml", lambda t: set_field(t, "A-2", "value", 13))
        _, alone = self.audit_json(repo, f"{base}..{change}", code=1)
        self.assertEqual([(v["id"], v["field"]) for v in alone["violations"]], [("A-2", "value")])
        repo.git("config", "user.name", "Alice Martin")
        repo.git("config", "user.email", "alice@example.com")
        r = self.tandem(repo, "approve", "main..feature", env=repo.env_for("alice"), leaks=False)
        self.assertExit(r, 0)
        repo.n += 1
        repo.git("checkout", "-q", "main")
        repo.git("merge", "-q", "--no-ff", "--no-edit", "feature", env=repo.env_for("alice"))
        repo.n += 1
        _, audited = self.audit_json(repo, f"{base}..main", code=0)
        self.assertEqual(audited["violations"], [])
        today = repo.day(4)
        report = self.tandem(repo, "report", "--format", "json", "--today", today, "--since", repo.day(1), leaks=False)
        self.assertExit(report, 0)
        data = report.json()
        self.assertEqual(data["violations"], [])
        self.assertEqual(data["violations_range"], {"base": base, "head": repo.head()})
        text = self.tandem(repo, "report", "--today", today, "--since", repo.day(1), leaks=False).out
        self.assertIn(f"Ownership violations since {repo.day(1)}\n\nNone.\n", text)
        # Without the approval (the branch's own commit alone), both find bob's change.
        data = self.tandem(repo, "--rev", change, "report", "--format", "json", "--today", today, "--since",
                           repo.day(1), leaks=False).json()
        self.assertEqual([(v["id"], v["field"], v["person"]) for v in data["violations"]], [("A-2", "value", "bob")])
        self.assertEqual(data["violations_range"], {"base": base, "head": change})

    def test_a_shallow_clone_without_the_range_says_so_and_reports_the_rest(self):
        origin = new_repo(self.tmp, "origin")
        for i in range(3):
            origin.edit("bob", f"value {i}", "backlog.yaml", lambda t, i=i: set_field(t, "A-2", "value", 10 + i))
        clone = Repo.clone(f"file://{origin.root}", self.tmp / "clone", "--depth", "2")
        r = self.tandem(clone, "report", "--format", "json", "--today", origin.day(3), "--since", origin.day(0),
                        leaks=False)
        self.assertExit(r, 0)
        data = r.json()
        self.assertIsNone(data["violations"])
        self.assertIsNone(data["violations_range"])
        self.assertIn("this shallow clone begins at", data["violations_note"])
        self.assertIn("fetch", data["violations_note"])
        text = self.tandem(clone, "report", "--today", origin.day(3), "--since", origin.day(0), leaks=False)
        self.assertExit(text, 0)
        self.assertIn("\n\nNot judged: the history is incomplete: this shallow clone begins at ", text.out)
        # With the history the window needs, the clone judges as audit does.
        data = self.tandem(clone, "report", "--format", "json", "--today", origin.day(3), "--since", origin.day(3),
                           leaks=False).json()
        self.assertEqual([(v["id"], v["person"]) for v in data["violations"]], [("A-2", "bob")])


class TestReviewABranch(GitTestCase):
    """`diff A..B` and `diff A...B` read as git reads them: two dots compare the tips, three dots compare B
    with the merge base (what the branch changes, the review before `approve`)."""

    def branch_and_later_main(self):
        repo = new_repo(self.tmp)
        repo.git("checkout", "-q", "-b", "feature")
        repo.edit("carol", "Re-estimate A-1", "backlog.yaml", lambda t: set_field(t, "A-1", "estimate", 4))
        repo.edit("bob", "Raise A-2", "backlog.yaml", lambda t: set_field(t, "A-2", "value", 13))
        repo.git("checkout", "-q", "main")
        repo.edit("alice", "Rename A-3", "backlog.yaml", lambda t: set_field(t, "A-3", "title", "Orders"))
        return repo

    def changes(self, repo, *revs):
        r = self.tandem(repo, "diff", *revs, "--format", "json", "--today", "2027-01-10", leaks=False)
        self.assertExit(r, 0)
        data = r.json()
        return data, [(c["id"], c["field"], c["old"], c["new"], c.get("approval")) for c in data["changes"]]

    def test_three_dots_show_only_what_the_branch_changes(self):
        repo = self.branch_and_later_main()
        data, changes = self.changes(repo, "main...feature")
        self.assertEqual(changes, [("A-1", "estimate", 2, 4, "developer: has it"),
                                   ("A-2", "value", 5, 13, "product_owner: missing product_owner: an approval by "
                                                           "Alice Martin <alice@example.com>")])
        base = repo.head("main~1")
        self.assertEqual(data["from"], f"the merge base of main and feature ({base[:10]})")
        self.assertEqual(data["to"], "feature")
        # The same from the branch: main...HEAD, and an empty side is HEAD.
        repo.git("checkout", "-q", "feature")
        self.assertEqual(self.changes(repo, "main...HEAD")[1], changes)
        self.assertEqual(self.changes(repo, "main...")[1], changes)
        text = self.tandem(repo, "diff", "main...HEAD", "--today", "2027-01-10", leaks=False).out
        self.assertIn(f"Plan changes from the merge base of main and HEAD ({base[:10]}) to HEAD\n", text)
        self.assertNotIn("A-3", text)

    def test_two_dots_and_two_revisions_compare_the_tips(self):
        repo = self.branch_and_later_main()
        _, two = self.changes(repo, "main", "feature")
        self.assertEqual([c[:4] for c in two], [("A-1", "estimate", 2, 4), ("A-2", "value", 5, 13),
                                                ("A-3", "title", "Orders", "Order history")])  # main's change, reversed
        _, dots = self.changes(repo, "main..feature")
        self.assertEqual(dots, two)

    def test_ranges_and_revisions_are_not_mixed(self):
        repo = self.branch_and_later_main()
        for revs in (("main..feature", "main"), ("main", "main...feature")):
            r = self.tandem(repo, "diff", *revs, leaks=False)
            self.assertFault(r, "give a range A..B (or A...B) alone, or two revisions")
        self.assertFault(self.tandem(repo, "diff", "main...nowhere", leaks=False), "nowhere")
        orphan = repo.git("commit-tree", repo.head("HEAD^{tree}"), "-m", "unrelated")
        self.assertFault(self.tandem(repo, "diff", f"main...{orphan}", leaks=False), "no common history")

    def test_the_schedule_s_finishes_are_called_planned_finishes(self):
        repo = self.branch_and_later_main()
        text = self.tandem(repo, "diff", "main...feature", "--today", "2027-01-10", leaks=False).out
        self.assertIn("\nPlanned finishes moved\n\n  M1: ", text)
        self.assertNotIn("forecast", text)
        md = self.tandem(repo, "diff", "main...feature", "--today", "2027-01-10", "--format", "markdown",
                         leaks=False).out
        self.assertIn("### Planned finishes moved", md)


class TestApproveClaimsOnlyWhatItApproves(GitTestCase):
    """`tandem approve` lists only the changes the approver's approval counts for (audit's rule), says which
    it cannot approve and why, and `--dry-run` writes nothing; its count is what audit then counts."""

    def branch(self):
        repo = new_repo(self.tmp)
        repo.git("checkout", "-q", "-b", "feature")
        repo.edit("bob", "Raise A-2", "backlog.yaml", lambda t: set_field(t, "A-2", "value", 13))           # needs PO
        repo.edit("bob", "Assign A-1", "backlog.yaml", lambda t: set_field(t, "A-1", "assignee", "carol"))  # bob's own field
        repo.edit("carol", "Re-estimate A-1", "backlog.yaml", lambda t: set_field(t, "A-1", "estimate", 4))  # developer's
        repo.edit("carol", "Start A-1", "backlog.yaml", lambda t: set_field(t, "A-1", "status", "doing"))   # dev or PM
        repo.edit("carol", "Rename A-3", "backlog.yaml", lambda t: set_field(t, "A-3", "title", "Orders"))  # needs PO
        return repo

    def approve(self, repo, who, *args, code=0):
        r = self.tandem(repo, "approve", "main..feature", *args, env=repo.env_for(who), leaks=False)
        self.assertExit(r, code)
        if not args:
            repo.n += 1
        return r

    def approved_by(self, repo, person):
        _, data = self.audit_json(repo, "main..feature")
        return [(a["id"], a["field"]) for a in data["approved"] if person in a["approvers"]]

    def test_the_project_manager_approves_only_what_needs_a_project_manager_and_is_not_his(self):
        repo = self.branch()
        head = repo.head()
        dry = self.approve(repo, "bob", "--dry-run")
        self.assertEqual(repo.head(), head, "--dry-run writes no commit")
        lines = dry.out.splitlines()
        self.assertEqual(lines[0], "Would approve 1 change of the range as bob (dry run: no commit written)")
        self.assertRegex(lines[1], r"^  backlog A-1 status: \(none\) → doing \(commit [0-9a-f]{10}\)$")
        self.assertEqual(lines[2], "Not approved: bob's approval does not count for 4 changes of the range:")
        refused = "\n".join(lines[3:])
        self.assertRegex(refused, r"backlog A-2 value: 5 → 13 \(commit [0-9a-f]{10}\): your own change")
        self.assertRegex(refused, r"backlog A-1 assignee: \(none\) → carol \(commit [0-9a-f]{10}\): your own change")
        self.assertIn("backlog A-1 estimate: 2 → 4", refused)
        self.assertIn("needs developer, a role you do not hold (you: project_manager)", refused)
        self.assertIn("A-3 title: Order history → Orders", refused)
        self.assertIn("needs product_owner, a role you do not hold", refused)

        r = self.approve(repo, "bob")
        self.assertRegex(r.out, r"^Approved 1 change of the range in commit [0-9a-f]{10} ")
        self.assertEqual(repo.head("HEAD~1"), head)
        message = repo.git("log", "-1", "--format=%B")
        self.assertIn("A-1 status", message)
        self.assertNotIn("A-2", message)  # the message claims only what the approval counts for
        self.assertEqual(self.approved_by(repo, "bob"), [("A-1", "status")])

    def test_the_product_owner_s_approval_clears_what_needs_her(self):
        repo = self.branch()
        _, before = self.audit_json(repo, "main..feature", code=1)
        self.assertEqual(sorted((v["id"], v["field"]) for v in before["violations"]), [("A-2", "value"), ("A-3", "title")])
        r = self.approve(repo, "alice")
        self.assertRegex(r.out, r"^Approved 2 changes of the range in commit ")
        self.assertIn("Not approved: alice's approval does not count for 3 changes of the range:", r.out)
        self.assertEqual(sorted(self.approved_by(repo, "alice")), [("A-2", "value"), ("A-3", "title")])
        _, after = self.audit_json(repo, "main..feature", code=0)
        self.assertEqual(after["violations"], [])

    def test_nothing_to_approve_says_why_and_writes_nothing(self):
        repo = new_repo(self.tmp)
        repo.git("checkout", "-q", "-b", "feature")
        repo.edit("carol", "Re-estimate A-1", "backlog.yaml", lambda t: set_field(t, "A-1", "estimate", 4))
        head = repo.head()
        r = self.approve(repo, "carol", code=2)
        self.assertIn("nothing to approve", r.err)
        self.assertIn("your own change", r.err)
        r = self.approve(repo, "alice", code=2)
        self.assertIn("needs developer, a role you do not hold (you: product_owner)", r.err)
        r = self.approve(repo, ("Eve Outsider", "eve@example.com"), code=2)
        self.assertIn("<eve@example.com> (your git author email) names no person of tandem.yaml", r.err)
        self.assertEqual(repo.head(), head)


if __name__ == "__main__":
    unittest.main()
