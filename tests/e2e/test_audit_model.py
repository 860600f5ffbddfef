"""`tandem audit` equals a reference model of SPEC 3 on random histories made with real git (see
audit_model.py): several people with different roles, branches, merges in either parent order resolved
cleanly, to one side, to a third value or as `-s ours`, records created, deleted and re-created,
done/reopen, reorders, moves between backlog files, Approved-by trailers and approval commits.
Property: audit's exit code and its set of (commit, kind, id, field, code) findings equal the model's.

CI runs a fixed seed for a time budget (TANDEM_MODEL_SECONDS, default 60); long runs go through
`python3 audit_model.py --seconds N`. Every history found wrong is kept in regressions/audit/ and
replayed here."""

import os
import tempfile
import time
import unittest
from pathlib import Path

import audit_model
from tandem_e2e import BIN

REGRESSIONS = Path(__file__).resolve().parent / "regressions" / "audit"
SEED = 20261207


class TestAuditModel(unittest.TestCase):

    def test_random_histories_agree_with_the_model(self):
        budget = float(os.environ.get("TANDEM_MODEL_SECONDS", "60"))
        end = time.monotonic() + budget
        tried = 0
        with tempfile.TemporaryDirectory(prefix="tandem-model-") as root:
            seed = SEED
            while tried < 20 or time.monotonic() < end:
                repo, base, tip, _ = audit_model.make_repo(root, seed)
                problem = audit_model.check_repo(BIN, repo, base, tip)
                self.assertIsNone(problem, f"seed {seed}: {problem}")
                tried += 1
                seed += 1
        print(f"\n{tried} random histories agree with the model")

    def test_every_history_once_found_wrong(self):
        kept = sorted(REGRESSIONS.glob("*.fi"))
        with tempfile.TemporaryDirectory(prefix="tandem-model-") as root:
            for n, stream in enumerate(kept):
                base, tip = stream.with_suffix(".range").read_text().split()
                repo = os.path.join(root, f"r{n}")
                audit_model.fast_import(repo, [stream.read_text()])
                with self.subTest(stream.name):
                    self.assertIsNone(audit_model.check_repo(BIN, repo, base, tip))


if __name__ == "__main__":
    unittest.main()
