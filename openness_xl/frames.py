"""The pandas face of openness-xl, for notebooks: DataFrames in, DataFrames out.

    import openness_xl as ox
    ox.score(frame)          # the columns of `openness scores --format csv`
    ox.whatif("МЗ", frame)   # per indicator: points lost, next tier, the change that reaches it
    ox.compare("2024", "2025")

`frame` is the long input table (columns body, indicator, field, value) or a wide one (a row
per body: a `body` column and one column per `indicator.field`, e.g.
`appk_review_timeliness.late`). Values are read as the input files' are: every problem is an
error naming the frame's row and column, nothing is guessed.
"""
from __future__ import annotations

import io
from fractions import Fraction
from typing import Any, Sequence

from .extras import require

require("pandas", "pandas")

import pandas as pd  # noqa: E402

from .core.bodies import registry  # noqa: E402
from .io.inputs import COLUMNS, InputErrors, Row, build_submissions  # noqa: E402
from .methodology import DEFAULT_YEAR, Methodology, load  # noqa: E402
from .io.writing import score_columns, score_rows  # noqa: E402
from .core.scoring import evaluate  # noqa: E402
from .texts import text  # noqa: E402


def _methodology(methodology: Methodology | int | str | None) -> Methodology:
    return methodology if isinstance(methodology, Methodology) else load(methodology or DEFAULT_YEAR)


def _cell(value: Any) -> Any:
    """A frame's cell as the readers take it: NaN and NA are blank."""
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def rows_of(frame: pd.DataFrame) -> list[Row]:
    """The frame as input rows, long or wide, each located by its row label and column."""
    columns = [str(c) for c in frame.columns]
    if set(COLUMNS) <= set(columns):
        return [Row(f"row {label}", *(_cell(record[c]) for c in COLUMNS))
                for label, record in frame.iterrows()]
    if "body" not in columns:
        raise InputErrors([_problem("columns", text("value.frame.columns"))])
    fields = [c for c in columns if "." in c]
    if not fields:
        raise InputErrors([_problem("columns", text("value.frame.no_field"))])
    out = []
    for label, record in frame.iterrows():
        for column in fields:
            value = _cell(record[column])
            if value is None:
                continue
            indicator, field = column.split(".", 1)
            out.append(Row(f"row {label}, column {column}", _cell(record["body"]), indicator, field, value))
    return out


def _problem(location: str, message: str):
    from .io.inputs import Problem

    return Problem("frame", location, message)


def submissions(frame: pd.DataFrame, methodology: Methodology | int | str | None = None, year: int = DEFAULT_YEAR):
    import warnings

    m = _methodology(methodology)
    noticed: list = []
    subs, problems = build_submissions(m, registry(year), rows_of(frame), "frame", noticed)
    if problems:
        raise InputErrors(problems)
    for warning in noticed:
        warnings.warn(str(warning), stacklevel=3)
    return subs


def results_frame(methodology: Methodology, results) -> pd.DataFrame:
    """Results with the CSV's columns: numbers as Float64 (NA where missing), labels as text."""
    columns = score_columns(methodology)
    frame = pd.DataFrame(score_rows(methodology, results), columns=columns)
    labels = {"body", "body_type", "rating"} | {c for c in columns if c.endswith(("__tier", "__grade"))}
    for column in columns:
        if column == "rank":
            # pandas reads a column of ranks with gaps as floats, the gaps as NaN
            frame[column] = pd.array([None if pd.isna(v) else int(v) for v in frame[column]], dtype="Int64")
        elif column in labels:
            frame[column] = frame[column].astype("string")
        else:
            frame[column] = pd.array([None if v is None or pd.isna(v) else float(v) for v in frame[column]], dtype="Float64")
    return frame


def score(frame: pd.DataFrame | None = None, methodology: Methodology | int | str | None = None,
          year: int = DEFAULT_YEAR) -> pd.DataFrame:
    """Every body's scores, tiers, criteria, letters, index, rating and rank; without a frame,
    the published scores of the year."""
    from .io.published import published_submissions

    m = _methodology(methodology)
    subs = published_submissions(year) if frame is None else submissions(frame, m, year)
    results = evaluate(m, subs, assessed=registry(year))
    _warn_unranked(m, results, year)
    return results_frame(m, results)


def _warn_unranked(m: Methodology, results, year: int) -> None:
    """The command line's warning, word for word, for each group whose rank column is empty."""
    import warnings

    from .core.scoring import partial_types, unranked

    for body_type, codes in sorted(unranked(partial_types(results), registry(year)).items()):
        warnings.warn(text("value.no_rank", type=m.body_type_label(body_type), count=len(codes)) + f" ({', '.join(codes)})",
                      stacklevel=3)


def whatif(body: str, frame: pd.DataFrame | None = None, to: tuple[str, str] | None = None,
           methodology: Methodology | int | str | None = None, year: int = DEFAULT_YEAR) -> pd.DataFrame:
    """`openness whatif` as a frame: a row per indicator and step (and per step of the plan)."""
    from .analyses import whatif as verb
    from .analyses.whatif_tables import CSV_COLUMNS, rows_for_csv
    from .io.published import published_submissions

    m = _methodology(methodology)
    subs = published_submissions(year) if frame is None else submissions(frame, m, year)
    code = registry(year).find(body).code
    rows = verb.indicator_rows(m, subs, code)
    plans = verb.plan(m, subs, code, *to) if to else []
    table = pd.DataFrame(rows_for_csv(code, rows, plans), columns=CSV_COLUMNS)
    for column in ("score", "lost", "target_score", "reached"):
        table[column] = pd.array([None if v == "" else float(Fraction(v)) for v in table[column]], dtype="Float64")
    return table


def robustness(frame: pd.DataFrame | None = None, samples: int | None = None, seed: int | None = None,
               methodology: Methodology | int | str | None = None, year: int = DEFAULT_YEAR) -> pd.DataFrame:
    """`openness robustness` as a frame: a row per body with its declared rank and rating, the
    median and 5–95 % interval of its sampled rank, the share of each rating and what moves it."""
    from .analyses import robustness as verb
    from .analyses.robustness_tables import csv_columns, csv_rows
    from .io.published import published_submissions

    m = _methodology(methodology)
    subs = published_submissions(year) if frame is None else submissions(frame, m, year)
    result = verb.analyse(m, subs, samples, seed)
    table = pd.DataFrame(csv_rows(result), columns=csv_columns(result))
    for column in ("rank", "rank_p5", "rank_p95"):
        table[column] = pd.array([None if v == "" else int(v) for v in table[column]], dtype="Int64")
    numbers = ["median_rank", "rank_share", "rating_share", *(c for c in table.columns if c.startswith("share_"))]
    for column in numbers:
        table[column] = pd.array([None if v == "" else float(v) for v in table[column]], dtype="Float64")
    return table


def compare(previous: str | pd.DataFrame, current: str | pd.DataFrame, previous_methodology: str | None = None,
            current_methodology: str | None = None, year: int = DEFAULT_YEAR) -> pd.DataFrame:
    """`openness compare` as a frame: improved, declined or kept per body and item. A side is
    what the command takes (a year, a folder, a file) or an input frame, as `score` takes it."""
    from .analyses import compare as verb

    def side(value, methodology_file, name):
        if isinstance(value, pd.DataFrame):
            m = _methodology(methodology_file)
            return verb.from_results(name, m, evaluate(m, submissions(value, m, year)))
        return verb.side(value, methodology_file, year)

    changes = verb.compare(side(previous, previous_methodology, "previous"), side(current, current_methodology, "current"))
    return pd.DataFrame(verb.rows(changes), columns=verb.CSV_COLUMNS)


def merge(*frames: pd.DataFrame, prefer: Sequence[int] = (), methodology: Methodology | int | str | None = None,
          year: int = DEFAULT_YEAR) -> pd.DataFrame:
    """`openness merge` of input frames (long or wide): one long table, each value given once.
    The same body, indicator and field in two frames raises InputErrors naming both («frame 1,
    row 3»), unless `prefer` (frame numbers from 1, the first wins) says which frame wins."""
    import warnings

    from .analyses.merge import merge_rows

    m = _methodology(methodology)
    sources = [(f"frame {n}", rows_of(frame)) for n, frame in enumerate(frames, start=1)]
    merged = merge_rows(sources, m, registry(year), {f"frame {n}": position for position, n in enumerate(prefer)})
    for line in merged.warnings + merged.settled:
        warnings.warn(line, stacklevel=2)
    return pd.read_csv(io.StringIO(merged.table), dtype=str, keep_default_na=False)


CHECK_COLUMNS = ("body", "body_type", "given", "missing", "missing_indicators")


def check(frame: pd.DataFrame, methodology: Methodology | int | str | None = None, strict: bool = False,
          year: int = DEFAULT_YEAR) -> pd.DataFrame:
    """`openness check` of an input frame. A value that cannot be read raises InputErrors, as
    the command refuses the file; else a row per assessed body: how many indicators it gives
    and which are missing (by number, «1–3, 7»; a body the frame does not mention misses all).
    A group with a body without an index gets no place, said as `score` says it; with `strict`,
    anything missing raises ValueError, as `check --strict` exits 2."""
    from .io.writing import order_ranges

    m = _methodology(methodology)
    assessed = registry(year)
    evaluated = evaluate(m, submissions(frame, m, year), assessed=assessed)
    _warn_unranked(m, evaluated, year)
    results = {r.body: r for r in evaluated}
    rows = []
    for body in assessed:
        result = results.get(body.code)
        missing = list(result.missing) if result else [i.id for i in m.indicators]
        rows.append((body.code, body.type, len(m.indicators) - len(missing), len(missing),
                     order_ranges([m.indicator(i).order for i in missing])))
    table = pd.DataFrame(rows, columns=CHECK_COLUMNS)
    for column in ("given", "missing"):
        table[column] = table[column].astype("Int64")
    incomplete = table[table["missing"] > 0]
    if strict and len(incomplete):
        raise ValueError(text("messages.strict_missing_frame", bodies=", ".join(incomplete["body"])))
    return table


def diff(old: pd.DataFrame, new: pd.DataFrame, methodology: Methodology | int | str | None = None,
         year: int = DEFAULT_YEAR) -> pd.DataFrame:
    """`openness diff` of two frames, a row per change with the CSV's columns: input frames
    give the changed inputs and everything they move; a score frame (as `score` returns it)
    on either side gives what moved only."""
    from .analyses import diff as verb

    m = _methodology(methodology)
    columns = score_columns(m)

    def table(frame: pd.DataFrame):
        if list(frame.columns) != columns:
            return None
        return {row["body"]: {c: _score_text(row[c]) for c in columns} for row in frame.to_dict("records")}

    tables = [table(old), table(new)]
    if tables == [None, None]:
        result = verb.diff(m, submissions(old, m, year), submissions(new, m, year))
    else:
        sides = [t if t is not None else verb.score_table(m, evaluate(m, submissions(f, m, year)))
                 for t, f in zip(tables, (old, new))]
        result = verb.diff_scores(m, *sides)
    return pd.DataFrame(verb.rows(result), columns=verb.CSV_COLUMNS)


def _score_text(value: Any) -> str:
    """A cell of a score frame as `openness scores` writes it (3.78, 23, ААА, "" for NA)."""
    from .core.exact import plain

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, str):
        return value
    return plain(Fraction(repr(float(value)))) if isinstance(value, float) else str(value)
