"""Run pytest on the given test files and print each test's outcome as JSON.

The same file runs under CPython and inside Pyodide (tests/pyodide/run.mjs), so the two
lists of outcomes can be compared test by test.
"""
import json
import os
import sys

import pytest


class Outcomes:
    def __init__(self):
        self.by_test = {}

    def pytest_runtest_logreport(self, report):
        if report.when == "call" or report.outcome != "passed":
            outcome = "xfailed" if getattr(report, "wasxfail", None) is not None and report.skipped else report.outcome
            self.by_test.setdefault(report.nodeid, outcome)


def run(arguments):
    # As `python -m pytest` does: the working directory (the project) is importable, so the
    # tests' `from tests.strategies import …` resolves the same way in both Pythons.
    sys.path.insert(0, os.getcwd())
    collected = Outcomes()
    code = pytest.main(["-q", "-p", "no:cacheprovider", "--hypothesis-seed=0", "-m", "not checkout", *arguments],
                       plugins=[collected])
    return {"exit": int(code), "outcomes": collected.by_test}


if __name__ == "__main__":
    result = run(sys.argv[1:])
    print("OUTCOMES " + json.dumps(result, sort_keys=True))
