"""End-to-end tests of the command line itself: unknown commands and options, and every command's help."""

import unittest

from tandem_e2e import TandemTestCase, run

GLOBALS = ["-C DIR", "--config FILE", "--today DATE", "--rev REV", "--format FORMAT", "--color WHEN", "-q,--quiet"]


class CommandLine(TandemTestCase):

    def commands(self):
        """The commands `tandem --help` lists."""
        r = run("--help", cwd=self.tmp)
        self.assertExit(r, 0)
        lines = r.out.split("Subcommands:", 1)[1].splitlines()
        return [l.split()[0] for l in lines if l.startswith("  ") and l.split()]

    def test_an_unknown_command_gets_did_you_mean(self):
        r = run("prioirty", cwd=self.tmp)
        self.assertExit(r, 2)
        self.assertEqual(r.err, "tandem: error: unknown command 'prioirty'; did you mean 'priority'? "
                                "(see 'tandem --help')\n")
        r = run("--today", "2027-01-01", "schedul", cwd=self.tmp)
        self.assertIn("unknown command 'schedul'; did you mean 'schedule'?", r.err)
        r = run("zzzzzz", cwd=self.tmp)
        self.assertEqual(r.err, "tandem: error: unknown command 'zzzzzz' (see 'tandem --help')\n")

    def test_an_unknown_option_gets_did_you_mean_before_or_after_the_command(self):
        for args in (["--formt", "json", "check"], ["check", "--formt", "json"], ["check", "--formt=json"]):
            r = run(*args, cwd=self.tmp)
            self.assertExit(r, 2)
            self.assertEqual(r.err, "tandem: error: unknown option '--formt'; did you mean '--format'?\n", args)
        r = run("schedule", "--fail-on-lat", cwd=self.tmp)
        self.assertIn("unknown option '--fail-on-lat'; did you mean '--fail-on-late'?", r.err)
        r = run("check", "--fail-on-late", cwd=self.tmp)  # schedule's option, not check's
        self.assertEqual(r.err, "tandem: error: unknown option '--fail-on-late'\n")

    def test_bare_tandem_prints_the_short_help(self):
        r = run(cwd=self.tmp)
        self.assertExit(r, 0)
        self.assertEqual(r.err, "")
        self.assertIn("Usage: tandem [OPTIONS] COMMAND", r.out)
        for command in ("check", "show", "list", "done"):
            self.assertIn(f"\n  {command} ", r.out)
        self.assertIn("docs/commands.md", r.out)

    def test_every_command_help_shows_the_global_options_and_its_formats(self):
        commands = self.commands()
        self.assertIn("schedule", commands)
        for command in commands:
            for args in ([command, "--help"], ["help", command]) if command != "help" else ([command, "--help"],):
                r = run(*args, cwd=self.tmp)
                self.assertExit(r, 0)
                self.assertIn("Global options (before or after the command):", r.out, args)
                for option in GLOBALS:
                    self.assertRegex(r.out, rf"\n  {option.replace('-', '[-]')} ", f"{args}: {option}")
        r = run("schedule", "--help", cwd=self.tmp)
        self.assertIn("Formats: text, json, csv, markdown.", r.out)
        self.assertIn("--format FORMAT             Output format: text, json, csv, markdown, github, sarif, html, "
                      "gitlab, junit", r.out)


if __name__ == "__main__":
    unittest.main()
