"""Editing in parallel (SPEC 12 rules 6 and 7): the edit lock, `renumber`, and ids that no branch,
remote-tracking branch or tag uses, with the id cache."""

import fcntl
import shutil
import os
import subprocess
import time
from pathlib import Path

from tandem_e2e import BIN, MIN_CONFIG, TODAY, TandemTestCase, run, snapshot

GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_AUTHOR_NAME": "Pat",
           "GIT_AUTHOR_EMAIL": "pat@example.com", "GIT_COMMITTER_NAME": "Pat",
           "GIT_COMMITTER_EMAIL": "pat@example.com", "EMAIL": None}


class RepoTestCase(TandemTestCase):
    """A plan in a real git repository (main), edited by Pat, the product owner."""

    def setUp(self):
        super().setUp()
        self.home = self.tmp / "home"
        self.home.mkdir()
        self.env = {**GIT_ENV, "HOME": str(self.home), "XDG_CONFIG_HOME": str(self.home)}

    def git(self, *args, cwd=None, check=True):
        env = {k: v for k, v in {**os.environ, **self.env}.items() if v is not None}
        p = subprocess.run(["git", *args], cwd=cwd or self.root, capture_output=True, text=True, env=env)
        if check and p.returncode != 0:
            self.fail(f"git {' '.join(args)}: {p.stderr}")
        return p

    def repo(self, backlog, path="plan", extra=None):
        self.root = self.tmp / path
        self.root.mkdir()
        files = {"tandem.yaml": MIN_CONFIG, "backlog.yaml": backlog, **(extra or {})}
        for name, text in files.items():
            (self.root / name).write_text(text)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.email", "pat@example.com")
        self.git("add", "-A")
        self.git("commit", "-qm", "plan")
        return self.root

    def commit_backlog(self, text, message, cwd=None):
        root = cwd or self.root
        (root / "backlog.yaml").write_text(text)
        self.git("commit", "-qam", message, cwd=root)

    def tandem(self, *args, cwd=None, env=None):
        return run("--today", TODAY, *args, cwd=cwd or self.root, env={**self.env, **(env or {})})

    def backlog(self):
        return (self.root / "backlog.yaml").read_text()


def items(*pairs):
    return "items:\n" + "".join(f"  - id: {i}\n    title: {t}\n" for i, t in pairs)


TWENTY = "items:\n" + "".join(f"  - id: ITEM-{n}\n    title: Item {n}\n    value: 1\n" for n in range(1, 21))


class TestEditLock(RepoTestCase):

    def twenty_at_once(self, env=None):
        # A long limit: twenty sanitizer builds on a busy machine may well take more than 60 s in all.
        full = {k: v for k, v in {**os.environ, **self.env, "NO_COLOR": "1", "TANDEM_LOCK_TIMEOUT": "600",
                                   **(env or {})}.items() if v is not None}
        procs = [subprocess.Popen([BIN, "set", f"ITEM-{n}", f"value={n + 1}"], cwd=self.root, env=full,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for n in range(1, 21)]
        return [(p.wait(timeout=900), p.communicate()[1].decode()) for p in procs]

    def test_twenty_sets_started_at_once_all_land(self):
        self.repo(TWENTY)
        for code, err in self.twenty_at_once():
            self.assertEqual(code, 0, err)
        self.assertEqual(self.backlog(), TWENTY.replace("value: 1\n", "value: {}\n").format(*range(2, 22)))
        self.assertTrue((self.root / ".git" / "tandem.lock").exists())
        self.assertEqual(self.tandem("check").code, 0)

    def test_outside_a_repository_the_lock_is_beside_tandem_yaml(self):
        self.root = self.tmp / "plan"
        self.root.mkdir()
        (self.root / "tandem.yaml").write_text(MIN_CONFIG)
        (self.root / "backlog.yaml").write_text(TWENTY)
        for code, err in self.twenty_at_once():
            self.assertEqual(code, 0, err)
        self.assertIn("value: 21\n", self.backlog())
        self.assertEqual(self.backlog().count("value: 1\n"), 0)
        self.assertTrue((self.root / ".tandem.lock").exists())

    def hold_lock(self):
        fd = os.open(self.root / ".git" / "tandem.lock", os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX)
        self.addCleanup(os.close, fd)
        return fd

    def test_a_lock_held_too_long_times_out_and_nothing_is_written(self):
        self.repo(TWENTY)
        self.hold_lock()
        before = snapshot(self.root)
        start = time.monotonic()
        r = self.tandem("set", "ITEM-1", "value=9", env={"TANDEM_LOCK_TIMEOUT": "1.5"})
        self.assertEqual(r.code, 2, r.err)
        self.assertGreaterEqual(time.monotonic() - start, 1.4)
        lock = str(self.root / ".git" / "tandem.lock")
        self.assertIn(f"tandem: error: another tandem edit has held {lock} for 1.5 s; nothing written", r.err)
        self.assertIn("tandem: waiting for another tandem edit to finish", r.err)
        self.assertEqual(snapshot(self.root), before)

    def test_an_edit_waits_for_the_lock_and_then_lands(self):
        self.repo(TWENTY)
        fd = self.hold_lock()
        full = {k: v for k, v in {**os.environ, **self.env}.items() if v is not None}
        p = subprocess.Popen([BIN, "done", "ITEM-2", "--date", "2027-01-14"], cwd=self.root, env=full,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(1.5)
        self.assertIsNone(p.poll(), "the edit must wait for the lock")
        self.assertNotIn("status: done", self.backlog())
        fcntl.flock(fd, fcntl.LOCK_UN)
        out, err = p.communicate(timeout=60)
        self.assertEqual(p.returncode, 0, err.decode())
        self.assertIn("  - id: ITEM-2\n    title: Item 2\n    value: 1\n    status: done\n    done: 2027-01-14\n",
                      self.backlog())

    def test_a_bad_timeout_is_a_usage_error(self):
        self.repo(TWENTY)
        r = self.tandem("set", "ITEM-1", "value=9", env={"TANDEM_LOCK_TIMEOUT": "soon"})
        self.assertEqual(r.code, 2)
        self.assertIn("TANDEM_LOCK_TIMEOUT='soon' is not a number of seconds", r.err)


BACKLOG = (
    "items:\n"
    "  - id: CHK-1   # the first\n"
    "    title: Guest checkout\n"
    "    milestone: M1\n"
    "  - {id: CHK-2, title: Pay, depends_on: [CHK-1, 'CHK-3'], milestone: \"M1\"}\n"
    "  - id: CHK-3\n"
    "    title: Block\n"
    "    depends_on:\n"
    "      - \"CHK-1\"   # quoted\n"
)
ROADMAP = "milestones:\n  - id: M0\n    title: Alpha\n  - id: M1\n    title: Beta\n    depends_on: [M0]\n"
RISKS = "risks:\n  - id: R1\n    title: API change\n    affects: [CHK-1, M0]\n"


class TestRenumber(RepoTestCase):

    def make(self):
        return self.repo(BACKLOG, extra={"roadmap.yaml": ROADMAP, "risks.yaml": RISKS})

    def test_an_item_and_every_reference_to_it_are_renamed_in_their_own_quoting(self):
        self.make()
        r = self.tandem("renumber", "CHK-1", "CHK-10")
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual(self.backlog(), BACKLOG.replace("CHK-1 ", "CHK-10 ").replace("[CHK-1,", "[CHK-10,")
                         .replace('"CHK-1"', '"CHK-10"'))
        self.assertEqual((self.root / "risks.yaml").read_text(), RISKS.replace("CHK-1", "CHK-10"))
        self.assertEqual((self.root / "roadmap.yaml").read_text(), ROADMAP)
        self.assertEqual(r.out, "CHK-1: renamed to CHK-10 (backlog.yaml:2)\n"
                                "CHK-2: depends_on: [CHK-1, CHK-3] → [CHK-10, CHK-3]\n"
                                "CHK-3: depends_on: [CHK-1] → [CHK-10]\n"
                                "R1: affects: [CHK-1, M0] → [CHK-10, M0]\n")
        self.assertEqual(self.tandem("check").code, 0)

    def test_a_milestone_rename_changes_items_milestone_and_the_roadmaps_depends_on(self):
        self.make()
        r = self.tandem("renumber", "M0", "M-ALPHA")
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual((self.root / "roadmap.yaml").read_text(), ROADMAP.replace("M0", "M-ALPHA"))
        self.assertEqual((self.root / "risks.yaml").read_text(), RISKS.replace("M0", "M-ALPHA"))
        r = self.tandem("renumber", "M1", "BETA")
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual(self.backlog(), BACKLOG.replace("M1", "BETA"))
        self.assertEqual(self.tandem("check").code, 0)

    def test_a_taken_or_invalid_new_id_and_an_unknown_old_id_are_refused(self):
        self.make()
        before = snapshot(self.root)
        cases = [(("CHK-1", "CHK-3"), "tandem: error: the id 'CHK-3' is taken (backlog.yaml:6:5)\n"),
                 (("CHK-1", "M1"), "tandem: error: the id 'M1' is taken (roadmap.yaml:4:5)\n"),
                 (("CHK-1", "9lives"), "tandem: error: '9lives' is not a valid id (a letter, then letters, digits, "
                                       "'_', '.' or '-')\n"),
                 (("CHK-9", "CHK-10"), "tandem: error: no item, milestone or risk has the id 'CHK-9'\n")]
        for args, err in cases:
            r = self.tandem("renumber", *args)
            self.assertEqual((r.code, r.err), (1, err), args)
        self.assertEqual(snapshot(self.root), before)

    def test_dry_run_prints_the_diffs_and_writes_nothing(self):
        self.make()
        before = snapshot(self.root)
        r = self.tandem("renumber", "--dry-run", "CHK-3", "CHK-30")
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("-  - {id: CHK-2, title: Pay, depends_on: [CHK-1, 'CHK-3'], milestone: \"M1\"}\n"
                      "-  - id: CHK-3\n"
                      "+  - {id: CHK-2, title: Pay, depends_on: [CHK-1, 'CHK-30'], milestone: \"M1\"}\n"
                      "+  - id: CHK-30\n", r.out)
        self.assertEqual(snapshot(self.root), before)

    def test_the_rename_is_judged_as_a_delete_a_create_and_the_reference_changes(self):
        self.make()
        self.git("config", "user.email", "dana@example.com")  # a developer
        self.env["GIT_AUTHOR_EMAIL"] = "dana@example.com"
        r = self.tandem("renumber", "CHK-3", "CHK-30")
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("tandem: note: deleting CHK-3 is owned by product_owner: this change needs an approval "
                      "from Pat Owner\n", r.err)
        self.assertIn("tandem: note: creating CHK-30 is owned by product_owner", r.err)
        self.assertNotIn("depends_on is owned", r.err)  # a developer may change depends_on
        self.git("checkout", "--", ".")
        r = self.tandem("renumber", "--strict", "R1", "R9")
        self.assertEqual(r.code, 1)
        self.assertIn("deleting R1 is owned by project_manager", r.err)
        self.assertIn("--strict refuses, nothing written", r.err)
        self.assertIn("id: R1\n", (self.root / "risks.yaml").read_text())

    def merged_duplicate(self):
        """main and a branch each add ITEM-3 (and a reference to it); the merge keeps both, ours first."""
        base = items(("ITEM-1", "One"), ("ITEM-2", "Two"))
        self.repo(base, extra={"risks.yaml": "risks:\n  - id: R1\n    title: Risk\n    affects: [ITEM-1]\n"})
        self.git("checkout", "-qb", "theirs")
        self.commit_backlog(base + "  - id: ITEM-3\n    title: Theirs\n", "theirs adds ITEM-3")
        self.git("checkout", "-q", "main")
        self.commit_backlog(base + "  - id: ITEM-3\n    title: Ours\n    depends_on: [ITEM-1]\n", "ours adds ITEM-3")
        self.assertNotEqual(self.git("merge", "-q", "theirs", check=False).returncode, 0, "a conflict without a driver")
        merged = base + "  - id: ITEM-3\n    title: Ours\n    depends_on: [ITEM-1]\n  - id: ITEM-3\n    title: Theirs\n"
        merged = merged.replace("  - id: ITEM-2\n    title: Two\n", "  - id: ITEM-2\n    title: Two\n"
                                "    depends_on: [ITEM-3]\n")
        self.commit_backlog(merged, "merge theirs")
        return merged

    def test_after_a_merge_added_one_id_twice_the_later_record_is_renamed(self):
        merged = self.merged_duplicate()
        self.assertIn("[duplicate-id]", self.tandem("check").out)
        r = self.tandem("renumber", "ITEM-3", "ITEM-4")
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual(self.backlog(), merged.replace("  - id: ITEM-3\n    title: Theirs", "  - id: ITEM-4\n"
                                                        "    title: Theirs"))
        self.assertIn("ITEM-3: renamed to ITEM-4 (backlog.yaml:10)\n", r.out)
        self.assertIn("2 records had the id ITEM-3: the references to it stay as they are (ITEM-2 depends_on); "
                      "point those meant for the renamed record at ITEM-4 with tandem set\n", r.out)
        self.assertEqual(self.tandem("check").code, 0, self.tandem("check").out)

    def test_nth_and_file_pick_another_record_with_the_duplicated_id(self):
        merged = self.merged_duplicate()
        r = self.tandem("renumber", "ITEM-3", "ITEM-4", "--nth", "1", "--file", "backlog.yaml")
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual(self.backlog(), merged.replace("  - id: ITEM-3\n    title: Ours", "  - id: ITEM-4\n"
                                                        "    title: Ours"))
        self.git("checkout", "--", ".")
        r = self.tandem("renumber", "ITEM-3", "ITEM-4", "--nth", "3")
        self.assertEqual((r.code, r.err), (1, "tandem: error: --nth 3: 2 records have the id 'ITEM-3'\n"))
        r = self.tandem("renumber", "ITEM-3", "ITEM-4", "--file", "risks.yaml")
        self.assertEqual((r.code, r.err), (1, "tandem: error: no record in risks.yaml has the id 'ITEM-3'\n"))


BASE = items(("ITEM-1", "One"))


class TestIdsAcrossRefs(RepoTestCase):

    def added_id(self, cwd=None, env=None):
        r = self.tandem("add", "New", "--dry-run", cwd=cwd, env=env)
        self.assertEqual(r.code, 0, r.err)
        return next(l[len("+  - id: "):] for l in r.out.splitlines() if l.startswith("+  - id: "))

    def branch_with(self, name, ids, cwd=None):
        self.git("checkout", "-qb", name, cwd=cwd)
        self.commit_backlog(items(("ITEM-1", "One"), *[(i, "On " + name) for i in ids]), "add on " + name, cwd=cwd)
        self.git("checkout", "-q", "main", cwd=cwd)

    def test_an_id_used_only_on_another_local_branch_is_not_reused(self):
        self.repo(BASE)
        self.assertEqual(self.added_id(), "ITEM-2")
        self.branch_with("other", ["ITEM-2"])
        self.assertEqual(self.added_id(), "ITEM-3")

    def test_an_id_used_only_on_a_remote_tracking_branch_is_not_reused(self):
        upstream = self.repo(BASE, path="upstream")
        self.branch_with("feature", ["ITEM-2", "ITEM-3"])
        self.git("clone", "-q", str(upstream), str(self.tmp / "work"), cwd=self.tmp)
        self.root = self.tmp / "work"
        self.assertEqual(self.git("branch", "--list").stdout.strip(), "* main")
        self.assertIn("origin/feature", self.git("branch", "-r").stdout)
        self.assertEqual(self.added_id(), "ITEM-4")

    def test_an_id_used_only_in_a_tagged_commit_is_not_reused(self):
        self.repo(BASE)
        self.branch_with("release", ["ITEM-2"])
        self.git("tag", "-a", "-m", "v1", "v1", "release")
        self.git("branch", "-qD", "release")
        self.assertEqual(self.added_id(), "ITEM-3")

    def test_an_id_deleted_on_this_branch_is_not_reused(self):
        self.repo(BASE)
        self.commit_backlog(items(("ITEM-1", "One"), ("ITEM-2", "Two")), "two")
        self.commit_backlog(BASE, "drop two")
        self.assertEqual(self.added_id(), "ITEM-3")


class TestIdCache(RepoTestCase):

    def setUp(self):
        super().setUp()
        self.cache = self.tmp / "cache"
        self.env["TANDEM_CACHE_DIR"] = str(self.cache)

    added_id = TestIdsAcrossRefs.added_id
    branch_with = TestIdsAcrossRefs.branch_with

    def test_a_cached_run_equals_an_uncached_one_and_follows_new_commits(self):
        self.repo(BASE)
        self.branch_with("a", ["ITEM-2"])
        self.branch_with("b", ["ITEM-5"])
        uncached = self.added_id(env={"TANDEM_NO_CACHE": "1"})
        self.assertFalse(self.cache.exists())
        self.assertEqual(uncached, "ITEM-6")
        self.assertEqual(self.added_id(), uncached)  # fills the cache
        files = list(self.cache.glob("ids-*"))
        self.assertEqual(len(files), 1)
        self.assertEqual(self.added_id(), uncached)  # reads it
        self.branch_with("c", ["ITEM-6", "ITEM-7"])  # a commit the cache has not seen
        self.assertEqual(self.added_id(), "ITEM-8")
        self.assertEqual(self.added_id(env={"TANDEM_NO_CACHE": "1"}), "ITEM-8")

    def test_a_repository_made_anew_at_the_same_path_does_not_inherit_the_cached_ids(self):
        self.repo(BASE)
        self.branch_with("a", ["ITEM-2", "ITEM-3"])
        self.assertEqual(self.added_id(), "ITEM-4")
        self.assertTrue(list(self.cache.glob("ids-*")))
        shutil.rmtree(self.root)
        self.repo(BASE)
        self.assertEqual(self.added_id(), "ITEM-2")
        self.assertEqual(self.added_id(env={"TANDEM_NO_CACHE": "1"}), "ITEM-2")

    def test_a_damaged_cache_is_ignored_and_rewritten(self):
        self.repo(BASE)
        self.branch_with("a", ["ITEM-2", "ITEM-3"])
        self.assertEqual(self.added_id(), "ITEM-4")
        (path,) = self.cache.glob("ids-*")
        good = path.read_bytes()
        cut_short = [good[:n] for n in (len(good) // 2, len(good) - 1, good.rindex(b"6:ITEM-3"))]
        for damaged in (*cut_short, good.replace(b"ITEM-3", b"ITEM-X"), b"garbage", b""):
            path.write_bytes(damaged)
            self.assertEqual(self.added_id(), "ITEM-4", damaged)
        self.assertEqual(path.read_bytes(), good)  # rewritten as it was
