"""`openness reconcile`: every documented report error matched exactly, every new one found.

Errors are planted in a copy of the bundled tables and the command must name each as new,
with its report line, and exit 1.
"""
import csv
import io
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from openness_xl.analyses import narrative, quantities
from openness_xl.io import report_data
from openness_xl.io.published import published_criteria, published_index, published_indicators, worked_examples
from openness_xl.core.bodies import registry
from openness_xl.core.exact import plain
from openness_xl.io.known_errors import documented
from openness_xl.analyses.reconcile import reconcile
from tests.bundled import METHODOLOGY

DATA = report_data.DATA / "2025"
REPORT = (DATA / "report.txt").read_text(encoding="utf-8").split("\n")



@pytest.fixture
def tables(tmp_path):
    """A copy of the bundled 2025 tables to plant errors in."""
    target = tmp_path / "published"
    shutil.copytree(DATA, target)
    return target


def edit(directory: Path, name: str, match: dict, **changes) -> None:
    """Change the fields of the one row that matches, keeping the file's layout."""
    path = directory / name
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    hits = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert len(hits) == 1, (name, match, len(hits))
    hits[0].update(changes)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def row(name: str, **match) -> dict:
    rows = [r for r in csv.DictReader((DATA / name).open(encoding="utf-8", newline=""))
            if all(r[k] == v for k, v in match.items())]
    assert len(rows) == 1
    return rows[0]


def new_findings(directory):
    return reconcile(METHODOLOGY, directory).new


# ------------------------------------------------------------------ the embedded tables

def test_the_embedded_tables_have_no_new_finding_and_every_documented_error_is_found(cli):
    code, out, _ = cli("reconcile")
    assert code == 0
    assert "New findings: 0" in out
    result = reconcile(METHODOLOGY, 2025)
    assert result.new == [] and result.no_longer_found == []
    listed = {(f.check, f.body, f.item, f.published, f.computed) for f in result.findings}
    assert listed == {e.key for e in documented(2025)}
    for finding in result.findings:
        assert finding.line.startswith("L"), finding  # every finding names its report line
        assert f"{finding.line:<6} {finding.check} · {finding.body}" in out


def test_every_misprinted_tier_label_is_listed_one_by_one_with_its_line():
    labels = [e for e in documented(2025) if e.check == "tier-label"]
    assert len(labels) == 106
    assert len({(e.body, e.item) for e in labels}) == 106
    printed = {(p.key, p.body): p for p in published_indicators(2025)}
    for entry in labels:
        p = printed[(entry.item, entry.body)]
        assert (entry.published, entry.line) == (p.label, p.line)


def test_the_known_errors_keep_their_values_and_lines(cli):
    code, out, _ = cli("reconcile")
    assert "L249   criterion-sum · Алматы · appk: 16.87 → 17.86 [R6]" in out
    assert "L248   criterion-sum · Карагандинская · appk: 21.88 → 21.79 [R7]" in out
    assert "L350   worked-example · МНВО · appk_review_timeliness: 1.6 → 0.4 [R1]" in out
    assert "L2669  rating · ВКО · index: А → АА [§6.3]" in out
    assert "L2684  rank-recomputed · Карагандинская · index: 18 → 19 [R7]" in out
    assert "L2563  unreachable-score · МЧС · ic_hidden_services_bonus: 5.6 → ~6 [R9]" in out
    assert "L2688  narrative · all · all indicators" in out


def test_strict_fails_on_documented_errors(cli):
    assert cli("reconcile", "--strict")[0] == 1


def test_csv_output_lists_every_finding(cli, tmp_path):
    target = tmp_path / "findings.csv"
    code, _, _ = cli("reconcile", "--format", "csv", "-o", str(target))
    assert code == 0
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert len(rows) == len(documented(2025))
    assert {r["status"] for r in rows} == {"documented"}
    assert all(r["line"].startswith("L") and r["ref"] for r in rows)


def test_every_stated_rule_is_recorded_with_its_line():
    rules = {e.item: e for e in documented(2025) if e.check == "stated-rule"}
    assert set(rules) == {"appk_statistics_quality", "appk_hearing", "ic_internal_control", "fb_meetings", "index"}
    assert {e.line for e in rules.values()} == {"L135", "L133", "L2429", "L1633", "L2617"}


# ------------------------------------------------------------------ planted errors

def planted(cli, directory):
    code, out, _ = cli("reconcile", "--published", str(directory), "--new")
    return code, out


def test_a_swapped_criterion_sum_is_new(cli, tables):
    original = row("criterion_scores.csv", criterion_id="appk", body="МНВО")
    swapped = original["score"][:-2] + original["score"][-1] + original["score"][-2]  # 25.16 → 25.61
    edit(tables, "criterion_scores.csv", {"criterion_id": "appk", "body": "МНВО"}, score=swapped)
    code, out = planted(cli, tables)
    assert code == 1
    assert f"{original['line']:<6} criterion-sum · МНВО · appk: {swapped} → {original['score']} [NEW]" in out
    index_line = row("index_scores.csv", body="МНВО")["line"]
    assert f"{index_line:<6} index-sum · МНВО · index:" in out


def test_an_index_changed_by_half_a_point_is_new(cli, tables):
    original = row("index_scores.csv", body="МЭ")
    changed = plain(Fraction(original["score"]) + Fraction(1, 2))
    edit(tables, "index_scores.csv", {"body": "МЭ"}, score=changed)
    code, out = planted(cli, tables)
    assert code == 1
    assert f"{original['line']:<6} index-sum · МЭ · index: {changed} → {original['score']} [NEW]" in out
    assert f"{original['line']:<6} index-recomputed · МЭ · index: {changed}" in out


def test_a_changed_tier_label_is_new(cli, tables):
    target = row("indicator_scores.csv", indicator_id="fb_satisfaction", body="ААЭ")
    assert target["category_as_printed"] == "высокий"
    edit(tables, "indicator_scores.csv", {"indicator_id": "fb_satisfaction", "body": "ААЭ"},
         category_as_printed="средний")
    code, out = planted(cli, tables)
    assert code == 1
    assert f"{target['line']:<6} tier-label · ААЭ · fb_satisfaction: средний → высокий [NEW]" in out


def test_a_changed_rating_letter_is_new(cli, tables):
    target = row("index_scores.csv", body="Жамбылская")
    edit(tables, "index_scores.csv", {"body": "Жамбылская"}, rating_as_printed="АА")
    code, out = planted(cli, tables)
    assert code == 1
    assert f"{target['line']:<6} rating · Жамбылская · index: АА → ААА [NEW]" in out


def test_a_misprint_that_keeps_the_sums_is_caught_where_the_narrative_quotes_it(cli, tables):
    # МФ's review timeliness 3,78 → 3,87, with its criterion and index moved by the same 0,09:
    # every sum still holds, but the narrative's 22 late of 391 954 (L340) gives 3,78.
    edit(tables, "indicator_scores.csv", {"indicator_id": "appk_review_timeliness", "body": "МФ"}, score="3.87")
    appk = row("criterion_scores.csv", criterion_id="appk", body="МФ")
    edit(tables, "criterion_scores.csv", {"criterion_id": "appk", "body": "МФ"},
         score=plain(Fraction(appk["score"]) + Fraction(9, 100)))
    index = row("index_scores.csv", body="МФ")
    edit(tables, "index_scores.csv", {"body": "МФ"}, score=plain(Fraction(index["score"]) + Fraction(9, 100)))
    code, out = planted(cli, tables)
    assert code == 1
    assert {f.check for f in new_findings(tables)} == {"narrative-quantity", "example-vs-table"}  # the sums hold
    assert "L340   narrative-quantity · МФ · appk_review_timeliness: 3.87 → 3.78 [NEW]" in out
    assert "L290   example-vs-table · МФ · appk_review_timeliness: 3.87 → 3.78 [NEW]" in out


def test_a_narrative_value_catches_a_consistent_misprint_too(tables):
    # МЗ's review timeliness 1,96 is stated in words at L346; printed 1,69 with its sums moved.
    edit(tables, "indicator_scores.csv", {"indicator_id": "appk_review_timeliness", "body": "МЗ"}, score="1.69")
    found = {(f.check, f.line) for f in new_findings(tables)}
    assert ("narrative", "L346") in found


def test_a_new_value_on_a_documented_row_is_new_and_says_what_was_documented(cli, tables):
    edit(tables, "criterion_scores.csv", {"criterion_id": "appk", "body": "Алматы"}, score="16.97")
    code, out = planted(cli, tables)
    assert code == 1
    assert "L249   criterion-sum · Алматы · appk: 16.97 → 17.86 [NEW]" in out
    assert "documented there: R6 16.87 → 17.86" in out


def test_a_corrected_table_leaves_its_documented_error_unmatched(cli, tables):
    edit(tables, "index_scores.csv", {"body": "ВКО"}, rating_as_printed="АА")
    code, out, _ = cli("reconcile", "--published", str(tables))
    assert code == 0
    assert "Documented errors no longer found: 1" in out
    assert "rating · ВКО · index: А → АА [§6.3]" in out.split("no longer found")[1]


def test_tables_without_documented_errors_are_all_new(cli, tables):
    (tables / "report_errors.csv").unlink()
    code, out = planted(cli, tables)
    assert code == 1
    assert f"New findings: {len(documented(2025)) - 8}" in out  # all but the 8 recorded-only rows


# ------------------------------------------------------------------ bad published tables

def test_an_unquoted_comma_names_the_file_and_row(cli, tables):
    path = tables / "worked_examples.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[5] += ",oops"
    path.write_text("\n".join(lines), encoding="utf-8")
    code, _, err = cli("reconcile", "--published", str(tables))
    assert code == 2
    assert "worked_examples.csv, row 6: 9 fields, the header has 8" in err


def test_a_score_that_is_not_a_number_names_the_file_row_and_column(cli, tables):
    edit(tables, "index_scores.csv", {"body": "МЭ"}, score="8O,1")
    code, _, err = cli("reconcile", "--published", str(tables))
    assert code == 2
    assert "index_scores.csv, row" in err and "column score: '8O,1' is not a number" in err


def test_a_missing_table_is_an_error(cli, tables):
    (tables / "index_scores.csv").unlink()
    code, _, err = cli("reconcile", "--published", str(tables))
    assert code == 2 and "missing index_scores.csv; a set of published tables holds" in err
    code, _, err = cli("reconcile", "--published", str(tables / "nowhere"))
    assert code == 2 and "nowhere: no such directory of published tables" in err


def test_an_unknown_item_or_a_missing_row_is_an_error(cli, tables):
    edit(tables, "indicator_scores.csv", {"indicator_id": "fb_meetings", "body": "МЗ"}, indicator_id="fb_meeting")
    code, _, err = cli("reconcile", "--published", str(tables))
    assert code == 2 and "indicator_scores.csv, row" in err and "«fb_meeting» is not an item of methodology" in err
    edit(tables, "indicator_scores.csv", {"indicator_id": "fb_meeting", "body": "МЗ"}, indicator_id="fb_satisfaction")
    code, _, err = cli("reconcile", "--published", str(tables))
    assert code == 2 and "МЗ fb_satisfaction again (first at row" in err
    rows = (tables / "indicator_scores.csv").read_text(encoding="utf-8").split("\n")
    (tables / "indicator_scores.csv").write_text("\n".join(r for r in rows if ",МЗ," not in r), encoding="utf-8")
    code, _, err = cli("reconcile", "--published", str(tables))
    assert code == 2 and "no row for МЗ appk_review_timeliness" in err


def test_a_wildcard_documents_nothing(cli, tables):
    with (tables / "report_errors.csv").open("a", encoding="utf-8") as handle:
        handle.write("N14,tier-label,*,*,,,L1,every label,,,,,,\n")
    code, _, err = cli("reconcile", "--published", str(tables))
    assert code == 2 and "a wildcard documents nothing" in err


def test_the_output_may_not_overwrite_a_published_table(cli, tables):
    target = tables / "report_errors.csv"
    before = target.read_bytes()
    code, _, err = cli("reconcile", "--published", str(tables), "--format", "csv", "-o", str(target))
    assert code == 2 and target.read_bytes() == before


# ------------------------------------------------------------------ the bundled data as data

def bundled_csvs():
    return sorted(report_data.DATA.rglob("*.csv"))


@pytest.mark.parametrize("path", bundled_csvs(), ids=lambda p: str(p.relative_to(report_data.DATA)))
def test_every_bundled_csv_has_the_headers_field_count_on_every_row(path):
    records = list(csv.reader(path.read_text(encoding="utf-8").splitlines(), strict=True))
    width = len(records[0])
    bad = [(number, len(r)) for number, r in enumerate(records[1:], start=2) if r and len(r) != width]
    assert bad == [], f"{path.name}: rows with another field count than the header's {width}: {bad}"


def spellings():
    out = {}
    for r in csv.DictReader((DATA / "bodies.csv").open(encoding="utf-8")):
        out[r["code"]] = set(r["spellings_in_report"].split("|"))
    out["МТ"].add("МТС")  # the НПА table prints МТ's row as МТС (data README)
    return out


@pytest.mark.parametrize("table", [published_indicators, published_criteria,
                                   published_index], ids=["indicators", "criteria", "index"])
def test_every_printed_row_sits_on_its_report_line(table):
    names = spellings()
    for p in table(2025):
        cells = [c.strip() for c in REPORT[int(p.line[1:]) - 1].split("\t")]
        pairs = list(zip(cells, cells[1:]))
        assert any(name in names[p.body] and score.replace(",", ".") == p.text for name, score in pairs), \
            f"{p.key} {p.body} {p.text}: not on {p.line}: {REPORT[int(p.line[1:]) - 1]!r}"


def normalised(text: str) -> str:
    return " ".join(text.replace("*", "").replace("\u00a0", " ").split()).lower()


@pytest.mark.parametrize("name", ["facts_checkable.csv", "raw_quantities.csv", "process.csv"])
def test_every_narrative_quote_is_on_its_line(name):
    for number, r in enumerate(csv.DictReader((DATA / "narrative" / name).open(encoding="utf-8")), start=2):
        line = normalised(REPORT[int(r["line"]) - 1])
        for part in r["quote"].split("…"):
            assert normalised(part).strip(' .;,«»"') in line, f"{name}, row {number}: {part!r} not on L{r['line']}"


def test_worked_example_lines_hold_their_inputs():
    # The lines point at the list item that states the numbers, not at the list's heading.
    moved = {("appk_first_leaders", "МЮ"): "L1085", ("appk_first_leaders", "Ұлытау"): "L1095",
             ("fb_satisfaction", "Жамбылская"): "L1734", ("fb_satisfaction", "Туркестанская"): "L1734"}
    examples = {(e.indicator_id, e.body): e for e in worked_examples(2025)}
    for key, line in moved.items():
        assert examples[key].line == line
    for example in examples.values():
        if example.indicator_id in ("appk_first_leaders", "fb_satisfaction", "appk_review_timeliness"):
            text = REPORT[int(example.line[1:]) - 1].replace("\u00a0", " ")
            first = next(iter(example.inputs.values()))
            assert first.replace(".", ",") in text or first in text, (example.name, example.line)


# ------------------------------------------------------------------ the narrative's checks

def test_the_narrative_verdicts_on_the_2025_tables():
    verdicts = narrative.check(METHODOLOGY, 2025)
    for origin, total, counts in (("2025", 215, (199, 11, 5)), ("2024", 101, (99, 2, 0))):
        statuses = [v.status for v in verdicts if v.fact.origin == origin]
        assert len(statuses) == total
        assert (statuses.count("holds"), statuses.count("fails"), statuses.count("unverifiable")) == counts


def test_a_kept_tier_is_checked_on_its_2025_side(tables):
    # L364: МЗ «сохранили неэффективные оценки по сравнению с 2024 годом»; 1,96 is неэффективный.
    edit(tables, "indicator_scores.csv", {"indicator_id": "appk_review_timeliness", "body": "МЗ"}, score="3.96")
    found = {(f.check, f.body, f.line) for f in new_findings(tables)}
    assert ("narrative", "МЗ", "L364") in found


@pytest.mark.parametrize("stated, value, holds", [
    ("89", Fraction(2600, 29), True),  # 89,66 cut (L1537)
    ("90", Fraction(2600, 29), True),  # and rounded
    ("65", Fraction(65), True),
    ("27.5", Fraction(800, 29), True),  # 27,59 cut
    ("27.7", Fraction(800, 29), False),
    ("7.7", Fraction(7770, 1000), True),
    ("7.9", Fraction(7770, 1000), False),
])
def test_a_stated_share_holds_rounded_or_cut(stated, value, holds):
    assert narrative._number_holds(value, stated)[0] is holds


def test_a_count_statement_fails_when_the_table_changes(tables):
    # L191: «no ЦГО at the low level of АППК»; make МТИ's criterion low (below 50 % of 30).
    edit(tables, "criterion_scores.csv", {"criterion_id": "appk", "body": "МТИ"}, score="14.39")
    found = {(f.check, f.line) for f in new_findings(tables)}
    assert ("narrative", "L191") in found


def test_raw_quantities_score_to_the_printed_values():
    checks = quantities.check_quantities(METHODOLOGY, 2025)
    assert len(checks) == 141
    differing = {(c.indicator, c.body) for c in checks if c.computed != c.printed}
    documented_there = {(e.item, e.body) for e in documented(2025) if e.check == "narrative-quantity"}
    assert differing == documented_there and len(differing) == 11


def test_a_bound_is_not_a_quantity():
    given = [q for q in quantities.quantities(2025) if q.body == "МТСЗН" and q.input == "unaccredited"]
    assert [q.value for q in given] == [">30"] and not given[0].exact
    assert all(c.body != "МТСЗН" or c.indicator != "fb_unaccredited_channels_penalty"
               for c in quantities.check_quantities(METHODOLOGY, 2025))


def test_every_body_named_by_the_narrative_is_a_body():
    codes = {b.code for b in registry(2025)}
    for fact in narrative.facts(2025):
        for body in fact.bodies:
            assert body in codes or body.startswith(("ЦГО", "МИО", "others")) or fact.item == "all indicators", \
                (fact.line, body)


# ------------------------------------------------------------------ in Russian and Kazakh

@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_reconcile_speaks_russian_and_kazakh_and_finds_the_same(cli, monkeypatch, lang):
    from openness_xl.texts import text, using
    from test_texts import LATIN_TOKEN, _allowed_words

    english = reconcile(METHODOLOGY, 2025)
    with using(lang):
        result = reconcile(METHODOLOGY, 2025)
    # The language changes what is said, never what is found: the keys are the data's.
    assert ([(f.check, f.body, f.item, f.published, f.computed, f.known) for f in result.findings]
            == [(f.check, f.body, f.item, f.published, f.computed, f.known) for f in english.findings])
    monkeypatch.setenv("OPENNESS_LANG", lang)
    code, out, _ = cli("reconcile")
    assert code == 0 and out.startswith(text("reconcile.title", lang, tables=text("reconcile.tables_of", lang, year=2025),
                                             methodology="2025.toml"))
    assert text("reconcile.summary", lang) in out and "New findings" not in out
    # Every line of the report holds no Latin word but ids, codes (check names, refs, «all» for
    # every body) and formula symbols.
    allowed = _allowed_words() | {"ROUND", "false", "proportional", "all"}
    prose = [f.note for f in result.findings] + out.splitlines()
    words = {w.rstrip(".-") for line in prose for w in LATIN_TOKEN.findall(line)}
    checks = {f.check for f in result.findings} | {f.known for f in result.findings}
    checks |= {word for f in result.findings for word in f.item.split()}  # «all indicators» is the data's item
    strays = {w for w in words if not (any(c in w for c in "_.") or any(c.isdigit() for c in w) or len(w) == 1
                                       or w in allowed or w in checks)}
    assert not strays, sorted(strays)[:20]


def test_every_documented_note_has_its_russian_and_kazakh_text():
    for entry in documented(2025):
        translated = dict(entry.translated)
        assert bool(entry.note) == bool(translated.get("note_ru")) == bool(translated.get("note_kk")), entry
        assert entry.note_in("en") == entry.note
        if entry.note:
            assert entry.note_in("ru") != entry.note and entry.note_in("kk") != entry.note_in("ru"), entry


def test_every_worked_example_note_has_its_russian_and_kazakh_text():
    for example in worked_examples(2025):
        translated = dict(example.notes)
        assert bool(example.note) == bool(translated.get("ru")) == bool(translated.get("kk")), example
        assert example.note_in("en") == example.note


def test_a_register_kept_before_the_translated_notes_still_reads(cli, tables):
    path = tables / "report_errors.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0])[:8], lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    entries = documented(tables)
    assert len(entries) == len(rows) and all(e.translated == () for e in entries)
    assert entries[0].note_in("ru") == entries[0].note  # no Russian note: the English one
    assert cli("reconcile", "--published", str(tables))[0] == 0


def test_every_reader_of_published_tables_refuses_a_row_given_twice(cli, tables, tmp_path):
    """One reader for reconcile, compare and report --previous: МЗ's satisfaction row repeated
    with another score is refused by each, naming the file and both rows, where compare and
    the report once took the last row silently."""
    path = tables / "indicator_scores.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    (twice,) = [line for line in lines if line.startswith("fb_satisfaction,МЗ,")]
    path.write_text("\n".join(lines + [twice.replace(",МЗ,CGO,", ",МЗ,CGO,", 1)]).rstrip("\n") + "\n", encoding="utf-8")
    for argv in (("reconcile", "--published", tables), ("compare", tables, "2025"),
                 ("report", "--previous", tables, "-o", tmp_path / "r.xlsx")):
        code, _, err = cli(*argv)
        assert code == 2 and "indicator_scores.csv, row" in err and "МЗ fb_satisfaction again (first at row" in err, argv
    assert not (tmp_path / "r.xlsx").exists()


def test_header_only_tables_are_refused_not_called_consistent(cli, tables):
    for name in ("indicator_scores.csv", "criterion_scores.csv", "index_scores.csv"):
        path = tables / name
        path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")
    code, out, err = cli("reconcile", "--published", tables)
    assert code == 2 and "New findings: 0" not in out
    assert "index_scores.csv: no rows under the header" in err or "indicator_scores.csv: no rows under the header" in err
    assert cli("compare", tables, "2025")[0] == 2
