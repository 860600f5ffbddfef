"""tandem reads the objects the history holds, the true ones: large plan files are read by one
`git cat-file --batch` (issue 29) and every object it answers is checked to be the one asked for, so a
replace ref (`git replace`), a graft or a GIT_* variable that makes git show something else changes
nothing. TANDEM_GIT_BLOB_THRESHOLD=0 sends every blob through git here (the default is 1 MiB); "off"
reads every blob with libgit2, the reference."""

import json
import unittest

from test_git import GitTestCase, new_repo, set_field


class TestReplaceRefs(GitTestCase):

    def test_a_replace_ref_does_not_hide_a_violation(self):
        repo = new_repo(self.tmp)
        base = repo.head()
        sha = repo.edit("bob", "Raise the value of card payment", "backlog.yaml",
                        lambda t: set_field(t, "A-2", "value", 13))
        # git now shows the base's text for the violating version, and the base's commit for the violating one.
        repo.git("replace", repo.git("rev-parse", f"{sha}:backlog.yaml"), repo.git("rev-parse", f"{base}:backlog.yaml"))
        repo.git("replace", sha, base)
        (repo.root / ".git" / "info" / "grafts").write_text(f"{sha}\n")
        self.assertNotIn("value: 13", repo.git("show", f"{sha}:backlog.yaml"))
        other = new_repo(self.tmp, "other")
        elsewhere = {"GIT_DIR": str(other.root / ".git"), "GIT_OBJECT_DIRECTORY": str(other.root / ".git" / "objects"),
                     "GIT_ALTERNATE_OBJECT_DIRECTORIES": str(other.root / ".git" / "objects"),
                     "GIT_REPLACE_REF_BASE": "refs/replace/", "GIT_NO_REPLACE_OBJECTS": None}
        outputs = {}
        for threshold in ("0", "off"):
            for env in ({}, elsewhere):
                args = ("--format", "json", "audit", "--base", base)
                r = self.tandem(repo, *args, env={"TANDEM_GIT_BLOB_THRESHOLD": threshold, **env})
                self.assertExit(r, 1)
                violations = json.loads(r.out)["violations"]
                self.assertEqual([(v["commit"], v["id"], v["field"], v["old"], v["new"]) for v in violations],
                                 [(sha, "A-2", "value", 5, 13)], r.out)
                outputs[(threshold, bool(env))] = r.out
        self.assertEqual(len(set(outputs.values())), 1, outputs)


class TestReadAhead(GitTestCase):
    """git reads the next version of a large plan file while tandem parses the one before (issue 29):
    every history command says exactly what it says when libgit2 reads every blob, whatever the walk
    meets (a file unchanged, deleted and back, a merge, a rewritten history, the history cache)."""

    def test_reading_ahead_changes_no_output(self):
        repo = new_repo(self.tmp)
        base = repo.head()
        for n in range(6):
            repo.edit("bob" if n % 2 else "carol", f"Edit {n}", "backlog.yaml",
                      lambda t, n=n: set_field(t, "A-1", "estimate", n + 1))
        repo.commit("carol", "No plan change", {"notes.txt": "x\n"})
        saved = repo.read("roadmap.yaml")
        repo.commit("alice", "Drop the roadmap", remove=("roadmap.yaml",))
        repo.commit("alice", "Bring it back", {"roadmap.yaml": saved})
        repo.git("checkout", "-q", "-b", "side", "HEAD~3")
        repo.edit("bob", "Raise a value on a branch", "backlog.yaml", lambda t: set_field(t, "A-2", "value", 13))
        repo.git("checkout", "-q", "main")
        repo.git("merge", "-q", "--no-ff", "-m", "Merge side", "side", env=repo.env_for("alice"))
        repo.n += 1
        today = repo.day(repo.n + 1)
        commands = [("--format", "json", "audit", "--base", base), ("--format", "json", "log", "A-1"),
                    ("--format", "json", "blame", "A-2"), ("--format", "json", "log", "A-2"),
                    ("report", "--format", "json", "--today", today, "--since", repo.day(3))]
        outputs = {}
        for threshold in ("off", "0"):
            for cached in (False, True):  # the second report walks with its history cache
                for args in commands:
                    r = self.tandem(repo, *args, env={"TANDEM_GIT_BLOB_THRESHOLD": threshold,
                                                      "TANDEM_CACHE_DIR": str(self.tmp / f"cache-{threshold}")})
                    self.assertIn(r.code, (0, 1), r.err)
                    outputs.setdefault(args, set()).add((r.code, r.out))
        for args, seen in outputs.items():
            self.assertEqual(len(seen), 1, f"{args}: {seen}")
        self.assertIn("A-2", next(iter(outputs[commands[0]]))[1])


if __name__ == "__main__":
    unittest.main()
