"""The documented editing examples run as the role they name without an ownership note (issue 27).

docs/editing.md shows, per role, the edits a product owner, a project manager and a developer make. Each
line is run here, in a real git repository, as the person the comment above it names (git's identity set
to that person's email), on a plan where the ids the examples use exist, under the default ownership
rules (tandem.yaml has no `ownership`): each must succeed without a `tandem: note:` about ownership. The
README's walk-through runs as its people in test_docs, which compares every line it prints, notes included.
"""

import os
import re
import shlex
import subprocess
import unittest
from pathlib import Path

from tandem_e2e import TandemTestCase, run
from test_git import GitTestCase, new_repo, set_field

ROOT = Path(__file__).resolve().parents[2]

CONFIG = """\
version: 1
project:
  name: Checkout
  start: 2027-01-04
people:
  - id: alice
    name: Alice Owner
    email: alice@example.com
    roles: [product_owner]
  - id: bob
    name: Bob Manager
    email: bob@example.com
    roles: [project_manager]
  - id: carol
    name: Carol Developer
    email: carol@example.com
    roles: [developer]
priority:
  model: manual
"""

BACKLOG = "items:\n" + "".join(
    f"  - id: CHK-{i}\n    title: Item {i}\n    owner: alice\n    milestone: M1\n    estimate: 2\n" for i in range(1, 13))
ROADMAP = "milestones:\n  - id: M1\n    title: Beta\n    owner: bob\n    target: 2027-03-01\n"
RISKS = "risks: []\n"

EMAILS = {"product owner": "alice@example.com", "project manager": "bob@example.com", "developer": "carol@example.com"}

# README lines that draw ownership notes under the default rules, with the fields the notes name. The
# project manager's line sets a milestone (the product owner's, `"*"`) and an estimate (the developer's).
TODAY = "2027-01-18"


def role_blocks(markdown):
    """The ```sh blocks of `markdown` whose comment lines name a role: [(role, command line)], in order."""
    out = []
    for block in re.findall(r"```sh\n(.*?)```", markdown, re.S):
        role = None
        for line in block.splitlines():
            head = re.match(r"#\s*(?:the |a )?(product owner|project manager|developer)\b", line.strip())
            if head:
                role = head.group(1)
                continue
            if role and line.strip().startswith("tandem "):
                out.append((role, line.strip()))
    return out


class DocRoles(TandemTestCase):

    def repo(self):
        root = self.tmp / "plan"
        root.mkdir()
        for name, text in {"tandem.yaml": CONFIG, "backlog.yaml": BACKLOG, "roadmap.yaml": ROADMAP,
                           "risks.yaml": RISKS}.items():
            (root / name).write_text(text)
        self.home = self.tmp / "home"
        self.home.mkdir()
        self.git(root, "init", "-q")
        self.git(root, "config", "user.name", "Test")
        self.git(root, "config", "user.email", "alice@example.com")
        self.git(root, "add", "-A")
        self.git(root, "commit", "-q", "-m", "plan")
        return root

    def env(self, email=None):
        env = {"HOME": str(self.home), "XDG_CONFIG_HOME": str(self.home), "GIT_CONFIG_NOSYSTEM": "1",
               "GIT_CONFIG_GLOBAL": os.devnull, "EMAIL": None}
        if email:
            env["GIT_AUTHOR_EMAIL"] = email
        return env

    def git(self, root, *args):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                       env={**os.environ, **{k: v for k, v in self.env().items() if v is not None}})

    def run_as(self, root, role, line):
        """Runs each `tandem …` of `line` (commands joined by &&) as `role`; returns the notes they drew."""
        email = EMAILS[role]
        self.git(root, "config", "user.email", email)
        notes = []
        for command in line.split("&&"):
            words = shlex.split(command, comments=True)
            self.assertEqual(words[0], "tandem", line)
            r = run("--today", TODAY, *words[1:], cwd=root, env=self.env(email))
            self.assertEqual(r.code, 0, f"{role}: {command.strip()}\n{r.err}")
            notes += [n for n in r.err.splitlines() if n.startswith("tandem: note:")]
        return notes

    def test_docs_editing_examples_run_as_their_roles(self):
        lines = role_blocks((ROOT / "docs" / "editing.md").read_text(encoding="utf-8"))
        self.assertEqual({role for role, _ in lines}, set(EMAILS), "docs/editing.md shows every role's edits")
        root = self.repo()
        for role, line in lines:
            with self.subTest(role=role, line=line):
                self.assertEqual(self.run_as(root, role, line), [])
        text = (root / "backlog.yaml").read_text()
        self.assertIn("status: dropped", text)
        self.assertIn("assignee: carol", text)
        check = run("--today", TODAY, "check", cwd=root, env=self.env())
        self.assertNotIn("error", check.out)

    def test_dropping_is_the_product_owners_under_the_default_rules(self):
        root = self.repo()
        self.assertEqual(self.run_as(root, "product owner", "tandem drop CHK-1"), [])
        notes = self.run_as(root, "developer", "tandem drop CHK-2")
        self.assertEqual(notes, ["tandem: note: status is owned by product_owner: this change needs an approval "
                                 "from Alice Owner"])
        notes = self.run_as(root, "project manager", "tandem set CHK-1 status=todo")
        self.assertEqual(len(notes), 1)
        self.assertIn("status is owned by product_owner", notes[0])

    def test_the_plan_init_writes_gives_dropping_to_the_product_owner(self):
        root = self.tmp / "fresh"
        root.mkdir()
        self.home = self.tmp / "home"
        self.home.mkdir()
        self.git(root, "init", "-q")
        self.assertEqual(run("init", cwd=root, env=self.env()).code, 0)
        rules = run("rules", cwd=root, env=self.env())
        self.assertIn("      status=dropped: product_owner", rules.lines)
        EMAILS_INIT = {"developer": "dana@example.com", "product owner": "pat@example.com"}
        for role, noted in (("developer", True), ("product owner", False)):
            self.git(root, "config", "user.email", EMAILS_INIT[role])
            r = run("--today", TODAY, "drop", "ITEM-2", cwd=root, env=self.env(EMAILS_INIT[role]))
            self.assertEqual(r.code, 0, r.err)
            self.assertEqual("status is owned by product_owner" in r.err, noted, r.err)
            (root / "backlog.yaml").write_text((root / "backlog.yaml").read_text().replace("    status: dropped\n", ""))


class DropInAudit(GitTestCase):
    """`audit` judges a status change from or to `dropped` by the default `status=dropped: product_owner`."""

    def test_a_developer_dropping_or_reviving_scope_is_a_violation(self):
        repo = new_repo(self.tmp)
        base = repo.head()
        drop = repo.edit("carol", "drop A-2", "backlog.yaml", lambda t: set_field(t, "A-2", "status", "dropped"))
        r, data = self.audit_json(repo, f"{base}..HEAD", code=1)
        self.assertEqual([(v["commit"], v["id"], v["field"], v["requirement"]) for v in data["violations"]],
                         [(drop, "A-2", "status", "product_owner")])
        repo.edit("alice", "drop A-3", "backlog.yaml", lambda t: set_field(t, "A-3", "status", "dropped"))
        revive = repo.edit("bob", "revive A-3", "backlog.yaml", lambda t: set_field(t, "A-3", "status", "doing"))
        r, data = self.audit_json(repo, f"{drop}..HEAD", code=1)
        self.assertEqual([(v["commit"], v["id"], v["old"], v["new"]) for v in data["violations"]],
                         [(revive, "A-3", "dropped", "doing")])
        repo.edit("carol", "finish A-1", "backlog.yaml", lambda t: set_field(t, "A-1", "status", "doing"))
        self.audit_json(repo, f"{revive}..HEAD", code=0)


if __name__ == "__main__":
    unittest.main()
