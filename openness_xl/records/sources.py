"""Reading a records source into DuckDB: CSV (checked to be UTF-8 first, then read once into
Parquet: `read_once`), Parquet or .xlsx."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from ..io.inputs import delimiter_of, sheet_headed
from ..texts import text as T
from .sql import identifier, quote


class RecordError(ValueError):
    """A source that cannot be read at all (missing file or column); the message says which."""


# A record takes a few hundred characters; DuckDB refuses a line of over 2 MB. Python reads no
# longer line than this (a file without line breaks would otherwise be read whole, and split
# into fields: 2 GB of memory for 300 MB).
LINE_LIMIT = 1 << 20


class _LongLine(Exception):
    def __init__(self, row: int):
        self.row = row


def _lines(handle):
    """The text file's lines, read no further than LINE_LIMIT characters each: a longer one
    raises _LongLine with its number."""
    number = 0
    while line := handle.readline(LINE_LIMIT):
        number += 1
        if len(line) == LINE_LIMIT and not line.endswith(("\n", "\r")):
            raise _LongLine(number)
        yield line


def _is_utf8(path: Path) -> bool:
    with open(path, "rb") as handle:
        head = handle.read(1 << 20)
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as error:
        return error.start > len(head) - 4  # a multi-byte character cut at the end of the sample


def _dialect(path: Path) -> tuple[str, str]:
    """(encoding, delimiter) of a CSV as every reader here takes it: UTF-8 (a BOM or not), else
    cp1251; `;` where the first line has more of them than commas, else `,`."""
    encoding = "utf-8-sig" if _is_utf8(path) else "cp1251"
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        return encoding, delimiter_of(handle.readline(LINE_LIMIT))


def csv_headers(path: Path) -> list[str]:
    """A CSV's first row as written, read in Python: DuckDB asked for it would make a column
    of each field, and a first "row" of 600,000 fields ran it out of memory."""
    import csv

    encoding, delimiter = _dialect(path)
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        try:
            return next(csv.reader(_lines(handle), delimiter=delimiter), [])
        except _LongLine as long:
            raise RecordError(f"{path}, " + T("records.read.long_row", row=long.row, limit=f"{LINE_LIMIT:,}")) from None
        except csv.Error as error:
            raise RecordError(f"{path}, " + T("records.read.bad_csv", row=1, error=error)) from None


def first_bad_csv_row(path: Path) -> str | None:
    """Where a CSV that DuckDB could not read goes wrong: the first row with a broken quote
    or another number of fields than the header (only looked for once reading has failed)."""
    import csv

    encoding, delimiter = _dialect(path)
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        reader = csv.reader(_lines(handle), delimiter=delimiter, strict=True)
        try:
            header = next(reader, [])
            for row in reader:
                if row and len(row) != len(header):
                    return T("records.read.short_row", row=reader.line_num, fields=len(row), header=len(header))
        except csv.Error as error:
            return T("records.read.bad_csv", row=reader.line_num, error=error)
        except _LongLine as long:
            return T("records.read.long_row", row=long.row, limit=f"{LINE_LIMIT:,}")
    return None


def source_sql(connection, path: Path, name: str, workdir: Path, notes: list[str], headers=()) -> str:
    """A FROM clause for the file: Parquet is streamed by DuckDB, a CSV read by DuckDB (once its
    columns are checked, `read_once` copies it), .xlsx goes through Arrow (what its reader
    notices is added to `notes`) from its first sheet headed with all of `headers`."""
    if not path.exists():
        raise RecordError(T("records.read.no_file", path=path))
    if not path.is_file():  # DuckDB reads an extract more than once; a pipe can be read once
        raise RecordError(T("records.read.not_a_file", path=path))
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return f"read_parquet('{quote(path)}')"
    if suffix in (".xlsx", ".xlsm"):
        return register_xlsx(connection, path, name, notes, headers)
    with open(path, "rb") as handle:
        head = handle.read(1 << 16)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head:
        raise RecordError(T("records.read.utf16", path=path, export=T("records.read.export")))
    if not _is_utf8(path):
        # DuckDB reads UTF-8 only without its encodings extension: transcode cp1251 once.
        target = workdir / f"{name}.utf8.csv"
        try:
            with open(path, encoding="cp1251", newline="") as source, open(target, "w", encoding="utf-8", newline="") as out:
                while chunk := source.read(1 << 22):
                    out.write(chunk)
        except UnicodeDecodeError as error:
            raise RecordError(T("records.read.undecodable", path=path, byte=f"{error.object[error.start]:#04x}",
                                export=T("records.read.export"))) from None
        path = target
    delimiter = _dialect(path)[1]
    return f"read_csv('{quote(path)}', all_varchar=true, header=true, delim='{delimiter}', quote='\"')"


def read_once(connection, source: str, path: Path, headers, workdir: Path, name: str) -> str:
    """A CSV source (`source_sql`) read once, only its columns `headers`, into Parquet beside
    the work: the FROM clause every later query reads. Read in place, each query (the checks,
    the look at the ids, the hashes, the counts, the examples) parsed the whole text again,
    and sniffed all of it first so that a bad row anywhere was found before anything was
    counted: 2 s a query for the 469 MB of 5.9 M appeals. A bad row stops the copy and is
    named by its row (`unreadable`); columns the mapping does not use (an appeal's text, an
    applicant's name) are not copied. Other sources are returned as they are.

    The copy keeps no order of the rows: written in parallel it took 2.0 s instead of 2.4–2.6 s
    for those 5.9 M appeals. Nothing counted depends on the order (the examples are sorted by
    id); ids in order are then found by their hashes, not proved in order, which costs less
    than the order kept."""
    if not source.startswith("read_csv("):
        return source
    import duckdb

    copy = workdir / f"{name}.csv.parquet"
    try:
        connection.execute("SET preserve_insertion_order = false")
        connection.execute(f"COPY (SELECT {', '.join(map(identifier, headers)) or '*'} FROM {source}) "
                           f"TO '{quote(copy)}' (FORMAT parquet)")
    except duckdb.IOException as error:  # the copy could not be written: not the extract's fault
        first = str(error).strip().splitlines()[0]
        raise RecordError(T("records.read.work_copy", path=path, folder=workdir, first=first)) from None
    except duckdb.Error as error:
        raise unreadable(path, error) from None
    finally:
        connection.execute("RESET preserve_insertion_order")
    return f"read_parquet('{quote(copy)}')"


@contextmanager
def reading(path: Path, workdir: Path):
    """Errors met while `path` is read and counted, as a RecordError that names it. A damaged
    file is found only where a query reaches the damage (a Parquet page that does not
    decompress, past a sound footer): `unreadable`. Work that could not be written — DuckDB's
    spill beyond its memory limit into `workdir`, the ids' spill files — is not the extract's
    fault: the message names the folder and asks whether the disk is full. Errors of our own
    SQL (a column not bound, an internal error) stay as they are, to be seen."""
    import duckdb

    ours = (duckdb.BinderException, duckdb.CatalogException, duckdb.ParserException, duckdb.SyntaxException,
            duckdb.InternalException, duckdb.NotImplementedException, duckdb.InterruptException)
    try:
        yield
    except duckdb.Error as error:
        if isinstance(error, ours):
            raise
        said = str(error)
        if isinstance(error, duckdb.OutOfMemoryException) or str(workdir) in said:
            raise RecordError(T("records.read.work_space", path=path, folder=workdir,
                                first=said.strip().splitlines()[0])) from None
        raise unreadable(path, error) from None
    except OSError as error:
        if error.filename is None or Path(error.filename) == Path(path):
            raise  # the extract itself (a permission, a vanished file): the command line names it
        raise RecordError(T("records.read.work_space", path=path, folder=Path(error.filename).parent,
                            first=error.strerror or error)) from None


def unreadable(path: Path, error: Exception) -> RecordError:
    """The error for a source DuckDB could not read: the first bad row of a CSV where one is
    found, else what DuckDB said, in the catalogue's words."""
    first = str(error).strip().splitlines()[0]
    where = first_bad_csv_row(path) if path.suffix.lower() not in (".parquet", ".xlsx", ".xlsm") else None
    if where:
        return RecordError(f"{path}, {where}")
    return RecordError(T("records.read.unreadable", path=path, extension=path.suffix.lstrip('.') or 'CSV', first=first))


def register_xlsx(connection, path: Path, name: str, notes: list[str], headers=()) -> str:
    """The rows of the workbook's first sheet headed with all of `headers` (`sheet_headed`: an
    export may open with a cover sheet, or hold the appeals and the receptions on two sheets of
    one workbook), registered as a table of texts."""
    import pyarrow as pa

    from ..io.safe_xlsx import DAMAGED, UnsafeWorkbook, open_workbook, present_rows, unreadable

    try:
        workbook, warnings = open_workbook(path)
    except UnsafeWorkbook as error:  # too large, encrypted, …: the way out is another export
        raise RecordError(f"{error}; {T('records.read.export')}") from None
    notes.extend(warnings)
    try:
        rows = (values for _number, values in present_rows(sheet_headed(workbook, headers)))
        header = [str(h).strip() if h is not None else f"column{n}" for n, h in enumerate(next(rows, ()))]
        columns = [[] for _ in header]
        for row in rows:
            for position in range(len(header)):
                value = row[position] if position < len(row) else None
                columns[position].append(None if value is None else (value.isoformat() if hasattr(value, "isoformat") else str(value)))
    except (*DAMAGED, ValueError) as error:
        location, message = unreadable(path, error)
        raise RecordError(f"{path}: {message}" if location == "file" else f"{path}, {location}: {message}") from None
    finally:
        workbook.close()
    # A repeated header keeps its column, renamed as DuckDB renames one in a CSV («Дата_1»; a
    # table made of a dict kept the last of them only); the headers as written are kept beside.
    table = pa.Table.from_arrays([pa.array(c, type=pa.string()) for c in columns], names=_renamed(header))
    connection.register(f"{name}_xlsx", table)
    connection.register(f"{name}_xlsx_headers", pa.table({"header": pa.array(header, type=pa.string())}))
    return f"{name}_xlsx"


def _renamed(header: list[str]) -> list[str]:
    """The header with each repeat renamed as DuckDB renames it: Дата, Дата_1, Дата_2."""
    seen: dict[str, int] = {}
    names = []
    for h in header:
        names.append(f"{h}_{seen[h]}" if h in seen else h)
        seen[h] = seen.get(h, 0) + 1
    return names


def written_headers(connection, source: str, path: Path) -> list[str]:
    """The column headers of `path` (read as `source`) as the file writes them, repeats
    included (DuckDB reads a repeated one as «Дата_1»): a CSV's first row, a Parquet file's
    top-level fields, an .xlsx's first row (`register_xlsx`)."""
    if source.startswith("read_csv("):
        return csv_headers(path)
    if source.startswith("read_parquet("):
        rows = connection.execute(f"SELECT name, num_children FROM parquet_schema({source[len('read_parquet('):]}").fetchall()

        def after(i: int) -> int:  # the row after the subtree of row i (a nested column's fields)
            j = i + 1
            for _ in range(rows[i][1] or 0):
                j = after(j)
            return j

        names, i = [], 1
        for _ in range(rows[0][1] or 0):
            names.append(rows[i][0])
            i = after(i)
        return names
    return [row[0] for row in connection.execute(f"SELECT header FROM {source}_headers").fetchall()]
