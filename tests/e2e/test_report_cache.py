"""The report's history cache (issue 14's speed target): what the one walk found in each commit is kept in
the user's cache directory, and a report from the cache says exactly what a report without it says, on a
history with merges (clean and resolved by hand), a commit that breaks a plan file and its fix, an item
created done, and commits added after the cache was written. A damaged cache, a link in its place and a
directory where it cannot be written change nothing but the speed; `audit` never reads it, and the
repository is never written. Beside it, the window's judgement by audit is kept for the head it judged."""

import json
import os
import re
import stat
import subprocess
import unittest

from tandem_e2e import BIN
from test_git import GitTestCase, Repo, new_repo, set_field
from test_hardening import full_snapshot as snapshot

NO_CACHE = {"TANDEM_NO_CACHE": "1"}
TODAY = "2027-01-20"


class TestReportCache(GitTestCase):

    def make(self):
        """Commits one a day from 5 Jan: a side branch with a violation merged with a hand-made change, a
        broken backlog and its fix, an item created done."""
        repo = new_repo(self.tmp)
        repo.edit("carol", "Start A-1", "backlog.yaml", lambda t: set_field(t, "A-1", "status", "doing"))
        repo.git("checkout", "-q", "-b", "side")
        repo.edit("bob", "Raise A-2", "backlog.yaml", lambda t: set_field(t, "A-2", "value", 13))
        side = repo.head()
        repo.git("checkout", "-q", "main")
        repo.edit("alice", "Rename A-3", "backlog.yaml", lambda t: set_field(t, "A-3", "title", "Orders"))
        repo.git("merge", "-q", "--no-commit", "--no-ff", side, env=repo.env_for("bob"))
        repo.edit("bob", "Merge side", "backlog.yaml", lambda t: set_field(t, "A-1", "estimate", 4))
        good = repo.read("backlog.yaml")
        repo.commit("carol", "Break the backlog", {"backlog.yaml": good + "  - id: [unclosed\n"})
        repo.commit("carol", "Fix it", {"backlog.yaml": set_field(good, "A-1", "status", "done")})
        repo.edit("alice", "Add A-4, already done", "backlog.yaml",
                  lambda t: t + "  - {id: A-4, title: Refunds, owner: alice, milestone: M1, estimate: 1, status: done}\n")
        return repo

    def setUp(self):
        super().setUp()
        self.cache_dir = self.tmp / "cache"

    def report(self, repo, fmt="json", env=None):
        r = self.tandem(repo, "report", "--format", fmt, "--today", TODAY, "--since", "2027-01-06",
                        env={"TANDEM_CACHE_DIR": str(self.cache_dir), **(env or {})}, leaks=False)
        self.assertExit(r, 0)
        return r.out

    def cache_files(self, repo):
        return sorted(self.cache_dir.glob("history-*")) if self.cache_dir.is_dir() else []

    def test_a_report_from_the_cache_says_what_the_history_says(self):
        repo = self.make()
        truth = self.report(repo, env=NO_CACHE)
        self.assertEqual(self.cache_files(repo), [])  # TANDEM_NO_CACHE=1 writes nothing
        data = json.loads(truth)
        self.assertEqual([v["id"] for v in data["violations"]], ["A-2", "A-1"])  # bob's value, and his merge's
        # A-1 done on 11 Jan, A-4 created done on 12 Jan.
        self.assertEqual([(w["done"], w["scope"]) for w in data["flow"]["burnup"][0]["weeks"]], [(0, 3), (2, 4), (2, 4)])

        before = snapshot(repo.root)
        self.assertEqual(self.report(repo), truth)  # reads history and writes the cache
        self.assertEqual(snapshot(repo.root), before, "the repository, .git included, is not written")
        [cache] = self.cache_files(repo)
        self.assertEqual(stat.S_IMODE(self.cache_dir.stat().st_mode), 0o700)
        written = cache.stat().st_mtime_ns
        self.assertEqual(self.report(repo), truth)  # from the cache
        self.assertEqual(self.report(repo, "markdown"), self.report(repo, "markdown", NO_CACHE))
        self.assertEqual(cache.stat().st_mtime_ns, written, "a walk that found nothing new rewrites nothing")
        self.assertNotIn(b"unclosed", cache.read_bytes())  # commits whose files did not all parse are not kept

        # New commits are read and added; the rest still comes from the cache.
        repo.edit("bob", "Re-estimate A-3", "backlog.yaml", lambda t: set_field(t, "A-3", "estimate", 8))
        self.assertEqual(self.report(repo), self.report(repo, env=NO_CACHE))
        self.assertIn(repo.head().encode(), cache.read_bytes())

    def test_done_items_without_a_date_are_dated_from_the_cache_too(self):
        # schedule, forecast, show and diff date a done item without `done:` by the commit that made it done
        # (SPEC 6.1): that walk of the whole history keeps what it found, so the next run reads only new commits.
        repo = self.make()  # A-1 made done by "Fix it", A-4 created done: neither has a `done:` date
        env = {"TANDEM_CACHE_DIR": str(self.cache_dir)}
        args = ("schedule", "--format", "json", "--today", TODAY)
        first = self.tandem(repo, *args, env=env, leaks=False)
        self.assertExit(first, 0)
        self.assertEqual(len(self.cache_files(repo)), 1)
        again = self.tandem(repo, *args, env=env, leaks=False)
        self.assertEqual(again.out, first.out)
        uncached = self.tandem(repo, *args, env={**env, **NO_CACHE}, leaks=False)
        self.assertEqual(uncached.out, first.out)

    def test_the_cache_is_what_the_report_reads_and_audit_does_not(self):
        # Proof that the report reads the cache: a value forged in it shows in the report's recent changes
        # (the cache is in the user's cache directory, where a pull request cannot write), and not in the
        # violations, which are audit's judgement of the window's range (one judge), nor in an audit: both
        # read only history.
        repo = self.make()
        self.report(repo)
        [cache] = self.cache_files(repo)
        forged = cache.read_bytes().replace(b"5:value1:52:13", b"5:value1:52:21")
        self.assertNotEqual(forged, cache.read_bytes())
        cache.write_bytes(forged)
        data = json.loads(self.report(repo))
        self.assertIn("A-2 value: 5 → 21", [c["change"] for c in data["recent_changes"]])
        self.assertEqual([v["new"] for v in data["violations"] if v["id"] == "A-2"], [13])
        self.assertIn("A-2 value: 5 → 13", [c["change"] for c in json.loads(self.report(repo, env=NO_CACHE))["recent_changes"]])
        _, data = self.audit_json(repo, "HEAD", leaks=False)
        self.assertEqual([v["new"] for v in data["violations"] if v["id"] == "A-2"], [13])

    def test_a_window_judged_before_is_not_read_again(self):
        # The window's violations are audit's judgement of B..HEAD; a report on a head it has judged
        # before takes them from the judgements file beside the history cache. Proof: the head's version
        # is lost from the object store, and the report from the caches still says what it said; without
        # the judgement, audit needs that version and cannot read it.
        repo = new_repo(self.tmp)
        repo.edit("carol", "Raise A-2", "backlog.yaml", lambda t: set_field(t, "A-2", "value", 13))
        truth = self.report(repo)
        [judged] = sorted(self.cache_dir.glob("audit-*"))
        self.assertEqual([(v["id"], v["field"]) for v in json.loads(truth)["violations"]], [("A-2", "value")])
        self.assertEqual(self.report(repo), truth)
        blob = repo.git("rev-parse", "HEAD:backlog.yaml").strip()
        (repo.root / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
        self.assertEqual(self.report(repo), truth)
        judged.unlink()
        self.assertEqual(json.loads(self.report(repo))["violations"], [])  # HEAD's changes could not be judged
        self.assertFalse(judged.exists(), "a judgement with a version it could not read is not kept")
        self.assertEqual(json.loads(truth)["violations_problems"], 0)
        # A window with a version that does not parse ("Break the backlog") is judged on every run, and the
        # report says that the audit of the range fails for it too (never a bare "None." beside a failing audit).
        repo = self.make()
        data = json.loads(self.report(repo))
        self.assertEqual(list(self.cache_dir.glob("audit-*")), [])
        self.assertEqual(data["violations_problems"], 1)
        base, head = data["violations_range"]["base"][:10], data["violations_range"]["head"][:10]
        self.assertIn(f"`tandem audit {base}..{head}` also finds 1 problem that fails it", self.report(repo, "markdown"))
        audit = self.tandem(repo, "audit", f"{base}..{head}", leaks=False)
        self.assertExit(audit, 1)
        self.assertIn("1 plan file version that did not parse", audit.out)

    def test_the_caches_name_the_build_that_wrote_them(self):
        # Another build of tandem (same version string, other sources) may find other changes or judge
        # otherwise: the files' keys carry the program's GNU build id, and a file of another build is
        # ignored and rewritten.
        repo = self.make()
        truth = self.report(repo)
        out = subprocess.run(["readelf", "-n", BIN], capture_output=True, text=True, check=True).stdout
        build = re.search(r"Build ID: ([0-9a-f]+)", out).group(1)
        [cache] = self.cache_files(repo)
        version = subprocess.run([BIN, "--version"], capture_output=True, text=True, check=True).stdout.split()[1]
        self.assertIn(f"{version} {build}\n".encode(), cache.read_bytes())
        other = "0" * len(build) if build != "0" * len(build) else "1" * len(build)
        cache.write_bytes(cache.read_bytes().replace(build.encode(), other.encode()))
        self.assertEqual(self.report(repo), truth)
        self.assertIn(build.encode(), cache.read_bytes())

    def test_a_damaged_cache_is_ignored_and_rewritten(self):
        repo = self.make()
        truth = self.report(repo, env=NO_CACHE)
        self.report(repo)
        [cache] = self.cache_files(repo)
        whole = cache.read_bytes()
        for damaged in (whole[: len(whole) // 2], whole[:-1], b"", b"\x00" * 100, whole.replace(b"40:", b"99:", 1),
                        whole + b"99999999999999999999999:", re.sub(rb"tandem history cache \d+", b"x", whole)):
            cache.write_bytes(damaged)
            self.assertEqual(self.report(repo), truth)
        self.assertEqual(cache.read_bytes(), whole)

    def test_a_link_or_an_unwritable_place_changes_nothing_but_the_speed(self):
        repo = self.make()
        truth = self.report(repo, env=NO_CACHE)
        self.report(repo)
        [cache] = self.cache_files(repo)
        outside = self.tmp / "outside"
        outside.write_bytes(cache.read_bytes())
        cache.unlink()
        cache.symlink_to(outside)
        self.assertEqual(self.report(repo), truth)
        self.assertFalse(cache.is_symlink(), "the link is replaced, never written through")
        self.assertEqual(outside.read_bytes(), cache.read_bytes())

        # A FIFO in the file's place: never waited on.
        cache.unlink()
        os.mkfifo(cache)
        self.assertEqual(self.report(repo), truth)
        self.assertTrue(cache.is_file() and not cache.is_symlink())  # replaced by the cache

        # The cache directory is a file: nothing can be kept, the report is the same.
        for f in self.cache_dir.iterdir():
            f.unlink()
        self.cache_dir.rmdir()
        self.cache_dir.write_text("not a directory\n")
        self.assertEqual(self.report(repo), truth)

        # A read-only cache directory (when tandem does not run as root, which may write anyway).
        self.cache_dir.unlink()
        self.cache_dir.mkdir(mode=0o500)
        try:
            self.assertEqual(self.report(repo), truth)
        finally:
            self.cache_dir.chmod(0o700)

        # No directory for it at all (no TANDEM_CACHE_DIR, XDG_CACHE_HOME or HOME): no cache, same report.
        self.assertEqual(self.report(repo, env={"TANDEM_CACHE_DIR": None, "XDG_CACHE_HOME": None, "HOME": None}), truth)

    def test_the_cache_directory_follows_xdg_and_home_and_each_repository_has_its_own(self):
        repo = self.make()
        home = self.tmp / "home"
        env = {"TANDEM_CACHE_DIR": None, "XDG_CACHE_HOME": None, "HOME": str(home)}
        truth = self.report(repo, env=env)
        self.assertEqual(len(list((home / ".cache" / "tandem").glob("history-*"))), 1)
        self.assertEqual(self.report(repo, env={**env, "XDG_CACHE_HOME": str(self.tmp / "xdg")}), truth)
        self.assertEqual(len(list((self.tmp / "xdg" / "tandem").glob("history-*"))), 1)
        self.assertEqual(self.report(repo, env={**env, "XDG_CACHE_HOME": "relative"}), truth)  # ignored: not absolute
        self.assertFalse((repo.root / "relative").exists())
        # A clone of the same history elsewhere has a file of its own.
        clone = Repo.clone(repo.root, self.tmp / "clone")
        self.assertEqual(self.report(clone, env=env), truth)
        self.assertEqual(len(list((home / ".cache" / "tandem").glob("history-*"))), 2)


if __name__ == "__main__":
    unittest.main()
