#!/usr/bin/env python3
"""Regenerates examples/report.png, the picture of the webshop's HTML report in docs/commands.md.

    python3 tests/e2e/make_report_png.py [TANDEM_BINARY]

The report is made as a user would make it: examples/webshop copied into a git repository of one
commit (author, committer and dates pinned, so that its commit id is the same on every machine), then
`tandem report --today 2027-01-04 --format html`. Headless Chromium takes the picture at 1280 px.
examples/report.png.sha256 records the sha256 of that HTML and of the picture; the e2e test
test_report.ExamplePicture makes the HTML again with the binary under test and fails when its hash is
not the recorded one, so a change to the report needs this script run again (one command, then commit
the two files).

The binary: the argument, else $TANDEM_BIN, else build/dev/tandem or build/fast/tandem.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SOURCE_DIR = Path(__file__).resolve().parents[2]
PICTURE = SOURCE_DIR / "examples" / "report.png"
RECORD = SOURCE_DIR / "examples" / "report.png.sha256"
TODAY = "2027-01-04"
WIDTH, HEIGHT = 1280, 1800   # the top of the report: milestones, the Gantt chart, the first histogram

GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
           "GIT_AUTHOR_DATE": "2026-12-30T10:00:00+0000", "GIT_COMMITTER_DATE": "2026-12-30T10:00:00+0000",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "TZ": "UTC"}


def default_binary():
    for candidate in (os.environ.get("TANDEM_BIN"), SOURCE_DIR / "build" / "dev" / "tandem",
                      SOURCE_DIR / "build" / "fast" / "tandem"):
        if candidate and Path(candidate).is_file():
            return str(Path(candidate).resolve())
    sys.exit("make_report_png.py: no tandem binary (pass its path, or set TANDEM_BIN)")


def webshop_html(binary):
    """The HTML report of examples/webshop on TODAY, in a git repository of one pinned commit (bytes)."""
    env = {**os.environ, **GIT_ENV, "NO_COLOR": "1", "TANDEM_NO_CACHE": "1"}
    with tempfile.TemporaryDirectory(prefix="tandem-report-png-") as tmp:
        root = Path(tmp) / "webshop"
        shutil.copytree(SOURCE_DIR / "examples" / "webshop", root)
        for cmd in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"],
                    ["git", "-c", "commit.gpgsign=false", "commit", "-qm", "plan"]):
            subprocess.run(cmd, cwd=root, env=env, check=True, capture_output=True)
        p = subprocess.run([binary, "report", "--today", TODAY, "--format", "html"], cwd=root, env=env,
                           capture_output=True, timeout=300)
        if p.returncode != 0:
            raise RuntimeError(f"tandem report failed ({p.returncode}): {p.stderr.decode('utf-8', 'replace')}")
        return p.stdout


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def recorded():
    """{"html": hash, "png": hash} as examples/report.png.sha256 records them ({} when it is missing)."""
    if not RECORD.is_file():
        return {}
    return {line.split()[1]: line.split()[0] for line in RECORD.read_text().splitlines() if len(line.split()) == 2}


def screenshot(page, png):
    """A picture of `page` at WIDTH × HEIGHT px in headless Chromium."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        sys.exit("make_report_png.py: chromium is not installed")
    with tempfile.TemporaryDirectory(prefix="tandem-chromium-") as profile:
        subprocess.run([binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--no-first-run", "--disable-background-networking", f"--user-data-dir={profile}",
                        f"--window-size={WIDTH},{HEIGHT}", f"--screenshot={png}", Path(page).as_uri()],
                       check=True, capture_output=True, timeout=120)


def main():
    binary = str(Path(sys.argv[1]).resolve()) if len(sys.argv) > 1 else default_binary()
    html = webshop_html(binary)
    with tempfile.TemporaryDirectory(prefix="tandem-report-png-") as tmp:
        page, png = Path(tmp) / "report.html", Path(tmp) / "report.png"
        page.write_bytes(html)
        screenshot(page, png)
        shutil.copyfile(png, PICTURE)
    RECORD.write_text(f"{sha256(html)}  html\n{sha256(PICTURE.read_bytes())}  png\n")
    print(f"wrote {PICTURE.relative_to(SOURCE_DIR)} and {RECORD.relative_to(SOURCE_DIR)}")


if __name__ == "__main__":
    main()
