"""The few SQL fragments the records readers build: quoted names, literals, date parsing."""
from __future__ import annotations

from pathlib import Path


def quote(path: Path) -> str:
    return str(path).replace("'", "''")


def identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def date_sql(column: str, formats: tuple[str, ...]) -> str:
    """The day of a text date: ISO (a time and an offset after it make an instant, counted on its
    day in the connection's time zone: `pipeline.connect`), else by the mapping's `formats`.
    Text of a date alone (ten characters) is cast as a date, the cheaper cast."""
    text = f"NULLIF(TRIM(CAST({column} AS VARCHAR)), '')"
    fmts = "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in formats) + "]"
    instant = f"CASE WHEN strlen({column}) > 10 THEN CAST(TRY_CAST({column} AS TIMESTAMPTZ) AS DATE) END"
    return f"COALESCE({instant}, TRY_CAST({column} AS DATE), CAST(TRY_STRPTIME({text}, {fmts}) AS DATE))"


def present_sql(column: str) -> str:
    return f"(NULLIF(TRIM(CAST({column} AS VARCHAR)), '') IS NOT NULL)"


def translation_sql(expression: str, translation: dict[str, str | None]) -> str:
    """Rewrite only the values that need it (few distinct values), leaving the rest untouched."""
    changes = {raw: new for raw, new in translation.items() if raw != new}
    if not changes:
        return expression
    cases = " ".join(f"WHEN {literal(raw)} THEN {literal(new)}" for raw, new in sorted(changes.items()))
    return f"CASE {expression} {cases} ELSE {expression} END"


def literal(value: str | None) -> str:
    return "NULL" if value is None else "'" + value.replace("'", "''") + "'"


def in_sql(column: str, values) -> str:
    """`column` is one of `values` (None meaning NULL), never NULL itself."""
    listed = sorted(v for v in values if v is not None)
    parts = ([f"{column} IS NULL"] if None in values else []) + ([f"{column} IN ({', '.join(map(literal, listed))})"] if listed else [])
    return "(" + " OR ".join(parts) + ")" if parts else "false"
