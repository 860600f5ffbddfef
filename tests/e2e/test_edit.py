"""The editing commands (SPEC section 12): set, done, start, drop on real files, compared byte for byte."""

import os
import random
import subprocess
import unittest
from pathlib import Path

import yaml

from tandem_e2e import MIN_CONFIG, TODAY, TandemTestCase, run, snapshot

BACKLOG = (
    "# yaml-language-server: $schema=../schemas/backlog.schema.json\n"
    "items:\n"
    "  # the first one\n"
    "  - id: CHK-1\n"
    "    title: 'Guest checkout'   # quoted on purpose\n"
    "    status: todo\n"
    "    value: 8\n"
    "    depends_on: [CHK-2]\n"
    "\n"
    "  - {id: CHK-2, title: \"Flow item\", value: 3}\n"
    "  - id: CHK-3\n"
    "    title: Block\n"
    "    depends_on:\n"
    "      - CHK-1\n"
    "    description: |\n"
    "      Free text.\n"
)

ROADMAP = "milestones:\n  - id: M1\n    title: Beta   # soon\n"
RISKS = "risks:\n  - id: R1\n    title: API change\n    probability: 3\n    impact: 4\n"


def isolated_env(home):
    """No global or system git identity: only what a test sets in its repository counts."""
    return {"HOME": str(home), "XDG_CONFIG_HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull, "EMAIL": None}


class EditTestCase(TandemTestCase):

    def setUp(self):
        super().setUp()
        self.home = self.tmp / "home"
        self.home.mkdir()
        self.root = self.tmp / "plan"

    def make(self, backlog=BACKLOG, encoding_prefix=b"", crlf=False):
        files = {"tandem.yaml": MIN_CONFIG, "backlog.yaml": backlog, "roadmap.yaml": ROADMAP, "risks.yaml": RISKS}
        self.root.mkdir(exist_ok=True)
        for name, text in files.items():
            data = text.replace("\n", "\r\n") if crlf and name == "backlog.yaml" else text
            raw = data.encode("utf-8")
            (self.root / name).write_bytes(encoding_prefix + raw if name == "backlog.yaml" else raw)
        return self.root

    def tandem(self, *args, cwd=None):
        return run("--today", TODAY, *args, cwd=cwd or self.root, env=isolated_env(self.home))

    def backlog(self):
        return (self.root / "backlog.yaml").read_bytes().decode("utf-8")

    def assert_edit(self, args, old, new, count=1):
        """The command succeeds and the backlog equals BACKLOG with `old` replaced by `new`."""
        self.make()
        r = self.tandem(*args)
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual(BACKLOG.count(old), count, "the fixture must hold the text once")
        self.assertEqual(self.backlog(), BACKLOG.replace(old, new))
        self.assertEqual(self.tandem("check").code, 0)
        return r


class TestSet(EditTestCase):

    def test_a_scalar_is_replaced_in_place(self):
        r = self.assert_edit(["set", "CHK-1", "value=13"], "value: 8\n", "value: 13\n")
        self.assertIn("CHK-1: value: 8 → 13", r.out)

    def test_a_quoted_scalar_keeps_its_comment(self):
        # The trailing comment keeps its column (issue 28: aligned comments stay aligned).
        self.assert_edit(["set", "CHK-1", "title=New title"], "'Guest checkout'   #", "New title          #")

    def test_a_file_with_carriage_returns_alone_is_refused(self):
        backlog = "items:\r  - {id: A-1, title: a}\r  - {id: A-2, title: b}\r"
        self.make(backlog=backlog)
        r = self.tandem("move", "A-1", "--bottom")
        self.assertEqual(r.code, 1)
        self.assertIn("backlog.yaml: a line ends with a carriage return alone", r.err)
        self.assertEqual(self.backlog(), backlog)

    def test_a_key_written_alone_in_a_flow_mapping_gets_its_value(self):
        self.make(backlog="items:\n  - {id: A-1, title: a, size}\n")
        r = self.tandem("set", "A-1", "size=3")
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual(self.backlog(), "items:\n  - {id: A-1, title: a, size: 3}\n")

    def test_a_flow_mapping_is_edited_in_flow(self):
        self.assert_edit(["set", "CHK-2", "value=5"], "value: 3}", "value: 5}")
        self.assert_edit(["set", "CHK-2", "owner=pat"], "value: 3}", "value: 3, owner: pat}")
        self.assert_edit(["set", "CHK-2", "value="], ", value: 3}", "}")

    def test_a_new_key_goes_at_the_mappings_indentation(self):
        self.assert_edit(["set", "CHK-1", "owner=pat"], "[CHK-2]\n", "[CHK-2]\n    owner: pat\n")
        self.assert_edit(["set", "CHK-3", "owner=pat"], "Free text.\n", "Free text.\n    owner: pat\n")

    def test_removing_a_field_cuts_its_line(self):
        self.assert_edit(["set", "CHK-1", "value="], "    value: 8\n", "")
        self.assert_edit(["set", "CHK-3", "description="], "    description: |\n      Free text.\n", "")

    def test_list_elements_are_added_and_removed_in_the_lists_style(self):
        self.assert_edit(["set", "CHK-3", "depends_on+=CHK-2"], "      - CHK-1\n", "      - CHK-1\n      - CHK-2\n")
        self.assert_edit(["set", "CHK-1", "depends_on-=CHK-2"], "[CHK-2]", "[]")
        self.assert_edit(["set", "CHK-1", "tags+=pay"], "[CHK-2]\n", "[CHK-2]\n    tags: [pay]\n")
        self.assert_edit(["set", "CHK-3", "depends_on-=CHK-1"], "depends_on:\n      - CHK-1\n", "depends_on: []\n")
        self.assert_edit(["set", "CHK-3", "depends_on=CHK-1,CHK-2"], "      - CHK-1\n", "      - CHK-1\n      - CHK-2\n")
        self.assert_edit(["set", "CHK-2", "tags=[a, \"3\"]"], "value: 3}", "value: 3, tags: [a, \"3\"]}")

    def test_crlf_and_a_bom_are_kept(self):
        self.make(encoding_prefix=b"\xef\xbb\xbf", crlf=True)
        r = self.tandem("set", "CHK-1", "value=13", "owner=pat")
        self.assertEqual(r.code, 0, r.err)
        want = BACKLOG.replace("value: 8\n", "value: 13\n").replace("[CHK-2]\n", "[CHK-2]\n    owner: pat\n")
        self.assertEqual((self.root / "backlog.yaml").read_bytes(), b"\xef\xbb\xbf" + want.replace("\n", "\r\n").encode())

    def test_milestones_and_risks(self):
        self.make()
        self.assertEqual(self.tandem("set", "M1", "target=2027-03-01", "committed=true").code, 0)
        self.assertEqual((self.root / "roadmap.yaml").read_text(),
                         "milestones:\n  - id: M1\n    title: Beta   # soon\n    target: 2027-03-01\n    committed: true\n")
        self.assertEqual(self.tandem("set", "R1", "probability=5", "affects+=M1").code, 0)
        self.assertEqual((self.root / "risks.yaml").read_text(), RISKS.replace("probability: 3", "probability: 5")
                         + "    affects: [M1]\n")

    def test_bad_input_is_refused_and_nothing_is_written(self):
        self.make()
        before = snapshot(self.root)
        cases = [
            (["set", "CHK-1", "vlaue=3"], "an item has no field 'vlaue'; did you mean 'value'?"),
            (["set", "CHK-1", "value=abc"], "value must be a number, not 'abc'"),
            (["set", "CHK-1", "value=-1"], "value must be at least 0, not -1"),
            (["set", "CHK-1", "status=finished"], "status must be one of todo, doing, done, dropped, not 'finished'"),
            (["set", "CHK-1", "title="], "title is required: it cannot be removed"),
            (["set", "CHK-9", "value=1"], "no item, milestone or risk has the id 'CHK-9'"),
            (["set", "CHK-1", "depends_on-=CHK-7"], "'CHK-7' is not in depends_on"),
            (["set", "CHK-1", "depends_on+=CHK-7"], "'CHK-7' in 'depends_on' names no"),
            (["done", "M1"], "'done' changes an item's status; M1 is a milestone"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                r = self.tandem(*args)
                self.assertEqual(r.code, 1, r.err)
                self.assertIn(message, r.err)
                self.assertEqual(snapshot(self.root), before)

    def test_a_cycle_is_refused_and_nothing_is_written(self):
        self.make()
        before = snapshot(self.root)
        r = self.tandem("set", "CHK-2", "depends_on+=CHK-3")
        self.assertEqual(r.code, 1, r.err)
        self.assertIn("the edit would give the plan errors; nothing written:", r.err)
        self.assertIn("[dependency-cycle]", r.err)
        self.assertEqual(snapshot(self.root), before)

    def test_dry_run_prints_the_diff_and_writes_nothing(self):
        self.make()
        before = snapshot(self.root)
        r = self.tandem("set", "CHK-1", "value=13", "--dry-run")
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual(r.out, "--- a/backlog.yaml\n+++ b/backlog.yaml\n@@ -4,7 +4,7 @@\n"
                                "   - id: CHK-1\n     title: 'Guest checkout'   # quoted on purpose\n"
                                "     status: todo\n-    value: 8\n+    value: 13\n     depends_on: [CHK-2]\n"
                                " \n   - {id: CHK-2, title: \"Flow item\", value: 3}\n")
        self.assertEqual(snapshot(self.root), before)

    def test_a_read_only_file_is_not_written(self):
        self.make()
        (self.root / "backlog.yaml").chmod(0o444)
        r = self.tandem("set", "CHK-1", "value=13")
        self.assertEqual(r.code, 2, r.err)
        self.assertIn("backlog.yaml is read-only", r.err)
        self.assertEqual(self.backlog(), BACKLOG)

    def test_the_files_mode_is_kept(self):
        self.make()
        (self.root / "backlog.yaml").chmod(0o640)
        self.assertEqual(self.tandem("set", "CHK-1", "value=13").code, 0)
        self.assertEqual((self.root / "backlog.yaml").stat().st_mode & 0o777, 0o640)

    def test_a_symlinked_plan_file_is_refused(self):
        self.make()
        (self.root / "real.yaml").write_text(BACKLOG)
        (self.root / "backlog.yaml").unlink()
        (self.root / "backlog.yaml").symlink_to("real.yaml")
        r = self.tandem("set", "CHK-1", "value=13")
        self.assertNotEqual(r.code, 0)
        self.assertEqual((self.root / "real.yaml").read_text(), BACKLOG)

    def test_setting_the_same_value_changes_nothing(self):
        self.make()
        r = self.tandem("set", "CHK-1", "value=8")
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("nothing to change", r.err)
        self.assertEqual(self.backlog(), BACKLOG)


class TestStatus(EditTestCase):

    def test_done_sets_the_status_and_the_date(self):
        self.assert_edit(["done", "CHK-1", "--date", "2027-01-20"], "status: todo\n    value: 8\n    depends_on: [CHK-2]\n",
                         "status: done\n    value: 8\n    depends_on: [CHK-2]\n    done: 2027-01-20\n")

    def test_start_sets_started_today(self):
        self.assert_edit(["start", "CHK-1"], "status: todo\n    value: 8\n    depends_on: [CHK-2]\n",
                         f"status: doing\n    value: 8\n    depends_on: [CHK-2]\n    started: {TODAY}\n")

    def test_drop_on_a_flow_record(self):
        self.assert_edit(["drop", "CHK-2"], "value: 3}", "value: 3, status: dropped}")


class TestAdd(EditTestCase):

    def test_add_appends_with_the_next_free_id(self):
        self.make()
        r = self.tandem("add", "Pay by invoice", "value=5", "depends_on+=CHK-1")
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("CHK-4: added", r.out)
        self.assertEqual(self.backlog(), BACKLOG + "  - id: CHK-4\n    title: Pay by invoice\n    value: 5\n"
                                                  "    depends_on: [CHK-1]\n")

    def test_add_keeps_a_last_line_without_a_line_break(self):
        # The record appended after the last line ends that line; the file still ends without one (CRLF kept).
        self.make(backlog="items:\n  - id: CHK-1\n    title: A   # last line", crlf=True)
        r = self.tandem("add", "X")
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual(self.backlog(), "items:\r\n  - id: CHK-1\r\n    title: A   # last line\r\n  - id: CHK-2\r\n"
                                         "    title: X")

    def test_add_before_a_record_and_with_an_id(self):
        self.assert_edit(["add", "3", "--id", "NEW-1", "--before", "CHK-3"], "  - id: CHK-3\n",
                         "  - id: NEW-1\n    title: \"3\"\n  - id: CHK-3\n")

    def test_add_after_a_record_takes_its_comment_block_into_account(self):
        self.assert_edit(["add", "X", "--after", "CHK-1"], "\n\n  - {id: CHK-2",
                         "\n  - id: CHK-4\n    title: X\n\n  - {id: CHK-2")

    def test_add_a_milestone_and_a_risk(self):
        self.make()
        self.assertEqual(self.tandem("add", "--roadmap", "GA", "target=2027-06-01").code, 0)
        self.assertEqual((self.root / "roadmap.yaml").read_text(), ROADMAP + "  - id: M2\n    title: GA\n    target: 2027-06-01\n")
        self.assertEqual(self.tandem("add", "--risk", "Key person leaves", "probability=2", "impact=5").code, 0)
        self.assertTrue((self.root / "risks.yaml").read_text().endswith(
            "  - id: R2\n    title: Key person leaves\n    probability: 2\n    impact: 5\n"))

    def test_add_into_an_empty_list(self):
        self.make(backlog="# none yet\nitems: []\n")
        r = self.tandem("add", "First")
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual(self.backlog(), "# none yet\nitems:\n  - id: ITEM-1\n    title: First\n")

    def test_add_never_reuses_an_id_from_git_history(self):
        self.make()
        env = {**os.environ, "HOME": str(self.home), "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "t",
               "GIT_AUTHOR_EMAIL": "pat@example.com", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "pat@example.com"}
        git = lambda *a: subprocess.run(["git", *a], cwd=self.root, check=True, capture_output=True, env=env)
        git("init", "-q")
        git("config", "user.email", "pat@example.com")
        (self.root / "backlog.yaml").write_text(BACKLOG + "  - id: CHK-7\n    title: Gone later\n")
        git("add", "-A")
        git("commit", "-qm", "seven")
        (self.root / "backlog.yaml").write_text(BACKLOG)
        git("commit", "-qam", "drop seven")
        r = self.tandem("add", "Next")
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("CHK-8: added", r.out)

    def test_a_taken_id_is_refused(self):
        self.make()
        r = self.tandem("add", "Dup", "--id", "CHK-1")
        self.assertEqual(r.code, 1)
        self.assertIn("the id 'CHK-1' is taken", r.err)


class TestMove(EditTestCase):

    def test_move_takes_the_comment_lines_above(self):
        self.make()
        r = self.tandem("move", "CHK-1", "--bottom")
        self.assertEqual(r.code, 0, r.err)
        # The blank line between the first two records stays between the first two (issue 28).
        chk1 = ("  # the first one\n  - id: CHK-1\n    title: 'Guest checkout'   # quoted on purpose\n    status: todo\n"
                "    value: 8\n    depends_on: [CHK-2]\n")
        chk2 = '  - {id: CHK-2, title: "Flow item", value: 3}\n'
        self.assertEqual(self.backlog(), BACKLOG.replace(chk1 + "\n" + chk2, chk2 + "\n") + chk1)

    def test_move_before_and_top(self):
        self.make()
        self.assertEqual(self.tandem("move", "CHK-3", "--top").code, 0)
        text = self.backlog()
        self.assertTrue(text.startswith(BACKLOG.split("items:\n")[0] + "items:\n  - id: CHK-3\n"), text)
        self.assertEqual(self.tandem("move", "CHK-3", "--after", "CHK-1").code, 0)
        ids = [l.split("id: ")[1].split(",")[0].strip() for l in self.backlog().splitlines() if "id: " in l]
        self.assertEqual(ids, ["CHK-1", "CHK-3", "CHK-2"])

    def test_move_needs_the_ownership_of_order(self):
        self.make()
        for args in (["init", "-q"], ["config", "user.email", "dana@example.com"]):
            subprocess.run(["git", *args], cwd=self.root, check=True, capture_output=True,
                           env={**os.environ, "HOME": str(self.home), "GIT_CONFIG_NOSYSTEM": "1"})
        r = self.tandem("move", "CHK-2", "--top")
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("order is owned by product_owner: this change needs an approval from Pat Owner", r.err)


class TestMoveUnderAScoreModel(EditTestCase):
    """Issue 27: under a score model the file's order only breaks ties; `move` says so, and what the rank is."""

    def test_move_says_the_order_only_breaks_ties(self):
        self.make(backlog="items:\n"
                          "  - {id: A, title: a, value: 8, time_criticality: 1, risk_reduction: 1, size: 1}\n"
                          "  - {id: B, title: b, value: 1, time_criticality: 1, risk_reduction: 1, size: 1}\n"
                          "  - {id: C, title: c, value: 1, time_criticality: 1, risk_reduction: 1, size: 1}\n")
        (self.root / "tandem.yaml").write_text(MIN_CONFIG.replace("model: manual", "model: wsjf"))
        r = self.tandem("move", "C", "--top")
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual(r.out, "C: moved; rank 3 → 2 (under the wsjf model the file's order only breaks ties "
                                "between equal scores)\n")
        self.assertTrue(self.backlog().startswith("items:\n  - {id: C,"))
        r = self.tandem("move", "A", "--bottom")
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual(r.out, "A: moved in the file; its rank stays 1 (under the wsjf model the file's order only "
                                "breaks ties between equal scores)\n")

    def test_under_the_manual_model_a_move_is_a_move(self):
        self.make()
        r = self.tandem("move", "CHK-3", "--top")
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual(r.out, "CHK-3: moved\n")


class TestArchive(EditTestCase):

    CONFIG = MIN_CONFIG + "files:\n  backlog: [backlog.yaml, archive.yaml]\n"

    def test_done_items_move_to_the_archive(self):
        self.make(backlog="items:\n  - id: A-1\n    title: a\n    status: done\n    done: 2027-01-02\n"
                          "  # keep me\n  - id: A-2\n    title: b\n")
        (self.root / "tandem.yaml").write_text(self.CONFIG)
        (self.root / "archive.yaml").write_text("items: []\n")
        r = self.tandem("archive", "--to", "archive.yaml", "--done-before", "2027-01-10")
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual(self.backlog(), "items:\n  # keep me\n  - id: A-2\n    title: b\n")
        self.assertEqual((self.root / "archive.yaml").read_text(),
                         "items:\n  - id: A-1\n    title: a\n    status: done\n    done: 2027-01-02\n")

    def test_a_done_record_without_an_id_is_refused_not_a_crash(self):
        self.make(backlog="items:\n  - {id: , title: x, status: done, done: 2027-01-02}\n  - {id: A-2, title: y}\n")
        (self.root / "tandem.yaml").write_text(self.CONFIG)
        (self.root / "archive.yaml").write_text("items: []\n")
        before = snapshot(self.root)
        r = self.tandem("archive", "--to", "archive.yaml")
        self.assertEqual(r.code, 1, r.err)
        self.assertIn("the edit would give the plan errors; nothing written", r.err)
        self.assertEqual(snapshot(self.root), before)

    def test_the_archive_must_be_a_backlog_file(self):
        self.make()
        r = self.tandem("archive", "--to", "other.yaml")
        self.assertEqual(r.code, 1)
        self.assertIn("other.yaml is not a backlog file named in files:", r.err)


class TestFlowLists(EditTestCase):
    """Lists written in flow style (`items: [{...}, {...}]`) take records in flow style, keeping the rest."""

    FLOW = ("items: [{id: F-1, title: a}, # first\n"
            "  {id: F-2, title: b, status: done, done: 2027-01-02},\n  {id: F-3, title: c}]\n")

    def edit(self, *args, backlog=FLOW):
        self.make(backlog=backlog)
        (self.root / "tandem.yaml").write_text(TestArchive.CONFIG)
        (self.root / "archive.yaml").write_text("items: []\n")
        r = self.tandem(*args)
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual(self.tandem("check").code, 0)
        return self.backlog()

    def test_add_at_the_end_and_next_to_a_record(self):
        # The records after the first stand on lines of their own: so does a new one there (issue 28).
        self.assertEqual(self.edit("add", "new: one"), self.FLOW.replace("c}]", 'c},\n  {id: F-4, title: "new: one"}]'))
        self.assertEqual(self.edit("add", "x", "--before", "F-2", "value=5"),
                         self.FLOW.replace("  {id: F-2", "  {id: F-4, title: x, value: 5},\n  {id: F-2"))
        one_line = "items: [{id: F-1, title: a}, {id: F-2, title: b}]\n"
        self.assertEqual(self.edit("add", "c", backlog=one_line), one_line.replace("b}]", "b}, {id: F-3, title: c}]"))

    def test_move_to_the_top_the_bottom_and_after_another(self):
        self.assertEqual(self.edit("move", "F-3", "--top"),
                         "items: [{id: F-3, title: c},\n  {id: F-1, title: a}, # first\n"
                         "  {id: F-2, title: b, status: done, done: 2027-01-02}]\n")
        # The comment after a record travels with it.
        self.assertEqual(self.edit("move", "F-1", "--bottom"),
                         "items: [{id: F-2, title: b, status: done, done: 2027-01-02},\n"
                         "  {id: F-3, title: c},\n  {id: F-1, title: a} # first\n  ]\n")
        self.assertEqual(self.edit("move", "F-1", "--after", "F-2"),
                         "items: [{id: F-2, title: b, status: done, done: 2027-01-02},\n"
                         "  {id: F-1, title: a}, # first\n  {id: F-3, title: c}]\n")

    def test_a_crlf_flow_list_keeps_its_layout(self):
        """Issue 28: a flow list with one record per line (CRLF) is not re-flowed onto one line by add and move,
        and moving a record back restores the file byte for byte."""
        plan = "items: [\r\n  {id: F-1, title: a},\r\n  {id: F-2, title: b},\r\n  {id: F-3, title: c}\r\n]\r\n"
        self.assertEqual(self.edit("add", "d", backlog=plan), plan.replace("c}\r\n]", "c},\r\n  {id: F-4, title: d}\r\n]"))
        self.assertEqual(self.edit("move", "F-3", "--top", backlog=plan),
                         "items: [\r\n  {id: F-3, title: c},\r\n  {id: F-1, title: a},\r\n  {id: F-2, title: b}\r\n]\r\n")
        self.assertEqual(self.edit("move", "F-1", "--bottom", backlog=plan),
                         "items: [\r\n  {id: F-2, title: b},\r\n  {id: F-3, title: c},\r\n  {id: F-1, title: a}\r\n]\r\n")
        self.make(backlog=plan)
        self.assertEqual(self.tandem("move", "F-2", "--top").code, 0)
        self.assertEqual(self.tandem("move", "F-2", "--after", "F-1").code, 0)
        self.assertEqual(self.backlog(), plan)
        # A list field written the same way takes its new element on a line of its own.
        flow_tags = "items:\r\n  - id: T-1\r\n    title: t\r\n    acceptance: [\r\n      a,\r\n      b\r\n    ]\r\n"
        self.make(backlog=flow_tags)
        self.assertEqual(self.tandem("set", "T-1", "acceptance+=c, d").code, 0)
        self.assertEqual(self.backlog(), flow_tags.replace("b\r\n", 'b,\r\n      "c, d"\r\n'))

    def test_archive_from_and_to_flow_lists(self):
        for archive, expected in (("items: []\n", "items:\n  - {id: F-2, title: b, status: done, done: 2027-01-02}\n"),
                                  ("items: [{id: Z-1, title: z}]\n",
                                   "items: [{id: Z-1, title: z}, {id: F-2, title: b, status: done, done: 2027-01-02}]\n"),
                                  ("items:\n  - id: Z-1\n    title: z\n",
                                   "items:\n  - id: Z-1\n    title: z\n"
                                   "  - {id: F-2, title: b, status: done, done: 2027-01-02}\n")):
            with self.subTest(archive=archive):
                self.make(backlog=self.FLOW)
                (self.root / "tandem.yaml").write_text(TestArchive.CONFIG)
                (self.root / "archive.yaml").write_text(archive)
                r = self.tandem("archive", "--to", "archive.yaml")
                self.assertEqual(r.code, 0, r.err)
                self.assertEqual(self.backlog(), "items: [{id: F-1, title: a}, # first\n  {id: F-3, title: c}]\n")
                self.assertEqual((self.root / "archive.yaml").read_text(), expected)

    def test_an_empty_flow_list_beside_the_archive_is_left_alone(self):
        # An empty `items: []` file with nothing to archive crashed archive (found by fuzz_edit).
        self.make(backlog="items: []\n")
        (self.root / "tandem.yaml").write_text(TestArchive.CONFIG)
        archive = "items:\n  - {id: Z-1, title: z, status: done, done: 2027-01-02}\n"
        (self.root / "archive.yaml").write_text(archive)
        r = self.tandem("archive", "--to", "archive.yaml")
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual(self.backlog(), "items: []\n")
        self.assertEqual((self.root / "archive.yaml").read_text(), archive)

    def test_archive_keeps_the_comments_of_records_kept_and_moved(self):
        self.make(backlog="items: [{id: F-1, title: a}, # one\n"
                          "  {id: F-2, title: b, status: done, done: 2027-01-02}, # two\n  {id: F-3, title: c, status: done,"
                          " done: 2027-01-02}]\n")
        (self.root / "tandem.yaml").write_text(TestArchive.CONFIG)
        (self.root / "archive.yaml").write_text("items:\n  - id: Z-1\n    title: z\n")
        r = self.tandem("archive", "--to", "archive.yaml")
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual(self.backlog(), "items: [{id: F-1, title: a} # one\n  ]\n")
        self.assertEqual((self.root / "archive.yaml").read_text(),
                         "items:\n  - id: Z-1\n    title: z\n  - {id: F-2, title: b, status: done, done: 2027-01-02} # two\n"
                         "  - {id: F-3, title: c, status: done, done: 2027-01-02}\n")
        self.assertEqual(self.tandem("check").code, 0)

    def test_archive_refuses_block_records_for_a_flow_list(self):
        self.make(backlog="items:\n  - id: B-1\n    title: b\n    status: done\n    done: 2027-01-02\n")
        (self.root / "tandem.yaml").write_text(TestArchive.CONFIG)
        (self.root / "archive.yaml").write_text("items: [{id: Z-1, title: z}]\n")
        before = snapshot(self.root)
        r = self.tandem("archive", "--to", "archive.yaml")
        self.assertEqual(r.code, 1)
        self.assertIn("archive.yaml: the list is written in flow style", r.err)
        self.assertEqual(snapshot(self.root), before)


class TestCompletion(EditTestCase):

    def test_ids_and_fields_for_the_completion_scripts(self):
        self.make()
        self.assertEqual(self.tandem("completion", "ids").out, "CHK-1\nCHK-2\nCHK-3\nM1\nR1\n")
        self.assertIn("depends_on=\n", self.tandem("completion", "fields").out)
        script = self.tandem("completion", "bash").out
        self.assertIn("set) opts=", script)
        self.assertIn("$(tandem completion ids 2>/dev/null) $(tandem completion fields)", script)


class TestQuoting(EditTestCase):
    """Every title reads back as the same string (priority's JSON shows the decoded title)."""

    TITLES = ["3", "yes", "null", "2027-01-04", "a: b", "#x", "- x", "true", "1e3", "0x1F", "~", "",
              "emoji \U0001F680 ok", "two\nlines", "\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd", " lead", "it's",
              "say \"hi\"", "[x]", "{a}", "* star", "& amp", "! bang", "% pct", "@at", "`tick`", "a #b", "tab\there"]

    def test_titles_read_back_as_the_same_string(self):
        self.make()
        for title in self.TITLES:
            with self.subTest(title=title):
                r = self.tandem("set", "CHK-2", f"title={title}")
                if title == "":
                    self.assertEqual(r.code, 1)
                    continue
                self.assertEqual(r.code, 0, r.err)
                items = {i["id"]: i for i in self.tandem("priority", "--format", "json").json()["items"]}
                self.assertEqual(items["CHK-2"]["title"], title)
                again = self.tandem("set", "CHK-2", f"title={title}")
                self.assertIn("nothing to change", again.err)


class TestMergeKeys(EditTestCase):

    MERGED = (
        "x-defaults: &d {value: 5, size: 2, tags: [web]}\n"
        "items:\n"
        "  - <<: *d\n"
        "    id: A-1\n"
        "    title: Merged\n"
        "    value: 9\n"
    )

    def test_merge_keys_are_read_and_explicit_keys_win(self):
        self.make(backlog=self.MERGED)
        r = self.tandem("check")
        self.assertEqual(r.code, 0, r.out + r.err)
        items = {i["id"]: i for i in self.tandem("priority", "--format", "json").json()["items"]}
        self.assertEqual(items["A-1"]["title"], "Merged")

    def test_a_merge_of_a_scalar_is_an_error_with_its_position(self):
        self.make(backlog="x-v: &v 3\nitems:\n  - <<: *v\n    id: A-1\n    title: t\n")
        r = self.tandem("check")
        self.assertEqual(r.code, 1)
        self.assertIn("backlog.yaml:3:5: error: a merge key '<<' takes a mapping or a list of mappings, not an integer "
                      "[bad-merge]", r.out)

    def test_an_edit_of_a_value_another_record_repeats_by_alias_is_refused(self):
        backlog = ("items:\n  - id: A-1\n    title: a\n    tags: &pay [payments]\n"
                   "  - id: A-2\n    title: b\n    tags: *pay\n")
        self.make(backlog=backlog)
        r = self.tandem("set", "A-1", "tags+=x")
        self.assertEqual(r.code, 1)
        self.assertIn("the edit of A-1 would also change A-2: it repeats the value through a YAML alias", r.err)
        self.assertNotIn("please report", r.err)
        self.assertEqual(self.backlog(), backlog)
        self.assertEqual(self.tandem("set", "A-2", "tags+=x").code, 0)  # the alias itself is replaced
        self.assertIn("tags: [payments, x]", self.backlog())

    def test_a_move_that_would_put_an_alias_before_its_anchor_is_refused_clearly(self):
        backlog = ("items:\n  - id: A-1\n    title: a\n    tags: &pay [payments]\n"
                   "  - id: A-2\n    title: b\n    tags: *pay\n")
        self.make(backlog=backlog)
        for args in (("A-2", "--top"), ("A-1", "--bottom"), ("A-1", "--after", "A-2")):
            r = self.tandem("move", *args)
            self.assertEqual(r.code, 1, args)
            self.assertIn("the edit would leave backlog.yaml unreadable at backlog.yaml:4:11: alias '*pay' names no "
                          "anchor defined before it (an alias must come after its anchor", r.err)
            self.assertNotIn("please report", r.err)
            self.assertEqual(self.backlog(), backlog)
        # A record whose last field is an alias ends at the alias: a new field goes after it.
        self.assertEqual(self.tandem("set", "A-2", "estimate=3").code, 0)
        self.assertEqual(self.backlog(), backlog + "    estimate: 3\n")

    def test_an_edit_of_a_merged_field_writes_it_on_the_record(self):
        self.make(backlog=self.MERGED)
        r = self.tandem("set", "A-1", "size=3", "tags+=api")
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual(self.backlog(), self.MERGED + "    size: 3\n    tags: [web, api]\n")


class TestRoles(EditTestCase):

    def repo(self, email):
        self.make()
        for args in (["init", "-q"], ["config", "user.email", email]):
            subprocess.run(["git", *args], cwd=self.root, check=True, capture_output=True,
                           env={**os.environ, "HOME": str(self.home), "GIT_CONFIG_NOSYSTEM": "1"})

    def test_the_pm_setting_value_needs_the_pos_approval(self):
        self.repo("max@example.com")
        r = self.tandem("set", "CHK-1", "value=13")
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("tandem: note: value is owned by product_owner: this change needs an approval from Pat Owner", r.err)
        self.assertIn("value: 13", self.backlog())

    def test_the_po_setting_assignee_needs_the_pms_approval(self):
        self.repo("Pat@Example.com")
        r = self.tandem("set", "CHK-1", "assignee=dev")
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("assignee is owned by project_manager: this change needs an approval from Max Manager", r.err)

    def test_strict_refuses_and_writes_nothing(self):
        self.repo("max@example.com")
        before = snapshot(self.root)
        r = self.tandem("set", "CHK-1", "value=13", "--strict")
        self.assertEqual(r.code, 1, r.err)
        self.assertIn("value is owned by product_owner: this change needs an approval from Pat Owner; --strict refuses",
                      r.err)
        self.assertEqual(snapshot(self.root), before)

    def test_the_owner_of_a_field_edits_silently(self):
        self.repo("pat@example.com")
        r = self.tandem("set", "CHK-1", "value=13", "--strict")
        self.assertEqual(r.code, 0, r.err)
        self.assertNotIn("note", r.err)

    def test_a_committed_target_is_joint_even_when_only_the_target_changes(self):
        # `target if committed` reads the whole record: `committed: true` is not part of the change.
        self.repo("max@example.com")
        (self.root / "roadmap.yaml").write_text(ROADMAP + "    target: 2027-02-01\n    committed: true\n")
        r = self.tandem("set", "M1", "target=2027-03-01")
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("tandem: note: target is owned by {all: [product_owner, project_manager]}: this change needs an "
                      "approval from Pat Owner", r.err)
        (self.root / "roadmap.yaml").write_text(ROADMAP + "    target: 2027-02-01\n")
        r = self.tandem("set", "M1", "target=2027-03-01", "--strict")
        self.assertEqual(r.code, 0, r.err)  # uncommitted: the PM's alone
        self.assertNotIn("note", r.err)

    def test_dropping_scope_and_taking_it_back_is_the_product_owners(self):
        # SPEC 3's default `status=dropped: product_owner` (issue 27): the old or the new status is `dropped`.
        self.repo("dana@example.com")
        r = self.tandem("drop", "CHK-1")
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("tandem: note: status is owned by product_owner: this change needs an approval from Pat Owner",
                      r.err)
        r = self.tandem("set", "CHK-1", "status=doing")  # taking it back: the PO's too
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("status is owned by product_owner", r.err)
        r = self.tandem("done", "CHK-1", "--strict")  # doing → done: the developer's own
        self.assertEqual(r.code, 0, r.err)
        self.assertNotIn("note", r.err)
        self.repo("pat@example.com")
        for args in (["drop", "CHK-1"], ["set", "CHK-1", "status=todo"]):
            r = self.tandem(*args, "--strict")
            self.assertEqual(r.code, 0, r.err)
            self.assertNotIn("note", r.err)

    def test_without_git_ownership_could_not_be_checked(self):
        self.make()
        r = self.tandem("set", "CHK-1", "value=13")
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("tandem: note: ownership could not be checked: no git identity", r.err)
        r = self.tandem("set", "CHK-1", "value=14", "--strict")
        self.assertEqual(r.code, 1, r.err)


class TestRoundTrip(EditTestCase):
    """For seeded random plans and edits, `set` then `set` back restores the file byte for byte."""

    WORDS = ["alpha", "beta", "3", "yes", "a: b", "#x", "2027-01-04", "x y z", "null", "\u00e9t\u00e9"]

    def random_plan(self, rnd):
        lines = ["items:"]
        n = rnd.randint(3, 8)
        for i in range(1, n + 1):
            if rnd.random() < 0.3:
                lines.append(f"  - {{id: T-{i}, title: t{i}, value: {rnd.randint(0, 9)}}}")
                continue
            lines.append(f"  # item {i}")
            lines.append(f"  - id: T-{i}")
            lines.append(f"    title: t{i}")
            if rnd.random() < 0.5:
                lines.append(f"    value: {rnd.randint(0, 20)}")
            if rnd.random() < 0.5:
                lines.append(f"    estimate: {rnd.randint(1, 5)}")
            if i > 1 and rnd.random() < 0.5:
                lines.append(f"    depends_on: [T-{i - 1}]")
        text = "\n".join(lines) + "\n"
        return text.replace("\n", "\r\n") if rnd.random() < 0.3 else text

    def test_set_then_set_back(self):
        rnd = random.Random(1515)
        for case in range(12):
            plan = self.random_plan(rnd)
            self.make(backlog=plan)
            n = plan.count("id: T-")
            i = rnd.randint(1, n)
            field = rnd.choice(["value", "estimate", "title", "tags", "owner"])
            row = next(l for l in plan.splitlines() if f"id: T-{i}," in l or l.strip() == f"- id: T-{i}")
            block = plan.split(f"id: T-{i}")[1].split("- ")[0] if not row.strip().startswith("- {") else row
            present = f"{field}: " in block
            if field == "title":
                there, back = f"title={rnd.choice(self.WORDS)}", f"title=t{i}"
            elif field == "tags":
                there, back = "tags+=x", "tags="
            elif field == "owner":
                there, back = "owner=pat", "owner="
            else:
                old = block.split(f"{field}: ")[1].split("\n")[0].split("}")[0].split(",")[0].strip() if present else None
                there, back = f"{field}={rnd.randint(21, 40)}", (f"{field}={old}" if present else f"{field}=")
            with self.subTest(case=case, there=there, back=back):
                r = self.tandem("set", f"T-{i}", there)
                self.assertEqual(r.code, 0, r.err)
                r = self.tandem("set", f"T-{i}", back)
                self.assertEqual(r.code, 0, r.err)
                self.assertEqual((self.root / "backlog.yaml").read_bytes(), plan.encode("utf-8"))

    FLOW_WORDS = ["First", "Second, with comma", "a: b", "a [x] b", "a {y}", "#z", "3", "it's", 'say "hi"', "x,y",
                  "x, [y], {z}", "\u00e9t\u00e9, \u00e0"]

    def test_add_then_subtract_list_elements(self):
        """Issue 28: `+=` on a list in any style (flow, block, one per line, absent) quotes what the style needs:
        each element reads back as written, and `-=` of each, in any order, restores the file byte for byte."""
        rnd = random.Random(2828)
        styles = ["    acceptance: [First]\n", "    acceptance: []\n", "    acceptance:\n      - First\n",
                  "    acceptance: [\n      First\n    ]\n", "    acceptance: [First, \"a, b\"]\n"]
        for case in range(14):
            style = rnd.choice(styles)
            plan = "items:\n  - id: T-1\n    title: t\n" + style + "  - {id: T-2, title: u, acceptance: [v]}\n"
            plan = plan.replace("\n", "\r\n") if rnd.random() < 0.3 else plan
            rid = rnd.choice(["T-1", "T-2"])
            words = rnd.sample(self.FLOW_WORDS[1:], rnd.randint(1, 4))
            with self.subTest(case=case, plan=plan, id=rid, words=words):
                self.make(backlog=plan)
                for w in words:
                    r = self.tandem("set", rid, f"acceptance+={w}")
                    self.assertEqual(r.code, 0, r.err)
                record = next(x for x in yaml.safe_load(self.backlog())["items"] if x["id"] == rid)
                self.assertEqual(record["acceptance"][-len(words):], words)
                for w in rnd.sample(words, len(words)):
                    r = self.tandem("set", rid, f"acceptance-={w}")
                    self.assertEqual(r.code, 0, r.err)
                self.assertEqual(self.backlog(), plan)

    def test_aligned_trailing_comments_keep_their_column(self):
        """Issue 28: setting a value whose line ends in a comment keeps the comment's column (one space at
        least), in LF and CRLF files, and setting the old value back restores the file byte for byte."""
        rnd = random.Random(77)
        for case in range(10):
            width = rnd.randint(12, 30)
            fields = [("value", rnd.randint(0, 99)), ("estimate", rnd.randint(1, 9)), ("title", "t")]
            lines = ["items:", "  - id: T-1"]
            for name, v in fields:
                head = f"    {name}:" + " " * rnd.randint(1, 4) + str(v)
                lines.append(head.ljust(width) + f" # {name}")
            plan = "\n".join(lines) + "\n"
            plan = plan.replace("\n", "\r\n") if rnd.random() < 0.3 else plan
            name, old = rnd.choice(fields[:2])
            new = rnd.choice([1, 13, 12345, 1234567890123])
            with self.subTest(case=case, plan=plan, name=name, new=new):
                self.make(backlog=plan)
                r = self.tandem("set", "T-1", f"{name}={new}")
                self.assertEqual(r.code, 0, r.err)
                before = {l.split(":")[0]: l for l in plan.splitlines()}
                for line in self.backlog().splitlines():
                    key = line.split(":")[0]
                    if "#" in line:
                        want = max(before[key].index("#"), len(line.split("#")[0].rstrip()) + 1)
                        self.assertEqual(line.index("#"), want, line)
                r = self.tandem("set", "T-1", f"{name}={old}")
                self.assertEqual(r.code, 0, r.err)
                if len(f"{new}") <= width - len(f"    {name}: ") - 1:
                    self.assertEqual(self.backlog(), plan)

    def random_block_plan(self, rnd):
        """A block list with comment lines above some records, one or two blank lines between some, and
        a section comment after a blank line."""
        out = ["items:"]
        n = rnd.randint(3, 7)
        for i in range(1, n + 1):
            if i > 1:
                out += [""] * rnd.choice([0, 0, 1, 2])
                if rnd.random() < 0.15:
                    out += ["  # section", ""]
            if rnd.random() < 0.4:
                out.append(f"  # about T-{i}")
            out += [f"  - id: T-{i}", f"    title: t{i}"]
            if rnd.random() < 0.5:
                out.append(f"    value: {i}   # v")
        text = "\n".join(out) + ("\n" if rnd.random() < 0.9 else "")
        return text.replace("\n", "\r\n") if rnd.random() < 0.3 else text

    def test_move_then_move_back_in_a_block_list(self):
        """Issue 28: `move` leaves the blank lines where they were (the records change places, what stands
        between them stays), so moving a record and moving it back restores the file byte for byte."""
        rnd = random.Random(1207)
        for case in range(12):
            plan = self.random_block_plan(rnd)
            n = plan.count("- id: T-")
            i = rnd.randint(1, n)
            where = rnd.choice([["--top"], ["--bottom"], ["--after", f"T-{rnd.randint(1, n)}"],
                                ["--before", f"T-{rnd.randint(1, n)}"]])
            if where[-1] == f"T-{i}":
                continue
            with self.subTest(case=case, plan=plan, i=i, where=where):
                self.make(backlog=plan)
                r = self.tandem("move", f"T-{i}", *where)
                self.assertEqual(r.code, 0, r.err)
                text = self.backlog()
                # The blank lines and section comments stand where they stood.
                shape = lambda t: [l.strip() for l in t.splitlines() if not l.strip() or l.strip() == "# section"]
                self.assertEqual(shape(text), shape(plan))
                self.assertNotIn("\n\n\n\n", text.replace("\r", ""))
                back = ["--after", f"T-{i - 1}"] if i > 1 else ["--top"]
                r = self.tandem("move", f"T-{i}", *back)
                self.assertEqual(r.code, 0, r.err)
                self.assertEqual(self.backlog(), plan)

    def random_flow_plan(self, rnd):
        """A flow list of 2-6 records over one or more lines, some followed by a comment."""
        parts = []
        n = rnd.randint(2, 6)
        for i in range(1, n + 1):
            rec = f"{{id: T-{i}, title: t{i}" + (", status: done, done: 2027-01-02}" if rnd.random() < 0.4 else "}")
            sep = "" if i == n else rnd.choice([", ", ",\n  ", ", # note {}\n  ".format(i)])
            parts.append(rec + sep)
        text = "items: [" + "".join(parts) + "]\n"
        return text.replace("\n", "\r\n") if rnd.random() < 0.3 else text

    def test_move_in_a_flow_list_then_move_back(self):
        rnd = random.Random(2024)
        for case in range(10):
            plan = self.random_flow_plan(rnd)
            self.make(backlog=plan)
            n = plan.count("id: T-")
            i = rnd.randint(1, n)
            where = rnd.choice([["--top"], ["--bottom"], ["--after", f"T-{rnd.randint(1, n)}"]])
            if where[-1] == f"T-{i}":
                continue
            with self.subTest(case=case, plan=plan, i=i, where=where):
                r = self.tandem("move", f"T-{i}", *where)
                self.assertEqual(r.code, 0, r.err)
                self.assertEqual(self.tandem("check").code, 0)
                text = self.backlog()
                for k in range(1, n + 1):  # every record and comment is still there, once
                    self.assertEqual(text.count(f"id: T-{k},"), 1)
                    self.assertEqual(text.count(f"# note {k}"), plan.count(f"# note {k}"))
                # Back to where it was: after its old predecessor, or to the top.
                back = ["--after", f"T-{i - 1}"] if i > 1 else ["--top"]
                r = self.tandem("move", f"T-{i}", *back)
                self.assertEqual(r.code, 0, r.err)
                order = [int(x.split(",")[0]) for x in self.backlog().split("id: T-")[1:]]
                self.assertEqual(order, list(range(1, n + 1)))

    def test_archive_from_a_flow_list_keeps_every_record_and_comment(self):
        rnd = random.Random(77)
        for case in range(10):
            plan = self.random_flow_plan(rnd)
            archive = rnd.choice(["items: []\n", "items: [{id: Z-1, title: z}]\n", "items:\n  - id: Z-1\n    title: z\n"])
            self.make(backlog=plan)
            (self.root / "tandem.yaml").write_text(TestArchive.CONFIG)
            (self.root / "archive.yaml").write_text(archive)
            with self.subTest(case=case, plan=plan, archive=archive):
                r = self.tandem("archive", "--to", "archive.yaml")
                self.assertEqual(r.code, 0, r.err)
                self.assertEqual(self.tandem("check").code, 0)
                both = self.backlog() + (self.root / "archive.yaml").read_text()
                n = plan.count("id: T-")
                for k in range(1, n + 1):
                    self.assertEqual(both.count(f"id: T-{k},"), 1)
                    self.assertEqual(both.count(f"# note {k}"), plan.count(f"# note {k}"))
                self.assertNotIn("status: done", self.backlog())


if __name__ == "__main__":
    unittest.main()
