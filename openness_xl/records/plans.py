"""The art. 90 reception plans (`--plans body,plan`): a small CSV read as strictly as any input."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from ..bodies import BodyRegistry, UnknownBody
from ..inputs import InputErrors, Problem, _decode
from ..values import ValueProblem, parse_input
from ..methodology import InputSpec

PLAN = InputSpec("plan", "integer", "receptions", "минимум приёмов по ст. 90 АППК", "minimum receptions under art. 90", min=0)


def read_plans(path: Path | str, bodies: BodyRegistry) -> dict[str, int]:
    """{body code: plan} from a CSV with the columns body and plan (`,` or `;`, UTF-8 or
    cp1251); every problem is reported with its row: an unknown body, a blank, text or a
    negative plan, a body given twice, a missing column."""
    source = str(path)
    text = _decode(Path(path).read_bytes(), source)
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in ("body", "plan") if c not in header]
    if missing:
        raise InputErrors([Problem(source, "row 1", f"the header must have the columns body and plan; missing "
                                                    f"{', '.join(missing)} (found {', '.join(h for h in header if h) or 'nothing'})")])
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
                problems.append(Problem(source, location, str(error) if cells[body_at].strip() else "body is blank"))
                continue
            if body.code in plans:
                problems.append(Problem(source, location, f"{body.code} is given twice (also at {where[body.code]})", body.code))
                continue
            try:
                plans[body.code] = int(parse_input(PLAN, cells[plan_at] if cells[plan_at].strip() else None))
            except ValueProblem as error:
                problems.append(Problem(source, location, str(error), body.code, "appk_reception_intensity", "plan"))
                continue
            where[body.code] = location
    except csv.Error as error:
        raise InputErrors([Problem(source, f"row {reader.line_num}", f"is not valid CSV ({error})")]) from None
    if problems:
        raise InputErrors(problems)
    return plans
