"""The report workbook says where its recomputed tables depart from the printed report."""
import openpyxl
import pytest

from openness_xl.analyses.reconcile import departures
from openness_xl.texts import using
from openness_xl.workbooks.common import sheet_name
from openness_xl.workbooks.departures import shown_number
from openness_xl.workbooks.report_layout import Layout

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_every_departure_has_its_note_and_its_row(methodology, cli, tmp_path, lang):
    path = tmp_path / "r.xlsx"
    assert cli("report", "-o", path, "--lang", lang)[0] == 0
    book = openpyxl.load_workbook(path)
    with using(lang):
        found = departures(methodology, 2025)
        listed, data = book[sheet_name("departures")], book[sheet_name("data")]
    assert len(found) > 200
    rows = [r for r in listed.iter_rows(min_row=5, values_only=True) if r[0]]
    assert len(rows) == len(found)
    # The printed value and this workbook's are text in every language (4.51 beside «А»), so
    # that an English sheet aligns them as the Russian one does.
    assert all(isinstance(r[3], str) and isinstance(r[4], str) for r in rows)
    assert ("4.51" if lang == "en" else "4,51") in {r[3] for r in rows}
    layout = Layout(methodology, tuple(r[0] for r in data.iter_rows(min_row=3, max_col=1, values_only=True) if r[0]))
    for column, finding in found:
        note = data.cell(layout.row(finding.body) + 1, layout.column(column) + 1).comment
        with using(lang):
            printed = shown_number(finding.published)
        assert note is not None and printed in note.text and finding.line in note.text, (column, finding)
    almaty = next(f for c, f in found if f.body == "Алматы" and c == "appk")
    assert (almaty.known, almaty.line) == ("R6", "L249")
    ranks = {f.body for c, f in found if c == "rank"}
    assert ranks == {"Карагандинская", "Ұлытау"}
    assert len([f for c, f in found if c == "rating"]) == 4


def test_a_report_of_another_input_claims_no_departure(methodology, cli, tmp_path):
    from openness_xl.io.published import published_submissions
    from openness_xl.io.writing import inputs_csv

    inputs = tmp_path / "inputs.csv"
    inputs.write_text(inputs_csv(methodology, published_submissions(2025)), encoding="utf-8")
    path = tmp_path / "r.xlsx"
    assert cli("report", inputs, "-o", path)[0] == 0
    book = openpyxl.load_workbook(path)
    assert sheet_name("departures") not in book.sheetnames
    assert not any(c.comment for row in book[sheet_name("data")].iter_rows() for c in row)
