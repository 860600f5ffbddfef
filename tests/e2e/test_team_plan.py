"""The team plan of issue 27 (tests/e2e/team_plan.py), read as a PM would: one status per milestone in
every output, a forecast on the history that exists, work in progress first, and columns that explain
themselves."""

import json
import re
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import team_plan
from tandem_e2e import BIN, TandemTestCase, run

TODAY = team_plan.TODAY
MILESTONES = ["M1", "M2", "M3"]


_BUILT = None  # the team plan, built once for the module


def setUpModule():
    global _BUILT
    _BUILT = tempfile.TemporaryDirectory(prefix="tandem-team-")
    team_plan.build(Path(_BUILT.name), BIN)


def tearDownModule():
    _BUILT.cleanup()


class TeamPlanCase(TandemTestCase):
    """Reads the team plan built once; a test that edits it works on a copy."""

    @property
    def repo(self):
        return Path(_BUILT.name)

    def copy(self):
        target = self.tmp / "shop"
        shutil.copytree(self.repo, target, symlinks=True)
        return target

    def tandem(self, *args, cwd=None, code=0, env=None):
        r = run(*args, "--today", TODAY, cwd=cwd or self.repo, env=env)
        self.assertExit(r, code)
        return r

    def as_person(self, repo, who):
        subprocess.run(["git", "config", "user.email", team_plan.PEOPLE[who]], cwd=repo, check=True)

    def statuses(self, *args, cwd=None):
        """The status of each milestone in every output of the same inputs: {output: {id: text}}."""
        cwd = cwd or self.repo
        out = {}
        sched = self.tandem("schedule", "--format", "json", *args, cwd=cwd, code=None).json()
        out["schedule json"] = {m["id"]: m["status"] for m in sched["milestones"]}
        fc = self.tandem("forecast", "--format", "json", *args, cwd=cwd, code=None)
        if fc.code == 0:
            out["forecast json"] = {m["id"]: m["status"] for m in fc.json()["milestones"]}
        rep = self.tandem("report", "--format", "json", *args, cwd=cwd, code=None).json()
        out["report json"] = {m["id"]: m["status"] for m in rep["milestones"]}
        # show: a milestone's own status, and an item's milestone's, in the same shape as schedule's
        shape = ("status", "late_by", "plan_only", "why")
        rows = {m["id"]: {k: m[k] for k in shape} for m in sched["milestones"]}
        shown, via_item = {}, {}
        for mid in rows:
            m = self.tandem("show", mid, "--format", "json", *args, cwd=cwd, code=None).json()
            shown[mid] = m["status"]
            self.assertEqual({k: m[k] for k in shape}, rows[mid], f"show {mid}")
        for item in sched["items"]:
            ms = self.tandem("show", item["id"], "--format", "json", *args, cwd=cwd, code=None).json()["milestone"]
            if ms is not None and ms["id"] not in via_item:
                via_item[ms["id"]] = ms["status"]
                self.assertEqual({k: ms[k] for k in shape}, rows[ms["id"]], f"show {item['id']}")
        out["show json"], out["show ITEM json"] = shown, {m: via_item.get(m, rows[m]["status"]) for m in rows}
        return out

    def assertExit(self, result, code):
        if code is not None:
            super().assertExit(result, code)


class OneStatus(TeamPlanCase):
    """The same word for the same milestone everywhere (SPEC 8)."""

    def test_every_output_gives_each_milestone_the_same_status(self):
        words = {"M1": "on track", "M2": "on track", "M3": "late by 3 workdays"}
        keys = {"M1": "on_track", "M2": "on_track", "M3": "late"}
        for output, got in self.statuses().items():
            self.assertEqual(got, keys, output)
        schedule = self.tandem("schedule").out
        forecast = self.tandem("forecast").out
        report = self.tandem("report").out
        markdown = self.tandem("report", "--format", "markdown").out
        html = self.tandem("report", "--format", "html").out
        for mid, word in words.items():
            self.assertRegex(schedule, rf"\n{mid} .*  {word}( \(committed\))?\n")
            self.assertRegex(forecast, rf"\n{mid} .*  {word}\n")
            self.assertRegex(report, rf"\n{mid} .*  {word}  ")
            self.assertRegex(markdown, rf"\n\| {mid} .*\| {word} \|")
            # The Gantt chart's diamond says and colours the same status as the table's cell.
            cls, fill = {"on track": ("ok", "#2e7d32"), "late by 3 workdays": ("late", "#c7362f")}[word]
            self.assertRegex(html, rf'fill="{fill}"><title>{mid} planned [0-9-]+: {word}</title>')
            self.assertRegex(html, rf'<span class="st st-{cls}">{word}</span>')
        # On the old main, report called M1 "at risk" (37 %) while schedule and diff said "on track".
        self.assertNotIn("at risk", report)

    def test_a_shorter_window_puts_the_launch_at_risk_everywhere(self):
        # The last two weeks were slow: two items in ten workdays. --window 14 samples only them.
        fc = self.tandem("forecast", "--window", "14", "--format", "json").json()
        self.assertEqual(fc["window"], 14)
        self.assertEqual(fc["history_from"], "2026-11-23")
        self.assertEqual((fc["history_items"], fc["history_workdays"]), (2, 10))
        m2 = fc["milestones"][1]
        self.assertEqual((m2["id"], m2["status"]), ("M2", "at_risk"))
        self.assertLess(m2["chance"], 0.5)
        rep = self.tandem("report", "--window", "14", "--format", "json").json()
        self.assertEqual([m["status"] for m in rep["milestones"]], [m["status"] for m in fc["milestones"]])
        self.assertEqual(rep["forecast"]["history_from"], "2026-11-23")
        html = self.tandem("report", "--window", "14", "--format", "html").out
        self.assertRegex(html, r'fill="#d08700"><title>M2 planned [0-9-]+: at risk</title>')
        self.assertIn("on the throughput of 2 items done on 10 workdays in the last 14 days (since 2026-11-23)", html)

    def test_no_history_in_the_window_is_plan_only(self):
        # --window 1 holds Sunday 6 Dec alone: no throughput history, the plan alone decides.
        self.tandem("forecast", "--window", "1", code=1)
        rep = self.tandem("report", "--window", "1", "--format", "json").json()
        self.assertEqual([(m["status"], m["plan_only"]) for m in rep["milestones"]],
                         [("on_track", True), ("on_track", True), ("late", True)])
        text = self.tandem("report", "--window", "1").out
        self.assertIn("on track (plan only: no throughput history)", text)
        self.assertIn("late by 3 workdays (plan only: no throughput history)", text)

    def test_an_unschedulable_item_makes_its_milestone_unknown_with_why(self):
        repo = self.copy()
        self.as_person(repo, "carol")
        self.tandem("set", "APP-40", "estimate=", cwd=repo)
        for output, got in self.statuses(cwd=repo).items():
            self.assertEqual(got["M3"], "unknown", output)
        why = "unknown: APP-40 cannot be scheduled: no estimate"
        self.assertIn(why, self.tandem("schedule", cwd=repo).out)
        self.assertIn(why, self.tandem("forecast", cwd=repo).out)
        self.assertIn(why, self.tandem("report", cwd=repo).out)
        rep = self.tandem("report", "--format", "json", cwd=repo).json()
        self.assertEqual(rep["milestones"][2]["why"], "APP-40 cannot be scheduled: no estimate")

    def test_diff_words_a_moved_milestone_as_report_does(self):
        repo = self.copy()
        self.as_person(repo, "carol")
        self.tandem("set", "APP-12", "remaining=4", cwd=repo)  # the beta's last item takes longer
        diff = self.tandem("diff", "--format", "json", cwd=repo).json()
        moved = {m["id"]: m for m in diff["milestones"]}
        self.assertIn("M1", moved)
        rep = self.tandem("report", cwd=repo).out
        status = re.search(r"\nM1 .*  (on track|at risk|late by \d+ workdays?)  ", rep).group(1)
        self.assertIn(f"M1: {moved['M1']['old']} → {moved['M1']['new']}, now {status}\n", self.tandem("diff", cwd=repo).out)
        # JSON spells each status as schedule and report do (SPEC 11), never as display text.
        shape = ("status", "late_by", "plan_only", "why")
        row = next(m for m in self.tandem("report", "--format", "json", cwd=repo).json()["milestones"] if m["id"] == "M1")
        self.assertEqual(moved["M1"]["new_status"], {k: row[k] for k in shape})
        self.assertEqual(moved["M1"]["old_status"], {"status": "on_track", "late_by": None, "plan_only": False, "why": None})

    def test_fail_on_late_and_fail_on_risk(self):
        # M3 is committed and late: CI fails with --fail-on-late, in every command that judges it.
        for command in ("schedule", "forecast", "report"):
            self.tandem(command, "--fail-on-late", code=1)
            self.tandem(command, code=0)
        repo = self.copy()
        self.as_person(repo, "mark")
        self.tandem("set", "M3", "committed=false", cwd=repo)
        self.tandem("schedule", "--fail-on-late", cwd=repo, code=0)
        self.tandem("report", "--fail-on-risk", cwd=repo, code=0)
        # With the slow last two weeks M2, committed, is at risk: --fail-on-risk fails, --fail-on-late not.
        self.tandem("forecast", "--window", "14", "--fail-on-risk", cwd=repo, code=1)
        self.tandem("report", "--window", "14", "--fail-on-risk", cwd=repo, code=1)
        self.tandem("report", "--window", "14", "--fail-on-late", cwd=repo, code=0)


class RealHistory(TeamPlanCase):
    """The forecast samples the team's five weeks, not ninety days of which sixty predate it."""

    def test_the_window_starts_at_the_first_completion(self):
        fc = self.tandem("forecast", "--format", "json").json()
        self.assertEqual(fc["window"], 90)
        self.assertEqual(fc["history_from"], "2026-11-02")
        self.assertEqual((fc["history_items"], fc["history_workdays"]), (15, 25))
        text = self.tandem("forecast").out
        self.assertIn("throughput of 15 items done on 25 workdays since the first completion on 2026-11-02", text)
        self.assertIn("15 items done on 25 workdays since the first completion on 2026-11-02",
                      self.tandem("report").out)
        rep = self.tandem("report", "--format", "json").json()
        self.assertEqual(rep["forecast"], {"window": 90, "history_from": "2026-11-02", "history_items": 15,
                                           "history_workdays": 25})
        # The launch is likely on the team's real pace (it was 0.3 % over 64 workdays).
        self.assertGreater(fc["milestones"][1]["chance"], 0.5)

    def test_to_go_counts_the_items_ranked_before_and_done_shows_the_share(self):
        fc = self.tandem("forecast", "--format", "json").json()
        rows = {m["id"]: (m["items"], m["ranked_before"], m["done"], m["scope"]) for m in fc["milestones"]}
        # M1: its two started items, first in the schedule; M2: the two items in progress and two chores first.
        self.assertEqual(rows, {"M1": (2, 0, 10, 12), "M2": (15, 4, 5, 16), "M3": (29, 15, 0, 14)})
        text = self.tandem("forecast").out
        self.assertIn("to go", text.splitlines()[2])
        self.assertRegex(text, r"\nM2 +15 \(incl\. 4 ranked before it\) +5/16 \(31%\) ")
        self.assertRegex(text, r"\nM1 +2 +10/12 \(83%\) ")
        csv = self.tandem("forecast", "--format", "csv").out.splitlines()
        self.assertEqual(csv[0], "milestone,items,ranked_before,done,scope,p50,p70,p85,p95,target,chance,status")
        sched = self.tandem("schedule", "--format", "json").json()
        self.assertEqual([(m["done"], m["scope"], m["done_share"]) for m in sched["milestones"]],
                         [(10, 12, 0.8333), (5, 16, 0.3125), (0, 14, 0.0)])
        self.assertRegex(self.tandem("schedule").out, r"\nM1 .* 10/12 \(83%\)  on track\n")
        self.assertRegex(self.tandem("report").out, r"\nM2 .* 5/16 \(31%\)  on track  ")


class WorkInProgress(TeamPlanCase):
    """Started items first, by the person who started them (SPEC 5 step 5)."""

    def test_started_items_come_first_for_the_person_who_started_them(self):
        items = {i["id"]: i for i in self.tandem("schedule", "--format", "json").json()["items"]}
        # bob's APP-11 (remaining 1) before the two chores ranked above it; carol started APP-12 unassigned.
        self.assertEqual((items["APP-11"]["person"], items["APP-11"]["start"], items["APP-11"]["finish"]),
                         ("bob", TODAY, TODAY))
        self.assertEqual(items["OPS-1"]["start"], "2026-12-08")
        self.assertEqual((items["APP-12"]["person"], items["APP-12"]["start"]), ("carol", TODAY))
        backlog = (self.repo / "backlog.yaml").read_text()
        self.assertRegex(backlog, r"- id: APP-12\n(    .*\n)*    assignee: carol\n")
        self.assertRegex(backlog, r"- id: APP-12\n(    .*\n)*    started: 2026-12-04\n")

    def test_finishing_a_started_item_does_not_make_a_milestone_slip(self):
        before = {m["id"]: m["finish"] for m in self.tandem("schedule", "--format", "json").json()["milestones"]}
        repo = self.copy()
        for who, item in (("bob", "APP-11"), ("carol", "APP-12")):
            self.as_person(repo, who)
            self.tandem("done", item, cwd=repo)
            after = {m["id"]: m["finish"] for m in self.tandem("schedule", "--format", "json", cwd=repo).json()["milestones"]}
            for mid in MILESTONES:
                self.assertLessEqual(after[mid], before[mid], f"{mid} after {item} done")
            before = after

    def test_start_records_the_editor_as_assignee_and_takes_a_date(self):
        repo = self.copy()
        self.as_person(repo, "dan")
        r = self.tandem("start", "APP-30", "--date", "2026-12-04", cwd=repo)
        self.assertIn("APP-30: assignee: (none) → dan", r.out)
        self.assertIn("APP-30: started: (none) → 2026-12-04", r.out)
        self.as_person(repo, "alice")
        r = self.tandem("start", "OPS-1", cwd=repo)  # assigned to bob: he keeps it
        self.assertNotIn("assignee", r.out)
        items = {i["id"]: i for i in self.tandem("schedule", "--format", "json", cwd=repo).json()["items"]}
        self.assertEqual((items["APP-30"]["person"], items["APP-30"]["start"]), ("dan", TODAY))


if __name__ == "__main__":
    unittest.main()
