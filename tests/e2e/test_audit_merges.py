"""tandem audit as an attacker who controls a pull request sees it (SPEC 3, "Nothing escapes through a
merge", "Everything the audit trusts comes from the base"): merges of old or foreign commits, `-s ours`,
three-way merges of YAML anchors, reorders, archiving, a .mailmap or nested tandem.yaml brought by the
pull request, an orphan root, and where CI annotations land. Each case is a real git repository; the
pull request is the branch `pr` forked from `main`, audited as `main..pr` unless said otherwise."""

import subprocess
import unittest

from test_git import (ALL_PO_PM, BACKLOG, CONFIG, PLAN, GitTestCase, Repo, git, line_of, move_record_before,
                      new_repo, remove_record, set_field)


def set_all_values(text, value):
    for rid in ("A-1", "A-2", "A-3"):
        text = set_field(text, rid, "value", value)
    return text


class AuditMergeCase(GitTestCase):

    def fork(self):
        """A repository with main and a branch `pr` forked from it, checked out on `pr`."""
        repo = new_repo(self.tmp)
        repo.git("checkout", "-q", "-b", "pr")
        return repo

    def violations(self, repo, rng="main..pr", code=1):
        r, data = self.audit_json(repo, rng, code=code, leaks=False)
        self.assertSpecKeys(data)
        return r, data["violations"]

    def commit_merge(self, repo, who, message, *parents):
        """`git commit-tree` of the index as a merge of `parents`; moves the branch to it."""
        tree = repo.git("write-tree")
        args = ["commit-tree", tree]
        for p in parents:
            args += ["-p", p]
        commit = repo.git(*args, "-m", message, env=repo.env_for(who))
        repo.git("reset", "-q", "--soft", commit)
        repo.n += 1
        return commit


class TestMergesCannotHideChanges(AuditMergeCase):

    def test_merging_the_root_commit_hides_nothing(self):
        # The developer sets every value to 999, reorders, commits the milestone, grants itself the backlog,
        # and records it all as a merge of the repository's first commit into the branch.
        repo = self.fork()
        root = repo.head("main")
        text = move_record_before(set_all_values(repo.read("backlog.yaml"), 999), "A-3", "A-1")
        cfg = CONFIG + 'ownership:\n  backlog:\n    "*": developer\n'
        repo.write({"backlog.yaml": text, "tandem.yaml": cfg,
                    "roadmap.yaml": set_field(repo.read("roadmap.yaml"), "M1", "target", "2027-03-01")})
        repo.git("add", "-A")
        merge = self.commit_merge(repo, "carol", "Merge main", "HEAD", root)
        r, vs = self.violations(repo)
        got = {(v["commit"], v["id"], v["field"]) for v in vs}
        for rid in ("A-1", "A-2", "A-3"):
            self.assertIn((merge, rid, "value"), got, r.out)
        self.assertIn((merge, "M1", "target"), got, r.out)
        self.assertIn((merge, None, "ownership"), got, r.out)
        self.assertTrue(any(f == "order" for _, _, f in got), r.out)

    def test_merge_s_ours_cannot_revert_main(self):
        # main moves on (the PO raises a value and deletes an item); the developer's branch merges main with
        # -s ours, which silently drops both. The pull request, merged, would revert the PO's work.
        repo = self.fork()
        repo.edit("carol", "estimate", "backlog.yaml", lambda t: set_field(t, "A-1", "estimate", 3))
        repo.git("checkout", "-q", "main")
        repo.edit("alice", "value 21", "backlog.yaml", lambda t: set_field(t, "A-1", "value", 21))
        repo.edit("alice", "drop A-3", "backlog.yaml", lambda t: remove_record(t, "A-3"))
        repo.git("checkout", "-q", "pr")
        repo.git("merge", "-q", "-s", "ours", "-m", "Merge main", "main", env=repo.env_for("carol"))
        merge = repo.head()
        r, vs = self.violations(repo)
        got = {(v["commit"], v["id"], v["field"], v["new"]) for v in vs}
        self.assertIn((merge, "A-1", "value", 8), got, r.out)
        self.assertIn((merge, "A-3", "create", "Order history"), got, r.out)

    def test_merging_an_old_commit_restores_nothing_unjudged(self):
        repo = new_repo(self.tmp)
        old = repo.head()
        repo.edit("alice", "value 21", "backlog.yaml", lambda t: set_field(t, "A-1", "value", 21))
        repo.git("checkout", "-q", "-b", "pr")
        # the merge's tree is the old commit's: value 8 again
        repo.git("checkout", "-q", old, "--", "backlog.yaml")
        merge = self.commit_merge(repo, "carol", "Merge old work", "HEAD", old)
        r, vs = self.violations(repo)
        self.assertEqual([(v["commit"], v["id"], v["field"], v["old"], v["new"]) for v in vs],
                         [(merge, "A-1", "value", 21, 8)], r.out)

    def test_merging_an_old_unparseable_commit_lets_nothing_pass(self):
        repo = new_repo(self.tmp)
        repo.commit("alice", "broken", {"backlog.yaml": "items: [\n"})
        broken = repo.head()
        repo.commit("alice", "fixed", {"backlog.yaml": BACKLOG})
        repo.git("checkout", "-q", "-b", "pr")
        repo.write({"backlog.yaml": set_all_values(BACKLOG, 999)})
        repo.git("add", "-A")
        merge = self.commit_merge(repo, "carol", "Merge", "HEAD", broken)
        r, vs = self.violations(repo)
        self.assertEqual(sorted((v["commit"], v["id"], v["field"], v["new"]) for v in vs),
                         [(merge, rid, "value", 999) for rid in ("A-1", "A-2", "A-3")], r.out)

    def test_a_reorder_that_matches_neither_parent(self):
        repo = self.fork()
        repo.edit("carol", "mitigation", "risks.yaml", lambda t: set_field(t, "R1", "mitigation", "Pin it"))
        repo.git("checkout", "-q", "main")
        repo.edit("alice", "A-2 first", "backlog.yaml", lambda t: move_record_before(t, "A-2", "A-1"))
        repo.git("checkout", "-q", "pr")
        repo.git("merge", "-q", "--no-commit", "main", env=repo.env_for("carol"))
        # main's order is; the merge makes it, which neither parent has
        repo.write({"backlog.yaml": move_record_before(repo.read("backlog.yaml"), "A-3", "A-1")})
        repo.git("add", "-A")
        repo.git("commit", "-q", "-m", "Merge main", env=repo.env_for("carol"))
        merge = repo.head()
        r, vs = self.violations(repo)
        self.assertEqual([(v["commit"], v["field"]) for v in vs], [(merge, "order")], r.out)

    def test_three_way_merge_of_an_anchor_is_judged(self):
        # main: the PO makes A-2's value an alias of A-1's estimate's anchor; the branch: the developer changes
        # the anchored estimate to 9. Each side is fine alone; the clean merge gives value 9, which nobody may
        # set. Audited as it will land: the merge (GitHub's refs/pull/N/merge) against main.
        plan = {**PLAN, "backlog.yaml": BACKLOG.replace("estimate: 2", "estimate: &e 2", 1)}
        repo = new_repo(self.tmp, plan=plan)
        repo.git("checkout", "-q", "-b", "pr")
        repo.edit("carol", "estimate 9", "backlog.yaml", lambda t: t.replace("estimate: &e 2", "estimate: &e 9"))
        repo.git("checkout", "-q", "main")
        repo.edit("alice", "value *e", "backlog.yaml", lambda t: t.replace("value: 5", "value: *e", 1))
        base = repo.head()
        repo.git("checkout", "-q", "-b", "landing")
        repo.git("merge", "-q", "--no-ff", "-m", "Merge pr", "pr", env=repo.env_for("carol"))
        self.assertIn("value: *e", repo.read("backlog.yaml"))
        self.assertIn("&e 9", repo.read("backlog.yaml"))
        r, vs = self.violations(repo, f"{base}..landing")
        self.assertIn(("A-2", "value", 9), {(v["id"], v["field"], v["new"]) for v in vs}, r.out)

    def test_an_unrelated_history_merged_in_is_judged(self):
        # The pull request's branch merges an unrelated root holding a new item: the root is a commit of the
        # range (reachable from the tip, not from the base), judged as any other.
        repo = self.fork()
        repo.git("checkout", "-q", "--orphan", "side")
        repo.git("rm", "-q", "-r", "--cached", ".")
        repo.commit("carol", "side root", {"backlog.yaml": BACKLOG + "  - {id: X-1, title: Sneaked, value: 50, estimate: 1}\n"})
        side = repo.head()
        repo.git("checkout", "-q", "-f", "pr")
        repo.git("merge", "-q", "--allow-unrelated-histories", "-X", "theirs", "-m", "merge side", side,
                 env=repo.env_for("carol"))
        r, vs = self.violations(repo)
        self.assertIn(("X-1", "create"), {(v["id"], v["field"]) for v in vs}, r.out)

    def test_clean_pull_request_merge_is_clean(self):
        # GitHub's refs/pull/N/merge: main moved on, the developer's estimate change merges cleanly.
        repo = self.fork()
        repo.edit("carol", "estimate", "backlog.yaml", lambda t: set_field(t, "A-1", "estimate", 3))
        repo.git("checkout", "-q", "main")
        repo.edit("alice", "value 21", "backlog.yaml", lambda t: set_field(t, "A-2", "value", 21))
        base = repo.head()
        repo.git("checkout", "-q", "-b", "landing")
        repo.git("merge", "-q", "--no-ff", "-m", "Merge pr", "pr", env=repo.env_for("carol"))
        r, vs = self.violations(repo, f"{base}..landing", code=0)
        self.assertEqual(vs, [], r.out)


class TestOrder(AuditMergeCase):

    def test_archiving_done_items_is_not_a_reorder(self):
        cfg = CONFIG + "files:\n  backlog: [backlog.yaml, archive.yaml]\n"
        repo = new_repo(self.tmp, plan={**PLAN, "tandem.yaml": cfg})
        repo.git("checkout", "-q", "-b", "pr")
        text = set_field(set_field(repo.read("backlog.yaml"), "A-1", "status", "done"), "A-1", "done", "2027-01-06")
        repo.commit("carol", "A-1 done", {"backlog.yaml": text})
        # the PM archives the done item: a move to another file of the same kind
        span = text.split("\n")
        start = line_of(text, "A-1") - 1
        end = line_of(text, "A-2") - 1
        record = "\n".join(span[start:end]) + "\n"
        rest = "\n".join(span[:start] + span[end:])
        repo.commit("bob", "archive A-1", {"backlog.yaml": rest, "archive.yaml": "items:\n" + record})
        r, vs = self.violations(repo, code=0)
        self.assertEqual(vs, [], r.out)


class TestBaseOnlyInputs(AuditMergeCase):

    def test_mailmap_from_the_pull_request_is_ignored(self):
        # It does not make carol alice, and the .mailmap change itself is judged like a change to `people`.
        repo = self.fork()
        mapped = repo.commit("carol", "map me", {".mailmap": "Alice Martin <alice@example.com> <carol@example.com>\n"})
        bad = repo.edit("carol", "value", "backlog.yaml", lambda t: set_field(t, "A-1", "value", 40))
        r, vs = self.violations(repo)
        got = [(v["commit"], v["person"], v["file"], v["field"]) for v in vs]
        self.assertEqual(got, [(mapped, "carol", ".mailmap", ".mailmap"), (bad, "carol", "backlog.yaml", "value")],
                         r.out)

    def test_a_mailmap_change_made_jointly_is_allowed(self):
        repo = self.fork()
        repo.commit("alice", "map", {".mailmap": "Carol Diaz <carol@example.com> <carol@old.example>\n"},
                    approved_by=["Bob Stone <bob@example.com>"])
        r, vs = self.violations(repo, code=0)
        self.assertEqual(vs, [], r.out)

    def test_files_the_base_names_are_read_whatever_the_range_does_to_files(self):
        # The base reads items from backlog.yaml and more.yaml. A joint commit drops more.yaml from `files:`;
        # then carol changes an item in more.yaml: still judged. An item added in a file the range adds is
        # judged too.
        cfg = CONFIG + "files:\n  backlog: [backlog.yaml, more.yaml]\n"
        more = "items:\n  - id: A-9\n    title: More\n    value: 5\n    estimate: 2\n"
        repo = new_repo(self.tmp, plan={**PLAN, "tandem.yaml": cfg, "more.yaml": more})
        repo.git("checkout", "-q", "-b", "pr")
        repo.commit("alice", "only backlog.yaml, then new.yaml",
                    {"tandem.yaml": cfg.replace("more.yaml]", "new.yaml]")}, approved_by=["Bob Stone <bob@example.com>"])
        hidden = repo.edit("carol", "value", "more.yaml", lambda t: set_field(t, "A-9", "value", 50))
        added = repo.commit("carol", "new", {"new.yaml": more.replace("A-9", "A-10")})
        r, vs = self.violations(repo)
        got = {(v["commit"], v["file"], v["id"], v["field"]) for v in vs}
        self.assertEqual(got, {(hidden, "more.yaml", "A-9", "value"), (added, "new.yaml", "A-10", "create")}, r.out)

    def test_mailmap_of_the_base_is_used(self):
        repo = new_repo(self.tmp)
        repo.commit("alice", "mailmap", {".mailmap": "Alice Martin <alice@example.com> <alice@old.example>\n"})
        repo.git("checkout", "-q", "-b", "pr")
        repo.edit(("Alice", "alice@old.example"), "value", "backlog.yaml", lambda t: set_field(t, "A-1", "value", 40))
        r, vs = self.violations(repo, code=0)
        self.assertEqual(vs, [], r.out)

    def test_log_names_people_by_the_committed_mailmap(self):
        # A .mailmap written in the work tree (not committed) does not rewrite who made old changes.
        repo = new_repo(self.tmp)
        repo.edit("carol", "estimate", "backlog.yaml", lambda t: set_field(t, "A-1", "estimate", 3))
        repo.write({".mailmap": "Alice Martin <alice@example.com> <carol@example.com>\n"})
        r = self.tandem(repo, "--format", "json", "log", "A-1", leaks=False)
        self.assertExit(r, 0)
        self.assertEqual([c["person"] for c in r.json()["commits"]][-1], "carol", r.out)
        repo.commit("bob", "mailmap", remove=[])
        r = self.tandem(repo, "--format", "json", "log", "A-1", leaks=False)
        self.assertEqual([c["person"] for c in r.json()["commits"]][-1], "alice", r.out)

    def test_deleting_a_nested_tandem_yaml_does_not_change_the_plan_audited(self):
        # The repository has a top plan with permissive rules and a nested plan in sub/. The pull request
        # deletes sub/tandem.yaml and changes sub/backlog.yaml; `tandem -C sub audit` must still judge sub's plan.
        top_cfg = CONFIG + 'ownership:\n  backlog:\n    "*": developer\n'
        plan = {"tandem.yaml": top_cfg, "backlog.yaml": BACKLOG,
                **{f"sub/{k}": v for k, v in PLAN.items()}}
        repo = new_repo(self.tmp, plan=plan)
        repo.git("checkout", "-q", "-b", "pr")
        repo.commit("carol", "value", {"sub/backlog.yaml": set_field(BACKLOG, "A-1", "value", 40)},
                    remove=["sub/tandem.yaml"])
        r = self.tandem(repo.root / "sub", "--format", "json", "audit", "main..pr", leaks=False)
        self.assertExit(r, 1)
        got = {(v["file"], v["id"], v["field"]) for v in r.json()["violations"]}
        self.assertIn(("sub/tandem.yaml", None, "delete"), got, r.out)
        self.assertTrue(all(f.startswith("sub/") for f, _, _ in got), r.out)

    def test_whole_history_rules_come_from_the_first_parent_root(self):
        # An orphan root with permissive rules, merged in: `audit HEAD` must take its rules from main's root.
        repo = new_repo(self.tmp)
        repo.git("checkout", "-q", "--orphan", "evil")
        repo.git("rm", "-q", "-r", "--cached", ".")
        cfg = CONFIG + 'ownership:\n  backlog:\n    "*": developer\n'
        repo.commit("carol", "evil root", {"tandem.yaml": cfg, "backlog.yaml": BACKLOG})
        for i in range(3):  # a longer line than main's, so that a topological walk can start from its root
            repo.edit("carol", f"evil {i}", "backlog.yaml", lambda t, i=i: set_field(t, "A-2", "estimate", 10 + i))
        evil = repo.head()
        repo.git("checkout", "-q", "-f", "main")
        repo.edit("carol", "value", "backlog.yaml", lambda t: set_field(t, "A-1", "value", 40))
        repo.git("merge", "-q", "--allow-unrelated-histories", "-s", "ours", "-m", "merge evil", evil,
                 env=repo.env_for("carol"))
        # topological order can list the orphan root first: the rules must not depend on it
        r, vs = self.violations(repo, "HEAD")
        self.assertIn(("A-1", "value", 40), {(v["id"], v["field"], v["new"]) for v in vs}, r.out)


class TestPositions(AuditMergeCase):

    def test_annotation_lands_on_the_field_at_the_tip(self):
        repo = self.fork()
        bad = repo.edit("bob", "value", "backlog.yaml", lambda t: set_field(t, "A-3", "value", 13))
        # later commits move A-3 up the file and add lines above it
        repo.edit("alice", "A-3 first", "backlog.yaml", lambda t: move_record_before(t, "A-3", "A-1"))
        text = repo.read("backlog.yaml")
        line = line_of(text, "A-3", "value")
        column = text.split("\n")[line - 1].index("value") + 1
        r = self.tandem(repo, "--format", "github", "audit", "main..pr", leaks=False)
        self.assertExit(r, 1)
        self.assertIn(f"::error file=backlog.yaml,line={line},col={column}", r.out)
        self.assertIn(bad[:10], r.out)
        _, vs = self.violations(repo)
        self.assertEqual([(v["line"], v["column"]) for v in vs if v["field"] == "value"], [(line, column)])


if __name__ == "__main__":
    unittest.main()
