"""End-to-end tests of `tandem report` (SPEC section 8): markdown with a Mermaid gantt chart, one HTML file.

Tested as a user sees it:
* the Mermaid block is parsed by Mermaid's own parser (the `mermaid` npm package with jsdom, in Node,
  offline: mermaid_gantt.mjs), which also compiles every task as rendering would;
* the HTML report is opened in a real browser (Debian's chromium, headless): no console errors, a
  screenshot that is not blank and shows the critical chain in red, no horizontal overflow at phone
  width; every inline SVG parses as XML; the file refers to nothing outside itself.

The tools come from .ci/run: chromium from .ci/packages-test, mermaid and jsdom from npm into build/node.
.ci/run sets TANDEM_NODE_MODULES; when it is set, a missing tool is a failure. Run by hand without it,
the tests that need a missing tool are skipped.
"""

import datetime
import html
import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET
import zlib
from html.parser import HTMLParser
from pathlib import Path

from tandem_e2e import BIN, EXAMPLES, MIN_CONFIG, SOURCE_DIR, TandemTestCase, git_init, need, run

TODAY = "2027-01-04"
HERE = Path(__file__).resolve().parent
NODE_MODULES = Path(os.environ.get("TANDEM_NODE_MODULES") or SOURCE_DIR / "build" / "node" / "node_modules")

# A title with markup, quotes, Mermaid and markdown syntax, an emoji and right-to-left text.
HOSTILE = "<script>alert(\"x\")</script> 'q' \"dq\" a:b #1; c|d & `e` %% {f} 🚀 עברית مرحبا"


# ---- Mermaid ---------------------------------------------------------------------------------------

def mermaid_blocks(markdown):
    """The Mermaid blocks but the burn-up and throughput charts (xychart-beta, test_planning.py checks them)."""
    return [b for b in re.findall(r"^```mermaid\n(.*?)^```$", markdown, re.S | re.M) if not b.startswith("xychart-beta")]


def mermaid_parse(test, chart):
    """Parses `chart` with Mermaid's gantt parser; returns (exit code, parsed JSON or None, stderr)."""
    need(test, shutil.which("node") and (NODE_MODULES / "mermaid").is_dir() and (NODE_MODULES / "jsdom").is_dir(),
         f"node with mermaid and jsdom in {NODE_MODULES}")
    p = subprocess.run(["node", str(HERE / "mermaid_gantt.mjs"), str(NODE_MODULES)], input=chart.encode(),
                       capture_output=True, timeout=120, env={**os.environ, "TZ": "UTC"})
    out = json.loads(p.stdout) if p.returncode == 0 else None
    return p.returncode, out, p.stderr.decode("utf-8", "replace")


def mermaid_id(prefix, id_):
    """tandem's Mermaid task id for an item (prefix t_) or a milestone (mt_ target, mf_ planned finish)."""
    return prefix + "".join(c if c.isalnum() else {"_": "__", ".": "_o", "-": "_h"}[c] for c in id_)


# ---- Chromium --------------------------------------------------------------------------------------

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                  "--enable-logging=stderr", "--v=0", "--hide-scrollbars"]


def chromium_binary():
    return shutil.which("chromium") or shutil.which("chromium-browser")


def chromium(test, page, *args, width=1200, height=2000):
    """Opens `page` in headless chromium with `args` (--screenshot=… or --dump-dom); returns (stdout, console lines)."""
    binary = chromium_binary()
    need(test, binary, "chromium")
    with tempfile.TemporaryDirectory(prefix="tandem-chromium-") as profile:
        p = subprocess.run([binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
                            *args, Path(page).resolve().as_uri()], capture_output=True, timeout=120)
    err = p.stderr.decode("utf-8", "replace")
    test.assertEqual(p.returncode, 0, err)
    console = [l for l in err.splitlines() if re.search(r"CONSOLE[(:]", l)]
    return p.stdout.decode("utf-8", "replace"), console


def png_pixels(path):
    """Decodes an 8-bit RGB or RGBA PNG (what chromium writes); returns (width, height, rows of (r, g, b))."""
    width, height, bpp, rows = png_rows(path)
    return width, height, [[tuple(row[x * bpp:x * bpp + 3]) for x in range(width)] for row in rows]


def picture_facts(path):
    """(share of pixels that differ from the most common colour, number of distinct colours, has crit red)."""
    _, _, rows = png_pixels(path)
    counts = {}
    for row in rows:
        for px in row:
            counts[px] = counts.get(px, 0) + 1
    total = sum(counts.values())
    background = max(counts.values())
    red = sum(n for (r, g, b), n in counts.items() if abs(r - 0xc7) < 12 and abs(g - 0x36) < 12 and abs(b - 0x2f) < 12)
    return 1 - background / total, len(counts), red


# ---- HTML ------------------------------------------------------------------------------------------

class TextOf(HTMLParser):
    """The text of a page, with the contents of <title> and SVG <title> elements, as a browser decodes it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for _, v in attrs:
            if v:
                self.parts.append(v)

    def handle_data(self, data):
        self.parts.append(data)


def html_text(page):
    p = TextOf()
    p.feed(page)
    return p


def svgs(page):
    return re.findall(r"<svg\b.*?</svg>", page, re.S)


def external_references(page):
    """Anything in the page that would make a browser load something: scripts, links, images, url(), @import."""
    found = re.findall(r"<(?:script|link|img|iframe|object|embed|image|use|foreignObject)\b[^>]*>", page, re.I)
    found += re.findall(r"\b(?:src|href|xlink:href)\s*=\s*\"[^\"#][^\"]*\"", page, re.I)
    found += re.findall(r"url\(|@import|@font-face", page, re.I)
    found += [u for u in re.findall(r"https?://[^\s\"'<>)]+", page) if u != "http://www.w3.org/2000/svg"]
    return found


class ReportCase(TandemTestCase):

    def report(self, *args, cwd):
        return run("report", "--today", TODAY, *args, cwd=cwd)

    def webshop(self):
        """A copy of examples/webshop in its own git repository (one commit), so that the report has history."""
        root = self.copy_example("webshop")
        git_init(root)
        subprocess.run(["git", "add", "-A"], cwd=root, check=True)
        subprocess.run(["git", "-c", "commit.gpgsign=false", "commit", "-qm", "plan"], cwd=root, check=True,
                       env={**os.environ, "GIT_AUTHOR_DATE": "2026-12-30T10:00:00", "GIT_COMMITTER_DATE": "2026-12-30T10:00:00"})
        return root

    def hostile(self):
        """A plan whose project, items, milestones, risks and people carry HOSTILE text, and ids Mermaid could misread."""
        config = MIN_CONFIG.replace("name: Test project", "name: " + json.dumps(HOSTILE, ensure_ascii=False))
        return self.plan({
            "tandem.yaml": config,
            "backlog.yaml": f"""\
                items:
                  - id: section
                    title: {json.dumps(HOSTILE, ensure_ascii=False)}
                    milestone: M1
                    estimate: 2
                  - id: gantt.1
                    title: "click here: now 🚀 עברית"
                    milestone: M1
                    estimate: 1
                    depends_on: [section]
                  - id: A-1
                    title: "dash"
                    milestone: M1
                    estimate: 1
                  - id: A.1
                    title: "dot"
                    milestone: M1
                    estimate: 1
                  - id: A_1
                    title: "%%{{init: {{}}}}%% 100%"
                    estimate: 1
                  - id: done1
                    title: {json.dumps(HOSTILE, ensure_ascii=False)}
                    status: done
                    done: 2027-01-01
                """,
            "roadmap.yaml": f"""\
                milestones:
                  - id: M1
                    title: {json.dumps(HOSTILE, ensure_ascii=False)}
                    target: 2027-01-20
                  - id: title
                    title: "keyword id"
                """,
            "risks.yaml": f"""\
                risks:
                  - id: R1
                    title: {json.dumps(HOSTILE, ensure_ascii=False)}
                    probability: 4
                    impact: 5
                    owner: max
                    affects: [M1]
                """,
        })


class MarkdownReport(ReportCase):

    def test_webshop_markdown_has_a_gantt_chart_that_mermaid_parses(self):
        root = self.webshop()
        r = self.report("--format", "markdown", cwd=root)
        self.assertExit(r, 0)
        for heading in ("# Status report: Webshop relaunch 2027", "## Milestones", "## Top priorities", "## Risks",
                        "## Changes in the last 14 days"):
            self.assertIn(heading, r.out)
        blocks = mermaid_blocks(r.out)
        self.assertEqual(len(blocks), 1, r.out)
        code, chart, err = mermaid_parse(self, blocks[0])
        self.assertEqual(code, 0, err + blocks[0])
        self.assertEqual(chart["title"], "Webshop relaunch 2027")

        schedule = run("schedule", "--today", TODAY, "--format", "json", cwd=root).json()
        critical = {mermaid_id("t_", i["id"]): i["critical"] for i in schedule["items"]}
        tasks = [t for t in chart["tasks"] if not t["milestone"]]
        self.assertTrue(tasks)
        self.assertEqual(len({t["id"] for t in chart["tasks"]}), len(chart["tasks"]), "Mermaid ids are unique")
        for t in tasks:
            self.assertIn(t["id"], critical)
            self.assertEqual(t["crit"], critical[t["id"]], t)
            self.assertLessEqual(t["start"], t["end"])
        self.assertTrue(any(t["crit"] for t in tasks), "the critical chain is marked crit")
        # Every milestone with a target or a planned finish is a Mermaid milestone.
        milestones = {t["id"] for t in chart["tasks"] if t["milestone"]}
        for m in schedule["milestones"]:
            if m["target"]:
                self.assertIn(mermaid_id("mt_", m["id"]), milestones)
            if m["finish"]:
                self.assertIn(mermaid_id("mf_", m["id"]), milestones)

    def test_mermaid_check_catches_a_broken_block(self):
        good = "gantt\n    dateFormat YYYY-MM-DD\n    section A\n    A-1 x :crit, t_A, 2027-01-04, 2027-01-08\n"
        code, chart, err = mermaid_parse(self, good)
        self.assertEqual(code, 0, err)
        self.assertEqual(chart["tasks"][0]["crit"], True)
        for broken in (good.replace("A-1 x", "A-1: x"),              # an unescaped ':' in a title
                       good.replace("2027-01-04", "2027-13-45"),      # an impossible date
                       good.replace("gantt", "gant"),                 # not a gantt chart
                       ):
            code, _, err = mermaid_parse(self, broken)
            self.assertNotEqual(code, 0, broken)
        # A task line that starts with a keyword is no task: Mermaid fails or silently loses the task.
        for keyword_id in ("section", "gantt.1 x", "Title x", "excludes x", "click x"):
            code, chart, err = mermaid_parse(self, good.replace("A-1 x", keyword_id))
            self.assertTrue(code != 0 or not chart["tasks"], (keyword_id, chart))

    def test_hostile_titles_and_ids_are_escaped_in_markdown_and_mermaid(self):
        root = self.hostile()
        r = self.report("--format", "markdown", cwd=root)
        self.assertExit(r, 0)
        # Text that could be markup stands in a code span: a GFM renderer shows it, and runs none of it.
        rendered = subprocess.run(["cmark-gfm", "-e", "table", "-e", "autolink"], input=r.out, capture_output=True,
                                  text=True, check=True).stdout
        self.assertNotIn("<script", rendered)
        self.assertIn("<code>&lt;script&gt;alert", rendered)
        self.assertIn("c\\|d", r.out)             # a '|' does not split a table cell
        self.assertIn("🚀 עברית مرحبا", r.out)   # emoji and right-to-left text are kept
        blocks = mermaid_blocks(r.out)
        self.assertEqual(len(blocks), 1, r.out)
        code, chart, err = mermaid_parse(self, blocks[0])
        self.assertEqual(code, 0, err + blocks[0])
        ids = [t["id"] for t in chart["tasks"]]
        for item in ("section", "gantt.1", "A-1", "A.1", "A_1"):
            self.assertIn(mermaid_id("t_", item), ids, blocks[0])   # no item lost to a keyword or an id clash
        self.assertEqual(len(set(ids)), len(ids))
        hostile_task = next(t for t in chart["tasks"] if t["id"] == mermaid_id("t_", "section"))
        for c in "<>:#;\"":
            self.assertNotIn(c, hostile_task["task"])
        self.assertTrue(hostile_task["task"].strip().endswith("…"), "long titles are cut")
        short = next(t for t in chart["tasks"] if t["id"] == mermaid_id("t_", "gantt.1"))
        self.assertIn("🚀 עברית", short["task"])
        self.assertIn(mermaid_id("mt_", "M1"), ids)

    def test_empty_plans_give_a_report_that_says_so(self):
        cases = {
            "no items": {"backlog.yaml": "items: []\n"},
            "no milestones, no history": {"backlog.yaml": "items:\n  - id: A\n    title: a\n    estimate: 1\n"},
        }
        for name, files in cases.items():
            with self.subTest(name):
                root = self.plan(files, subdir=name.replace(" ", "_").replace(",", ""))
                md = self.report("--format", "markdown", cwd=root)
                self.assertExit(md, 0)
                self.assertIn("No milestones.", md.out)
                self.assertIn("No forecast: no usable throughput history.", md.out)
                self.assertIn("Skipped: the plan is not in a git repository.", md.out)
                self.assertIn("No open risks.", md.out)
                if name == "no items":
                    self.assertIn("Nothing is scheduled.", md.out)
                    self.assertIn("No undone items.", md.out)
                    self.assertEqual(mermaid_blocks(md.out), [])
                else:
                    code, chart, err = mermaid_parse(self, mermaid_blocks(md.out)[0])
                    self.assertEqual(code, 0, err)
                page = self.report("--format", "html", cwd=root)
                self.assertExit(page, 0)
                for svg in svgs(page.out):
                    ET.fromstring(svg)
                text = " ".join(html_text(page.out).parts)
                self.assertIn("No milestones.", text)
                self.assertIn("No forecast: no usable throughput history.", text)
                self.assertIn("No open risks.", text)
                if name == "no items":
                    self.assertIn("Nothing is scheduled.", text)
                # The text report says the same things.
                plain = self.report(cwd=root)
                self.assertExit(plain, 0)
                for said in ("No milestones.", "no forecast: no usable throughput history", "No open risks.",
                             "Skipped: the plan is not in a git repository."):
                    self.assertIn(said, plain.out)
                self.assertEqual("Nothing is scheduled." in plain.out, name == "no items")
                if name == "no items":
                    self.assertIn("No undone items.", plain.out)

    def test_every_format_lists_the_same_top_risks_and_says_when_it_leaves_some_out(self):
        # examples/webshop has 8 open risks: every format lists the top 5, by rank, and says so.
        root = self.webshop()
        top = [r["id"] for r in self.report("--format", "json", cwd=root).json()["risks"]]
        self.assertEqual(top, ["R3", "R1", "R4", "R2", "R6"])
        cut = "The top 5 of 8 open risks; `tandem risks` lists all."
        text = self.report(cwd=root).out
        section = text[text.index("\nRisks\n"):text.index("\nOwnership violations")]
        self.assertEqual(re.findall(r"^ +\d+  (R\d+) ", section, re.M), top)
        self.assertIn(cut, section)
        md = self.report("--format", "markdown", cwd=root).out
        section = md[md.index("## Risks"):md.index("## Ownership violations")]
        self.assertEqual(re.findall(r"^\| \d+ \| (R\d+) \|", section, re.M), top)
        self.assertIn(cut, section)
        page = self.report("--format", "html", cwd=root).out
        section = page[page.index('<section id="risks">'):page.index('<section id="violations">')]
        self.assertEqual(re.findall(r"<td[^>]*>(R\d+)</td>", section), top)
        self.assertIn(cut, " ".join(html_text(section).parts))


class HtmlReport(ReportCase):

    def test_html_is_self_contained_and_its_svg_is_xml(self):
        root = self.webshop()
        r = self.report("--format", "html", cwd=root)
        self.assertExit(r, 0)
        self.assertTrue(r.out.startswith("<!DOCTYPE html>"))
        self.assertEqual(external_references(r.out), [])
        charts = svgs(r.out)
        self.assertGreaterEqual(len(charts), 2)   # the Gantt chart and a histogram per milestone
        for svg in charts:
            ET.fromstring(svg)
        self.assertIn("Gantt chart of the schedule", r.out)
        self.assertIn("P50", r.out)
        self.assertIn("P85", r.out)
        self.assertIn('class="heat"', r.out)
        self.assertIn("@media print", r.out)
        self.assertIn('name="viewport"', r.out)

    def test_the_check_for_external_references_can_fail(self):
        for page in ('<script src="https://cdn.example/x.js"></script>', '<link rel="stylesheet" href="a.css">',
                     '<style>@import "x.css"</style>', '<img src="x.png">', "<style>b{background:url(x.png)}</style>"):
            self.assertNotEqual(external_references(page), [], page)

    def test_hostile_titles_are_escaped_in_html_and_svg(self):
        root = self.hostile()
        r = self.report("--format", "html", "-o", self.tmp / "r.html", cwd=root)
        self.assertExit(r, 0)
        page = (self.tmp / "r.html").read_text("utf-8")
        self.assertNotIn("<script", page)
        self.assertEqual(external_references(page), [])
        for svg in svgs(page):
            tree = ET.fromstring(svg)
            for el in tree.iter():
                self.assertIn(el.tag.split("}")[-1], {"svg", "line", "text", "rect", "title", "path"}, el.tag)
        parsed = html_text(page)
        self.assertNotIn("script", parsed.tags)
        text = "\n".join(parsed.parts)
        # The browser shows the title exactly as written: in the page, in the tables and in SVG tooltips.
        self.assertGreaterEqual(text.count(HOSTILE), 3, text)
        self.assertIn("Status report: " + HOSTILE, text)

    def test_report_refuses_to_overwrite_a_plan_file(self):
        root = self.hostile()
        before = (root / "backlog.yaml").read_bytes()
        r = self.report("--format", "html", "-o", "backlog.yaml", cwd=root)
        self.assertExit(r, 2)
        self.assertEqual((root / "backlog.yaml").read_bytes(), before)

    def test_output_replaces_a_symbolic_link_instead_of_writing_through_it(self):
        # A pull request can commit status.html -> any file; CI runs `report -o status.html` as root.
        root = self.hostile()
        victim = self.tmp / "victim.txt"
        victim.write_text("precious\n")
        (root / "status.html").symlink_to(victim)
        r = self.report("--format", "html", "-o", "status.html", cwd=root)
        self.assertExit(r, 0)
        self.assertEqual(victim.read_text(), "precious\n")
        self.assertFalse((root / "status.html").is_symlink())
        self.assertIn("<html", (root / "status.html").read_text("utf-8"))
        self.assertEqual([p.name for p in root.iterdir() if p.name.startswith(".status.html")], [])

    def test_output_to_a_missing_directory_says_why(self):
        root = self.hostile()
        r = self.report("--format", "html", "-o", "no/such/dir/status.html", cwd=root)
        self.assertExit(r, 2)
        self.assertIn("cannot write no/such/dir/status.html: No such file or directory", r.err)

    def test_large_plan_caps_the_gantt_chart(self):
        lines = ["items:"]
        for i in range(300):
            lines += [f"  - id: X{i}", f"    title: item {i}", "    estimate: 1"]
        root = self.plan({"backlog.yaml": "\n".join(lines) + "\n"})
        r = self.report("--format", "html", cwd=root)
        self.assertExit(r, 0)
        items = run("schedule", "--today", TODAY, "--format", "json", cwd=root).json()["items"]
        critical = sum(i["critical"] for i in items)
        bars = max(80, min(critical, 250))      # the whole critical chain (at most 250 bars), at least 80 bars
        self.assertEqual(len(items), 300)
        gantt = svgs(r.out)[0]
        self.assertEqual(gantt.count("<rect"), bars)
        self.assertIn(f"{bars} of 300 scheduled items", r.out)
        rest = r.out.split("<details>", 1)[1].split("</details>", 1)[0]
        self.assertEqual(rest.count("<tr>"), 1 + 300 - bars)   # header + the items the chart leaves out
        md = self.report("--format", "markdown", cwd=root)
        self.assertIn("The chart shows 60 of 300 scheduled items", md.out)
        self.assertEqual(len(re.findall(r"^    .* :(crit, )?t_", mermaid_blocks(md.out)[0], re.M)), 60)

    def test_targets_off_the_axis_stay_inside_the_chart(self):
        root = self.plan({
            "backlog.yaml": "items:\n  - {id: A, title: a, estimate: 3, milestone: OLD}\n"
                            "  - {id: B, title: b, estimate: 3, milestone: FAR}\n",
            "roadmap.yaml": "milestones:\n  - {id: OLD, title: late, target: 2026-06-01}\n"
                            "  - {id: FAR, title: far, target: 2029-01-01}\n",
        })
        r = self.report("--format", "html", cwd=root)
        self.assertExit(r, 0)
        gantt = ET.fromstring(svgs(r.out)[0])
        width = float(gantt.get("viewBox").split()[2])
        for el in gantt.iter():
            for attr in ("x", "x1", "x2"):
                if el.get(attr) is not None:
                    self.assertTrue(0 <= float(el.get(attr)) <= width, (el.tag, el.attrib))
        texts = [t.text for t in gantt.iter("{http://www.w3.org/2000/svg}text")]
        self.assertIn("← target 2026-06-01", texts)
        self.assertIn("target 2029-01-01 →", texts)

    def test_gantt_shows_the_whole_critical_chain_when_it_is_long(self):
        # 120 items in a dependency chain: all critical; the chart draws all 120, beyond the usual 80.
        lines = ["items:"]
        for i in range(150):
            lines += [f"  - id: X{i}", f"    title: item {i}", "    estimate: 1"]
            if 0 < i < 120:
                lines.append(f"    depends_on: [X{i - 1}]")
        root = self.plan({"backlog.yaml": "\n".join(lines) + "\n"})
        items = {i["id"]: i for i in run("schedule", "--today", TODAY, "--format", "json", cwd=root).json()["items"]}
        self.assertTrue(all(items[f"X{i}"]["critical"] for i in range(120)))
        r = self.report("--format", "html", cwd=root)
        gantt = svgs(r.out)[0]
        for i in range(120):
            self.assertIn(f">X{i} item {i} · ", gantt)


class Browser(ReportCase):
    """The HTML report in a real browser (headless chromium)."""

    def test_webshop_report_renders_without_console_errors(self):
        root = self.webshop()
        page = self.tmp / "report.html"
        self.assertExit(self.report("--format", "html", "-o", page, cwd=root), 0)
        png = self.tmp / "report.png"
        _, console = chromium(self, page, f"--screenshot={png}", width=1200, height=2000)
        self.assertEqual(console, [])
        changed, colours, red = picture_facts(png)
        self.assertGreater(changed, 0.02, "the screenshot is (almost) blank")
        self.assertGreater(colours, 20)
        self.assertGreater(red, 100, "no critical-chain bars (red) in the picture")

    def test_console_errors_and_blank_pages_are_detected(self):
        broken = self.tmp / "broken.html"
        broken.write_text("<!DOCTYPE html><body><p>x</p><script>console.error('boom'); nope();</script></body>")
        _, console = chromium(self, broken, f"--screenshot={self.tmp / 'b.png'}", width=400, height=300)
        self.assertTrue(any("boom" in l for l in console), console)
        self.assertTrue(any("nope" in l for l in console), console)
        blank = self.tmp / "blank.html"
        blank.write_text("<!DOCTYPE html><body></body>")
        chromium(self, blank, f"--screenshot={self.tmp / 'blank.png'}", width=400, height=300)
        changed, colours, red = picture_facts(self.tmp / "blank.png")
        self.assertLess(changed, 0.001)
        self.assertEqual(red, 0)

    def layout(self, page, width):
        """Page width and viewport width at a window `width` wide, measured by a script added to a copy of `page`."""
        probe = self.tmp / f"probe-{width}.html"
        script = ("<script>document.body.setAttribute('data-probe', JSON.stringify({sw: "
                  "document.documentElement.scrollWidth, iw: window.innerWidth, "
                  "svg: Array.from(document.querySelectorAll('svg')).filter(s => !s.closest('.scroll'))"
                  ".map(s => s.getBoundingClientRect().width)}));"
                  "</script>")
        probe.write_text(page.read_text("utf-8").replace("</body>", script + "</body>"), "utf-8")
        dom, console = chromium(self, probe, "--dump-dom", width=width, height=800)
        self.assertEqual(console, [])
        m = re.search(r'data-probe="([^"]*)"', dom)
        self.assertTrue(m, dom[:500])
        return json.loads(html.unescape(m.group(1)))

    def test_phone_width_has_no_horizontal_overflow(self):
        root = self.webshop()
        page = self.tmp / "report.html"
        self.assertExit(self.report("--format", "html", "-o", page, cwd=root), 0)
        for width in (375, 1200):
            with self.subTest(width=width):
                m = self.layout(page, width)
                self.assertLessEqual(m["sw"], m["iw"], m)
                self.assertTrue(all(0 < w <= m["iw"] for w in m["svg"]), m)
        # The probe sees overflow where there is some.
        wide = self.tmp / "wide.html"
        wide.write_text("<!DOCTYPE html><body><div style='width:2000px'>x</div><svg width='10'></svg></body>")
        m = self.layout(wide, 375)
        self.assertGreater(m["sw"], m["iw"])

    # Measures, in the page, what issue 16 saw by eye: dates and ids that wrap, SVG labels that overlap
    # another label, a line or a bar (getBBox, in the SVG's own units), and labels' size on screen in px.
    PROBE = """<script>
    const box = b => ({x: b.x, y: b.y, w: b.width, h: b.height});
    const meet = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
    const px = (t, svg) => parseFloat(getComputedStyle(t).fontSize) * svg.getScreenCTM().a;
    const facts = {sw: document.documentElement.scrollWidth, iw: innerWidth, wrapped: [], checked: 0,
                   overlaps: [], hist: 0, hist_px: [], gantt_px: [], gantt_scrolls: false};
    for (const table of document.querySelectorAll('table')) {
      const heads = Array.from(table.querySelectorAll('thead th')).map(th => th.textContent);
      for (const tr of table.querySelectorAll('tbody tr')) {
        Array.from(tr.children).forEach((td, c) => {
          const text = td.textContent;
          if (!/^\\d{4}-\\d\\d-\\d\\d/.test(text) && !['id', 'milestone'].includes(heads[c])) return;
          const r = document.createRange(); r.selectNodeContents(td);
          const lines = new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top)));
          facts.checked++;
          if (lines.size > 1) facts.wrapped.push(text);
        });
      }
    }
    for (const svg of document.querySelectorAll('svg.hist')) {
      facts.hist++;
      const texts = Array.from(svg.querySelectorAll('text'));
      const others = Array.from(svg.querySelectorAll('line, rect')).map(e => box(e.getBBox()));
      texts.forEach((t, i) => {
        facts.hist_px.push(px(t, svg));
        const b = box(t.getBBox());
        texts.forEach((u, j) => { if (j > i && meet(b, box(u.getBBox()))) facts.overlaps.push(t.textContent + ' / ' + u.textContent); });
        others.forEach(o => { if (meet(b, o)) facts.overlaps.push(t.textContent + ' / a line or bar'); });
      });
    }
    const gantt = document.querySelector('.gantt');
    if (gantt) {
      const svg = gantt.querySelector('svg');
      for (const t of svg.querySelectorAll('text')) facts.gantt_px.push(px(t, svg));
      facts.gantt_scrolls = gantt.scrollWidth > gantt.clientWidth;
    }
    document.body.setAttribute('data-probe', JSON.stringify(facts));
    </script>"""

    def measure(self, page, width):
        """The probe's facts for `page` in a frame `width` px wide (headless Chromium's window is at least 500 px
        wide, so a phone is a frame inside it, the page as its srcdoc)."""
        probe = self.tmp / f"measure-{width}.html"
        inner = page.read_text("utf-8").replace("</body>", self.PROBE + "</body>")
        probe.write_text(f"<!DOCTYPE html><body style='margin:0'><iframe id='f' style='border:0;width:{width}px;"
                         f"height:900px' srcdoc=\"{html.escape(inner, quote=True)}\"></iframe><script>"
                         "document.getElementById('f').onload = e => document.body.setAttribute('data-probe', "
                         "e.target.contentDocument.body.getAttribute('data-probe'));</script></body>", "utf-8")
        dom, console = chromium(self, probe, "--dump-dom", width=max(width, 500) + 20, height=900)
        self.assertEqual(console, [])
        m = re.search(r'data-probe="([^"]*)"', dom)
        self.assertTrue(m, dom[:500])
        return json.loads(html.unescape(m.group(1)))

    def test_dates_do_not_wrap_labels_do_not_overlap_and_the_gantt_scrolls_on_a_phone(self):
        root = self.webshop()
        # A long status squeezes the milestone table: its dates must still not wrap.
        roadmap = root / "roadmap.yaml"
        roadmap.write_text(roadmap.read_text("utf-8").replace("title: ", "title: A very long milestone title that "
                                                              "takes room in the table ", 1), "utf-8")
        page = self.tmp / "report.html"
        self.assertExit(self.report("--format", "html", "-o", page, cwd=root), 0)
        for width in (1280, 390):
            with self.subTest(width=width):
                m = self.measure(page, width)
                self.assertLessEqual(m["sw"], m["iw"], "the page itself never scrolls sideways")
                self.assertGreater(m["checked"], 10)
                self.assertEqual(m["wrapped"], [])
                self.assertGreater(m["hist"], 0, "the webshop report has forecast histograms")
                self.assertEqual(m["overlaps"], [])
                self.assertGreaterEqual(min(m["hist_px"]), 10, m["hist_px"])
                self.assertGreaterEqual(min(m["gantt_px"]), 10, m["gantt_px"])
                self.assertEqual(m["gantt_scrolls"], width == 390)

    def test_the_measures_catch_wrapping_and_overlaps(self):
        bad = self.tmp / "bad.html"
        bad.write_text("<!DOCTYPE html><body><table style='width:60px'><thead><tr><th>id</th></tr></thead><tbody>"
                       "<tr><td>2027-02-15 and more words</td></tr></tbody></table>"
                       "<svg class='hist' viewBox='0 0 100 50' style='width:100px'><line x1='20' y1='0' x2='20' "
                       "y2='50'/><text x='10' y='20' font-size='8'>P50 02-01</text><text x='12' y='22'>P85</text>"
                       "</svg><div class='gantt'><svg viewBox='0 0 1000 100'><text>x</text></svg></div></body>")
        m = self.measure(bad, 390)
        self.assertEqual(len(m["wrapped"]), 1)
        self.assertIn("P50 02-01 / P85", m["overlaps"])
        self.assertIn("P50 02-01 / a line or bar", m["overlaps"])
        self.assertLess(min(m["hist_px"]), 10)

    def test_report_prints_to_pdf(self):
        root = self.webshop()
        page = self.tmp / "report.html"
        self.assertExit(self.report("--format", "html", "-o", page, cwd=root), 0)
        pdf = self.tmp / "report.pdf"
        _, console = chromium(self, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
        self.assertEqual(console, [])
        data = pdf.read_bytes()
        self.assertTrue(data.startswith(b"%PDF-"))
        self.assertGreaterEqual(len(re.findall(rb"/Type\s*/Page\b", data)), 2)

    def test_hostile_report_renders_without_console_errors(self):
        root = self.hostile()
        page = self.tmp / "hostile.html"
        self.assertExit(self.report("--format", "html", "-o", page, cwd=root), 0)
        dom, console = chromium(self, page, "--dump-dom", width=800, height=800)
        self.assertEqual(console, [])
        self.assertNotIn("<script", dom)


# ---- The report a PM shows (issue 28): layout measured in the page, and compared with screenshots ------

def png_rows(path):
    """Decodes an 8-bit RGB or RGBA PNG; returns (width, height, bytes per pixel, rows as bytearrays)."""
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, []
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos:pos + 4]), data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and interlace == 0, f"unsupported PNG {depth} {ctype} {interlace}"
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    raw, stride, rows = zlib.decompress(b"".join(idat)), width * bpp, []
    prev = bytearray(stride)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif f == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif f == 3:
            for i in range(stride):
                line[i] = (line[i] + ((line[i - bpp] if i >= bpp else 0) + prev[i]) // 2) & 255
        elif f == 4:
            for i in range(stride):
                a, b, c = (line[i - bpp], prev[i], prev[i - bpp]) if i >= bpp else (0, prev[i], 0)
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return width, height, bpp, rows


class Picture:
    """A screenshot: the colour at (x, y) and the pixels of a rectangle, in page px."""

    def __init__(self, path):
        self.width, self.height, self.bpp, self.rows = png_rows(path)

    def at(self, x, y):
        i = int(x) * self.bpp
        return tuple(self.rows[int(y)][i:i + 3])

    def box(self, r, inset=0):
        x0, y0 = max(0, int(r["x"] + inset)), max(0, int(r["y"] + inset))
        x1, y1 = min(self.width, int(r["x"] + r["w"] - inset)), min(self.height, int(r["y"] + r["h"] - inset))
        return [self.at(x, y) for y in range(y0, y1) for x in range(x0, x1)]


def near(a, b, tolerance=10):
    return all(abs(p - q) <= tolerance for p, q in zip(a, b))


def css_rgb(text):
    return tuple(int(v) for v in re.findall(r"\d+", text)[:3])


def hex_rgb(text):
    return tuple(int(text[i:i + 2], 16) for i in (1, 3, 5))


# What issue 28 saw by eye, measured in the page: boxes that overflow, table columns not shown, SVG labels
# cut by their chart, labels outside 11-16 px on screen, labels on each other or on a bar or diamond; and
# where the status badges, the Gantt's diamonds, its today line and every visible chart label are, in page
# px, to be found again in a screenshot.
LAYOUT_PROBE = """<script>
(() => {
  const doc = document.documentElement;
  const abs = r => ({x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height});
  const box = b => ({x: b.x, y: b.y, w: b.width, h: b.height});
  const meet = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  const inside = (a, b) => a.x >= b.x - 0.5 && a.y >= b.y - 0.5 && a.x + a.w <= b.x + b.w + 0.5 && a.y + a.h <= b.y + b.h + 0.5;
  const name = el => el.tagName.toLowerCase() + '.' + (el.getAttribute('class') || '') + ' ' + (el.textContent || '').trim().slice(0, 50);
  const shown = el => el.getClientRects().length > 0;
  const view = el => { const s = el.closest('.scroll'); return s ? abs(s.getBoundingClientRect()) : {x: 0, y: 0, w: doc.scrollWidth, h: doc.scrollHeight}; };
  const cs = getComputedStyle(document.body);
  const b = abs(document.body.getBoundingClientRect());
  const f = {iw: innerWidth, sw: doc.scrollWidth, height: doc.scrollHeight, overflow: [], hidden_columns: [], tables: 0,
             clipped: [], fonts: [], overlaps: [], badges: [], diamonds: [], today: [], texts: [], svgs: [],
             content: {x: b.x + parseFloat(cs.paddingLeft), w: b.w - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)}};
  for (const el of [document.body, ...document.body.querySelectorAll('*')]) {
    if (el.closest('svg') || el.tagName === 'SCRIPT' || !shown(el) || el.classList.contains('scroll')) continue;
    if (getComputedStyle(el).display === 'inline') continue;
    if (el.scrollWidth > el.clientWidth + 1) f.overflow.push(name(el));
  }
  for (const table of document.querySelectorAll('table')) {
    if (!shown(table.closest('details') || table) || (table.closest('details') && !table.closest('details').open)) continue;
    f.tables++;
    for (const th of table.querySelectorAll('thead th')) if (!shown(th) || th.getBoundingClientRect().width < 1) f.hidden_columns.push(th.textContent);
  }
  for (const svg of document.querySelectorAll('svg')) {
    if (!shown(svg)) continue;
    const vb = svg.viewBox.baseVal, scale = svg.getScreenCTM().a;
    f.svgs.push({label: svg.getAttribute('aria-label'), cls: svg.getAttribute('class') || '', ...abs(svg.getBoundingClientRect())});
    const texts = Array.from(svg.querySelectorAll('text'));
    const marks = Array.from(svg.querySelectorAll('rect, path')).map(e => box(e.getBBox()));
    texts.forEach((t, i) => {
      const bb = box(t.getBBox());
      if (!inside(bb, {x: 0, y: 0, w: vb.width, h: vb.height})) f.clipped.push(t.textContent);
      f.fonts.push([t.textContent, parseFloat(getComputedStyle(t).fontSize) * scale]);
      texts.forEach((u, j) => { if (j > i && meet(bb, box(u.getBBox()))) f.overlaps.push(t.textContent + ' / ' + u.textContent); });
      marks.forEach(m => { if (meet(bb, m)) f.overlaps.push(t.textContent + ' / a bar or diamond'); });
      const r = abs(t.getBoundingClientRect());
      if (inside(r, view(svg))) f.texts.push({text: t.textContent, ...r});
    });
  }
  for (const st of document.querySelectorAll('.st')) {
    const r = abs(st.getBoundingClientRect()), cell = abs(st.parentElement.getBoundingClientRect());
    f.badges.push({text: st.textContent, kind: st.className, bg: getComputedStyle(st).backgroundColor,
                   fits: inside(r, cell), visible: inside(r, view(st)), ...r});
  }
  for (const d of document.querySelectorAll('.gantt path.ms')) {
    const r = abs(d.getBoundingClientRect());
    f.diamonds.push({fill: d.getAttribute('fill'), visible: inside(r, view(d)), ...r});
  }
  for (const l of document.querySelectorAll('.gantt line.today')) {
    const r = abs(l.getBoundingClientRect());
    f.today.push({stroke: l.getAttribute('stroke'), visible: inside(r, view(l)), ...r});
  }
  const gantt = document.querySelector('.gantt');
  if (gantt) {
    const left = gantt.getBoundingClientRect().left;
    f.gantt = {client: gantt.clientWidth, weeks: Array.from(gantt.querySelectorAll('text'))
      .filter(t => /^\\d\\d-\\d\\d$/.test(t.textContent)).map(t => [t.textContent, t.getBoundingClientRect().left - left])};
  }
  document.body.setAttribute('data-probe', JSON.stringify(f));
})();
</script>"""


class Layout(ReportCase):
    """The HTML report's structure, read from the file (no browser needed)."""

    def status_plan(self):
        """A plan whose milestones are late, on track and unknown (no target)."""
        return self.plan({
            "backlog.yaml": "items:\n  - {id: A, title: first, estimate: 5, milestone: LATE}\n"
                            "  - {id: B, title: second, estimate: 3, milestone: OK, depends_on: [A]}\n"
                            "  - {id: C, title: third, estimate: 2, milestone: NOTARGET}\n",
            "roadmap.yaml": "milestones:\n  - {id: LATE, title: late one, target: 2027-01-05}\n"
                            "  - {id: OK, title: fine one, target: 2027-03-01}\n"
                            "  - {id: NOTARGET, title: no target}\n",
        })

    def test_table_of_contents_links_every_section(self):
        r = self.report("--format", "html", cwd=self.webshop())
        self.assertExit(r, 0)
        toc = re.search(r'<nav class="toc"[^>]*>(.*?)</nav>', r.out, re.S)
        self.assertTrue(toc, "no table of contents")
        links = re.findall(r'<a href="#([a-z-]+)">([^<]+)</a>', toc.group(1))
        sections = re.findall(r'<section id="([a-z-]+)"><h2><a href="#\1">([^<]+)</a></h2>', r.out)
        self.assertEqual(links, sections)
        self.assertEqual(len(re.findall(r"<h2", r.out)), len(sections))
        self.assertEqual([i for i, _ in links], ["milestones", "schedule", "forecast", "priorities", "load", "flow",
                                                 "risks", "violations", "changes"])
        self.assertIn(("changes", "Changes in the last 14 days"), links)

    def gantt(self, root):
        r = self.report("--format", "html", cwd=root)
        self.assertExit(r, 0)
        return ET.fromstring(svgs(r.out)[0])

    def test_gantt_has_today_the_person_on_each_bar_and_milestones_among_the_items(self):
        root = self.webshop()
        gantt = self.gantt(root)
        ns = "{http://www.w3.org/2000/svg}"
        texts = [t.text for t in gantt.iter(ns + "text")]
        self.assertIn("today 01-04", texts)
        today = [l for l in gantt.iter(ns + "line") if l.get("class") == "today"]
        self.assertEqual(len(today), 1)
        schedule = run("schedule", "--today", TODAY, "--format", "json", cwd=root).json()
        # Every bar has beside it its id, title and person, as `schedule` has them.
        # The critical chain is told by its labels' weight too, not by the bars' colour alone.
        labels = [t for t in gantt.iter(ns + "text") if t.get("class") == "lbl"]
        for item in schedule["items"]:
            mine = [l for l in labels if l.text.startswith(item["id"] + " ")]
            self.assertEqual(len(mine), 1, item["id"])
            self.assertTrue(mine[0].text.endswith(" · " + item["person"]), mine[0].text)
            self.assertEqual(mine[0].get("font-weight") == "600", item["critical"], item["id"])
        self.assertTrue(any(i["critical"] for i in schedule["items"]))
        self.assertFalse(all(i["critical"] for i in schedule["items"]))
        labels = [t.text for t in labels]
        # A milestone's row follows the items that start by its planned finish, before those that start later.
        rows = [(float(t.get("y")), t.text) for t in gantt.iter(ns + "text") if t.get("class") == "lbl"]
        starts = {i["id"]: i["start"] for i in schedule["items"]}
        for m in schedule["milestones"]:
            y = next(y for y, text in rows if text.startswith(m["id"] + " "))
            for y2, text in rows:
                start = starts.get(text.split(" ")[0])
                if start:
                    self.assertEqual(y2 < y, start <= m["finish"], (m["id"], text))
        self.assertLess(rows.index(next(r for r in rows if r[1].startswith("M1 "))), len(rows) - 5)

    def test_status_is_words_in_the_colour_of_their_kind(self):
        root = self.status_plan()
        r = self.report("--format", "html", cwd=root)
        self.assertExit(r, 0)
        badges = re.findall(r'<span class="st st-([a-z]+)">([^<]+)</span>', r.out)
        # No throughput history: the plan alone decides, and the table says so as every output does.
        plan_only = " (plan only: no throughput history)"
        self.assertEqual(badges, [("late", "late by 3 workdays" + plan_only), ("ok", "on track" + plan_only),
                                  ("unknown", "unknown: no target date")])
        css = re.search(r"<style>(.*?)</style>", r.out, re.S).group(1)
        colours = {k: re.search(r"\.st-" + k + r"\{background:(#[0-9a-f]{6});color:(#[0-9a-f]{6})\}", css).groups()
                   for k in ("late", "risk", "ok", "unknown")}
        self.assertEqual(len({bg for bg, _ in colours.values()}), 4, colours)
        # The diamonds of the Gantt chart: one colour per status kind, and the status in words beside each.
        gantt = ET.fromstring(svgs(r.out)[0])
        ns = "{http://www.w3.org/2000/svg}"
        fills = {}
        for d in gantt.iter(ns + "path"):
            ms, status = re.match(r"(\S+) planned \S+: (.*)", d.find(ns + "title").text).groups()
            fills[status] = d.get("fill")
        self.assertEqual(set(fills), {"late by 3 workdays" + plan_only, "on track" + plan_only, "unknown: no target date"})
        self.assertEqual(len(set(fills.values())), 3)
        labels = [t.text for t in gantt.iter(ns + "text")]
        for words in ("LATE late one: late by 3 workdays", "OK fine one: on track", "NOTARGET no target: unknown: no target date"):
            self.assertIn(words, labels)
        # At risk (the webshop's M2: on time by the plan, 29 % by the forecast): amber, in the table, the
        # diamond and the histogram's caption.
        r = self.report("--format", "html", cwd=self.webshop())
        self.assertEqual(r.out.count('<span class="st st-risk">at risk</span>'), 2)
        self.assertRegex(r.out, r'<path class="ms" [^>]*fill="#d08700"><title>M2 planned 2027-02-[0-9]{2}: at risk</title>')

    def test_no_column_is_hidden_by_the_stylesheet(self):
        r = self.report("--format", "html", cwd=self.webshop())
        css = re.search(r"<style>(.*?)</style>", r.out, re.S).group(1)
        self.assertNotIn("display:none}", css.split("@media print")[0])
        self.assertNotIn(' wide"', r.out)


class BrowserLayout(ReportCase):
    """The report laid out by Chromium at 1280 and 390 px: measured in the page, then found in a screenshot."""

    def framed(self, page, width, height, name):
        """A page showing `page` (with LAYOUT_PROBE) in a frame `width` × `height` px at its top left, as a phone
        is shown: headless Chromium's window is at least 500 px wide."""
        inner = page.read_text("utf-8").replace("</body>", LAYOUT_PROBE + "</body>")
        frame = self.tmp / name
        frame.write_text(f"<!DOCTYPE html><body style='margin:0'><iframe id='f' style='border:0;display:block;"
                         f"width:{width}px;height:{height}px' srcdoc=\"{html.escape(inner, quote=True)}\"></iframe><script>"
                         "document.getElementById('f').onload = e => document.body.setAttribute('data-probe', "
                         "e.target.contentDocument.body.getAttribute('data-probe'));</script></body>", "utf-8")
        return frame

    def measure(self, page, width):
        frame = self.framed(page, width, 900, f"measure-{width}.html")
        dom, console = chromium(self, frame, "--dump-dom", width=max(width, 500), height=900)
        self.assertEqual(console, [])
        m = re.search(r'data-probe="([^"]*)"', dom)
        self.assertTrue(m, dom[:500])
        return json.loads(html.unescape(m.group(1)))

    def screenshot(self, page, width, height):
        frame = self.framed(page, width, height, f"shot-{width}.html")
        png = self.tmp / f"shot-{width}.png"
        _, console = chromium(self, frame, f"--screenshot={png}", width=max(width, 500), height=height)
        self.assertEqual(console, [])
        return Picture(png)

    def page(self, root):
        page = self.tmp / "report.html"
        self.assertExit(self.report("--format", "html", "-o", page, cwd=root), 0)
        return page

    def test_charts_are_drawn_at_their_size_a_few_burn_ups_a_row_on_a_desktop_one_on_a_phone(self):
        root = self.webshop()
        page = self.page(root)
        for width in (1280, 390):
            with self.subTest(width=width):
                m = self.measure(page, width)
                burnups = [s for s in m["svgs"] if (s["label"] or "").endswith("burn-up")]
                self.assertEqual(len(burnups), 5)
                per_row = sum(1 for s in burnups if abs(s["y"] - burnups[0]["y"]) < 1)
                if width == 1280:
                    self.assertGreaterEqual(per_row, 3)
                else:
                    self.assertEqual(per_row, 1)
                    # The phone sees four weeks or more of the schedule before it scrolls.
                    (d0, x0), (d1, x1) = m["gantt"]["weeks"][:2]
                    day = (x1 - x0) / (datetime.date.fromisoformat("2027-" + d1) - datetime.date.fromisoformat("2027-" + d0)).days
                    self.assertGreaterEqual((m["gantt"]["client"] - x0) / day, 28, m["gantt"])
                for s in m["svgs"]:
                    self.assertLessEqual(s["h"], 260 if s["label"] != "Gantt chart of the schedule" else 10000, s)
                fonts = [px for _, px in m["fonts"]]
                self.assertTrue(fonts)
                self.assertEqual([(t, px) for t, px in m["fonts"] if not 11 <= px <= 16], [])
                self.assertEqual(m["clipped"], [], "labels cut off by their chart")
                self.assertEqual(m["overlaps"], [])

    def test_screenshots_at_1280_and_390_agree_with_the_dom(self):
        root = self.webshop()
        page = self.page(root)
        for width in (1280, 390):
            with self.subTest(width=width):
                m = self.measure(page, width)
                # The DOM: the page never scrolls sideways, no box overflows (tables and charts wider than the
                # screen scroll in their own box), no column is hidden, every status badge fits its cell.
                self.assertLessEqual(m["sw"], m["iw"])
                self.assertEqual(m["overflow"], [])
                self.assertGreaterEqual(m["tables"], 5)
                self.assertEqual(m["hidden_columns"], [])
                self.assertEqual([b["text"] for b in m["badges"] if not b["fits"]], [])
                self.assertEqual(m["clipped"], [])
                # The screenshot: nothing painted beside the body's content box, and what the DOM says is
                # visible is there: each status badge in its colour with its words (dark pixels), each diamond
                # in its fill, the today line, ink under every chart label.
                pic = self.screenshot(page, width, m["height"])
                self.assertGreaterEqual(pic.height, m["height"])
                left, right = int(m["content"]["x"]) - 1, int(m["content"]["x"] + m["content"]["w"]) + 1
                beside = [(x, y) for y in range(0, m["height"], 3) for x in list(range(0, left)) + list(range(right + 1, width))
                          if not near(pic.at(x, y), (255, 255, 255), 2)]
                self.assertEqual(beside[:5], [], "something is painted outside the content box")
                visible = [b for b in m["badges"] if b["visible"]]
                self.assertGreaterEqual(len(visible), 5)
                for b in visible:
                    px = pic.box(b, inset=1)
                    coloured = sum(near(p, css_rgb(b["bg"]), 6) for p in px) / len(px)
                    dark = sum(sum(p) < 3 * 150 for p in px) / len(px)
                    self.assertGreater(coloured, 0.4, b)
                    self.assertGreater(dark, 0.03, b)
                diamonds = [d for d in m["diamonds"] if d["visible"]]
                self.assertGreaterEqual(len(diamonds), 1 if width == 390 else 5)
                for d in diamonds:
                    self.assertTrue(near(pic.at(d["x"] + d["w"] / 2, d["y"] + d["h"] / 2), hex_rgb(d["fill"]), 12), d)
                self.assertEqual(len(m["today"]), 1)
                t = m["today"][0]
                column = [pic.at(t["x"] + t["w"] / 2, y) for y in range(int(t["y"]) + 20, int(t["y"] + t["h"]) - 2, 5)]
                self.assertGreater(sum(near(p, hex_rgb(t["stroke"]), 40) for p in column) / len(column), 0.5)
                self.assertGreater(len(m["texts"]), 50)
                blank = [t["text"] for t in m["texts"] if not any(sum(p) < 3 * 170 for p in pic.box(t))]
                self.assertEqual(blank, [])

    def test_hostile_titles_stay_inside_their_charts_and_boxes(self):
        # Markup, emoji and right-to-left text in every title: labels are measured by estimate in C++.
        page = self.page(self.hostile())
        for width in (1280, 390):
            with self.subTest(width=width):
                m = self.measure(page, width)
                self.assertLessEqual(m["sw"], m["iw"])
                self.assertEqual(m["overflow"], [])
                self.assertEqual(m["hidden_columns"], [])
                self.assertEqual(m["clipped"], [])
                self.assertEqual(m["overlaps"], [])
                self.assertEqual([(t, px) for t, px in m["fonts"] if not 11 <= px <= 16], [])

    def test_the_layout_checks_catch_overflow_hidden_columns_clipped_and_tiny_labels(self):
        bad = self.tmp / "bad.html"
        bad.write_text("<!DOCTYPE html><body><style>.w{display:none}</style><div style='width:100px'>"
                       "<p style='white-space:nowrap'>a line much too long for its box of one hundred px</p></div>"
                       "<table><thead><tr><th>a</th><th class='w'>b</th></tr></thead><tbody><tr><td>1</td>"
                       "<td class='w'>2</td></tr></tbody></table>"
                       "<svg viewBox='0 0 100 50' width='1000' height='500'><text x='90' y='20'>cut off</text>"
                       "<rect x='0' y='30' width='50' height='10'/><text x='5' y='38' style='font-size:8px'>on a bar</text></svg>"
                       "<svg viewBox='0 0 100 50' width='50' height='25'><text x='5' y='20' style='font-size:12px'>tiny"
                       "</text></svg></body>")
        m = self.measure(bad, 390)
        self.assertTrue(any(o.startswith("div.") for o in m["overflow"]), m["overflow"])
        self.assertEqual(m["hidden_columns"], ["b"])
        self.assertEqual(m["clipped"], ["cut off"])
        self.assertIn("on a bar / a bar or diamond", m["overlaps"])
        self.assertEqual(sorted(px for _, px in m["fonts"] if not 11 <= px <= 16), [6, 80, 160])


class ExamplePicture(unittest.TestCase):
    """examples/report.png is made by tests/e2e/make_report_png.py from the report this binary makes."""

    def test_the_picture_is_made_from_the_current_report(self):
        import make_report_png
        record = make_report_png.recorded()
        self.assertIn("html", record, "examples/report.png.sha256 is missing: run tests/e2e/make_report_png.py")
        self.assertEqual(record["png"], make_report_png.sha256(make_report_png.PICTURE.read_bytes()),
                         "examples/report.png is not the picture the script made: run tests/e2e/make_report_png.py")
        html_now = make_report_png.webshop_html(str(Path(BIN).resolve()))
        self.assertEqual(record["html"], make_report_png.sha256(html_now),
                         "the report changed since examples/report.png was made: run "
                         "python3 tests/e2e/make_report_png.py BINARY and commit examples/report.png*")
        width, height, _, _ = png_rows(make_report_png.PICTURE)
        self.assertEqual((width, height), (make_report_png.WIDTH, make_report_png.HEIGHT))


if __name__ == "__main__":
    unittest.main()
