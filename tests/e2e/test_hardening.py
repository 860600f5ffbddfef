"""Hardening (issue 6): limits with clear errors, the read-only guarantee, and paths that cannot leave
the repository."""

import os
import subprocess
import unittest
from pathlib import Path

from tandem_e2e import MIN_CONFIG, TandemTestCase, git_init, run, write_files

ITEM = "items:\n  - id: A-1\n    title: First\n"


def full_snapshot(root):
    """Content and mtime of every file and symbolic link under `root`, .git included."""
    out = {}
    for path in sorted(Path(root).rglob("*")):
        st = path.lstat()
        if path.is_symlink():
            out[str(path.relative_to(root))] = ("link", os.readlink(path), st.st_mtime_ns)
        elif path.is_file():
            out[str(path.relative_to(root))] = (path.read_bytes(), st.st_mtime_ns)
        else:
            out[str(path.relative_to(root)) + "/"] = st.st_mtime_ns
    return out


def git(root, *args):
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_DATE": "2027-01-02T10:00:00Z",
                        "GIT_COMMITTER_DATE": "2027-01-02T10:00:00Z"})


class Limits(TandemTestCase):
    """Every limit stops hostile input with an error that names the limit and the flag raising it."""

    def test_file_size(self):
        self.plan({"backlog.yaml": ITEM})
        r = run("--max-file-size", "20", "check", cwd=self.tmp)
        self.assertExit(r, 2)
        self.assertRegex(r.err, r"is \d+ bytes, more than the limit of 20 \(raise it with --max-file-size\)")
        self.assertExit(run("--max-file-size", "100000", "check", cwd=self.tmp), 0)

    def test_file_size_in_history(self):
        self.plan({"backlog.yaml": ITEM})
        git_init(self.tmp)
        git(self.tmp, "add", "-A")
        git(self.tmp, "commit", "-qm", "plan")
        r = run("--max-file-size", "20", "--rev", "HEAD", "check", cwd=self.tmp)
        self.assertExit(r, 2)
        self.assertIn("(raise it with --max-file-size)", r.err)

    def test_depth(self):
        deep = "items:\n  - {id: A-1, title: a, x-deep: " + "[" * 70 + "]" * 70 + "}\n"
        self.plan({"backlog.yaml": deep})
        r = self.check()
        self.assertExit(r, 1)
        self.assertIn("lists and mappings are nested more than 64 levels deep [too-deep]", r.out)
        self.assertIn("raise the limit with --max-depth", r.out)
        r = run("--max-depth", "100", "check", "--today", "2027-01-15", cwd=self.tmp)
        self.assertNotIn("too-deep", r.out)

    def test_very_deep_nesting_does_not_overflow_the_stack(self):
        # 200,000 levels stop at the limit: the parser does not recurse.
        self.plan({"backlog.yaml": "items: " + "[" * 200_000 + "]" * 200_000 + "\n"})
        r = self.check()
        self.assertExit(r, 1)
        self.assertIn("lists and mappings are nested more than 64 levels deep [too-deep]", r.out)
        # The highest limit allowed is safe: the checks that recurse (the JSON Schema) do not overflow.
        self.plan({"backlog.yaml": "items:\n  - {id: A-1, title: a, x-d: " + "[" * 997 + "]" * 997 + "}\n"})
        r = run("--max-depth", "1000", "check", cwd=self.tmp)
        self.assertExit(r, 0)
        r = run("--max-depth", "1001", "check", cwd=self.tmp)
        self.assertExit(r, 2)
        self.assertIn("--max-depth", r.err)

    def test_alias_nodes(self):
        # Ten anchors, each ten aliases of the one before: 10^10 nodes if expanded.
        bomb = "items:\n  - id: A-1\n    title: a\n    x-a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
        prev = "a"
        for i in range(9):
            bomb += f"    x-l{i}: &l{i} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
            prev = f"l{i}"
        self.plan({"backlog.yaml": bomb})
        r = self.check()
        self.assertExit(r, 1)
        self.assertLess(r.seconds, 30)
        self.assertIn("aliases expand to more than 1000000 nodes; tandem refuses alias bombs [alias-limit]", r.out)
        self.assertIn("  hint: use fewer aliases, or raise the limit with --max-alias-nodes", r.lines)

    def test_alias_nodes_raised(self):
        doc = "items:\n  - {id: A-1, title: a, x-a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], x-b: [*a, *a, *a, *a, *a]}\n"
        self.plan({"backlog.yaml": doc})
        r = run("--max-alias-nodes", "20", "check", cwd=self.tmp)
        self.assertIn("[alias-limit]", r.out)
        r = run("--max-alias-nodes", "1000", "check", cwd=self.tmp)
        self.assertExit(r, 0)

    def test_alias_of_a_top_level_list_is_refused(self):
        # It used to read as an empty backlog: check passed and the unknown reference went unseen.
        self.plan({"backlog.yaml": "x-all: &all\n  - {id: A-1, title: a, depends_on: [NOPE]}\nitems: *all\n"})
        r = self.check()
        self.assertExit(r, 1)
        self.assertIn("backlog.yaml:3:8: error: alias '*all' repeats a top-level list, which tandem does not keep "
                      "[unsupported-alias]", r.lines)

    def test_number_of_items(self):
        backlog = "items:\n" + "".join(f"  - {{id: A-{i}, title: t}}\n" for i in range(1, 6))
        self.plan({"backlog.yaml": backlog, "roadmap.yaml": "milestones:\n  - {id: M1, title: m}\n"})
        r = run("--max-items", "3", "check", cwd=self.tmp)
        self.assertExit(r, 1)
        self.assertIn("backlog.yaml:5:5: error: the plan has more than 3 items, milestones and risks "
                      "(the --max-items limit); the rest is not read [too-many-items]", r.lines)
        self.assertIn("  hint: split the plan, or raise the limit with --max-items", r.lines)
        self.assertEqual(r.out.count("[too-many-items]"), 1)
        self.assertExit(run("--max-items", "6", "check", cwd=self.tmp), 0)
        self.assertExit(run("check", cwd=self.tmp), 0)
        # Reporting commands refuse the cut plan rather than schedule part of it.
        r = run("--max-items", "3", "schedule", cwd=self.tmp)
        self.assertExit(r, 1)
        self.assertIn("too-many-items", r.err)

    def test_id_length(self):
        ok, long = "A" * 128, "A" * 129
        self.plan({"backlog.yaml": f"items:\n  - {{id: {ok}, title: a}}\n  - {{id: {long}, title: b}}\n"})
        r = self.check()
        self.assertExit(r, 1)
        self.assertEqual(r.out.count("[invalid-id]"), 1, r.out)
        self.assertIn("(at most 128)", r.out)

    def test_flags_are_documented(self):
        r = run("--help")
        for flag in ("--max-file-size", "--max-depth", "--max-alias-nodes", "--max-items"):
            self.assertIn(flag, r.out)

    def test_bad_limit_value_is_a_usage_error(self):
        self.plan({"backlog.yaml": ITEM})
        self.assertExit(run("--max-items", "many", "check", cwd=self.tmp), 2)


class ReadOnly(TandemTestCase):
    """No command but `init` changes any file of the repository: content, mtime, or .git."""

    def make_repo(self):
        repo = self.copy_example("webshop", "repo")
        git_init(repo)
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "first")
        backlog = repo / "backlog.yaml"
        text = backlog.read_text()
        backlog.write_text(text.replace("status: doing", "status: todo", 1))
        git(repo, "commit", "-qam", "second")
        backlog.write_text(text)  # an uncommitted change, for diff and the working tree
        return repo

    def test_every_command_leaves_the_repository_untouched(self):
        repo = self.make_repo()
        some_id = next(l.split("id:")[1].strip() for l in (repo / "backlog.yaml").read_text().splitlines()
                       if l.strip().startswith("- id:"))
        out = self.tmp / "out"
        out.mkdir()
        commands = [
            ["check"], ["check", "--format", "json"], ["check", "--format", "sarif"], ["check", "--format", "github"],
            ["check", "--format", "gitlab"], ["check", "--format", "junit"], ["rules"], ["schema", "backlog"],
            ["priority"], ["priority", "--format", "csv"], ["schedule"], ["schedule", "--format", "json"],
            ["forecast", "--runs", "200"], ["forecast", "--runs", "200", "--format", "markdown"], ["risks"],
            ["risks", "--overdue"], ["audit"], ["audit", "--format", "json"], ["log", some_id], ["blame", some_id],
            ["diff"], ["diff", "HEAD~1"], ["diff", "HEAD~1", "HEAD", "--format", "markdown"], ["report"],
            ["report", "--format", "html", "-o", str(out / "report.html")], ["completion", "bash"],
            ["--rev", "HEAD~1", "check"], ["--rev", "HEAD~1", "schedule"], ["--rev", "HEAD", "forecast", "--runs", "200"],
            ["--rev", "HEAD~1", "priority"], ["--rev", "HEAD", "risks"],
            ["init"],  # refuses: a plan is already there
        ]
        before = full_snapshot(repo)
        for args in commands:
            with self.subTest(args=args):
                r = run("--today", "2027-01-15", *args, cwd=repo)
                self.assertNotIn(r.code, (-6, -11, 134, 139), r.err)  # no crash
                self.assertEqual(full_snapshot(repo), before, f"tandem {' '.join(args)} changed the repository")
        self.assertTrue((out / "report.html").exists())

    def test_read_only_repository(self):
        # A checkout that cannot be written to at all works the same (CI runners may mount it read-only).
        repo = self.make_repo()
        for path in [repo, *repo.rglob("*")]:
            if not path.is_symlink():
                path.chmod(0o555 if path.is_dir() else 0o444)
        if os.access(repo / "tandem.yaml", os.W_OK):
            self.skipTest("running as root: permissions are not enforced")
        for args in (["check"], ["schedule"], ["audit"], ["diff"], ["--rev", "HEAD~1", "report"]):
            with self.subTest(args=args):
                r = run("--today", "2027-01-15", *args, cwd=repo)
                self.assertIn(r.code, (0, 1), r.err)


class Deterministic(TandemTestCase):
    """The same input gives byte-identical output, in every format of every engine command."""

    def test_twice_the_same_bytes(self):
        repo = self.copy_example("webshop")
        formats = ("text", "json", "csv", "markdown", "html", "github", "sarif", "gitlab", "junit")
        compared = 0
        for command in (["check"], ["priority"], ["schedule"], ["forecast", "--runs", "500"], ["risks"], ["report"]):
            for f in formats:
                with self.subTest(command=command, format=f):
                    first = run("--today", "2027-01-15", "--format", f, *command, cwd=repo)
                    if first.code == 2:
                        continue  # the command has no such format
                    second = run("--today", "2027-01-15", "--format", f, *command, cwd=repo)
                    self.assertEqual((first.code, first.out, first.err), (second.code, second.out, second.err))
                    compared += 1
        self.assertGreater(compared, 20)


class Paths(TandemTestCase):
    """`files:` entries and globs cannot reach outside the repository (test_check.py covers the basic
    cases of each; these are the harder ones)."""

    def repo_with(self, files_section, extra=None):
        repo = self.tmp / "repo"
        self.plan(extra or {}, config=MIN_CONFIG + files_section, subdir="repo")
        git_init(repo)
        write_files(self.tmp, {"outside.yaml": "items:\n  - {id: SECRET, title: from outside}\n",
                               "elsewhere/a.yaml": "items:\n  - {id: SECRET2, title: from outside}\n"})
        return repo

    def assertRefused(self, r, fragment):
        self.assertExit(r, 1)
        self.assertIn(fragment, r.out)
        self.assertIn("[unsafe-path]", r.out)
        self.assertNotIn("SECRET", r.out + r.err)

    def test_glob_with_dot_dot(self):
        repo = self.repo_with("files:\n  backlog: ['../*.yaml']\n")
        self.assertRefused(self.check(cwd=repo), "'../*.yaml' leads outside the repository")

    def test_glob_with_dot_dot_in_the_middle(self):
        repo = self.repo_with("files:\n  backlog: ['sub/../../elsewhere/*.yaml']\n")
        self.assertRefused(self.check(cwd=repo), "leads outside the repository")

    def test_absolute_glob(self):
        repo = self.repo_with(f"files:\n  backlog: ['{self.tmp}/*.yaml']\n")
        self.assertRefused(self.check(cwd=repo), "is an absolute path")

    def test_symlinked_directory_without_glob(self):
        repo = self.repo_with("files:\n  backlog: ext/a.yaml\n")
        (repo / "ext").symlink_to(self.tmp / "elsewhere")
        self.assertRefused(self.check(cwd=repo), "'ext/a.yaml' goes through the symbolic link 'ext'")

    def test_chain_of_symbolic_links(self):
        repo = self.repo_with("files:\n  backlog: one.yaml\n")
        (repo / "two.yaml").symlink_to(self.tmp / "outside.yaml")
        (repo / "one.yaml").symlink_to("two.yaml")
        self.assertRefused(self.check(cwd=repo), "'one.yaml' is a symbolic link")

    def test_glob_matching_a_link_among_files(self):
        repo = self.repo_with("files:\n  backlog: ['plan/*.yaml']\n", {"plan/a.yaml": ITEM})
        (repo / "plan" / "b.yaml").symlink_to(self.tmp / "outside.yaml")
        r = self.check(cwd=repo)
        self.assertRefused(r, "'plan/b.yaml' is a symbolic link")

    def test_symlink_to_an_absolute_path_inside_is_refused_too(self):
        repo = self.repo_with("files:\n  backlog: link.yaml\n", {"real/backlog.yaml": ITEM})
        (repo / "link.yaml").symlink_to(repo / "real" / "backlog.yaml")
        self.assertRefused(self.check(cwd=repo), "'link.yaml' is a symbolic link")

    def test_links_are_not_followed_in_history(self):
        repo = self.repo_with("files:\n  backlog: link.yaml\n")
        (repo / "link.yaml").symlink_to(self.tmp / "outside.yaml")
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "link")
        r = run("--rev", "HEAD", "check", cwd=repo)
        self.assertIn(r.code, (1, 2), r.out + r.err)
        self.assertNotIn("SECRET", r.out + r.err)
        r = run("log", "SECRET", cwd=repo)
        self.assertNotIn("from outside", r.out)

    def test_dot_dot_in_history(self):
        repo = self.repo_with("files:\n  backlog: ../outside.yaml\n")
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "escape")
        r = run("--rev", "HEAD", "check", cwd=repo)
        self.assertRefused(r, "'../outside.yaml' leads outside the repository")


if __name__ == "__main__":
    unittest.main()
