"""The records package imports NumPy without AVX-512 on AMD Zen 4, where its sort is slow."""
import json
import os
import subprocess
import sys

import pytest

from openness_xl.records import cpu
from openness_xl.records.cpu import VARIABLE, avx512_sort_is_slow

ZEN4 = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 17\nmodel name\t: AMD EPYC 9R14\n"
ZEN5 = ZEN4.replace("cpu family\t: 25", "cpu family\t: 26").replace("9R14", "9575F")
INTEL = "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 143\nmodel name\t: Intel Xeon\n"


@pytest.mark.parametrize("cpuinfo, processor, slow", [
    (ZEN4, "", True),
    (ZEN5, "", False),
    (INTEL, "", False),
    ("", "AMD64 Family 25 Model 97 Stepping 2, AuthenticAMD", True),  # Windows: Zen 4
    ("", "AMD64 Family 26 Model 68 Stepping 0, AuthenticAMD", False),
    ("", "Intel64 Family 6 Model 183 Stepping 1, GenuineIntel", False),
    ("", "AMD64 Family, AuthenticAMD", False),  # no number: not guessed
    ("", "", False),
])
def test_only_amd_family_0x19_is_said_to_sort_slowly_with_avx512(cpuinfo, processor, slow):
    assert avx512_sort_is_slow(cpuinfo, processor) is slow


def _imported(code: str, env: dict) -> dict:
    """What a fresh interpreter reports after running `code` (which prints JSON); a warning
    while importing NumPy (a feature name it does not know) fails it."""
    clean = {key: value for key, value in os.environ.items() if key != VARIABLE}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**clean, "PYTHONWARNINGS": "error::ImportWarning", **env})
    assert done.stderr == ""
    return json.loads(done.stdout)


# cpu.py is loaded alone: importing the records package would import NumPy as this CPU needs.
REPORT = """
import importlib.util, json, os
spec = importlib.util.spec_from_file_location("cpu", {path!r})
cpu = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cpu)
numpy = cpu.import_numpy(slow={slow})
try:
    from numpy._core._multiarray_umath import __cpu_dispatch__ as targets, __cpu_features__ as features
except ImportError:
    from numpy.core._multiarray_umath import __cpu_dispatch__ as targets, __cpu_features__ as features
# The code NumPy may choose (its dispatch targets), not the CPU's flags, which stay as they are.
print(json.dumps({{"avx512": sorted(k for k in targets if features[k] and ("AVX512" in k or k == "X86_V4")),
                   "variable": os.environ.get("{variable}")}}))
"""


def test_numpy_is_imported_without_avx512_where_it_sorts_slowly_and_the_environment_is_put_back():
    plain = _imported(REPORT.format(path=cpu.__file__, slow=False, variable=VARIABLE), {})
    without = _imported(REPORT.format(path=cpu.__file__, slow=True, variable=VARIABLE), {})
    assert without == {"avx512": [], "variable": None}
    assert plain["variable"] is None
    # On a CPU with AVX-512 (this one: an AMD EPYC) NumPy would otherwise choose it.
    assert set(without["avx512"]) <= set(plain["avx512"])


def test_a_variable_the_user_set_is_left_as_it_is():
    # An empty value: valid for every NumPy, and turns nothing off.
    kept = _imported(REPORT.format(path=cpu.__file__, slow=True, variable=VARIABLE), {VARIABLE: ""})
    plain = _imported(REPORT.format(path=cpu.__file__, slow=False, variable=VARIABLE), {})
    assert kept == {"avx512": plain["avx512"], "variable": ""}
