"""End-to-end tests of `tandem completion bash|zsh|fish|man`, `cmake --install` and `cpack -G DEB`.

The scripts are generated from the command table, so every subcommand must appear in each of them.
Each script is checked by its own shell (`bash -n`, `zsh -n`, `fish -n`); each shell then completes
real command lines, ids and field names included (bash: the completion function with
COMP_WORDS/COMP_CWORD, read back from COMPREPLY; fish: `complete -C`; zsh: an interactive zsh in a
pseudo-terminal (zsh/zpty) with compinit, sent a TAB). The install test installs the build that holds $TANDEM_BIN into a temporary
prefix; the package test runs cpack there and lists the .deb with dpkg-deb.

zsh and fish come from .ci/packages-test; with TANDEM_NODE_MODULES set (.ci/run sets it) a missing shell is
a failure, run by hand it is a skip.
"""

import os
import re
import shlex
import shutil
import subprocess
import unittest
from pathlib import Path

from tandem_e2e import BIN, TandemTestCase, need, run

BUILD_DIR = Path(BIN).resolve().parent


def subcommands():
    """The subcommands `tandem --help` lists."""
    r = run("--help")
    section = r.out.split("SUBCOMMANDS:", 1)[1] if "SUBCOMMANDS:" in r.out else r.out.split("Subcommands:", 1)[1]
    return [m.group(1) for m in re.finditer(r"^\s+([a-z][a-z-]*)\s", section, re.M)]


class Completion(TandemTestCase):

    def script(self, shell):
        r = run("completion", shell)
        self.assertExit(r, 0)
        path = self.tmp / {"bash": "tandem.bash", "zsh": "_tandem", "fish": "tandem.fish", "man": "tandem.1"}[shell]
        path.write_text(r.out, "utf-8")
        return path

    def test_every_subcommand_is_in_every_script_and_the_man_page(self):
        commands = subcommands()
        self.assertIn("report", commands)
        self.assertIn("completion", commands)
        self.assertGreaterEqual(len(commands), 10)
        for shell in ("bash", "zsh", "fish", "man"):
            text = self.script(shell).read_text("utf-8")
            for c in commands:
                self.assertRegex(text, rf"(^|[\s'\"(]){re.escape(c)}([\s)':]|$)", f"{c} missing in {shell}")

    def test_syntax_is_valid_in_each_shell(self):
        for shell, args in (("bash", ["-n"]), ("zsh", ["-n"]), ("fish", ["--no-execute"])):
            with self.subTest(shell):
                need(self, shutil.which(shell), shell)
                p = subprocess.run([shell, *args, str(self.script(shell))], capture_output=True, text=True)
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertEqual(p.stderr, "")

    def bash_complete(self, *words):
        """COMPREPLY of the bash completion function for the command line `words` (the last one is completed)."""
        script = self.script("bash")
        words_q = " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)
        prog = (f"source '{script}'\nCOMP_WORDS=({words_q}); COMP_CWORD={len(words) - 1}\n"
                "COMP_LINE=\"${COMP_WORDS[*]}\"; COMP_POINT=${#COMP_LINE}\n"
                "complete -p tandem >/dev/null || exit 3\n_tandem\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n")
        p = subprocess.run(["bash", "--norc", "--noprofile", "-c", prog], capture_output=True, text=True, cwd=self.tmp)
        self.assertEqual(p.returncode, 0, p.stderr)
        return [l for l in p.stdout.splitlines() if l]

    def test_bash_completes_subcommands_options_and_values(self):
        self.assertEqual(sorted(self.bash_complete("tandem", "sch")), ["schedule", "schema"])
        self.assertEqual(self.bash_complete("tandem", "rep"), ["report"])
        self.assertIn("--format", self.bash_complete("tandem", "report", "--fo"))
        self.assertIn("--output", self.bash_complete("tandem", "report", "--o"))
        self.assertIn("--fail-on-late", self.bash_complete("tandem", "schedule", "--fa"))
        self.assertEqual(self.bash_complete("tandem", "--format", "h"), ["html"])
        self.assertEqual(sorted(self.bash_complete("tandem", "check", "--format", "g")), ["github", "gitlab"])
        self.assertEqual(sorted(self.bash_complete("tandem", "completion", "")), ["bash", "fish", "man", "zsh"])
        self.assertEqual(self.bash_complete("tandem", "schema", "ro"), ["roadmap"])
        (self.tmp / "plans").mkdir()
        self.assertEqual(self.bash_complete("tandem", "-C", "pla"), ["plans"])
        self.assertEqual(self.bash_complete("tandem", "nosuch"), [])

    def test_fish_completes_subcommands_and_values(self):
        need(self, shutil.which("fish"), "fish")
        script = self.script("fish")

        def complete(line):
            p = subprocess.run(["fish", "--no-config", "-c", f"source '{script}'; complete -C '{line}'"],
                               capture_output=True, text=True, env={**os.environ, "HOME": str(self.tmp)})
            self.assertEqual(p.returncode, 0, p.stderr)
            return [l.split("\t")[0] for l in p.stdout.splitlines()]

        self.assertEqual(sorted(complete("tandem sch")), ["schedule", "schema"])
        self.assertIn("--format", complete("tandem report --fo"))
        self.assertIn("html", complete("tandem report --format "))
        self.assertIn("man", complete("tandem completion "))

    def test_ids_after_set_done_move_log_blame_and_fields_after_set(self):
        """The scripts call `tandem completion ids|fields` in the plan's directory: tandem on PATH."""
        self.plan({"backlog.yaml": "items:\n  - id: WEB-1\n    title: a\n  - id: WEB-2\n    title: b\n",
                   "roadmap.yaml": "milestones:\n  - id: M1\n    name: One\n    target: 2027-02-01\n"})
        env_path = f"{BUILD_DIR}:{os.environ['PATH']}"
        os.environ["PATH"], saved = env_path, os.environ["PATH"]
        self.addCleanup(os.environ.__setitem__, "PATH", saved)
        for command in ("set", "done", "move", "log", "blame"):
            with self.subTest(command):
                self.assertEqual(sorted(self.bash_complete("tandem", command, "WEB")), ["WEB-1", "WEB-2"])
        self.assertIn("value=", self.bash_complete("tandem", "set", "WEB-1", "va"))
        self.assertEqual(self.bash_complete("tandem", "done", "M"), ["M1"])
        self.assertEqual(self.bash_complete("tandem", "report", "WEB"), [])
        if shutil.which("fish"):
            script = self.script("fish")
            p = subprocess.run(["fish", "--no-config", "-c", f"source '{script}'; complete -C 'tandem set '"],
                               capture_output=True, text=True, cwd=self.tmp, env={**os.environ, "HOME": str(self.tmp)})
            words = [l.split("\t")[0] for l in p.stdout.splitlines()]
            self.assertIn("WEB-2", words, p.stderr)
            self.assertIn("M1", words)
            self.assertIn("estimate=", words)

    def zsh_complete(self, line, until):
        """What an interactive zsh (in a pseudo-terminal, zsh/zpty) shows after `line` and a TAB, read
        until the pattern `until` appears; compinit loads the generated script from `fpath`."""
        need(self, shutil.which("zsh"), "zsh")
        functions = self.tmp / "zfunc"
        functions.mkdir(exist_ok=True)
        (functions / "_tandem").write_text(self.script("zsh").read_text("utf-8"), "utf-8")
        setup = (f"PS1='> '; fpath=({functions} $fpath); autoload -Uz compinit; compinit -u -D; "
                 f"PATH={BUILD_DIR}:$PATH; zstyle ':completion:*' list-prompt ''; LISTMAX=1000; echo READY")
        prog = ("zmodload zsh/zpty\nzpty z 'zsh -f -i'\n"
                f"zpty -w z {shlex.quote(setup)}\n"
                "zpty -r z out '*READY*'\n"
                f"zpty -n -w z {shlex.quote(line)}$'\\t'\n"
                f"zpty -r z out {shlex.quote('*' + until + '*')}\nprint -r -- \"$out\"\nzpty -d z\n")
        p = subprocess.run(["zsh", "-f", "-c", prog], capture_output=True, text=True, cwd=self.tmp, timeout=90,
                           env={**os.environ, "HOME": str(self.tmp)})
        self.assertEqual(p.returncode, 0, p.stderr)
        return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|[\r\x07\x08]", "", p.stdout)

    def test_zsh_completes_ids_and_fields_in_a_real_shell(self):
        self.plan({"backlog.yaml": "items:\n  - id: WEB-1\n    title: a\n  - id: WEB-2\n    title: b\n"})
        shown = self.zsh_complete("tandem set WEB-", "WEB-2")
        self.assertIn("WEB-1", shown)
        self.assertIn("tandem set WEB-1 value=", self.zsh_complete("tandem set WEB-1 valu", "value="))
        self.assertIn("tandem report", self.zsh_complete("tandem repo", "report"))

    def test_man_page(self):
        page = self.script("man").read_text("utf-8")
        self.assertTrue(page.startswith(".TH TANDEM 1 "))
        for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "EXIT STATUS", "ENVIRONMENT"):
            self.assertIn(f"\n.SH {section}\n", page)
        self.assertIn(".SS report\n", page)
        self.assertIn("GITHUB_STEP_SUMMARY", page)
        for line in page.splitlines():      # no line that roff would take as an unknown request
            self.assertFalse(line.startswith("'"), line)
            if line.startswith("."):
                self.assertRegex(line, r"^\.(TH|SH|SS|TP|PP|B|I|BR|IR|RS|RE|br|\\)", line)
        if shutil.which("groff"):
            p = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", str(self.script("man"))], capture_output=True,
                               text=True)
            self.assertEqual((p.returncode, p.stderr), (0, ""))

    def test_unknown_shell_is_a_usage_error(self):
        r = run("completion", "tcsh")
        self.assertExit(r, 2)
        self.assertIn("unknown shell 'tcsh'", r.err)


class Install(TandemTestCase):
    """`cmake --install` and `cpack -G DEB` on the build that holds $TANDEM_BIN."""

    LAYOUT = ("bin/tandem", "share/man/man1/tandem.1", "share/bash-completion/completions/tandem",
              "share/zsh/vendor-completions/_tandem", "share/fish/vendor_completions.d/tandem.fish")

    def setUp(self):
        super().setUp()
        if not (BUILD_DIR / "cmake_install.cmake").is_file():
            self.skipTest(f"{BUILD_DIR} is not a CMake build directory")

    def test_cmake_install_lays_out_binary_man_page_and_completions(self):
        prefix = self.tmp / "prefix"
        p = subprocess.run(["cmake", "--install", str(BUILD_DIR), "--prefix", str(prefix)], capture_output=True,
                           text=True)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        for rel in self.LAYOUT:
            self.assertTrue((prefix / rel).is_file(), rel)
        self.assertTrue(os.access(prefix / "bin/tandem", os.X_OK))
        v = subprocess.run([str(prefix / "bin/tandem"), "--version"], capture_output=True, text=True)
        self.assertEqual(v.returncode, 0, v.stderr)
        self.assertEqual((prefix / "share/bash-completion/completions/tandem").read_text(), run("completion", "bash").out)
        self.assertEqual((prefix / "share/man/man1/tandem.1").read_text(), run("completion", "man").out)

    def test_cpack_builds_a_debian_package(self):
        need(self, shutil.which("cpack") and shutil.which("dpkg-deb") and shutil.which("dpkg-shlibdeps"),
             "cpack, dpkg-deb and dpkg-shlibdeps (dpkg-dev)")
        out = self.tmp / "pkg"
        p = subprocess.run(["cpack", "-G", "DEB", "-B", str(out), "--config", str(BUILD_DIR / "CPackConfig.cmake")],
                           capture_output=True, text=True, cwd=BUILD_DIR, timeout=600)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        debs = list(out.glob("*.deb"))
        self.assertEqual(len(debs), 1, list(out.iterdir()))
        listing = subprocess.run(["dpkg-deb", "-c", str(debs[0])], capture_output=True, text=True, check=True).stdout
        for rel in self.LAYOUT:
            self.assertIn("./usr/" + rel, listing)
        info = subprocess.run(["dpkg-deb", "-f", str(debs[0]), "Package", "Depends"], capture_output=True, text=True,
                              check=True).stdout
        self.assertIn("Package: tandem", info)
        self.assertIn("libgit2", info)


if __name__ == "__main__":
    unittest.main()
