"""A whole assessment year through the command line, as the ministry runs it: records
aggregated, the suppliers' files merged and checked, the bodies' workbook, appeals filed and
decided, the final data, the report and the roadmaps. At each step the numbers are held to a
direct `openness scores` of the same input."""
import csv
import io
import json

import openpyxl
import pytest

from openness_xl.io.published import published_submissions
from openness_xl.io.writing import inputs_csv
from openness_xl.workbooks.common import sheet_name

pytest.importorskip("duckdb")


def scores(cli, path) -> dict[str, dict]:
    code, out, err = cli("scores", path, "--format", "json")
    assert code == 0, err
    return {row["body"]: row for row in json.loads(out)}


@pytest.mark.slow
def test_a_whole_year(cli, tmp_path, methodology, bodies):
    # 1. The e-Otinish records of the year, aggregated: counts for every body.
    assert cli("synthetic", "-d", tmp_path, "--appeals", "3000", "--seed", "11")[0] == 0
    eotinish = tmp_path / "eotinish.csv"
    code, _out, err = cli("aggregate", tmp_path / "appeals.parquet", tmp_path / "receptions.parquet", "-o", eotinish)
    assert code == 0, err
    given = {(row["body"], row["indicator"]) for row in csv.DictReader(io.StringIO(eotinish.read_text(encoding="utf-8")))}
    fed = {indicator for _, indicator in given}

    # 2. The other suppliers' scores: one sends a filled template of six indicators, the other
    # a long table of the rest and of what the records cannot give (a share of no rated appeal).
    published = published_submissions(2025)
    rest = [i.id for i in methodology.indicators if i.id not in fed]

    def only(keep):
        return [(body, kind, {i: e for i, e in entries.items() if keep(body, i)}) for body, kind, entries in published]

    supplier_template = tmp_path / "kpsisu.xlsx"
    in_template = _csv(tmp_path / "kpsisu.csv", methodology, only(lambda body, i: i in rest[:6]))
    assert cli("template", in_template, "-o", supplier_template)[0] == 0
    supplier_table = _csv(tmp_path / "mki.csv", methodology,
                          only(lambda body, i: i not in rest[:6] and (body, i) not in given))

    # 3. Merged into the source data, checked: valid and complete.
    source = tmp_path / "source.csv"
    code, _out, err = cli("merge", eotinish, supplier_template, supplier_table, "-o", source)
    assert code == 0, err
    code, out, err = cli("check", source, "--strict")
    assert code == 0 and "OK" in out, err
    at_source = scores(cli, source)
    assert len(at_source) == len(bodies) and all(row["rank"] is not None for row in at_source.values())
    # The merged file scores as its parts do: the records' indicators as aggregated, the rest as published.
    assert scores(cli, eotinish)["МЗ"]["appk_review_timeliness"] == at_source["МЗ"]["appk_review_timeliness"]
    assert scores(cli, supplier_table)["МЗ"][rest[-1]] == at_source["МЗ"][rest[-1]]

    # 4. The bodies' workbook of the source data reads back to the same scores.
    workbook = tmp_path / "source.xlsx"
    assert cli("template", source, "-o", workbook)[0] == 0
    assert scores(cli, workbook) == at_source

    # 5. Appeals until 27 January: one accepted, one rejected; what each would change.
    satisfaction = at_source["МЗ"]["fb_satisfaction"]
    log = tmp_path / "log.csv"
    assert cli("appeal", "template", "-o", log)[0] == 0
    header = log.read_text(encoding="utf-8").splitlines()[0]
    log.write_text("\n".join([header, f"МЗ,fb_satisfaction,score,{_plain(satisfaction)},5,опрос,27.01.2026,accepted,",
                              f"МФ,fb_meetings,score,{_plain(at_source['МФ']['fb_meetings'])},0,,2026-01-22,rejected,"])
                   + "\n", encoding="utf-8")
    code, out, err = cli("appeal", "report", source, log, "--format", "json")
    assert code == 0, err
    effects = json.loads(out)
    assert "fb_satisfaction" in [e["item"] for e in effects if e["row"] == "row 2"]  # МЗ's, accepted
    assert "fb_meetings" in [e["item"] for e in effects if e["row"] == "row 3"]  # МФ's, what it would change

    # 6. The final data by 1 February: only the accepted appeal applied.
    final = tmp_path / "final.csv"
    assert cli("appeal", "apply", source, log, "-o", final)[0] == 0
    at_final = scores(cli, final)
    assert at_final["МЗ"]["fb_satisfaction"] == 5
    changed = {(body, key) for body in at_source for key in at_source[body]
               if at_source[body][key] != at_final[body][key]}
    assert {key for body, key in changed if body != "МЗ"} <= {"rank"}  # another body moves only by place
    code, out, _ = cli("diff", source, final, "--format", "json")
    assert code == 1 and any(row["body"] == "МЗ" and row["item"] == "fb_satisfaction" for row in json.loads(out))

    # 7. The report of the final data, its chain checked: it prints the scores of `scores`.
    report = tmp_path / "report.xlsx"
    code, _out, err = cli("report", final, "--source", source, "--appeals", log, "-o", report)
    assert code == 0, err
    data = openpyxl.load_workbook(report, data_only=True)[sheet_name("data")]
    keys = [c.value for c in data[2]]
    printed = {line[0]: dict(zip(keys, line)) for line in data.iter_rows(min_row=3, values_only=True) if line[0]}
    assert {body: row["index"] for body, row in printed.items()} == {body: row["index"] for body, row in at_final.items()}

    # 8. Roadmaps for the bodies the final data rate low, and for no other.
    folder = tmp_path / "roadmaps"
    code, _out, err = cli("roadmap", "--all-low", final, "-d", folder)
    assert code == 0, err
    order = [r.rating for r in methodology.ratings]
    limit = order.index(methodology.roadmap_below_rating)
    low = {body for body, row in at_final.items() if order.index(row["rating"]) > limit}
    assert low and {p.stem.removeprefix("roadmap-") for p in folder.glob("*.docx")} == low


def _csv(path, methodology, submissions):
    path.write_text(inputs_csv(methodology, submissions), encoding="utf-8")
    return path


def _plain(number) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)

