"""A seeded synthetic e-Otinish extract with the answers known in advance.

Realistic skew (the largest body about 14 % of appeals, the smallest a few hundred), dates
over one year, a small share late. The generator decides every fact itself — which appeal
is late, after how many working days it is redirected — and counts the expected indicator
inputs from those decisions, so the tests compare the pipeline with answers it did not
compute. Working days here come from a plain day-by-day walk over the `holidays` package,
not from the pipeline's cumulative calendar.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from ..core.bodies import BodyRegistry
from ..core.exact import round_half_away
from ..methodology import DEFAULT_YEAR, Methodology

KINDS = np.array(["заявление", "жалоба", "запрос", "сообщение", "предложение", "отклик"], dtype=object)
KIND_SHARES = np.array([0.55, 0.12, 0.09, 0.12, 0.07, 0.05])
RECEIVERS = np.array(["first_leader", "deputy", "chief_of_staff"], dtype=object)


@dataclass
class Extract:
    appeals: Path
    receptions: Path
    expected: dict[str, dict[str, dict[str, Fraction]]]  # body → indicator → field → value
    bad: dict[str, list[str]]  # problem kind → ids injected


def working_day_list(year: int) -> list[dt.date]:
    """Every working day from a year before to a year after, by walking the calendar day by day."""
    import holidays

    public = holidays.country_holidays("KZ", years=range(year - 1, year + 2))
    extra = set(getattr(public, "weekend_workdays", set()))
    day, last, out = dt.date(year - 1, 12, 1), dt.date(year + 1, 3, 31), []
    while day <= last:
        if (day.weekday() < 5 and day not in public) or day in extra:
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def body_weights(count: int, largest_share: float = 0.14, smallest_to_largest: float = 1 / 2500) -> np.ndarray:
    """Shares falling geometrically from the largest body to the smallest."""
    rate = np.log(1 / smallest_to_largest) / (count - 1)
    weights = np.exp(-rate * np.arange(count))
    weights /= weights.sum()
    # Pull the largest body toward the wanted share, keeping the order.
    weights[0] = largest_share
    weights[1:] *= (1 - largest_share) / weights[1:].sum()
    return weights


def generate(folder: Path | str, methodology: Methodology, bodies: BodyRegistry, appeals: int = 200_000,
             seed: int = 2025, year: int = DEFAULT_YEAR, late_share: float = 0.002, inject_bad: bool = False,
             fmt: str = "parquet", with_expected: bool = True, ids_in_order: bool = True) -> Extract:
    """Write appeals and receptions files into `folder` and return them with the expected inputs.

    Appeal ids are A1, A2, … in file order, as a register exports them; `ids_in_order=False`
    shuffles them (still unique), which costs the duplicate check a sort.
    """
    rng = np.random.default_rng(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    codes = np.array([b.code for b in bodies], dtype=object)
    rng_order = rng.permutation(len(codes))  # which body is the largest is random, but seeded
    weights = body_weights(len(codes))[np.argsort(rng_order)]
    days = _Days(year)
    drawn = _appeals(rng, appeals, codes, weights, days, int(methodology.records["redirect_limit_working_days"]),
                     late_share, ids_in_order)
    table = {
        "appeal_id": drawn["ids"], "body": codes[drawn["body"]], "kind": KINDS[drawn["kind"]],
        "registered_on": drawn["registered"], "deadline_on": drawn["deadline"], "answered_on": drawn["answered"],
        "redirected_to": np.where(drawn["redirected"], codes[(drawn["body"] + 1) % len(codes)], None),
        "redirected_on": drawn["redirected_on"], "rating": np.where(drawn["rated"], drawn["rating"], np.nan),
    }
    bad: dict[str, list[str]] = {}
    if inject_bad:
        table, bad = _inject_bad(table, rng)
    appeals_path = folder / f"appeals.{fmt}"
    _write(table, appeals_path, fmt)

    notice_limit = int(methodology.indicator("appk_waiting_time").params["limit_working_days"])
    receptions, expected_receptions = _receptions(rng, codes, weights, days.epoch, days.workdays, days.last_working,
                                                  days.base, notice_limit, max(200, appeals // 300))
    receptions_path = folder / f"receptions.{fmt}"
    _write(receptions, receptions_path, fmt)

    expected: dict[str, dict[str, dict[str, Fraction]]] = {}
    if with_expected:
        expected = _expected_appeals(methodology, codes, drawn)
        for code, fields in expected_receptions.items():
            expected.setdefault(code, {}).update(fields)
    return Extract(appeals_path, receptions_path, expected, bad)


class _Days:
    """The year's working days as NumPy arrays: for any calendar day from 1 December before to
    31 March after, the position of the last working day on or before it."""

    def __init__(self, year: int):
        workdays = working_day_list(year)
        workday_index = {d: i for i, d in enumerate(workdays)}
        self.epoch = np.datetime64(dt.date(year, 1, 1))
        start = dt.date(year - 1, 12, 1)
        span = (dt.date(year + 1, 3, 31) - start).days + 1
        self.last_working = np.empty(span, dtype=np.int64)
        position = -1
        for offset in range(span):
            position = workday_index.get(start + dt.timedelta(days=offset), position)
            self.last_working[offset] = position
        self.workdays = np.array(workdays, dtype="datetime64[D]")
        self.base = (self.epoch - np.datetime64(start)).astype(int)


def _appeals(rng, n: int, codes, weights, days: _Days, redirect_limit: int, late_share: float,
             ids_in_order: bool) -> dict[str, np.ndarray]:
    """n appeals drawn at random (in this order, so that a seed gives the same extract)."""
    body = rng.choice(len(codes), size=n, p=weights)
    kind = rng.choice(len(KINDS), size=n, p=KIND_SHARES)
    registered = days.epoch + rng.integers(0, 365, size=n).astype("timedelta64[D]")
    deadline = registered + np.timedelta64(15, "D")
    answered_days = rng.integers(0, 16, size=n)
    late = rng.random(n) < late_share
    answered_days[late] = 15 + rng.integers(1, 11, size=late.sum())
    answered = registered + answered_days.astype("timedelta64[D]")
    unanswered = rng.random(n) < 0.01
    answered = np.where(unanswered, np.datetime64("NaT"), answered)
    redirected = rng.random(n) < 0.05
    delay = rng.integers(1, redirect_limit + 1, size=n)  # working days until the redirect: mostly in time
    late_redirect = rng.random(n) < late_share * 10
    delay[late_redirect] = redirect_limit + rng.integers(1, 5, size=late_redirect.sum())
    start_position = days.last_working[(registered - days.epoch).astype(int) + days.base]
    redirected_on = np.where(redirected, days.workdays[start_position + delay], np.datetime64("NaT"))
    rated = rng.random(n) < 0.3
    rating = np.where(rated, rng.integers(1, 6, size=n), 0)
    numbers = np.arange(1, n + 1) if ids_in_order else rng.permutation(n) + 1
    ids = np.char.add("A", numbers.astype(str)).astype(object)
    return {"body": body, "kind": kind, "registered": registered, "deadline": deadline, "answered": answered,
            "late": late, "unanswered": unanswered, "redirected": redirected, "delay": delay,
            "redirected_on": redirected_on, "rated": rated, "rating": rating, "ids": ids}


def _expected_appeals(methodology: Methodology, codes, drawn) -> dict[str, dict[str, dict[str, Fraction]]]:
    """What the pipeline must count for each body from the drawn appeals, computed here with
    NumPy and the methodology's settings, independently of the SQL."""
    settings = methodology.records
    decimals = int(settings["percent_decimals"])
    redirect_limit = int(settings["redirect_limit_working_days"])
    satisfied_from = int(settings["satisfied_from"])
    kinds = KINDS[drawn["kind"]]
    body, unanswered, late, rated = drawn["body"], drawn["unanswered"], drawn["late"], drawn["rated"]
    is_late_kind = np.isin(kinds, list(set(settings["late_review_kinds"])))
    # Never answered, due by 31 December: reviewed late where the methodology says so.
    overdue = unanswered & (drawn["deadline"] <= np.datetime64(dt.date(methodology.year, 12, 31)))
    if settings.get("unanswered_overdue", "late") != "late":
        overdue = np.zeros(len(body), dtype=bool)
    expected: dict[str, dict[str, dict[str, Fraction]]] = {}
    for index, code in enumerate(codes):
        mine = body == index
        total = int(mine.sum())  # a body with none has zero cases: the methodology's "nothing to assess"
        reviewed = int((mine & (~unanswered | overdue)).sum())
        late_review = int((mine & is_late_kind & ((~unanswered & late) | overdue)).sum())
        late_redirect = int((mine & drawn["redirected"] & (drawn["delay"] > redirect_limit)).sum())
        requests = int((mine & (kinds == settings["request_kind"])).sum())
        n_rated = int((mine & rated).sum())
        satisfied = int((mine & rated & (drawn["rating"] >= satisfied_from)).sum())
        entry = expected.setdefault(code, {})
        entry["appk_review_timeliness"] = {"late": Fraction(late_review), "reviewed": Fraction(reviewed)}
        entry["appk_redirect_timeliness"] = {"late": Fraction(late_redirect), "received": Fraction(total)}
        if total:
            entry["fb_request_share"] = {"request_percent": round_half_away(Fraction(100 * requests, total), decimals)}
        if n_rated:
            entry["fb_satisfaction"] = {"satisfied_percent": round_half_away(Fraction(100 * satisfied, n_rated), decimals)}
    return expected


def _receptions(rng, codes, weights, epoch, workday_array, last_working, base, notice_limit, count):
    n = count
    body = rng.choice(len(codes), size=n, p=weights)
    registered = epoch + rng.integers(0, 330, size=n).astype("timedelta64[D]")
    notice_delay = rng.integers(1, 26, size=n)  # working days until the applicant is notified
    start = last_working[(registered - epoch).astype(int) + base]
    notified = workday_array[start + notice_delay]
    appointment = notified + rng.integers(1, 15, size=n).astype("timedelta64[D]")
    declined = rng.random(n) < 0.05
    outcome = rng.choice(4, size=n, p=[0.7, 0.15, 0.05, 0.10])  # on date, within a month, later, not received
    shift = np.select([outcome == 0, outcome == 1, outcome == 2],
                      [0, rng.integers(1, 28, size=n), 40 + rng.integers(0, 20, size=n)], 0)
    received = appointment + shift.astype("timedelta64[D]")
    received = np.where((outcome == 3) | declined, np.datetime64("NaT"), received)
    receiver = rng.choice(3, size=n, p=[0.4, 0.45, 0.15])
    ids = np.char.add("R", np.arange(1, n + 1).astype(str)).astype(object)
    table = {
        "request_id": ids, "body": codes[body], "registered_on": registered, "notified_on": notified,
        "appointment_on": appointment, "received_on": received,
        "received_by": np.where(np.isnat(received), None, RECEIVERS[receiver]),
        "declined": np.where(declined, "да", "нет"),
    }
    expected = {}
    for index, code in enumerate(codes):
        mine = body == index
        got = mine & ~np.isnat(received)
        expected[code] = {
            "appk_waiting_time": {
                "requests": Fraction(int(mine.sum())),
                "notified_in_time": Fraction(int((mine & (notice_delay <= notice_limit)).sum())),
                "registrants": Fraction(int((mine & ~declined).sum())),
                "received_on_date": Fraction(int((mine & ~declined & (outcome == 0)).sum())),
                "received_within_month": Fraction(int((mine & ~declined & (outcome == 1)).sum())),
            },
            "appk_first_leaders": {
                "by_first_leader": Fraction(int((got & (receiver == 0)).sum())),
                "received": Fraction(int(got.sum())),
            },
        }
    return table, expected


def _inject_bad(table: dict, rng) -> tuple[dict, dict[str, list[str]]]:
    """Turn a few records into each kind of bad data, remembering their ids."""
    table = {k: np.array(v, dtype=object) for k, v in table.items()}
    n = len(table["appeal_id"])
    picks = rng.choice(n, size=25, replace=False)
    groups = {kind: picks[i * 5:(i + 1) * 5] for i, kind in enumerate(
        ["unknown body", "answered_on: date does not parse", "answered_on before registered_on", "rating outside 1–5", "duplicated id"])}
    bad = {kind: sorted(str(table["appeal_id"][i]) for i in rows) for kind, rows in groups.items()}
    for i in groups["unknown body"]:
        table["body"][i] = "Министерство магии"
    for i in groups["answered_on: date does not parse"]:
        table["answered_on"][i] = "31.02.2025"
    for i in groups["answered_on before registered_on"]:
        table["answered_on"][i] = str(np.datetime64(table["registered_on"][i], "D") - np.timedelta64(3, "D"))
    for i in groups["rating outside 1–5"]:
        table["rating"][i] = 7.0
    # A duplicated id: a second record reuses the id of the first.
    for i in groups["duplicated id"]:
        table["appeal_id"] = np.append(table["appeal_id"], table["appeal_id"][i])
        for key in table:
            if key != "appeal_id":
                table[key] = np.append(table[key], table[key][i])
    for key in ("registered_on", "deadline_on", "answered_on", "redirected_on"):
        table[key] = np.array([_date_text(v) for v in table[key]], dtype=object)
    return table, bad


def _date_text(value):
    """A date cell as ISO text; invalid text is kept as it is (it is the bad data)."""
    if isinstance(value, str) or value is None:
        return value
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else str(value.astype("datetime64[D]"))
    return value.isoformat()


def _write(table: dict, path: Path, fmt: str) -> None:
    from ..io.writing import atomic_write
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    arrays = {}
    for key, values in table.items():
        values = np.asarray(values)
        if values.dtype.kind == "M":
            arrays[key] = pa.array(values.astype("datetime64[D]"), type=pa.date32())
        elif values.dtype.kind == "f":
            arrays[key] = pa.array(values, from_pandas=True)
        else:
            arrays[key] = pa.array([None if v is None or (isinstance(v, float) and np.isnan(v)) else
                                    (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)) for v in values],
                                   type=pa.string())
    arrow = pa.table(arrays)
    sink = pa.BufferOutputStream()
    if fmt == "parquet":
        pq.write_table(arrow, sink)
    else:
        pacsv.write_csv(arrow, sink)
    # Through the one writer: atomic, and no existing file replaced without --force.
    atomic_write(path, sink.getvalue().to_pybytes())
