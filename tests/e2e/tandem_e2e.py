"""Shared helpers for tandem's end-to-end tests: run the built binary on real files in a temporary directory.

The binary is $TANDEM_BIN and the repository root $TANDEM_SOURCE_DIR (ctest sets both); run by hand, they
default to build/dev/tandem and the repository holding this file.
"""

import atexit
import json
import os
import shutil
import subprocess
import tempfile
import textwrap
import time
import unittest
from dataclasses import dataclass
from pathlib import Path

SOURCE_DIR = Path(os.environ.get("TANDEM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BIN = os.environ.get("TANDEM_BIN", str(SOURCE_DIR / "build" / "dev" / "tandem"))
SCHEMAS = SOURCE_DIR / "schemas"
EXAMPLES = SOURCE_DIR / "examples"
EXPECTED = Path(__file__).resolve().parent / "expected"

# The report's history cache goes to a directory of this test process, never to the user's ~/.cache
# (test_report_cache.py points it elsewhere where it looks inside).
CACHE_DIR = tempfile.mkdtemp(prefix="tandem-e2e-cache-")
atexit.register(shutil.rmtree, CACHE_DIR, True)
os.environ["TANDEM_CACHE_DIR"] = CACHE_DIR

# A fixed "today" keeps review-overdue warnings reproducible.
TODAY = "2027-01-15"

# A small valid tandem.yaml: one person per default role, manual priority so that items need no WSJF fields.
MIN_CONFIG = """\
version: 1
project:
  name: Test project
people:
  - id: pat
    name: Pat Owner
    email: pat@example.com
    roles: [product_owner]
  - id: max
    name: Max Manager
    email: max@example.com
    roles: [project_manager]
  - id: dev
    name: Dana Developer
    email: dana@example.com
    roles: [developer]
priority:
  model: manual
"""


@dataclass
class Result:
    """What one run of tandem did."""

    code: int
    out: str
    err: str
    seconds: float

    @property
    def lines(self):
        return self.out.splitlines()

    def json(self):
        return json.loads(self.out)


def run(*args, cwd=None, env=None, timeout=120, stdin=subprocess.DEVNULL):
    """Runs tandem with `args` in `cwd`; colour is off unless `env` asks for it."""
    full_env = dict(os.environ)
    full_env.pop("FORCE_COLOR", None)
    full_env["NO_COLOR"] = "1"
    if env:
        for k, v in env.items():
            if v is None:
                full_env.pop(k, None)
            else:
                full_env[k] = v
    start = time.monotonic()
    p = subprocess.run([BIN, *map(str, args)], cwd=cwd, env=full_env, stdin=stdin, capture_output=True,
                       timeout=timeout)
    seconds = time.monotonic() - start
    return Result(p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"), seconds)


def dedent(text):
    """Strips the common indentation of a triple-quoted YAML snippet."""
    return textwrap.dedent(text).lstrip("\n")


def write_files(root, files):
    """Writes {relative path: str or bytes} under `root` (str is dedented and written as UTF-8)."""
    root = Path(root)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(dedent(content).encode("utf-8"))
    return root


# In CI (.ci/run sets TANDEM_NODE_MODULES) every tool the tests use must be there; by hand, a test
# whose tool is missing is skipped.
TOOLS_REQUIRED = bool(os.environ.get("TANDEM_NODE_MODULES"))


def need(test, available, what):
    """Skips `test` when `what` is missing, or fails it in CI, where .ci/run must install it."""
    if available:
        return
    if TOOLS_REQUIRED:
        test.fail(f"{what} is missing, but TANDEM_NODE_MODULES is set (CI): .ci/run must install it")
    test.skipTest(f"{what} is missing (set TANDEM_NODE_MODULES to make this a failure)")


def git_init(root):
    """Makes `root` a real git repository with a committer identity."""
    for cmd in (["git", "init", "-q"], ["git", "config", "user.name", "Test"],
                ["git", "config", "user.email", "test@example.com"]):
        subprocess.run(cmd, cwd=root, check=True, capture_output=True)
    return Path(root)


def snapshot(root):
    """Content and mtime of every file under `root`, to prove that a command wrote nothing to the plan
    (the editing commands' lock file, `.tandem.lock` outside git, is not a plan file)."""
    out = {}
    for path in sorted(Path(root).rglob("*")):
        if path.is_file() and ".git" not in path.relative_to(root).parts and path.name != ".tandem.lock":
            st = path.stat()
            out[str(path.relative_to(root))] = (path.read_bytes(), st.st_mtime_ns)
    return out


def error_lines(result):
    """The finding lines of text output (hint lines and the summary left out)."""
    return [l for l in result.lines if ": error: " in l or ": warning: " in l]


class TandemTestCase(unittest.TestCase):
    """A test case with a fresh temporary directory per test."""

    maxDiff = None

    def setUp(self):
        self.assertTrue(os.access(BIN, os.X_OK), f"tandem binary not found at {BIN}; set TANDEM_BIN")
        self._tmp = tempfile.TemporaryDirectory(prefix="tandem-e2e-")
        self.addCleanup(self._cleanup)
        self.tmp = Path(self._tmp.name)

    def _cleanup(self):
        # Tests may chmod files; make everything removable again.
        for path in self.tmp.rglob("*"):
            try:
                if not path.is_symlink():
                    path.chmod(0o755 if path.is_dir() else 0o644)
            except OSError:
                pass
        self._tmp.cleanup()

    def plan(self, files=None, config=MIN_CONFIG, subdir=None):
        """Writes a plan (tandem.yaml = `config` unless None, plus `files`) and returns its directory."""
        root = self.tmp / subdir if subdir else self.tmp
        root.mkdir(parents=True, exist_ok=True)
        all_files = {}
        if config is not None:
            all_files["tandem.yaml"] = config
        all_files.update(files or {})
        return write_files(root, all_files)

    def copy_example(self, name, dest=None):
        """Copies examples/<name> into the temporary directory and returns the copy."""
        target = self.tmp / (dest or name)
        shutil.copytree(EXAMPLES / name, target)
        return target

    def check(self, *args, cwd=None, **kw):
        """Runs `tandem [args…] check --today TODAY` in `cwd` (default: the temporary directory)."""
        return run(*args, "check", "--today", TODAY, cwd=cwd or self.tmp, **kw)

    def assertExit(self, result, code):
        self.assertEqual(result.code, code,
                         f"exit {result.code}, expected {code}\n--- stdout\n{result.out}\n--- stderr\n{result.err}")

    def assertFindings(self, result, expected, code=1):
        """Asserts the exit code and that every expected finding line is printed."""
        self.assertExit(result, code)
        lines = error_lines(result)
        for line in expected:
            self.assertIn(line, lines, f"\n--- stdout\n{result.out}\n--- stderr\n{result.err}")

    def assertOnlyFindings(self, result, expected, code=1):
        """Asserts the exit code and that the finding lines are exactly `expected` (in order)."""
        self.assertExit(result, code)
        self.assertEqual(error_lines(result), list(expected), f"\n--- stdout\n{result.out}\n--- stderr\n{result.err}")
