"""The art. 90 reception plans (`--plans body,plan`): a small CSV or workbook read as strictly as
any input."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from ..bounded import read_at_most
from ..core.bodies import BodyRegistry, UnknownBody
from ..io.inputs import InputErrors, Problem, decode_text, delimiter_of, header_key, sheet_headed, shown_location
from ..io.safe_xlsx import kind_of
from ..methodology import Methodology
from ..texts import language, text as T
from ..core.values import InputProblem, parse_input

# The plan is an input of this indicator; its type and bounds are the methodology's.
PLANNED = ("appk_reception_intensity", "plan")
# A plan per body: a few hundred bytes. Read no more than this, so that a huge or sparse file
# is refused before it takes memory.
MAX_PLANS_BYTES = 1024 * 1024


def read_plans(path: Path | str, bodies: BodyRegistry, methodology: Methodology) -> dict[str, int]:
    """{body code: plan} from a table with the columns body and plan: a CSV (`,` or `;`, UTF-8
    or cp1251) or an .xlsx (its first sheet headed with them, else its first sheet). Every
    problem is reported with its row or cell: an unknown body, a blank, text or a negative
    plan, a body given twice, a missing column."""
    indicator_id, name = PLANNED
    plan = next(spec for spec in methodology.indicator(indicator_id).inputs if spec.name == name)
    source = str(path)
    data = read_at_most(path, MAX_PLANS_BYTES)
    if data is None:
        raise InputErrors([Problem(source, "file", T("input.too_large", limit=f"{MAX_PLANS_BYTES:,}"))])
    rows = _workbook_rows(path, source) if kind_of(data[:80]) == "zip" else _csv_rows(data, source)
    first_location, header = next(rows, ("row 1", []))
    header = [header_key(h) for h in header]
    missing = [c for c in ("body", "plan") if c not in header]
    if missing:
        found = ", ".join(h for h in header if h) or T("input.nothing")
        raise InputErrors([Problem(source, first_location, T("input.header", columns="body, plan",
                                                              missing=", ".join(missing), found=found))])
    body_at, plan_at = header.index("body"), header.index("plan")
    plans: dict[str, int] = {}
    where: dict[str, str] = {}
    problems = []
    for location, cells in rows:
        cells = ["" if c is None else c for c in cells]
        if not any(str(c).strip() for c in cells):
            continue
        cells = cells + [""] * (len(header) - len(cells))
        written_body, written_plan = str(cells[body_at]), cells[plan_at]
        try:
            body = bodies.find(written_body)
        except UnknownBody as error:
            problems.append(Problem(source, location, str(error) if written_body.strip() else T("input.body_blank")))
            continue
        if body.code in plans:
            problems.append(Problem(source, location, T("records.plans.twice", body=body.code,
                                                        where=shown_location(where[body.code])), body.code,
                                    body_name=body.name(language())))
            continue
        try:
            plans[body.code] = int(parse_input(plan, written_plan if str(written_plan).strip() else None))
        except InputProblem as error:
            problems.append(Problem(source, location, str(error), body.code, indicator_id, name, body.name(language())))
            continue
        where[body.code] = location
    if problems:
        raise InputErrors(problems)
    return plans


def _csv_rows(data: bytes, source: str):
    """(«row N», cells) of a CSV's rows, the header first."""
    text = decode_text(data, source)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))
    try:
        for number, cells in enumerate(reader, start=1):
            yield f"row {number}", cells
    except csv.Error as error:
        raise InputErrors([Problem(source, f"row {reader.line_num}", T("input.bad_csv", error=error))]) from None


def _workbook_rows(path: Path | str, source: str):
    """(«Sheet!AN», cells) of the rows of an .xlsx's first sheet headed with body and plan (else
    its first sheet), the header first: numbers as numbers, read as any input cell is."""
    from ..io.safe_xlsx import DAMAGED, UnsafeWorkbook, open_workbook, present_rows, unreadable

    try:
        workbook, _notes = open_workbook(path)
    except UnsafeWorkbook as error:
        raise InputErrors([Problem(source, "file", error.reason)]) from None
    try:
        sheet = sheet_headed(workbook, ("body", "plan"))
        for number, values in present_rows(sheet):
            yield f"{sheet.title}!A{number}", list(values)
    except (*DAMAGED, ValueError) as error:
        raise InputErrors([Problem(source, *unreadable(path, error))]) from None
    finally:
        workbook.close()
