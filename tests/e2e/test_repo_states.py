"""Repositories as users first meet them: no commit yet (the README's quick start), owned by another user (a CI
container), a report's window of history, and plan text or commits holding control characters."""

import json
import os
import re
import unittest

from tandem_e2e import run
from test_git import GitTestCase, Repo, PLAN, git, new_repo, set_field

NO_COMMITS = "no commits yet: commit the plan first"


class TestNoCommits(GitTestCase):
    """After `git init` and `tandem init` the plan has no history yet: nothing is an unknown revision."""

    def setUp(self):
        super().setUp()
        self.repo = Repo(self.tmp / "repo")
        self.assertExit(self.tandem(self.repo, "init"), 0)

    def test_report_says_there_are_no_commits_in_every_format(self):
        for fmt in ("text", "markdown", "html"):
            with self.subTest(fmt=fmt):
                r = self.tandem(self.repo, "--format", fmt, "report", "--today", "2027-01-15", leaks=False)
                self.assertExit(r, 0)
                self.assertIn("No commits yet: commit the plan first.", r.out)
                self.assertNotIn("unknown revision", r.err)
        r = self.tandem(self.repo, "--format", "json", "report", "--today", "2027-01-15", leaks=False)
        self.assertExit(r, 0)
        data = r.json()
        self.assertEqual(data["recent_changes"], [])
        self.assertEqual(data["recent_note"], NO_COMMITS)
        self.assertEqual(data["recent_window"], {"from": "2027-01-01", "to": "2027-01-15"})

    def test_report_with_undated_done_items_needs_no_history(self):
        # done items without a `done:` date are dated from history, which is empty here
        path = self.repo.root / "backlog.yaml"
        text = path.read_text()
        path.write_text(re.sub(r"(\n  - id: [^\n]*\n)", r"\1    status: done\n", text, count=1))
        self.assertIn("status: done", path.read_text())
        for cmd in ("report", "forecast"):
            with self.subTest(cmd=cmd):
                r = self.tandem(self.repo, cmd, "--today", "2027-01-15", leaks=False)
                self.assertIn(r.code, (0, 1), r.err)  # forecast: 1 without usable throughput history
                self.assertNotIn(NO_COMMITS, r.err)
                self.assertNotIn("unknown revision", r.err)

    def test_diff_compares_the_working_tree_with_an_empty_plan(self):
        r = self.tandem(self.repo, "diff", leaks=False)
        self.assertExit(r, 0)
        self.assertIn("empty plan (no commits yet)", r.out)
        r = self.tandem(self.repo, "--format", "json", "diff", leaks=False)
        self.assertExit(r, 0)
        changes = r.json()["changes"]
        self.assertTrue(changes)
        self.assertEqual({c["field"] for c in changes}, {"create"})
        self.assertIn("tandem.yaml", {c["file"] for c in changes})
        self.assertTrue(r.json()["ranks"])
        self.assertTrue(all(m["old"] is None for m in r.json()["ranks"]))

    def test_history_commands_say_there_are_no_commits(self):
        item = re.search(r"- id: (\S+)", (self.repo.root / "backlog.yaml").read_text()).group(1)
        for args in (("log", item), ("blame", item), ("check", "--rev", "HEAD"), ("audit",), ("audit", "HEAD"),
                     ("diff", "HEAD")):
            with self.subTest(args=args):
                r = self.tandem(self.repo, *args, leaks=False)
                self.assertFault(r, NO_COMMITS)
                self.assertNotIn("unknown revision", r.err)

    def test_after_the_first_commit_history_is_read(self):
        self.repo.commit("alice", "plan")
        r = self.tandem(self.repo, "--format", "json", "report", "--today", self.repo.day(3), leaks=False)
        self.assertExit(r, 0)
        self.assertIsNone(r.json()["recent_note"])
        self.assertTrue(r.json()["recent_changes"])


@unittest.skipUnless(hasattr(os, "geteuid") and os.geteuid() == 0, "needs root to give the repository to another user")
class TestForeignOwner(GitTestCase):
    """A CI container often checks out as one user and runs as another: git's safe.directory advice, not
    'not in a git repository'."""

    def test_safe_directory_advice_and_it_works_once_trusted(self):
        repo = new_repo(self.tmp)
        for path in [repo.root, *repo.root.rglob("*")]:
            os.lchown(path, 4242, 4242)
        home = self.tmp / "home"
        home.mkdir()
        env = {"HOME": str(home), "XDG_CONFIG_HOME": None}
        for args in (("report", "--today", repo.day(1)), ("log", "A-1")):
            with self.subTest(args=args):
                r = self.tandem(repo, *args, env=env, leaks=False)
                self.assertFault(r, f"detected dubious ownership in repository at '{repo.root}'",
                                 f"git config --global --add safe.directory '{repo.root}'")
                self.assertNotIn("not in a git repository", r.err)
        (home / ".gitconfig").write_text(f"[safe]\n\tdirectory = {repo.root}\n")
        for args in (("report", "--today", repo.day(1)), ("log", "A-1")):
            with self.subTest(args=args, trusted=True):
                r = self.tandem(repo, *args, env=env, leaks=False)
                self.assertExit(r, 0)
                self.assertIn("A-1", r.out)

    def test_a_plan_outside_git_stays_outside(self):
        # nothing to trust: commands that need no history still run, those that do say there is no repository
        (self.tmp / "plan").mkdir()
        for name, text in PLAN.items():
            (self.tmp / "plan" / name).write_text(text)
        r = self.tandem(self.tmp / "plan", "log", "A-1", leaks=False)
        self.assertFault(r, "not in a git repository")


class TestReportWindow(GitTestCase):
    """The report's recent changes are the commits dated from today − 14 days (or --since) to today."""

    def setUp(self):
        super().setUp()
        self.repo = new_repo(self.tmp)  # commit n is dated day(n), from 2027-01-05
        for i in range(1, 25):
            self.repo.edit("carol", f"estimate {i}", "backlog.yaml", lambda t, i=i: set_field(t, "A-1", "estimate", i))

    def recent(self, *args):
        r = self.tandem(self.repo, "--format", "json", "report", *args, leaks=False)
        self.assertExit(r, 0)
        return r, sorted({c["date"] for c in r.json()["recent_changes"]})

    def test_commits_after_today_are_not_recent(self):
        r, dates = self.recent("--today", "2026-11-28")
        self.assertEqual(dates, [])
        self.assertEqual(r.json()["recent_window"], {"from": "2026-11-14", "to": "2026-11-28"})
        text = self.tandem(self.repo, "report", "--today", "2026-11-28", leaks=False)
        self.assertIn("Changes in the last 14 days\n\nNo changes to the plan.", text.out)

    def test_the_window_ends_today(self):
        _, dates = self.recent("--today", self.repo.day(20))
        self.assertEqual(dates, [self.repo.day(n) for n in range(6, 21)])

    def test_violations_end_today_as_the_changes_do(self):
        # bob (project manager) raises A-2's value, the product owner's field, on day 25: a report dated
        # before it neither lists the change nor judges it; the range judged ends at the commit of today.
        late = self.repo.edit("bob", "Raise A-2", "backlog.yaml", lambda t: set_field(t, "A-2", "value", 13))
        r, dates = self.recent("--today", self.repo.day(20))
        self.assertEqual(dates, [self.repo.day(n) for n in range(6, 21)])
        data = r.json()
        self.assertEqual(data["violations"], [])
        self.assertEqual(data["violations_range"], {"base": self.repo.head("HEAD~20"), "head": self.repo.head("HEAD~5")})
        text = self.tandem(self.repo, "report", "--today", self.repo.day(20), leaks=False).out
        self.assertIn("Ownership violations in the last 14 days\n\nNone.\n", text)
        self.assertNotIn("A-2 value", text)
        for fmt in ("markdown", "html"):
            self.assertNotIn("A-2 value", self.tandem(self.repo, "report", "--format", fmt, "--today",
                                                      self.repo.day(20), leaks=False).out)
        # On the day of the change, both sections have it.
        r, dates = self.recent("--today", self.repo.day(25))
        self.assertEqual([(v["commit"], v["id"], v["field"]) for v in r.json()["violations"]], [(late, "A-2", "value")])
        self.assertEqual(r.json()["violations_range"]["head"], late)
        self.assertIn(self.repo.day(25), dates)
        # Before the first commit there is nothing to judge: no range, no violation.
        r, dates = self.recent("--today", "2027-01-01")
        self.assertEqual((dates, r.json()["violations"], r.json()["violations_range"]), ([], [], None))
        text = self.tandem(self.repo, "report", "--today", "2027-01-01", leaks=False).out
        self.assertIn("Ownership violations in the last 14 days\n\nNone.\n", text)

    def test_since_sets_the_start(self):
        _, dates = self.recent("--today", self.repo.day(20), "--since", self.repo.day(2))
        self.assertEqual(dates, [self.repo.day(n) for n in range(2, 21)])
        r = self.tandem(self.repo, "--format", "markdown", "report", "--today", self.repo.day(20), "--since",
                        self.repo.day(2), leaks=False)
        self.assertIn(f"## Changes since {self.repo.day(2)}", r.out)

    def test_bad_since(self):
        r = self.tandem(self.repo, "report", "--today", self.repo.day(20), "--since", "2027-02-30", leaks=False)
        self.assertFault(r, "--since '2027-02-30' is not a valid date")
        r = self.tandem(self.repo, "report", "--today", self.repo.day(20), "--since", self.repo.day(21), leaks=False)
        self.assertFault(r, "is after today")

    def test_since_is_in_the_help(self):
        r = self.tandem(self.repo, "report", "--help")
        self.assertExit(r, 0)
        self.assertIn("--since DATE", r.out)


EVIL_TITLE = r'"\e[31mRed\e[0m\roverwritten"'
EVIL_SHOWN = r"\x1b[31mRed\x1b[0m\roverwritten"
EVIL_EMAIL = "mallory\x1b[2J@example.com"


class TestTextEscapes(GitTestCase):
    """Titles, commit identities and the user's own input never reach the terminal raw."""

    def setUp(self):
        super().setUp()
        self.repo = new_repo(self.tmp)
        self.repo.edit("bob", "retitle", "backlog.yaml", lambda t: set_field(t, "A-1", "title", EVIL_TITLE))
        self.repo.edit(("Mallory\x1b[31m", EVIL_EMAIL), "\x1b[31mred subject\rX", "roadmap.yaml",
                       lambda t: set_field(t, "M1", "title", EVIL_TITLE))
        self.repo.write({"risks.yaml": set_field(self.repo.read("risks.yaml"), "R1", "title", EVIL_TITLE)})
        self.today = self.repo.day(3)

    def assertNoRawControls(self, r, args):
        for name, text in (("stdout", r.out), ("stderr", r.err)):
            self.assertNotRegex(text, "[\x00-\x08\x0b-\x1f\x7f]", f"tandem {' '.join(args)}: raw control in {name}")

    def test_text_and_markdown_outputs_escape(self):
        cases = [("priority",), ("schedule",), ("risks",), ("check",), ("log", "A-1"), ("log", "M1"), ("blame", "A-1"),
                 ("blame", "M1"), ("audit", "HEAD"), ("diff",), ("diff", "HEAD~2", "HEAD"), ("report",)]
        for args in cases:
            for fmt in ("text", "markdown"):
                full = ("--today", self.today, "--format", fmt, *args)
                with self.subTest(args=full):
                    r = self.tandem(self.repo, *full, leaks=False)
                    self.assertIn(r.code, (0, 1), r.err)
                    self.assertNoRawControls(r, full)
                    if args[0] not in ("check", "audit"):
                        self.assertIn(r"\x1b[31mRed", r.out)

    def test_people_from_commits_are_escaped(self):
        r = self.tandem(self.repo, "log", "M1", leaks=False)
        self.assertIn(r"mallory\x1b[2J@example.com", r.out)
        r = self.tandem(self.repo, "--today", self.today, "report", leaks=False)
        self.assertIn(r"mallory\x1b[2J@example.com", r.out)

    def test_json_stays_exact(self):
        r = self.tandem(self.repo, "--format", "json", "priority", leaks=False)
        titles = {i["id"]: i["title"] for i in r.json()["items"]}
        self.assertEqual(titles["A-1"], "\x1b[31mRed\x1b[0m\roverwritten")
        r = self.tandem(self.repo, "--format", "json", "log", "M1", leaks=False)
        self.assertEqual(r.json()["commits"][-1]["summary"], "\x1b[31mred subject\rX")

    def test_audit_github_annotations_stay_one_line_each(self):
        self.repo.edit("bob", "inject", "backlog.yaml",
                       lambda t: set_field(t, "A-2", "title", r'"ok\n::warning file=x::injected\r\n::error::y"'))
        r = self.tandem(self.repo, "--format", "github", "audit", "HEAD", leaks=False)
        self.assertExit(r, 1)
        self.assertNoRawControls(r, ("audit", "--format", "github"))
        lines = r.out.splitlines()
        self.assertTrue(any("injected" in line for line in lines))
        for line in lines:
            self.assertFalse(line.startswith("::warning"), line)
            if line.startswith("::"):
                self.assertTrue(line.startswith("::error file="), line)

    def test_error_messages_escape_the_users_input(self):
        for args in (("--today", "\x1b[31m2027"), ("--color", "\x1b[31m"), ("--rev", "x\x1b[2J"), ("\x1b[2Jcmd",)):
            with self.subTest(args=args):
                full = (*args, "priority") if args[0].startswith("-") else args
                r = self.tandem(self.repo, *full, leaks=False)
                self.assertExit(r, 2)
                self.assertNoRawControls(r, full)
                self.assertIn(r"\x1b[", r.err)


if __name__ == "__main__":
    unittest.main()
