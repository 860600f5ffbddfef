"""The docs are tested: every command shown in README.md and docs/*.md runs here, and shown output is compared.

The convention (docs/README.md, "How the docs are tested"):

* A ```console block is a terminal session: each line starting with `$ ` is a command, the lines after
  it up to the next `$ ` are what it prints (stdout and stderr together). A line that is only `…`
  stands for any number of lines. Commit ids (7 to 40 hex digits) are masked on both sides, and the
  session's directory prints as `~`.
* A ```sh block is a list of commands (a line ending in `\\` continues on the next); each must exit 0,
  or as its trailing comment says: `# … exit 1` or `# … (exit 1)`. The same holds for a console
  command.
* An HTML comment right before a block changes how it runs: `<!-- test: not run: WHY -->` (installing
  packages, a CI file, a fragment), `<!-- test: fresh -->` (a new session), `<!-- test: in DIR -->` (run
  the block in DIR, relative to the session's directory, and come back after it).
* Blocks of one file run in order in one session: a temporary directory holding the web-shop plan of
  examples/webshop and a copy of examples/, committed to git by the plan's product owner, with its own
  $HOME, with today pinned
  (`tandem` is a shell function adding `--today`, unless the command gives one) to 2027-01-11 in the
  README and 2026-11-28 in docs/, and every `git commit` a minute after the one before it on that day.
  A page's fixture script, tests/e2e/docs_fixtures/PAGE.sh, runs first in its session when present.
* TANDEM_DOCS_UPDATE=1 rewrites the expected output of each console command that differs in the .md
  files from the actual run (keeping each `…` where the lines around it are still found).

yaml, json and other blocks are not run; a fenced block without a language whose first line is a
`$ ` command is refused (mark it console).
"""

import os
import re
import shutil
import subprocess
import tempfile
import unittest
from dataclasses import dataclass, field
from pathlib import Path

from tandem_e2e import BIN, SOURCE_DIR, run

DOCS = sorted((SOURCE_DIR / "docs").glob("*.md"))
README = SOURCE_DIR / "README.md"
FIXTURES = Path(__file__).resolve().parent / "docs_fixtures"
UPDATE = bool(os.environ.get("TANDEM_DOCS_UPDATE"))
RUN_LANGS = {"console", "sh"}
ELLIPSIS = "…"
COMMIT_ID = re.compile(r"\b(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}\b")
EXIT_NOTE = re.compile(r"#.*\bexit (\d+)\)?\s*$")
DIRECTIVE = re.compile(r"^<!--\s*test:\s*(.*?)\s*-->\s*$")

# A command runs in bash with these definitions: `tandem` pins today, `git commit` gets the next minute.
PREAMBLE = r"""
tandem() {
  case " $* " in *" --today "*|*" --today="*) command tandem "$@" ;; *) command tandem --today "$DOCS_TODAY" "$@" ;; esac
}
git() {
  if [ "$1" = commit ]; then
    local n; n=$(( $(cat "$DOCS_CLOCK") + 1 )); echo "$n" > "$DOCS_CLOCK"
    local d; d=$(printf '%sT09:%02d:00Z' "$DOCS_TODAY" "$n")
    GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d command git "$@"
  else
    command git "$@"
  fi
}
"""


@dataclass
class Step:
    """One command of a block: its text, the exit code it must give, and for console its expected output."""

    command: str
    line: int  # 1-based line of the command in the file
    exit: int = 0
    expected: list = None  # console only: the lines shown after the command
    expected_at: tuple = None  # (first, end) 0-based line range of `expected` in the file


@dataclass
class Block:
    lang: str
    line: int  # 1-based line of the opening fence
    lines: list
    directive: str = ""
    steps: list = field(default_factory=list)


def parse(path):
    """The fenced blocks of a markdown file, with the directive of the HTML comment right before each."""
    text = path.read_text(encoding="utf-8").split("\n")
    blocks, i = [], 0
    while i < len(text):
        m = re.match(r"^(\s*)(```+|~~~+)\s*([\w-]*)", text[i])
        if not m:
            i += 1
            continue
        fence, lang = m.group(2), m.group(3)
        prev = next((text[j] for j in range(i - 1, -1, -1) if text[j].strip()), "")
        d = DIRECTIVE.match(prev)
        start, i = i, i + 1
        body = []
        while i < len(text) and not text[i].strip().startswith(fence):
            body.append(text[i][len(m.group(1)):] if text[i].startswith(m.group(1)) else text[i])
            i += 1
        blocks.append(Block(lang, start + 1, body, d.group(1) if d else ""))
        i += 1
    for b in blocks:
        b.steps = console_steps(b) if b.lang == "console" else sh_steps(b) if b.lang == "sh" else []
    return blocks


def exit_of(command):
    m = EXIT_NOTE.search(command)
    return int(m.group(1)) if m else 0


def console_steps(block):
    steps = []
    for k, line in enumerate(block.lines):
        at = block.line + k  # 0-based index of this line in the file
        if line.startswith("$ "):
            steps.append(Step(line[2:], at + 1, exit_of(line), [], (at + 1, at + 1)))
        elif steps:
            steps[-1].expected.append(line)
            steps[-1].expected_at = (steps[-1].expected_at[0], at + 1)
    return steps


def sh_steps(block):
    steps, pending, first = [], "", 0
    for k, line in enumerate(block.lines):
        if not pending:
            first = block.line + k + 1
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        command, pending = pending + line, ""
        if command.strip() and not command.lstrip().startswith("#"):
            steps.append(Step(command, first, exit_of(command)))
    return steps


def normalise(lines):
    out = [COMMIT_ID.sub("<commit>", l.rstrip()) for l in lines]
    while out and not out[-1]:
        out.pop()
    return out


def segments(expected):
    """The expected lines split at each `…` line."""
    segs = [[]]
    for l in expected:
        if l.strip() == ELLIPSIS:
            segs.append([])
        else:
            segs[-1].append(l)
    return segs


def find(actual, seg, start):
    for i in range(start, len(actual) - len(seg) + 1):
        if actual[i:i + len(seg)] == seg:
            return i
    return -1


def matches(expected, actual):
    """Whether the actual lines are the expected ones, each `…` standing for any number of lines."""
    segs = segments(normalise(expected))
    actual = normalise(actual)
    if len(segs) == 1:
        return segs[0] == actual
    first, last = segs[0], segs[-1]
    if actual[:len(first)] != first or (last and actual[len(actual) - len(last):] != last):
        return False
    pos, end = len(first), len(actual) - len(last)
    if end < pos:
        return False
    for seg in segs[1:-1]:
        at = find(actual[:end], seg, pos)
        if at < 0:
            return False
        pos = at + len(seg)
    return True


def updated(expected, actual):
    """The expected lines rewritten from the actual ones, keeping each `…` where it can."""
    raw = [l.rstrip() for l in actual]
    while raw and not raw[-1]:
        raw.pop()
    segs = segments(expected)
    if len(segs) == 1:
        return raw
    norm = normalise(raw)
    out, pos = raw[:len(segs[0])], len(segs[0])
    tail = raw[len(raw) - len(segs[-1]):] if segs[-1] else []
    for seg in segs[1:-1]:
        key = normalise(seg[:1])
        at = next((i for i in range(pos, len(norm)) if norm[i:i + 1] == key), -1) if key else -1
        if at < 0 and seg:
            word = seg[0].split()[:1]
            at = next((i for i in range(pos, len(norm)) if norm[i].split()[:1] == word), -1)
        out.append(ELLIPSIS)
        if at < 0:
            out += seg
        else:
            out += raw[at:at + len(seg)]
            pos = at + len(seg)
    return out + [ELLIPSIS] + tail


class Session:
    """A temporary directory in which the blocks of one file run in order."""

    def __init__(self, today, fixture=None):
        self.base = Path(tempfile.mkdtemp(prefix="tandem-docs-")).resolve()
        self.root = self.base / "work"  # the session's directory, shown as ~
        self.cwd = self.root
        home = self.base / "home"  # $HOME, with git's global configuration, tandem's cache and the clock
        for d in (self.root, home, home / "bin"):
            d.mkdir()
        (home / "bin" / "tandem").symlink_to(Path(BIN).resolve())
        self.clock = home / "clock"
        self.clock.write_text("0")
        self.marker = home / "pwd"
        self.env = {
            "HOME": str(home), "PATH": f"{home / 'bin'}:{os.environ['PATH']}", "DOCS_TODAY": today,
            "DOCS_CLOCK": str(self.clock), "NO_COLOR": "1", "LANG": "C.UTF-8", "TERM": "dumb",
            "GIT_AUTHOR_DATE": f"{today}T08:00:00Z", "GIT_COMMITTER_DATE": f"{today}T08:00:00Z",
            "GIT_CONFIG_NOSYSTEM": "1", "ASAN_OPTIONS": "detect_leaks=0", "TANDEM_CACHE_DIR": str(home / "cache"),
        }
        for key in ("TANDEM_SOURCE_DIR", "LSAN_OPTIONS", "UBSAN_OPTIONS", "TMPDIR"):
            if key in os.environ:
                self.env[key] = os.environ[key]
        shutil.copytree(SOURCE_DIR / "examples", self.root / "examples")
        shutil.copytree(SOURCE_DIR / "examples" / "webshop", self.root, dirs_exist_ok=True)  # a plan at the root
        # Committed by the web-shop's product owner with its project manager's approval, as its tandem.yaml asks.
        for cmd in ("git config --global user.name 'Hanna Keller'",
                    "git config --global user.email hanna.keller@example.com",
                    "git config --global init.defaultBranch main", "git init -q", "git add -A",
                    "git commit -qm 'The plan' --trailer 'Approved-by: Marco Bianchi <marco.bianchi@example.com>'"):
            self.sh(cmd, check=True)
        if fixture and fixture.exists():
            self.sh(f"source {shq(str(fixture))}", check=True)

    def sh(self, command, cwd=None, check=False):
        """Runs a command in bash with the preamble where `cwd` is; returns (exit code, output)."""
        script = f"{PREAMBLE}\ncd {shq(str(cwd or self.cwd))} || exit 99\n{command}\n"
        p = subprocess.run(["bash", "-c", script], env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=300)
        out = p.stdout.decode("utf-8", "replace").replace(str(self.root), "~")
        if check and p.returncode:
            raise AssertionError(f"setup `{command}` failed ({p.returncode}):\n{out}")
        return p.returncode, out

    def close(self):
        shutil.rmtree(self.base, ignore_errors=True)


def shq(s):
    return "'" + s.replace("'", "'\\''") + "'"


def run_step(session, step, cwd):
    """Runs a step where `cwd` is; returns (exit code, output lines, the directory it ended in)."""
    session.marker.unlink(missing_ok=True)
    script = f"{step.command}\n__rc=$?\npwd > {shq(str(session.marker))}\n(exit $__rc)"
    rc, out = session.sh(script, cwd=cwd)
    after = Path(session.marker.read_text().strip()) if session.marker.exists() else cwd
    return rc, out.split("\n"), after


class Runner:
    """Runs the blocks of one markdown file, collecting failures and, with TANDEM_DOCS_UPDATE, rewrites."""

    def __init__(self, path, today):
        self.path, self.today = path, today
        self.failures, self.rewrites, self.sessions, self.outputs = [], [], [], []
        self.fixture = FIXTURES / (path.stem + ".sh") if path.parent.name == "docs" else None

    def new_session(self):
        s = Session(self.today, self.fixture)
        self.sessions.append(s)
        return s

    def run(self):
        blocks = [b for b in parse(self.path) if b.lang in RUN_LANGS and not b.directive.startswith("not run")]
        session = self.new_session() if blocks else None
        for b in blocks:
            if b.directive == "fresh":
                session = self.new_session()
            cwd = session.cwd
            if b.directive.startswith("in "):
                cwd = session.root / b.directive[3:].strip()
            for step in b.steps:
                rc, out, cwd = run_step(session, step, cwd)
                where = f"{self.path.relative_to(SOURCE_DIR)}:{step.line}: `{step.command}`"
                self.outputs.append((where, out))
                if "Sanitizer" in "\n".join(out) or "runtime error:" in "\n".join(out):
                    self.failures.append(f"{where}: sanitizer report\n" + "\n".join(out))
                if rc != step.exit:
                    self.failures.append(f"{where}: exit {rc}, the docs say {step.exit}\n" + "\n".join(out))
                if step.expected is not None and not matches(step.expected, out):
                    if UPDATE:
                        self.rewrites.append((step.expected_at, updated(step.expected, out)))
                    else:
                        self.failures.append(f"{where}: output differs\n--- the docs\n" + "\n".join(step.expected)
                                             + "\n--- the run\n" + "\n".join(normalise(out)))
            if not b.directive.startswith("in "):
                session.cwd = cwd
        if UPDATE and self.rewrites:
            lines = self.path.read_text(encoding="utf-8").split("\n")
            for (first, end), new in sorted(self.rewrites, reverse=True):
                lines[first:end] = new
            self.path.write_text("\n".join(lines), encoding="utf-8")

    def close(self):
        for s in self.sessions:
            s.close()


def slug(heading):
    """GitHub's anchor for a heading."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", lambda m: m.group(1) or "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path):
    out, inside = set(), False
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("```"):
            inside = not inside
        elif not inside and (m := re.match(r"^#{1,6}\s+(.*)$", line)):
            base, n = slug(m.group(1)), 0
            while (base if n == 0 else f"{base}-{n}") in out:
                n += 1
            out.add(base if n == 0 else f"{base}-{n}")
    return out


class TestDocsRun(unittest.TestCase):
    """Every console and sh block of the README and the docs runs as shown."""

    maxDiff = None

    def run_file(self, path, today):
        runner = Runner(path, today)
        self.addCleanup(runner.close)
        runner.run()
        if runner.failures:
            self.fail("\n\n".join(runner.failures))
        return runner

    def test_readme_walk_through_ends_with_the_html_report(self):
        runner = self.run_file(README, "2027-01-11")
        # Issue 27: every edit the walk-through teaches runs as the role it names, so tandem has no note on it.
        notes = [f"{where}: {line}" for where, out in runner.outputs for line in out
                 if "note:" in line and ("owned by" in line or "approv" in line)]
        self.assertEqual([], notes)
        report = runner.sessions[0].root / "plan" / "report.html"
        self.assertTrue(report.exists(), "the walk-through writes plan/report.html")
        html = report.read_text(encoding="utf-8")
        self.assertTrue(html.lstrip().lower().startswith("<!doctype html>"), html[:200])
        for text in ("Guest checkout", "M1", "Payment provider changes its API"):
            self.assertIn(text, html)

    def test_docs_pages(self):
        for path in DOCS:
            with self.subTest(page=path.name):
                self.run_file(path, "2026-11-28")


class TestDocsShape(unittest.TestCase):
    """The docs as pages: short README, marked blocks, links that land."""

    def test_readme_is_short_and_keeps_the_two_set_up_commands(self):
        text = README.read_text(encoding="utf-8")
        self.assertLessEqual(len(text.split("\n")), 300)
        # tests/fresh/run.sh takes them from between "## Set-up" and "## Quick start"
        setup = re.search(r"^## Set-up.*?^## Quick start", text, re.S | re.M)
        self.assertIsNotNone(setup)
        lines = setup.group(0).split("\n")
        self.assertTrue(any(l.startswith("apt-get update") for l in lines))
        self.assertIn("bash .ci/run", lines)

    def test_every_block_with_commands_is_run_or_marked(self):
        for path in [README, *DOCS]:
            for b in parse(path):
                where = f"{path.relative_to(SOURCE_DIR)}:{b.line}"
                if b.lang in ("bash", "shell", "shell-session"):
                    self.fail(f"{where}: write ```sh or ```console")
                if not b.lang and b.lines and b.lines[0].startswith("$ "):
                    self.fail(f"{where}: a block of commands and output is ```console")
                if b.lang in RUN_LANGS and not b.directive.startswith("not run"):
                    self.assertTrue(b.steps, f"{where}: a {b.lang} block with no command")
                if b.directive:
                    self.assertRegex(b.directive, r"^(not run: .+|fresh|in \S+)$", where)

    def test_relative_links_and_anchors_exist(self):
        for path in [README, *DOCS]:
            text = path.read_text(encoding="utf-8")
            text = re.sub(r"```.*?```", "", text, flags=re.S)
            for target in re.findall(r"\]\(([^)\s]+)\)", text):
                if re.match(r"^[a-z]+:", target):
                    continue
                file, _, anchor = target.partition("#")
                dest = (path.parent / file).resolve() if file else path
                with self.subTest(page=path.name, link=target):
                    self.assertTrue(dest.exists(), f"{path.name}: {target}: no such file")
                    if anchor and dest.suffix == ".md":
                        self.assertIn(anchor, anchors(dest), f"{path.name}: {target}: no such heading")

    def test_each_page_has_one_title_and_no_heading_repeating_it(self):
        for path in DOCS:
            text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.M | re.S)  # not in code
            headings = [l for l in text.split("\n") if re.match(r"^#{1,6} ", l)]
            with self.subTest(page=path.name):
                self.assertTrue(headings and headings[0].startswith("# "), "starts with a # title")
                self.assertEqual(1, sum(h.startswith("# ") for h in headings), "one # title")
                titles = [h.lstrip("#").strip().lower() for h in headings]
                self.assertEqual(len(titles), len(set(titles)), f"repeated headings: {titles}")

    def test_help_names_the_page_of_each_command(self):
        top = run("--help")
        self.assertIn("docs/README.md", top.out)
        commands = re.findall(r"^  ([a-z][a-z-]+)\s{2,}", top.out.split("Subcommands:")[1], re.M)
        self.assertIn("schedule", commands)
        for command in commands:
            if command == "help":
                continue
            with self.subTest(command=command):
                r = run(command, "--help")
                m = re.search(r"^Docs: (docs/[\w.-]+\.md) in tandem's source\.$", r.out, re.M)
                self.assertIsNotNone(m, r.out[-300:])
                page = SOURCE_DIR / m.group(1)
                self.assertTrue(page.exists(), m.group(1))
                described = re.search(rf"`(tandem )?{re.escape(command)}\b", page.read_text(encoding="utf-8"))
                self.assertTrue(described, f"{m.group(1)} does not name `{command}`")

    def test_the_matcher(self):
        self.assertTrue(matches(["a", ELLIPSIS, "c"], ["a", "b", "b", "c"]))
        self.assertTrue(matches(["a", ELLIPSIS], ["a"]))
        self.assertFalse(matches(["a", ELLIPSIS, "c"], ["a", "b"]))
        self.assertTrue(matches(["x 1234567abc y"], ["x 89abcdef01 y"]))
        self.assertFalse(matches(["a"], ["a", "b"]))
        self.assertEqual(["a", ELLIPSIS, "M", "n", ELLIPSIS, "z"],
                         updated(["a", ELLIPSIS, "M", "m", ELLIPSIS, "z"], ["a", "b", "M", "n", "o", "z"]))


if __name__ == "__main__":
    unittest.main()
