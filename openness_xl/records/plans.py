"""The art. 90 reception plans (`--plans body,plan`): a small CSV read as strictly as any input."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from ..bounded import read_at_most
from ..core.bodies import BodyRegistry, UnknownBody
from ..io.inputs import InputErrors, Problem, decode_text, delimiter_of, shown_location
from ..methodology import Methodology
from ..texts import language, text as T
from ..core.values import InputProblem, parse_input

# The plan is an input of this indicator; its type and bounds are the methodology's.
PLANNED = ("appk_reception_intensity", "plan")
# A plan per body: a few hundred bytes. Read no more than this, so that a huge or sparse file
# is refused before it takes memory.
MAX_PLANS_BYTES = 1024 * 1024


def read_plans(path: Path | str, bodies: BodyRegistry, methodology: Methodology) -> dict[str, int]:
    """{body code: plan} from a CSV with the columns body and plan (`,` or `;`, UTF-8 or
    cp1251); every problem is reported with its row: an unknown body, a blank, text or a
    negative plan, a body given twice, a missing column."""
    indicator_id, name = PLANNED
    plan = next(spec for spec in methodology.indicator(indicator_id).inputs if spec.name == name)
    source = str(path)
    data = read_at_most(path, MAX_PLANS_BYTES)
    if data is None:
        raise InputErrors([Problem(source, "file", T("input.too_large", limit=f"{MAX_PLANS_BYTES:,}"))])
    text = decode_text(data, source)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in ("body", "plan") if c not in header]
    if missing:
        found = ", ".join(h for h in header if h) or T("input.nothing")
        raise InputErrors([Problem(source, "row 1", T("input.header", columns="body, plan", missing=", ".join(missing),
                                                      found=found))])
    body_at, plan_at = header.index("body"), header.index("plan")
    plans: dict[str, int] = {}
    where: dict[str, str] = {}
    problems = []
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            cells = cells + [""] * (len(header) - len(cells))
            location = f"row {number}"
            try:
                body = bodies.find(cells[body_at])
            except UnknownBody as error:
                problems.append(Problem(source, location, str(error) if cells[body_at].strip() else T("input.body_blank")))
                continue
            if body.code in plans:
                problems.append(Problem(source, location, T("records.plans.twice", body=body.code,
                                                            where=shown_location(where[body.code])), body.code,
                                        body_name=body.name(language())))
                continue
            try:
                plans[body.code] = int(parse_input(plan, cells[plan_at] if cells[plan_at].strip() else None))
            except InputProblem as error:
                problems.append(Problem(source, location, str(error), body.code, indicator_id, name, body.name(language())))
                continue
            where[body.code] = location
    except csv.Error as error:
        raise InputErrors([Problem(source, f"row {reader.line_num}", T("input.bad_csv", error=error))]) from None
    if problems:
        raise InputErrors(problems)
    return plans
