"""`set`, `done`, `start`, `drop` read the edited record alone and verify the edit by that record alone
(docs/design.md): every answer, every message and every byte written must be what reading the whole plan
again gives. Each case here is one the one-record path must get right or hand to the whole-file path."""

import unittest

from tandem_e2e import MIN_CONFIG, TODAY, TandemTestCase, run, snapshot
from test_edit import isolated_env

BASE = ("items:\n"
        "  # first\n"
        "  - id: A-1\n    title: One\n    status: todo\n    value: 8\n    depends_on: [A-2]\n\n"
        "  - id: A-2\n    title: Two\n    status: todo\n    milestone: M1\n"
        "  # a comment between\n"
        "  - id: A-3\n    title: Three\n    depends_on:\n      - A-1\n    description: |\n      Free text.\n"
        "  - id: A-4\n    title: Four\n    tags: [x, y]\n")
ROADMAP = "milestones:\n  - id: M1\n    title: Beta\n  - id: M2\n    title: Gamma\n"
RISKS = "risks:\n  - id: R1\n    title: API change\n    probability: 3\n    impact: 4\n    affects: [A-1]\n"
NOTE = "tandem: note: ownership could not be checked: no git identity (set git config user.email, or GIT_AUTHOR_EMAIL)\n"
REFUSED = "tandem: error: the edit would give the plan errors; nothing written:\n"


class SetByRecordTestCase(TandemTestCase):

    def setUp(self):
        super().setUp()
        self.home = self.tmp / "home"
        self.home.mkdir()
        self.root = self.tmp / "plan"

    def make(self, backlog=BASE):
        self.root.mkdir(exist_ok=True)
        files = {"tandem.yaml": MIN_CONFIG, "backlog.yaml": backlog, "roadmap.yaml": ROADMAP, "risks.yaml": RISKS}
        for name, text in files.items():
            (self.root / name).write_bytes(text.encode("utf-8"))

    def tandem(self, *args):
        return run("--today", TODAY, *args, cwd=self.root, env=isolated_env(self.home))

    def assert_written(self, args, backlog, old, new, out):
        """The command succeeds, says `out`, and the backlog is `backlog` with `old` replaced by `new`."""
        self.make(backlog)
        self.assertEqual(backlog.count(old), 1, "the fixture must hold the text once")
        r = self.tandem(*args)
        self.assertEqual((r.code, r.out, r.err), (0, out, NOTE))
        self.assertEqual((self.root / "backlog.yaml").read_text(), backlog.replace(old, new))

    def assert_refused(self, args, err, backlog=BASE):
        """The command exits 1 with exactly `err` and writes nothing."""
        self.make(backlog)
        before = snapshot(self.root)
        r = self.tandem(*args)
        self.assertEqual((r.code, r.out, r.err), (1, "", err))
        self.assertEqual(snapshot(self.root), before)


class TestEditsThatPass(SetByRecordTestCase):

    def test_a_value_in_the_middle_of_the_file(self):
        self.assert_written(["set", "A-2", "value=3"], BASE, "    milestone: M1\n", "    milestone: M1\n    value: 3\n",
                            "A-2: value: (none) → 3\n")

    def test_the_line_count_changes_and_the_records_after_it_stay(self):
        self.assert_written(["set", "A-1", "tags=a,b", "value=13"], BASE, "    value: 8\n    depends_on: [A-2]\n",
                            "    value: 13\n    depends_on: [A-2]\n    tags: [a, b]\n",
                            "A-1: tags: (none) → [a, b]\nA-1: value: 8 → 13\n")
        self.assertEqual(self.tandem("check", "-q").code, 0)

    def test_a_line_removed_from_a_block_list(self):
        self.assert_written(["set", "A-3", "depends_on-=A-1"], BASE, "    depends_on:\n      - A-1\n",
                            "    depends_on: []\n", "A-3: depends_on: [A-1] → []\n")

    def test_the_last_record(self):
        self.assert_written(["set", "A-4", "owner=pat", "tags-=x"], BASE, "    tags: [x, y]\n",
                            "    tags: [y]\n    owner: pat\n",
                            "A-4: owner: (none) → pat\nA-4: tags: [x, \"y\"] → [\"y\"]\n")

    def test_the_last_record_before_a_key_after_the_list(self):
        backlog = BASE + "x-notes: kept\n"
        self.assert_written(["set", "A-4", "value=1"], backlog, "    tags: [x, y]\n", "    tags: [x, y]\n    value: 1\n",
                            "A-4: value: (none) → 1\n")

    def test_a_list_at_the_keys_indentation(self):
        backlog = "items:\n- id: A-1\n  title: One\n- id: A-2\n  title: Two\n  depends_on: [A-1]\n"
        self.assert_written(["set", "A-1", "value=2"], backlog, "  title: One\n", "  title: One\n  value: 2\n",
                            "A-1: value: (none) → 2\n")

    def test_a_dash_alone_on_its_line(self):
        backlog = "items:\n  -\n    id: A-1\n    title: One\n  - id: A-2\n    title: Two\n"
        self.assert_written(["set", "A-1", "value=2"], backlog, "    title: One\n", "    title: One\n    value: 2\n",
                            "A-1: value: (none) → 2\n")

    def test_a_file_with_a_directive_and_a_bom(self):
        for head in ["%YAML 1.2\n---\n", "\ufeff%TAG !! tag:example.com,2000:\n---\n", "\ufeff"]:
            with self.subTest(head=head):
                self.assert_written(["set", "A-2", "value=3"], head + BASE, "    milestone: M1\n",
                                    "    milestone: M1\n    value: 3\n", "A-2: value: (none) → 3\n")

    def test_crlf_line_ends(self):
        backlog = BASE.replace("\n", "\r\n")
        self.make(backlog)
        r = self.tandem("set", "A-2", "owner=pat")
        self.assertEqual((r.code, r.out, r.err), (0, "A-2: owner: (none) → pat\n", NOTE))
        self.assertEqual((self.root / "backlog.yaml").read_bytes(),
                         backlog.replace("milestone: M1\r\n", "milestone: M1\r\n    owner: pat\r\n").encode())

    def test_titles_that_look_like_yaml_syntax(self):
        for title, written in [("--- x", "--- x"), ("... y", "... y"), ("a & b", "a & b"), ("*star", '"*star"'),
                               ("%p", '"%p"')]:
            with self.subTest(title=title):
                self.make()
                r = self.tandem("set", "A-2", f"title={title}")
                self.assertEqual(r.code, 0, r.err)
                text = (self.root / "backlog.yaml").read_text()
                self.assertIn(f"    title: {written}\n", text)
                self.assertEqual(self.tandem("show", "A-2", "--format", "json").json()["fields"]["title"], title)

    def test_done_on_two_records_of_one_file(self):
        self.make()
        r = self.tandem("done", "A-1", "A-4")
        self.assertEqual((r.code, r.err), (0, NOTE))
        text = (self.root / "backlog.yaml").read_text()
        self.assertIn("    status: done\n    value: 8\n    depends_on: [A-2]\n    done: 2027-01-15\n", text)
        self.assertTrue(text.endswith("    tags: [x, y]\n    status: done\n    done: 2027-01-15\n"))

    def test_a_plan_with_an_error_elsewhere_and_a_duplicate_id(self):
        backlog = BASE + "  - id: A-2\n    title: Two again\n    milestone: M9\n"
        self.assert_written(["set", "A-1", "value=3"], backlog, "    value: 8\n", "    value: 3\n", "A-1: value: 8 → 3\n")
        self.assert_written(["set", "A-2", "value=3"], backlog, "    milestone: M1\n", "    milestone: M1\n    value: 3\n",
                            "A-2: value: (none) → 3\n")

    def test_an_edit_that_mends_an_error(self):
        backlog = BASE.replace("    milestone: M1\n", "    milestone: M9\n")
        self.assert_written(["set", "A-2", "milestone=M2"], backlog, "milestone: M9", "milestone: M2",
                            "A-2: milestone: M9 → M2\n")


class TestEditsThatAreRefused(SetByRecordTestCase):

    def test_an_unknown_reference_from_the_edited_record(self):
        self.assert_refused(["set", "A-1", "depends_on+=A-9"], REFUSED +
                            "  backlog.yaml:7:23: error: 'A-9' in 'depends_on' names no item [unknown-reference]\n")
        self.assert_refused(["set", "A-2", "milestone=M9", "tags=a,b,c"], REFUSED +
                            "  backlog.yaml:12:16: error: 'M9' in 'milestone' names no milestone [unknown-reference]\n")
        self.assert_refused(["set", "R1", "affects+=A-9"], REFUSED +
                            "  risks.yaml:6:20: error: 'A-9' in 'affects' names no item or milestone [unknown-reference]\n")

    def test_a_cycle_through_records_before_and_after_it(self):
        hint = "  hint: remove one of these dependencies; nothing in a cycle can ever start\n"
        self.assert_refused(["set", "A-2", "depends_on+=A-3"], REFUSED +
                            "  backlog.yaml:7:18: error: dependency cycle: A-1 → A-2 → A-3 → A-1 [dependency-cycle]\n" + hint)
        backlog = BASE + "  - id: A-5\n    title: Five\n    depends_on: [A-4]\n"
        self.assert_refused(["set", "A-4", "tags=a,b", "depends_on=A-5"], REFUSED +
                            "  backlog.yaml:23:18: error: dependency cycle: A-4 → A-5 → A-4 [dependency-cycle]\n" + hint,
                            backlog)

    def test_the_edited_record_made_invalid(self):
        self.assert_refused(["set", "A-4", "milestone=M9", "owner=pat"], REFUSED +
                            "  backlog.yaml:23:16: error: 'M9' in 'milestone' names no milestone [unknown-reference]\n")

    def test_a_list_key_written_twice(self):
        # The plan is then read as the other commands read it (whole trees): the second list is not read.
        twice = BASE + "items:\n  - id: B-1\n    title: Bee\n"
        duplicate = ("tandem: error: backlog.yaml:23:1: duplicate key 'items' (first at line 1); YAML forbids "
                     "duplicate keys (fix the file first: tandem edits only files that parse)\n")
        self.assert_refused(["set", "A-4", "value=3"], duplicate, twice)
        self.assert_refused(["set", "B-1", "value=3"], "tandem: error: no item, milestone or risk has the id 'B-1'\n",
                            twice)
        self.assert_refused(["done", "A-1", "B-1"], "tandem: error: no item, milestone or risk has the id 'B-1'\n",
                            twice)

    def test_anchors_and_aliases(self):
        anchored = BASE.replace("    title: One\n", "    title: &t One\n").replace("    title: Four\n", "    title: *t\n")
        self.assert_refused(["set", "A-1", "title=Changed"],
                            "tandem: error: the edited text would not parse (backlog.yaml:21:12: alias '*t' names no anchor "
                            "defined before it (fix the file first: tandem edits only files that parse)); nothing written\n",
                            anchored)
        repeated = BASE + "  - id: A-5\n    title: Five\n    tags: &tg [p, q]\n  - id: A-6\n    title: Six\n    tags: *tg\n"
        self.assert_refused(["set", "A-5", "tags+=r"],
                            "tandem: error: the edit of A-5 would also change A-6: it repeats the value through a YAML "
                            "alias (*name); nothing written (write the value out where it is repeated, or edit the "
                            "anchored value by hand)\n", repeated)
        self.assert_written(["set", "A-6", "value=1"], repeated, "    tags: *tg\n", "    tags: *tg\n    value: 1\n",
                            "A-6: value: (none) → 1\n")


if __name__ == "__main__":
    unittest.main()
