"""Speed and memory of `openness aggregate` against its floor, the same extract read once.

For each size, a synthetic e-Otinish extract is written three times — ids in order, as a
register may export them; shuffled, as real extracts come; and shuffled with bad records, as
every real extract has some (about 1 in 100,000 of each: an unknown body, a rating of 7, an
answer before registration, a duplicated id) — and for each, whole processes are run
in turn, `--repeat` times: the floor (Python reading the 8 used columns with pyarrow, start-up
included) and `openness aggregate APPEALS RECEPTIONS -o FILE` (start-up, reading, checking,
counting and writing). Printed side by side: the medians, the median of each round's ratio
(and their range), and each process's peak memory; then how much longer shuffled ids take
than ids in order, round by round, and the bad records' cost over the clean shuffled extract.

Runs alternate because this shared machine's speed drifts by tens of per cent in a minute.

    python benchmarks/aggregate_records.py                       # 0.6 M and 5.9 M appeals
    python benchmarks/aggregate_records.py --rows 59000000       # 59 M (about 1.4 GB of files)
    python benchmarks/aggregate_records.py --format csv          # CSV extracts (pyarrow's CSV reader the floor)
"""
import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# Issue 27's targets: shuffled ids within 10 % of ids in order, both within 1.2× the floor.
ORDER_TARGET, FLOOR_TARGET = 1.1, 1.2


# Which records turn bad, by their id's hash (the same ones at every size, about 1 in
# 100,000 each), and how: as typed Parquet columns, and as a CSV's text.
BAD_EVERY = 100_000
BAD = {"parquet": {1: ("body", "'Министерство магии'"), 2: ("rating", "7"), 3: ("answered_on", "registered_on - 3")},
       "csv": {1: ("body", "'Министерство магии'"), 2: ("rating", "'7'"),
               3: ("answered_on", "CAST(CAST(registered_on AS DATE) - 3 AS VARCHAR)")}}
DUPLICATED = 4


def with_bad_records(clean, folder: Path, fmt: str):
    """The clean extract with bad records: some turned bad in place (`BAD`), some copied whole
    to the end (their ids then repeated). Written by DuckDB, streaming, so 59 M fit."""
    import dataclasses

    import duckdb

    folder.mkdir()
    target = folder / clean.appeals.name
    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")
    pick = f"hash(appeal_id) % {BAD_EVERY}"
    reader = (f"read_csv('{clean.appeals}', all_varchar=true, header=true)" if fmt == "csv"
              else f"read_parquet('{clean.appeals}')")
    columns = [row[0] for row in connection.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()]
    changed = {name: f"CASE WHEN {pick} = {code} THEN {value} ELSE {name} END" for code, (name, value) in BAD[fmt].items()}
    select = ", ".join(f"{changed.get(c, c)} AS {c}" for c in columns)
    connection.execute(f"COPY (SELECT {select} FROM {reader} UNION ALL SELECT * FROM {reader} WHERE {pick} = {DUPLICATED}) "
               f"TO '{target}' ({'FORMAT csv, HEADER true' if fmt == 'csv' else 'FORMAT parquet'})")
    return dataclasses.replace(clean, appeals=target)


def met(ratio: float, target: float) -> str:
    return "met" if ratio <= target else "not met"


def peak_mb() -> float:
    """This process's own peak memory: VmHWM, not ru_maxrss, which Linux keeps across exec and
    would report the parent's peak instead."""
    status = Path("/proc/self/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")) / 1024


def child(what: str, appeals: str, receptions: str, output: str, columns: str) -> None:
    """One whole process of the benchmark: the floor (reading the appeals' `columns`, by
    commas) or the command; its peak on stderr."""
    columns = columns.split(",")
    if what == "floor" and appeals.endswith(".csv"):
        import pyarrow.csv as pacsv

        pacsv.read_csv(appeals, convert_options=pacsv.ConvertOptions(include_columns=columns))
        pacsv.read_csv(receptions)
    elif what == "floor":
        import pyarrow.parquet as pq

        pq.read_table(appeals, columns=columns)
        pq.read_table(receptions)
    else:
        sys.path.insert(0, str(ROOT))
        from openness_xl.cli.app import main

        code = main(["aggregate", appeals, receptions, "-o", output, "--force"])
        if code:
            raise SystemExit(code)
    print(f"{peak_mb():.0f}", file=sys.stderr)


def run(what: str, extract, output: Path) -> tuple[float, float]:
    """(seconds, peak MB) of one whole process."""
    sys.path.insert(0, str(ROOT))
    from openness_xl.records.schema import APPEAL_COLUMNS, SHOWN_ONLY

    # The floor reads what the counts read: the schema's appeal columns but those only shown.
    columns = ",".join(c for c in APPEAL_COLUMNS if c not in SHOWN_ONLY)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--child", what, str(extract.appeals), str(extract.receptions),
                           str(output), columns], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    return time.perf_counter() - started, float(done.stderr.strip().splitlines()[-1])


def measure(rows: int, folder: Path, repeat: int, fmt: str = "parquet") -> None:
    sys.path.insert(0, str(ROOT))
    from openness_xl.core.bodies import registry
    from openness_xl.methodology import load
    from openness_xl.records.synthetic import generate

    methodology, bodies = load(2025), registry(2025)
    extracts = {}
    for order, in_order in (("in order", True), ("shuffled", False)):
        extracts[order] = generate(folder / order.replace(" ", "-"), methodology, bodies, appeals=rows, seed=1,
                                   with_expected=False, ids_in_order=in_order, fmt=fmt)
    extracts["with bad"] = with_bad_records(extracts["shuffled"], folder / "bad", fmt)
    times = {(order, what): [] for order in extracts for what in ("floor", "aggregate")}
    peaks = {}
    for order, extract in extracts.items():  # warm the page cache and the imports
        run("floor", extract, folder / "out.csv"), run("aggregate", extract, folder / "out.csv")
    for _ in range(repeat):
        for order, extract in extracts.items():
            for what in ("floor", "aggregate"):
                seconds, peak = run(what, extract, folder / "out.csv")
                times[(order, what)].append(seconds)
                peaks[(order, what)] = max(peak, peaks.get((order, what), 0))
    median = {key: statistics.median(values) for key, values in times.items()}
    # Ratios of the runs of one round, side by side in time, then their median: the machine's
    # drift between rounds (10-30 %) cancels out of each, where it does not out of a ratio of
    # medians.
    paired = {order: [a / f for f, a in zip(times[(order, "floor")], times[(order, "aggregate")])] for order in extracts}
    print(f"\n{rows:,} appeals ({fmt}), median of {repeat} whole-process runs each")
    print(f"  {'extract':<10}{'file':>8}{'floor':>9}{'aggregate':>11}{'ratio':>8}{'(of rounds)':>14}{'peak MB':>15}")
    for order, extract in extracts.items():
        floor, aggregate = median[(order, "floor")], median[(order, "aggregate")]
        size = extract.appeals.stat().st_size / 1e6
        print(f"  {order:<10}{size:>6.0f}MB{floor:>8.2f}s{aggregate:>10.2f}s{statistics.median(paired[order]):>7.2f}×"
              f"   {min(paired[order]):.2f}–{max(paired[order]):.2f}×"
              f"{peaks[(order, 'floor')]:>7.0f} /{peaks[(order, 'aggregate')]:>6.0f}")
    rounds = [s / i for i, s in zip(times[("in order", "aggregate")], times[("shuffled", "aggregate")])]
    order = statistics.median(rounds)
    print(f"  shuffled / in order: {order:.2f}× (of rounds {min(rounds):.2f}–{max(rounds):.2f}×; floors "
          f"{median[('shuffled', 'floor')] / median[('in order', 'floor')]:.2f}×)")
    bad = [b / s for s, b in zip(times[("shuffled", "aggregate")], times[("with bad", "aggregate")])]
    print(f"  with bad / shuffled: {statistics.median(bad):.2f}× (of rounds {min(bad):.2f}–{max(bad):.2f}×)")
    within = ", ".join(f"{o} {met(statistics.median(paired[o]), FLOOR_TARGET)}" for o in extracts)
    print(f"  target ≤ {FLOOR_TARGET:g}× the floor: {within}")
    print(f"  target shuffled ≤ {ORDER_TARGET:g}× in order: {met(order, ORDER_TARGET)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[600_000, 5_900_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
    else:
        for rows in args.rows:
            with tempfile.TemporaryDirectory() as folder:
                measure(rows, Path(folder), args.repeat, args.format)
