"""Bad input, as a new user or an attacker would give it, through the real command line.

Every case runs `openness` in a subprocess with a time limit (a hang fails instead of
blocking CI) and checks five things: the exit code, a message naming the place, every input
file's SHA-256 unchanged, no partial output or temporary file left behind, and the command's
peak memory under 1 GB whatever its input claims.
"""
import hashlib
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import openpyxl
import pytest

from openness_xl.io.template_reader import FIRST_BODY_ROW
from openness_xl.workbooks.template import write_template
from tests.bundled import METHODOLOGY, BODIES

pytestmark = pytest.mark.slow

TIME_LIMIT = 60
GOOD_CSV = "body,indicator,field,value\nМЗ,appk_review_timeliness,late,25\nМЗ,appk_review_timeliness,reviewed,48981\n"


@dataclass
class Case:
    name: str
    make: Callable[[Path], list[str]]  # writes the inputs into the folder, returns the arguments
    code: int
    says: tuple[str, ...] = ()
    outputs: tuple[str, ...] = field(default=())  # files the command may leave


# The command runs under a small parent that writes the command's peak memory (KB) to a file.
PEAK = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[2:]); "
        "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
        "sys.exit(done.returncode)")
# No case may take more, whatever its file claims (a sparse 256 MB file, a billion samples).
MEMORY_LIMIT_KB = 1024 * 1024


def run_case(case: Case, folder: Path):
    args = case.make(folder)
    before = {p.name: digest(p) for p in folder.iterdir() if p.is_file()}
    peak = folder.parent / f"{folder.name}.peak"  # beside the folder: nothing may be left inside it
    result = subprocess.run([sys.executable, "-c", PEAK, str(peak), sys.executable, "-m", "openness_xl.cli", *args],
                            cwd=folder, capture_output=True, text=True, timeout=TIME_LIMIT)
    after = {p.name: digest(p) for p in folder.iterdir() if p.is_file()}
    result.peak_kb = int(peak.read_text())
    return result, before, after


def digest(path: Path) -> str:
    """The file's SHA-256, read in chunks (a case's sparse file must not fill the memory)."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def template_file(folder: Path, edit=None, name="t.xlsx") -> Path:
    path = folder / name
    path.write_bytes(write_template(METHODOLOGY, BODIES))
    book = openpyxl.load_workbook(path)
    row = FIRST_BODY_ROW + 1
    book["АППК"][f"D{row}"], book["АППК"][f"E{row}"] = 3, 3000
    if edit:
        edit(book)
    book.save(path)
    return path


def write_bytes(folder: Path, name: str, data: bytes) -> str:
    (folder / name).write_bytes(data)
    return name


def csv_file(folder: Path, text: str, name="in.csv") -> str:
    (folder / name).write_text(text, encoding="utf-8")
    return name


def stray_cell(folder: Path) -> list[str]:
    def edit(book):
        book["АППК"]["XFD1048576"] = 1
    template_file(folder, edit)
    return ["check", "t.xlsx"]


def long_table_with_stray_cell(folder: Path) -> list[str]:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "inputs"
    for line in GOOD_CSV.strip().splitlines():
        sheet.append([int(v) if v.isdigit() else v for v in line.split(",")])
    sheet["XFD1048576"] = "x"
    book.save(folder / "long.xlsx")
    return ["scores", "long.xlsx"]


def key_row_deleted(folder):
    template_file(folder, lambda book: book["Обратная связь"].delete_rows(4))
    return ["check", "t.xlsx"]


def row_inserted_above_the_key_row(folder):
    def edit(book):
        book["АППК"].insert_rows(2)
    template_file(folder, edit)
    return ["check", "t.xlsx"]


def extra_inputs_sheet(folder):
    def edit(book):
        book.create_sheet("inputs").append(["body", "indicator", "field", "value"])
    template_file(folder, edit)
    return ["check", "t.xlsx"]


def code_cleared(folder):
    def edit(book):
        book["АППК"][f"A{FIRST_BODY_ROW + 1}"] = None
    template_file(folder, edit)
    return ["scores", "t.xlsx"]


def formula_without_value(folder):
    def edit(book):
        book["АППК"][f"D{FIRST_BODY_ROW + 2}"] = "=2+3"  # openpyxl stores no cached value
        book["АППК"][f"E{FIRST_BODY_ROW + 2}"] = 100
    template_file(folder, edit)
    return ["scores", "t.xlsx"]


def wrong_body_in_row(folder):
    def edit(book):
        row = FIRST_BODY_ROW + 1 + [b.code for b in BODIES].index("Шымкент")
        book["АППК"][f"B{row}"], book["АППК"][f"C{row}"] = "Министерство здравоохранения", "CGO"
        book["АППК"][f"D{row}"], book["АППК"][f"E{row}"] = 1, 100
    template_file(folder, edit)
    return ["scores", "t.xlsx"]


def extract(folder: Path) -> list[str]:
    """A small synthetic extract as CSV (appeals.csv, receptions.csv); the aggregate arguments."""
    subprocess.run([sys.executable, "-m", "openness_xl.cli", "synthetic", "-d", str(folder), "--appeals", "2000",
                    "--files", "csv"], check=True, capture_output=True, timeout=TIME_LIMIT)
    return ["aggregate", "appeals.csv", "receptions.csv"]


def extract_without(column: str, table: str = "appeals"):
    """A small synthetic extract as CSV, with one column of one table left out."""
    def make(folder: Path) -> list[str]:
        import csv

        extract(folder)
        path = folder / f"{table}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        drop = rows[0].index(column)
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([r[:drop] + r[drop + 1:] for r in rows])
        return ["aggregate", "appeals.csv", "receptions.csv", "-o", "inputs.csv"]
    return make


def percent_formatted(folder):
    def edit(book):
        sheet = book["Обратная связь"]
        col = next(c.column_letter for c in sheet[4] if c.value == "fb_satisfaction.satisfied_percent")
        sheet[f"{col}{FIRST_BODY_ROW + 1}"] = 0.85
        sheet[f"{col}{FIRST_BODY_ROW + 1}"].number_format = "0%"
    template_file(folder, edit)
    return ["scores", "t.xlsx"]


def record_of_another_year(folder):
    import csv

    args = extract(folder)
    path = folder / "appeals.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    head = rows[0]
    for name in ("registered_on", "deadline_on", "answered_on"):
        rows[1][head.index(name)] = {"registered_on": "2034-03-03", "deadline_on": "2034-03-20"}.get(name, "2034-03-10")
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return [*args, "--strict", "-o", "inputs.csv"]


def lie_about_crc(path: Path, part: str) -> Path:
    """`path` with its zip headers giving a wrong CRC for `part` (noticed only when read)."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        crc = archive.getinfo(part).CRC.to_bytes(4, "little")
    data = path.read_bytes()
    assert data.count(crc) == 2  # the local header and the central directory
    path.write_bytes(data.replace(crc, bytes(b ^ 0xFF for b in crc)))
    return path


def lying_crc(folder: Path) -> list[str]:
    """A template whose zip headers give a wrong CRC for one sheet (read only when its rows are)."""
    lie_about_crc(template_file(folder, name="t.xlsx"), "xl/worksheets/sheet2.xml")
    return ["check", "t.xlsx"]


def boolean_rating(folder: Path) -> list[str]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    subprocess.run([sys.executable, "-m", "openness_xl.cli", "synthetic", "-d", str(folder), "--appeals", "500"],
                   check=True, capture_output=True, timeout=TIME_LIMIT)
    table = pq.read_table(folder / "appeals.parquet")
    flags = pa.array([n % 3 == 0 for n in range(table.num_rows)], type=pa.bool_())
    pq.write_table(table.set_column(table.schema.get_field_index("rating"), "rating", flags), folder / "appeals.parquet")
    return ["aggregate", "appeals.parquet", "receptions.parquet"]


def nan_in_a_cell(folder: Path) -> list[str]:
    """NaN stored in a numeric cell (Excel cannot, a script can)."""
    import re
    import zipfile

    source = template_file(folder, name="good.xlsx")
    with zipfile.ZipFile(source) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    name = "xl/worksheets/sheet2.xml"
    parts[name] = re.sub(rb'(<c r="D5"[^>]*>)<v>[^<]*</v>', rb"\1<v>NaN</v>", parts[name], count=1)
    with zipfile.ZipFile(folder / "t.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
        for n, data in parts.items():
            archive.writestr(n, data)
    source.unlink()
    return ["check", "t.xlsx"]


def sparse(folder: Path, name: str, size: int) -> str:
    """A file of `size` bytes that takes no room on disk (all zeros)."""
    with open(folder / name, "wb") as handle:
        handle.truncate(size)
    return name


def workbook_of(folder: Path, name: str, sheet: str, rows: list[list]) -> str:
    """A workbook of `rows` on one sheet, saved by openpyxl."""
    book = openpyxl.Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    book.save(folder / name)
    return name


def workbook_with_nan(folder: Path, name: str, sheet: str, rows: list[list]) -> str:
    """A workbook of `rows` whose cell B2 (a number) holds NaN, as only a program writes it."""
    import re
    import zipfile

    workbook_of(folder, name, sheet, [rows[0], [rows[1][0], 1, *rows[1][2:]], *rows[2:]])
    with zipfile.ZipFile(folder / name) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    part = "xl/worksheets/sheet1.xml"
    parts[part], planted = re.subn(rb'(<c r="B2"[^>]*>)<v>[^<]*</v>', rb"\1<v>NaN</v>", parts[part], count=1)
    assert planted == 1
    with zipfile.ZipFile(folder / name, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, data in parts.items():
            archive.writestr(n, data)
    return name


def receptions_workbook(folder: Path, make) -> list[str]:
    """A synthetic extract whose receptions come as a workbook made by `make(folder, name, sheet, rows)`."""
    import csv

    args = extract(folder)
    with (folder / "receptions.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return [args[0], args[1], make(folder, "receptions.xlsx", "receptions", rows)]


def appeal_log(folder: Path, make, appeals: int = 1) -> list[str]:
    """`openness appeal report` over a log of `appeals` appeals, as a workbook made by `make`."""
    from openness_xl.analyses.appeal import template_csv

    header = template_csv().splitlines()[0].split(",")
    log = make(folder, "log.xlsx", "appeals", [header, *[[str(n)] + [""] * (len(header) - 1) for n in range(1, appeals + 1)]])
    return ["appeal", "report", csv_file(folder, GOOD_CSV), log]


def records_with_nan(folder: Path) -> list[str]:
    return receptions_workbook(folder, workbook_with_nan)


def appeal_log_with_nan(folder: Path) -> list[str]:
    return appeal_log(folder, workbook_with_nan)


def records_with_lying_crc(folder: Path) -> list[str]:
    args = receptions_workbook(folder, workbook_of)
    lie_about_crc(folder / "receptions.xlsx", "xl/worksheets/sheet1.xml")
    return args


def appeal_log_with_lying_crc(folder: Path) -> list[str]:
    args = appeal_log(folder, workbook_of, appeals=5000)  # long enough that the sheet is read only with its rows
    lie_about_crc(folder / "log.xlsx", "xl/worksheets/sheet1.xml")
    return args


def appeals_edited(edit):
    """A synthetic CSV extract whose appeals file is changed by `edit(lines)`."""
    def make(folder: Path) -> list[str]:
        args = extract(folder)
        path = folder / "appeals.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        edit(lines)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return [*args, "-o", "inputs.csv"]
    return make


def _break_quote(lines):
    lines[3] = lines[3].replace('"A3"', '"A3')


def _cut_row(lines):
    lines[4] = ",".join(lines[4].split(",")[:4])


CASES = [
    Case("appeals CSV with a broken quote", appeals_edited(_break_quote), 2, ("appeals.csv, row 4", "quote")),
    Case("appeals CSV with a short row", appeals_edited(_cut_row), 2, ("appeals.csv, row 5", "4 fields")),
    Case("plans for some bodies only", lambda f: [*extract(f), "--plans", write_bytes(f, "plans.csv", "body,plan\nМЗ,5\n".encode()),
                                                  "--strict", "-o", "inputs.csv"], 2, ("plans.csv gives no plan for", "left out")),
    Case("NaN in a numeric cell", nan_in_a_cell, 2, ("t.xlsx, АППК!D5", "'NaN'", "no spreadsheet writes")),
    Case("NaN in a cell of a records workbook", records_with_nan, 2, ("receptions.xlsx, receptions!B2", "'NaN'")),
    Case("NaN in a cell of an appeal log", appeal_log_with_nan, 2, ("log.xlsx, appeals!B2", "'NaN'")),
    Case("a boolean rating column", boolean_rating, 2, ("appeals.parquet", "rating", "BOOLEAN")),
    Case("a zip whose headers lie about a CRC", lying_crc, 2, ("t.xlsx", "damaged", "CRC")),
    Case("a records workbook whose headers lie about a CRC", records_with_lying_crc, 2,
         ("receptions.xlsx", "damaged", "CRC")),
    Case("an appeal log whose headers lie about a CRC", appeal_log_with_lying_crc, 2, ("log.xlsx", "damaged", "CRC")),
    Case("a record of 2034 in a 2025 extract", record_of_another_year, 2, ("outside the assessment year 2025", "A1")),
    Case("a percent shown as 85 % stored as 0.85", percent_formatted, 2,
         ("Обратная связь!", f"{FIRST_BODY_ROW + 1}", "85 %", "type 85")),
    Case("stray cell at XFD1048576 in a template", stray_cell, 0, ("every value is valid",)),
    Case("stray cell at XFD1048576 in a long table", long_table_with_stray_cell, 0),
    Case("huge exponent in a CSV value", lambda f: ["scores", csv_file(f, GOOD_CSV.replace("48981", "1e100000000"))],
         2, ("row 3", "reviewed", "1e100000000", "implausibly large")),
    Case("1e308 appeals", lambda f: ["scores", csv_file(f, GOOD_CSV.replace("48981", "1e308"))], 2,
         ("row 3", "reviewed", "implausibly large")),
    Case("10^12 appeals", lambda f: ["scores", csv_file(f, GOOD_CSV.replace("48981", "1000000000000"))], 2,
         ("row 3", "implausibly large", "100000000")),
    Case("Arabic-Indic digits", lambda f: ["check", csv_file(f, GOOD_CSV.replace("48981", "١٠٠"))], 2, ("row 3", "reviewed")),
    Case("underscore in a number", lambda f: ["check", csv_file(f, GOOD_CSV.replace("48981", "48_981"))], 2, ("row 3",)),
    Case("template sheet lost its key row", key_row_deleted, 2, ("Обратная связь!4", "key row")),
    Case("row inserted above the key row", row_inserted_above_the_key_row, 0, ("1 body, 1 indicator entry",)),
    Case("extra sheet named inputs in a template", extra_inputs_sheet, 2, ("inputs", "remove or rename")),
    Case("values in a row whose code was cleared", code_cleared, 2, (f"АППК!A{FIRST_BODY_ROW + 1}", "no body code")),
    Case("formula with no stored value", formula_without_value, 2, (f"АППК!D{FIRST_BODY_ROW + 2}", "open the file")),
    Case("row whose code and name disagree", wrong_body_in_row, 2, ("Шымкент", "Министерство здравоохранения")),
    Case("output over the input", lambda f: ["scores", csv_file(f, GOOD_CSV), "-o", "in.csv"], 2, ("in.csv", "input file")),
    Case("output over the input through ..", lambda f: (Path(f / "sub").mkdir(),
                                                         ["scores", csv_file(f, GOOD_CSV), "-o", "sub/../in.csv"])[1],
         2, ("input file",)),
    Case("output over the methodology", lambda f: (csv_file(f, (Path(METHODOLOGY.path)).read_text(encoding="utf-8"), "m.csv"),
                                                  ["scores", "--methodology", "m.csv", "-o", "m.csv"])[1],
         2, ("m.csv", "input file")),
    Case("scores -o with a foreign extension", lambda f: ["scores", "-o", "scores.json"], 2, ("scores.json", ".xlsx")),
    Case("template -o t.csv", lambda f: ["template", "-o", "t.csv"], 2, ("t.csv", ".xlsx")),
    Case("output where nothing may be written", lambda f: ["scores", "-o", "/proc/openness-scores.csv"], 2,
         ("/proc/openness-scores.csv", "cannot write")),
    Case("output is a folder", lambda f: (Path(f / "out").mkdir(), ["report", "-o", "out"])[1], 2, ("out",)),
    Case("scores -o FILE.xlsx writes a workbook", lambda f: ["scores", "-o", "scores.xlsx"], 0, outputs=("scores.xlsx",)),
    Case("an empty template given to report", lambda f: ((f / "e.xlsx").write_bytes(write_template(METHODOLOGY, BODIES)),
                                                         ["report", "e.xlsx", "-o", "r.xlsx"])[1],
         2, ("e.xlsx", "nothing to report")),
    Case("Kazakh name of Almaty Region goes to Алматинская",
         lambda f: ["scores", csv_file(f, "body,indicator,field,value\nАлматы облысы,fb_meetings,score,4\n"), "--format", "table"],
         0, ("Алматинская",)),
    *[Case(f"records without the column {column}", extract_without(column, table), 2,
           (f"{table}.csv", column, uses.split(",")[0].split(" ")[0], "--mapping"))
      for column, table, uses in (("answered_on", "appeals", "appk_review_timeliness"),
                                  ("redirected_on", "appeals", "appk_redirect_timeliness"),
                                  ("deadline_on", "appeals", "appk_review_timeliness"),
                                  ("rating", "appeals", "fb_satisfaction"),
                                  ("notified_on", "receptions", "appk_waiting_time"),
                                  ("declined", "receptions", "appk_waiting_time"))],
    Case("unquoted decimal comma", lambda f: ["check", csv_file(f, GOOD_CSV + "МЗ,fb_satisfaction,satisfied_percent,12,5\n")],
         2, ("row 4", "5 fields", "decimal comma")),
    Case("KOI8-R text", lambda f: ["check", write_bytes(f, "k.csv", (GOOD_CSV + "Министерство финансов,fb_meetings,score,4\n"
                                                                   "Министерство здравоохранения,fb_meetings,score,4\n").encode("koi8-r"))],
         2, ("k.csv", "KOI8-R")),
    Case("UTF-16 text", lambda f: ["check", write_bytes(f, "u.csv", GOOD_CSV.encode("utf-16"))], 2, ("u.csv", "UTF-16")),
    Case("random bytes as a CSV", lambda f: ["check", write_bytes(f, "r.csv", bytes(range(256)) * 20)], 2, ("r.csv", "not a text")),
    Case("random bytes as appeals", lambda f: (extract(f), write_bytes(f, "appeals.csv", bytes(range(256)) * 20))[0],
         2, ("appeals.csv",)),
    *[Case(f"{what} Parquet appeals", (lambda data: lambda f: (
            subprocess.run([sys.executable, "-m", "openness_xl.cli", "synthetic", "-d", str(f), "--appeals", "500"],
                           check=True, capture_output=True, timeout=TIME_LIMIT),
            write_bytes(f, "appeals.parquet", data(f / "appeals.parquet")),
            ["aggregate", "appeals.parquet", "receptions.parquet"])[2])(data), 2, ("appeals.parquet", "cannot be read"))
      for what, data in (("a truncated", lambda p: p.read_bytes()[:3000]), ("an empty", lambda p: b""),
                         ("a random", lambda p: bytes(range(256)) * 30))],
    *[Case(f"--plans {what}", (lambda text, enc: lambda f: [*extract(f), "--plans", write_bytes(f, "plans.csv", text.encode(enc)),
                                                           "-o", "out.csv"])(text, enc), 2, says)
      for what, text, enc, says in (
          ("with text and a blank", "body;plan\nМЗ;abc\nМЮ;\n", "cp1251", ("plans.csv, row 2", "got 'abc'", "row 3", "blank")),
          ("without the plan column", "body,plans\nМЗ,1\n", "utf-8", ("plans.csv", "missing plan")),
          ("with an unknown body", "body,plan\nЗЗЗ,4\n", "utf-8", ("plans.csv, row 2", "unknown body")))],
    Case("a UTF-16 methodology", lambda f: ["scores", "--methodology", write_bytes(
        f, "m.toml", Path(METHODOLOGY.path).read_text(encoding="utf-8").encode("utf-16"))], 2, ("m.toml", "UTF-16")),
    Case("a cp1251 methodology", lambda f: ["scores", "--methodology", write_bytes(
        f, "m.toml", Path(METHODOLOGY.path).read_text(encoding="utf-8").encode("cp1251", errors="replace"))], 2,
         ("m.toml", "not UTF-8 text (byte 0x")),
    Case("a sparse 256 MB methodology", lambda f: ["scores", "--methodology", sparse(f, "m.toml", 256 * 1024 ** 2)], 2,
         ("m.toml", "more than a methodology file may be")),
    Case("a sparse 256 MB --plans file", lambda f: [*extract(f), "--plans", sparse(f, "plans.csv", 256 * 1024 ** 2), "-o",
                                                   "i.csv"], 2,
         ("plans.csv", "larger than 1,048,576 bytes")),
    # A device (or a pipe) tells no size: the readers trusted stat() and then read it whole,
    # to the end of the memory. They now read the cap and one byte more, whatever stat says.
    *[Case(f"{what} from a device that never ends", make, 2, says) for what, make, says in (
        ("inputs", lambda f: ["scores", "/dev/zero"], ("/dev/zero", "larger than 104,857,600 bytes")),
        ("a methodology", lambda f: ["scores", "--methodology", "/dev/zero"],
         ("/dev/zero", "2,097,153+ bytes, more than a methodology file may be")),
        ("a --mapping", lambda f: [*extract(f), "--mapping", "/dev/zero", "-o", "i.csv"],
         ("/dev/zero", "mapping file", "larger than 1,048,576 bytes")),
        ("a --calendar", lambda f: [*extract(f), "--calendar", "/dev/zero", "-o", "i.csv"],
         ("/dev/zero", "calendar file", "larger than 1,048,576 bytes")),
        ("an appeal log", lambda f: ["appeal", "report", csv_file(f, GOOD_CSV), "/dev/zero"],
         ("/dev/zero", "larger than 104,857,600 bytes")),
        ("the old side of diff", lambda f: ["diff", "/dev/zero", csv_file(f, GOOD_CSV)],
         ("/dev/zero", "larger than 104,857,600 bytes")))],
    # 200 MB without a line break: read whole and split into fields to find the bad row, it
    # took 2 GB (300 MB: 1.98 GB, 7.6 s); the rows are now read no longer than a megabyte.
    Case("an appeals CSV of one 200 MB line", lambda f: (extract(f), write_bytes(
        f, "appeals.csv", b"appeal_id,body,kind,registered_on,deadline_on,answered_on,redirected_to,redirected_on,rating"
        + b",x" * (100 * 1024 ** 2)), ["aggregate", "appeals.csv", "receptions.csv", "-o", "i.csv"])[2], 2,
         ("appeals.csv, row 1: longer than 1,048,576 characters without a line break",)),
    Case("output over --plans", lambda f: [*extract(f), "--plans", write_bytes(f, "plans.csv", "body,plan\nМЗ,1\n".encode()),
                                           "-o", "./plans.csv"], 2, ("plans.csv", "input file")),
    Case("output over --mapping", lambda f: [*extract(f), "--mapping", write_bytes(f, "m.csv", b"[appeals]\n"), "-o", "m.csv"],
         2, ("m.csv", "input file")),
    Case("output over the appeals", lambda f: [*extract(f), "-o", "appeals.csv"], 2, ("appeals.csv", "input file")),
    Case("a folder as input", lambda f: ((f / "dir").mkdir(), ["check", "dir"])[1], 2, ("dir", "folder")),
    Case("a truncated workbook", lambda f: ["check", write_bytes(f, "t.xlsx", write_template(METHODOLOGY, BODIES)[:20000])],
         2, ("t.xlsx", "cut short")),
    Case("an encrypted workbook", lambda f: ["check", write_bytes(f, "e.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000))],
         2, ("e.xlsx", "password")),
    Case("an .ods spreadsheet", lambda f: ["check", write_bytes(f, "x.ods", b"PK\x03\x04" + bytes(26)
                                                                + b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet")],
         2, ("x.ods", "OpenDocument")),
    Case("bodies absent from the input with --strict",
         lambda f: ["scores", csv_file(f, GOOD_CSV), "--strict"], 2, ("ЦГО: no data at all for 28 bodies", "no rank, as the group is incomplete")),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case, tmp_path):
    result, before, after = run_case(case, tmp_path)
    message = result.stdout + result.stderr
    assert result.returncode == case.code, message
    assert "Traceback" not in message, message
    assert result.peak_kb < MEMORY_LIMIT_KB, f"peak memory {result.peak_kb:,} KB"
    print(f"\n{case.name}: peak {result.peak_kb // 1024} MB")
    flat = " ".join(message.split())  # diagnostics are wrapped to the terminal
    for fragment in case.says:
        assert fragment in message or fragment in flat, (fragment, message)
    for name, digest in before.items():
        assert after.get(name) == digest, f"{name} was changed"
    left = set(after) - set(before)
    assert left <= set(case.outputs), f"left behind: {left - set(case.outputs)}"
    if case.outputs:
        assert all(o in after for o in case.outputs)
