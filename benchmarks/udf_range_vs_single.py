"""How much one range call saves over 49 single-cell calls, on the Python side.

Prints calls per second and bodies per second for OPENNESS_TIMELINESS over 49 bodies:
one call with two 49-row ranges against 49 calls with single cells. In Excel each single
call also pays a COM round trip (milliseconds) that this script cannot measure, so the
real saving in a workbook is larger than the ratio printed here.

    python benchmarks/udf_range_vs_single.py
"""
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "udfs"))

import openness_udfs as udfs  # noqa: E402

BODIES = 49
late = [[float(n % 7)] for n in range(BODIES)]
reviewed = [[float(1000 + 997 * n)] for n in range(BODIES)]


def range_call():
    return udfs.OPENNESS_TIMELINESS(late, reviewed)


def single_calls():
    return [udfs.OPENNESS_TIMELINESS(a[0], b[0]) for a, b in zip(late, reviewed)]


def rate(function, repeat=5, number=200):
    best = min(timeit.repeat(function, repeat=repeat, number=number))
    return number / best


if __name__ == "__main__":
    assert range_call() == [[v] for v in single_calls()]
    range_rate = rate(range_call)
    single_rate = rate(single_calls)
    print(f"one range call of {BODIES} rows: {range_rate:,.0f} calls/s = {range_rate * BODIES:,.0f} bodies/s")
    print(f"{BODIES} single-cell calls:        {single_rate * BODIES:,.0f} calls/s = {single_rate * BODIES:,.0f} bodies/s")
    print(f"Python-side time per sheet: range {1000 / range_rate:.3f} ms, singles {1000 / single_rate:.3f} ms")
