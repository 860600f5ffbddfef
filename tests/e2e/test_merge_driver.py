"""The merge driver (SPEC 13) on real git repositories: `tandem merge-driver install`, then real `git merge`,
`git rebase` and `git cherry-pick` of plan files changed on two branches."""

import os
import random
import re
import subprocess
import unittest
from pathlib import Path

import merge_sim
from tandem_e2e import BIN, MIN_CONFIG, TandemTestCase, run

BACKLOG = """\
# The team's backlog
items:
  - id: ITEM-1
    title: Guest checkout
    estimate: 3
    tags: [payments]

  # Cards first, wallets later
  - id: ITEM-2
    title: 'Pay by card'
    estimate: 5
    depends_on: [ITEM-1]

  - id: ITEM-3
    title: Order history
    estimate: 2
"""

ROADMAP = """\
milestones:
  - id: M1
    title: Beta
    target: 2027-03-01
  - id: M2
    title: Launch
    target: 2027-06-01
"""

RISKS = """\
risks:
  - id: R1
    title: Provider changes its API
    probability: 3
    impact: 4
    affects: [ITEM-2]
"""

GIT_ENV = {"GIT_AUTHOR_NAME": "Pat", "GIT_AUTHOR_EMAIL": "pat@example.com", "GIT_COMMITTER_NAME": "Pat",
           "GIT_COMMITTER_EMAIL": "pat@example.com", "GIT_CONFIG_NOSYSTEM": "1",
           "TANDEM_TODAY": "2027-01-15"}


class Repo:
    """A git repository with the plan committed on main and the driver installed."""

    def __init__(self, root):
        self.root = Path(root)
        self.env = dict(os.environ)
        self.env.update(GIT_ENV)
        # The driver is found by its absolute path (the build's binary is not on PATH).
        self.env["HOME"] = str(self.root.parent / "home")
        Path(self.env["HOME"]).mkdir(exist_ok=True)

    def git(self, *args, check=True):
        p = subprocess.run(["git", *args], cwd=self.root, env=self.env, capture_output=True, text=True)
        if check and p.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
        return p

    def tandem(self, *args):
        return run(*args, cwd=self.root, env={k: self.env[k] for k in ("HOME", *GIT_ENV)})

    def read(self, path="backlog.yaml"):
        return (self.root / path).read_text()

    def write(self, path, text):
        (self.root / path).parent.mkdir(parents=True, exist_ok=True)
        (self.root / path).write_text(text)

    def commit(self, message):
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").stdout.strip()

    def branch(self, name, start="main"):
        self.git("checkout", "-q", "-b", name, start)

    def checkout(self, name):
        self.git("checkout", "-q", name)


def replace(text, old, new):
    assert old in text, (old, text)
    return text.replace(old, new, 1)


def ids(text):
    return re.findall(r"^\s*- id: (\S+)", text, re.M)


class MergeDriverCase(TandemTestCase):

    def repo(self, install=True, files=None):
        root = self.tmp / "repo"
        root.mkdir()
        repo = Repo(root)
        repo.git("init", "-q", "-b", "main")
        all_files = {"tandem.yaml": MIN_CONFIG, "backlog.yaml": BACKLOG, "roadmap.yaml": ROADMAP, "risks.yaml": RISKS}
        all_files.update(files or {})
        for path, text in all_files.items():
            repo.write(path, text)
        if install:
            r = repo.tandem("merge-driver", "install")
            self.assertExit(r, 0)
        repo.commit("the plan")
        return repo

    def two_branches(self, ours_edit, theirs_edit, path="backlog.yaml"):
        """main gets `ours_edit`, branch `feature` (from the same base) `theirs_edit`; returns the repo on main."""
        repo = self.repo()
        repo.branch("feature")
        repo.write(path, theirs_edit(repo.read(path)))
        repo.commit("theirs")
        repo.checkout("main")
        repo.write(path, ours_edit(repo.read(path)))
        repo.commit("ours")
        return repo

    def two_branches_by(self, theirs, ours, files=None):
        """main gets the tandem command `ours`, branch `feature` (from the same base) `theirs`; returns the repo
        on main."""
        repo = self.repo(files=files)
        repo.branch("feature")
        self.assertExit(repo.tandem(*theirs, "-q"), 0)
        repo.commit("theirs")
        repo.checkout("main")
        self.assertExit(repo.tandem(*ours, "-q"), 0)
        repo.commit("ours")
        return repo

    def merge(self, repo, branch="feature", expect=0):
        p = repo.git("merge", "--no-ff", "-m", f"merge {branch}", branch, check=False)
        self.assertEqual(p.returncode != 0, expect != 0, p.stdout + p.stderr)
        return p


class TestInstall(MergeDriverCase):

    def test_install_writes_gitattributes_and_config_once(self):
        repo = self.repo(install=False)
        r = repo.tandem("merge-driver", "install")
        self.assertExit(r, 0)
        attributes = repo.read(".gitattributes")
        for path in ("tandem.yaml", "backlog.yaml", "roadmap.yaml", "risks.yaml"):
            self.assertIn(f"/{path} merge=tandem\n", attributes)
            self.assertIn(f"added '/{path} merge=tandem'", r.out)
        driver = repo.git("config", "merge.tandem.driver").stdout.strip()
        self.assertEqual(driver, f"{os.path.realpath(BIN)} merge-driver run %O %A %B %P %L")
        self.assertIn("set merge.tandem.driver", r.out)
        again = repo.tandem("merge-driver", "install")
        self.assertExit(again, 0)
        self.assertIn("already installed", again.out)
        self.assertEqual(repo.read(".gitattributes"), attributes)

    def test_install_names_split_backlogs_by_their_globs(self):
        config = MIN_CONFIG + "files:\n  backlog: [plan/*.yaml]\n"
        repo = self.repo(install=False, files={"tandem.yaml": config, "plan/a.yaml": BACKLOG})
        self.assertExit(repo.tandem("merge-driver", "install"), 0)
        self.assertIn("/plan/*.yaml merge=tandem\n", repo.read(".gitattributes"))
        self.assertEqual(repo.git("check-attr", "merge", "plan/a.yaml").stdout.strip(), "plan/a.yaml: merge: tandem")

    def test_install_global_writes_the_users_config(self):
        repo = self.repo(install=False)
        self.assertExit(repo.tandem("merge-driver", "install", "--global"), 0)
        self.assertIn("merge-driver run", (Path(repo.env["HOME"]) / ".gitconfig").read_text())
        self.assertEqual(repo.git("config", "--local", "merge.tandem.driver", check=False).stdout, "")

    def test_init_installs_the_driver_in_a_repository(self):
        root = self.tmp / "fresh"
        root.mkdir()
        repo = Repo(root)
        repo.git("init", "-q")
        r = repo.tandem("init")
        self.assertExit(r, 0)
        self.assertIn("/backlog.yaml merge=tandem\n", repo.read(".gitattributes"))
        self.assertIn("merge-driver run", repo.git("config", "merge.tandem.driver").stdout)

    def test_outside_a_repository_install_is_an_environment_error(self):
        (self.tmp / "plain").mkdir()
        (self.tmp / "plain" / "tandem.yaml").write_text(MIN_CONFIG)
        r = run("merge-driver", "install", cwd=self.tmp / "plain")
        self.assertExit(r, 2)
        self.assertIn("not in a git repository", r.err)

    def test_run_needs_its_files(self):
        r = run("merge-driver", "run", str(self.tmp / "a"), str(self.tmp / "b"), str(self.tmp / "c"), "backlog.yaml")
        self.assertExit(r, 2)
        self.assertIn("cannot read", r.err)


class TestMerge(MergeDriverCase):

    def test_two_adds_at_the_end(self):
        repo = self.two_branches(lambda t: t + "  - id: ITEM-4\n    title: Ours\n",
                                 lambda t: t + "  - id: ITEM-5\n    title: Theirs\n")
        self.merge(repo)
        self.assertEqual(ids(repo.read()), ["ITEM-1", "ITEM-2", "ITEM-3", "ITEM-4", "ITEM-5"])
        self.assertExit(repo.tandem("check"), 0)

    def test_two_fields_of_one_item(self):
        repo = self.two_branches(lambda t: replace(t, "estimate: 5", "estimate: 8"),
                                 lambda t: replace(t, "title: 'Pay by card'", "title: 'Pay by card or wallet'"))
        self.merge(repo)
        text = repo.read()
        self.assertIn("estimate: 8", text)
        self.assertIn("title: Pay by card or wallet", text)
        self.assertIn("# Cards first, wallets later", text)

    def test_comments_from_both_sides_are_kept(self):
        repo = self.two_branches(lambda t: replace(t, "  - id: ITEM-3\n", "  # ours: soon\n  - id: ITEM-3\n"),
                                 lambda t: t + "  # theirs: later\n  - id: ITEM-9\n    title: Wallets\n")
        self.merge(repo)
        text = repo.read()
        self.assertIn("  # ours: soon\n  - id: ITEM-3\n", text)
        self.assertIn("  # theirs: later\n  - id: ITEM-9\n", text)
        self.assertIn("# The team's backlog\n", text)

    def test_reorder_on_one_side_and_adds_on_the_other(self):
        repo = self.repo()
        repo.branch("feature")
        self.assertExit(repo.tandem("add", "--id", "ITEM-7", "Wallets", "--after", "ITEM-1"), 0)
        repo.commit("add")
        repo.checkout("main")
        self.assertExit(repo.tandem("move", "ITEM-3", "--top"), 0)
        repo.commit("reorder")
        self.merge(repo)
        self.assertEqual(ids(repo.read()), ["ITEM-3", "ITEM-1", "ITEM-7", "ITEM-2"])

    def test_both_sides_reorder_pair_by_pair(self):
        # SPEC 13.1: each pair keeps the relative order a side gave it. Ours moves ITEM-3 to the top, theirs
        # ITEM-1 to the bottom: both moves hold.
        repo = self.two_branches_by(("move", "ITEM-1", "--bottom"), ("move", "ITEM-3", "--top"))
        self.merge(repo)
        self.assertEqual(ids(repo.read()), ["ITEM-3", "ITEM-2", "ITEM-1"])
        self.assertIn("# Cards first, wallets later", repo.read())

    def test_reorders_that_contradict_each_other_are_left_to_the_line_merge(self):
        # Ours swaps ITEM-1 and ITEM-2, theirs ITEM-2 and ITEM-3: ITEM-2 < ITEM-1 < ITEM-3 < ITEM-2 is no order.
        repo = self.two_branches_by(("move", "ITEM-3", "--before", "ITEM-2"), ("move", "ITEM-2", "--top"))
        p = self.merge(repo, expect=1)
        self.assertIn("both sides reordered the records, and no order keeps both sides' moves", p.stderr)
        self.assertIn("merging it line by line instead", p.stderr)

    def test_one_field_to_two_values_conflicts_on_that_field_only(self):
        repo = self.two_branches(lambda t: replace(replace(t, "estimate: 3", "estimate: 4"), "estimate: 2", "estimate: 1"),
                                 lambda t: replace(replace(t, "estimate: 3", "estimate: 6"), "Order history", "Orders"))
        p = self.merge(repo, expect=1)
        text = repo.read()
        self.assertIn("<<<<<<< ours\n    estimate: 4\n=======\n    estimate: 6\n>>>>>>> theirs\n", text)
        self.assertIn("estimate: 1", text)
        self.assertIn("title: Orders", text)
        self.assertEqual(text.count("<<<<<<<"), 1)
        self.assertIn("backlog.yaml:5:1: conflict: ITEM-1: estimate is 4 on our side and 6 on theirs", p.stderr)
        self.assertIn("CONFLICT", p.stdout)

    def test_a_flow_list_one_side_empties_and_the_other_grows_merges_element_wise(self):
        # Theirs replaces every element of a flow list, ours keeps them and adds one: the element-wise merge
        # removes the base's elements and adds both sides' new ones, in one splice of the list.
        repo = self.two_branches_by(("set", "ITEM-1", "tags=s"), ("set", "ITEM-1", "tags+=r"),
                                    files={"backlog.yaml": replace(BACKLOG, "tags: [payments]", "tags: [payments, web]")})
        self.merge(repo)
        text = repo.read()
        self.assertIn("    tags: [r, s]\n", text)
        self.assertNotIn("<<<<<<<", text)
        self.assertExit(repo.tandem("check"), 0)

    def test_set_swaps_and_empties_list_elements_in_one_command(self):
        repo = self.repo(files={"backlog.yaml": replace(BACKLOG, "    estimate: 2\n",
                                                        "    estimate: 2\n    depends_on:\n      - ITEM-1\n")})
        self.assertExit(repo.tandem("set", "ITEM-2", "depends_on-=ITEM-1", "depends_on+=ITEM-3", "-q"), 0)
        self.assertExit(repo.tandem("set", "ITEM-3", "depends_on-=ITEM-1", "depends_on+=ITEM-2", "-q"), 1)  # a cycle
        self.assertExit(repo.tandem("set", "ITEM-1", "tags-=payments", "tags+=web", "tags+=shop", "-q"), 0)
        self.assertExit(repo.tandem("set", "ITEM-3", "depends_on-=ITEM-1", "-q"), 0)
        diff = repo.git("diff", "-U0").stdout
        self.assertEqual(re.findall(r"^[-+] .*", diff, re.M),
                         ["-    tags: [payments]", "+    tags: [web, shop]", "-    depends_on: [ITEM-1]",
                          "+    depends_on: [ITEM-3]", "-    depends_on:", "-      - ITEM-1", "+    depends_on: []"])
        self.assertExit(repo.tandem("check"), 0)

    def test_users_x_keys_merge_like_fields_and_are_never_lost(self):
        # SPEC 1: `x-` keys are kept (users' extensions); SPEC 13: a field changed on one side takes that value.
        base = replace(BACKLOG, "    title: Order history\n", "    title: Order history\n    x-jira: SHOP-1\n")
        repo = self.repo(files={"backlog.yaml": base})
        repo.branch("feature")
        text = replace(repo.read(), "x-jira: SHOP-1", "x-jira: SHOP-99")
        repo.write("backlog.yaml", replace(text, "    estimate: 5\n", "    estimate: 5\n    x-jira: SHOP-2\n"))
        repo.write("tandem.yaml", repo.read("tandem.yaml") + 'x-slack: "#shop"\n')
        repo.commit("theirs")
        repo.checkout("main")
        repo.write("backlog.yaml", replace(replace(repo.read(), "estimate: 5", "estimate: 8"), "estimate: 2", "estimate: 1"))
        repo.write("tandem.yaml", replace(repo.read("tandem.yaml"), "  name: Test project\n",
                                          "  name: Test project\n  start: 2027-01-04\n"))
        repo.commit("ours")
        self.merge(repo)
        text = repo.read()
        self.assertIn("    estimate: 8\n    depends_on: [ITEM-1]\n    x-jira: SHOP-2\n", text)
        self.assertIn("    x-jira: SHOP-99\n    estimate: 1\n", text)
        self.assertIn('x-slack: "#shop"\n', repo.read("tandem.yaml"))
        self.assertIn("start: 2027-01-04", repo.read("tandem.yaml"))
        self.assertExit(repo.tandem("check"), 0)

    def test_top_level_x_keys_of_a_list_file_merge(self):
        base = "x-board: SHOP\n" + BACKLOG + "x-team: core\n"
        repo = self.repo(files={"backlog.yaml": base})
        repo.branch("feature")
        repo.write("backlog.yaml", replace(replace(repo.read(), "x-board: SHOP", "x-board: SHOP2"), "x-team: core\n",
                                           "x-team: core\nx-meta: 2\n"))
        repo.commit("theirs")
        repo.checkout("main")
        repo.write("backlog.yaml", replace(repo.read(), "estimate: 5", "estimate: 8") + "  # the end\n")
        repo.commit("ours")
        self.merge(repo)
        text = repo.read()
        self.assertTrue(text.startswith("x-board: SHOP2\n# The team's backlog\nitems:\n"), text)
        self.assertTrue(text.endswith("    estimate: 2\nx-team: core\nx-meta: 2\n  # the end\n"), text)
        self.assertIn("estimate: 8", text)
        self.assertExit(repo.tandem("check"), 0)

    def test_one_x_key_to_two_values_conflicts(self):
        base = replace(BACKLOG, "    title: Order history\n", "    title: Order history\n    x-jira: SHOP-1\n")
        repo = self.repo(files={"backlog.yaml": base})
        repo.branch("feature")
        repo.write("backlog.yaml", replace(repo.read(), "x-jira: SHOP-1", "x-jira: SHOP-3"))
        repo.commit("theirs")
        repo.checkout("main")
        repo.write("backlog.yaml", replace(repo.read(), "x-jira: SHOP-1", "x-jira: SHOP-2"))
        repo.commit("ours")
        p = self.merge(repo, expect=1)
        self.assertIn("<<<<<<< ours\n    x-jira: SHOP-2\n=======\n    x-jira: SHOP-3\n>>>>>>> theirs\n", repo.read())
        self.assertIn("ITEM-3: x-jira is SHOP-2 on our side and SHOP-3 on theirs", p.stderr)

    def test_modify_delete_is_a_conflict(self):
        repo = self.two_branches(lambda t: replace(t, "Order history", "Order history page"),
                                 lambda t: replace(t, "\n  - id: ITEM-3\n    title: Order history\n    estimate: 2\n", "\n"))
        p = self.merge(repo, expect=1)
        self.assertIn("ITEM-3 was changed on our side and deleted on theirs", p.stderr)
        self.assertIn("<<<<<<< ours\n  - id: ITEM-3\n    title: Order history page\n", repo.read())

    def test_same_id_added_on_both_sides_names_renumber(self):
        repo = self.two_branches(lambda t: t + "  - id: ITEM-4\n    title: Ours\n",
                                 lambda t: t + "  - id: ITEM-4\n    title: Theirs\n")
        p = self.merge(repo, expect=1)
        self.assertIn("ITEM-4 was added on both sides with different content", p.stderr)
        self.assertIn("tandem renumber ITEM-4 NEW", p.stderr)

    def test_same_record_added_on_both_sides_is_kept_once(self):
        repo = self.two_branches(lambda t: t + "  - id: ITEM-4\n    title: Same\n",
                                 lambda t: t + "  - id: ITEM-4\n    title: Same\n")
        self.merge(repo)
        self.assertEqual(ids(repo.read()).count("ITEM-4"), 1)

    def test_rebase_three_adds_onto_three_adds(self):
        repo = self.repo()
        repo.branch("feature")
        for n in (21, 22, 23):
            self.assertExit(repo.tandem("add", "--id", f"ITEM-{n}", f"Feature {n}"), 0)
            repo.commit(f"add {n}")
        repo.checkout("main")
        for n in (11, 12, 13):
            self.assertExit(repo.tandem("add", "--id", f"ITEM-{n}", f"Main {n}"), 0)
            repo.commit(f"add {n}")
        repo.checkout("feature")
        p = repo.git("rebase", "main", check=False)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(ids(repo.read())[3:], ["ITEM-11", "ITEM-12", "ITEM-13", "ITEM-21", "ITEM-22", "ITEM-23"])
        self.assertExit(repo.tandem("check"), 0)

    def test_cherry_pick(self):
        repo = self.two_branches(lambda t: t + "  - id: ITEM-4\n    title: Ours\n",
                                 lambda t: replace(t, "estimate: 2", "estimate: 7") + "  - id: ITEM-5\n    title: Theirs\n")
        p = repo.git("cherry-pick", "feature", check=False)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        text = repo.read()
        self.assertEqual(ids(text), ["ITEM-1", "ITEM-2", "ITEM-3", "ITEM-4", "ITEM-5"])
        self.assertIn("estimate: 7", text)

    def test_revert_of_an_add_followed_by_another_add(self):
        repo = self.repo()
        repo.write("backlog.yaml", repo.read() + "  - id: ITEM-4\n    title: Fourth\n")
        first = repo.commit("add 4")
        repo.write("backlog.yaml", repo.read() + "  - id: ITEM-5\n    title: Fifth\n")
        repo.commit("add 5")
        p = repo.git("revert", "--no-edit", first, check=False)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(ids(repo.read()), ["ITEM-1", "ITEM-2", "ITEM-3", "ITEM-5"])

    def test_roadmap_and_risks_files(self):
        repo = self.repo()
        repo.branch("feature")
        repo.write("roadmap.yaml", replace(repo.read("roadmap.yaml"), "target: 2027-03-01", "target: 2027-03-15"))
        repo.write("risks.yaml", replace(repo.read("risks.yaml"), "affects: [ITEM-2]", "affects: [ITEM-2, M1]"))
        repo.commit("theirs")
        repo.checkout("main")
        repo.write("roadmap.yaml", replace(repo.read("roadmap.yaml"), "title: Beta", "title: Public beta"))
        repo.write("risks.yaml", replace(repo.read("risks.yaml"), "affects: [ITEM-2]", "affects: [ITEM-3, ITEM-2]"))
        repo.commit("ours")
        self.merge(repo)
        self.assertIn("title: Public beta\n    target: 2027-03-15", repo.read("roadmap.yaml"))
        self.assertIn("affects: [ITEM-3, ITEM-2, M1]", repo.read("risks.yaml"))

    def test_tandem_yaml(self):
        repo = self.two_branches(lambda t: replace(t, "name: Test project", "name: Webshop"),
                                 lambda t: t + "forecast:\n  runs: 500\n", path="tandem.yaml")
        self.merge(repo)
        text = repo.read("tandem.yaml")
        self.assertIn("name: Webshop", text)
        self.assertIn("runs: 500", text)

    def test_an_unparsable_side_falls_back_to_the_line_merge(self):
        repo = self.two_branches(lambda t: t + "  - id: ITEM-4\n    title: [unclosed\n",
                                 lambda t: replace(t, "estimate: 3", "estimate: 9"))
        p = self.merge(repo)
        self.assertIn("merging it line by line", p.stderr)
        text = repo.read()
        self.assertIn("estimate: 9", text)
        self.assertIn("title: [unclosed", text)

    def test_a_dependency_on_a_record_the_other_side_deleted_is_a_warning(self):
        repo = self.two_branches(lambda t: replace(t, "depends_on: [ITEM-1]", "depends_on: [ITEM-1, ITEM-3]"),
                                 lambda t: replace(t, "\n  - id: ITEM-3\n    title: Order history\n    estimate: 2\n", "\n"))
        p = self.merge(repo)
        self.assertIn("warning: ITEM-2's depends_on names ITEM-3, which the other side deleted", p.stderr)

    def merged_by_nobody(self, ours_tags, theirs_tags):
        """Both sides change fields and add records (and ITEM-1's tags); merged by someone with no role, so
        that any change the merge made of its own would be a violation. Returns (repo, base, merge)."""
        repo = self.two_branches(
            lambda t: replace(replace(t, "estimate: 5", "estimate: 8"), "tags: [payments]", ours_tags)
            + "  - id: ITEM-4\n    title: Ours\n",
            lambda t: replace(replace(t, "estimate: 2", "estimate: 1"), "tags: [payments]", theirs_tags)
            + "  - id: ITEM-5\n    title: Theirs\n")
        base = repo.git("merge-base", "main", "feature").stdout.strip()
        repo.env["GIT_AUTHOR_EMAIL"] = repo.env["GIT_COMMITTER_EMAIL"] = "nobody@example.com"
        self.merge(repo)
        return repo, base, repo.git("rev-parse", "HEAD").stdout.strip()

    def test_an_element_wise_list_merge_is_accounted_in_audit(self):
        # The walk sees no change of the merge's own (history::merge merges the lists too), and the
        # audit's net change judges a list element by element: each element of the merged list
        # [payments, web, mobile] was added by a commit of one branch, none by the merge.
        repo, base, merge = self.merged_by_nobody("tags: [payments, web]", "tags: [mobile, payments]")
        self.assertIn("tags: [payments, web, mobile]", repo.read())
        r = repo.tandem("audit", f"{base}..HEAD", "--format", "json")
        self.assertEqual([v for v in r.json()["violations"] if v["commit"] == merge], [], r.out)

    def test_a_clean_merge_makes_no_change_of_its_own_in_history(self):
        repo, base, merge = self.merged_by_nobody("tags: [payments]", "tags: [mobile, payments]")
        self.assertIn("tags: [mobile, payments]", repo.read())
        r = repo.tandem("audit", f"{base}..HEAD", "--format", "json")
        self.assertEqual([v for v in r.json()["violations"] if v["commit"] == merge], [], r.out)
        self.assertTrue(r.json()["violations"], r.out)  # the branches' own commits are judged
        for rid in ("ITEM-2", "ITEM-3", "ITEM-4", "ITEM-5"):
            r = repo.tandem("log", rid, "--format", "json")
            self.assertExit(r, 0)
            self.assertNotIn(merge, [c["commit"] for c in r.json()["commits"]], r.out)
        for rid in ("ITEM-2", "ITEM-3"):
            r = repo.tandem("blame", rid, "--format", "json")
            self.assertNotIn(merge, r.out)

    def three_texts(self, base, ours, theirs, path="backlog.yaml"):
        """main has `base` then `ours`, branch `feature` `theirs`, each written byte for byte; returns the repo on main."""
        repo = self.repo()
        file = repo.root / path
        file.write_bytes(base.encode())
        repo.commit("base")
        repo.branch("feature")
        file.write_bytes(theirs(base).encode())
        repo.commit("theirs")
        repo.checkout("main")
        file.write_bytes(ours(base).encode())
        repo.commit("ours")
        return repo

    def test_crlf_ours_and_lf_theirs_merge_to_crlf_throughout(self):
        crlf = BACKLOG.replace("\n", "\r\n")
        repo = self.three_texts(
            crlf, lambda t: t + "  - id: ITEM-4\r\n    title: Ours\r\n",
            lambda t: replace(replace(t.replace("\r\n", "\n"), "estimate: 5\n", "estimate: 8\n    owner: pat\n"),
                              "title: Order history", "title: History") + "  # theirs\n  - id: ITEM-5\n    title: Theirs\n")
        self.merge(repo)
        data = (repo.root / "backlog.yaml").read_bytes()
        self.assertEqual(data.count(b"\n"), data.count(b"\r\n"), data)
        self.assertIn(b"  # theirs\r\n  - id: ITEM-5\r\n    title: Theirs\r\n", data)
        self.assertIn(b"estimate: 8\r\n    depends_on: [ITEM-1]\r\n    owner: pat\r\n", data)
        self.assertEqual(ids(data.decode()), ["ITEM-1", "ITEM-2", "ITEM-3", "ITEM-4", "ITEM-5"])
        self.assertExit(repo.tandem("check"), 0)

    def test_crlf_ours_and_lf_theirs_conflict_markers_and_lines_are_crlf(self):
        crlf = BACKLOG.replace("\n", "\r\n")
        repo = self.three_texts(crlf, lambda t: replace(t, "estimate: 5", "estimate: 6"),
                                lambda t: replace(t.replace("\r\n", "\n"), "estimate: 5", "estimate: 7"))
        self.merge(repo, expect=1)
        data = (repo.root / "backlog.yaml").read_bytes()
        self.assertEqual(data.count(b"\n"), data.count(b"\r\n"), data)
        self.assertIn(b"=======\r\n    estimate: 7\r\n>>>>>>> theirs\r\n", data)

    def test_lf_ours_and_crlf_theirs_merge_without_a_carriage_return(self):
        repo = self.three_texts(
            BACKLOG, lambda t: t + "  - id: ITEM-4\n    title: Ours\n",
            lambda t: (replace(t, "estimate: 5\n", "estimate: 8\n    owner: pat\n") +
                       "  - id: ITEM-5\n    title: Theirs\n").replace("\n", "\r\n"))
        self.merge(repo)
        data = (repo.root / "backlog.yaml").read_bytes()
        self.assertNotIn(b"\r", data)
        self.assertIn(b"estimate: 8\n    depends_on: [ITEM-1]\n    owner: pat\n", data)
        self.assertEqual(ids(data.decode()), ["ITEM-1", "ITEM-2", "ITEM-3", "ITEM-4", "ITEM-5"])

    def test_keys_their_side_adds_keep_their_order_after_ours(self):
        # ITEM-3: both sides add keys; ITEM-1: ours changes a field, theirs adds keys. Ours' keys stay where
        # they are, theirs follow in the order they wrote them (not alphabetically).
        repo = self.two_branches(
            lambda t: replace(replace(t, "estimate: 2\n", "estimate: 2\n    value: 5\n    tags: [web]\n"),
                              "estimate: 3", "estimate: 4"),
            lambda t: replace(replace(t, "estimate: 2\n", "estimate: 2\n    status: doing\n    owner: pat\n"
                                                           "    assignee: dev\n"),
                              "tags: [payments]\n", "tags: [payments]\n    status: doing\n    assignee: max\n"))
        self.merge(repo)
        text = repo.read()
        self.assertIn("    title: Order history\n    estimate: 2\n    value: 5\n    tags: [web]\n"
                      "    status: doing\n    owner: pat\n    assignee: dev\n", text)
        self.assertIn("    estimate: 4\n    tags: [payments]\n    status: doing\n    assignee: max\n", text)
        self.assertExit(repo.tandem("check"), 0)

    def test_a_file_without_a_final_line_break_keeps_it_when_theirs_appends(self):
        base = BACKLOG.rstrip("\n")
        repo = self.three_texts(base, lambda t: replace(t, "estimate: 5", "estimate: 8"),
                                lambda t: t + "\n  - id: ITEM-5\n    title: Theirs\n")
        self.merge(repo)
        data = (repo.root / "backlog.yaml").read_bytes()
        self.assertTrue(data.endswith(b"    estimate: 2\n  - id: ITEM-5\n    title: Theirs"), data)
        self.assertIn(b"estimate: 8", data)
        self.assertExit(repo.tandem("check"), 0)
        # `tandem add` keeps it so too: the driver and the command agree.
        self.assertExit(repo.tandem("add", "--id", "ITEM-6", "Six", "-q"), 0)
        self.assertTrue((repo.root / "backlog.yaml").read_bytes().endswith(b"title: Theirs\n  - id: ITEM-6\n    title: Six"))


def random_edit(rng, items, n):
    """One random editing command on the backlog (`set`, `add` or `move`), as tandem's arguments."""
    choice = rng.random()
    if choice < 0.5:
        field = rng.choice(["estimate", "title", "value"])
        value = str(rng.randint(1, 40)) if field != "title" else f"Title {rng.randint(1, 40)}"
        return ["set", rng.choice(items), f"{field}={value}"]
    if choice < 0.8:
        return ["add", "--id", f"ITEM-{n}", f"New {n}", "--after", rng.choice(items)]
    return ["move", rng.choice(items), "--top"]


def records(text):
    """{id: sorted field lines} of a backlog's text (values as written)."""
    out = {}
    for chunk in re.split(r"\n(?=  - id: )", text.split("items:\n", 1)[1]):
        found = re.search(r"- id: (\S+)", chunk)
        if not found:  # comment lines above the first record
            continue
        rid = found.group(1)
        out[rid] = sorted(l.strip().lstrip("- ").replace("'", "") for l in chunk.splitlines()
                          if ":" in l and not l.strip().startswith("#"))
    return out


class TestProperty(MergeDriverCase):
    """Random edits on two branches from one base, merged by the driver, against the same edits applied in
    sequence with the editing commands: the same records and values; conflicts exactly where both sides set
    one field to different values."""

    def test_random_edits_merge_like_edits_in_sequence(self):
        seeds = int(os.environ.get("TANDEM_MERGE_SEEDS", "5"))
        for seed in range(seeds):
            with self.subTest(seed=seed):
                self.one_seed(seed)

    def edits(self, repo, rng, side, n0, commands):
        for i in range(rng.randint(2, 6)):
            args = random_edit(rng, ids(repo.read()), n0 + i)
            commands.append(args)
            repo.tandem(*args)
            repo.commit(f"{side} {i}")

    def one_seed(self, seed):
        rng = random.Random(seed)
        root = self.tmp / f"seed{seed}"
        root.mkdir()
        self.tmp, parent = root, self.tmp
        try:
            repo = self.repo()
        finally:
            self.tmp = parent
        theirs, ours = [], []
        base_commit = repo.git("rev-parse", "HEAD").stdout.strip()
        repo.branch("feature")
        self.edits(repo, rng, "feature", 100, theirs)
        repo.checkout("main")
        self.edits(repo, rng, "main", 200, ours)
        p = repo.git("merge", "--no-ff", "-m", "merge", "feature", check=False)
        merged = repo.read()
        if p.returncode:
            repo.git("merge", "--abort", check=False)
        # The same edits in sequence, on a branch from the base.
        repo.git("checkout", "-q", "-f", "-b", "sequence", base_commit)
        sets = {}
        for side, commands in (("main", ours), ("feature", theirs)):
            for args in commands:
                if args[0] == "set":
                    field, value = args[2].split("=", 1)
                    sets.setdefault((args[1], field), {})[side] = value
                self.assertIn(repo.tandem(*args).code, (0, 1))
        base = records(BACKLOG)

        def changed(rid, field, value):
            return f"{field}: {value}" not in base.get(rid, [])
        clash = {k for k, v in sets.items()
                 if len(v) == 2 and v["main"] != v["feature"] and all(changed(*k, x) for x in v.values())}
        conflicted = {(m.group(1), m.group(2)) for m in re.finditer(r"conflict: (\S+): (\S+) is", p.stderr)}
        self.assertEqual(conflicted, clash, p.stderr)
        self.assertEqual(p.returncode != 0, bool(clash), p.stdout + p.stderr)
        if clash:
            return
        want = records(repo.read())
        # In sequence, the feature's later value of a field both set wins; the merge has no such order.
        self.assertEqual(records(merged), want, f"seed {seed}")


class TestTeamSimulation(unittest.TestCase):
    """A scaled-down team simulation (merge_sim.py; the full run: six people, thirty branches)."""

    def test_with_the_driver_nothing_conflicts_or_is_lost(self):
        people = int(os.environ.get("TANDEM_SIM_PEOPLE", "3"))
        branches = int(os.environ.get("TANDEM_SIM_BRANCHES", "6"))
        without = merge_sim.simulate(BIN, people, branches, driver=False, ids_from_refs=True)
        with_driver = merge_sim.simulate(BIN, people, branches, driver=True, ids_from_refs=True)
        print(f"\nwithout the driver: {without}\nwith the driver: {with_driver}")
        self.assertEqual((with_driver["conflicts"], with_driver["lost_records"], with_driver["duplicate_ids"],
                          with_driver["lost_changes"]), (0, 0, 0, 0))
        self.assertTrue(with_driver["check_ok"])
        self.assertGreater(without["conflicts"], 0)


if __name__ == "__main__":
    unittest.main()
