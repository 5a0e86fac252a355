"""How long a computing template takes to write, and LibreOffice to recalculate it.

Writes the prefilled template (the 2025 published scores, 49 bodies) and templates of
generated bodies (raw inputs, direct scores, missing and bad values) at several sizes, then
has LibreOffice recalculate each with every cached formula value removed, so that all of
«Расчёт» and «Проверка» is computed from scratch. Prints seconds, file sizes and formulas.

    python benchmarks/native_template.py [--bodies 49 500 2000] [--repeat 3]
"""
import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openness_xl.io.published import published_submissions  # noqa: E402
from openness_xl.core.bodies import registry  # noqa: E402
from openness_xl.methodology import load  # noqa: E402
from openness_xl.workbooks.common import new_workbook, sheet_name  # noqa: E402
from openness_xl.workbooks.template import finish_template
from openness_xl.workbooks.input_sheets import input_values
from tests import native_cases  # noqa: E402
from tests.libreoffice import recalculate, strip_cached_values  # noqa: E402


def timed(action, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return result, min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bodies", type=int, nargs="+", default=[500, 2000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    methodology = load(2025)
    runs = [("2025 published scores", registry(2025), input_values(methodology, published_submissions(2025)))]
    for count in args.bodies:
        cases = native_cases.generate(methodology, count)
        runs.append((f"{count} generated bodies", native_cases.registry_of(cases), native_cases.template_values(cases)))
    print(f"{'template':<26} {'bodies':>6} {'formulas':>9} {'MB':>6} {'write best/median s':>20} {'LibreOffice best/median s':>26}")
    with tempfile.TemporaryDirectory() as folder:
        for label, bodies, values in runs:
            def write():
                workbook, buffer = new_workbook(label)
                return finish_template(workbook, buffer, methodology, bodies, values)

            data, write_best, write_median = timed(write, args.repeat)
            source = Path(folder) / "template.xlsx"
            source.write_bytes(data)
            blank = Path(folder) / "blank" / "template.xlsx"
            blank.parent.mkdir(exist_ok=True)
            formulas = strip_cached_values(source, blank, (sheet_name("calc"), sheet_name("checks")))
            _, lo_best, lo_median = timed(lambda: recalculate(blank, Path(folder)), args.repeat)
            print(f"{label:<26} {len(bodies):>6} {formulas:>9} {len(data) / 1e6:>6.1f} "
                  f"{write_best:>9.2f} / {write_median:<8.2f} {lo_best:>12.2f} / {lo_median:<8.2f}")


if __name__ == "__main__":
    main()
