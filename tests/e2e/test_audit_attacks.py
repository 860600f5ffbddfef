"""tandem audit against a determined attacker (SPEC 3, "the net change"): each part of what landing the
range does is judged by its kind relative to the base and by the commits that set it. Each case is an
attack that passed an earlier audit, on a real git repository; the pull request is the branch `pr`."""

import time
import unittest

from audit_model import fast_import
from test_git import CONFIG, PLAN, GitTestCase, move_record_before, new_repo, set_field

R2_MAIN = ("  - id: R2\n    title: Supplier leaves\n    owner: bob\n    probability: 2\n    impact: 3\n"
           "    response: accept\n    review: 2027-06-01\n")
R2_DEV = R2_MAIN.replace("probability: 2", "probability: 5").replace("impact: 3", "impact: 1")


class AttackCase(GitTestCase):

    def violations(self, repo, rng="main..pr", code=1):
        r, data = self.audit_json(repo, rng, code=code, leaks=False)
        self.assertSpecKeys(data)
        return r, {(v["commit"], v["id"], v["field"]) for v in data["violations"]}


class TestReCreateAndMerge(AttackCase):

    def test_a_record_re_created_on_an_old_branch_is_judged_field_by_field(self):
        # The branch forks before R2 exists; main gains R2 (by the PM); the developer adds their own R2 on
        # the branch (a developer may create risks) and merges main, keeping their side of the conflict.
        repo = new_repo(self.tmp)
        repo.git("branch", "pr")
        repo.edit("bob", "R2", "risks.yaml", lambda t: t + R2_MAIN)
        repo.git("checkout", "-q", "pr")
        created = repo.edit("carol", "R2 as I see it", "risks.yaml", lambda t: t + R2_DEV)
        repo.git("merge", "-q", "-X", "ours", "-m", "Merge main", "main", env=repo.env_for("carol"))
        self.assertIn("probability: 5", repo.read("risks.yaml"))
        r, got = self.violations(repo)
        self.assertIn((created, "R2", "probability"), got, r.out)
        self.assertIn((created, "R2", "impact"), got, r.out)

    def test_the_same_attack_by_the_po_on_a_committed_target(self):
        repo = new_repo(self.tmp)
        repo.git("branch", "pr")
        m2 = "  - id: M2\n    title: Launch\n    owner: bob\n    target: {}\n    committed: true\n"
        repo.edit("bob", "M2", "roadmap.yaml", lambda t: t + m2.format("2027-03-19"), approved_by=["Alice Martin <alice@example.com>"])
        repo.git("checkout", "-q", "pr")
        created = repo.edit("alice", "M2 earlier", "roadmap.yaml", lambda t: t + m2.format("2027-03-05"))
        repo.git("merge", "-q", "-X", "ours", "-m", "Merge main", "main", env=repo.env_for("alice"))
        r, got = self.violations(repo)
        self.assertIn((created, "M2", "target"), got, r.out)

    def test_a_record_created_anew_with_the_creators_values_passes(self):
        # The same shape without an attack: a record the base lacks, created by a role that may create it.
        repo = new_repo(self.tmp)
        repo.git("checkout", "-q", "-b", "pr")
        repo.edit("carol", "R2", "risks.yaml", lambda t: t + R2_DEV)
        self.violations(repo, code=0)


class TestOrderLaundering(AttackCase):

    def test_done_move_reopen_is_a_reorder_by_the_one_who_moved(self):
        repo = new_repo(self.tmp)
        repo.git("checkout", "-q", "-b", "pr")
        repo.edit("carol", "A-3 done", "backlog.yaml",
                  lambda t: set_field(t, "A-3", "status", "done").replace("    estimate: 5\n", "    estimate: 5\n    done: 2027-01-06\n"))
        moved = repo.edit("carol", "tidy", "backlog.yaml", lambda t: move_record_before(t, "A-3", "A-1"))
        repo.edit("carol", "A-3 again", "backlog.yaml",
                  lambda t: set_field(t, "A-3", "status", "todo").replace("    done: 2027-01-06\n", ""))
        # one legitimate reorder by the PO in the same range launders nothing
        repo.edit("alice", "A-2 first", "backlog.yaml", lambda t: move_record_before(t, "A-2", "A-1"))
        r, got = self.violations(repo)
        self.assertIn((moved, "A-3", "order"), got, r.out)

    def test_moving_an_open_item_to_an_earlier_backlog_file_is_a_reorder(self):
        cfg = CONFIG + "files:\n  backlog: [backlog.yaml, later.yaml]\n"
        later = ("items:\n  - id: B-1\n    title: Later\n    owner: alice\n    value: 1\n    time_criticality: 1\n"
                 "    risk_reduction: 1\n    size: 1\n    estimate: 1\n")
        repo = new_repo(self.tmp, plan={**PLAN, "tandem.yaml": cfg, "later.yaml": later})
        repo.git("checkout", "-q", "-b", "pr")
        text = repo.read("later.yaml")
        block = text[len("items:\n"):]
        moved = repo.commit("carol", "B-1 up", {"later.yaml": "items: []\n",
                                                "backlog.yaml": repo.read("backlog.yaml").replace("items:\n", "items:\n" + block, 1)})
        r, got = self.violations(repo)
        self.assertIn((moved, "B-1", "order"), got, r.out)

    def test_the_po_moving_between_files_is_allowed(self):
        cfg = CONFIG + "files:\n  backlog: [backlog.yaml, later.yaml]\n"
        repo = new_repo(self.tmp, plan={**PLAN, "tandem.yaml": cfg, "later.yaml": "items: []\n"})
        repo.git("checkout", "-q", "-b", "pr")
        text = repo.read("backlog.yaml")
        start = text.index("  - id: A-1")
        end = text.index("  - id: A-2")
        repo.commit("alice", "A-1 later", {"backlog.yaml": text[:start] + text[end:],
                                           "later.yaml": "items:\n" + text[start:end]})
        self.violations(repo, code=0)


class TestApprovalsAreLinear(AttackCase):

    def test_a_short_approves_id_names_a_commit_never_a_ref(self):
        # The PO approves the developer's harmless commit X by a 12-digit prefix; the developer then pushes a
        # tag of that name pointing at a later commit E that changes a PO field. The approval stays on X.
        repo = new_repo(self.tmp)
        repo.git("checkout", "-q", "-b", "pr")
        x = repo.edit("carol", "re-estimate", "backlog.yaml", lambda t: set_field(t, "A-1", "estimate", 3))
        e = repo.edit("carol", "wip", "backlog.yaml", lambda t: set_field(t, "A-1", "value", 99))
        repo.commit("alice", f"Approve the re-estimate\n\nApproves: {x[:12]}")
        r, got = self.violations(repo)
        self.assertIn((e, "A-1", "value"), got, r.out)
        repo.git("tag", x[:12], e)
        r, got = self.violations(repo)
        self.assertIn((e, "A-1", "value"), got, r.out)
        # A whole id of E approves it (and X before it); a prefix naming two commits approves nothing.
        repo.commit("alice", f"Approve\n\nApproves: {e.upper()}")
        self.violations(repo, code=0)

    def test_an_approval_of_a_stacked_range_does_not_count_before_its_base(self):
        # pr-a (the developer's value change) and pr-b on top of it (another); the PO approves pr-a..pr-b, which
        # lists pr-b's change only. Audited together, pr-a's change is still a violation.
        repo = new_repo(self.tmp)
        base = repo.head()
        repo.git("checkout", "-q", "-b", "pr-a")
        first = repo.edit("carol", "pr-a", "backlog.yaml", lambda t: set_field(t, "A-1", "value", 99))
        repo.git("checkout", "-q", "-b", "pr")
        second = repo.edit("carol", "pr-b", "backlog.yaml", lambda t: set_field(t, "A-1", "time_criticality", 2))
        self.assertExit(self.tandem(repo, "approve", "pr-a..pr", env=repo.env_for("alice")), 0)
        self.assertIn(f"\nApproves: {first}..{second}\n", repo.git("log", "-1", "--format=%B") + "\n")
        r, got = self.violations(repo, f"{base}..pr")
        self.assertEqual(got, {(first, "A-1", "value")}, r.out)
        self.violations(repo, "pr-a..pr", code=0)  # the range it was made for
        # A base that is neither in the range nor where it starts: the trailer approves nothing.
        repo.commit("alice", f"Approve\n\nApproves: {'0' * 40}..{first}")
        r, got = self.violations(repo, f"{base}..pr")
        self.assertEqual(got, {(first, "A-1", "value")}, r.out)
        repo.commit("alice", f"Approve\n\nApproves: {base}..{first}")  # where it starts: the whole range before
        self.violations(repo, f"{base}..pr", code=0)

    def test_two_thousand_approvals(self):
        # N plan commits by the developer, each followed by an empty approval commit by the PO naming it:
        # the approvals allow each value change, and the audit stays linear (it was cubic: 53 s).
        n = 2000
        repo = new_repo(self.tmp)
        base = repo.head()
        pieces, t = [], 1_900_000_000

        def piece(mark, who, message, parent, backlog=None):
            head = (f"commit refs/heads/pr\nmark :{mark}\nauthor {who} {t} +0000\ncommitter {who} {t} +0000\n"
                    f"data {len(message)}\n{message}\nfrom {parent}\n")
            if backlog is not None:
                data = backlog.encode()
                head += f"M 100644 inline backlog.yaml\ndata {len(data)}\n{backlog}\n"
            return head + "\n"

        for i in range(n):
            t += 2
            parent = base if i == 0 else f":{2 * i}"
            pieces.append(piece(2 * i + 1, "Carol Diaz <carol@example.com>", f"value {i}", parent,
                                set_field(PLAN["backlog.yaml"], "A-1", "value", 10 + i)))
            pieces.append(piece(2 * i + 2, "Alice Martin <alice@example.com>",
                                f"Approve\n\nApproves: {2 * i + 1:040d}", f":{2 * i + 1}"))
        fast_import(str(repo.root), pieces)  # into the repository that has the base
        started = time.monotonic()
        self.violations(repo, f"{base}..pr", code=0)
        took = time.monotonic() - started
        self.assertLess(took, 60, "the approval lookup must stay linear (ASan build; a release build takes under 2 s)")


if __name__ == "__main__":
    unittest.main()
