"""Issue 28's first hour: a command line without surprises, the first cause first, and git's identity.

Each test runs the built binary on real files in a real git repository, with no global git identity.
"""

import json
import os
import subprocess
import unittest

from tandem_e2e import MIN_CONFIG, TODAY, TandemTestCase, run, snapshot

BACKLOG = """\
items:
  - id: CHK-1
    title: Guest checkout
    status: todo
    estimate: 3
    milestone: M1
    tags: [payments, ui]
    acceptance: [First, Second]
  - {id: CHK-2, title: Flow item, estimate: 2, tags: [api]}
  - id: CHK-3
    title: Block
    estimate: 1
    depends_on: [CHK-1]
"""
ROADMAP = "milestones:\n  - id: M1\n    title: Beta\n    target: 2027-03-01\n"
RISKS = ("risks:\n  - id: R1\n    title: API change\n    probability: 3\n    impact: 4\n    affects: [M1]\n"
         "    review: 2027-01-01\n  - id: R2\n    title: Vendor late\n    probability: 1\n    impact: 2\n"
         "    review: 2027-06-01\n")


def git(root, *args, env=None):
    full = dict(os.environ, **(env or {}))
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True, env=full).stdout.strip()


class FirstHour(TandemTestCase):

    def setUp(self):
        super().setUp()
        self.home = self.tmp / "home"
        self.home.mkdir()
        self.root = self.tmp / "plan"
        self.root.mkdir()
        for name, text in {"tandem.yaml": MIN_CONFIG, "backlog.yaml": BACKLOG, "roadmap.yaml": ROADMAP,
                           "risks.yaml": RISKS}.items():
            (self.root / name).write_text(text, encoding="utf-8")
        git(self.root, "init", "-q", "-b", "main")
        git(self.root, "config", "user.name", "Pat")
        git(self.root, "config", "user.email", "pat@example.com")
        git(self.root, "add", "-A")
        git(self.root, "commit", "-qm", "plan")

    def env(self, **extra):
        """No global or system git configuration and no identity from the environment."""
        base = {"HOME": str(self.home), "XDG_CONFIG_HOME": str(self.home), "GIT_CONFIG_NOSYSTEM": "1",
                "GIT_CONFIG_GLOBAL": os.devnull, "EMAIL": None, "GIT_AUTHOR_EMAIL": None,
                "GIT_AUTHOR_NAME": None, "GIT_COMMITTER_EMAIL": None, "GIT_CONFIG_COUNT": None}
        base.update(extra)
        return base

    def tandem(self, *args, env=None):
        return run("--today", TODAY, *args, cwd=self.root, env=env or self.env())

    def backlog(self):
        return (self.root / "backlog.yaml").read_text(encoding="utf-8")

    def assertError(self, r, message, code=2):
        self.assertEqual(r.code, code, f"--- stdout\n{r.out}\n--- stderr\n{r.err}")
        self.assertIn(message, r.err)
        self.assertTrue(r.err.startswith("tandem: error: "), r.err)


class CommandLine(FirstHour):

    def test_cli11_errors_are_in_tandem_words(self):
        r = self.tandem("log", "CHK-1", "CHK-2")
        self.assertEqual(r.err, "tandem: error: unexpected argument 'CHK-2' (tandem log takes ID; "
                                "see 'tandem log --help')\n")
        r = self.tandem("schedule", "--status", "doin")
        self.assertEqual(r.err, "tandem: error: --status: 'doin' is not one of todo, doing, done, dropped; did you "
                                "mean 'doing'? (see 'tandem schedule --help')\n")
        self.assertEqual(self.tandem("show").err, "tandem: error: missing ID (see 'tandem show --help')\n")
        r = self.tandem("priority", "--limit", "ten")
        self.assertEqual(r.err, "tandem: error: --limit: 'ten' is not a number (see 'tandem priority --help')\n")
        r = self.tandem("forecast", "--runs", "-5")
        self.assertEqual(r.err, "tandem: error: --runs: -5 is not between 1 and 10000000 (see 'tandem forecast --help')\n")
        r = self.tandem("merge-driver")
        self.assertEqual(r.err, "tandem: error: tandem merge-driver needs a command: install, run "
                                "(see 'tandem merge-driver --help')\n")
        r = self.tandem("risks", "--today", "2027-01-02")  # self.tandem gives --today too
        self.assertEqual(r.err, "tandem: error: --today takes at most 1 value (given 2) (see 'tandem risks --help')\n")
        r = self.tandem("done", "CHK-1", "--date")
        self.assertEqual(r.err, "tandem: error: --date needs a value (see 'tandem done --help')\n")
        for r in (self.tandem("log", "CHK-1", "CHK-2"), self.tandem("schedule", "--status", "doin")):
            self.assertEqual((r.code, r.out), (2, ""))

    def test_help_for_a_command_names_tandem_and_help_has_help(self):
        r = self.tandem("help", "set")
        self.assertEqual(r.code, 0)
        self.assertIn("Usage: tandem set [OPTIONS] ID FIELD=VALUE", r.out)
        r = self.tandem("help", "help")
        self.assertEqual(r.code, 0)
        self.assertIn("Usage: tandem help", r.out)
        r = self.tandem("help")  # the whole help, not help's own
        self.assertEqual(r.code, 0)
        self.assertIn("Usage: tandem [OPTIONS]", r.out)
        self.assertIn("schedule", r.out)
        self.assertIn("Usage: tandem done [OPTIONS] ID...", self.tandem("done", "--help").out)

    def test_unknown_commands_and_options_suggest_what_is_meant(self):
        r = self.tandem("remove", "CHK-1")
        self.assertError(r, "unknown command 'remove'; did you mean 'drop'?")
        r = self.tandem("info", "CHK-1")
        self.assertError(r, "did you mean 'show'?")
        r = self.tandem("schedule", "-o", "x.txt")
        self.assertError(r, "unknown option '-o' (tandem schedule prints to stdout: redirect it, e.g. > FILE)")
        self.assertNotIn("-h", r.err)

    def test_done_start_and_drop_take_several_ids_in_one_edit(self):
        r = self.tandem("done", "CHK-1", "CHK-2")
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("CHK-1: status: todo → done", r.out)
        self.assertIn("CHK-2: status: (none) → done", r.out)
        text = self.backlog()
        self.assertEqual(text.count(f"done: {TODAY}"), 2)
        self.assertIn(f"{{id: CHK-2, title: Flow item, estimate: 2, tags: [api], status: done, done: {TODAY}}}", text)
        r = self.tandem("start", "CHK-3", "--date", "2027-01-10")
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("started: 2027-01-10", self.backlog())
        # One edit: an id that is not there refuses all of them, and nothing is written.
        before = snapshot(self.root)
        r = self.tandem("drop", "CHK-3", "CHK-9")
        self.assertError(r, "CHK-9", code=1)
        self.assertEqual(snapshot(self.root), before)
        r = self.tandem("drop", "CHK-3", "M1")
        self.assertError(r, "M1 is a milestone", code=1)
        self.assertEqual(snapshot(self.root), before)
        self.assertEqual(self.tandem("drop", "CHK-3", "CHK-1").code, 0)
        self.assertEqual(self.backlog().count("status: dropped"), 2)

    def test_output_file_extension_picks_the_format(self):
        r = self.tandem("report", "-o", "r.html")
        self.assertEqual(r.code, 0, r.err)
        self.assertTrue((self.root / "r.html").read_text().startswith("<!DOCTYPE html>"))
        self.assertEqual(self.tandem("report", "-o", "r.json").code, 0)
        self.assertIn("milestones", json.loads((self.root / "r.json").read_text()))
        self.assertEqual(self.tandem("report", "-o", "r.md").code, 0)
        self.assertTrue((self.root / "r.md").read_text().startswith("#"))
        # --format wins over the extension; an extension the command cannot write is an error.
        self.assertEqual(self.tandem("--format", "text", "report", "-o", "r2.html").code, 0)
        self.assertFalse((self.root / "r2.html").read_text().startswith("<!DOCTYPE"))
        r = self.tandem("report", "-o", "r.sarif")
        self.assertError(r, "report offers no sarif output for r.sarif (choose text, json, markdown, html with --format)")
        self.assertEqual(self.tandem("report", "-o", "r.out").code, 0)  # another extension: text

    def test_quiet_silences_notes(self):
        r = self.tandem("set", "CHK-1", "estimate=5")  # pat is no developer: a note that approval is needed
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("tandem: note: estimate is owned by developer", r.err)
        r = self.tandem("-q", "set", "CHK-1", "estimate=6")
        self.assertEqual((r.code, r.out, r.err), (0, "", ""))
        self.assertIn("estimate: 6", self.backlog())

    def test_unknown_tags_and_people_are_errors_with_did_you_mean(self):
        r = self.tandem("schedule", "--tag", "payment")
        self.assertError(r, "unknown tag 'payment' (--tag: no item has it); did you mean 'payments'?")
        self.assertEqual(r.out, "")
        r = self.tandem("priority", "--person", "dav")
        self.assertError(r, "unknown person 'dav' (--person); did you mean 'dev'?")
        self.assertEqual(self.tandem("schedule", "--tag", "payments").code, 0)

    def test_log_and_blame_print_lists_as_yaml_flow_lists(self):
        self.assertEqual(self.tandem("set", "CHK-1", "tags+=fast lane").code, 0)
        git(self.root, "commit", "-qam", "tags")
        log = self.tandem("log", "CHK-1")
        self.assertIn("tags: [payments, ui] → [payments, ui, fast lane]", log.out)
        blame = self.tandem("blame", "CHK-1")
        self.assertIn("[payments, ui, fast lane]", blame.out)
        self.assertNotIn('["', log.out + blame.out)
        self.assertEqual(self.tandem("log", "CHK-1", "--format", "json").json()["commits"][-1]["changes"][0]["new"],
                         ["payments", "ui", "fast lane"])

    def test_report_json_load_matches_load(self):
        load = self.tandem("load", "--format", "json").json()["people"]
        report = self.tandem("report", "--format", "json").json()["load"]
        self.assertEqual(report, load)
        self.assertIn("sprint", report[0]["periods"][0])
        self.assertIn("late", report[0]["periods"][0])

    def test_headings_match_the_filter(self):
        r = self.tandem("risks", "--overdue")
        self.assertTrue(r.out.startswith("Overdue risks: 1\n"), r.out)
        self.assertNotIn("Open risks", r.out)
        r = self.tandem("risks", "--milestone", "M1")
        self.assertTrue(r.out.startswith("Open risks (--milestone M1): 1\n"), r.out)
        self.assertEqual(self.tandem("risks").out.splitlines()[0], "Open risks: 2")
        self.assertEqual(self.tandem("priority", "--tag", "api").out.splitlines()[0],
                         "Priority by manual (--tag api): 1 undone item")
        self.assertEqual(self.tandem("schedule", "--milestone", "M1").out.splitlines()[0],
                         "Schedule from 2027-01-15 to 2027-01-22 (--milestone M1): 1 item planned")
        self.assertEqual(self.tandem("schedule", "--status", "done").out, "Nothing to schedule (--status done).\n")
        self.assertTrue(self.tandem("load", "--person", "dev").out.startswith("Load per person and week (--person dev): "))


class ShowAndList(FirstHour):

    def test_show_an_item_has_every_field_and_what_tandem_computes(self):
        self.assertEqual(self.tandem("-q", "set", "CHK-1", "estimate=4").code, 0)
        git(self.root, "commit", "-qam", "estimate")
        commit = git(self.root, "rev-parse", "--short=10", "HEAD")
        r = self.tandem("show", "CHK-1")
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual(r.out, (
            "item CHK-1: Guest checkout\n"
            "  file         backlog.yaml:2\n"
            "  status       todo\n"
            "  estimate     4\n"
            "  milestone    M1\n"
            "  tags         [payments, ui]\n"
            "  acceptance   [First, Second]\n"
            "computed:\n"
            "  rank         1 of 3\n"
            "  planned      2027-01-15 → 2027-01-20, dev\n"
            "  float        0 workdays (on the critical chain)\n"
            "  milestone    M1 Beta (target 2027-03-01, planned finish 2027-01-20): on track (plan only: no throughput history)\n"
            "  risks        R1 (exposure 12, via M1)\n"
            f"  last change  {git(self.root, 'log', '-1', '--format=%as')} {commit} Pat: estimate: 3 → 4\n"))
        j = self.tandem("show", "CHK-1", "--format", "json").json()
        self.assertEqual((j["id"], j["kind"], j["file"], j["line"]), ("CHK-1", "item", "backlog.yaml", 2))
        self.assertEqual(j["fields"]["tags"], ["payments", "ui"])
        self.assertEqual((j["rank"], j["ranked"]), (1, 3))
        self.assertEqual(j["planned"], {"person": "dev", "start": "2027-01-15", "finish": "2027-01-20",
                                        "sprint": None, "float": 0, "critical": True})
        self.assertEqual(j["milestone"]["id"], "M1")
        self.assertEqual([(x["id"], x["via"]) for x in j["risks"]], [("R1", "M1")])
        self.assertEqual((j["last_change"]["commit"], j["last_change"]["person"]), (commit, "pat"))
        # The same facts as the commands that compute them.
        schedule = {i["id"]: i for i in self.tandem("schedule", "--format", "json").json()["items"]}
        self.assertEqual((schedule["CHK-1"]["start"], schedule["CHK-1"]["finish"]), ("2027-01-15", "2027-01-20"))

    def test_show_a_milestone_and_a_risk_and_an_unknown_id(self):
        r = self.tandem("show", "M1")
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("milestone M1: Beta\n", r.out)
        self.assertIn("  items        [CHK-1]\n", r.out)
        r = self.tandem("show", "R1")
        self.assertIn("  affects      [M1]\n", r.out)
        self.assertIn("  rank         1 (exposure 12, high, review overdue)\n", r.out)
        r = self.tandem("show", "CHK-11")
        self.assertError(r, "no item, milestone or risk has the id 'CHK-11'; did you mean 'CHK-1'?")

    def test_show_outside_git_says_there_is_no_history(self):
        plain = self.tmp / "plain"
        plain.mkdir()
        for name in ("tandem.yaml", "backlog.yaml", "roadmap.yaml", "risks.yaml"):
            (plain / name).write_bytes((self.root / name).read_bytes())
        r = run("--today", TODAY, "show", "CHK-2", cwd=plain, env=self.env(GIT_CEILING_DIRECTORIES=str(self.tmp)))
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("  planned      2027-01-20 → 2027-01-21, dev\n", r.out)
        self.assertIn("  last change  ", r.out)
        self.assertIn("is not in a git repository", r.out)

    def test_list_filters_and_formats(self):
        r = self.tandem("list")
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual(r.out.splitlines()[:3], ["Items: 3", "",
                                                  "id     title           status  rank  person  milestone  estimate  tags"])
        self.assertIn("CHK-1  Guest checkout  todo       1  dev     M1                3  payments, ui", r.out)
        r = self.tandem("list", "--tag", "api", "--format", "csv")
        self.assertEqual(r.lines, ["id,title,status,rank,person,milestone,estimate,tags", "CHK-2,Flow item,todo,2,dev,,2,api"])
        j = self.tandem("list", "--milestone", "M1", "--format", "json").json()
        self.assertEqual([i["id"] for i in j["items"]], ["CHK-1"])
        self.assertEqual(j["items"][0]["tags"], ["payments", "ui"])
        self.assertTrue(self.tandem("list", "--person", "dev", "--format", "markdown").out
                        .startswith("## Items (--person dev): 3\n"))
        self.assertEqual(self.tandem("list", "--status", "done").out, "No items (--status done).\n")
        self.assertError(self.tandem("list", "--tag", "paymnts"), "did you mean 'payments'?")


class AuditRange(FirstHour):

    def test_audit_says_which_range_it_judged(self):
        git(self.root, "checkout", "-qb", "feature")
        for n in (5, 6, 7):
            self.assertEqual(self.tandem("-q", "set", "CHK-2", f"estimate={n}").code, 0)
            git(self.root, "commit", "-qam", f"estimate {n}")
        r = self.tandem("audit", "main..feature")
        self.assertIn("main..feature: 3 violations in 3 commits", r.out)
        self.assertIn("main..HEAD: ", self.tandem("audit", "--base", "main").out)
        # One revision is its whole history, and says so: not the pull request's audit.
        r = self.tandem("audit", "main")
        self.assertIn("main (its whole history): ", r.out)
        self.assertIn("in 1 commit", r.out)
        self.assertIn("tandem: note: main is one revision: its whole history was judged; this branch's own commits "
                      "are 'tandem audit main..HEAD'", r.err)
        r = self.tandem("audit", "feature")  # the branch checked out: its whole history, and no note
        self.assertIn("feature (its whole history): ", r.out)
        self.assertEqual(r.err, "")
        self.assertEqual(self.tandem("audit", "main..feature", "--format", "json").json()["range"], "main..feature")


class FirstCause(FirstHour):

    def test_an_edit_on_a_plan_that_does_not_parse_names_the_file(self):
        (self.root / "roadmap.yaml").write_text("milestones:\n  - id: M1\n    title: [Beta\n")
        before = snapshot(self.root)
        r = self.tandem("set", "M1", "target=2027-04-01")
        self.assertError(r, "roadmap.yaml does not parse (roadmap.yaml:", code=1)
        self.assertNotIn("no item, milestone or risk", r.err)
        r = self.tandem("done", "CHK-1")
        self.assertError(r, "roadmap.yaml does not parse", code=1)
        self.assertEqual(snapshot(self.root), before)

    def test_archive_tells_a_missing_file_from_an_unnamed_one(self):
        self.tandem("-q", "done", "CHK-2")
        r = self.tandem("archive", "--to", "archive.yaml")
        self.assertError(r, "archive.yaml is not a backlog file named in files: (backlog.yaml); add it there first "
                            "(and start it with the line 'items: []')", code=1)
        config = MIN_CONFIG + "files:\n  backlog: [backlog.yaml, archive.yaml]\n"
        (self.root / "tandem.yaml").write_text(config)
        r = self.tandem("archive", "--to", "archive.yaml")
        self.assertError(r, "archive.yaml is named in files: but does not exist; start it with the line 'items: []'",
                         code=1)
        (self.root / "archive.yaml").write_text("")
        r = self.tandem("archive", "--to", "archive.yaml")
        self.assertError(r, "archive.yaml: the file is empty; start it with the line 'items: []'", code=1)
        (self.root / "archive.yaml").write_text("items: []\n")
        self.assertEqual(self.tandem("archive", "--to", "archive.yaml").code, 0)
        self.assertIn("CHK-2", (self.root / "archive.yaml").read_text())

    def test_a_day_that_does_not_exist_is_named_as_such(self):
        r = self.tandem("set", "M1", "target=2027-02-30")
        self.assertError(r, "target must be a date, and '2027-02-30' is not: that day does not exist "
                            "(February 2027 has 28 days)", code=1)
        r = self.tandem("done", "CHK-1", "--date", "2027-04-31")
        self.assertError(r, "--date '2027-04-31' is not a valid date: that day does not exist (April 2027 has 30 days)")
        r = self.tandem("report", "--since", "2027-13-01")
        self.assertError(r, "that day does not exist (there is no month 13)")
        r = self.tandem("set", "M1", "target=soon")
        self.assertError(r, "'soon' is not: write dates as YYYY-MM-DD", code=1)

    def test_one_error_is_one(self):
        (self.root / "backlog.yaml").write_text(BACKLOG.replace("estimate: 1", "estimate: many"))
        r = self.tandem("schedule")
        self.assertIn("tandem: the plan has 1 error; fix it first (see 'tandem check')", r.err)
        (self.root / "backlog.yaml").write_text(BACKLOG.replace("estimate: 1", "estimate: many")
                                                .replace("estimate: 2", "estimate: two"))
        self.assertIn("the plan has 2 errors; fix them first", self.tandem("schedule").err)


class Identity(FirstHour):
    """The editor is who git would record as the commit's author."""

    def test_git_author_email_comes_first(self):
        # user.email is pat (product owner): estimate needs a developer, so a note.
        self.assertIn("needs an approval", self.tandem("set", "CHK-1", "estimate=5").err)
        r = self.tandem("set", "CHK-1", "estimate=6", env=self.env(GIT_AUTHOR_EMAIL="dana@example.com"))
        self.assertEqual((r.code, r.err), (0, ""))

    def test_git_config_from_the_environment_counts(self):
        git(self.root, "config", "--unset", "user.email")
        git(self.root, "config", "user.useConfigOnly", "true")  # no email guessed from the host name
        r = self.tandem("set", "CHK-1", "estimate=5")
        self.assertIn("ownership could not be checked: no git identity", r.err)
        env = self.env(GIT_CONFIG_COUNT="1", GIT_CONFIG_KEY_0="user.email", GIT_CONFIG_VALUE_0="dana@example.com")
        r = self.tandem("set", "CHK-1", "estimate=6", env=env)
        self.assertEqual((r.code, r.err), (0, ""))
        r = self.tandem("set", "CHK-1", "estimate=7", env=self.env(GIT_CONFIG_COUNT="1", GIT_CONFIG_KEY_0="user.email",
                                                                   GIT_CONFIG_VALUE_0="pat@example.com"))
        self.assertIn("needs an approval", r.err)

    def test_audit_worktree_judges_as_the_author(self):
        (self.root / "backlog.yaml").write_text(BACKLOG.replace("estimate: 2", "estimate: 8"))
        self.assertEqual(self.tandem("audit", "--worktree").code, 1)
        r = self.tandem("audit", "--worktree", env=self.env(GIT_AUTHOR_EMAIL="dana@example.com"))
        self.assertEqual(r.code, 0, r.out + r.err)


if __name__ == "__main__":
    unittest.main()
