"""`openness appeal`: the appeal log of the cycle, applied to the source data, and its effect.

Until the appeal deadline (the methodology's `[cycle]`, L111) an assessed body may dispute
its source data indicator by indicator. The log holds one appeal a row:

    body,indicator,field,source_value,claimed_value,grounds,filed_on,decision,accepted_value

`field` is an input of the indicator, or `score` for a score given directly; `filed_on` a
date (2026-01-22, 22.01.2026 or an Excel date); `decision` accepted, rejected or partly (ru: принято/удовлетворено, отклонено/
отказано, частично), with the accepted value for partly (accepted takes the claimed value
when it is left blank).

`apply` writes the final input version from the accepted rows only, and refuses the whole
log — nothing written — when any row grants a late appeal (a late one may stand rejected),
is filed before the cycle's year, disputes a value the source data do not hold,
names an unknown body or field, repeats another row, or is undecided; every refusal names
its row. `report` shows each appeal's effect as if accepted, through `openness diff`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from . import diff
from ..core.bodies import BodyRegistry, UnknownBody
from ..io.appeal_log import COLUMNS, SCORE, Appeal, AppealErrors, read_log
from ..io.inputs import Problem, Row, build_submissions
from ..methodology import Methodology
from ..io.writing import csv_text, input_rows
from ..texts import text
from ..core.values import is_not_submitted


def _current(methodology: Methodology, submissions: Sequence) -> dict[tuple[str, str, str], str]:
    return {(b, i, f): v for b, i, f, v in input_rows(methodology, submissions)}


def _same(a: str, b: str) -> bool:
    """Two values as the data mean them: «н/д» and blank alike, 25 and 25.0 alike."""
    if is_not_submitted(a) or is_not_submitted(b):
        return is_not_submitted(a) and is_not_submitted(b)
    from ..core.exact import to_fraction

    try:
        return to_fraction(a.replace(",", ".")) == to_fraction(b.replace(",", "."))
    except (ValueError, ArithmeticError):
        return a.strip().lower() == b.strip().lower()


def check(methodology: Methodology, bodies: BodyRegistry, submissions: Sequence, appeals: Sequence[Appeal],
          source: str, decided: bool = True) -> list[Appeal]:
    """The appeals with canonical body codes; AppealErrors with a sentence per refused row."""
    cycle = methodology.cycle
    current = _current(methodology, submissions)
    problems, seen, good = [], {}, []
    for a in appeals:
        def refuse(message):
            problems.append(Problem(source, a.location, message, a.body, a.indicator, a.field))

        for message in a.unreadable:
            refuse(message)
        try:
            body = bodies.find(a.body).code
        except UnknownBody as error:
            refuse(str(error) if a.body else text("input.body_blank"))
            continue
        try:
            indicator = methodology.indicator(a.indicator)
        except KeyError:
            refuse(text("input.unknown_indicator", indicator=repr(a.indicator)))
            continue
        if a.field != SCORE and a.field not in indicator.input_names:
            refuse(text("input.unknown_field", field=repr(a.field), indicator=indicator.id, names=", ".join(indicator.input_names)))
            continue
        key = (body, indicator.id, a.field)
        if key in seen:
            refuse(text("appeal.already_appealed", entry=f"{body} / {indicator.id} / {a.field}", where=seen[key]))
            continue
        seen[key] = a.location
        if a.filed_on is None and not a.unreadable:
            refuse(text("appeal.filed_on_blank"))
        elif a.filed_on is not None and cycle is not None:
            # A late appeal may stand in the log rejected (the audit trail); it may not be granted.
            if a.filed_on > cycle.appeals_until and a.decision != "rejected":
                refuse(text("appeal.late", filed=a.filed_on, deadline=cycle.appeals_until))
            opened = dt.date(cycle.source_data_by.year, 1, 1)
            if a.filed_on < opened:
                refuse(text("appeal.too_early", filed=a.filed_on, opened=opened))
        in_data = current.get(key, "")
        if not _same(a.source_value, in_data):
            refuse(text("appeal.not_in_source", value=repr(a.source_value or text("appeal.blank")),
                        held=repr(in_data or text("appeal.not_submitted"))))
        direct = (body, indicator.id, SCORE) in current
        if a.field != SCORE and direct:
            refuse(text("appeal.given_as_score", indicator=indicator.id))
        if decided and not a.decision:
            refuse(text("appeal.undecided"))
        if a.decision == "partly" and not a.accepted_value:
            refuse(text("appeal.partly_needs_value"))
        if a.decision == "rejected" and a.accepted_value:
            # A value beside a rejection is a decision half-typed: which one stands is not clear.
            refuse(text("appeal.rejected_with_value", value=repr(a.accepted_value)))
        good.append(Appeal(a.location, body, indicator.id, a.field, a.source_value, a.claimed_value, a.grounds,
                           a.filed_on, a.decision, a.accepted_value))
    if problems:
        raise AppealErrors(problems)
    return good


def _changed_rows(methodology: Methodology, submissions: Sequence, changes: dict[tuple[str, str, str], str]):
    """The long rows of the source data with the given values put in; a score takes the
    place of the indicator's raw inputs."""
    rows = input_rows(methodology, submissions)
    scored = {(b, i) for (b, i, f) in changes if f == SCORE}
    out = [r for r in rows if (r[0], r[1]) not in scored or r[2] == SCORE]
    present = {(b, i, f) for b, i, f, _ in out}
    out = [(b, i, f, changes.get((b, i, f), v)) for b, i, f, v in out]
    out += [(b, i, f, v) for (b, i, f), v in changes.items() if (b, i, f) not in present]
    return [r for r in out if not is_not_submitted(r[3])]


def _submissions(methodology, bodies, rows, source):
    submissions, problems = build_submissions(methodology, bodies, [Row(f"{b}/{i}/{f}", b, i, f, v)
                                                                    for b, i, f, v in rows], source)
    if problems:
        raise AppealErrors([Problem(p.source, text("appeal.after_appeals"), p.message, p.body, p.indicator, p.field)
                            for p in problems])
    return submissions


def apply(methodology: Methodology, bodies: BodyRegistry, submissions: Sequence, appeals: Sequence[Appeal],
          source: str = "appeal log") -> tuple[list, list[Appeal]]:
    """The final submissions with every accepted appeal applied, and the appeals applied."""
    checked = check(methodology, bodies, submissions, appeals, source)
    applied = [a for a in checked if a.outcome is not None]
    changes = {(a.body, a.indicator, a.field): a.outcome for a in applied}
    return _submissions(methodology, bodies, _changed_rows(methodology, submissions, changes), source), applied


def final_csv(methodology: Methodology, final_submissions: Sequence) -> str:
    """The final input version as a long CSV."""
    from ..io.writing import inputs_csv

    return inputs_csv(methodology, final_submissions)


@dataclass(frozen=True)
class AppealEffect:
    """One appeal and what it changes if accepted: the bodies whose scores or places move."""

    appeal: Appeal
    value: str  # the value it would put in
    result: diff.Diff | None
    error: str = ""


def effects(methodology: Methodology, bodies: BodyRegistry, submissions: Sequence, appeals: Sequence[Appeal],
            source: str = "appeal log") -> list[AppealEffect]:
    """Each appeal's effect on its own, as if granted: the accepted value where decided,
    else the claimed one."""
    checked = check(methodology, bodies, submissions, appeals, source, decided=False)
    out = []
    for a in checked:
        value = a.outcome if a.outcome is not None else a.claimed_value
        try:
            changed = _submissions(methodology, bodies,
                                   _changed_rows(methodology, submissions, {(a.body, a.indicator, a.field): value}),
                                   source)
        except AppealErrors as error:
            out.append(AppealEffect(a, value, None, "; ".join(p.message for p in error.problems)))
            continue
        out.append(AppealEffect(a, value, diff.diff(methodology, submissions, changed)))
    return out


def render_report(effects_: Sequence[AppealEffect], width: int = 80) -> str:
    """Each appeal and what granting it would change, in the command line's language."""
    out = [text("diff.appeals", count=len(effects_)), ""]
    for effect in effects_:
        a = effect.appeal
        status = text(f"diff.{a.decision or 'undecided'}")
        out.append(text("diff.appeal_line", location=a.location, entry=f"{a.body} · {a.indicator} · {a.field}",
                        old=a.source_value or "—", new=effect.value, status=status, filed=a.filed_on))
        if effect.error:
            out.append(text("diff.would_not_score", error=effect.error))
        else:
            lines = diff.render_text(effect.result, "", "", width - 2, effects_only=True).rstrip("\n").split("\n")
            out += [f"  {line}" if line else "" for line in lines]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


REPORT_COLUMNS = ("row", "body", "indicator", "field", "source_value", "value", "decision", "filed_on", "effect_body",
                  "item", "old", "new", "old_label", "new_label")


def report_rows(effects_: Sequence[AppealEffect]) -> list[tuple]:
    """The appeal report's rows: each appeal, then each change it makes."""
    rows = []
    for e in effects_:
        a = e.appeal
        head = (a.location, a.body, a.indicator, a.field, a.source_value, e.value, a.decision, str(a.filed_on or ""))
        if e.error:
            rows.append((*head, a.body, "error", "", e.error, "", ""))
        moved = e.result.effects if e.result else ()
        for m in moved:
            rows.append((*head, m.body, m.item, m.old, m.new, m.label_old, m.label_new))
        if not e.error and not moved:  # every appeal has its row, the ones that change nothing too
            rows.append((*head, a.body, "no effect", "", "", "", ""))
    return rows


def report_csv(effects_: Sequence[AppealEffect]) -> str:
    """The appeal report as CSV text."""
    return csv_text(REPORT_COLUMNS, report_rows(effects_))


def template_csv() -> str:
    """An empty log with its header, for a spreadsheet-less office."""
    return csv_text(COLUMNS, [])


def version_chain(methodology: Methodology, bodies: BodyRegistry, source_path, log_path, final_path, lang: str = "ru"):
    """The version chain for the report's «Происхождение» — source data, appeal log, final
    input, each with its SHA-256, labelled in `lang` — after checking that the log applied to
    the source gives the final input: the same submissions, whatever the final file's form
    (the CSV `appeal apply` writes, its .xlsx, a filled template); and «Изменения»: the
    accepted appeals and their effect."""
    from ..bounded import sha256_of
    from ..io.inputs import load_inputs

    source = load_inputs(source_path, methodology, bodies).submissions
    final, applied = apply(methodology, bodies, source, read_log(log_path), str(log_path))
    # Compared as content: the canonical long table of both (bytes differ between forms).
    if final_csv(methodology, load_inputs(final_path, methodology, bodies).submissions) != final_csv(methodology, final):
        raise ValueError(text("appeal.not_applied", final=final_path, source=source_path, log=log_path))

    def words(key: str) -> str:
        return text(f"chain.{key}", lang)

    chain = [(words("versions"), words("versions_value")),
             (words("source"), Path(source_path).name),
             (f"{words('source')}, SHA-256", sha256_of(source_path)),
             (words("log"), Path(log_path).name),
             (f"{words('log')}, SHA-256", sha256_of(log_path)),
             (words("accepted"), f"{len(applied)}"),
             (words("final"), Path(final_path).name),
             (f"{words('final')}, SHA-256", sha256_of(final_path)),
             (words("check"), words("check_value"))]
    where = {(a.body, a.indicator, a.field): a.location for a in applied}
    changes = diff.diff(methodology, source, final)
    # An effect is tied to the appeals that move it on their own; one that only their
    # combination moves (a rank between two appealing bodies) to all the accepted ones.
    moves: dict[tuple[str, str], list[str]] = {}
    for effect in effects(methodology, bodies, source, applied, str(log_path)):
        for moved in (effect.result.effects if effect.result else ()):
            moves.setdefault((moved.body, moved.item), []).append(effect.appeal.location)
    every = ", ".join(a.location for a in applied)
    kinds = {"input": text("chain.kind_input", lang), "effect": text("chain.kind_effect", lang)}
    rows = [(where.get((r[1], r[2], r[3]), "") if r[0] == "input" else ", ".join(moves.get((r[1], r[2]), [])) or every,
             kinds[r[0]], *r[1:]) for r in diff.rows(changes)]
    heads = tuple(text(f"chain.column_{c}", lang) for c in ("appeal", *diff.CSV_COLUMNS))
    return chain, (heads, rows)
