"""End-to-end tests of the CI integration: the workflows in examples/ci/, run as CI would run them, and
the pre-commit hook of .pre-commit-hooks.yaml.

The GitHub Actions workflow's `run:` steps and the GitLab job's `script:` run in bash, in a real clone
of a real repository, with the built tandem first on PATH and the variables the CI systems set
(GITHUB_STEP_SUMMARY, GITHUB_WORKSPACE, CI_MERGE_REQUEST_*). Only the install steps (apt-get, curl) are
left out. The pull request is a branch with one commit on top of main; GitHub's steps run on the merge of
that branch into main, as GitHub checks out refs/pull/N/merge.
"""

import json
import os
import re
import shutil
import subprocess
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

from tandem_e2e import BIN, EXAMPLES, SOURCE_DIR, TandemTestCase, run

CI = SOURCE_DIR / "examples" / "ci"
MIB = 1 << 20
PEOPLE = {"hanna": ("Hanna Keller", "hanna.keller@example.com"), "priya": ("Priya Nair", "priya.nair@example.com")}


def git(cwd, *args, who=None):
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "LC_ALL": "C"}
    if who:
        name, email = PEOPLE[who]
        env.update({"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": name,
                    "GIT_COMMITTER_EMAIL": email, "GIT_AUTHOR_DATE": "2026-12-30T10:00:00+0000",
                    "GIT_COMMITTER_DATE": "2026-12-30T10:00:00+0000"})
    p = subprocess.run(["git", "-c", "commit.gpgsign=false", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if p.returncode:
        raise AssertionError(f"git {args}: {p.stderr}")
    return p.stdout.strip()


def set_first(text, key, value):
    """Replaces the first `key: …` line of a YAML text."""
    return re.sub(rf"^(\s+{key}:) .*$", rf"\g<1> {value}", text, count=1, flags=re.M)


class CiCase(TandemTestCase):

    def pull_request(self, example, who, change):
        """origin (bare) with `example` on main; a clone with branch pr holding one commit by `who` made by
        change(backlog text). Returns (clone, base commit)."""
        work = self.copy_example(example, "work")
        git(work, "init", "-q", "-b", "main")
        git(work, "add", "-A")
        git(work, "commit", "-qm", "plan", who="hanna")
        git(self.tmp, "clone", "-q", "--bare", str(work), str(self.tmp / "origin.git"))
        clone = self.tmp / "clone"
        git(self.tmp, "clone", "-q", str(self.tmp / "origin.git"), str(clone))
        base = git(clone, "rev-parse", "HEAD")
        git(clone, "checkout", "-q", "-b", "pr")
        backlog = clone / "backlog.yaml"
        backlog.write_text(change(backlog.read_text("utf-8")), "utf-8")
        git(clone, "commit", "-qam", "change", who=who)
        return clone, base

    def shell(self, script, cwd, env):
        """Runs `script` in bash -e with the built tandem first on PATH; returns the CompletedProcess."""
        full = {**os.environ, **env, "PATH": f"{Path(BIN).resolve().parent}:{os.environ['PATH']}", "HOME": str(self.tmp),
                "GIT_CONFIG_GLOBAL": str(self.tmp / "gitconfig"), "NO_COLOR": "1"}
        full.pop("GITHUB_STEP_SUMMARY", None) if "GITHUB_STEP_SUMMARY" not in env else None
        full.pop("TANDEM_CACHE_DIR", None) if "TANDEM_CACHE_DIR" not in env else None  # as on a CI machine
        return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=cwd, env=full, capture_output=True,
                              text=True, timeout=300)


class GitHubActions(CiCase):

    def steps(self):
        workflow = yaml.safe_load((CI / "github-actions.yml").read_text("utf-8"))
        steps = workflow["jobs"]["tandem"]["steps"]
        self.assertEqual(workflow["jobs"]["tandem"]["container"], "debian:12")
        runs = [s for s in steps if "run" in s and "tandem" in s["run"] and "apt-get" not in s["run"]]
        self.assertEqual([s["name"] for s in runs], ["Check the plan", "Audit the pull request's commits", "Status report"])
        return [(s["name"], s["run"].replace("${{ github.base_ref }}", "main")) for s in steps
                if "run" in s and "apt-get" not in s["run"]]

    def run_workflow(self, clone, base_moves=None):
        """Runs the steps where GitHub runs them for a pull request: on refs/pull/N/merge, the branch merged
        into the base (which `base_moves(clone)` may first move on with the product owner's commits)."""
        git(clone, "checkout", "-q", "main")
        if base_moves:
            base_moves(clone)
            git(clone, "push", "-q", "origin", "main")
            git(clone, "fetch", "-q", "origin")
        git(clone, "checkout", "-q", "--detach", "origin/main")
        git(clone, "merge", "-q", "--no-ff", "-m", "Merge pr into main", "pr", who="hanna")
        summary = self.tmp / "summary.md"
        summary.write_text("earlier step\n")
        env = {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_WORKSPACE": str(clone), "GITHUB_ACTIONS": "true"}
        results = {name: self.shell(script, clone, env) for name, script in self.steps()}
        return results, summary.read_text("utf-8")

    def test_a_pull_request_that_breaks_an_ownership_rule_fails_with_annotations_and_a_summary(self):
        # priya (developer) raises an item's value, which the product owner owns.
        clone, _ = self.pull_request("webshop", "priya", lambda t: set_first(t, "value", 20))
        results, summary = self.run_workflow(clone)
        check, audit, report = (results[n] for n in ("Check the plan", "Audit the pull request's commits", "Status report"))
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        self.assertEqual(audit.returncode, 1, audit.stdout + audit.stderr)
        self.assertRegex(audit.stdout, r"(?m)^::error file=backlog\.yaml,line=\d+")
        self.assertIn("priya", audit.stdout)
        # The report kept its history cache where the workflow's cache step saves it from.
        workflow = yaml.safe_load((CI / "github-actions.yml").read_text("utf-8"))
        keep = next(s for s in workflow["jobs"]["tandem"]["steps"] if s.get("uses", "").startswith("actions/cache@"))
        kept = Path(keep["with"]["path"].replace("~", str(self.tmp)))  # HOME is self.tmp (see shell)
        self.assertTrue(list(kept.glob("history-*")), report.stderr)
        self.assertEqual(report.returncode, 0, report.stderr)
        self.assertTrue((clone / "status.html").read_text("utf-8").startswith("<!DOCTYPE html>"))
        self.assertTrue(summary.startswith("earlier step\n"), "the summary is appended to, never overwritten")
        for part in ("### tandem check", "### tandem audit", "# Status report: Webshop relaunch 2027", "```mermaid"):
            self.assertIn(part, summary)
        self.assertLess(len(summary.encode()), MIB)

    def test_a_clean_pull_request_passes(self):
        clone, _ = self.pull_request("webshop", "priya", lambda t: set_first(t, "estimate", 6))
        results, summary = self.run_workflow(clone)
        for name, r in results.items():
            self.assertEqual(r.returncode, 0, f"{name}\n{r.stdout}\n{r.stderr}")
        self.assertIn("no findings", summary)

    def test_the_merge_is_audited_with_what_the_base_gained(self):
        # The product owner changes a value on main after the fork; the developer's pull request changes an
        # estimate. GitHub's merge holds both: only the pull request's own changes are judged (clean), and the
        # committed plan is checked as well.
        def po_changes_a_value(clone):
            backlog = clone / "backlog.yaml"
            backlog.write_text(set_first(backlog.read_text("utf-8"), "value", 21), "utf-8")
            git(clone, "commit", "-qam", "value", who="hanna")

        clone, _ = self.pull_request("webshop", "priya", lambda t: set_first(t, "estimate", 6))
        results, _ = self.run_workflow(clone, po_changes_a_value)
        for name, r in results.items():
            self.assertEqual(r.returncode, 0, f"{name}\n{r.stdout}\n{r.stderr}")
        self.assertIn("no findings in 2 commits", results["Audit the pull request's commits"].stdout)

    def test_step_summary_stays_under_1_mib(self):
        # 12,000 unknown keys: the markdown table alone is well over 1 MiB.
        lines = ["items:"]
        for i in range(12000):
            lines += [f"  - id: I{i}", f"    title: item {i}", "    vlaue: 1"]
        root = self.plan({"backlog.yaml": "\n".join(lines) + "\n"})
        summary = self.tmp / "summary.md"
        r = run("check", "--format", "github", cwd=root, env={"GITHUB_STEP_SUMMARY": str(summary)}, timeout=300)
        self.assertExit(r, 1)
        self.assertEqual(r.out.count("::error "), 10)
        text = summary.read_bytes()
        self.assertLessEqual(len(text), MIB)
        self.assertGreater(len(text), MIB - 1000)
        self.assertTrue(text.endswith("\n*… cut: the full list is in the job log.*\n".encode()), text[-200:])
        self.assertEqual(r.out.count(": error: "), 12000, "every finding is in the log")

    def test_no_summary_without_the_variable_or_with_other_formats(self):
        root = self.copy_example("broken")
        summary = self.tmp / "summary.md"
        run("check", cwd=root, env={"GITHUB_STEP_SUMMARY": str(summary)})
        self.assertFalse(summary.exists())
        r = run("check", "--format", "github", cwd=root, env={"GITHUB_STEP_SUMMARY": None})
        self.assertExit(r, 1)
        self.assertFalse(summary.exists())


ACTION_STEPS = ["Install the build packages", "Key of the build cache", "Restore the build", "Build tandem",
                "Put tandem on PATH", "Check the plan", "Audit the pull request's commits"]


def release_tag():
    """v<the version in CMakeLists.txt>: the tag the examples pin."""
    m = re.search(r"project\(tandem VERSION (\S+)", (SOURCE_DIR / "CMakeLists.txt").read_text("utf-8"))
    return "v" + m.group(1)


class Action(CiCase):
    """The composite action (action.yml): its check and audit steps run as GitHub runs them, with its inputs'
    defaults and the pull request's event; the install and build steps (apt-get, cmake) are left out."""

    def action(self):
        return yaml.safe_load((SOURCE_DIR / "action.yml").read_text("utf-8"))

    def step_env(self, step, inputs, github):
        """The step's env with ${{ inputs.X }} and ${{ github.X }} replaced as GitHub would."""
        def value(m):
            scope, name = m.group(1), m.group(2)
            return str((inputs if scope == "inputs" else github)[name])
        return {k: re.sub(r"\$\{\{\s*(inputs|github)\.(\w+)\s*\}\}", value, str(v)) for k, v in step.get("env", {}).items()}

    def test_the_action_is_composite_and_every_step_runs_in_bash(self):
        a = self.action()
        self.assertEqual(a["runs"]["using"], "composite")
        steps = a["runs"]["steps"]
        self.assertEqual([s["name"] for s in steps], ACTION_STEPS)
        for s in steps:
            if "run" in s:
                self.assertEqual(s["shell"], "bash", s["name"])
                self.assertNotIn("${{", s["run"], f"{s['name']}: expressions go through env, never into the script")
        cache = next(s for s in steps if s["name"] == "Restore the build")
        self.assertTrue(cache["uses"].startswith("actions/cache@"))
        self.assertEqual(next(s for s in steps if s["name"] == "Build tandem")["if"],
                         "steps.cache.outputs.cache-hit != 'true'")

    def test_the_examples_use_the_action_and_the_release_tag(self):
        workflow = yaml.safe_load((CI / "github-actions.yml").read_text("utf-8"))
        uses = [s["uses"] for s in workflow["jobs"]["tandem"]["steps"] if s.get("uses", "").split("@")[0].endswith("/tandem")]
        self.assertEqual(uses, ["tandem/tandem@" + release_tag()])
        job = yaml.safe_load((CI / "gitlab-ci.yml").read_text("utf-8"))["tandem"]
        self.assertEqual(job["variables"]["TANDEM_REF"], release_tag())
        for path in (CI / "github-actions.yml", CI / "gitlab-ci.yml"):
            self.assertNotIn("example.org", path.read_text("utf-8"), "no placeholder URL")

    def test_the_cache_key_changes_with_the_sources(self):
        step = next(s for s in self.action()["runs"]["steps"] if s["name"] == "Key of the build cache")
        tree = self.tmp / "action"
        tree.mkdir()
        for part in ("CMakeLists.txt", "CMakePresets.json", "cmake", "cmd", "core", "schemas", ".ci"):
            src = SOURCE_DIR / part
            (shutil.copytree if src.is_dir() else shutil.copy)(src, tree / part)
        def key():
            out = self.tmp / "output"
            out.write_text("")
            r = self.shell(step["run"], tree, {"GITHUB_ACTION_PATH": str(tree), "GITHUB_OUTPUT": str(out)})
            self.assertEqual(r.returncode, 0, r.stderr)
            m = re.fullmatch(r"key=tandem-[a-z]+-[\d.]+-([0-9a-f]{16})\n", out.read_text())
            self.assertTrue(m, out.read_text())
            return m.group(1)
        first = key()
        self.assertEqual(key(), first)
        with open(tree / "core" / "base" / "text.cpp", "a") as f:
            f.write("// changed\n")
        self.assertNotEqual(key(), first)

    def run_action(self, clone, event="pull_request"):
        git(clone, "checkout", "-q", "main")
        git(clone, "checkout", "-q", "--detach", "origin/main")
        git(clone, "merge", "-q", "--no-ff", "-m", "Merge pr into main", "pr", who="hanna")
        summary = self.tmp / "summary.md"
        summary.write_text("earlier step\n")
        a = self.action()
        inputs = {k: v.get("default", "") for k, v in a["inputs"].items()}
        github = {"event_name": event, "base_ref": "main"}
        env = {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_WORKSPACE": str(clone), "GITHUB_ACTIONS": "true"}
        results = {}
        for step in a["runs"]["steps"]:
            if step["name"] not in ("Check the plan", "Audit the pull request's commits"):
                continue
            condition = step.get("if", "")
            if "github.event_name == 'pull_request'" in condition and event != "pull_request":
                continue
            results[step["name"]] = self.shell(step["run"], clone, {**env, **self.step_env(step, inputs, github)})
        return results, summary.read_text("utf-8")

    def test_the_action_annotates_a_violation_and_appends_both_summaries(self):
        clone, _ = self.pull_request("webshop", "priya", lambda t: set_first(t, "value", 20))
        results, summary = self.run_action(clone)
        check, audit = results["Check the plan"], results["Audit the pull request's commits"]
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        self.assertEqual(audit.returncode, 1, audit.stdout + audit.stderr)
        self.assertRegex(audit.stdout, r"(?m)^::error file=backlog\.yaml,line=\d+")
        self.assertTrue(summary.startswith("earlier step\n"))
        self.assertIn("### tandem check", summary)
        self.assertIn("### tandem audit", summary)

    def test_the_action_passes_a_clean_pull_request_and_skips_the_audit_on_a_push(self):
        clone, _ = self.pull_request("webshop", "priya", lambda t: set_first(t, "estimate", 6))
        results, _ = self.run_action(clone)
        self.assertEqual(sorted(results), ["Audit the pull request's commits", "Check the plan"])
        for name, r in results.items():
            self.assertEqual(r.returncode, 0, f"{name}\n{r.stdout}\n{r.stderr}")
        results, _ = self.run_action(clone, event="push")
        self.assertEqual(list(results), ["Check the plan"])

    def test_the_action_fails_on_a_broken_plan(self):
        clone, _ = self.pull_request("broken", "priya", lambda t: t + "\n")
        results, summary = self.run_action(clone)
        self.assertEqual(results["Check the plan"].returncode, 1)
        self.assertRegex(results["Check the plan"].stdout, r"(?m)^::error file=")
        self.assertIn("### tandem check", summary)


class GitLab(CiCase):

    def script(self):
        job = yaml.safe_load((CI / "gitlab-ci.yml").read_text("utf-8"))["tandem"]
        self.assertEqual(job["image"], "debian:12")
        self.assertEqual(job["artifacts"]["reports"]["codequality"], "gl-code-quality.json")
        return "\n".join(job["script"])

    def test_merge_request_with_findings_and_a_violation(self):
        # examples/broken has findings; a developer commit changing a value is also an audit violation.
        clone, base = self.pull_request("broken", "priya", lambda t: t + "\n")
        r = self.shell(self.script(), clone, {"CI_MERGE_REQUEST_DIFF_BASE_SHA": base, "GITLAB_CI": "true"})
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        quality = json.loads((clone / "gl-code-quality.json").read_text("utf-8"))
        self.assertGreater(len(quality), 10)
        for issue in quality:
            self.assertEqual(set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}, True)
            self.assertIn(issue["severity"], {"info", "minor", "major", "critical", "blocker"})
            self.assertGreaterEqual(issue["location"]["lines"]["begin"], 1)
        fingerprints = [i["fingerprint"] for i in quality]
        self.assertEqual(len(set(fingerprints)), len(fingerprints), "fingerprints are unique")
        junit = ET.parse(clone / "tandem-check.xml").getroot()
        errors = sum(1 for i in quality if i["severity"] == "major")
        self.assertEqual(int(junit.get("failures")), errors)
        self.assertTrue((clone / "tandem-audit.xml").is_file())
        ET.parse(clone / "tandem-audit.xml")

    def test_fingerprints_are_stable_when_lines_move(self):
        root = self.copy_example("broken")
        first = run("check", "--format", "gitlab", cwd=root).json()
        backlog = root / "backlog.yaml"
        backlog.write_text("# a new comment\n# and another\n" + backlog.read_text("utf-8"), "utf-8")
        second = run("check", "--format", "gitlab", cwd=root).json()
        self.assertEqual([i["fingerprint"] for i in first], [i["fingerprint"] for i in second])
        self.assertNotEqual([i["location"]["lines"]["begin"] for i in first if i["location"]["path"].endswith("backlog.yaml")],
                            [i["location"]["lines"]["begin"] for i in second if i["location"]["path"].endswith("backlog.yaml")])

    def test_merged_results_pipeline_audits_the_merge_against_the_target(self):
        clone, _ = self.pull_request("webshop", "priya", lambda t: set_first(t, "value", 20))
        git(clone, "checkout", "-q", "main")
        target = git(clone, "rev-parse", "HEAD")
        git(clone, "merge", "-q", "--no-ff", "-m", "Merge pr", "pr", who="hanna")
        r = self.shell(self.script(), clone, {"CI_MERGE_REQUEST_EVENT_TYPE": "merged_result",
                                              "CI_MERGE_REQUEST_TARGET_BRANCH_SHA": target,
                                              "CI_MERGE_REQUEST_DIFF_BASE_SHA": "must-not-be-used"})
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("priya", r.stdout)
        self.assertIn("2 commits", r.stdout)

    def test_a_clean_merge_request_passes(self):
        clone, base = self.pull_request("webshop", "priya", lambda t: set_first(t, "estimate", 6))
        job = yaml.safe_load((CI / "gitlab-ci.yml").read_text("utf-8"))["tandem"]
        cache_dir = job["variables"]["TANDEM_CACHE_DIR"].replace("$CI_PROJECT_DIR", str(clone))
        r = self.shell(self.script(), clone, {"CI_MERGE_REQUEST_DIFF_BASE_SHA": base, "TANDEM_CACHE_DIR": cache_dir})
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(json.loads((clone / "gl-code-quality.json").read_text("utf-8")), [])
        ET.parse(clone / "tandem-check.xml")
        self.assertTrue((clone / "status.html").is_file())
        # The report kept its history cache where the job's cache saves it from.
        [kept] = [c["paths"][0] for c in job["cache"] if c["key"] == "tandem-history"]
        self.assertTrue(list((clone / kept).glob("history-*")))


class PreCommit(TandemTestCase):
    """The hook as pre-commit runs it (language: system, pass_filenames: false): its entry, split like a shell."""

    def hook(self):
        hooks = yaml.safe_load((SOURCE_DIR / ".pre-commit-hooks.yaml").read_text("utf-8"))
        self.assertEqual([h["id"] for h in hooks], ["tandem-check"])
        h = hooks[0]
        self.assertEqual((h["language"], h["pass_filenames"]), ("system", False))
        self.assertTrue(re.search(h["files"], "backlog.yaml") and not re.search(h["files"], "README.md"))
        words = h["entry"].split()
        self.assertEqual(words[0], "tandem")
        return words[1:]

    def test_hook_passes_a_valid_plan_and_fails_a_broken_one(self):
        args = self.hook()
        ok = run(*args, cwd=self.copy_example("webshop"))
        self.assertExit(ok, 0)
        bad = run(*args, cwd=self.copy_example("broken"))
        self.assertExit(bad, 1)
        self.assertIn("error:", bad.out)
        self.assertNotIn("warning:", bad.out)   # -q: errors only


if __name__ == "__main__":
    unittest.main()
