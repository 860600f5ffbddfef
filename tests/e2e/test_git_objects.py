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


if __name__ == "__main__":
    unittest.main()
