"""The record schema of the raw extracts, and the column mapping that adapts a real export.

Two tables:

* appeals — `appeal_id, body, kind, registered_on, deadline_on, answered_on, redirected_to,
  redirected_on, rating` (kind: заявление, жалоба, запрос, сообщение, предложение, отклик;
  rating 1–5 or blank);
* reception requests — `request_id, body, registered_on, notified_on, appointment_on,
  received_on, received_by, declined` (received_by: first_leader, deputy, chief_of_staff).

A mapping file (TOML) names, for each of our columns, the header of the export, the date
format(s) of its dates, and translations of its codes (e.g. «Заявление» → заявление), so an
export with Russian headers and dd.mm.yyyy dates is read without code changes.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..bounded import read_at_most
from ..core.values import DATE_FORMATS
from ..io.inputs import header_key
from ..texts import term, text as T

APPEAL_COLUMNS = ("appeal_id", "body", "kind", "registered_on", "deadline_on", "answered_on",
                  "redirected_to", "redirected_on", "rating")
RECEPTION_COLUMNS = ("request_id", "body", "registered_on", "notified_on", "appointment_on",
                     "received_on", "received_by", "declined")
# Shown by `aggregate --explain`, counted by nothing: the counts need it to be there, not read.
SHOWN_ONLY = ("redirected_to",)
APPEAL_DATES = ("registered_on", "deadline_on", "answered_on", "redirected_on")
RECEPTION_DATES = ("registered_on", "notified_on", "appointment_on", "received_on")
APPEAL_KINDS = ("заявление", "жалоба", "запрос", "сообщение", "предложение", "отклик")
RECEIVERS = ("first_leader", "deputy", "chief_of_staff")
# What each column feeds: a column missing from an export would silently read as "no late
# cases" for these, so every column must be found (the mapping names its header). A name
# without an indicator id is the catalogue's `records.uses.<name>`.
USES = {
    "appeal_id": "every_appeal_duplicates", "body": "every_indicator", "kind": "appk_review_timeliness, fb_request_share",
    "registered_on": "every_appeal", "deadline_on": "appk_review_timeliness",
    "answered_on": "appk_review_timeliness, fb_satisfaction", "redirected_to": "appk_redirect_timeliness (--explain)",
    "redirected_on": "appk_redirect_timeliness", "rating": "fb_satisfaction",
    "request_id": "every_reception_duplicates", "notified_on": "appk_waiting_time",
    "appointment_on": "appk_waiting_time", "received_on": "appk_waiting_time, appk_reception_intensity, appk_first_leaders",
    "received_by": "appk_first_leaders, appk_reception_intensity", "declined": "appk_waiting_time, appk_reception_intensity",
}


def uses(column: str) -> str:
    """What the column feeds, in the current language."""
    fed = USES.get(column, "counts")
    return term("records.uses", fed)


# Columns a record cannot do without; the others may be blank in a record, never absent.
APPEAL_REQUIRED = ("appeal_id", "body", "kind", "registered_on")
RECEPTION_REQUIRED = ("request_id", "body", "registered_on")


@dataclass(frozen=True)
class TableMapping:
    columns: dict[str, str]  # our column → the export's header
    date_formats: tuple[str, ...]
    codes: dict[str, dict[str, str]] = field(default_factory=dict)  # column → {export value: ours}
    source: str = ""  # where it was read, for messages: «mapping.toml [appeals]»


@dataclass(frozen=True)
class Mapping:
    appeals: TableMapping
    receptions: TableMapping


def default_mapping() -> Mapping:
    """Our own column names, dates as `DATE_FORMATS` writes them."""
    return Mapping(TableMapping({c: c for c in APPEAL_COLUMNS}, DATE_FORMATS),
                   TableMapping({c: c for c in RECEPTION_COLUMNS}, DATE_FORMATS))


# A mapping file is a page of TOML: anything larger is not one.
MAX_MAPPING_BYTES = 1024 * 1024
SECTION_KEYS = ("columns", "date_formats", "codes")


def _unknown(path, where: str, keys, known) -> None:
    """Refuse keys that are not `known`, suggesting the nearest («apeals»: did you mean appeals?)."""
    import difflib

    for key in sorted(set(keys) - set(known)):
        near = difflib.get_close_matches(key, list(known), n=1)
        raise ValueError(T("records.read.mapping_key", path=path, where=where, setting=key, known=", ".join(known))
                         + (T("input.did_you_mean", near=near[0]) if near else ""))


def _read_mapping(path: Path) -> dict:
    """The TOML of a mapping file, read within its size cap, every failure naming the file."""
    data = read_at_most(path, MAX_MAPPING_BYTES)
    if data is None:
        raise ValueError(T("records.read.mapping_unreadable", path=path,
                           error=T("input.too_large", limit=f"{MAX_MAPPING_BYTES:,}")))
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ValueError(T("records.read.mapping_unreadable", path=path, error=error)) from None


def _one_header_each(path, table: str, headers: dict[str, str]) -> None:
    """Refuse a header named for two of our columns (`registered_on` and `answered_on` both
    «Дата», or «Дата» and «дата»: headers are found case and spaces folded, `header_key`): both
    would read the one column, and every answer would fall on its registration."""
    named: dict[str, list[str]] = {}
    for column, header in headers.items():
        named.setdefault(header_key(header), []).append(column)
    shared = [T("records.read.mapping_shared", columns=", ".join(columns), header=headers[columns[0]])
              for columns in named.values() if len(columns) > 1]
    if shared:
        raise ValueError(T("records.read.mapping_same_header", path=path, table=table, shared="; ".join(shared)))


def load_mapping(path: Path | str | None) -> Mapping:
    """A mapping file, or the default; anything it holds that is not a mapping's (an unknown
    table, key or column, a value of the wrong type) is an error that names the file and key."""
    if path is None:
        return default_mapping()
    data = _read_mapping(Path(path))
    _unknown(path, "", data, ("appeals", "receptions"))
    tables = {}
    for name, ours in (("appeals", APPEAL_COLUMNS), ("receptions", RECEPTION_COLUMNS)):
        section = data.get(name, {})
        if not isinstance(section, dict):
            raise ValueError(T("records.read.mapping_type", path=path, setting=name, expected="[table]"))
        _unknown(path, f"[{name}] ", section, SECTION_KEYS)
        columns = dict(section.get("columns", {}))
        unknown = sorted(set(columns) - set(ours))
        if unknown:
            raise ValueError(T("records.read.unknown_mapping", path=path, table=name, unknown=", ".join(unknown),
                               known=", ".join(ours)))
        formats = section.get("date_formats", list(DATE_FORMATS))
        checks = [(f"{name}.columns.{k}", v, str, "string") for k, v in columns.items()]
        checks += [(f"{name}.date_formats", formats, list, "strings"),
                   (f"{name}.codes", section.get("codes", {}), dict, "table")]
        checks += [(f"{name}.date_formats", f, str, "strings") for f in (formats if isinstance(formats, list) else [])]
        for setting, value, expected, words in checks:
            if not isinstance(value, expected):
                raise ValueError(T("records.read.mapping_type", path=path, setting=setting,
                                   expected=T(f"records.read.toml_type.{words}")))
        _unknown(path, f"[{name}.codes] ", section.get("codes", {}), ours)
        codes = {k: dict(v) for k, v in section.get("codes", {}).items()}
        _one_header_each(path, name, {c: columns.get(c, c) for c in ours})
        tables[name] = TableMapping({c: columns.get(c, c) for c in ours},
                                    tuple(section.get("date_formats", DATE_FORMATS)), codes, f"{path} [{name}]")
    return Mapping(tables["appeals"], tables["receptions"])
