"""Untrusted .xlsx: bombs refused before parsing, entities refused while parsing."""
import zipfile

import openpyxl
import pytest

from openness_xl.io.inputs import InputErrors, load_inputs
from openness_xl.io.safe_xlsx import UnsafeWorkbook, inspect, open_workbook


def good_workbook(path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "inputs"
    workbook.active.append(["body", "indicator", "field", "value"])
    workbook.active.append(["МЗ", "fb_meetings", "score", 4])
    workbook.save(path)
    return path


def rewrite(source, target, replace=None, extra=()):
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if replace and item.filename == replace[0]:
                data = replace[1](data)
            new.writestr(item.filename, data)
        for name, data in extra:
            new.writestr(name, data)
    return target


def test_a_good_workbook_opens(tmp_path):
    workbook, warnings = open_workbook(good_workbook(tmp_path / "ok.xlsx"))
    workbook.close()
    assert warnings == []


def test_zip_bomb_is_refused_before_parsing(tmp_path):
    source = good_workbook(tmp_path / "ok.xlsx")
    bomb = rewrite(source, tmp_path / "bomb.xlsx", extra=[("xl/media/zeros.bin", b"\0" * 50_000_000)])
    assert bomb.stat().st_size < 200_000
    with pytest.raises(UnsafeWorkbook, match="expands"):
        inspect(bomb)
    with pytest.raises(UnsafeWorkbook, match="more than the limit"):
        inspect(source, max_uncompressed=1_000)


def test_too_many_members(tmp_path):
    source = good_workbook(tmp_path / "ok.xlsx")
    with pytest.raises(UnsafeWorkbook, match="parts in the archive"):
        inspect(source, max_members=3)


def test_entity_expansion_is_refused(tmp_path):
    source = good_workbook(tmp_path / "ok.xlsx")
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')

    def poison(data):
        body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
        assert b"<sheetData>" in body
        return laughs + body.replace(b"<sheetData>", b"<sheetData><row r=\"9\"><c r=\"A9\" t=\"inlineStr\"><is><t>&lol2;</t></is></c></row>", 1)

    evil = rewrite(source, tmp_path / "evil.xlsx", replace=("xl/worksheets/sheet1.xml", poison))
    with pytest.raises(InputErrors) as caught:
        from openness_xl.core.bodies import registry
        from openness_xl.methodology import load

        load_inputs(evil, load(), registry())
    assert "refused while reading (EntitiesForbidden" in str(caught.value)


def test_macros_and_external_links_are_ignored_with_a_warning(tmp_path):
    source = good_workbook(tmp_path / "ok.xlsx")
    odd = rewrite(source, tmp_path / "odd.xlsx", extra=[("xl/vbaProject.bin", b"x"), ("xl/externalLinks/externalLink1.xml", b"<x/>")])
    assert len(inspect(odd).warnings) == 2


def test_not_a_zip(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("body,indicator\n", encoding="utf-8")
    with pytest.raises(UnsafeWorkbook, match="not those of a zip archive"):
        inspect(path)
