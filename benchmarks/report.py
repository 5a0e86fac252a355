"""How long `openness report` and a prefilled `openness template` take against their floor,
`openness scores` of the same input: whole processes, start-up included, median of --repeat
runs each, run in turn so that the machine's drift falls on all alike; the ratio is the
median of each round's own (with their range).

Two inputs as long tables: the published 2025 scores (all given directly) and seeded raw
inputs for every body and indicator (where what-if and the roadmaps have levers to move).

    python benchmarks/report.py [--repeat 5]
"""
import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def inputs(folder: Path) -> dict[str, Path]:
    """The two inputs as long tables: the published scores and seeded raw inputs."""
    from openness_xl.io.published import published_submissions
    from openness_xl.core.bodies import registry
    from openness_xl.methodology import load
    from openness_xl.io.writing import inputs_csv
    from tests import native_cases as nc

    methodology = load(2025)
    published, raw = folder / "published.csv", folder / "raw.csv"
    published.write_text(inputs_csv(methodology, published_submissions(2025)), encoding="utf-8")
    rows = nc.long_table_rows(methodology, registry(2025), random.Random(4), absent=0.0, direct=0.0, always=())
    raw.write_text("\n".join(",".join(map(str, row)) for row in rows) + "\n", encoding="utf-8")
    return {"published 2025 scores": published, "seeded raw inputs": raw}


# Issue 27's target: the report and a prefilled template within 3× the time of scoring.
TARGET = 3.0


def run(arguments: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "openness_xl.cli", *arguments, "--force"], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        for label, given in inputs(out).items():
            commands = {"scores": ["scores", str(given), "-o", str(out / "s.csv")],
                        "report": ["report", str(given), "-o", str(out / "r.xlsx")],
                        "template": ["template", str(given), "-o", str(out / "t.xlsx")]}
            times: dict[str, list[float]] = {name: [] for name in commands}
            for _ in range(args.repeat):
                for name, arguments in commands.items():
                    times[name].append(run(arguments))
            print(f"{label}, {args.repeat} rounds of whole processes (medians):")
            for name, values in times.items():
                median = statistics.median(values)
                if name == "scores":
                    print(f"  openness {name:<9} {median:6.2f} s")
                    continue
                # Each round's own ratio: the machine's drift between rounds cancels out of it.
                rounds = [v / f for v, f in zip(values, times["scores"])]
                ratio = statistics.median(rounds)
                print(f"  openness {name:<9} {median:6.2f} s  {ratio:4.2f}× scores (rounds {min(rounds):.2f}–{max(rounds):.2f}×);"
                      f" ≤ {TARGET:g}×: {'met' if ratio <= TARGET else 'not met'}")


if __name__ == "__main__":
    main()
