"""The core's tests inside Pyodide, the Python of xlwings Lite, against the same tests in CPython.

`scripts/pyodide.sh` (run by scripts/test.sh) fetches Pyodide and the pure-Python wheels into
.cache/pyodide; here the project's wheel is built, installed inside Pyodide with micropip from
local files (no network), and the core's pure-Python test modules run there and here with the
same Hypothesis seed. Every test must end the same way in both.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "pyodide"
PYODIDE = CACHE / "node_modules" / "pyodide"
WHEELS = CACHE / "wheels"
sys.path.insert(0, str(ROOT / "tests" / "pyodide"))
from subset import pyodide_tests  # noqa: E402

# The test modules whose imports Pyodide has (tests/pyodide/subset.py): derived, not listed.
CORE_TESTS = pyodide_tests()

pytestmark = pytest.mark.engine  # node and Pyodide


def outcomes(output: str) -> dict:
    line = [line for line in output.splitlines() if line.startswith("OUTCOMES ")][-1]
    return json.loads(line[len("OUTCOMES "):])


@pytest.fixture(scope="module")
def pyodide_ready():
    if not (PYODIDE / "pyodide.mjs").is_file() or not list(WHEELS.glob("micropip-*.whl")):
        message = "Pyodide is not fetched: run scripts/pyodide.sh (scripts/test.sh does)"
        if os.environ.get("OPENNESS_REQUIRE_PYODIDE"):
            pytest.fail(message)
        pytest.skip(message)


def test_the_core_tests_end_the_same_in_pyodide_and_cpython(pyodide_ready, wheel, tmp_path):
    # The CPython side runs beside Pyodide (a third of the time, one process each): this test
    # is among the last to end, when a core is free.
    # A file, not a pipe: nobody reads a pipe while Pyodide runs, and a full one would stall it.
    with open(tmp_path / "cpython.out", "w+", encoding="utf-8") as here_out:
        here = subprocess.Popen([sys.executable, str(ROOT / "tests" / "pyodide" / "outcomes.py"),
                                 *[f"tests/{name}" for name in CORE_TESTS]],
                                stdout=here_out, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
        try:
            inside = subprocess.run(["node", str(ROOT / "tests" / "pyodide" / "run.mjs"), str(PYODIDE), str(WHEELS),
                                     str(wheel), str(ROOT / "tests"), *CORE_TESTS],
                                    capture_output=True, text=True, timeout=1200, cwd=tmp_path)
            here.wait(timeout=1200)
        finally:
            if here.poll() is None:
                here.kill()
                here.wait()
        here_out.seek(0)
        cpython_output = here_out.read()
    assert inside.returncode == 0, inside.stderr[-3000:]
    pyodide_result, cpython_result = outcomes(inside.stdout), outcomes(cpython_output)
    python = next(line for line in inside.stdout.splitlines() if line.startswith("PYTHON "))
    counts = {o: list(pyodide_result["outcomes"].values()).count(o) for o in ("passed", "xfailed", "failed")}
    print(f"Pyodide ({python}): {counts}")
    assert pyodide_result["exit"] == cpython_result["exit"] == 0
    assert len(pyodide_result["outcomes"]) > 900
    assert pyodide_result["outcomes"] == cpython_result["outcomes"]
