"""`openness compare`: year-over-year change across methodologies, and the 2025 report's own
statements of change against 2024, reproduced from the figures it gives."""
import csv
import io
import re
import tomllib
from decimal import Decimal
from fractions import Fraction

import pytest

from openness_xl.io import report_data
from openness_xl.io.published import published_submissions
from openness_xl.analyses import compare
from openness_xl.methodology import HERE, parse
from openness_xl.core.scoring import DIRECT, Entry, evaluate
from tests.bundled import METHODOLOGY

CURRENT = compare.from_results("2025", METHODOLOGY, evaluate(METHODOLOGY, published_submissions(2025)))
NARRATIVE = report_data.DATA / "2025" / "narrative" / "facts_previous_year.csv"



def stated(row) -> str:
    """What the report says happened, from its own words in the row."""
    words = row["quantity"] + " " + row["quote"]
    if "kept" in row["quantity"]:
        return "kept"
    if re.search(r"worsen|decrease|ухудш|опуст|сниж", words):
        return "declined"
    before, after = (compare.tiers_worst_first().index(row[k]) for k in ("value_2024", "value_2025"))
    return "improved" if after > before else "declined" if after < before else "kept"


def test_the_reports_2024_tier_statements_are_reproduced_with_their_lines():
    changes = {(c.body, c.item): c for c in compare.compare(compare.narrative_2024(), CURRENT)}
    rows = [r for r in csv.DictReader(NARRATIVE.open(encoding="utf-8"))
            if r["unit"] == "tier" and r["value_2024"] in compare.tiers_worst_first() and not r["quantity"].startswith("[vs")]
    assert len(rows) >= 80
    disagree = []
    for row in rows:
        change = changes[(row["group_or_body"], row["indicator_or_criterion"])]
        assert change.previous.basis.startswith("L")
        if change.verdict != stated(row):
            disagree.append((row["line"], row["group_or_body"], change.verdict, stated(row)))
    # L2509: «сохранили низкий уровень», but both score 0, неэффективный (N5 in report_errors.csv)
    assert disagree == [("2509", "Ұлытау", "declined", "kept"), ("2509", "Карагандинская", "declined", "kept")]


def test_the_reports_2024_group_counts_are_compared_with_the_2025_tables():
    groups = {(c.body, c.item, c.by): c for c in compare.compare(compare.narrative_2024(), CURRENT)
              if c.body in ("ЦГО", "МИО")}
    expected = {  # (group, item, counted tier): (2024 per the text, 2025 per the tables, verdict, line)
        ("ЦГО", "appk_unjustified_redirect", "неэффективный"): (2, 9, "declined", "L586"),  # «увеличилось до девяти»
        ("МИО", "appk_hearing", "высокий"): (18, 10, "declined", "L690"),
        ("ЦГО", "og_open_data", "неэффективный"): (2, 5, "declined", "L1426"),  # «увеличилось до пяти»
        ("ЦГО", "fb_request_share", "высокий"): (12, 7, "declined", "L1884"),
        ("МИО", "ic_internal_control", "высокий"): (6, 10, "improved", "L2503"),  # «увеличилось до 10»
        ("МИО", "ic_internal_control", "низкий"): (10, 2, "improved", "L2507"),  # the text says 4 (N5)
    }
    assert {(g, i, by.split()[-1]) for g, i, by in groups} == set(expected)
    for (group, item, tier), (before, now, verdict, line) in expected.items():
        change = groups[(group, item, f"bodies {tier}")]
        assert (change.previous.label, change.current.label) == (f"{tier}: {before}", f"{tier}: {now}")
        assert (change.verdict, change.previous.basis) == (verdict, line)


def two_methodologies():
    """A previous year whose methodology has «fb_meetings_2024» instead of «fb_meetings»."""
    data = tomllib.loads((HERE / "2025.toml").read_text(encoding="utf-8"), parse_float=Decimal)
    data["methodology"]["year"] = 2024
    meetings = next(i for i in data["indicators"] if i["id"] == "fb_meetings")
    meetings.update(id="fb_meetings_2024", udf="OPENNESS_MEETINGS_2024", short_ru="Встречи-2024")
    return parse(data)


def test_compare_across_methodologies_names_what_is_in_one_year_only():
    before = two_methodologies()
    submissions = []
    for body, body_type, entries in published_submissions(2025):
        entries = {("fb_meetings_2024" if k == "fb_meetings" else k): v for k, v in entries.items()}
        if body == "МЗ":
            entries["fb_satisfaction"] = Entry(DIRECT, score=Fraction(5))  # 2025 has 3: a decline
        submissions.append((body, body_type, entries))
    previous = compare.from_results("2024", before, evaluate(before, submissions))
    changes = compare.compare(previous, CURRENT)
    only = {(c.item, c.verdict) for c in changes if c.verdict.startswith("only in")}
    assert only == {("fb_meetings_2024", "only in 2024"), ("fb_meetings", "only in 2025")}
    by = {(c.body, c.item): c for c in changes}
    mz = by[("МЗ", "fb_satisfaction")]
    assert (mz.verdict, mz.words, mz.previous.share, mz.current.share) == ("declined", "снизили", Fraction(5, 7),
                                                                           Fraction(3, 7))
    assert by[("МЗ", "feedback")].verdict == "declined" and by[("МЗ", "index")].verdict == "declined"
    assert by[("МТ", "index")].verdict == "kept" and by[("МТ", "index")].by == "share"


def test_the_penalty_compares_by_what_was_spared():
    penalty = [c for c in compare.compare(CURRENT, CURRENT) if c.item == "fb_unaccredited_channels_penalty"]
    assert penalty and all(c.verdict == "kept" for c in penalty)
    spared = CURRENT.standings[("МЧС", "fb_unaccredited_channels_penalty")]
    assert spared.share == 0  # 5 of 5 points taken off


@pytest.mark.slow
def test_the_command_table_csv_and_report_sheet(cli, tmp_path):
    code, out, _ = cli("compare", "2024", "2025")
    assert code == 0 and "improved " in out and "declined " in out
    code, out, _ = cli("compare", "2024", "2025", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {"body", "item", "verdict", "verdict_ru", "previous_basis"} <= set(rows[0])
    assert any(r["body"] == "МТИ" and r["item"] == "appk_court_share" and r["verdict"] == "declined"
               and r["previous_basis"] == "L788" for r in rows)  # «опустившись с высокого уровня до неэффективного»
    scores = tmp_path / "2025.csv"
    assert cli("scores", "-o", str(scores))[0] == 0
    code, out, _ = cli("compare", str(scores), "2025")
    assert code == 0 and "kept " in out and "improved 0" in out
    report = tmp_path / "report.xlsx"
    assert cli("report", "-o", str(report), "--previous", "2024")[0] == 0
    import openpyxl

    sheet = openpyxl.load_workbook(report)["Динамика"]
    assert [c.value for c in sheet[3]][:5] == ["body", "item", "previous", "current", "verdict"]
    assert sheet.max_row > 90


def test_the_text_shows_each_item_once_from_and_to_with_its_report_line(cli):
    code, out, _ = cli("compare", "2024", "2025")
    assert code == 0
    body, seen = None, []
    for line in out.splitlines():
        if line and not line.startswith(" ") and "→" not in line and "," not in line:
            body = line.split()[0]
        elif line.startswith("  ") and not line.startswith("    "):
            seen.append((body, line))
            assert "→" in line, line
    # A group's tier counts (МИО · ic_internal_control: высокий 6 → 10, низкий 10 → 2) are two items.
    assert len(seen) == len(set(seen)) > 80
    assert any("[L788]" in line and "appk_court_share" in line for line in out.splitlines())
