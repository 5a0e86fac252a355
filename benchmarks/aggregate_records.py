"""Speed and memory of `openness aggregate` on a synthetic e-Otinish extract.

For each size and each id order (ids in file order, as a register exports them; and
shuffled, which costs the duplicate check a sort), prints: the read floor (pyarrow reading
the 8 used columns), the aggregation's time, their ratio, rows per second, and the peak
memory of a fresh process that runs one aggregation.

The floor and the aggregation are timed alternately, `--repeat` times each, because this
shared machine's speed drifts by tens of per cent within a minute: the ratio is given both
from the best times and as the median of the pairwise ratios.

    python benchmarks/aggregate_records.py                 # 5.9 M appeals
    python benchmarks/aggregate_records.py --rows 5900000 11800000 59000000
"""
import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COLUMNS = ["appeal_id", "body", "kind", "registered_on", "deadline_on", "answered_on", "redirected_on", "rating"]


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def measure(rows: int, folder: Path, ids_in_order: bool, repeat: int) -> None:
    import pyarrow.parquet as pq

    from openness_xl.core.bodies import registry
    from openness_xl.methodology import load
    from openness_xl.records.pipeline import aggregate
    from openness_xl.records.schema import default_mapping
    from openness_xl.records.synthetic import generate

    methodology, bodies = load(2025), registry(2025)
    started = time.perf_counter()
    extract = generate(folder, methodology, bodies, appeals=rows, seed=1, with_expected=False, ids_in_order=ids_in_order)
    order = "ids in order" if ids_in_order else "ids shuffled"
    print(f"\n{rows:,} appeals, {order}: generated in {time.perf_counter() - started:.1f} s, "
          f"{extract.appeals.stat().st_size / 1e6:.0f} MB Parquet", flush=True)

    def read():
        pq.read_table(extract.appeals, columns=COLUMNS)

    def run():
        aggregate(extract.appeals, extract.receptions, methodology, bodies, default_mapping())

    read(), run()  # warm the page cache and the imports
    floors, runs = [], []
    for _ in range(repeat):
        floors.append(timed(read))
        runs.append(timed(run))
    ratios = [r / f for r, f in zip(runs, floors)]
    child = subprocess.run([sys.executable, __file__, "--child", str(extract.appeals), str(extract.receptions)],
                           capture_output=True, text=True, check=True)
    peak_mb = float(child.stdout.strip())
    floor, best = min(floors), min(runs)
    print(f"  read floor (pyarrow, {len(COLUMNS)} columns): best {floor:.2f} s, median {statistics.median(floors):.2f} s")
    print(f"  aggregate (DuckDB):                      best {best:.2f} s, median {statistics.median(runs):.2f} s, "
          f"{rows / best / 1e6:.2f} M rows/s")
    print(f"  ratio to the floor:                      {best / floor:.2f} × (best over best), "
          f"{statistics.median(ratios):.2f} × (median of {repeat} pairs)")
    print(f"  peak memory of one aggregation process:  {peak_mb:.0f} MB")


def child(appeals: str, receptions: str) -> None:
    from openness_xl.core.bodies import registry
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
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--order", choices=["both", "in-order", "shuffled"], default="both")
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
    else:
        orders = {"both": [True, False], "in-order": [True], "shuffled": [False]}[args.order]
        for rows in args.rows:
            for in_order in orders:
                with tempfile.TemporaryDirectory() as folder:
                    measure(rows, Path(folder), in_order, args.repeat)
