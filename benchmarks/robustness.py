"""How long `openness robustness` takes: the vectorised sampling against the plain loop of one
full evaluation (`scoring.evaluate` on the sampled methodology) per sample.

The 49 bodies of 2025 get seeded raw inputs for every indicator (each in its declared range),
so that every uncertainty acts. The loop is timed on `--loop-samples` and its time for the
full run is extrapolated from that, and said so; both runs draw the same samples, and the
benchmark checks on those that the ranks and ratings agree.

    python benchmarks/robustness.py [--samples 10000] [--loop-samples 500] [--repeat 3]
"""
import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openness_xl.analyses import robustness  # noqa: E402
from openness_xl.methodology import load  # noqa: E402
from openness_xl.io.published import published_submissions  # noqa: E402
from openness_xl.core.scoring import RAW, Entry  # noqa: E402
from tests.native_cases import random_inputs  # noqa: E402


def raw_submissions(methodology, seed: int):
    rng = random.Random(seed)
    return [(code, body_type, {i.id: Entry(RAW, values=random_inputs(i, rng, 500)) for i in methodology.indicators})
            for code, body_type, _ in published_submissions(methodology.year)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--loop-samples", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    methodology = load(2025)
    submissions = raw_submissions(methodology, 7)
    print(f"{len(submissions)} bodies, {len(methodology.uncertainties)} uncertainties, "
          f"{args.samples:,} samples")
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = robustness.analyse(methodology, submissions, args.samples, 2025)
        times.append(time.perf_counter() - started)
    print(f"vectorised: {statistics.median(times):.3f} s (median of {args.repeat}; "
          f"min {min(times):.3f} s), influence shares included")
    count = min(args.loop_samples, args.samples)
    choices = robustness.draw(methodology, count, 2025)
    total, scale, scored = robustness.indices(methodology, submissions, choices)
    vectorised_ranks = robustness.group_ranks(methodology, submissions, total, scored)
    positions = robustness.rating_positions(methodology, choices, total, scale)
    started = time.perf_counter()
    for n in range(count):
        results = robustness.evaluate_sample(methodology, submissions, choices[n])
        ranks = [r.rank for r in results]
        ratings = [result.rating_labels.index(r.rating) for r in results]
        if ranks != vectorised_ranks[n].tolist() or ratings != positions[n].tolist():
            raise SystemExit(f"sample {n}: the loop and the vectorised run disagree")
    loop = time.perf_counter() - started
    per_sample = loop / count
    print(f"plain loop: {loop:.2f} s for {count:,} samples = {per_sample * 1000:.1f} ms per sample; "
          f"{per_sample * args.samples:.0f} s for {args.samples:,} (extrapolated)")
    print(f"speed-up: {per_sample * args.samples / statistics.median(times):.0f}×; "
          f"the {count:,} looped samples agree with the vectorised ranks and ratings")
    for samples in (20_000, 200_000):
        print(f"openness robustness --samples {samples:,}: peak memory {peak_memory(samples) / 1024:.0f} MB "
              f"(blocks of {robustness.BLOCK:,} samples)")


def peak_memory(samples: int) -> int:
    """The largest resident set (KB) of a whole `openness robustness` process on the 2025 data."""
    import subprocess

    probe = ("import resource, subprocess, sys; subprocess.run([sys.executable, '-m', 'openness_xl.cli', 'robustness', "
             f"'--samples', '{samples}', '--format', 'csv'], check=True, stdout=subprocess.DEVNULL); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    return int(subprocess.run([sys.executable, "-c", probe], cwd=ROOT, check=True, capture_output=True,
                              text=True).stdout)


if __name__ == "__main__":
    main()
