#!/usr/bin/env python3
"""Makes the approvals benchmark's repository (issue 30, "cubic time"): the plan, then N commits by a
developer that each change one value, each followed by an empty approval commit of the product owner
naming it (`Approves: <id>`). usage: gen_approvals.py DIR N; prints the base commit's id."""

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from audit_model import fast_import  # noqa: E402
from test_git import PLAN, set_field  # noqa: E402


def main(root, n):
    pieces, t = [], 1_900_000_000

    def piece(mark, who, message, parent, files):
        text = (f"commit refs/heads/main\nmark :{mark}\nauthor {who} {t} +0000\ncommitter {who} {t} +0000\n"
                f"data {len(message)}\n{message}\n" + (f"from :{parent}\n" if parent else ""))
        for name, body in files.items():
            text += f"M 100644 inline {name}\ndata {len(body.encode())}\n{body}\n"
        return text + "\n"

    pieces.append(piece(1, "Alice Martin <alice@example.com>", "plan", None, PLAN))
    for i in range(n):
        t += 2
        pieces.append(piece(2 * i + 2, "Carol Diaz <carol@example.com>", f"value {i}", 2 * i + 1,
                            {"backlog.yaml": set_field(PLAN["backlog.yaml"], "A-1", "value", 10 + i)}))
        pieces.append(piece(2 * i + 3, "Alice Martin <alice@example.com>",
                            f"Approve\n\nApproves: {2 * i + 2:040d}", 2 * i + 2, {}))
    fast_import(root, pieces)
    print(subprocess.run(["git", "-C", root, "rev-list", "--max-parents=0", "HEAD"], capture_output=True,
                         text=True, check=True).stdout.strip())


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
