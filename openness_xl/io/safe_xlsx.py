"""Opening .xlsx files that other people sent: refuse bombs before parsing, parse XML safely.

openpyxl parses XML with entity expansion unless defusedxml is installed, and nothing in it
guards against zip bombs (a 311 KB file can expand to 315 MB). So: check the archive's
member count and declared sizes first, insist on defusedxml, and ignore macros and
external links with a warning.
"""
from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..texts import text


MAX_MEMBERS = 2_000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200


# What a damaged .xlsx raises while its parts are read: a lying CRC or size, broken deflate
# data, a part cut short, XML that does not parse.
DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, SyntaxError)

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def not_xlsx(kind: str) -> str:
    """Why a file that `sniff` calls "ole", "ods" or "other" cannot be read as .xlsx, and what to do."""
    return text(f"xlsx.{kind}")


def sniff(path: Path | str) -> str:
    """What a file is by its first bytes: "zip" (an .xlsx), "ods", "ole" (encrypted or .xls), "other"."""
    with open(path, "rb") as handle:
        return kind_of(handle.read(80))


def kind_of(head: bytes) -> str:
    """`sniff` of a file's first bytes, already read (a pipe cannot be read twice)."""
    if head.startswith(OLE_SIGNATURE):
        return "ole"
    if head.startswith(b"PK"):
        # An OpenDocument file names its type in a first, uncompressed member.
        return "ods" if b"mimetypeapplication/vnd.oasis.opendocument" in head else "zip"
    return "other"


class UnsafeWorkbook(ValueError):
    """A workbook refused before parsing; `reason` says which limit it broke."""

    def __init__(self, path: Path | str | None, reason: str):
        self.path, self.reason = path, reason
        super().__init__(reason if path is None else f"{path}: {reason}")


@dataclass(frozen=True)
class Inspection:
    members: int
    uncompressed: int
    warnings: tuple[str, ...]


def inspect(path: Path | str, max_members: int = MAX_MEMBERS, max_uncompressed: int = MAX_UNCOMPRESSED,
            max_ratio: int = MAX_RATIO) -> Inspection:
    """Check an .xlsx archive against the limits without parsing any of its XML."""
    path = Path(path)
    kind = sniff(path)
    if kind != "zip":
        raise UnsafeWorkbook(path, not_xlsx(kind))
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise UnsafeWorkbook(path, text('xlsx.cut_short')) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > max_members:
            raise UnsafeWorkbook(path, text('xlsx.too_many_parts', parts=len(infos), limit=max_members))
        total = sum(i.file_size for i in infos)
        if total > max_uncompressed:
            raise UnsafeWorkbook(path, text('xlsx.too_large', size=f'{total:,}', limit=f'{max_uncompressed:,}'))
        for info in infos:
            if info.compress_size and info.file_size / info.compress_size > max_ratio and info.file_size > 1_000_000:
                raise UnsafeWorkbook(path, text("xlsx.ratio", part=info.filename, size=f"{info.file_size:,}",
                                                        ratio=info.file_size // info.compress_size, limit=max_ratio))
        names = [i.filename for i in infos]
    warnings = []
    if any(n.endswith("vbaProject.bin") for n in names):
        warnings.append(f"{path}: {text('xlsx.macros')}")
    if any(n.startswith("xl/externalLinks/") for n in names):
        warnings.append(f"{path}: {text('xlsx.external_links')}")
    return Inspection(len(infos), total, tuple(warnings))


def open_workbook(path: Path | str, formulas: bool = False, **limits):
    """Open an .xlsx for reading values only (or, with `formulas`, the formulas' text), after
    the archive checks; returns (workbook, warnings)."""
    from ..extras import require

    require("workbooks", "reading")  # defusedxml too: openpyxl parses with it when present
    import openpyxl
    from openpyxl import xml as openpyxl_xml

    if not openpyxl_xml.DEFUSEDXML:
        raise UnsafeWorkbook(None, text("xlsx.no_defusedxml"))
    inspection = inspect(path, **limits)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=not formulas, keep_links=False)
    except Exception as error:  # defusedxml's EntitiesForbidden and friends, or a broken file
        root = error
        while root.__cause__ or root.__context__:
            root = root.__cause__ or root.__context__
        raise UnsafeWorkbook(path, text('xlsx.refused', error=f'{type(root).__name__}: {root}')) from None
    return workbook, list(inspection.warnings)


def present_rows(sheet, formats: bool = False):
    """(row number, values) of the rows that hold any cell, in order, at a cost that follows
    the cells in the file and not the size the sheet declares: one stray cell at XFD1048576
    would otherwise make every row 16,384 cells wide and a million rows long. With
    `formats`, each value comes as (value, number format)."""
    sheet.reset_dimensions()
    for number, row in enumerate(sheet.iter_rows(values_only=not formats), start=1):
        if formats:
            row = tuple((c.value, getattr(c, "number_format", None)) for c in row)
            if row and any(v is not None for v, _ in row):
                yield number, row
        elif row and any(v is not None for v in row):
            yield number, row


def unreadable(path: Path | str, error: Exception) -> tuple[str, str]:
    """Where and why the rows of an opened workbook could not be read, given what reading
    them raised (one of DAMAGED or a ValueError): the cell of a number no spreadsheet writes,
    which openpyxl stops at without saying where, or else "file" and the damage."""
    found = bad_stored_number(path) if isinstance(error, ValueError) else None
    return found or ("file", text("xlsx.damaged", error=f"{type(error).__name__}: {error}"))


# A number as spreadsheets store one in a cell's <v>: finite, in plain or E notation.
_STORED_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATION = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def bad_stored_number(path: Path | str) -> tuple[str, str] | None:
    """The first cell stored as a number whose text is no number (NaN, INF, a word: openpyxl
    stops at it without saying where), as (its name «Sheet!D5», what is wrong with it), or
    None. For an archive that `inspect` passed: its parts are bounded, and read with
    defusedxml, one element at a time."""
    try:
        return _bad_stored_number(path)
    except (*DAMAGED, KeyError, OSError):
        return None  # a damaged file: the caller's own message says so


def _bad_stored_number(path: Path | str) -> tuple[str, str] | None:
    from defusedxml.ElementTree import fromstring, iterparse

    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if not {"xl/workbook.xml", "xl/_rels/workbook.xml.rels"} <= names:
            return None
        targets = {r.get("Id"): r.get("Target", "") for r in fromstring(archive.read("xl/_rels/workbook.xml.rels"))}
        for sheet in fromstring(archive.read("xl/workbook.xml")).iter(_MAIN + "sheet"):
            target = targets.get(sheet.get(_RELATION), "")
            part = target.lstrip("/") if target.startswith("/") else "xl/" + target
            if part not in names:
                continue
            with archive.open(part) as handle:
                for _, element in iterparse(handle):
                    if element.tag != _MAIN + "c":
                        continue
                    value = element.find(_MAIN + "v")
                    if element.get("t", "n") == "n" and value is not None and value.text is not None \
                            and not _STORED_NUMBER.fullmatch(value.text.strip()):
                        return (f"{sheet.get('name')}!{element.get('r')}",
                                text("xlsx.stored_number", shown=repr(value.text[:40])))
                    element.clear()
    return None
