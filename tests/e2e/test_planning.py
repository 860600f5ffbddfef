"""End-to-end tests of the planning rules a PM relies on (issue 14): pool work by earliest finish, fixed
calendar sprints, conditional ownership (`target if committed`), one milestone status in the report,
`tandem load`, and the row filters. Every expected output is computed by hand in the comments.
"""

import json
import os
import re
import shutil
import subprocess
import unittest
from pathlib import Path

import yaml

from tandem_e2e import SOURCE_DIR, TandemTestCase, dedent, git_init, need, run
from test_git import ALL_PO_PM, PLAN, GitTestCase, line_of, new_repo, set_field

TEAM = dedent("""
    version: 1
    project: {name: Leave ahead, start: 2027-01-04}
    calendar: {holidays: [2027-01-06], sprint: {start: 2027-01-04, length: 14}}
    priority: {model: manual}
    people:
      - {id: pat, name: Pat Owner, roles: [product_owner]}
      - {id: max, name: Max Manager, roles: [project_manager]}
      - {id: ann, name: Ann, roles: [developer], off: [{from: 2027-01-18, to: 2027-01-22}]}
      - {id: ben, name: Ben, roles: [developer]}
""")

# 4 Jan is a Monday; 6 Jan a holiday. A (12 days) goes to whoever finishes first: ann would work the 9
# workdays of 4-15 Jan, be off 18-22 Jan and finish on 27 Jan; ben finishes the 12 workdays (4, 5, 7, 8,
# 11-15, 18-20 Jan) on 20 Jan. B (2 days, after A): ann is off until 22 Jan and would finish on 26 Jan,
# ben on 22 Jan. C (3 days, assigned to ann) runs 4, 5, 7 Jan. The chain A-B ends the plan (14 team
# workdays); C finishes after 3, so its float is 11.
BACKLOG = dedent("""
    items:
      - {id: A, title: Checkout, estimate: 12, milestone: M1, tags: [pay]}
      - {id: B, title: Receipts, estimate: 2, depends_on: [A], milestone: M1}
      - {id: C, title: Search, estimate: 3, tags: [find], assignee: ann}
""")

ROADMAP = dedent("""
    milestones:
      - {id: M1, title: Beta, target: 2027-01-29}
""")


class TestScheduleRules(TandemTestCase):

    def setUp(self):
        super().setUp()
        self.plan({"backlog.yaml": BACKLOG, "roadmap.yaml": ROADMAP}, config=TEAM)

    def tandem(self, *args):
        return run(*args, "--today", "2027-01-01", cwd=self.tmp)

    def test_leave_ahead_goes_to_the_developer_who_finishes_first(self):
        r = self.tandem("schedule")
        self.assertExit(r, 0)
        self.assertEqual(r.out, dedent("""
            Schedule from 2027-01-04 to 2027-01-22: 3 items planned

            id  title     person  start       finish      sprint  float  critical
            A   Checkout  ben     2027-01-04  2027-01-20       2      0  yes
            B   Receipts  ben     2027-01-21  2027-01-22       2      0  yes
            C   Search    ann     2027-01-04  2027-01-07       1     11

            Milestones

            milestone  title  target      finish          done  status
            M1         Beta   2027-01-29  2027-01-22  0/2 (0%)  on track (plan only: no throughput history)
        """))

    def test_a_holiday_never_moves_a_sprint(self):
        data = self.tandem("schedule", "--format", "json").json()
        sprints = {i["id"]: (i["finish"], i["sprint"]) for i in data["items"]}
        # Sprint 1 is 4-17 Jan, sprint 2 18-31 Jan, whatever the holiday on 6 Jan.
        self.assertEqual(sprints, {"A": ("2027-01-20", 2), "B": ("2027-01-22", 2), "C": ("2027-01-07", 1)})

    def test_load_per_person_and_sprint(self):
        r = self.tandem("load")
        self.assertExit(r, 0)
        # Capacity: sprint 1 has 9 workdays (10 minus the holiday), sprint 2 has 10, ann 5 of them.
        # ann: C 3 days in sprint 1. ben: A 9 days in sprint 1, A 3 + B 2 in sprint 2.
        self.assertEqual(r.out, dedent("""
            Load per person and sprint: 2 people

            person  period    start       end         effort  capacity  utilisation  flag
            ann     sprint 1  2027-01-04  2027-01-17       3         9          33%  idle
            ann     sprint 2  2027-01-18  2027-01-31       0         5           0%  idle
            ben     sprint 1  2027-01-04  2027-01-17       9         9         100%
            ben     sprint 2  2027-01-18  2027-01-31       5        10          50%

            idle: below 50% of capacity; overloaded: an assigned item due in the period (its milestone's target) finishes after it
        """))
        data = self.tandem("load", "--format", "json").json()
        self.assertEqual([p["id"] for p in data["people"]], ["ann", "ben"])
        self.assertEqual(data["people"][1]["periods"][0],
                         {"start": "2027-01-04", "end": "2027-01-17", "sprint": 1, "effort": 9, "capacity": 9,
                          "utilisation": 1, "idle": False, "overloaded": False, "late": []})
        csv = self.tandem("load", "--format", "csv").lines
        self.assertEqual(csv[0], "person,sprint,start,end,effort,capacity,utilisation,idle,overloaded,late")
        self.assertEqual(csv[1], "ann,1,2027-01-04,2027-01-17,3,9,0.3333,true,false,")

    def test_an_assigned_item_that_misses_its_sprint_overloads_it(self):
        # C now belongs to M1, due 29 Jan (sprint 2, 18-31 Jan), and has 15 days of work for ann: 9 days in
        # sprint 1, 5 in sprint 2 (she is off 18-22 Jan), the last on 1 Feb in sprint 3.
        self.plan({"backlog.yaml": BACKLOG.replace("estimate: 3, tags: [find]", "estimate: 15, milestone: M1")},
                  config=TEAM)
        data = self.tandem("load", "--format", "json").json()
        ann = data["people"][0]
        self.assertEqual([(p["sprint"], p["overloaded"], p["late"]) for p in ann["periods"]],
                         [(1, False, []), (2, True, ["C"]), (3, False, [])])
        self.assertIn("overloaded: C due, finish later", self.tandem("load").out)

    def test_a_target_before_the_periods_shown_overloads_none(self):
        # M1 is overdue (target 31 Dec, before sprint 1, the first period shown): C, due then, finishes in
        # sprint 3, yet no period shown holds its target, so none is overloaded (schedule says M1 is late).
        self.plan({"backlog.yaml": BACKLOG.replace("estimate: 3, tags: [find]", "estimate: 15, milestone: M1"),
                   "roadmap.yaml": ROADMAP.replace("2027-01-29", "2026-12-31")}, config=TEAM)
        data = self.tandem("load", "--format", "json").json()
        self.assertEqual([(p["start"], p["overloaded"], p["late"]) for p in data["people"][0]["periods"]],
                         [("2027-01-04", False, []), ("2027-01-18", False, []), ("2027-02-01", False, [])])
        self.assertNotIn("overloaded: C", self.tandem("load").out)
        report = self.tandem("report", "--format", "json").json()
        self.assertFalse(any(p["overloaded"] for person in report["load"] for p in person["periods"]))
        self.assertIn("late by", self.tandem("schedule").out)

    def test_filters_select_rows_of_the_whole_computation(self):
        r = self.tandem("schedule", "--person", "ben", "--format", "csv")
        self.assertExit(r, 0)
        # B still waits for A and runs 21-22 Jan: the computation is the whole plan's.
        self.assertEqual(r.lines, ["id,title,person,start,finish,sprint,float,critical",
                                   "A,Checkout,ben,2027-01-04,2027-01-20,2,0,true",
                                   "B,Receipts,ben,2027-01-21,2027-01-22,2,0,true"])
        r = self.tandem("schedule", "--tag", "find", "--tag", "pay", "--format", "csv")
        self.assertEqual([l.split(",")[0] for l in r.lines[1:]], ["A", "C"])
        r = self.tandem("schedule", "--tag", "find", "--tag", "fnd", "--format", "csv")  # a tag no item has
        self.assertExit(r, 2)
        self.assertIn("unknown tag 'fnd'", r.err)
        self.assertIn("did you mean 'find'?", r.err)
        r = self.tandem("schedule", "--milestone", "M1", "--tag", "pay", "--format", "json")
        self.assertEqual([i["id"] for i in r.json()["items"]], ["A"])
        self.assertEqual([m["id"] for m in r.json()["milestones"]], ["M1"])
        r = self.tandem("priority", "--status", "todo", "--person", "ann", "--format", "csv")
        self.assertEqual([l.split(",")[1] for l in r.lines[1:]], ["C"])
        r = self.tandem("load", "--person", "ann", "--format", "csv")
        self.assertEqual([l.split(",")[0] for l in r.lines[1:]], ["ann", "ann"])
        r = self.tandem("load", "--tag", "find", "--format", "csv")  # only C's effort counts
        self.assertEqual([l.split(",")[4] for l in r.lines[1:]], ["3", "0", "0", "0"])

    def test_the_risk_heat_map_counts_the_risks_a_filter_keeps(self):
        plan = self.copy_example("webshop")
        every = run("risks", "--today", "2027-01-04", "--format", "json", cwd=plan).json()
        marco = run("risks", "--today", "2027-01-04", "--person", "marco", "--format", "json", cwd=plan).json()
        self.assertEqual(sum(map(sum, every["heatmap"])), len(every["risks"]))
        self.assertEqual({r["owner"] for r in marco["risks"]}, {"marco"})
        self.assertLess(len(marco["risks"]), len(every["risks"]))
        self.assertEqual(sum(map(sum, marco["heatmap"])), len(marco["risks"]))
        written = {r["id"]: r for r in yaml.safe_load((plan / "risks.yaml").read_text())["risks"]}
        cells = {(written[r["id"]]["probability"], written[r["id"]]["impact"]) for r in marco["risks"]}
        for p in range(1, 6):
            for i in range(1, 6):
                self.assertEqual(marco["heatmap"][p - 1][i - 1] > 0, (p, i) in cells)

    def test_a_filter_naming_nothing_in_the_plan_is_an_error(self):
        r = self.tandem("schedule", "--milestone", "M9")
        self.assertExit(r, 2)
        self.assertIn("unknown milestone 'M9' (--milestone)", r.err)
        r = self.tandem("load", "--person", "zed")
        self.assertExit(r, 2)
        self.assertIn("unknown person 'zed' (--person)", r.err)
        r = self.tandem("priority", "--status", "later")
        self.assertExit(r, 2)


class TestReportStatus(TandemTestCase):
    """The schedule meets the target, but the team's throughput says otherwise: `at risk`."""

    def test_on_track_by_schedule_and_unlikely_by_forecast_is_at_risk(self):
        # Five developers finish the ten 1-day items of M1 on 5 Jan (target 8 Jan); history: one item a
        # week over the 90-day window, so the forecast needs about ten weeks.
        people = "".join(f"  - {{id: d{i}, name: D{i}, roles: [developer]}}\n" for i in range(1, 6))
        config = TEAM.split("people:")[0].replace("calendar: {holidays: [2027-01-06], sprint: {start: 2027-01-04, length: 14}}\n", "") + \
            "people:\n  - {id: pat, name: Pat, roles: [product_owner]}\n  - {id: max, name: Max, roles: [project_manager]}\n" + people
        items = "".join(f"  - {{id: I{i}, title: Item {i}, estimate: 1, milestone: M1}}\n" for i in range(1, 11))
        done = "".join(f"  - {{id: H{w}, title: Old {w}, status: done, done: {d}}}\n"
                       for w, d in enumerate(["2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02",
                                              "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30", "2026-12-07",
                                              "2026-12-14", "2026-12-21"]))
        self.plan({"backlog.yaml": "items:\n" + items + done,
                   "roadmap.yaml": "milestones:\n  - {id: M1, title: Beta, target: 2027-01-08}\n"}, config=config)
        # One status (SPEC 8): schedule says what report says, not "on track" beside report's "at risk".
        sched = run("schedule", "--format", "json", "--today", "2027-01-01", cwd=self.tmp).json()
        self.assertEqual(sched["milestones"][0]["status"], "at_risk")
        self.assertFalse(sched["milestones"][0]["plan_only"])
        self.assertIn(" at risk\n", run("schedule", "--today", "2027-01-01", cwd=self.tmp).out)
        fc = run("forecast", "--today", "2027-01-01", cwd=self.tmp)
        self.assertRegex(fc.lines[3], r" at risk$")
        chance_text = fc.lines[3].split()[-3]
        for fmt in ("text", "markdown"):
            out = run("report", "--format", fmt, "--today", "2027-01-01", cwd=self.tmp).out
            self.assertRegex(out, r"M1 +\| Beta .*\| at risk|M1 +Beta +2027-01-08 +2027-01-05 +0/10 \(0%\) +at risk")
            self.assertIn(chance_text, out)  # the same rounding as `forecast`
        html = run("report", "--format", "html", "--today", "2027-01-01", cwd=self.tmp).out
        self.assertIn(">at risk<", html)
        data = run("report", "--format", "json", "--today", "2027-01-01", cwd=self.tmp).json()
        self.assertEqual(data["milestones"][0]["status"], "at_risk")
        self.assertLess(data["milestones"][0]["chance"], 0.5)


class TestConditionalOwnership(GitTestCase):
    """The default rules: an uncommitted target is the PM's plan; a committed one is joint."""

    def test_pm_moves_an_uncommitted_target_alone(self):
        plan = dict(PLAN, **{"roadmap.yaml": PLAN["roadmap.yaml"].replace("committed: true", "committed: false")})
        repo = new_repo(self.tmp, plan=plan)
        base = repo.head()
        repo.edit("bob", "Move the beta", "roadmap.yaml", lambda t: set_field(t, "M1", "target", "2027-02-05"))
        r, data = self.audit_json(repo, "--base", base, code=0)
        self.assertEqual(data["violations"], [], r.out)

    def test_pm_moving_a_committed_target_needs_the_po(self):
        repo = new_repo(self.tmp)
        base = repo.head()
        sha = repo.edit("bob", "Move the beta", "roadmap.yaml", lambda t: set_field(t, "M1", "target", "2027-02-05"))
        r, data = self.audit_json(repo, "--base", base, code=1)
        self.assertEqual(len(data["violations"]), 1, r.out)
        self.assertViolation(data["violations"][0], commit=sha, person="bob", id="M1", field="target",
                             line=line_of(repo.read("roadmap.yaml"), "M1", "target"), requirement=ALL_PO_PM)

    def test_committing_and_moving_at_once_is_judged_as_committed(self):
        plan = dict(PLAN, **{"roadmap.yaml": PLAN["roadmap.yaml"].replace("committed: true", "committed: false")})
        repo = new_repo(self.tmp, plan=plan)
        base = repo.head()
        repo.edit("bob", "Promise the beta later", "roadmap.yaml",
                  lambda t: set_field(set_field(t, "M1", "target", "2027-02-05"), "M1", "committed", "true"))
        r, data = self.audit_json(repo, "--base", base, code=1)
        self.assertEqual(sorted(v["field"] for v in data["violations"]), ["committed", "target"], r.out)

    def test_rules_and_init_say_the_same(self):
        r = run("rules", cwd=self.plan({}, config=PLAN["tandem.yaml"]))
        self.assertIn("      target: project_manager\n", r.out)
        self.assertIn(f"      target if committed: {ALL_PO_PM}\n", r.out)
        init = self.tmp / "fresh"
        self.assertExit(run("init", str(init), cwd=self.tmp), 0)
        roadmap = (init / "roadmap.yaml").read_text()
        self.assertIn("an uncommitted target is the project manager's plan", roadmap)
        self.assertIn("joint decision", roadmap)


HERE = Path(__file__).resolve().parent
NODE_MODULES = Path(os.environ.get("TANDEM_NODE_MODULES") or SOURCE_DIR / "build" / "node" / "node_modules")


def mermaid_xychart(test, chart):
    """Parses `chart` with Mermaid's own parser; returns (exit code, stderr)."""
    need(test, shutil.which("node") and (NODE_MODULES / "mermaid").is_dir() and (NODE_MODULES / "jsdom").is_dir(),
         f"node with mermaid and jsdom in {NODE_MODULES}")
    p = subprocess.run(["node", str(HERE / "mermaid_xychart.mjs"), str(NODE_MODULES)], input=chart.encode(),
                       capture_output=True, timeout=120)
    return p.returncode, p.stderr.decode("utf-8", "replace")


class TestReportFlow(GitTestCase):
    """Burn-up, throughput, cycle time and the window's violations, all from the one walk of history.

    Commits (one a day from 5 Jan): alice's plan (A-1..A-3 in M1), carol starts A-1 (6 Jan) and finishes it
    (7 Jan, no `done:` date: history dates it), bob raises A-2's value (8 Jan: a violation), and on 12 Jan
    alice adds A-4 to M1 (the scope grows in the week of 11 Jan).
    """

    def make(self):
        repo = new_repo(self.tmp)
        repo.edit("carol", "Start A-1", "backlog.yaml", lambda t: set_field(t, "A-1", "status", "doing"))
        repo.edit("carol", "Finish A-1", "backlog.yaml", lambda t: set_field(t, "A-1", "status", "done"))
        self.bad = repo.edit("bob", "Raise A-2", "backlog.yaml", lambda t: set_field(t, "A-2", "value", 13))
        repo.n = 7
        repo.edit("alice", "Add A-4", "backlog.yaml",
                  lambda t: t + "  - {id: A-4, title: Refunds, owner: alice, milestone: M1, estimate: 1}\n")
        return repo

    def test_burnup_throughput_cycle_time_and_violations(self):
        repo = self.make()
        r = self.tandem(repo, "report", "--format", "json", "--today", "2027-01-15", "--since", "2027-01-06")
        self.assertExit(r, 0)
        data = r.json()
        flow = data["flow"]
        self.assertEqual(flow["burnup"], [{"id": "M1", "weeks": [{"week": "2027-01-04", "done": 1, "scope": 3},
                                                                  {"week": "2027-01-11", "done": 1, "scope": 4}]}])
        self.assertEqual(len(flow["throughput"]), 12)
        self.assertEqual(flow["throughput"][-2:], [{"week": "2027-01-04", "done": 1}, {"week": "2027-01-11", "done": 0}])
        self.assertEqual(flow["cycle_time"], {"p50": 1, "p85": 1, "items": 1})  # doing 6 Jan, done 7 Jan
        self.assertEqual(data["violations"], [
            {"date": "2027-01-08", "commit": self.bad, "person": "bob", "kind": "backlog", "id": "A-2",
             "field": "value", "old": 5, "new": 13, "requirement": "product_owner", "code": "ownership-violation"}])

        text = self.tandem(repo, "report", "--today", "2027-01-15", "--since", "2027-01-06").out
        self.assertIn("Cycle time (started → done): P50 1 day, P85 1 day, over 1 item.\n", text)
        self.assertRegex(text, r"\nM1 +1/3 +1/4\n")
        self.assertRegex(text, r"Ownership violations since 2027-01-06\n\ndate +commit +who +change +needs\n"
                               r"2027-01-08 +" + self.bad[:10] + r" +bob +A-2 value: 5 → 13 +product_owner\n")

        # A window after the violation is clean.
        clean = self.tandem(repo, "report", "--today", "2027-01-15", "--since", "2027-01-10").out
        self.assertIn("Ownership violations since 2027-01-10\n\nNone.\n", clean)

    def test_history_before_the_horizon_is_not_read_but_its_items_are_in_scope(self):
        # In June the walk reaches back to March (12 weeks, the 90-day forecast window): no commit is read,
        # and the four items of the plan were all in scope before it.
        repo = self.make()
        data = self.tandem(repo, "report", "--format", "json", "--today", "2027-06-01").json()
        weeks = data["flow"]["burnup"][0]["weeks"]
        self.assertEqual(len(weeks), 12)
        self.assertEqual({(w["done"], w["scope"]) for w in weeks}, {(1, 4)})  # A-1, done before the horizon
        self.assertEqual(data["violations"], [])

    def test_markdown_charts_parse_and_html_draws_them(self):
        repo = self.make()
        md = self.tandem(repo, "report", "--format", "markdown", "--today", "2027-01-15").out
        charts = [c for c in re.findall(r"^```mermaid\n(.*?)^```$", md, re.S | re.M) if c.startswith("xychart-beta")]
        self.assertEqual(len(charts), 2)  # M1's burn-up, the throughput
        self.assertIn('x-axis ["01-04", "01-11"]', charts[0])
        self.assertIn("line [3, 4]\n    line [1, 1]", charts[0])
        for chart in charts:
            code, err = mermaid_xychart(self, chart)
            self.assertEqual(code, 0, err)
        code, _ = mermaid_xychart(self, charts[0].replace("line [3, 4]", "line [3, 4"))
        self.assertEqual(code, 1)  # the checker fails on a broken chart
        html = self.tandem(repo, "report", "--format", "html", "--today", "2027-01-15").out
        self.assertIn('aria-label="M1 burn-up"', html)
        self.assertIn("M1: 1 of 4 items done", html)

    def test_outside_git_no_burnup_but_throughput_from_the_files(self):
        root = self.plan({"backlog.yaml": PLAN["backlog.yaml"].replace("estimate: 2", "estimate: 2\n    status: done\n"
                                                                       "    started: 2027-01-04\n    done: 2027-01-08"),
                          "roadmap.yaml": PLAN["roadmap.yaml"]}, config=PLAN["tandem.yaml"])
        r = run("report", "--today", "2027-01-15", cwd=root)
        self.assertExit(r, 0)
        self.assertIn("Burn-up: skipped: the plan is not in a git repository.\n", r.out)
        self.assertIn("P50 4 days", r.out)
        self.assertIn("Ownership violations in the last 14 days\n\nSkipped: the plan is not in a git repository.\n", r.out)


FORECAST_TEAM = dedent("""
    version: 1
    project: {name: Throughput, start: 2026-11-02}
    people:
      - {id: po, name: PO, roles: [product_owner]}
      - {id: pm, name: PM, roles: [project_manager]}
      - {id: d1, name: D1, roles: [developer]}
""")


def done_item(ident, day):
    return f"  - {{id: {ident}, title: {ident}, status: done, started: {day}, done: {day}, estimate: 1}}\n"


class TestForecastHistory(TandemTestCase):
    """What the throughput forecast counts (SPEC 6): every completion, and every item a milestone needs."""

    def forecast(self, *args, code=0):
        r = run("forecast", "--today", "2026-11-16", *args, cwd=self.tmp)
        self.assertExit(r, code)
        return r

    def test_a_completion_on_a_non_workday_counts_on_the_next_workday(self):
        # A on Sat 7 Nov and B on Sun 8 Nov count on Mon 9 Nov, where the history starts; C on Tue 10 Nov.
        # Items done per week says 2 in the week of 2 Nov and 1 in that of 9 Nov: 3 items, as the forecast.
        items = done_item("A", "2026-11-07") + done_item("B", "2026-11-08") + done_item("C", "2026-11-10")
        todo = "  - {id: D, title: D, milestone: M1, estimate: 1}\n"
        self.plan({"backlog.yaml": "items:\n" + items + todo,
                   "roadmap.yaml": "milestones: [{id: M1, title: One, target: 2026-12-31}]\n"}, config=FORECAST_TEAM)
        history = ("3 items done on 5 workdays since the first completion on 2026-11-07 "
                   "(not a workday: counted on 2026-11-09)")
        self.assertIn("throughput of " + history + "\n", self.forecast().lines[0] + "\n")
        data = self.forecast("--format", "json").json()
        self.assertEqual((data["history_items"], data["history_workdays"], data["history_from"]),
                         (3, 5, "2026-11-09"))
        report = run("report", "--today", "2026-11-16", cwd=self.tmp)
        self.assertIn("Forecast from the throughput of " + history + ".\n", report.out)
        self.assertRegex(report.out, r"\ndone +0 +0 +0 +2 +1 +0\n")
        rep = run("report", "--today", "2026-11-16", "--format", "json", cwd=self.tmp).json()
        self.assertEqual(rep["forecast"]["history_items"], 3)
        self.assertEqual(sum(w["done"] for w in rep["flow"]["throughput"]), 3)

        # With only the weekend's completions there still is a history, which starts on Monday.
        write = (self.tmp / "backlog.yaml")
        write.write_text("items:\n" + done_item("A", "2026-11-07") + done_item("B", "2026-11-08") + todo)
        data = self.forecast("--format", "json").json()
        self.assertEqual((data["history_items"], data["history_workdays"], data["history_from"]),
                         (2, 5, "2026-11-09"))
        self.assertNotIn("no forecast", run("report", "--today", "2026-11-16", cwd=self.tmp).out)

    def test_a_milestone_forecast_counts_its_items_without_an_estimate(self):
        # M2 needs E, D1, D2 and D3; the schedule places only E (the others have no estimate), and the
        # throughput forecast needs no estimate: 4 to go at 2 items in 7 workdays, not 1.
        items = (done_item("H1", "2026-11-05") + done_item("H2", "2026-11-06") +
                 "  - {id: E, title: E, milestone: M2, estimate: 1}\n" +
                 "".join(f"  - {{id: {d}, title: {d}, milestone: M2}}\n" for d in ("D1", "D2", "D3")))
        self.plan({"backlog.yaml": "items:\n" + items,
                   "roadmap.yaml": "milestones: [{id: M2, title: Two, target: 2026-11-20, committed: true}]\n"},
                  config=FORECAST_TEAM)
        text = self.forecast()
        row = text.lines[3].split()
        self.assertEqual(row[:2], ["M2", "4"], text.out)
        self.assertIn("unknown: D1 cannot be scheduled: no estimate", text.lines[3])
        data = self.forecast("--format", "json").json()
        m2 = data["milestones"][0]
        self.assertEqual((m2["items"], m2["ranked_before"], m2["status"]), (4, 0, "unknown"))
        self.assertLess(m2["chance"], 0.1)  # 4 items in the 5 workdays to 20 Nov at 2 items in 7 workdays
        csv = self.forecast("--format", "csv").lines
        self.assertEqual(csv[1].split(",")[:3], ["M2", "4", "0"])
        # The report gives the same chance and P85 in every format.
        chance = row[-8]
        p85 = m2["p85"]
        rep = run("report", "--today", "2026-11-16", "--format", "json", cwd=self.tmp).json()
        self.assertEqual((rep["milestones"][0]["chance"], rep["milestones"][0]["p85"]), (m2["chance"], p85))
        for fmt in ("text", "markdown", "html"):
            out = run("report", "--today", "2026-11-16", "--format", fmt, cwd=self.tmp).out
            self.assertIn(chance, out, fmt)
            self.assertIn(p85, out, fmt)

    def test_a_done_milestone_is_dated_by_the_commit_that_made_its_items_done(self):
        # SPEC 6.1: an item done by hand (no `done:` date) was done on the date of the commit that made it
        # done, 4 Nov. M1 (target 31 Dec) is on track; M3 (target Tue 3 Nov) is late by 1 workday; every
        # command gives the finish and status the report's burn-up implies, not "unknown".
        git_init(self.tmp)
        self.plan({"backlog.yaml": dedent("""
                       items:
                         - {id: A, title: A, milestone: M1, estimate: 1}
                         - {id: C, title: C, milestone: M3, estimate: 1}
                         - {id: B, title: B, milestone: M2, estimate: 1}
                   """),
                   "roadmap.yaml": dedent("""
                       milestones:
                         - {id: M1, title: One, target: 2026-12-31, committed: true}
                         - {id: M2, title: Two, target: 2026-12-31}
                         - {id: M3, title: Three, target: 2026-11-03}
                   """)}, config=FORECAST_TEAM)

        def commit(message, day):
            env = {**os.environ, "GIT_AUTHOR_DATE": f"{day}T10:00:00+0000", "GIT_COMMITTER_DATE": f"{day}T10:00:00+0000"}
            for cmd in (["git", "add", "-A"], ["git", "commit", "-qm", message]):
                subprocess.run(cmd, cwd=self.tmp, check=True, capture_output=True, env=env)

        commit("init", "2026-11-02")
        backlog = self.tmp / "backlog.yaml"
        backlog.write_text(backlog.read_text().replace("title: A,", "title: A, status: done,")
                           .replace("title: C,", "title: C, status: done,"))
        commit("A and C done", "2026-11-04")
        expected = {"M1": ("2026-11-04", "on_track", None), "M3": ("2026-11-04", "late", 1)}

        def rows(data):
            return {m["id"]: (m["finish"], m["status"], m["late_by"]) for m in data["milestones"] if m["id"] != "M2"}

        today = ("--today", "2026-11-16")
        self.assertEqual(rows(run("schedule", *today, "--format", "json", cwd=self.tmp).json()), expected)
        self.assertEqual(rows(run("report", *today, "--format", "json", cwd=self.tmp).json()), expected)
        fc = {m["id"]: m["status"] for m in run("forecast", *today, "--format", "json", cwd=self.tmp).json()["milestones"]}
        self.assertEqual((fc["M1"], fc["M3"]), ("on_track", "late"))
        forecast = run("forecast", *today, cwd=self.tmp).out
        self.assertRegex(forecast, r"\nM1 .* on track\nM2 .*\nM3 .* late by 1 workday\n")
        for command in ("schedule", "report"):
            out = run(command, *today, cwd=self.tmp).out
            self.assertNotIn("unknown:", out, command)
            self.assertRegex(out, r"\nM1 +One +2026-12-31 +2026-11-04 +1/1 \(100%\) +on track", command)
            self.assertRegex(out, r"\nM3 +Three +2026-11-03 +2026-11-04 +1/1 \(100%\) +late by 1 workday", command)
        show = run("show", "M1", *today, cwd=self.tmp).out
        self.assertRegex(show, r"planned +finish 2026-11-04\n +status +on track\n")

    def test_no_output_prints_a_date_after_9999_12_31(self):
        # From 30 Dec 9999, A's five workdays would end in January 10000: A cannot be scheduled (its
        # milestone is unknown, and says why), the forecast's runs past the last date have no date, and
        # no output anywhere prints a five-digit year (SPEC 11: YYYY-MM-DD).
        self.plan({"backlog.yaml": "items:\n" + done_item("H", "9999-12-20") +
                   "  - {id: A, title: A, milestone: M1, estimate: 5}\n",
                   "roadmap.yaml": "milestones: [{id: M1, title: One, target: 9999-12-31}]\n"}, config=FORECAST_TEAM)
        why = "it would finish after 9999-12-31, the last date tandem handles"
        for today in ("9999-12-30", "9999-12-27"):
            for command, formats in (("schedule", ("text", "json", "csv", "markdown")), ("forecast", ("text", "json")),
                                     ("load", ("text", "json")), ("report", ("text", "json", "markdown", "html"))):
                for fmt in formats:
                    r = run(command, "--today", today, "--format", fmt, cwd=self.tmp)
                    self.assertExit(r, 0)
                    self.assertNotRegex(r.out, r"\b\d{5,}-\d\d-\d\d", (today, command, fmt))
        data = run("schedule", "--today", "9999-12-30", "--format", "json", cwd=self.tmp).json()
        self.assertEqual(data["unschedulable"], [{"id": "A", "reason": why}])
        self.assertEqual((data["milestones"][0]["status"], data["milestones"][0]["why"]),
                         ("unknown", "A cannot be scheduled: " + why))
        fc = run("forecast", "--today", "9999-12-30", "--format", "json", cwd=self.tmp).json()["milestones"][0]
        self.assertEqual((fc["p95"], fc["status"]), (None, "unknown"))
        self.assertEqual(fc["note"], "some runs end after 9999-12-31, the last date tandem handles")
        # From 27 Dec, A ends on Friday 31 Dec: the Gantt's bar is five days long.
        self.assertIn("t_A, 9999-12-27, 5d\n", run("report", "--today", "9999-12-27", "--format", "markdown", cwd=self.tmp).out)

    def test_forecast_json_without_history_is_one_object_saying_why(self):
        self.plan({"backlog.yaml": "items:\n  - {id: D, title: D, milestone: M1, estimate: 1}\n",
                   "roadmap.yaml": "milestones: [{id: M1, title: One, target: 2026-12-31}]\n"}, config=FORECAST_TEAM)
        why = "no item was done in the 90 days before 2026-11-16"
        r = self.forecast("--format", "json", code=1)
        self.assertTrue(r.out.startswith("{"), r.out)
        self.assertEqual(r.json(), {"start": "2026-11-16", "runs": 10000, "seed": 1, "window": 90,
                                    "history_from": None, "history_items": 0, "history_workdays": 0,
                                    "milestones": [], "note": f"no usable throughput history: {why}"})
        self.assertEqual(r.err, f"tandem: no usable history: {why}\n")
        text = self.forecast(code=1)
        self.assertEqual((text.out, text.err), ("", f"tandem: no usable history: {why}\n"))
        # The same keys as a forecast, whose note is null.
        (self.tmp / "backlog.yaml").write_text("items:\n" + done_item("A", "2026-11-10") +
                                               "  - {id: D, title: D, milestone: M1, estimate: 1}\n")
        data = self.forecast("--format", "json").json()
        self.assertEqual(set(data), set(r.json()))
        self.assertIsNone(data["note"])


if __name__ == "__main__":
    unittest.main()
