"""End-to-end tests of `tandem check` and the other commands of issue 2, on real files in temporary directories."""

import csv
import io
import json
import os
import re
import shutil
import time
import unittest

import yaml

from tandem_e2e import (EXAMPLES, EXPECTED, MIN_CONFIG, SCHEMAS, SOURCE_DIR, TODAY, TandemTestCase, dedent, error_lines,
                        git_init, run, snapshot, write_files)

ITEM = """\
items:
  - id: A-1
    title: First
"""


class Examples(TandemTestCase):
    """The example plans: webshop passes, broken lists every finding its comments promise."""

    def test_webshop_passes(self):
        r = run("-C", "examples/webshop", "check", "--today", "2026-11-28", cwd=SOURCE_DIR)
        self.assertExit(r, 0)
        files = len(list((EXAMPLES / "webshop").glob("*.yaml")))
        self.assertEqual(r.out, f"no findings in {files} files\n")
        self.assertEqual(r.err, "")

    def broken(self):
        """Runs check on a copy of examples/broken at examples/broken inside a fresh git repository, so that the
        paths are the same wherever the source tree is."""
        repo = self.tmp / "repo"
        shutil.copytree(EXAMPLES / "broken", repo / "examples" / "broken")
        git_init(repo)
        return run("-C", "examples/broken", "check", "--today", "2026-11-28", cwd=repo)

    def test_broken_lists_every_finding(self):
        r = self.broken()
        self.assertExit(r, 1)
        expected = (EXPECTED / "broken.txt").read_text(encoding="utf-8")
        self.assertEqual(r.out, expected)
        self.assertEqual(r.err, "")

    # Names used in examples/broken's comments for findings whose code is spelled differently.
    def test_broken_comments_are_kept(self):
        """Each `# error: code` / `# warning: code` comment in examples/broken is a finding of that severity and code
        on that line (or, for "same cycle" and findings named after the first, somewhere in that file)."""
        r = run("--format", "json", "-C", EXAMPLES / "broken", "check", "--today", "2026-11-28")
        self.assertExit(r, 1)
        findings = r.json()["findings"]
        promised = 0
        for path in sorted((EXAMPLES / "broken").glob("*.yaml")):
            mine = [f for f in findings if f["file"].endswith(path.name)]
            for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if "#" not in line or line.lstrip().startswith("#"):
                    continue
                comment = line.split("#", 1)[1]
                for n, (severity, code) in enumerate(re.findall(r"\b(error|warning): ([a-z]+(?:-[a-z]+)+)", comment)):
                    anywhere = n > 0 or "same cycle" in comment
                    with self.subTest(file=path.name, line=lineno, code=code):
                        promised += 1
                        hits = [f for f in mine if f["severity"] == severity and f["code"] == code and
                                (anywhere or f["line"] == lineno)]
                        self.assertTrue(hits, f"{path.name}:{lineno}: promised {severity} {code}; found:\n" +
                                        "\n".join(f"{f['line']}: {f['severity']} {f['code']}" for f in mine))
        self.assertGreaterEqual(promised, 25)


class BadInput(TandemTestCase):
    """Each bad input of issue 2 gives a clear finding with file:line:col and exit 1 (or 2), never a crash."""

    def test_malformed_yaml(self):
        self.plan({"backlog.yaml": "items:\n  - id: A-1\n    title: [unclosed\n  - id: A-2\n"})
        r = self.check()
        self.assertOnlyFindings(r, [
            "backlog.yaml:4:7: error: YAML syntax error: did not find expected ',' or ']' while parsing a flow "
            "sequence (line 3, column 12) [yaml-syntax]"])

    def test_malformed_yaml_in_config(self):
        self.plan(config="version: 1\nproject: {name: X\npeople: []\n")
        r = self.check()
        self.assertFindings(r, [
            "tandem.yaml:3:7: error: YAML syntax error: did not find expected ',' or '}' while parsing a flow mapping "
            "(line 2, column 10) [yaml-syntax]"])

    def test_tab_indentation(self):
        self.plan({"backlog.yaml": "items:\n\t- id: A-1\n"})
        r = self.check()
        self.assertOnlyFindings(r, [
            "backlog.yaml:2:1: error: YAML syntax error: a tab in the indentation [yaml-syntax]"])
        self.assertIn("  hint: YAML forbids tabs for indentation; indent with spaces", r.lines)

    def test_duplicate_mapping_keys(self):
        self.plan({"backlog.yaml": ITEM + "    estimate: 2\n    title: Second\n"})
        r = self.check()
        self.assertOnlyFindings(r, [
            "backlog.yaml:5:5: error: duplicate key 'title' (first at line 3); YAML forbids duplicate keys "
            "[duplicate-key]"])
        self.assertIn("  hint: remove one of them: tandem will not guess which one you meant", r.lines)

    def test_duplicate_keys_in_config_and_nested(self):
        self.plan(config=MIN_CONFIG + "calendar:\n  workdays: [mon]\n  workdays: [tue]\nversion: 1\n")
        r = self.check()
        self.assertFindings(r, [
            "tandem.yaml:21:3: error: duplicate key 'workdays' (first at line 20); YAML forbids duplicate keys "
            "[duplicate-key]",
            "tandem.yaml:22:1: error: duplicate key 'version' (first at line 1); YAML forbids duplicate keys "
            "[duplicate-key]"])

    def test_duplicate_ids(self):
        self.plan({
            "backlog.yaml": ITEM + "  - id: A-1\n    title: Again\n  - id: M1\n    title: Clash\n",
            "roadmap.yaml": "milestones:\n  - id: M1\n    title: Beta\n",
            "risks.yaml": "risks:\n  - id: A-1\n    title: Clash\n",
        }, config=MIN_CONFIG.replace("priority:", "  - id: pat\n    name: Other Pat\npriority:"))
        r = self.check()
        self.assertFindings(r, [
            "backlog.yaml:4:9: error: duplicate id 'A-1' (first at backlog.yaml:2:9); items, milestones and risks "
            "share one namespace [duplicate-id]",
            "roadmap.yaml:2:9: error: duplicate id 'M1' (first at backlog.yaml:6:9); items, milestones and risks "
            "share one namespace [duplicate-id]",
            "risks.yaml:2:9: error: duplicate id 'A-1' (first at backlog.yaml:2:9); items, milestones and risks "
            "share one namespace [duplicate-id]",
            "tandem.yaml:17:9: error: duplicate person id 'pat' (first at line 5) [duplicate-id]",
        ])

    def test_unknown_key_with_hint(self):
        self.plan({"backlog.yaml": ITEM + "    vlaue: 5\n    colour: blue\n    x-colour: blue\n"})
        r = self.check()
        self.assertOnlyFindings(r, [
            "backlog.yaml:4:5: error: unknown key 'vlaue' in an item [unknown-key]",
            "backlog.yaml:5:5: error: unknown key 'colour' in an item [unknown-key]"])
        self.assertEqual(r.lines[1], "  hint: did you mean 'value'?")
        self.assertNotEqual(r.lines[3:4], ["  hint: did you mean 'value'?"])

    def test_unknown_key_in_config_with_hint(self):
        self.plan(config=MIN_CONFIG + "calender:\n  workdays: [mon]\n")
        r = self.check()
        self.assertOnlyFindings(r, ["tandem.yaml:19:1: error: unknown key 'calender' in tandem.yaml [unknown-key]"])
        self.assertIn("  hint: did you mean 'calendar'?", r.lines)

    def test_quoted_number_is_a_string(self):
        self.plan({"backlog.yaml": ITEM + "    estimate: \"3\"\n    value: '5'\n"})
        r = self.check()
        self.assertOnlyFindings(r, [
            "backlog.yaml:4:15: error: 'estimate' must be a number, not a string [wrong-type]",
            "backlog.yaml:5:12: error: 'value' must be a number, not a string [wrong-type]"])
        self.assertIn("  hint: remove the quotes: a quoted number is a string in YAML", r.lines)

    def test_number_too_large(self):
        self.plan({"backlog.yaml": ITEM + "    value: 1e400\n"})
        r = self.check()
        self.assertOnlyFindings(r, [
            "backlog.yaml:4:12: error: 'value' is 1e400, which is not a finite number [out-of-range]"])

    def test_negative_estimate(self):
        self.plan({"backlog.yaml": ITEM + "    estimate: -2\n    size: 0\n"})
        r = self.check()
        self.assertOnlyFindings(r, [
            "backlog.yaml:4:15: error: 'estimate' must be greater than 0, not -2 [out-of-range]",
            "backlog.yaml:5:11: error: 'size' must be greater than 0, not 0 [out-of-range]"])

    def test_impossible_date(self):
        self.plan({"backlog.yaml": ITEM + "    started: 2027-02-30\n    done: 2027-13-01\n"})
        r = self.check()
        self.assertOnlyFindings(r, [
            "backlog.yaml:4:14: error: '2027-02-30' is not a valid date for 'started' [invalid-date]",
            "backlog.yaml:5:11: error: '2027-13-01' is not a valid date for 'done' [invalid-date]"])
        self.assertIn("  hint: that day does not exist", r.lines)

    def test_dangling_references(self):
        self.plan({
            "backlog.yaml": ITEM + "    estimate: 1\n    owner: patt\n    assignee: nobody\n    milestone: M9\n"
                                   "    depends_on: [A-2, M1]\n  - id: A-2x\n    title: Second\n",
            "roadmap.yaml": "milestones:\n  - id: M1\n    title: Beta\n    depends_on: [M0, A-1]\n",
            "risks.yaml": "risks:\n  - id: R1\n    title: Risk\n    owner: ghost\n    affects: [A-1, M1, A-9]\n",
        })
        r = self.check()
        self.assertOnlyFindings(r, [
            "backlog.yaml:5:12: error: 'patt' in 'owner' names no person in people [unknown-reference]",
            "backlog.yaml:6:15: error: 'nobody' in 'assignee' names no person in people [unknown-reference]",
            "backlog.yaml:7:16: error: 'M9' in 'milestone' names no milestone [unknown-reference]",
            "backlog.yaml:8:18: error: 'A-2' in 'depends_on' names no item [unknown-reference]",
            "backlog.yaml:8:23: error: 'M1' in 'depends_on' is a milestone, not an item [unknown-reference]",
            "risks.yaml:4:12: error: 'ghost' in 'owner' names no person in people [unknown-reference]",
            "risks.yaml:5:24: error: 'A-9' in 'affects' names no item or milestone [unknown-reference]",
            "roadmap.yaml:4:18: error: 'M0' in 'depends_on' names no milestone [unknown-reference]",
            "roadmap.yaml:4:22: error: 'A-1' in 'depends_on' is an item, not a milestone [unknown-reference]",
        ])
        self.assertIn("  hint: did you mean 'pat'?", r.lines)
        self.assertIn("  hint: did you mean 'A-2x'?", r.lines)
        self.assertNotIn("  hint: did you mean 'M1'?", r.lines)  # M9 is another number, not a typo of M1

    def test_dependency_cycles_are_printed(self):
        self.plan({
            "backlog.yaml": dedent("""
                items:
                  - {id: A, title: a, depends_on: [B]}
                  - {id: B, title: b, depends_on: [C]}
                  - {id: C, title: c, depends_on: [A]}
                  - {id: D, title: d, depends_on: [D]}
                  - {id: E, title: e, depends_on: [A]}
                """),
            "roadmap.yaml": dedent("""
                milestones:
                  - {id: M1, title: one, depends_on: [M2]}
                  - {id: M2, title: two, depends_on: [M1]}
                """),
        })
        r = self.check()
        self.assertOnlyFindings(r, [
            "backlog.yaml:2:36: error: dependency cycle: A → B → C → A [dependency-cycle]",
            "backlog.yaml:5:36: error: dependency cycle: D → D [dependency-cycle]",
            "roadmap.yaml:2:39: error: milestone cycle: M1 → M2 → M1 [dependency-cycle]",
        ])

    def test_long_cycle_does_not_recurse(self):
        n = 20000
        items = "".join(f"  - {{id: I{i}, title: t, depends_on: [I{(i + 1) % n}]}}\n" for i in range(n))
        self.plan({"backlog.yaml": "items:\n" + items})
        r = self.check()
        self.assertExit(r, 1)
        lines = error_lines(r)
        self.assertEqual(len(lines), 1)
        self.assertTrue(lines[0].startswith("backlog.yaml:2:"), lines[0])
        self.assertTrue(lines[0].endswith(" → I19999 → I0 [dependency-cycle]"), lines[0][-200:])

    def test_role_count_violations(self):
        config = MIN_CONFIG.replace("    roles: [developer]\n", "    roles: [product_owner]\n")
        self.plan(config=config)
        r = self.check()
        self.assertOnlyFindings(r, [
            "tandem.yaml:5:3: error: role 'product_owner' allows at most 1 person; 2 hold it (pat, dev) [role-count]",
            "tandem.yaml:5:3: error: role 'developer' needs at least 1 person; 0 hold it [role-count]"])

    def test_role_count_with_declared_roles(self):
        self.plan(config=MIN_CONFIG + dedent("""
            roles:
              product_owner: {min: 1, max: 1}
              project_manager: {min: 1}
              developer: {min: 2, max: 5}
            """))
        r = self.check()
        self.assertOnlyFindings(r, [
            "tandem.yaml:22:3: error: role 'developer' needs at least 2 people; 1 holds it (dev) [role-count]"])

    def test_separation_violation(self):
        config = MIN_CONFIG.replace("    roles: [project_manager]\n", "    roles: [project_manager, product_owner]\n")
        self.plan(config=config)
        r = self.check()
        self.assertFindings(r, [
            "tandem.yaml:12:12: error: 'max' holds project_manager and product_owner, which 'separate' says no one "
            "person may hold together [role-separation]"])

    def test_accountability_violation(self):
        self.plan({
            "backlog.yaml": ITEM + "    owner: dev\n",
            "roadmap.yaml": "milestones:\n  - {id: M1, title: Beta, owner: dev}\n",
            "risks.yaml": "risks:\n  - {id: R1, title: Risk, owner: pat}\n",
        })
        r = self.check()
        self.assertOnlyFindings(r, [
            "backlog.yaml:4:12: error: owner 'dev' of 'A-1' holds [developer]; the owner of a backlog record must be "
            "product_owner [not-accountable]",
            "risks.yaml:2:34: error: owner 'pat' of 'R1' holds [product_owner]; the owner of a risks record must be "
            "project_manager or developer [not-accountable]",
            "roadmap.yaml:2:34: error: owner 'dev' of 'M1' holds [developer]; the owner of a roadmap record must be "
            "product_owner or project_manager [not-accountable]",
        ])

    def test_unknown_role_and_duplicate_email(self):
        config = MIN_CONFIG.replace("    roles: [developer]\n", "    roles: [developer, tester]\n").replace(
            "dana@example.com", "PAT@Example.com")
        self.plan(config=config)
        r = self.check()
        self.assertOnlyFindings(r, [
            "tandem.yaml:15:12: error: email 'PAT@Example.com' of 'dev' is also the email of 'pat'; each commit author "
            "must map to one person [duplicate-email]",
            "tandem.yaml:16:24: error: role 'tester' in the roles of 'dev' is not declared under 'roles' "
            "[unknown-role]"])

    def test_empty_files(self):
        self.plan({"backlog.yaml": "", "roadmap.yaml": "\n\n", "risks.yaml": "# nothing yet\n"})
        r = self.check()
        self.assertOnlyFindings(r, [
            "backlog.yaml:1:1: error: the backlog file is empty [empty-file]",
            "risks.yaml:1:1: error: the risks file is empty [empty-file]",
            "roadmap.yaml:1:1: error: the roadmap file is empty [empty-file]"])
        self.assertIn("  hint: write 'items: []' for none", r.lines)

    def test_empty_config(self):
        self.plan(config="")
        r = self.check()
        self.assertExit(r, 1)
        self.assertEqual(error_lines(r)[0], "tandem.yaml:1:1: error: tandem.yaml is empty [empty-file]")

    def test_binary_garbage(self):
        garbage = bytes((i * 37 + 11) % 256 for i in range(4096))
        self.plan({"backlog.yaml": garbage})
        r = self.check()
        self.assertOnlyFindings(r, [
            "backlog.yaml:1:1: error: not valid UTF-8 text: control characters are not allowed (byte 0) "
            "[invalid-encoding]"])

    def test_nul_byte(self):
        self.plan({"backlog.yaml": b"items:\n  - id: A-1\n    title: a\x00b\n"})
        r = self.check()
        self.assertOnlyFindings(r, [
            "backlog.yaml:3:13: error: not valid UTF-8 text: control characters are not allowed (byte 31) "
            "[invalid-encoding]"])

    def test_invalid_utf8(self):
        self.plan({"backlog.yaml": b"items:\n  - id: A-1\n    title: caf\xe9 au lait\n"})
        r = self.check()
        self.assertExit(r, 1)
        self.assertOnlyFindings(r, [
            "backlog.yaml:3:16: error: not valid UTF-8 text: invalid trailing UTF-8 octet (byte 34) "
            "[invalid-encoding]"])
        self.assertIn("  hint: plan files must be UTF-8 text without control characters", r.lines)

    def test_invalid_utf8_leading_byte(self):
        self.plan({"backlog.yaml": b"items:\n  - id: A-1\n    title: \xff\n"})
        r = self.check()
        self.assertOnlyFindings(r, [
            "backlog.yaml:3:12: error: not valid UTF-8 text: invalid leading UTF-8 octet (byte 30) "
            "[invalid-encoding]"])

    def test_bom_and_crlf_are_valid(self):
        crlf = lambda s: ("\ufeff" + s.replace("\n", "\r\n")).encode("utf-8")
        self.plan({
            "tandem.yaml": crlf(MIN_CONFIG),
            "backlog.yaml": crlf(ITEM + "    description: |\n      two\n      lines\n"),
            "roadmap.yaml": crlf("milestones: []\n"),
            "risks.yaml": crlf("risks:\n  - id: R1\n    title: Risk\n    delay: [1, 2]\n"),
        }, config=None)
        r = self.check()
        self.assertExit(r, 0)
        self.assertEqual(r.out, "no findings in 4 files\n")
        # Positions stay right with CRLF and a BOM: the key on line 4 is reported at line 4, column 5.
        write_files(self.tmp, {"backlog.yaml": crlf(ITEM + "    vlaue: 1\n")})
        r = self.check()
        self.assertOnlyFindings(r, ["backlog.yaml:4:5: error: unknown key 'vlaue' in an item [unknown-key]"])

    def test_deep_nesting(self):
        depth = 100_000
        self.plan({"backlog.yaml": "items: " + "[" * depth + "]" * depth + "\n"})
        r = self.check()
        self.assertOnlyFindings(r, [
            "backlog.yaml:1:71: error: lists and mappings are nested more than 64 levels deep [too-deep]"])
        self.assertLess(r.seconds, 10)

    def test_deep_nesting_of_mappings(self):
        depth = 100_000
        self.plan(config=MIN_CONFIG + "x-deep: " + "{a: " * depth + "1" + "}" * depth + "\n")
        r = self.check()
        self.assertExit(r, 1)
        self.assertFindings(r, [
            "tandem.yaml:19:261: error: lists and mappings are nested more than 64 levels deep [too-deep]"])

    def test_alias_bomb(self):
        lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
        for prev, name in zip("abcdefgh", "bcdefghi"):
            lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
        self.plan(config=MIN_CONFIG + "x-bomb:\n" + "".join(f"  {l}\n" for l in lines))
        r = self.check()
        self.assertExit(r, 1)
        self.assertRegex(r.out, r"(?m)^tandem\.yaml:\d+:\d+: error: aliases expand to more than 1000000 nodes; tandem "
                                r"refuses alias bombs \[alias-limit\]$")
        self.assertLess(r.seconds, 5)

    def test_alias_bomb_in_an_item(self):
        lines = ["x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for prev, name in zip("abcdefgh", "bcdefghi"):
            lines.append(f"x-{name}: &{name} [{', '.join(['*' + prev] * 10)}]")
        self.plan({"backlog.yaml": ITEM + "".join(f"    {l}\n" for l in lines)})
        r = self.check()
        self.assertOnlyFindings(r, [
            "backlog.yaml:9:42: error: aliases expand to more than 1000000 nodes; tandem refuses alias bombs "
            "[alias-limit]"])
        self.assertLess(r.seconds, 5)

    def test_alias_bomb_beside_the_list_is_never_expanded(self):
        # Lists directly under the root are streamed element by element and not kept, so aliases to them add
        # nothing and the bomb never goes off; x- keys are ignored, so the file is valid.
        lines = ["x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for prev, name in zip("abcdefgh", "bcdefghi"):
            lines.append(f"x-{name}: &{name} [{', '.join(['*' + prev] * 10)}]")
        self.plan({"backlog.yaml": "\n".join(lines) + "\nitems: []\n"})
        r = self.check()
        self.assertExit(r, 0)
        self.assertLess(r.seconds, 5)

    def test_harmless_aliases_are_fine(self):
        self.plan({"backlog.yaml": "items:\n  - {id: A-1, title: &t Shared, tags: &tags [a, b]}\n"
                                   "  - {id: A-2, title: *t, tags: *tags}\n"})
        self.assertExit(self.check(), 0)

    def test_unknown_alias(self):
        self.plan({"backlog.yaml": "items:\n  - {id: A-1, title: *nowhere}\n"})
        r = self.check()
        self.assertOnlyFindings(r, [
            "backlog.yaml:2:22: error: alias '*nowhere' names no anchor defined before it [unknown-alias]"])

    def test_five_megabyte_line(self):
        title = "x" * (5 * 1024 * 1024)
        self.plan({"backlog.yaml": f"items:\n  - id: A-1\n    title: {title}\n  - id: A-2\n    title: t\n    vlaue: 1\n"})
        r = self.check()
        self.assertOnlyFindings(r, ["backlog.yaml:6:5: error: unknown key 'vlaue' in an item [unknown-key]"])
        self.assertLess(r.seconds, 5)

    def test_five_megabyte_key(self):
        # YAML limits implicit keys to 1024 characters (YAML 1.2, 7.4.1): a longer one is a syntax error.
        big = "k" * (5 * 1024 * 1024)
        self.plan({"backlog.yaml": f"items:\n  - id: A-1\n    title: t\n    {big}: 1\n"})
        r = self.check()
        self.assertOnlyFindings(r, [
            "backlog.yaml:4:5242885: error: YAML syntax error: could not find expected ':' while scanning a simple key "
            "(line 4, column 5) [yaml-syntax]"])
        self.assertLess(r.seconds, 5)

    def test_five_megabyte_id(self):
        big = "k" * (5 * 1024 * 1024)
        self.plan({"backlog.yaml": f"items:\n  - id: A{big}\n    title: t\n"})
        r = self.check()
        self.assertOnlyFindings(r, [f"backlog.yaml:2:9: error: 'A{'k' * 59}…' is not a valid id for 'id' [invalid-id]"])
        self.assertLess(r.seconds, 5)

    def test_long_email(self):
        self.plan(config=MIN_CONFIG.replace("pat@example.com", "p" * 100_000 + "@example.com"))
        r = self.check()
        self.assertExit(r, 0)

    def test_multiple_documents(self):
        self.plan({"backlog.yaml": ITEM + "---\nitems: []\n"})
        r = self.check()
        self.assertOnlyFindings(r, [
            "backlog.yaml:4:1: error: a plan file holds one YAML document; found a second '---' "
            "[multiple-documents]"])

    def test_unknown_tags(self):
        self.plan({"backlog.yaml": ITEM + "    description: !secret text\n    value: !!int abc\n"
                                          "    tags: !!set {a, b}\n"})
        r = self.check()
        self.assertFindings(r, [
            "backlog.yaml:4:18: error: unsupported YAML tag '!secret'; plan files use plain YAML values "
            "[unsupported-tag]",
            "backlog.yaml:5:12: error: 'abc' is not a valid !!int [bad-tag]",
            "backlog.yaml:6:11: error: unsupported YAML tag 'tag:yaml.org,2002:set'; plan files use plain YAML values "
            "[unsupported-tag]"])

    def test_standard_tags_are_fine(self):
        self.plan({"backlog.yaml": "items:\n  - id: !!str A-1\n    title: !!str 42\n    value: !!float 3\n"})
        self.assertExit(self.check(), 0)


# Three milestones and items that name them, for the first-cause cases below.
ROADMAP = """\
milestones:
  - id: M1
    title: Closed beta
    target: 2027-03-01
  - id: M2
    title: Public beta
    target: 2027-05-03
  - id: M3
    title: Launch
    target: 2027-07-01
"""

BACKLOG = """\
items:
  - {id: A-1, title: Cart, owner: pat, milestone: M1, estimate: 2}
  - {id: A-2, title: Pay, owner: pat, milestone: M2, estimate: 3, depends_on: [A-1]}
  - {id: A-3, title: Ship, owner: pat, milestone: M3, estimate: 1, depends_on: [A-2]}
"""

RISKS = """\
risks:
  - {id: R1, title: Provider, owner: max, affects: [A-2, M2]}
"""


class FirstCause(TandemTestCase):
    """SPEC 2, "the first cause first": check's whole output, compared with tests/e2e/expected/check_<case>.txt,
    so that a cascade of findings that only follow from the first one shows up as a diff."""

    def assertOutput(self, case, files, config=MIN_CONFIG):
        self.plan({"backlog.yaml": BACKLOG, "roadmap.yaml": ROADMAP, "risks.yaml": RISKS, **files}, config=config)
        r = self.check()
        self.assertExit(r, 1)
        self.assertEqual(r.err, "")
        self.assertEqual(r.out, (EXPECTED / f"check_{case}.txt").read_text(encoding="utf-8"))

    def test_an_unquoted_colon_in_a_value_is_one_finding_with_a_hint(self):
        self.assertOutput("colon", {"roadmap.yaml": ROADMAP.replace("title: Closed beta", "title: Closed beta: phase 1")})

    def test_a_syntax_error_late_in_a_file_gives_no_references_or_guesses_from_its_first_half(self):
        # M1 was read before the error; M2 and M3 were not: no "names no milestone", no "did you mean 'M1'?".
        self.assertOutput("late_error", {"roadmap.yaml": ROADMAP.replace("title: Public beta", "title: Public: beta")})

    def test_a_tab_in_the_indentation(self):
        self.assertOutput("tab", {"roadmap.yaml": ROADMAP.replace("    target: 2027-05-03", "\ttarget: 2027-05-03")})

    def test_a_line_indented_too_deep(self):
        self.assertOutput("indent", {"roadmap.yaml": ROADMAP.replace("    target: 2027-05-03", "      target: 2027-05-03")})

    def test_git_conflict_markers_are_an_unresolved_merge_conflict_at_the_marker(self):
        conflict = ROADMAP.replace("    target: 2027-05-03\n", "<<<<<<< HEAD\n    target: 2027-05-03\n=======\n"
                                   "    target: 2027-06-01\n>>>>>>> feature\n")
        self.assertOutput("conflict", {"roadmap.yaml": conflict})

    def test_a_syntax_error_comes_before_anything_in_another_file(self):
        self.assertOutput("order", {
            "backlog.yaml": BACKLOG.replace("owner: pat, milestone: M1", "owner: pat, milestone: M1, vlaue: 3"),
            "risks.yaml": RISKS + "  - id: R2\n    title: Ops: on call\n"})

    def test_a_config_that_does_not_parse_is_the_only_finding(self):
        self.assertOutput("config", {}, config=MIN_CONFIG.replace("name: Test project", "name: Test: project"))

    def test_a_misspelt_role_is_one_finding(self):
        self.assertOutput("role_typo", {}, config=MIN_CONFIG.replace("roles: [product_owner]", "roles: [product_ownr]"))

    def test_a_misspelt_accountable_role_is_one_finding(self):
        self.assertOutput("accountable_typo", {},
                          config=MIN_CONFIG + "accountable:\n  backlog: [product_ownr]\n")

    def test_an_invalid_done_date_is_not_also_a_missing_one(self):
        self.assertOutput("done_date", {"backlog.yaml": BACKLOG.replace(
            "estimate: 2}", "estimate: 2, status: done, done: 2027-02-30}")})

    def test_yes_where_a_boolean_is_due_gets_the_yaml_1_2_hint(self):
        self.assertOutput("yes", {"roadmap.yaml": ROADMAP.replace("target: 2027-03-01", "target: 2027-03-01\n"
                                                                  "    committed: yes")})

    def test_a_numbered_id_is_not_a_typo_of_another_number(self):
        # M4 is not M1 mistyped: no "did you mean". M-1 or MI are plausible typos of M1.
        self.assertOutput("numbers", {"backlog.yaml": BACKLOG.replace("milestone: M2", "milestone: M4").replace(
            "milestone: M3", "milestone: MI")})


class ExitCodes(TandemTestCase):
    """SPEC section 10: 2 when the command cannot run."""

    def assertCannotRun(self, r, message=None):
        self.assertExit(r, 2)
        self.assertEqual(r.out, "")
        if message:
            self.assertEqual(r.err, f"tandem: error: {message}\n")
        else:
            self.assertNotEqual(r.err, "")

    def test_no_config(self):
        empty = self.tmp / "empty"
        empty.mkdir()
        r = run("check", cwd=empty)
        self.assertExit(r, 2)
        self.assertEqual(r.out, "")
        # (The directory is printed with a trailing '/'.)
        self.assertRegex(r.err, rf"^tandem: error: no tandem\.yaml in {re.escape(str(empty))}/? or any parent directory "
                                r"\(run 'tandem init' to create one\)\n$")

    def test_missing_config_file_and_dir(self):
        self.assertCannotRun(run("--config", "nope.yaml", "check", cwd=self.tmp), "nope.yaml: no such file")
        self.assertCannotRun(run("-C", "nope", "check", cwd=self.tmp), "nope: no such directory")

    @unittest.skipIf(os.geteuid() == 0, "root reads files whatever their mode")
    def test_unreadable_file(self):
        self.plan({"backlog.yaml": ITEM})
        (self.tmp / "backlog.yaml").chmod(0)
        r = self.check()
        self.assertCannotRun(r)
        self.assertIn("backlog.yaml", r.err)

    @unittest.skipIf(os.geteuid() == 0, "root reads files whatever their mode")
    def test_unreadable_config(self):
        self.plan()
        (self.tmp / "tandem.yaml").chmod(0)
        self.assertCannotRun(self.check())

    def test_directory_instead_of_file(self):
        self.plan()
        (self.tmp / "backlog.yaml").mkdir()
        self.assertCannotRun(self.check(), "backlog.yaml is a directory, not a plan file")

    def test_bad_format(self):
        self.plan()
        r = run("--format", "xml", "check", cwd=self.tmp)
        self.assertCannotRun(r)
        self.assertRegex(r.err, r"^tandem: error: --format 'xml' is not available here \(choose text, json, csv, "
                                r"markdown, github, sarif\b.*\)\n$")

    def test_bad_today(self):
        self.plan()
        self.assertCannotRun(run("check", "--today", "2027-02-30", cwd=self.tmp),
                             "--today '2027-02-30' is not a valid date: that day does not exist "
                             "(February 2027 has 28 days)")
        self.assertCannotRun(run("check", "--today", "tomorrow", cwd=self.tmp),
                             "--today 'tomorrow' is not a valid date: write dates as YYYY-MM-DD")

    def test_bad_color(self):
        self.plan()
        self.assertCannotRun(run("--color", "sometimes", "check", cwd=self.tmp))

    def test_unknown_command(self):
        self.plan()
        self.assertCannotRun(run("frobnicate", cwd=self.tmp))

    def test_no_command_prints_the_short_help(self):
        r = run(cwd=self.tmp)
        self.assertEqual((r.code, r.err), (0, ""))
        self.assertIn("Usage: tandem", r.out)

    def test_unknown_option(self):
        self.plan()
        self.assertCannotRun(run("check", "--frobnicate", cwd=self.tmp))

    def test_file_too_large(self):
        self.plan({"backlog.yaml": ITEM})
        r = run("--max-file-size", "10", "check", cwd=self.tmp)
        self.assertExit(r, 2)
        self.assertIn("more than the limit of 10", r.err)

    def test_warnings_alone_exit_0(self):
        self.plan({"backlog.yaml": ITEM + "    status: done\n"})
        r = self.check()
        self.assertOnlyFindings(r, ["backlog.yaml:4:13: warning: 'A-1' is done but has no 'done:' date "
                                    "[missing-done-date]"], code=0)
        self.assertEqual(r.lines[-1], "0 errors, 1 warning in 2 files")


class Paths(TandemTestCase):
    """`files:` entries must stay inside the repository (SPEC section 1)."""

    def repo_with(self, files_section, extra=None):
        repo = self.tmp / "repo"
        self.plan(extra or {}, config=MIN_CONFIG + files_section, subdir="repo")
        git_init(repo)
        write_files(self.tmp, {"outside.yaml": "items:\n  - {id: SECRET, title: from outside}\n"})
        return repo

    def test_absolute_path(self):
        repo = self.repo_with(f"files:\n  backlog: {self.tmp / 'outside.yaml'}\n")
        r = self.check(cwd=repo)
        self.assertOnlyFindings(r, [f"tandem.yaml:20:12: error: '{self.tmp / 'outside.yaml'}' is an absolute path "
                                    f"[unsafe-path]"])
        self.assertIn("  hint: plan files must be inside the repository; use a relative path without '..'", r.lines)
        self.assertNotIn("SECRET", r.out)

    def test_etc_passwd(self):
        repo = self.repo_with("files:\n  risks: [risks.yaml, /etc/passwd]\n", {"risks.yaml": "risks: []\n"})
        r = self.check(cwd=repo)
        self.assertOnlyFindings(r, ["tandem.yaml:20:23: error: '/etc/passwd' is an absolute path [unsafe-path]"])

    def test_dot_dot(self):
        repo = self.repo_with("files:\n  backlog: ../outside.yaml\n  roadmap: [sub/../../outside.yaml]\n")
        r = self.check(cwd=repo)
        self.assertOnlyFindings(r, [
            "tandem.yaml:20:12: error: '../outside.yaml' leads outside the repository [unsafe-path]",
            "tandem.yaml:21:13: error: 'sub/../../outside.yaml' leads outside the repository [unsafe-path]"])

    def test_dot_dot_inside_is_fine(self):
        repo = self.repo_with("files:\n  backlog: sub/../plan/backlog.yaml\n", {"plan/backlog.yaml": ITEM})
        r = self.check(cwd=repo)
        self.assertExit(r, 0)
        self.assertEqual(r.out, "no findings in 2 files\n")

    def test_dot_dot_from_config_in_subdirectory_stays_inside(self):
        repo = self.tmp / "repo"
        self.plan({"shared/backlog.yaml": ITEM}, config=MIN_CONFIG + "files:\n  backlog: ../shared/backlog.yaml\n",
                  subdir="repo/plan")
        write_files(repo, {"shared/backlog.yaml": ITEM})
        git_init(repo)
        r = self.check(cwd=repo / "plan")
        self.assertExit(r, 0)
        self.assertEqual(r.out, "no findings in 2 files\n")

    def test_symlink_to_outside(self):
        repo = self.repo_with("files:\n  backlog: link.yaml\n")
        (repo / "link.yaml").symlink_to(self.tmp / "outside.yaml")
        r = self.check(cwd=repo)
        self.assertOnlyFindings(r, ["tandem.yaml:20:12: error: 'link.yaml' is a symbolic link [unsafe-path]"])
        self.assertNotIn("SECRET", r.out)

    def test_symlinked_directory_with_glob(self):
        repo = self.repo_with("files:\n  backlog: ['ext/*.yaml']\n")
        write_files(self.tmp, {"elsewhere/a.yaml": ITEM})
        (repo / "ext").symlink_to(self.tmp / "elsewhere")
        r = self.check(cwd=repo)
        self.assertOnlyFindings(r, ["tandem.yaml:20:13: error: 'ext' is a symbolic link [unsafe-path]"])

    def test_default_file_as_symlink_to_outside(self):
        repo = self.repo_with("")
        (repo / "backlog.yaml").symlink_to(self.tmp / "outside.yaml")
        r = self.check(cwd=repo)
        self.assertExit(r, 1)
        self.assertIn("'backlog.yaml' is a symbolic link [unsafe-path]", r.out)
        self.assertNotIn("SECRET", r.out)

    def test_symlink_inside_is_refused_too(self):
        # History never follows a link, so the working tree does not either (SPEC 3, the same files on every side).
        repo = self.repo_with("files:\n  backlog: link.yaml\n", {"real/backlog.yaml": ITEM})
        (repo / "link.yaml").symlink_to("real/backlog.yaml")
        r = self.check(cwd=repo)
        self.assertOnlyFindings(r, ["tandem.yaml:20:12: error: 'link.yaml' is a symbolic link [unsafe-path]"])

    def test_outside_a_repository_the_config_directory_is_the_limit(self):
        plan = self.tmp / "plan"
        self.plan(config=MIN_CONFIG + "files:\n  backlog: ../outside.yaml\n", subdir="plan")
        write_files(self.tmp, {"outside.yaml": ITEM})
        r = self.check(cwd=plan)
        self.assertOnlyFindings(r, ["tandem.yaml:20:12: error: '../outside.yaml' leads outside the repository "
                                    "[unsafe-path]"])

    def test_globs_across_files(self):
        repo = self.repo_with("files:\n  backlog: ['backlog/*.yaml']\n", {
            "backlog/a.yaml": "items:\n  - {id: A-1, title: a, depends_on: [B-1]}\n",
            "backlog/b.yaml": "items:\n  - {id: B-1, title: b}\n  - {id: B-2, title: c, depends_on: [A-1, Z-9]}\n",
            "backlog/c.yaml": "items:\n  - {id: A-1, title: again}\n",
            "backlog/notes.txt": "not yaml",
        })
        r = self.check(cwd=repo)
        self.assertOnlyFindings(r, [
            "backlog/b.yaml:3:43: error: 'Z-9' in 'depends_on' names no item [unknown-reference]",
            "backlog/c.yaml:2:10: error: duplicate id 'A-1' (first at backlog/a.yaml:2:10); items, milestones and risks "
            "share one namespace [duplicate-id]"])
        self.assertEqual(r.lines[-1], "2 errors, 0 warnings in 4 files")

    def test_glob_and_list(self):
        repo = self.repo_with("files:\n  backlog: [main.yaml, 'teams/*/backlog.yaml']\n", {
            "main.yaml": "items:\n  - {id: A-1, title: a, depends_on: [W-1, M-1]}\n",
            "teams/web/backlog.yaml": "items:\n  - {id: W-1, title: w}\n",
            "teams/mobile/backlog.yaml": "items:\n  - {id: M-1, title: m}\n",
        })
        r = self.check(cwd=repo)
        self.assertExit(r, 0)
        self.assertEqual(r.out, "no findings in 4 files\n")

    def test_glob_matching_nothing(self):
        repo = self.repo_with("files:\n  backlog: ['backlog/*.yaml']\n")
        r = self.check(cwd=repo)
        self.assertOnlyFindings(r, ["tandem.yaml:20:13: warning: 'backlog/*.yaml' matches no file [no-match]"], code=0)

    def test_missing_file(self):
        repo = self.repo_with("files:\n  backlog: [backlog.yaml, extra.yaml]\n  risks: risks/all.yaml\n",
                              {"backlog.yaml": ITEM})
        r = self.check(cwd=repo)
        self.assertOnlyFindings(r, [
            "tandem.yaml:20:27: error: 'extra.yaml' does not exist [missing-file]",
            "tandem.yaml:21:10: error: 'risks/all.yaml' does not exist [missing-file]"])

    def test_missing_default_files_are_fine(self):
        self.plan()
        r = self.check()
        self.assertExit(r, 0)
        self.assertEqual(r.out, "no findings in 1 file\n")


class Discovery(TandemTestCase):
    """tandem.yaml is found like git finds .git; paths are relative to the repository root."""

    def make(self):
        repo = self.tmp / "repo"
        self.plan({"backlog.yaml": ITEM + "    vlaue: 1\n"}, subdir="repo/plan")
        (repo / "plan" / "deep" / "er" / "still").mkdir(parents=True)
        git_init(repo)
        return repo

    FINDING = "plan/backlog.yaml:4:5: error: unknown key 'vlaue' in an item [unknown-key]"

    def test_from_a_subdirectory(self):
        repo = self.make()
        r = self.check(cwd=repo / "plan" / "deep" / "er" / "still")
        self.assertOnlyFindings(r, [self.FINDING])

    def test_dash_c(self):
        repo = self.make()
        self.assertOnlyFindings(run("-C", "repo/plan/deep", "check", cwd=self.tmp), [self.FINDING])
        self.assertOnlyFindings(run("-C", repo / "plan", "check", cwd="/"), [self.FINDING])

    def test_config_option(self):
        repo = self.make()
        (repo / "plan" / "tandem.yaml").rename(repo / "plan" / "team-plan.yaml")
        self.assertExit(run("check", cwd=repo / "plan"), 2)
        r = run("--config", "plan/team-plan.yaml", "check", cwd=repo)
        self.assertOnlyFindings(r, [self.FINDING])
        r = run("--config", repo / "plan" / "team-plan.yaml", "check", cwd="/")
        self.assertOnlyFindings(r, [self.FINDING])

    def test_config_directory_is_the_base_outside_git(self):
        self.plan({"backlog.yaml": ITEM + "    vlaue: 1\n"}, subdir="plan")
        r = self.check(cwd=self.tmp / "plan")
        self.assertOnlyFindings(r, ["backlog.yaml:4:5: error: unknown key 'vlaue' in an item [unknown-key]"])

    def test_nearest_config_wins(self):
        repo = self.make()
        self.plan({"backlog.yaml": ITEM}, subdir="repo/plan/deep")
        r = self.check(cwd=repo / "plan" / "deep" / "er")
        self.assertExit(r, 0)
        self.assertEqual(r.out, "no findings in 2 files\n")

    def test_config_at_repository_root(self):
        self.plan({"backlog.yaml": ITEM + "    vlaue: 1\n"})
        git_init(self.tmp)
        (self.tmp / "src").mkdir()
        r = self.check(cwd=self.tmp / "src")
        self.assertOnlyFindings(r, ["backlog.yaml:4:5: error: unknown key 'vlaue' in an item [unknown-key]"])


class Formats(TandemTestCase):
    """--format json, csv, markdown, github and sarif, and colour (SPEC sections 10 and 11)."""

    def make(self, errors=2):
        repo = self.tmp / "repo"
        items = "".join(f"  - {{id: A-{i}, title: 'Item, \"{i}\"', estimate: -1}}\n" for i in range(errors - 1))
        self.plan({"backlog.yaml": "items:\n" + items + "  - {id: Z, title: z, status: done}\n"},
                  config=MIN_CONFIG + "calender: {}\n", subdir="repo/plan")
        git_init(repo)
        return repo / "plan"

    def test_json(self):
        repo = self.make()
        r = self.check("--format", "json", cwd=repo)
        self.assertExit(r, 1)
        doc = r.json()
        self.assertEqual(doc["findings"], [
            {"severity": "error", "code": "out-of-range", "file": "plan/backlog.yaml", "line": 2, "column": 45,
             "message": "'estimate' must be greater than 0, not -1", "hint": None},
            {"severity": "warning", "code": "missing-done-date", "file": "plan/backlog.yaml", "line": 3,
             "column": 31, "message": "'Z' is done but has no 'done:' date",
             "hint": "add 'done: YYYY-MM-DD' so the forecast can use it"},
            {"severity": "error", "code": "unknown-key", "file": "plan/tandem.yaml", "line": 19, "column": 1,
             "message": "unknown key 'calender' in tandem.yaml", "hint": "did you mean 'calendar'?"},
        ])

    def test_json_without_findings(self):
        self.plan()
        r = self.check("--format", "json")
        self.assertExit(r, 0)
        self.assertEqual(r.json()["findings"], [])

    def test_csv(self):
        repo = self.make()
        r = self.check("--format", "csv", cwd=repo)
        self.assertExit(r, 1)
        rows = list(csv.reader(io.StringIO(r.out)))
        self.assertEqual(rows[0][:6], ["severity", "code", "file", "line", "column", "message"])
        self.assertEqual(len(rows), 4)
        self.assertEqual(rows[1][:6], ["error", "out-of-range", "plan/backlog.yaml", "2", "45",
                                       "'estimate' must be greater than 0, not -1"])
        self.assertEqual(rows[3][:6], ["error", "unknown-key", "plan/tandem.yaml", "19", "1",
                                       "unknown key 'calender' in tandem.yaml"])

    def test_csv_quotes_commas_and_quotes(self):
        self.plan({"backlog.yaml": "items:\n  - {id: A-1, title: t, owner: 'a,\"b'}\n"})
        r = self.check("--format", "csv")
        rows = list(csv.DictReader(io.StringIO(r.out)))
        self.assertEqual(rows[0]["message"], "'a,\"b' is not a valid id for 'owner'")

    def test_markdown(self):
        repo = self.make()
        r = self.check("--format", "markdown", cwd=repo)
        self.assertExit(r, 1)
        self.assertEqual(r.lines[0], "### tandem check")
        self.assertIn("| | Location | Finding | Code |", r.lines)
        self.assertIn("| ❌ | `plan/backlog.yaml:2:45` | 'estimate' must be greater than 0, not -1 | `out-of-range` |",
                      r.lines)
        self.assertIn("| ❌ | `plan/tandem.yaml:19:1` | unknown key 'calender' in tandem.yaml <br>*did you mean "
                      "'calendar'?* | `unknown-key` |", r.lines)
        self.assertEqual(r.lines[-1], "2 errors, 1 warning in 2 files.")

    def test_github(self):
        repo = self.make(errors=13)
        r = self.check("--format", "github", cwd=repo)
        self.assertExit(r, 1)
        annotations = [l for l in r.lines if l.startswith("::")]
        self.assertEqual(len([l for l in annotations if l.startswith("::error ")]), 10)
        self.assertEqual(len([l for l in annotations if l.startswith("::warning ")]), 1)
        self.assertEqual(annotations[0], "::error file=plan/backlog.yaml,line=2,col=45,title=tandem out-of-range::"
                                         "'estimate' must be greater than 0, not -1")
        # Every finding is also in the log as plain text, the 13 errors included.
        self.assertEqual(len([l for l in error_lines(r) if not l.startswith("::")]), 14)
        self.assertIn("plan/tandem.yaml:19:1: error: unknown key 'calender' in tandem.yaml [unknown-key]", r.lines)
        self.assertEqual(r.lines[-1], "13 errors, 1 warning in 2 files")

    def test_github_escapes(self):
        self.plan({"backlog.yaml": "items:\n  - {id: A-1, title: t, owner: 'a%b'}\n"})
        r = self.check("--format", "github")
        self.assertIn("::error file=backlog.yaml,line=2,col=32,title=tandem invalid-id::'a%25b' is not a valid id for "
                      "'owner' (hint: an id starts with a letter and has only letters, digits, '_', '.' and '-' "
                      "(at most 128))", r.lines)

    def test_sarif(self):
        repo = self.make()
        r = self.check("--format", "sarif", cwd=repo)
        self.assertExit(r, 1)
        log = r.json()
        self.assertEqual(log["version"], "2.1.0")
        run0 = log["runs"][0]
        self.assertEqual(run0["tool"]["driver"]["name"], "tandem")
        rule_ids = [rule["id"] for rule in run0["tool"]["driver"]["rules"]]
        for code in ("yaml-syntax", "duplicate-key", "unknown-key", "dependency-cycle", "unsafe-path",
                     "schema-violation", "role-separation"):
            self.assertIn(code, rule_ids)
        results = run0["results"]
        self.assertEqual([(x["ruleId"], x["level"]) for x in results],
                         [("out-of-range", "error"), ("missing-done-date", "warning"), ("unknown-key", "error")])
        for x in results:
            self.assertEqual(rule_ids[x["ruleIndex"]], x["ruleId"])
            self.assertTrue(x["message"]["text"])
        loc = results[0]["locations"][0]["physicalLocation"]
        self.assertEqual(loc["artifactLocation"]["uri"], "plan/backlog.yaml")
        self.assertEqual(loc["region"], {"startLine": 2, "startColumn": 45})
        self.assertEqual(results[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "plan/tandem.yaml")

    def test_color(self):
        repo = self.make()
        always = self.check("--color", "always", cwd=repo, env={"NO_COLOR": None})
        self.assertIn("\x1b[", always.out)
        self.assertIn("\x1b[1m\x1b[31merror:\x1b[0m", always.out)
        never = self.check("--color", "never", cwd=repo, env={"NO_COLOR": None, "FORCE_COLOR": "1"})
        self.assertNotIn("\x1b", never.out)
        no_color = self.check(cwd=repo, env={"NO_COLOR": "1", "FORCE_COLOR": "1"})
        self.assertNotIn("\x1b", no_color.out)
        piped = self.check(cwd=repo, env={"NO_COLOR": None})
        self.assertNotIn("\x1b", piped.out)
        self.assertEqual(never.out, piped.out)

    def test_quiet(self):
        repo = self.make()
        r = self.check("-q", cwd=repo)
        self.assertExit(r, 1)
        self.assertEqual(r.lines, [
            "plan/backlog.yaml:2:45: error: 'estimate' must be greater than 0, not -1 [out-of-range]",
            "plan/tandem.yaml:19:1: error: unknown key 'calender' in tandem.yaml [unknown-key]",
            "  hint: did you mean 'calendar'?"])

    def test_sorted_by_file_and_line(self):
        self.plan({
            "backlog.yaml": "items:\n  - {id: B, title: b, value: x}\n  - {id: A, title: a, value: y}\n",
            "risks.yaml": "risks:\n  - {id: R, title: r, impact: 9}\n",
        }, config=MIN_CONFIG + "colour: blue\n")
        r = self.check()
        files_lines = [tuple(l.split(":")[:2]) for l in error_lines(r)]
        self.assertEqual(files_lines, [("backlog.yaml", "2"), ("backlog.yaml", "3"), ("risks.yaml", "2"),
                                       ("tandem.yaml", "19")])


class OtherCommands(TandemTestCase):
    """init, rules, schema, --version and help."""

    def test_init_writes_a_plan_that_check_accepts(self):
        target = self.tmp / "new"
        target.mkdir()
        r = run("init", cwd=target)
        self.assertExit(r, 0)
        for name in ("tandem.yaml", "backlog.yaml", "roadmap.yaml", "risks.yaml"):
            text = (target / name).read_text()
            self.assertTrue(text.startswith("# yaml-language-server: $schema="), name)
        for kind in ("config", "backlog", "roadmap", "risks"):
            written = json.loads((target / ".tandem" / "schemas" / f"{kind}.schema.json").read_text())
            self.assertEqual(written, json.loads((SCHEMAS / f"{kind}.schema.json").read_text()))
        r = run("check", "--today", "2027-01-04", cwd=target)
        self.assertExit(r, 0)
        self.assertEqual(r.out, "no findings in 4 files\n")

    def test_init_into_a_named_directory(self):
        r = run("init", "fresh", cwd=self.tmp)
        self.assertExit(r, 0)
        self.assertTrue((self.tmp / "fresh" / "tandem.yaml").is_file())
        self.assertExit(run("-C", "fresh", "check", "--today", "2027-01-04", cwd=self.tmp), 0)

    def test_init_never_overwrites(self):
        target = self.tmp / "new"
        target.mkdir()
        self.assertExit(run("init", cwd=target), 0)
        (target / "backlog.yaml").write_text("items: []\n")
        before = snapshot(target)
        time.sleep(0.02)
        r = run("init", cwd=target)
        self.assertExit(r, 2)
        self.assertTrue(r.err.startswith("tandem: error: "), r.err)
        self.assertIn("init never overwrites a file", r.err)
        self.assertEqual(snapshot(target), before)

    def test_init_refuses_when_one_file_exists(self):
        target = self.tmp / "new"
        write_files(target, {"risks.yaml": "risks: []\n"})
        before = snapshot(target)
        r = run("init", cwd=target)
        self.assertExit(r, 2)
        self.assertEqual(r.err, "tandem: error: risks.yaml already exists in .; init never overwrites a file\n")
        self.assertEqual(snapshot(target), before)
        self.assertFalse((target / "tandem.yaml").exists())

    DEFAULT_RULES = {
        "backlog": {
            "create": "product_owner", "delete": "product_owner",
            "fields": {"estimate": "developer", "remaining": "developer", "size": ["developer", "product_owner"],
                       "depends_on": ["developer", "project_manager"], "assignee": "project_manager",
                       "started": ["developer", "project_manager"], "status": ["developer", "project_manager"],
                       "status=dropped": "product_owner",
                       "done": ["developer", "project_manager"], "*": "product_owner"}},
        "roadmap": {
            "create": "product_owner", "delete": "product_owner",
            "fields": {"target": "project_manager",
                       "target if committed": {"all": ["product_owner", "project_manager"]},
                       "committed": {"all": ["product_owner", "project_manager"]},
                       "depends_on": "project_manager", "owner": "project_manager", "*": "product_owner"}},
        "risks": {
            "create": ["project_manager", "developer"], "delete": "project_manager",
            "fields": {"status": ["project_manager", "developer"], "mitigation": ["project_manager", "developer"],
                       "review": ["project_manager", "developer"], "*": "project_manager"}},
        "config": {
            "create": {"all": ["product_owner", "project_manager"]},
            "delete": {"all": ["product_owner", "project_manager"]},
            "fields": {"*": {"all": ["product_owner", "project_manager"]}}},
    }

    def test_rules_prints_the_defaults(self):
        self.plan()
        r = run("rules", cwd=self.tmp)
        self.assertExit(r, 0)
        self.assertEqual(yaml.safe_load(r.out), {"ownership": self.DEFAULT_RULES})
        for line in ["ownership:", "  backlog:", "    create: product_owner", "      estimate: developer",
                     "      size: [developer, product_owner]", "      status=dropped: product_owner",
                     "      target: project_manager", "      target if committed: {all: [product_owner, project_manager]}",
                     "    create: [project_manager, developer]", '      "*": product_owner']:
            self.assertIn(line, r.lines)

    def test_rules_reflects_the_ownership_section(self):
        self.plan(config=MIN_CONFIG + dedent("""
            ownership:
              backlog:
                fields:
                  estimate: [developer, project_manager]
                  title: {all: [product_owner, developer]}
              risks:
                "*": developer
            """))
        r = run("rules", cwd=self.tmp)
        self.assertExit(r, 0)
        rules = yaml.safe_load(r.out)["ownership"]
        self.assertEqual(rules["backlog"]["fields"]["estimate"], ["developer", "project_manager"])
        self.assertEqual(rules["backlog"]["fields"]["title"], {"all": ["product_owner", "developer"]})
        self.assertEqual(rules["backlog"]["fields"]["status"], ["developer", "project_manager"])
        self.assertEqual(rules["risks"], {"create": "developer", "delete": "developer", "fields": {"*": "developer"}})
        self.assertEqual(rules["roadmap"], self.DEFAULT_RULES["roadmap"])

    def test_rules_format_yaml_pastes_back_into_tandem_yaml(self):
        # `--format yaml` is the block to paste into tandem.yaml: pasted, the rules in force are the same.
        self.plan(config=MIN_CONFIG + "ownership:\n  backlog:\n    fields:\n      title: {all: [product_owner, developer]}\n")
        r = run("rules", "--format", "yaml", cwd=self.tmp)
        self.assertExit(r, 0)
        self.assertEqual(r.out, run("rules", cwd=self.tmp).out)
        before = yaml.safe_load(r.out)
        self.assertEqual(before["ownership"]["backlog"]["fields"]["title"], {"all": ["product_owner", "developer"]})
        with open(os.path.join(self.tmp, "tandem.yaml"), "w", encoding="utf-8") as f:
            f.write(MIN_CONFIG + r.out)
        self.assertExit(run("check", cwd=self.tmp), 0)
        again = run("rules", "--format", "yaml", cwd=self.tmp)
        self.assertExit(again, 0)
        self.assertEqual(yaml.safe_load(again.out), before)
        self.assertExit(run("rules", "--format", "csv", cwd=self.tmp), 2)

    def test_rules_with_a_broken_ownership_section(self):
        self.plan(config=MIN_CONFIG + "ownership:\n  backlog:\n    fields:\n      titel: product_owner\n")
        r = run("rules", cwd=self.tmp)
        self.assertExit(r, 1)
        self.assertIn("tandem.yaml:22:7: error: 'titel' is not a field of backlog", r.err)

    def test_schema_prints_each_schema(self):
        for kind in ("config", "backlog", "roadmap", "risks"):
            with self.subTest(kind=kind):
                r = run("schema", kind, cwd=self.tmp)
                self.assertExit(r, 0)
                self.assertEqual(json.loads(r.out), json.loads((SCHEMAS / f"{kind}.schema.json").read_text()))

    def test_schema_unknown_kind(self):
        r = run("schema", "items", cwd=self.tmp)
        self.assertExit(r, 2)
        self.assertEqual(r.err, "tandem: error: unknown schema 'items' (choose config, backlog, roadmap or risks)\n")

    def test_version(self):
        r = run("--version", cwd=self.tmp)
        self.assertExit(r, 0)
        self.assertRegex(r.out, r"^tandem \d+\.\d+\.\d+\S*\n$")

    def test_help(self):
        r = run("help", "check", cwd=self.tmp)
        self.assertExit(r, 0)
        self.assertIn("Check that the plan is well-formed", r.out)
        r2 = run("check", "--help", cwd=self.tmp)
        self.assertExit(r2, 0)
        self.assertIn("Check that the plan is well-formed", r2.out)
        top = run("--help", cwd=self.tmp)
        self.assertExit(top, 0)
        for command in ("check", "rules", "init", "schema", "help"):
            self.assertIn(command, top.out)
        self.assertExit(run("help", "frobnicate", cwd=self.tmp), 2)


class OneWording(TandemTestCase):
    """Issue 16: one rounding rule, one spelling of a status, and empty results in one sentence."""

    def test_a_score_of_33_over_8_is_4_13_in_every_table_format(self):
        self.plan({"backlog.yaml": "items:\n  - {id: A, title: T, value: 20, time_criticality: 8, risk_reduction: 5, "
                                   "size: 8}\n"}, config=MIN_CONFIG.replace("  model: manual\n", "  model: wsjf\n"))
        text = run("priority", "--today", TODAY, cwd=self.tmp)
        self.assertExit(text, 0)
        self.assertRegex(text.out, r"(?m)^ +1 +A +T +4\.13 ")
        self.assertIn("| 4.13 |", run("--format", "markdown", "priority", "--today", TODAY, cwd=self.tmp).out)
        self.assertIn(",4.13,", run("--format", "csv", "priority", "--today", TODAY, cwd=self.tmp).out)
        self.assertEqual(run("--format", "json", "priority", "--today", TODAY, cwd=self.tmp).json()["items"][0]["score"],
                         4.125)

    def test_empty_results_are_one_sentence(self):
        self.plan({"backlog.yaml": "items: []\n",
                   "risks.yaml": "risks:\n  - {id: R1, title: R, owner: max, review: 2027-12-01}\n"})
        for fmt in ("text", "markdown"):
            with self.subTest(fmt):
                r = run("--format", fmt, "risks", "--overdue", "--today", TODAY, cwd=self.tmp)
                self.assertExit(r, 0)
                self.assertEqual(r.out, "No overdue risks.\n")
                r = run("--format", fmt, "schedule", "--today", TODAY, cwd=self.tmp)
                self.assertEqual(r.out, "Nothing to schedule.\n")
                r = run("--format", fmt, "priority", "--today", TODAY, cwd=self.tmp)
                self.assertEqual(r.out, "No undone items.\n")
        (self.tmp / "risks.yaml").write_text("risks: []\n")
        self.assertEqual(run("risks", "--today", TODAY, cwd=self.tmp).out, "No open risks.\n")
        report = run("report", "--today", TODAY, cwd=self.tmp)
        self.assertIn("\nRisks\n\nNo open risks.\n", report.out)
        self.assertIn("No open risks.", run("--format", "markdown", "report", "--today", TODAY, cwd=self.tmp).out)

    def test_report_and_schedule_json_spell_a_status_alike(self):
        self.plan({"backlog.yaml": "items:\n  - {id: A, title: T, milestone: M1, estimate: 20}\n"
                                   "  - {id: B, title: T, milestone: M2, estimate: 1}\n",
                   "roadmap.yaml": "milestones:\n  - {id: M1, title: Late, target: 2027-01-20}\n"
                                   "  - {id: M2, title: Fine, target: 2027-12-01}\n  - {id: M3, title: Empty}\n"})
        schedule = {m["id"]: (m["status"], m["late_by"])
                    for m in run("--format", "json", "schedule", "--today", TODAY, cwd=self.tmp).json()["milestones"]}
        report = {m["id"]: (m["status"], m["late_by"])
                  for m in run("--format", "json", "report", "--today", TODAY, cwd=self.tmp).json()["milestones"]}
        self.assertEqual(report, schedule)
        self.assertEqual(report["M1"][0], "late")
        self.assertGreater(report["M1"][1], 0)
        self.assertEqual(report["M2"], ("on_track", None))


class ReadOnly(TandemTestCase):
    """tandem never writes a plan file (SPEC section 10)."""

    def test_check_writes_nothing(self):
        plan = self.copy_example("webshop")
        git_init(plan)
        before = snapshot(plan)
        time.sleep(0.02)
        for fmt in ("text", "json", "csv", "markdown", "github", "sarif"):
            r = run("--format", fmt, "check", "--today", "2026-11-28", cwd=plan)
            self.assertExit(r, 0)
        self.assertExit(run("rules", cwd=plan), 0)
        self.assertEqual(snapshot(plan), before)
        self.assertEqual(sorted(p.name for p in plan.iterdir()),
                         sorted([".git"] + [p.name for p in (EXAMPLES / "webshop").iterdir()]))

    def test_broken_plan_is_not_rewritten(self):
        plan = self.copy_example("broken")
        before = snapshot(plan)
        self.assertExit(run("check", "--today", "2026-11-28", cwd=plan), 1)
        self.assertEqual(snapshot(plan), before)


if __name__ == "__main__":
    unittest.main()
