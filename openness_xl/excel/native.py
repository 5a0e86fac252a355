"""The methodology compiled to native Excel formulas: no add-in, no Python, Excel 2010 on.

Every expression here is derived from the methodology data and the formula kinds
(`Kind.excel`); nothing is written by hand per indicator. The expressions reproduce the
cell semantics of `openness_xl.excel.cells` exactly: the same score, and for a blank, «н/д», text,
an error value, a negative or fractional count, or a part above its whole, the same message
text — the sentences come from `openness_xl.core.values` with formula pieces in their holes.

Two forms are produced from one compiler:
* cell formulas for the template's «Расчёт» sheet, over the input sheets' cells, using only
  functions of Excel 2010 and LibreOffice 7.4 (IF, ISNUMBER, TRIM, MID, ROUND, SUMPRODUCT …);
* named LAMBDA functions (`_xlfn.LAMBDA` with `_xlpm.` parameters, Excel 2024 and 365),
  with the same names and arguments as the xlwings functions.

Plain text only: the workbook modules write it. The grading rules (tiers, letters, ratings,
sums, ranks) are compiled by `grades.py`, the inverse (targets) by `inverse.py`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Mapping, Sequence

from ..core import formula_text as ft
from ..core.exact import plain
from ..core.kinds import ExcelContext, zero_whole
from ..core.values import (DIGITS, EXCEL_ERRORS, FALSE_WORDS, NOT_SUBMITTED, SPACES, TRUE_WORDS, WARNING,
                           ceiling_message, exceeds_message, invalid_message, missing_message, percent_format_message,
                           score_allowed)
from ..methodology import Indicator, InputSpec, Methodology
from ..texts import text

# Excel's limits for one formula: a longer or deeper one is refused when the file opens.
MAX_FORMULA_LENGTH = 8192
MAX_NESTING = 64
SEPARATOR = "; "
HOLE = "\x00"
# LET names the compiler uses inside LAMBDAs: they must not clash with an argument.
PROBLEMS, KEY, VALUE, MAXIMUM = "problems_found", "key_found", "value_found", "maximum_found"


def param(name: str) -> str:
    """A LAMBDA or LET parameter as a workbook stores it."""
    return f"_xlpm.{name}"


def fill(sentence: str, *pieces: str, marks: Mapping[str, str] | None = None) -> str:
    """A sentence from `values` with formula pieces in its holes, as one Excel text expression:
    each HOLE takes the next of `pieces`, each marker character of `marks` its own piece."""
    marks = marks or {}
    assert sentence.count(HOLE) == len(pieces), (sentence, pieces)
    positional = iter(pieces)
    items = []
    for part in re.split("([" + re.escape(HOLE + "".join(marks)) + "])", sentence):
        if part == HOLE:
            items.append(next(positional))
        elif part in marks:
            items.append(marks[part])
        elif part:
            items.append(ft.text(part))
    return "&".join(items) if items else '""'


# ------------------------------------------------------------------ cell values

def error_name(x: str) -> str:
    """The text of an error value (#N/A …), as xlwings would hand it over."""
    return f'IFERROR(CHOOSE(ERROR.TYPE({x}),{",".join(ft.text(e) for e in EXCEL_ERRORS)}),"#ERROR")'


def quoted(expression: str) -> str:
    return f"\"'\"&{expression}&\"'\""


def shown_other(x: str) -> str:
    """How a message quotes a cell that is neither a number nor an error: TRUE/FALSE or 'text'."""
    return ft.if_(f"ISLOGICAL({x})", ft.if_(x, '"TRUE"', '"FALSE"'), quoted(x))


def not_submitted(x: str) -> str:
    """Blank, spaces or «н/д» (any case): not submitted. Only for a cell that is not an error."""
    return ft.any_of([f'TRIM({x})=""', f"TRIM({x})={ft.text(NOT_SUBMITTED)}"])


def number_rules(spec: InputSpec | None, x: str, maximum: Fraction | None = None) -> list[tuple[str, str]]:
    """What a number `x` must be to be a valid value of an input (or, with spec None, a score
    from 0 to `maximum`), rule by rule as (holds when valid, holds when not): whole for a count,
    one of the choices, within the bounds. The one place the valid range is written in Excel,
    for the template's data validation and the formulas' checks alike."""
    if spec is None:
        return [(f"{x}>=0", f"{x}<0"), (f"{x}<={ft.number(maximum)}", f"{x}>{ft.number(maximum)}")]
    rules = []
    if spec.type == "integer":
        rules.append((f"{x}=INT({x})", f"{x}<>INT({x})"))
    if spec.type == "choice":
        one_of = ft.any_of([f"{x}={ft.number(c)}" for c in spec.choices])
        rules.append((one_of, one_of + "=FALSE"))
    if spec.min is not None:
        rules.append((f"{x}>={ft.number(spec.min)}", f"{x}<{ft.number(spec.min)}"))
    if spec.max is not None:
        rules.append((f"{x}<={ft.number(spec.max)}", f"{x}>{ft.number(spec.max)}"))
    return rules


def valid_number(spec: InputSpec | None, x: str, maximum: Fraction | None = None) -> str:
    """TRUE for a cell holding a valid number (`number_rules`), as data validation asks it."""
    return "AND(" + ",".join([f"ISNUMBER({x})"] + [valid for valid, _ in number_rules(spec, x, maximum)]) + ")"


def _number_is_bad(spec: InputSpec, x: str) -> str | None:
    conditions = [bad for _, bad in number_rules(spec, x)]
    return ft.any_of(conditions) if conditions else None


def _is_yes_no_word(x: str, words: Sequence[str]) -> str:
    return ft.any_of([f"TRIM({x})={ft.text(w)}" for w in words])


def _as_percent(name: str, unit: str, x: str, marks: Mapping[str, str]) -> str:
    """"; " and the sentence about a number shown as a percentage (the reader's, word for word)."""
    # The shown percent may stand twice in the sentence: each marker stands for what it holds.
    sentence = percent_format_message(name, unit, PERCENT, VALUE_MARK)
    return ft.text(SEPARATOR) + "&" + fill(sentence, marks={**marks, PERCENT: f"{x}*100", VALUE_MARK: x})


def _shown_as_percent(cell: str) -> str:
    """TRUE where the cell has a percentage format: CELL("format") starts with P."""
    return f'LEFT(CELL("format",{cell}),1)="P"'


def input_problem(spec: InputSpec, x: str, cell: str | None = None, cells: "Cells | None" = None) -> str:
    """"" for a valid input, else "; " and the core's sentence about it. Where `cell` is the
    reference the value came from (not a LAMBDA argument), a number shown as a percentage is
    refused as the template reader refuses it; where `cells` names the inputs (a sheet's
    cells), the sentence names it so and explains text that looks like a number."""
    cells = cells or Cells({})
    name, marks = cells.called(spec.name), cells.marks()
    invalid = lambda shown: ft.text(SEPARATOR) + "&" + fill(invalid_message(name, spec.allowed, HOLE), shown, marks=marks)  # noqa: E731
    missing = ft.text(SEPARATOR) + "&" + fill(missing_message(name, spec.allowed), marks=marks)
    if spec.type == "boolean":
        valid_number = f"({x}=0)+({x}=1)>0"
        inner = ft.if_(f"ISLOGICAL({x})", '""',
                       ft.if_(f"ISNUMBER({x})", ft.if_(valid_number, '""', invalid(x)),
                              ft.if_(_is_yes_no_word(x, TRUE_WORDS + FALSE_WORDS), '""', invalid(quoted(x)))))
    else:
        bad = _number_is_bad(spec, x)
        number_branch = '""'
        if spec.ceiling is not None:
            too_large = ft.text(SEPARATOR) + "&" + fill(ceiling_message(name, HOLE, plain(spec.ceiling)), x, marks=marks)
            number_branch = ft.if_(f"{x}>{ft.number(spec.ceiling)}", too_large, number_branch)
        if bad:
            number_branch = ft.if_(bad, invalid(x), number_branch)
        if cell is not None and spec.unit != "share":
            number_branch = ft.if_(_shown_as_percent(cell), _as_percent(name, spec.unit, x, marks), number_branch)
        inner = ft.if_(f"ISNUMBER({x})", number_branch, invalid(cells.shown_text(spec.name, x)))
    return ft.if_(f"ISERROR({x})", invalid(quoted(error_name(x))), ft.if_(not_submitted(x), missing, inner))


def text_number_hint(x: str) -> str:
    """The text `values.text_number_hint` gives for the value of `x`: "" unless it is text
    that looks like a number (digits, at most one comma or point, spaces between them)."""
    packed = x
    for space in SPACES:
        packed = f"SUBSTITUTE({packed},{ft.text(space)},\"\")"
    digits = f'SUBSTITUTE(SUBSTITUTE({packed},",",""),".","")'
    others = digits
    for digit in DIGITS:
        others = f'SUBSTITUTE({others},"{digit}","")'
    looks = f"(LEN({digits})>0)*(LEN({packed})-LEN({digits})<=1)*(LEN({others})=0)"
    hint = ft.if_(f"LEN({packed})<LEN({x})", ft.text(text("value.text_number.spaces")), ft.text(text("value.text_number.text")))
    return ft.if_(f"ISTEXT({x})", ft.if_(looks, hint, '""'), '""')


def input_valid(spec: InputSpec, x: str) -> str:
    """TRUE when the input is valid (what input_problem says nothing about)."""
    if spec.type == "boolean":
        return (f"IF(ISLOGICAL({x}),TRUE,IF(ISNUMBER({x}),({x}=0)+({x}=1)>0,"
                f"IF(ISTEXT({x}),{_is_yes_no_word(x, TRUE_WORDS + FALSE_WORDS)},FALSE)))")
    bad = _number_is_bad(spec, x)
    if spec.ceiling is not None:
        bad = ft.any_of([bad, f"{x}>{ft.number(spec.ceiling)}"] if bad else [f"{x}>{ft.number(spec.ceiling)}"])
    return ft.if_(f"ISNUMBER({x})", f"{bad}=FALSE", "FALSE") if bad else f"ISNUMBER({x})"


def input_value(spec: InputSpec, x: str) -> str:
    """The exact value of a valid input: the number, or 1/0 for yes/no."""
    if spec.type != "boolean":
        return x
    return ft.if_(f"ISLOGICAL({x})", ft.if_(x, "1", "0"),
                  ft.if_(f"ISNUMBER({x})", x, ft.if_(_is_yes_no_word(x, TRUE_WORDS), "1", "0")))


# ------------------------------------------------------------------ indicators

@dataclass(frozen=True)
class Cells:
    """Where an indicator's formula finds its values: an expression per input, and the
    body type's (a cell or a LAMBDA parameter); `cells`, where the values come from cells,
    the reference of each (whose format tells a percentage). On a sheet, `names` holds per
    input (and "score", "body_type") a text expression that names its cell as
    `values.cell_name` does, and `hints` per input a text expression that explains text
    looking like a number (`values.text_number_hint`); elsewhere the ids name the inputs."""

    inputs: Mapping[str, str]
    body_type: str | None = None
    cells: Mapping[str, str] | None = None
    names: Mapping[str, str] | None = None
    hints: Mapping[str, str] | None = None

    def called(self, name: str) -> str:
        """What a sentence calls an input: its id, or the marker of its name's expression."""
        return _MARKERS[name] if self.names and name in self.names else name

    def marks(self) -> dict[str, str]:
        """The markers `called` put into sentences, each with its text expression."""
        return {_MARKERS[name]: expression for name, expression in (self.names or {}).items()}

    def shown_text(self, name: str, x: str) -> str:
        """How a refused value that is not a number is quoted, with the hint where there is one."""
        hint = (self.hints or {}).get(name)
        return shown_other(x) + (f"&{hint}" if hint else "")


class _Markers(dict):
    """A private-use character per input name, to stand for its name in a sentence."""

    def __missing__(self, name: str) -> str:
        self[name] = chr(0xE000 + len(self))
        return self[name]


_MARKERS = _Markers()
# Markers of the shown percent and the cell's value in the percentage-format sentence.
PERCENT, VALUE_MARK = "\x02", "\x03"


def _body_type_is(methodology: Methodology, body_type: str) -> Callable[[str], str]:
    def test(code: str) -> str:
        return ft.any_of([f"TRIM({body_type})={ft.text(s)}" for s, c in methodology.body_type_spellings() if c == code])
    return test


def _body_type_problem(methodology: Methodology, x: str, cells: Cells) -> str:
    allowed, name, marks = methodology.body_type_allowed, cells.called("body_type"), cells.marks()
    invalid = lambda shown: ft.text(SEPARATOR) + "&" + fill(invalid_message(name, allowed, HOLE), shown, marks=marks)  # noqa: E731
    known = ft.any_of([f"TRIM({x})={ft.text(s)}" for s, _ in methodology.body_type_spellings()])
    other = ft.if_(not_submitted(x), ft.text(SEPARATOR) + "&" + fill(missing_message(name, allowed), marks=marks),
                   invalid(ft.if_(f"ISNUMBER({x})", x, shown_other(x))))
    return ft.if_(f"ISERROR({x})", invalid(quoted(error_name(x))), ft.if_(known, '""', other))


def _relations(indicator: Indicator, cells: Cells) -> list[str]:
    x, called, marks = cells.inputs, cells.called, cells.marks()
    pieces = []
    for spec in indicator.inputs:
        if spec.part_of:
            message = fill(exceeds_message(called(spec.name), HOLE, called(spec.part_of), HOLE), x[spec.name], x[spec.part_of],
                           marks=marks)
            pieces.append(ft.if_(f"{x[spec.name]}>{x[spec.part_of]}", ft.text(SEPARATOR) + "&" + message, '""'))
    for name in indicator.kind.nonzero(indicator.params):
        message = fill(zero_whole(called(name)), marks=marks)
        pieces.append(ft.if_(f"{x[name]}=0", ft.text(SEPARATOR) + "&" + message, '""'))
    for parts, whole in indicator.sums_at_most:
        total = "(" + "+".join(x[p] for p in parts) + ")"
        message = fill(exceeds_message(" + ".join(called(p) for p in parts), HOLE, called(whole), HOLE), total, x[whole],
                       marks=marks)
        pieces.append(ft.if_(f"{total}>{x[whole]}", ft.text(SEPARATOR) + "&" + message, '""'))
    return pieces


def problems_formula(methodology: Methodology, indicator: Indicator, cells: Cells, warnings: bool = False) -> str:
    """"" when the inputs can be scored, else the core's message (problems joined by "; ");
    with `warnings`, the warnings after them (`values.fraction_warning`)."""
    pieces = [input_problem(spec, cells.inputs[spec.name], cells.cells and cells.cells[spec.name], cells)
              for spec in indicator.inputs]
    if warnings:
        pieces += [fraction_warning(spec, cells.inputs[spec.name], cells.cells and cells.cells[spec.name], cells)
                   for spec in indicator.inputs if spec.unit == "percent"]
    relations = _relations(indicator, cells)
    if relations:
        every_input_valid = ft.all_of([input_valid(s, cells.inputs[s.name]) for s in indicator.inputs])
        pieces.append(ft.if_(every_input_valid, "&".join(relations), '""'))
    if indicator.needs_body_type:
        pieces.append(_body_type_problem(methodology, cells.body_type, cells))
    return f"MID({'&'.join(pieces)},{len(SEPARATOR) + 1},32767)"


def fraction_warning(spec: InputSpec, x: str, cell: str | None = None, cells: Cells | None = None) -> str:
    """"; " and the warning of a percentage between 0 and 1, else "" (as `values.fraction_warning`);
    not for a cell shown as a percentage, which input_problem refuses already."""
    cells = cells or Cells({})
    sentence = text("value.share_as_fraction", name=cells.called(spec.name), shown=HOLE, percent=HOLE)
    fraction = f"({x}>0)*({x}<1)" + (f"*({_shown_as_percent(cell)}=FALSE)" if cell else "")
    warning = fill(sentence, x, f"{x}*100", marks=cells.marks())
    return ft.if_(f"ISNUMBER({x})", ft.if_(fraction, ft.text(SEPARATOR) + "&" + warning, '""'), '""')


def _input_decimals(spec: InputSpec) -> int | None:
    if spec.type != "choice":
        return None
    return max(len(plain(c).partition(".")[2]) for c in spec.choices)


def excel_context(methodology: Methodology, indicator: Indicator, cells: Cells) -> ExcelContext:
    return ExcelContext(
        maximum=indicator.maximum,
        decimals=methodology.decimals,
        body_type_is=_body_type_is(methodology, cells.body_type or '""'),
        input_decimals={s.name: _input_decimals(s) for s in indicator.inputs},
    )


def score_formula(methodology: Methodology, indicator: Indicator, cells: Cells) -> str:
    """The rounded score over inputs that are valid (see problems_formula)."""
    values = {s.name: input_value(s, cells.inputs[s.name]) for s in indicator.inputs}
    context = excel_context(methodology, indicator, cells)
    expression = indicator.kind.excel(indicator.params, values, context)
    if not indicator.kind.rounds_itself:
        expression = f"ROUND({expression},{methodology.decimals})"
    return expression


def indicator_lambda(methodology: Methodology, indicator: Indicator) -> str:
    """The named LAMBDA of an indicator, as the workbook stores it (with its leading =)."""
    from .cells import argument_names

    names = argument_names(indicator)
    assert PROBLEMS not in names, f"{indicator.id}: an input may not be called {PROBLEMS}"
    cells = Cells({n: param(n) for n in indicator.input_names},
                  param("body_type") if indicator.needs_body_type else None)
    problems = param(PROBLEMS)
    body = (f"_xlfn.LET({problems},{problems_formula(methodology, indicator, cells)},"
            f'IF({problems}="",{score_formula(methodology, indicator, cells)},{problems}))')
    return f"=_xlfn.LAMBDA({','.join(param(n) for n in names)},{body})"


def given(x: str) -> str:
    """TRUE when a cell holds anything but blank or «н/д» (an error value counts as given)."""
    return ft.if_(f"ISERROR({x})", "TRUE", f"{not_submitted(x)}=FALSE")


def checked_inputs(methodology: Methodology, indicator: Indicator, cells: Cells, direct: str, direct_cell: str,
                   where_direct: str, where_inputs: str) -> str:
    """What is wrong with a body's entry for one indicator ("" when it can be scored), as
    `cells.check_cell` says it: a score given directly and inputs too (the places named by the
    text expressions `where_direct` and `where_inputs`), a direct score that is no score of the
    indicator, or the inputs' problems when no score is given directly."""
    allowed, name, marks = score_allowed(indicator), cells.called("score"), cells.marks()
    invalid = lambda shown: fill(invalid_message(name, allowed, HOLE), shown, marks=marks)  # noqa: E731
    conflict = fill(text("value.score_and_inputs", direct=HOLE, inputs=HOLE), where_direct, where_inputs)
    any_input = ft.any_of([given(cells.inputs[s.name]) for s in indicator.inputs])
    raw = problems_formula(methodology, indicator, cells, warnings=True)
    outside = ft.any_of([bad for _, bad in number_rules(None, direct, indicator.maximum)])
    as_percent = f"MID({_as_percent(name, 'points', direct, marks)},{len(SEPARATOR) + 1},32767)"
    number = ft.if_(_shown_as_percent(direct_cell), as_percent, ft.if_(outside, invalid(direct), '""'))
    score = ft.if_(f"ISNUMBER({direct})", number, invalid(cells.shown_text("score", direct)))
    return ft.if_(f"ISERROR({direct})", ft.if_(any_input, conflict, invalid(quoted(error_name(direct)))),
                  ft.if_(not_submitted(direct), raw, ft.if_(any_input, conflict, score)))


def score_or_direct(indicator: Indicator, check: str, direct: str, own: str, problem: str | None = None) -> str:
    """The score of a row whose check is `check`: the direct score, or `own` (a check that
    holds warnings only scores the values as typed); where the check finds a problem, its
    message, or the text expression `problem` that points to it."""
    return ft.if_(f'({check}="")+(LEFT({check},1)={ft.text(WARNING)})>0', ft.if_(not_submitted(direct), own, direct),
                  problem or check)


def nesting(formula: str) -> int:
    """How deeply the functions of a formula nest (Excel allows 64)."""
    depth = deepest = 0
    in_text = False
    for char in formula:
        if char == '"':
            in_text = not in_text
        elif not in_text and char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif not in_text and char == ")":
            depth -= 1
    return deepest
