"""What a checkout sees, what history costs, what a reviewer reads (issue 30, items 4, 6 and 7), on real
repositories made with git:

- a `.gitattributes` that gives a plan file `working-tree-encoding`, `filter` or `ident` makes the file
  people check out differ from the blob the audit reads: an error `unsafe-attributes` in check and audit;
- a plan path whose tree entry is not a regular file (a gitlink) is `unsafe-path` in history;
- a budget on the plan-file bytes one run reads from history (`--max-history-bytes`), exit 2;
- a change of type shows as one (`8 → "8"`), and markdown output keeps text from the plan inert."""

import shutil
import subprocess
import unittest
from pathlib import Path

import yaml

from test_git import CONFIG, GitTestCase, Repo, new_repo, set_field


class TestGitAttributes(GitTestCase):

    def test_working_tree_encoding_on_a_plan_file_fails_audit_and_check(self):
        repo = new_repo(self.tmp)
        base = repo.head()
        # A developer's pull request: x- keys only (anyone's to change) and an attribute that makes every
        # checkout re-encode backlog.yaml in SHIFT-JIS, where U+00A5 is the byte of a backslash: quotes
        # re-pair, and the plan people check out has value 100 where the blob (what audit reads) has 8.
        blob = repo.read("backlog.yaml").replace(
            "    title: Guest checkout\n    owner: alice\n    milestone: M1\n    value: 8\n",
            "    title: Guest checkout\n    x-a: \"\u00a5\"\n    x-note: \"\n    value: 100\n    x-end: \"\n    value: 8\n"
            "    x-end2: 'a\" #'\n    owner: alice\n    milestone: M1\n", 1)
        self.assertIn("x-end2", blob)
        repo.write({".gitattributes": "backlog.yaml working-tree-encoding=SHIFT-JIS\n"})
        repo.git("add", ".gitattributes")
        oid = repo.git("hash-object", "-w", "--no-filters", "--stdin", input=blob.encode("utf-8"))
        repo.git("update-index", "--cacheinfo", f"100644,{oid},backlog.yaml")
        repo.git("commit", "-q", "-m", "Notes", env=repo.env_for("carol"))
        clone = Repo.clone(repo.root, Path(self.tmp) / "clone")
        seen = yaml.safe_load((clone.root / "backlog.yaml").read_bytes().decode("ascii"))["items"][0]
        stored = yaml.safe_load(repo.git("show", "HEAD:backlog.yaml"))["items"][0]
        self.assertEqual((seen["value"], stored["value"]), (100, 8))  # two views of one file
        r, data = self.audit_json(repo, "--base", base, code=1, leaks=False)
        problems = [p for p in data["problems"] if "unsafe-attributes" in p["message"]]
        self.assertEqual(len(problems), 1, r.out)
        self.assertEqual((problems[0]["file"], problems[0]["line"]), (".gitattributes", 1))
        self.assertIn("working-tree-encoding=SHIFT-JIS", problems[0]["message"])
        # Adding the attribute is a change to the config, which a developer may not make.
        self.assertEqual([(v["field"], v["person"], v["file"]) for v in data["violations"]],
                         [(".gitattributes", "carol", ".gitattributes")], r.out)
        t = self.tandem(repo, "audit", "--base", base, leaks=False)
        self.assertExit(t, 1)
        self.assertIn(".gitattributes:1:1: error:", t.out)
        self.assertIn("[unsafe-attributes]", t.out)
        self.assertTrue(t.out.endswith("1 violation in 1 commit, and 1 unsafe .gitattributes finding\n"), t.out)
        d = self.tandem(repo, "diff", base, "HEAD", leaks=False)
        self.assertExit(d, 0)  # diff compares, and says so in a note
        self.assertIn("note: .gitattributes:1: unsafe-attributes:", d.out)
        c = self.tandem(repo, "check")
        self.assertExit(c, 1)
        self.assertIn(".gitattributes:1:1: error: '.gitattributes' gives the plan file backlog.yaml "
                      "'working-tree-encoding=SHIFT-JIS'", c.out)

    def test_a_macro_a_glob_and_a_nested_file_are_read_as_git_reads_them(self):
        plan = {"tandem.yaml": CONFIG + "files:\n  backlog: plan/backlog.yaml\n  roadmap: roadmap.yaml\n"
                                        "  risks: risks.yaml\n"}
        from test_git import BACKLOG, RISKS, ROADMAP
        plan.update({"plan/backlog.yaml": BACKLOG, "roadmap.yaml": ROADMAP, "risks.yaml": RISKS})
        repo = new_repo(self.tmp, plan=plan)
        base = repo.head()
        repo.commit("alice", "Attributes", {
            ".gitattributes": "[attr]sneaky filter=clean-me\n**/risks.yaml sneaky\n*.yaml merge=tandem\n",
            "plan/.gitattributes": "backlog.yaml ident\nother.yaml working-tree-encoding=UTF-16\n"})
        r, data = self.audit_json(repo, "--base", base, code=1, leaks=False)
        found = sorted((p["file"], p["line"]) for p in data["problems"] if "unsafe-attributes" in p["message"])
        self.assertEqual(found, [(".gitattributes", 2), ("plan/.gitattributes", 1)], r.out)
        c = self.tandem(repo, "check")
        self.assertExit(c, 1)
        self.assertIn("'filter=clean-me'", c.out)
        self.assertIn("plan/backlog.yaml 'ident'", c.out)
        # Unset again below: fine.
        repo.commit("alice", "Unset", {"plan/.gitattributes": "backlog.yaml -ident\n",
                                       ".gitattributes": "*.yaml merge=tandem\n"})
        self.assertExit(self.tandem(repo, "check"), 0)

    def test_merge_text_eol_and_diff_are_fine(self):
        repo = new_repo(self.tmp)
        base = repo.head()
        repo.commit("carol", "Attributes", {".gitattributes": "*.yaml merge=tandem\n* text eol=lf\n*.yaml diff\n",
                                            "backlog.yaml": set_field(repo.read("backlog.yaml"), "A-3", "estimate", 8)})
        r, data = self.audit_json(repo, "--base", base, code=0, leaks=False)
        self.assertEqual((data["violations"], data["problems"]), ([], []), r.out)
        self.assertExit(self.tandem(repo, "check"), 0)


class TestGitlinks(GitTestCase):

    def gitlink_commit(self, repo, mode):
        """A commit by alice whose backlog-2.yaml is a tree entry of `mode` (made with git mktree)."""
        listing = repo.git("ls-tree", "HEAD")
        sub = repo.head()
        entries = [line for line in listing.splitlines() if not line.endswith("\tbacklog-2.yaml")]
        kind = "commit" if mode == "160000" else "blob"
        target = sub if kind == "commit" else repo.git("rev-parse", "HEAD:backlog-2.yaml")
        entries.append(f"{mode} {kind} {target}\tbacklog-2.yaml")
        tree = repo.git("mktree", input=("\n".join(entries) + "\n").encode())
        commit = repo.git("commit-tree", tree, "-p", "HEAD", "-m", "Backlog as a submodule",
                          env=repo.env_for("alice"))
        repo.git("update-ref", "refs/heads/main", commit)  # the index and work tree are not audited
        return commit

    def test_a_plan_file_under_a_glob_that_is_a_gitlink_is_unsafe_path(self):
        for mode in ("160000", "140000"):
            with self.subTest(mode=mode):
                plan = {"tandem.yaml": CONFIG + "files:\n  backlog: backlog*.yaml\n",
                        "backlog-2.yaml": "items:\n  - id: B-1\n    title: Kept\n    value: 3\n    size: 1\n"
                                          "    time_criticality: 1\n    risk_reduction: 1\n"}
                from test_git import BACKLOG, RISKS, ROADMAP
                plan.update({"backlog.yaml": BACKLOG, "roadmap.yaml": ROADMAP, "risks.yaml": RISKS})
                repo = new_repo(self.tmp, name=f"repo-{mode}", plan=plan)
                base = repo.head()
                self.gitlink_commit(repo, mode)
                r, data = self.audit_json(repo, "--base", base, code=1, leaks=False)
                messages = [p["message"] for p in data["problems"]]
                self.assertTrue(any("unsafe-path: backlog-2.yaml is not a regular file" in m for m in messages), r.out)

    def test_a_plan_file_in_its_tree_twice_is_refused(self):
        # A crafted tree (git fsck: duplicateEntries) names backlog.yaml twice: libgit2 reads the first entry
        # (the base's text), git checks out the last (value 99). The audit must not pass what it did not read.
        repo = new_repo(self.tmp)
        base = repo.head()
        good = repo.git("rev-parse", "HEAD:backlog.yaml")
        evil = repo.git("hash-object", "-w", "--stdin", input=set_field(repo.read("backlog.yaml"), "A-1", "value", 99).encode())
        entries = b""
        for name, oid in sorted([("backlog.yaml", good), ("backlog.yaml", evil)] +
                                [(p, repo.git("rev-parse", f"HEAD:{p}")) for p in ("risks.yaml", "roadmap.yaml", "tandem.yaml")]):
            entries += b"100644 " + name.encode() + b"\0" + bytes.fromhex(oid)
        tree = repo.git("hash-object", "-t", "tree", "-w", "--literally", "--stdin", input=entries)
        commit = repo.git("commit-tree", tree, "-p", base, "-m", "tidy", env=repo.env_for("carol"))
        repo.git("update-ref", "refs/heads/pr", commit)
        clone = Repo.clone(repo.root, Path(self.tmp) / "clone", "--no-checkout")  # as CI checks out a pull request
        clone.git("checkout", "-q", "pr")
        self.assertIn("value: 99", clone.read("backlog.yaml"))  # what people get
        r = self.tandem(clone, "audit", f"{base}..pr", leaks=False)
        self.assertExit(r, 2)
        self.assertIn("backlog.yaml is in the commit's tree twice", r.err)


class TestHistoryBudget(GitTestCase):

    def test_a_compressible_history_over_the_budget_ends_with_exit_2(self):
        repo = new_repo(self.tmp)
        base = repo.head()
        comment = "# " + "padding that packs to nothing " * 30 + "\n"
        padded = repo.read("backlog.yaml") + comment * 2000  # ~2 MB per version, a few KB packed
        for n in range(4):
            repo.commit("carol", f"Estimate {n}",
                        {"backlog.yaml": set_field(padded, "A-3", "estimate", n + 1) + f"# {n}\n"})
        for args in (["audit", "--base", base], ["log", "A-3"], ["blame", "A-3"], ["report", "--today", "2027-01-20"]):
            with self.subTest(command=args[0]):
                r = self.tandem(repo, *args, "--max-history-bytes", "4000000", leaks=False)
                self.assertFault(r, "--max-history-bytes", "plan-file versions read from history")
        r = self.tandem(repo, "audit", "--base", base, "--max-history-bytes", "100000000", leaks=False)
        self.assertExit(r, 0)


class TestReviewOutput(GitTestCase):

    def test_a_change_of_type_shows_as_one(self):
        repo = new_repo(self.tmp)
        base = repo.head()
        repo.edit("bob", "Quote it", "backlog.yaml", lambda t: set_field(t, "A-1", "title", '"8"'))
        repo.edit("alice", "Quote the value", "backlog.yaml", lambda t: t.replace("value: 8\n", 'value: "8"\n', 1))
        t = self.tandem(repo, "audit", "--base", base, leaks=False)
        self.assertIn('title: Guest checkout → "8"', t.out)
        d = self.tandem(repo, "diff", base, "HEAD", leaks=False)
        self.assertIn('value: 8 → "8"', d.out)
        log = self.tandem(repo, "log", "A-1", leaks=False)
        self.assertIn('value: 8 → "8"', log.out)
        md = self.tandem(repo, "--format", "markdown", "diff", base, "HEAD", leaks=False)
        self.assertIn('value: 8 → "8"', md.out)

    HOSTILE = ["[x](http://evil)", "![i](http://evil/i.png)", "@alice look", "<img src=x>", "a `tick` and ``two``",
               "pipe | in a cell", "`edge`", "www.evil.example and mail@evil.example"]

    def test_markdown_output_keeps_plan_text_inert_under_cmark_gfm(self):
        if shutil.which("cmark-gfm") is None:
            self.fail("cmark-gfm is not installed (Debian package cmark-gfm); this test needs it")
        repo = new_repo(self.tmp)
        base = repo.head()
        text = repo.read("backlog.yaml")
        for n, title in enumerate(self.HOSTILE):
            quoted = "'" + title.replace("'", "''") + "'"
            text += (f"  - id: H-{n}\n    title: {quoted}\n    owner: alice\n    value: 2\n    time_criticality: 1\n"
                     f"    risk_reduction: 1\n    size: 1\n")
        text = set_field(text, "A-1", "title", "'[x](http://evil) <img src=x> @alice'")
        repo.commit("carol", "Hostile titles", {"backlog.yaml": text})
        outputs = {
            "audit": self.tandem(repo, "--format", "markdown", "audit", "--base", base, leaks=False),
            "diff": self.tandem(repo, "--format", "markdown", "diff", base, "HEAD", leaks=False),
            "report": self.tandem(repo, "--format", "markdown", "--today", "2027-01-20", "report", leaks=False),
        }
        for name, r in outputs.items():
            with self.subTest(command=name):
                self.assertIn("evil", r.out, f"{name} shows the titles\n{r.out}\n{r.err}")
                html = subprocess.run(["cmark-gfm", "-e", "table", "-e", "autolink"], input=r.out,
                                      capture_output=True, text=True, check=True).stdout
                self.assertNotIn("<a ", html, html)
                self.assertNotIn("<img", html, html)
                self.assertNotRegex(html, r"<(?!/?(p|h[1-6]|table|thead|tbody|tr|th|td|code|em|strong|ul|ol|li|br|"
                                          r"blockquote|pre|hr)\b)[a-z]", html)


if __name__ == "__main__":
    unittest.main()
