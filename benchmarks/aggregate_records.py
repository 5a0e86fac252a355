"""Speed and memory of `openness aggregate` on a synthetic e-Otinish extract.

Prints, for each size: the time to merely read the used columns with pyarrow (the floor),
the aggregation's time (best of 3, inside one process), the ratio of the two, rows per
second, and the peak memory of a fresh process that runs one aggregation.

    python benchmarks/aggregate_records.py                 # 5.9 M appeals
    python benchmarks/aggregate_records.py --rows 5900000 11800000 59000000
"""
import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COLUMNS = ["appeal_id", "body", "kind", "registered_on", "deadline_on", "answered_on", "redirected_on", "rating"]


def best(function, repeat=3):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def measure(rows: int, folder: Path) -> None:
    import pyarrow.parquet as pq

    from openness_xl.bodies import registry
    from openness_xl.methodology import load
    from openness_xl.records.pipeline import aggregate
    from openness_xl.records.schema import default_mapping
    from openness_xl.records.synthetic import generate

    methodology, bodies = load(2025), registry(2025)
    started = time.perf_counter()
    extract = generate(folder, methodology, bodies, appeals=rows, seed=1, with_expected=False)
    print(f"\n{rows:,} appeals: generated in {time.perf_counter() - started:.1f} s, "
          f"{extract.appeals.stat().st_size / 1e6:.0f} MB Parquet", flush=True)
    floor = best(lambda: pq.read_table(extract.appeals, columns=COLUMNS))
    run = best(lambda: aggregate(extract.appeals, extract.receptions, methodology, bodies, default_mapping()))
    child = subprocess.run([sys.executable, __file__, "--child", str(extract.appeals), str(extract.receptions)],
                           capture_output=True, text=True, check=True)
    peak_mb = float(child.stdout.strip())
    print(f"  read floor (pyarrow, {len(COLUMNS)} columns): {floor:.2f} s")
    print(f"  aggregate (DuckDB):                      {run:.2f} s  = {run / floor:.2f} × the floor, "
          f"{rows / run / 1e6:.2f} M rows/s")
    print(f"  peak memory of one aggregation process:  {peak_mb:.0f} MB")


def child(appeals: str, receptions: str) -> None:
    from openness_xl.bodies import registry
    from openness_xl.methodology import load
    from openness_xl.records.pipeline import aggregate
    from openness_xl.records.schema import default_mapping

    aggregate(appeals, receptions, load(2025), registry(2025), default_mapping())
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child would report its
    # parent's peak (the generator's) instead of its own.
    status = Path("/proc/self/status").read_text()
    peak_kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    print(peak_kb / 1024)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="*", default=[5_900_000])
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
    else:
        for rows in args.rows:
            with tempfile.TemporaryDirectory() as folder:
                measure(rows, Path(folder))
