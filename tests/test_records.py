"""Raw records → indicator inputs: the calendar, the aggregation against known answers, bad data."""
import datetime as dt
import hashlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from openness_xl.cli.app import main
from openness_xl.records.calendar import Overrides, WorkingDays, working_days_between
from openness_xl.records.explain import explain
from openness_xl.records.pipeline import aggregate
from openness_xl.records.schema import default_mapping, load_mapping
from openness_xl.records.synthetic import generate, working_day_list
from openness_xl.texts import count, using
from tests.bundled import METHODOLOGY, BODIES

CALENDAR = WorkingDays(dt.date(2024, 12, 1), dt.date(2026, 3, 31))


@pytest.fixture(scope="module")
def extract(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("extract"), METHODOLOGY, BODIES, appeals=60_000, seed=7)


# ---------------------------------------------------------------- calendar

@pytest.mark.parametrize("day, working", [
    ("2025-01-01", False), ("2025-01-02", False), ("2025-01-03", False),  # New Year + the day moved from Sunday 5 Jan
    ("2025-01-05", True),  # a transferred working Sunday
    ("2025-01-06", True), ("2025-01-07", False),  # Orthodox Christmas
    ("2025-03-10", False), ("2025-03-21", False), ("2025-03-24", False), ("2025-03-25", False),  # 8 March observed, Nowruz
    ("2025-03-26", True), ("2025-05-01", False), ("2025-05-07", False), ("2025-05-09", False),
    ("2025-07-07", False), ("2025-09-01", False), ("2025-10-27", False), ("2025-12-16", False),
    ("2025-12-15", True), ("2025-12-13", False),
])
def test_known_2025_days(day, working):
    assert CALENDAR.is_working_day(dt.date.fromisoformat(day)) is working


def test_working_days_across_the_transferred_sunday():
    # After Thu 2 Jan up to Mon 6 Jan 2025: Fri 3 off (moved), Sat 4 off, Sun 5 working, Mon 6 working.
    assert working_days_between(dt.date(2025, 1, 2), dt.date(2025, 1, 6), CALENDAR).tolist() == [2]
    # numpy's business-day count cannot know the working Sunday:
    holidays = [d for d in np.arange("2025-01-01", "2025-01-08", dtype="datetime64[D]")
                if not CALENDAR.is_working_day(d.astype(object)) and d.astype(object).weekday() < 5]
    assert np.busday_count("2025-01-03", "2025-01-07", holidays=holidays) == 1


@settings(max_examples=300, deadline=None)
@given(st.dates(dt.date(2024, 12, 1), dt.date(2026, 3, 31)), st.dates(dt.date(2024, 12, 1), dt.date(2026, 3, 31)))
def test_cumulative_table_equals_a_day_by_day_walk(a, b):
    start, end = min(a, b), max(a, b)
    walk = sum(1 for offset in range(1, (end - start).days + 1)
               if CALENDAR.is_working_day(start + dt.timedelta(days=offset)))
    assert CALENDAR.between([start], [end]).tolist() == [walk]


@settings(max_examples=300, deadline=None)
@given(st.dates(dt.date(2024, 12, 1), dt.date(2026, 3, 31)), st.dates(dt.date(2024, 12, 1), dt.date(2026, 3, 31)),
       st.integers(0, 20))
def test_late_from_is_the_first_day_beyond_the_limit(start, day, limit):
    late_from = CALENDAR.late_from(limit)[(np.datetime64(start) - np.datetime64(CALENDAR.first)).astype(int)]
    beyond = CALENDAR.between([start], [day])[0] > limit
    assert (np.datetime64(day) >= late_from) == beyond


def test_late_from_past_the_calendar_end():
    calendar = WorkingDays(dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    assert calendar.late_from(30)[0] == np.datetime64("2026-01-01")  # no day of December is late


def test_vectorised_over_arrays():
    starts = np.array(["2025-01-02", "2025-03-20", "2025-12-31"], dtype="datetime64[D]")
    ends = np.array(["2025-01-06", "2025-03-27", "2026-01-05"], dtype="datetime64[D]")
    assert CALENDAR.between(starts, ends).tolist() == [2, 2, 1]  # 1–2 Jan 2026 are holidays


def test_overrides_add_days_off_and_working_days():
    overrides = Overrides(frozenset({dt.date(2026, 1, 5)}), frozenset({dt.date(2026, 1, 10)}))
    calendar = WorkingDays(dt.date(2026, 1, 1), dt.date(2026, 1, 31), overrides)
    assert not calendar.is_working_day(dt.date(2026, 1, 5))
    assert calendar.is_working_day(dt.date(2026, 1, 10))


def test_the_calendar_in_sql_is_the_calendar_in_numpy():
    import duckdb

    connection = duckdb.connect()
    CALENDAR.register(connection, "calendar", {"soon": 3, "later": 30})
    assert [row[1] for row in connection.execute("DESCRIBE calendar").fetchall()] == ["DATE", "INTEGER", "DATE", "DATE"]
    rows = connection.execute("SELECT day, cum, soon, later FROM calendar ORDER BY day").fetchall()
    as_dates = lambda values: [v.astype(object) for v in values]  # noqa: E731
    assert [r[0] for r in rows] == as_dates(CALENDAR.days)
    assert [r[1] for r in rows] == CALENDAR.cumulative.tolist()
    assert [r[2] for r in rows] == as_dates(CALENDAR.late_from(3))
    assert [r[3] for r in rows] == as_dates(CALENDAR.late_from(30))


def test_a_short_extract_is_aggregated_without_pyarrow(tmp_path):
    """Up to a million ids, the calendar and the hashes reach DuckDB as NumPy columns: pyarrow's
    import was 0.03 s of a 0.6 M extract's half-second run. Shuffled ids, so that hashes are made."""
    import subprocess
    import sys

    shuffled = generate(tmp_path / "shuffled", METHODOLOGY, BODIES, appeals=2_000, seed=3, ids_in_order=False,
                        with_expected=False)
    code = ("import sys; from openness_xl.cli.app import main; "
            f"code = main(['aggregate', {str(shuffled.appeals)!r}, {str(shuffled.receptions)!r}, "
            f"'-o', {str(tmp_path / 'inputs.csv')!r}]); print(code, 'pyarrow' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "0 False"


def test_generator_calendar_agrees_with_the_pipeline_calendar():
    walked = set(working_day_list(2025))
    day = dt.date(2025, 1, 1)
    while day <= dt.date(2025, 12, 31):
        assert (day in walked) == CALENDAR.is_working_day(day), day
        day += dt.timedelta(days=1)


def test_a_year_without_a_decree_or_with_an_estimated_holiday_is_said_by_name_and_date(tmp_path):
    from openness_xl.records.calendar import calendar_notes, load_overrides

    bundled = load_overrides()
    assert calendar_notes(2025, bundled) == []  # holidays knows 2025's transfer (Sunday 5 January)
    notes = calendar_notes(2026, bundled)
    assert len(notes) == 2 and "calendar 2026: no transfer decree is known" in notes[0]
    assert "27.05.2026 «Eid al-Adha (estimated)» is only estimated" in notes[1]
    own = tmp_path / "calendar.toml"
    own.write_text('[2026]\ndecree = "Постановление № 1 от 01.12.2025"\ndays_off = ["2026-01-05"]\n'
                   'working_days = ["2026-01-03"]\nconfirmed = ["2026-05-27"]\n', encoding="utf-8")
    overrides = load_overrides(own)
    assert calendar_notes(2026, overrides) == []
    days = WorkingDays(dt.date(2026, 1, 1), dt.date(2026, 1, 31), overrides)
    assert not days.is_working_day(dt.date(2026, 1, 5)) and days.is_working_day(dt.date(2026, 1, 3))


def test_the_calendar_made_meanwhile_is_the_calendar_in_the_callers_language(monkeypatch):
    """`aggregate` has the calendar made in a thread while DuckDB reads: the same calendar and
    notes as made in line, the notes in the language the caller chose, and an error made
    there raised where the calendar is asked for."""
    from openness_xl.records import calendar as module
    from openness_xl.texts import using

    bundled = module.load_overrides()
    with using("ru"):
        ahead = module.CalendarAhead(2026, bundled)
    notes = ahead.notes()
    assert ahead.working_days() is module.calendar_between(module.CALENDAR_FIRST, module.CALENDAR_LAST, bundled)
    with using("ru"):
        assert notes == module.calendar_notes(2026, bundled) and "календар" in notes[0].lower()
    assert notes != module.calendar_notes(2026, bundled)  # English outside the block

    def broken(*args):
        raise module.CalendarError("the calendar file says no")

    monkeypatch.setattr(module, "calendar_between", broken)
    failing = module.CalendarAhead(2025, bundled)
    with pytest.raises(module.CalendarError, match="says no"):
        failing.working_days()


@pytest.mark.parametrize("option, content, said", [
    ("--calendar", '[2026]\ndays_of = []\n', "[2026]: unknown days_of; known: decree, days_off, working_days, confirmed"),
    ("--calendar", '[2026]\ndays_off = ["05.01.2026"]\n', "[2026] days_off: '05.01.2026' is not a date such as 2026-01-02"),
    ("--calendar", '[2026]\nworking_days = ["2025-12-27"]\n', "[2026] working_days: 2025-12-27 is not in 2026"),
    ("--calendar", '[next]\ndays_off = []\n', "[next] is not a year"),
    ("--calendar", '[2026\n', "cannot be read as a calendar file"),
    ("--mapping", '[apeals]\nbody = "x"\n',
     "apeals is not a key of a mapping file; known: appeals, receptions; did you mean appeals?"),
    ("--mapping", '[appeals]\ncolumn = {}\n', "[appeals] column is not a key of a mapping file; known: columns, "
                                              "date_formats, codes; did you mean columns?"),
    ("--mapping", '[appeals.columns]\nbody = 5\n', "appeals.columns.body must be text in quotes"),
    # A setting that was read and never used is gone, and said so: decimal commas are always read.
    ("--mapping", '[appeals]\ndecimal_comma = true\n', "[appeals] decimal_comma is not a key of a mapping file"),
    ("--mapping", '[appeals]\ndate_formats = "%d.%m.%Y"\n', "appeals.date_formats must be a list of texts in quotes"),
    ("--mapping", '[appeals.codes.knd]\n"a" = "b"\n', "[appeals.codes] knd is not a key of a mapping file"),
    ("--mapping", '[appeals\n', "cannot be read as a mapping file"),
])
def test_a_calendar_or_mapping_file_is_checked_by_file_and_key(tmp_path, cli, option, content, said):
    """A strict schema: the file, the table and the key named, the nearest known key suggested."""
    given = tmp_path / "given.toml"
    given.write_text(content, encoding="utf-8")
    code, _out, err = cli("aggregate", "a.parquet", "r.parquet", option, given)
    assert code == 2 and str(given) in err and said in " ".join(err.split())


def test_aggregate_of_2026_names_what_its_calendar_does_not_know(tmp_path, cli):
    methodology = tmp_path / "2026.toml"
    assert cli("methodology", "new", "2026", "-o", methodology)[0] == 0
    assert cli("synthetic", "-d", tmp_path, "--appeals", "500", "--methodology", methodology)[0] == 0
    code, _out, err = cli("aggregate", tmp_path / "appeals.parquet", tmp_path / "receptions.parquet",
                          "--methodology", methodology, "-o", tmp_path / "inputs.csv")
    flat = " ".join(err.split())
    assert code == 0, err
    assert "calendar 2026: no transfer decree is known" in flat and "27.05.2026 «Eid al-Adha (estimated)»" in flat


# ---------------------------------------------------------------- aggregation

def test_parquet_extract_gives_the_known_inputs(extract):
    result = aggregate(extract.appeals, extract.receptions, METHODOLOGY, BODIES, default_mapping())
    assert result.inputs == extract.expected
    assert result.records["appeals"] == 60_000
    assert not result.appeal_problems.counts and not result.reception_problems.counts


def test_shuffled_ids_give_the_same_answers(tmp_path):
    # Ids out of order take the hash sort instead of the one-pass order proof: same answers.
    shuffled = generate(tmp_path, METHODOLOGY, BODIES, appeals=20_000, seed=7, ids_in_order=False)
    import pyarrow.parquet as pq

    ids = pq.read_table(shuffled.appeals, columns=["appeal_id"]).column(0).to_pylist()
    assert ids != sorted(ids, key=lambda i: (len(i), i)) and len(set(ids)) == len(ids)
    result = aggregate(shuffled.appeals, shuffled.receptions, METHODOLOGY, BODIES, default_mapping())
    assert result.inputs == shuffled.expected and not result.appeal_problems.counts


def test_the_skew_is_realistic(extract):
    result = aggregate(extract.appeals, extract.receptions, METHODOLOGY, BODIES, default_mapping())
    sizes = sorted(int(v["appk_redirect_timeliness"]["received"]) for v in result.inputs.values())
    assert 0.12 <= sizes[-1] / sum(sizes) <= 0.16
    assert sizes[0] < 0.001 * sum(sizes)


def test_a_russian_csv_export_through_a_mapping(extract, tmp_path):
    import pyarrow.parquet as pq

    headers = {"appeal_id": "Номер", "body": "Орган", "kind": "Вид обращения", "registered_on": "Дата регистрации",
               "deadline_on": "Срок", "answered_on": "Дата ответа", "redirected_to": "Кому направлено",
               "redirected_on": "Дата направления", "rating": "Оценка"}
    frame = pq.read_table(extract.appeals).to_pandas()
    for column in ("registered_on", "deadline_on", "answered_on", "redirected_on"):
        frame[column] = frame[column].map(lambda d: "" if d is None or d != d else d.strftime("%d.%m.%Y"))
    frame["kind"] = frame["kind"].str.capitalize()
    frame["rating"] = frame["rating"].map(lambda r: "" if r != r else f"{r:.1f}".replace(".", ","))
    # A «г.» form, Latin look-alike letters, and a Russian spelling where cp1251 has no Kazakh letter.
    spelling = {"Алматы": "г. Алматы", "МО": "MO", "Ұлытау": "Улытауская"}
    frame["body"] = frame["body"].map(lambda b: spelling.get(b, b))
    frame["redirected_to"] = frame["redirected_to"].map(lambda b: spelling.get(b, b))
    frame = frame.rename(columns=headers)
    path = tmp_path / "обращения.csv"
    frame.to_csv(path, sep=";", index=False, encoding="cp1251")
    mapping_file = tmp_path / "mapping.toml"
    mapping_file.write_text(
        "[appeals]\ndate_formats = [\"%d.%m.%Y\"]\n[appeals.columns]\n"
        + "".join(f'{ours} = "{theirs}"\n' for ours, theirs in headers.items())
        + "[appeals.codes.kind]\n" + "".join(f'"{k.capitalize()}" = "{k}"\n' for k in
                                              ["заявление", "жалоба", "запрос", "сообщение", "предложение", "отклик"]),
        encoding="utf-8")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = aggregate(path, extract.receptions, METHODOLOGY, BODIES, load_mapping(mapping_file))
    assert result.inputs == extract.expected
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # the input is never modified


def test_dates_with_a_time_count_on_their_day(extract, tmp_path):
    """An export writes «03.03.2025 10:15:00» (or «3.3.2025 9:05», or milliseconds): each of the
    default formats, and each a mapping gives, is read with a time too, the day kept. Every such
    record had been left out as «date does not parse»."""
    import pyarrow.parquet as pq

    frame = pq.read_table(extract.appeals).to_pandas()
    times = [("%d.%m.%Y %H:%M:%S", "10:15:00"), ("%d.%m.%Y %H:%M", "9:05"), ("%d/%m/%Y %H:%M:%S", "23:59:59.250")]
    for column in ("registered_on", "deadline_on", "answered_on", "redirected_on"):
        frame[column] = [
            "" if d is None or d != d else d.strftime(times[i % 3][0].split(" ")[0]) + " " + times[i % 3][1]
            for i, d in enumerate(frame[column])]
    path = tmp_path / "appeals.csv"
    frame.to_csv(path, index=False)
    result = aggregate(path, extract.receptions, METHODOLOGY, BODIES, default_mapping())
    assert result.inputs == extract.expected and not result.appeal_problems.counts
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[appeals]\ndate_formats = ["%d/%m/%Y", "%d.%m.%Y"]\n', encoding="utf-8")
    assert aggregate(path, extract.receptions, METHODOLOGY, BODIES, load_mapping(mapping)).inputs == extract.expected


def test_excel_serial_dates_count_on_their_day(extract, tmp_path):
    """A date cell formatted as a number reaches an .xlsx extract, or its CSV, as Excel's serial
    (45719 is 2025-03-03; a fraction is the time): read as the appeal log reads a filing date,
    not left out as «does not parse». A number outside 2000–2099 is still no date."""
    import openpyxl
    import pyarrow.parquet as pq

    frame = pq.read_table(extract.appeals).to_pandas()
    epoch = dt.date(1899, 12, 30)
    for column in ("registered_on", "deadline_on", "answered_on", "redirected_on"):
        frame[column] = ["" if d is None or d != d else str((d - epoch).days) + (".75" if i % 2 else "")
                         for i, d in enumerate(frame[column])]
    path = tmp_path / "appeals.csv"
    frame.to_csv(path, index=False)
    result = aggregate(path, extract.receptions, METHODOLOGY, BODIES, default_mapping())
    assert result.inputs == extract.expected and not result.appeal_problems.counts

    header = ["appeal_id", "body", "kind", "registered_on", "deadline_on", "answered_on", "redirected_to",
              "redirected_on", "rating"]
    rows = [["1", "МЗ", "заявление", 45719, 45734, 45733.6, None, None, 5],  # answered on time
            ["2", "МЗ", "заявление", 45719, 45734, 45735, None, None, 4],  # a day late
            ["3", "МЗ", "заявление", 36525, 45734, 45733, None, None, 4]]  # 1999-12-31: no date here
    book = openpyxl.Workbook()
    for row in [header, *rows]:
        book.active.append(row)
    book.save(tmp_path / "appeals.xlsx")
    result = aggregate(tmp_path / "appeals.xlsx", extract.receptions, METHODOLOGY, BODIES, default_mapping())
    assert result.inputs["МЗ"]["appk_review_timeliness"] == {"late": 1, "reviewed": 2}
    assert result.appeal_problems.counts == {"registered_on: date does not parse": 1}


@pytest.mark.parametrize("edit, said", [
    (lambda line: ",".join(line.split(",")[:4]), ("row 30001", "4 fields")),
    (lambda line: line.replace(",", ',"', 1), ("row 30001", "quote")),
])
def test_a_bad_row_deep_in_a_csv_extract_is_named(tmp_path, edit, said):
    """A CSV extract is read once, into Parquet, before anything is counted: a short row or a
    broken quote far past DuckDB's sniffing sample (20,480 rows) still stops the aggregate,
    named by its row, and leaves no work file behind; the extract itself is not touched."""
    from openness_xl.records.sources import RecordError

    small = generate(tmp_path / "x", METHODOLOGY, BODIES, appeals=40_000, seed=3, fmt="csv", with_expected=False)
    lines = small.appeals.read_text(encoding="utf-8").splitlines()
    lines[30_000] = edit(lines[30_000])
    small.appeals.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = hashlib.sha256(small.appeals.read_bytes()).hexdigest()
    with pytest.raises(RecordError) as error:
        aggregate(small.appeals, small.receptions, METHODOLOGY, BODIES, default_mapping())
    assert str(error.value).startswith(f"{small.appeals}, ") and all(part in str(error.value) for part in said)
    assert hashlib.sha256(small.appeals.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == ["appeals.csv", "receptions.csv"]


def test_a_csv_is_copied_with_the_columns_the_mapping_uses_only(tmp_path):
    """Columns no count uses (an appeal's text, an applicant's name) are not read into the work
    copy: it is smaller, and personal data the index does not need is not written again."""
    import duckdb
    import pyarrow.parquet as pq

    from openness_xl.records.sources import read_once, source_sql

    path = tmp_path / "appeals.csv"
    path.write_text("appeal_id,applicant,body\nA1,Иванов И. И.,МЗ\nA2,Петрова А. А.,МЮ\n", encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    connection = duckdb.connect()
    source = read_once(connection, source_sql(connection, path, "appeals", work, []), path, ["appeal_id", "body"], work,
                       "appeals")
    (copy,) = work.iterdir()
    assert pq.read_schema(copy).names == ["appeal_id", "body"]
    assert connection.execute(f"SELECT * FROM {source}").fetchall() == [("A1", "МЗ"), ("A2", "МЮ")]


@pytest.mark.parametrize("machine", ["UTC", "America/New_York", "Asia/Almaty"])
def test_an_instant_is_counted_on_its_day_in_kazakhstan_whatever_the_machines_zone(tmp_path, monkeypatch, machine):
    """19:30 UTC on 2 March is 00:30 on 3 March in Astana. A time-zoned Parquet column was cast
    to a date in the machine's zone (DuckDB's default), so a server in UTC counted 2 March where
    a desk in Astana counted 3 March, and text with an offset took the date as written. Now both
    are counted on their day in the methodology's `records.time_zone`, on every machine."""
    import datetime as dt
    import time

    import pyarrow as pa
    import pyarrow.parquet as pq

    monkeypatch.setenv("TZ", machine)
    time.tzset()
    small = generate(tmp_path / "x", METHODOLOGY, BODIES, appeals=300, seed=5, with_expected=False)
    utc = dt.timezone.utc
    instants = pa.array([dt.datetime(2025, 3, 2, 19, 30, tzinfo=utc), dt.datetime(2025, 3, 3, 18, 59, tzinfo=utc),
                         dt.datetime(2025, 3, 3, 19, 0, tzinfo=utc)], pa.timestamp("us", tz="UTC"))
    none = pa.array([None] * 3, pa.timestamp("us", tz="UTC"))
    pq.write_table(pa.table({"appeal_id": ["A1", "A2", "A3"], "body": ["МЗ"] * 3, "kind": ["запрос"] * 3,
                             "registered_on": instants, "deadline_on": instants, "answered_on": none,
                             "redirected_to": pa.array([None] * 3, pa.string()), "redirected_on": none,
                             "rating": pa.array([None] * 3, pa.int64())}), tmp_path / "a.parquet")
    (tmp_path / "a.csv").write_text(
        "appeal_id,body,kind,registered_on,deadline_on,answered_on,redirected_to,redirected_on,rating\n"
        "A1,МЗ,запрос,2025-03-02T19:30:00Z,2025-03-20,,,,\n"
        "A2,МЗ,запрос,2025-03-03 23:59:00+05:00,2025-03-20,,,,\n"
        "A3,МЗ,запрос,2025-03-04 00:00:00,2025-03-20,,,,\n"  # no zone: the day written
        "A4,МЗ,запрос,2025-03-03 22:00:00-03:00,2025-03-20,,,,\n"
        "A5,МЗ,запрос,2025-03-03T19:30+0000,2025-03-20,,,,\n"
        "A6,МЗ,запрос,2025-03-03 23:00+05,2025-03-20,,,,\n"
        "A7,МЗ,запрос,2025-03-03T19:30:00.250Z,2025-03-20,,,,\n"
        "A8,МЗ,запрос,2025-03-05,2025-03-20,,,,\n", encoding="utf-8")  # a date alone among them
    expected = ["A1,запрос,2025-03-03", "A2,запрос,2025-03-03", "A3,запрос,2025-03-04"]
    try:
        for name, more in (("a.parquet", []), ("a.csv", ["A4,запрос,2025-03-04", "A5,запрос,2025-03-04",
                                                          "A6,запрос,2025-03-03", "A7,запрос,2025-03-04",
                                                          "A8,запрос,2025-03-05"])):
            shown = explain(tmp_path / name, small.receptions, METHODOLOGY, BODIES, default_mapping(), "МЗ",
                            "fb_request_share").splitlines()[2:]
            assert shown == expected + more, name
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_time_zone_that_is_none_is_named(tmp_path):
    import copy

    methodology = copy.deepcopy(METHODOLOGY)
    methodology.records["time_zone"] = "Asia/Astana-ish"
    small = generate(tmp_path / "x", METHODOLOGY, BODIES, appeals=300, seed=5, with_expected=False)
    with pytest.raises(ValueError, match="records.time_zone = «Asia/Astana-ish» of the methodology is not a time zone"):
        aggregate(small.appeals, small.receptions, methodology, BODIES, default_mapping())


def test_a_column_only_explain_shows_is_required_but_not_copied_for_the_counts(tmp_path, monkeypatch):
    """`redirected_to` is shown by --explain and counted by nothing: aggregate still asks for
    it (a later --explain reads the same files) but neither copies a CSV's nor reads it."""
    from openness_xl.records import normalise

    small = generate(tmp_path / "x", METHODOLOGY, BODIES, appeals=300, seed=5, fmt="csv", with_expected=False)
    copied = {}

    def spy(connection, source, path, headers, workdir, name):
        copied[name] = list(headers)
        return real(connection, source, path, headers, workdir, name)

    real = normalise.read_once
    monkeypatch.setattr(normalise, "read_once", spy)
    aggregate(small.appeals, small.receptions, METHODOLOGY, BODIES, default_mapping())
    assert copied["appeals"] == ["appeal_id", "body", "kind", "registered_on", "deadline_on", "answered_on",
                                 "redirected_on", "rating"]
    without = tmp_path / "without.csv"
    lines = small.appeals.read_text(encoding="utf-8").splitlines()
    position = lines[0].split(",").index('"redirected_to"')
    without.write_text("\n".join(",".join(f for i, f in enumerate(line.split(",")) if i != position)
                                 for line in lines) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing column\\(s\\) redirected_to"):
        aggregate(without, small.receptions, METHODOLOGY, BODIES, default_mapping())


def test_a_work_copy_that_cannot_be_written_is_not_blamed_on_the_extract(tmp_path):
    """A full disk or a vanished work folder stops the copy: the message names the folder and
    the copy, not the extract as damaged."""
    import duckdb

    from openness_xl.records.sources import RecordError, read_once, source_sql

    path = tmp_path / "appeals.csv"
    path.write_text("appeal_id,body\nA1,МЗ\n", encoding="utf-8")
    connection = duckdb.connect()
    source = source_sql(connection, path, "appeals", tmp_path, [])
    with pytest.raises(RecordError) as error:
        read_once(connection, source, path, ["appeal_id"], tmp_path / "gone", "appeals")
    assert "working copy" in str(error.value) and str(tmp_path / "gone") in str(error.value)
    assert "damaged" not in str(error.value)


def test_a_parquet_damaged_past_its_footer_is_named_by_every_command(tmp_path, capsys):
    """A Parquet file whose footer is sound reads its columns' types; the damage (a page that
    does not decompress) is met only by a later query. aggregate and --explain name the file
    as damaged, in one line, with the input error's exit code — never a traceback."""
    small = generate(tmp_path / "x", METHODOLOGY, BODIES, appeals=20_000, seed=5, with_expected=False)
    damaged = tmp_path / "damaged.parquet"
    data = bytearray(small.appeals.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 4096] = b"\xff" * 4096
    damaged.write_bytes(bytes(data))
    for run in (lambda: aggregate(damaged, small.receptions, METHODOLOGY, BODIES, default_mapping()),
                lambda: explain(damaged, small.receptions, METHODOLOGY, BODIES, default_mapping(), "МЗ",
                                "fb_satisfaction")):
        with pytest.raises(ValueError) as error:
            run()
        assert str(error.value).startswith(f"{damaged}: cannot be read as a parquet extract (damaged")
    assert main(["aggregate", str(damaged), str(small.receptions), "-o", str(tmp_path / "out.csv")]) == 2
    said = capsys.readouterr().err
    assert said.startswith(f"error: {damaged}: cannot be read") and "Traceback" not in said
    assert not (tmp_path / "out.csv").exists()


def test_a_full_disk_under_the_ids_spill_names_the_extract_and_the_folder(tmp_path, monkeypatch):
    """Past the memory budget the ids' hashes go to files; a full disk there (here /dev/full,
    which refuses every write as a full disk does) is no damage of the extract: the message
    names the extract and the folder of the file that could not be written, and the spill
    leaves no file. The writes here are of a few hundred bytes, which NumPy's tofile let go
    missing without a word: the hashes of some ids, and so their duplicates, would have been
    lost."""
    from openness_xl.records import duplicates

    small = generate(tmp_path / "x", METHODOLOGY, BODIES, appeals=3_000, seed=5, ids_in_order=False,
                     with_expected=False)
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(duplicates.tempfile, "tempdir", str(temp))
    monkeypatch.setattr(duplicates, "WHOLE_LOOK_ROWS", 100)  # the hashes are streamed…
    monkeypatch.setattr(duplicates, "BATCH_ROWS", 500)
    monkeypatch.setattr(duplicates, "MEMORY_HASHES", 1_000)  # …and spilt past 1,000
    real_open = open
    monkeypatch.setattr(duplicates, "open", lambda name, mode: real_open("/dev/full", mode), raising=False)
    with pytest.raises(ValueError) as error:
        aggregate(small.appeals, small.receptions, METHODOLOGY, BODIES, default_mapping())
    said = str(error.value)
    assert said.startswith(f"{small.appeals}: the work on it could not be kept in memory nor written in /dev ")
    assert "is the disk full?" in said
    assert not list(temp.iterdir())


@pytest.mark.parametrize("raised, blamed", [
    (lambda path: __import__("duckdb").IOException(f'Could not read file "{path}": truncated'), "extract"),
    (lambda path: __import__("duckdb").InvalidInputException("Snappy decompression failure"), "extract"),
    (lambda path: __import__("duckdb").Error("Varint-decoding found too large number"), "extract"),
    (lambda path: __import__("duckdb").IOException(f'Could not write file "{path.parent / "work"}/duckdb_temp_block": No space'),
     "work"),
    (lambda path: __import__("duckdb").OutOfMemoryException("could not allocate block of size 256 KiB"), "work"),
    (lambda path: OSError(28, "No space left on device", "/tmp/spill/03.hashes"), "work"),
    (lambda path: PermissionError(13, "Permission denied", str(path)), None),  # the extract's own: named as it is
    (lambda path: __import__("duckdb").BinderException("no such column"), None),  # our own SQL: seen as it is
])
def test_errors_met_while_reading_are_blamed_where_they_belong(tmp_path, raised, blamed):
    from openness_xl.records.sources import RecordError, reading

    path = tmp_path / "appeals.parquet"
    error = raised(path)
    with pytest.raises(Exception) as caught:
        with reading(path, tmp_path / "work"):
            raise error
    if blamed is None:
        assert caught.value is error
        return
    assert isinstance(caught.value, RecordError) and str(caught.value).startswith(f"{path}: ")
    assert ("is the disk full?" in str(caught.value)) is (blamed == "work")
    assert ("damaged" in str(caught.value)) is (blamed == "extract")


@pytest.mark.parametrize("ids_in_order", [False, True])
def test_a_csv_extract_counts_as_its_parquet_twin(tmp_path, ids_in_order):
    """The same records as CSV (read once, into Parquet, in no kept order) and as Parquet give
    the same inputs and the same problems, bad records and duplicated ids included, whether
    the ids come in order (the Parquet twin's proved so, the copy's hashed) or not."""
    made = {fmt: generate(tmp_path / fmt, METHODOLOGY, BODIES, appeals=30_000, seed=11, fmt=fmt,
                          ids_in_order=ids_in_order, inject_bad=True, with_expected=False) for fmt in ("csv", "parquet")}
    one, other = (aggregate(made[fmt].appeals, made[fmt].receptions, METHODOLOGY, BODIES, default_mapping())
                  for fmt in ("csv", "parquet"))
    assert one.inputs == other.inputs and one.records == other.records
    assert one.appeal_problems.counts == other.appeal_problems.counts and one.appeal_problems.counts["duplicated id"] == 10
    for kind, ids in made["csv"].bad.items():
        assert sorted(one.appeal_problems.examples[kind]) == sorted(other.appeal_problems.examples[kind]) == ids, kind


def test_xlsx_extract(tmp_path):
    small = generate(tmp_path / "x", METHODOLOGY, BODIES, appeals=2_000, seed=3, fmt="csv")
    import openpyxl
    import pyarrow.csv as pacsv

    for name in ("appeals", "receptions"):
        table = pacsv.read_csv(getattr(small, name)).to_pylist()
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(list(table[0]))
        for row in table:
            sheet.append([None if v is None else (v.isoformat() if hasattr(v, "isoformat") else v) for v in row.values()])
        book.save(tmp_path / f"{name}.xlsx")
    result = aggregate(tmp_path / "appeals.xlsx", tmp_path / "receptions.xlsx", METHODOLOGY, BODIES, default_mapping())
    assert result.inputs == small.expected
    assert result.notes == []


def test_one_workbook_with_a_cover_holds_both_tables(tmp_path):
    """An export may open with a cover sheet and put the appeals and the receptions on two sheets
    of one workbook: only the first sheet was read (its cover: every column missing). Each
    table is read from the first sheet headed with its columns."""
    import openpyxl
    import pyarrow.csv as pacsv

    small = generate(tmp_path / "x", METHODOLOGY, BODIES, appeals=2_000, seed=3, fmt="csv")
    book = openpyxl.Workbook()
    book.active.title = "Титул"
    book.active.append(["Выгрузка e-Otinish за 2025 год"])
    for name, title in (("appeals", "Обращения"), ("receptions", "Приёмы")):
        table = pacsv.read_csv(getattr(small, name)).to_pylist()
        sheet = book.create_sheet(title)
        sheet.append([column.upper() for column in table[0]])  # headers in another case, too
        for row in table:
            sheet.append([None if v is None else (v.isoformat() if hasattr(v, "isoformat") else v) for v in row.values()])
    book.save(tmp_path / "extract.xlsx")
    result = aggregate(tmp_path / "extract.xlsx", tmp_path / "extract.xlsx", METHODOLOGY, BODIES, default_mapping())
    assert result.inputs == small.expected


def test_an_extract_workbook_with_macros_is_counted_with_the_warning_every_workbook_gets(tmp_path, cli):
    """The records reader warns of macros and external links as the input readers do (it
    used to drop the warning), and counts the same."""
    import zipfile

    test_xlsx_extract(tmp_path)
    plain, odd = tmp_path / "receptions.xlsx", tmp_path / "odd.xlsx"
    with zipfile.ZipFile(plain) as old, zipfile.ZipFile(odd, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item, old.read(item.filename))
        new.writestr("xl/vbaProject.bin", b"x")
        new.writestr("xl/externalLinks/externalLink1.xml", b"<externalLink/>")
    code, _out, err = cli("aggregate", tmp_path / "appeals.xlsx", odd, "-o", tmp_path / "inputs.csv")
    assert code == 0
    assert "odd.xlsx" in err and "macro" in err.lower() and "external" in err.lower()


def test_an_extract_workbook_refused_as_unsafe_says_what_to_export_instead(tmp_path, extract):
    """An .xlsx the safe reader refuses (here a part that expands hundreds of times, as a bomb does; a real
    extract past the size limit alike) left the user at «more than the limit»: the way on is
    the same extract as CSV or Parquet, and the message says so."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["appeal_id", "body", "kind", "registered_on"])
    for n in range(100):
        book.active.append([f"A{n}", "МЗ", "заявление", "2025-03-03" + " " * 30_000])
    book.save(tmp_path / "appeals.xlsx")
    with pytest.raises(ValueError) as error:
        aggregate(tmp_path / "appeals.xlsx", extract.receptions, METHODOLOGY, BODIES, default_mapping())
    said = str(error.value)
    assert said.startswith(f"{tmp_path / 'appeals.xlsx'}: ") and "more than the limit" in said
    assert said.endswith("; export the extract as CSV in UTF-8 or Windows-1251, or as Parquet")


def test_bad_records_are_counted_reported_and_left_out(tmp_path):
    bad = generate(tmp_path, METHODOLOGY, BODIES, appeals=5_000, seed=11, inject_bad=True, with_expected=False)
    result = aggregate(bad.appeals, bad.receptions, METHODOLOGY, BODIES, default_mapping())
    counts = result.appeal_problems.counts
    assert counts == {"unknown body": 5, "answered_on: date does not parse": 5, "answered_on before registered_on": 5,
                      "rating outside 1–5": 5, "duplicated id": 10}
    for kind, ids in bad.bad.items():
        assert sorted(result.appeal_problems.examples[kind]) == ids, kind
    counted = sum(int(v["appk_redirect_timeliness"]["received"]) for v in result.inputs.values())
    assert counted == 5_005 - 30


def test_unknown_codes_are_named_most_frequent_first(tmp_path, extract):
    """Thousands of records of an export's own name for a body were told as «unknown body (e.g.
    …ids)»: the user had to look the ids up to learn what to map. The values are named, the
    most frequent first, a long one cut, the rest counted."""
    header = "appeal_id,body,kind,registered_on,deadline_on,answered_on,redirected_to,redirected_on,rating\n"
    written = {"Минздрав": 4, "Минфин": 2, "Б" * 200: 2, "Акимат\nАбая": 1, "Минюст": 1, "Минэнерго": 1, "МВД РК": 1,
               "Минтруд": 1}
    rows = [f'x{i},"{body}",заявление,2025-03-03,2025-03-18,2025-03-10,,,'
            for i, body in enumerate(b for b, n in written.items() for _ in range(n))]
    path = tmp_path / "appeals.csv"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    problems = aggregate(path, extract.receptions, METHODOLOGY, BODIES, default_mapping()).appeal_problems
    assert problems.values == {"unknown body": {b: n for b, n in written.items() if b != "МВД РК"}}
    assert problems.lines("appeals") == [
        "appeals: 12 records left out — unknown body: «Минздрав» (4), «" + "Б" * 59 + "…» (2), «Минфин» (2), "
        "«Акимат Абая» (1), «Минтруд» (1) and 2 more; a mapping gives each its code, in "
        "[appeals.codes.body] (e.g. x0, x1, x10, x12, x2)"]


def test_each_record_is_left_out_for_its_first_problem(tmp_path, extract):
    header = "appeal_id,body,kind,registered_on,deadline_on,answered_on,redirected_to,redirected_on,rating\n"
    rows = [
        "a1,МЗ,заявление,2025-03-03,2025-03-18,2025-03-10,,,5",  # usable
        "a2,,заявление,2025-03-03,2025-03-18,2025-03-10,,,5",  # body is blank
        "a3,   ,жалоба,2025-03-03,2025-03-18,2025-03-10,,,",  # body of spaces is blank too
        "a4,МЗ,,2025-03-03,2025-03-18,2025-03-10,,,",  # kind is blank
        "a5,Министерство магии,заявление,2025-03-03,2025-03-18,2025-03-01,,,9",  # unknown body comes first
        "a6,МЗ,петиция,2025-03-03,2025-03-18,2025-03-10,,,",  # unknown kind
        "a7,МЗ,петиция,,2025-03-18,2025-03-10,,,",  # a blank registration comes before the unknown kind
        ",МЗ,заявление,2025-03-03,2025-03-18,2025-03-10,,,",  # no id
        "a9,МЗ,запрос,2025-03-03,2025-03-18,2025-03-01,,,7",  # answered before registration, before the rating
        "a10,Министерство здравоохранения,запрос,2025-03-03,2025-03-18,2025-03-10,,,4.5",  # rating not whole
        "a10,МЗ,запрос,2025-03-03,2025-03-18,2025-03-10,,,4",  # duplicated id (with the one above: a rating problem)
        "a12,МЗ,Запрос,2025-03-05,2025-03-20,2025-03-12,МФ,2025-03-12,4",  # usable, redirected on the 4th working day
    ]
    path = tmp_path / "appeals.csv"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    result = aggregate(path, extract.receptions, METHODOLOGY, BODIES, default_mapping())
    problems = result.appeal_problems
    assert problems.counts == {"body is blank": 2, "kind is blank": 1, "unknown body": 1, "unknown kind": 1,
                               "registered_on is blank": 1, "appeal_id is blank": 1,
                               "answered_on before registered_on": 1, "rating outside 1–5": 1, "duplicated id": 1}
    assert problems.examples == {"body is blank": ["a2", "a3"], "kind is blank": ["a4"], "unknown body": ["a5"],
                                 "unknown kind": ["a6"], "registered_on is blank": ["a7"], "appeal_id is blank": [None],
                                 "answered_on before registered_on": ["a9"], "rating outside 1–5": ["a10"],
                                 "duplicated id": ["a10"]}
    assert result.records["appeals"] == 12
    # An unknown code's values as written, only where that is the record's first problem (a7's
    # «петиция» comes after its blank registration).
    assert problems.values == {"unknown body": {"Министерство магии": 1}, "unknown kind": {"петиция": 1}}
    # Counted by the English key, said in the reader's language; a record with no id says so.
    lines = {"en": problems.lines("appeals")}
    with using("ru"):
        lines["ru"] = problems.lines("appeals")
    with using("kk"):
        lines["kk"] = problems.lines("appeals")
    assert "appeals: 1 record left out — appeal_id is blank (e.g. (no id))" in lines["en"]
    assert ("appeals: 1 record left out — unknown kind: «петиция» (1); a mapping gives each its code, in "
            "[appeals.codes.kind]; known: заявление, жалоба, запрос, сообщение, предложение, отклик (e.g. a6)") in lines["en"]
    assert "обращения: не учтено 2 записи — body: нет значения (например, a2, a3)" in lines["ru"]
    assert "обращения: не учтено 1 запись — appeal_id: нет значения (например, (нет id))" in lines["ru"]
    assert "өтініштер: есепке алынбады 1 жазба — қайталанған id (мысалы, a10)" in lines["kk"]
    for lang in ("ru", "kk"):
        prose = " ".join(lines[lang])
        assert not any(word in prose for word in ("left out", "unknown", "blank", "before", "outside", "duplicated"))
    mz = result.inputs["МЗ"]
    # 5 → 12 March: 6, 7, 11, 12 (Mon 10 March is the day off for Saturday 8 March) = 4 working days > 3
    assert mz["appk_redirect_timeliness"] == {"late": 1, "received": 2}
    assert mz["fb_request_share"] == {"request_percent": 50}


@pytest.mark.parametrize("way", ["speculated", "collided", "confirmed"])
def test_repeated_ids_are_confirmed_by_the_counts_or_by_a_scan_alike(tmp_path, monkeypatch, way):
    """Few records with a repeated hash: the counts keep their ids and confirm them, without the
    scan of every id. With a hash of four bits every id shares its hash with others: the counts
    see ids only once, confirm the repeated ones and count again. Past SPECULATED records the
    scan confirms them first. The three give the same inputs, problems and examples."""
    from openness_xl.records import duplicates, normalise

    bad = generate(tmp_path, METHODOLOGY, BODIES, appeals=3_000, seed=11, inject_bad=True, with_expected=False,
                   ids_in_order=False)
    exact = aggregate(bad.appeals, bad.receptions, METHODOLOGY, BODIES, default_mapping())  # before any patch
    calls = {"scan": 0, "recount": 0}
    scan, recount = duplicates.confirm, normalise.View.confirm

    def counted_scan(*args):
        calls["scan"] += 1
        return scan(*args)

    def counted_recount(*args):
        calls["recount"] += 1
        return recount(*args)

    monkeypatch.setattr(duplicates, "confirm", counted_scan)
    monkeypatch.setattr(normalise.View, "confirm", counted_recount)
    if way == "collided":
        monkeypatch.setattr(duplicates, "HASH", "(hash({id}) >> 60)::UINTEGER")
    if way == "confirmed":
        monkeypatch.setattr(normalise, "SPECULATED", 0)
    result = aggregate(bad.appeals, bad.receptions, METHODOLOGY, BODIES, default_mapping())
    assert result.inputs == exact.inputs and result.records == exact.records and result.used == exact.used
    for table in ("appeal_problems", "reception_problems"):
        assert getattr(result, table) == getattr(exact, table)
    assert result.appeal_problems.counts["duplicated id"] == 10
    assert sorted(result.appeal_problems.examples["duplicated id"]) == bad.bad["duplicated id"]
    assert calls == {"speculated": {"scan": 0, "recount": 0}, "collided": {"scan": 0, "recount": 1},  # the receptions: ids in order
                     "confirmed": {"scan": 1, "recount": 0}}[way]


def test_records_without_an_id_are_never_speculated_duplicates(tmp_path, monkeypatch, extract):
    """The speculative duplicate bit marks records whose id's hash is a candidate; a record with
    no id has a hash too (DuckDB hashes NULL). Here NULL and A7 hash as A5 does: A5 repeats, A7
    collides (the table is counted again) and the two records with no id stay blank, not
    candidates — as candidates they would have made the confirmation sort None with ids."""
    from openness_xl.records import duplicates, normalise

    header = "appeal_id,body,kind,registered_on,deadline_on,answered_on,redirected_to,redirected_on,rating\n"
    ids = ["A5", "A5", "", "", "A7", *(f"A{n}" for n in range(10, 40))]
    path = tmp_path / "appeals.csv"
    path.write_text(header + "".join(f"{i},МЗ,заявление,2025-03-03,2025-03-18,2025-03-10,,,\n" for i in ids),
                    encoding="utf-8")
    exact = aggregate(path, extract.receptions, METHODOLOGY, BODIES, default_mapping())
    recounts = []
    recount = normalise.View.confirm
    monkeypatch.setattr(normalise.View, "confirm", lambda view, *args: (recounts.append(view.table), recount(view, *args)))
    monkeypatch.setattr(duplicates, "HASH", "hash(CASE WHEN {id} IS NULL OR {id} = 'A7' THEN 'A5' ELSE {id} END)")
    result = aggregate(path, extract.receptions, METHODOLOGY, BODIES, default_mapping())
    assert recounts == ["appeals"]
    assert result.inputs == exact.inputs and result.appeal_problems == exact.appeal_problems
    assert exact.appeal_problems.counts == {"appeal_id is blank": 2, "duplicated id": 2}


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "a1", "a2", "b10", "b9", "c", "d", "e", "f", "g", "h", "Ж"]),
                          st.sampled_from(["МЗ", "МЮ", "Магии", ""]), st.sampled_from(["заявление", "петиция"]),
                          st.sampled_from(["2025-03-03", "2025-13-03", "2024-03-03"]), st.sampled_from(["", "4", "9"])),
                min_size=1, max_size=80))
@example([("a1", "МЗ", "заявление", "2025-03-03", "")] * 6 + [("a2", "МЗ", "заявление", "2025-03-03", "")] * 2
         + [("", "Магии", "заявление", "2025-03-03", "")] * 2)
@example([("a1", "МЗ", "заявление", "2025-03-03", "")] * 11 + [("b9", "МЗ", "заявление", "2025-03-03", "")] * 2)
def test_the_examples_of_each_problem_are_its_smallest_ids_record_by_record(tmp_path_factory, extract, records):
    """Examples come with the counts (each group's ten smallest ids, a group whose ids repeat
    more looked at again); they equal the five smallest distinct ids of the records judged one
    by one, a record with no id first, however often an id repeats and in however many groups."""
    import duckdb

    from openness_xl.records.normalise import normalised_view
    from openness_xl.records.schema import APPEAL_COLUMNS, APPEAL_DATES, APPEAL_REQUIRED

    folder = tmp_path_factory.mktemp("examples")
    path = folder / "appeals.csv"
    path.write_text("appeal_id,body,kind,registered_on,deadline_on,answered_on,redirected_to,redirected_on,rating\n" + "".join(
        f"{i},{b},{k},{r},2025-03-18,,,,{g}\n" for i, b, k, r, g in records), encoding="utf-8")
    found = aggregate(path, extract.receptions, METHODOLOGY, BODIES, default_mapping()).appeal_problems
    work = folder / "work"
    work.mkdir()
    connection = duckdb.connect()
    view = normalised_view(connection, path, "appeals", default_mapping().appeals, APPEAL_COLUMNS, APPEAL_DATES,
                           APPEAL_REQUIRED, BODIES, work, 2025, [])
    ids = {}
    for body, kind, flags, id_ in connection.execute("SELECT body, kind, flags, id FROM appeals_records").fetchall():
        problem = view.problem(flags, {"body": body, "kind": kind})
        if problem:
            ids.setdefault(problem, set()).add(id_)
    expected = {kind: ([None] if None in seen else []) + sorted(i for i in seen if i is not None)
                for kind, seen in ids.items()}
    assert found.examples == {kind: listed[:5] for kind, listed in expected.items()}
    assert found.counts.keys() == expected.keys()


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_registration_date_of_spaces_is_blank_not_counted(tmp_path, extract, fmt):
    """A required date of spaces only, in a file with no empty one, is blank: left out and
    said, never counted as a record with no date (the file's smallest value, '  ', is not '')."""
    import duckdb

    header = "appeal_id,body,kind,registered_on,deadline_on,answered_on,redirected_to,redirected_on,rating\n"
    rows = ["a1,МЗ,заявление,2025-03-03,2025-03-18,2025-03-10,,,5",
            "a2,МЗ,заявление,   ,2025-03-18,2025-03-10,,,5",
            'a3,МЗ,заявление,"  ",2025-03-18,2025-03-10,,,5',
            'a4,МЗ,заявление,"\t",2025-03-18,2025-03-10,,,5']  # a tab is no space: a date that does not parse
    path = tmp_path / "appeals.csv"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    if fmt == "parquet":
        duckdb.sql(f"COPY (SELECT * FROM read_csv('{path}', all_varchar=true)) TO '{tmp_path / 'appeals.parquet'}'")
        path = tmp_path / "appeals.parquet"
    result = aggregate(path, extract.receptions, METHODOLOGY, BODIES, default_mapping())
    assert result.appeal_problems.counts == {"registered_on is blank": 2, "registered_on: date does not parse": 1}
    assert result.appeal_problems.examples == {"registered_on is blank": ["a2", "a3"],
                                               "registered_on: date does not parse": ["a4"]}
    assert result.inputs["МЗ"]["appk_review_timeliness"] == {"late": 0, "reviewed": 1}
    # The line says where a format the export writes is declared.
    assert ("appeals: 1 record left out — registered_on: date does not parse; a mapping names the export's formats, "
            "in [appeals] date_formats (docs/mapping-example.toml) (e.g. a4)") in result.appeal_problems.lines("appeals")


@pytest.mark.parametrize("setting, late, reviewed", [("late", 3, 4), ("left_out", 1, 2)])
def test_an_appeal_never_answered_past_its_deadline_counts_as_reviewed_late(tmp_path, extract, capsys, setting, late,
                                                                               reviewed):
    """Never answered, due within the assessed year: reviewed late by default (a declared
    parameter, our reading), in the counts, in --explain and in the summary; due after
    31 December it is still pending and counts nowhere."""
    from dataclasses import replace

    from openness_xl.cli.app import main

    header = "appeal_id,body,kind,registered_on,deadline_on,answered_on,redirected_to,redirected_on,rating\n"
    rows = ["a1,МЗ,заявление,2025-03-03,2025-03-18,2025-03-10,,,",  # answered in time
            "a2,МЗ,жалоба,2025-03-03,2025-03-18,2025-03-25,,,",  # answered late
            "a3,МЗ,заявление,2025-11-03,2025-11-18,,,,",  # never answered, overdue
            "a4,МЗ,жалоба,2025-12-16,2025-12-31,,,,",  # never answered, due on the last day
            "a5,МЗ,заявление,2025-12-24,2026-01-09,,,,"]  # never answered, not due yet
    path = tmp_path / "appeals.csv"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    methodology = replace(METHODOLOGY, records={**METHODOLOGY.records, "unanswered_overdue": setting})
    result = aggregate(path, extract.receptions, methodology, BODIES, default_mapping())
    assert result.inputs["МЗ"]["appk_review_timeliness"] == {"late": late, "reviewed": reviewed}
    assert (result.overdue_unanswered, result.overdue_counted) == (2, setting == "late")
    listed = explain(path, extract.receptions, methodology, BODIES, default_mapping(), "МЗ", "appk_review_timeliness")
    assert [line.split(",")[0] for line in listed.splitlines()[2:]] == (["a2", "a3", "a4"] if setting == "late" else ["a2"])
    if setting == "late":
        code = main(["aggregate", str(path), str(extract.receptions), "-o", str(tmp_path / "inputs.csv")])
        err = " ".join(capsys.readouterr().err.split())
        assert code == 0 and "2 appeals never answered though due by 31.12.2025: counted as reviewed late" in err


def test_the_unanswered_setting_is_checked(tmp_path):
    from openness_xl.methodology import MethodologyError, load

    text = Path(METHODOLOGY.path).read_text(encoding="utf-8").replace('unanswered_overdue = "late"',
                                                                       'unanswered_overdue = "ignored"')
    path = tmp_path / "m.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MethodologyError, match="records.unanswered_overdue must be one of late, left_out"):
        load(path)


def test_strict_makes_bad_records_an_error(tmp_path, capsys):
    bad = generate(tmp_path, METHODOLOGY, BODIES, appeals=3_000, seed=5, inject_bad=True, with_expected=False)
    code = main(["aggregate", str(bad.appeals), str(bad.receptions), "--strict", "-o", str(tmp_path / "in.csv")])
    err = capsys.readouterr().err
    assert code == 2 and "error: appeals: 5 records left out — unknown body" in err
    assert not (tmp_path / "in.csv").exists()


def _one_row(path: Path, header: list[str], row: list[str | None]) -> Path:
    """An extract of one record, headed `header`, as the CSV, Parquet or .xlsx its suffix says."""
    import openpyxl
    import pyarrow as pa
    import pyarrow.parquet as pq

    if path.suffix == ".csv":
        path.write_text(",".join(header) + "\n" + ",".join(v or "" for v in row) + "\n", encoding="utf-8")
    elif path.suffix == ".parquet":
        pq.write_table(pa.Table.from_arrays([pa.array([v], pa.string()) for v in row], names=header), path)
    else:
        book = openpyxl.Workbook()
        book.active.append(header)
        book.active.append(row)
        book.save(path)
    return path


@pytest.mark.parametrize("form", ["csv", "parquet", "xlsx"])
def test_a_header_written_twice_is_refused_where_the_mapping_names_it(tmp_path, extract, form):
    """A Russian export may head two columns «Дата». DuckDB read the first (the second as
    «Дата_1») from a CSV or a Parquet file, and an .xlsx kept the last of them only: a mapping
    naming «Дата» silently read one of two dates, not the same one in every form. A header
    the mapping names is now refused when written twice, naming its columns; a header written
    twice that no mapping names (two «Примечание») is read as before."""
    header = ["appeal_id", "body", "kind", "Дата", "deadline_on", "Дата", "redirected_to", "redirected_on",
              "rating", "Примечание", "Примечание"]
    row = ["A1", "МЗ", "запрос", "2025-03-03", "2025-03-20", "2025-03-05", None, None, None, "a", "b"]
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[appeals.columns]\nregistered_on = "Дата"\n', encoding="utf-8")

    path = _one_row(tmp_path / f"appeals.{form}", header, row)
    with pytest.raises(ValueError) as error:
        aggregate(path, extract.receptions, METHODOLOGY, BODIES, load_mapping(mapping))
    assert str(error.value).startswith(f"{path}: a header the mapping names is written on more than one column: "
                                       "«Дата» (columns 4, 6)")
    mapping.write_text('[appeals.columns]\nregistered_on = "Дата"\nanswered_on = "Примечание"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"«Дата» \(columns 4, 6\); «Примечание» \(columns 10, 11\)"):
        aggregate(path, extract.receptions, METHODOLOGY, BODIES, load_mapping(mapping))
    header[5] = "answered_on"
    once = _one_row(tmp_path / f"once.{form}", header, row)
    mapping.write_text('[appeals.columns]\nregistered_on = "Дата"\n', encoding="utf-8")
    result = aggregate(once, extract.receptions, METHODOLOGY, BODIES, load_mapping(mapping))
    assert result.inputs["МЗ"]["fb_request_share"] == {"request_percent": 100}


@pytest.mark.parametrize("form", ["csv", "parquet", "xlsx"])
def test_a_header_in_another_case_or_with_spaces_is_the_same_header(tmp_path, extract, form):
    """«Appeal_ID », «Body» and a mapping's «Дата регистрации» written «дата  регистрации» were
    missing columns — and DuckDB dropped the CSV header's spaces that our look at the header
    kept, so the message said «Appeal_ID » was missing where «Appeal_ID» was found. Headers are
    compared with case and spaces folded; two that fold alike are refused as one written twice."""
    header = ["Appeal_ID ", "Body", "KIND", "дата  регистрации", "deadline_on", "answered_on", "redirected_to",
              "redirected_on", "rating"]
    row = ["A1", "МЗ", "запрос", "2025-03-03", "2025-03-20", "2025-03-05", None, None, None]
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[appeals.columns]\nregistered_on = "Дата регистрации"\n', encoding="utf-8")

    result = aggregate(_one_row(tmp_path / f"appeals.{form}", header, row), extract.receptions, METHODOLOGY, BODIES, load_mapping(mapping))
    assert result.inputs["МЗ"]["fb_request_share"] == {"request_percent": 100}
    assert sum(int(v["appk_redirect_timeliness"]["received"]) for v in result.inputs.values()) == 1
    header.append("body")  # «Body» and «body»: which one is meant cannot be told
    row.append("МФ")
    path = _one_row(tmp_path / f"twice.{form}", header, row)
    with pytest.raises(ValueError, match=r"«body» \(columns 2, 10\)"):
        aggregate(path, extract.receptions, METHODOLOGY, BODIES, load_mapping(mapping))


@pytest.mark.parametrize("form", ["csv", "parquet"])
def test_empty_rows_are_skipped_and_told_not_left_out_as_records(tmp_path, extract, form, cli):
    """A sheet saved as CSV keeps the blank rows below its table (`,,,,,,,,`): each was «a
    record left out — appeal_id is blank» and counted as read. A row with no value in any
    column read is now no record: skipped, and told in a note; a row with other values and no
    id is still a record with a blank id."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    header = "appeal_id,body,kind,registered_on,deadline_on,answered_on,redirected_to,redirected_on,rating"
    rows = ["A1,МЗ,запрос,2025-03-03,2025-03-20,2025-03-05,,,", "A2,МЗ,заявление,2025-03-04,2025-03-20,,,,",
            ",МЗ,запрос,2025-03-03,2025-03-20,,,,"]
    blank = [",,,,,,,,", " , ,  ,,,,,,", ",,,,,,,,"]
    paths = {}
    for name, lines in (("with", rows[:2] + blank[:1] + rows[2:] + blank[1:]), ("without", rows)):
        path = tmp_path / f"{name}.{form}"
        if form == "csv":
            path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
        else:
            cells = [[v if v.strip() else None for v in line.split(",")] for line in lines]
            pq.write_table(pa.table({h: pa.array([c[i] for c in cells], pa.string())
                                     for i, h in enumerate(header.split(","))}), path)
        paths[name] = path
    exact = aggregate(paths["without"], extract.receptions, METHODOLOGY, BODIES, default_mapping())
    result = aggregate(paths["with"], extract.receptions, METHODOLOGY, BODIES, default_mapping())
    assert result.empty["appeals"] == 3 and exact.empty["appeals"] == 0
    assert result.inputs == exact.inputs and result.records == exact.records == {"appeals": 3, "receptions": result.records["receptions"]}
    assert result.appeal_problems == exact.appeal_problems
    assert result.appeal_problems.counts == {"appeal_id is blank": 1}
    code, _, err = cli("aggregate", paths["with"], extract.receptions, "-o", tmp_path / "out.csv")
    assert code == 0 and "appeals: 3 empty rows (no value in any column read) skipped" in " ".join(err.split())


def test_a_declined_that_is_neither_yes_nor_no_is_left_out_not_read_as_no(tmp_path):
    """«отказ» or 2 in `declined` was read as «not declined»: the applicant counted as one
    who registered and was to be received. Such a record is now left out and named; yes and
    no in their spellings and cases, and a blank (no), are read as before."""
    import csv

    small = generate(tmp_path / "x", METHODOLOGY, BODIES, appeals=3_000, seed=5, fmt="csv", with_expected=False)
    exact = aggregate(small.appeals, small.receptions, METHODOLOGY, BODIES, default_mapping())
    with small.receptions.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("declined")
    respelt = {"да": " ДА ", "нет": "Нет"}
    for row in rows[1:]:
        row[column] = respelt[row[column]]
    bad = {rows[1][0]: "отказ", rows[2][0]: "2"}
    for row in rows[1:3]:
        row[column] = bad[row[0]]
    edited = tmp_path / "receptions.csv"
    with edited.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    result = aggregate(small.appeals, edited, METHODOLOGY, BODIES, default_mapping())
    assert result.reception_problems.counts == {"declined is neither yes nor no": 2}
    assert result.reception_problems.examples["declined is neither yes nor no"] == sorted(bad)
    assert result.used["receptions"] == exact.used["receptions"] - 2


def test_the_mappings_codes_for_bodies_are_applied_and_checked(tmp_path, extract):
    """[appeals.codes.body] was accepted and ignored: «Минздрав» stayed an unknown body and its
    records were left out. The mapping's codes are applied to bodies as to kinds and receivers;
    a code that is none of ours (a body «МЗЗ», a kind «заявлениe» with a Latin e) is an error
    naming the mapping's entry, not every such record left out."""
    path = tmp_path / "appeals.csv"
    path.write_text("appeal_id,body,kind,registered_on,deadline_on,answered_on,redirected_to,redirected_on,rating\n"
                    "A1,Минздрав,Заяв,2025-03-03,2025-03-20,2025-03-05,,,\nA2,МЗ,запрос,2025-03-03,2025-03-20,,,,\n",
                    encoding="utf-8")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[appeals.codes.body]\n"минздрав " = "МЗ"\n[appeals.codes.kind]\n"Заяв" = "заявление"\n',
                       encoding="utf-8")
    result = aggregate(path, extract.receptions, METHODOLOGY, BODIES, load_mapping(mapping))
    assert result.appeal_problems.counts == {} and result.used["appeals"] == 2
    assert result.inputs["МЗ"]["fb_request_share"] == {"request_percent": 50}
    for entry, said in (('[appeals.codes.body]\n"Минздрав" = "МЗЗ"\n', "codes.body: «Минздрав» = «МЗЗ» is not one of ours: "
                                                                     "unknown body 'МЗЗ'"),
                        ('[appeals.codes.kind]\n"Заяв" = "заявлениe"\n', "codes.kind: «Заяв» = «заявлениe» is not one "
                                                                       "of ours: known: заявление, жалоба")):
        mapping.write_text(entry, encoding="utf-8")
        with pytest.raises(ValueError) as error:
            aggregate(path, extract.receptions, METHODOLOGY, BODIES, load_mapping(mapping))
        assert str(error.value).startswith(f"{mapping} [appeals] {said}")


def test_a_mapping_naming_one_header_for_two_columns_is_refused(tmp_path):
    """registered_on and answered_on both «Дата» would read one column: every answer on its
    registration day. So would registered_on = «answered_on» while answered_on keeps its name."""
    mapping = tmp_path / "mapping.toml"
    for text, said in (('registered_on = "Дата"\nanswered_on = "Дата"\n', "registered_on, answered_on → «Дата»"),
                       ('registered_on = "answered_on"\n', "registered_on, answered_on → «answered_on»"),
                       # headers are found in any case and spacing: «Дата» and «дата » are one column
                       ('registered_on = "Дата"\nanswered_on = "дата "\n', "registered_on, answered_on → «Дата»"),
                       ('registered_on = "Answered_On"\n', "registered_on, answered_on → «Answered_On»")):
        mapping.write_text("[appeals.columns]\n" + text, encoding="utf-8")
        with pytest.raises(ValueError, match="names one header for more than one column: " + said):
            load_mapping(mapping)


def test_missing_column_is_named(tmp_path, extract):
    path = tmp_path / "a.csv"
    path.write_text("id,body\n1,МЗ\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing column\\(s\\) appeal_id"):
        aggregate(path, extract.receptions, METHODOLOGY, BODIES, default_mapping())


def test_explain_lists_the_records_behind_a_count(extract):
    result = aggregate(extract.appeals, extract.receptions, METHODOLOGY, BODIES, default_mapping())
    body = max(result.inputs, key=lambda b: result.inputs[b]["appk_redirect_timeliness"]["late"])
    text = explain(extract.appeals, extract.receptions, METHODOLOGY, BODIES, default_mapping(), body,
                   "appk_redirect_timeliness", limit=10_000)
    lines = text.splitlines()
    late = int(result.inputs[body]["appk_redirect_timeliness"]["late"])
    assert lines[0].startswith(f"# {body} / appk_redirect_timeliness") and lines[0].endswith(f" — {count(late, 'record')}")
    assert lines[1] == "id,registered_on,redirected_on,redirected_to,working_days"
    assert len(lines) == 2 + late and all(int(line.rsplit(",", 1)[1]) > 3 for line in lines[2:])


def test_end_to_end_aggregate_then_scores(extract, tmp_path, capsys):
    inputs = tmp_path / "inputs.csv"
    assert main(["aggregate", str(extract.appeals), str(extract.receptions), "-o", str(inputs)]) == 0
    assert main(["scores", str(inputs), "-o", str(tmp_path / "scores.csv")]) == 0
    import csv

    rows = {r["body"]: r for r in csv.DictReader(open(tmp_path / "scores.csv", encoding="utf-8"))}
    from openness_xl.core.exact import plain
    from openness_xl.core.scoring import score_inputs

    for body, indicators in extract.expected.items():
        for indicator_id, values in indicators.items():
            expected = score_inputs(METHODOLOGY, indicator_id, values, BODIES.find(body).type)
            assert rows[body][indicator_id] == plain(expected), (body, indicator_id)


def test_the_example_mapping_loads():

    mapping = load_mapping(Path(__file__).resolve().parent.parent / "docs" / "mapping-example.toml")
    assert mapping.appeals.columns["appeal_id"] == "Номер обращения"
    assert mapping.receptions.codes["received_by"]["Первый руководитель"] == "first_leader"


def test_unknown_column_in_a_mapping_is_named(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text('[appeals.columns]\nappeal = "Номер"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="unknown columns appeal; known"):
        load_mapping(path)


def test_cli_synthetic_and_explain(tmp_path, capsys):
    assert main(["synthetic", "-d", str(tmp_path), "--appeals", "3000", "--seed", "4", "--shuffled-ids"]) == 0
    capsys.readouterr()
    assert main(["aggregate", str(tmp_path / "appeals.parquet"), str(tmp_path / "receptions.parquet"),
                 "--explain", "г. Алматы", "appk_first_leaders", "--limit", "3"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("# Алматы / appk_first_leaders: citizens received by the first leader")
    assert out[1] == "id,received_on,received_by" and len(out) <= 5


def test_plans_add_reception_intensity(extract, tmp_path, capsys):
    plans = tmp_path / "plans.csv"
    plans.write_text("body,plan\nг. Алматы,84\nМЗ,48\n", encoding="utf-8")
    out = tmp_path / "inputs.csv"
    assert main(["aggregate", str(extract.appeals), str(extract.receptions), "--plans", str(plans), "-o", str(out)]) == 0
    rows = [line.split(",") for line in out.read_text(encoding="utf-8").splitlines()[1:]]
    intensity = {(b, f): v for b, i, f, v in rows if i == "appk_reception_intensity"}
    assert {b for b, _ in intensity} <= {"Алматы", "МЗ"} and ("Алматы", "plan") in intensity
    assert intensity[("Алматы", "plan")] == "84"
    assert main(["check", str(out)]) == 0


def test_plans_kept_in_a_workbook_are_read_as_the_csv(tmp_path, cli):
    """A ministry keeps its reception plans in Excel: `--plans plans.xlsx` was read as text and
    refused as a binary file. The workbook is read as the CSV is (behind a note, in any case),
    and its bad cells are named by sheet and cell."""
    import openpyxl

    from openness_xl.records.plans import read_plans

    book = openpyxl.Workbook()
    book.active.title = "Пояснение"
    book.active.append(["Планы приёма по ст. 90 АППК, 2025"])
    sheet = book.create_sheet("Планы")
    sheet.append(["Body", "Plan"])
    for row in (["г. Алматы", 84], ["МЗ", 48.0], ["Восточно-Казахстанская область", "12"]):
        sheet.append(row)
    book.save(tmp_path / "plans.xlsx")
    (tmp_path / "plans.csv").write_text("body;plan\nг. Алматы;84\nМЗ;48\nВКО;12\n", encoding="utf-8")
    assert (read_plans(tmp_path / "plans.xlsx", BODIES, METHODOLOGY) == read_plans(tmp_path / "plans.csv", BODIES, METHODOLOGY)
            == {"Алматы": 84, "МЗ": 48, "ВКО": 12})
    sheet.append(["МЗ", 50])
    sheet.append(["МФ", -3])
    book.save(tmp_path / "bad.xlsx")
    with pytest.raises(ValueError) as error:
        read_plans(tmp_path / "bad.xlsx", BODIES, METHODOLOGY)
    said = str(error.value)
    assert "Планы!A5" in said and "Планы!A6" in said and "МЗ" in said, said


def test_receivers_spelled_two_ways_are_one_receiver(extract, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(extract.receptions)
    frame = table.to_pandas()
    first = frame.index[frame["received_by"] == "first_leader"]
    frame.loc[first[::2], "received_by"] = "Первый руководитель"
    path = tmp_path / "receptions.parquet"
    pq.write_table(pa.Table.from_pandas(frame, schema=table.schema, preserve_index=False), path)
    mapping_file = tmp_path / "mapping.toml"
    mapping_file.write_text('[receptions.codes.received_by]\n"Первый руководитель" = "first_leader"\n', encoding="utf-8")
    plans = {body.code: 10 for body in BODIES}
    result = aggregate(extract.appeals, path, METHODOLOGY, BODIES, load_mapping(mapping_file), plans=plans)
    original = pq.read_table(extract.receptions).to_pandas()
    received = original.dropna(subset=["received_on", "received_by"])
    held = received.drop_duplicates(["body", "received_on", "received_by"]).groupby("body").size()
    for body, fields in result.inputs.items():
        if "appk_reception_intensity" in fields:
            assert fields["appk_reception_intensity"]["held"] == held.get(body, 0), body
            assert fields["appk_first_leaders"] == extract.expected[body]["appk_first_leaders"], body


def test_numeric_ids_in_order_and_a_repeated_one(extract, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(extract.appeals)
    numbers = pa.array(range(1, table.num_rows + 1), type=pa.int64())
    in_order = table.set_column(0, "appeal_id", numbers)
    pq.write_table(in_order, tmp_path / "numbers.parquet")
    result = aggregate(tmp_path / "numbers.parquet", extract.receptions, METHODOLOGY, BODIES, default_mapping())
    assert result.inputs == extract.expected and not result.appeal_problems.counts
    repeated = numbers.to_pylist()
    repeated[40_000] = 7  # id 7 twice, far apart
    pq.write_table(table.set_column(0, "appeal_id", pa.array(repeated, type=pa.int64())), tmp_path / "repeated.parquet")
    result = aggregate(tmp_path / "repeated.parquet", extract.receptions, METHODOLOGY, BODIES, default_mapping())
    assert result.appeal_problems.counts == {"duplicated id": 2}
    assert result.appeal_problems.examples == {"duplicated id": ["7"]}


@pytest.mark.parametrize("lang, said", [
    ("en", "missing column(s) appeal_id (header «appeal_id», used by every appeal count (duplicates))"),
    ("ru", "нет столбцов appeal_id (заголовок «appeal_id», нужен для всех подсчётов обращений (повторы))"),
    ("kk", "appeal_id (тақырыбы «appeal_id», өтініштердің барлық есептеулері (қайталаулар) үшін қажет)"),
])
def test_an_unreadable_extract_is_named_in_the_language_of_the_command_line(tmp_path, extract, capsys, monkeypatch,
                                                                             lang, said):
    path = tmp_path / "a.csv"
    path.write_text("id,body\n1,МЗ\n", encoding="utf-8")
    monkeypatch.setenv("OPENNESS_LANG", lang)
    assert main(["aggregate", str(path), str(extract.receptions)]) == 2
    err = capsys.readouterr().err
    assert said in err and "kind (" in err and "docs/mapping-example.toml" in err


def test_synthetic_names_its_file_kind_files_not_format(cli, tmp_path):
    """--format is the form of a command's output everywhere; the extract's kind of files is
    --files (issue 23, item 9)."""
    assert cli("synthetic", "-d", tmp_path / "csv", "--appeals", "300", "--files", "csv")[0] == 0
    assert (tmp_path / "csv" / "appeals.csv").exists() and not (tmp_path / "csv" / "appeals.parquet").exists()
    with pytest.raises(SystemExit) as usage:
        cli("synthetic", "-d", tmp_path / "old", "--appeals", "300", "--format", "csv")
    assert usage.value.code == 2
