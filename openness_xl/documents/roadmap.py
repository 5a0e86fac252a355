"""The roadmap draft as a Word document (python-docx) in Russian, Kazakh or English, with its
profile chart (matplotlib). The same roadmap gives the same bytes: fixed document dates, no
chart metadata."""
from __future__ import annotations

import datetime as dt
import io

from ..extras import require

require("documents", "documents")

import matplotlib  # noqa: E402

matplotlib.use("Agg")  # headless: no display on servers
import matplotlib.pyplot as plt  # noqa: E402
from docx import Document  # noqa: E402
from docx.enum.section import WD_ORIENT  # noqa: E402
from docx.shared import Cm, Pt  # noqa: E402

from ..core.exact import plain  # noqa: E402
from ..io.writing import order_ranges  # noqa: E402
from ..analyses.roadmap import Roadmap  # noqa: E402
from ..texts import decimal, text, using  # noqa: E402

FIXED = dt.datetime(2025, 1, 1)
COLUMNS = ("number", "indicator", "current", "target", "change", "effect", "measure", "unit", "deadline")
WIDTHS_CM = (1.0, 4.4, 3.4, 2.4, 4.6, 2.4, 3.4, 3.4, 1.7)  # 26,7 cm: the landscape page inside its margins


def _number(value) -> str:
    return decimal(plain(value), kind="files")


def _words(key: str, **fields) -> str:
    return text(f"roadmap.{key}", kind="files", **fields)


def profile_chart(roadmap: Roadmap) -> bytes:
    """Bars of the body's share of each indicator's maximum against its group's mean."""
    labels = [label for label, _, _ in roadmap.profile]
    mine = [float(share) * 100 for _, share, _ in roadmap.profile]
    mean = [float(share) * 100 for _, _, share in roadmap.profile]
    figure, axes = plt.subplots(figsize=(9, 5.5), dpi=120)
    positions = range(len(labels))
    axes.barh([p + 0.2 for p in positions], mine, height=0.4, label=roadmap.body, color="#2F5597")
    axes.barh([p - 0.2 for p in positions], mean, height=0.4, label=_words("group_mean", size=roadmap.group_size),
              color="#A6A6A6")
    axes.set_yticks(list(positions), labels, fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel(_words("axis"))
    axes.axvline(90, color="#70AD47", linewidth=0.8, linestyle="--")
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=8, frameon=False)
    axes.set_title(_words("chart_title", body=roadmap.body, group=_words(f"group_{roadmap.body_type}")), fontsize=10)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def write_roadmap(roadmap: Roadmap, lang: str = "ru") -> bytes:
    """The draft in `lang` (build the roadmap in the same language): standing, criteria, the
    table of weak indicators with blank columns to fill in, and the profile chart."""
    with using(lang):
        return _write_roadmap(roadmap)


def _write_roadmap(roadmap: Roadmap) -> bytes:
    document = _landscape_document(roadmap)
    _approval(document)
    _standing(document, roadmap)
    _criteria_table(document, roadmap)
    _weak_table(document, roadmap)
    document.add_heading(_words("profile"), level=2)
    document.add_picture(io.BytesIO(profile_chart(roadmap)), width=Cm(22))
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _landscape_document(roadmap: Roadmap):
    """An A4 landscape document with fixed properties, so that the same draft gives the same bytes."""
    document = Document()
    properties = document.core_properties
    properties.created = properties.modified = FIXED
    properties.last_printed = FIXED
    properties.author = properties.last_modified_by = "openness-xl"
    properties.title = _words("doc_title", name=roadmap.name)
    properties.revision = 1
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.5))
    document.styles["Normal"].font.size = Pt(10)
    # Where the rule comes from, for whoever checks the draft, not for its readers (report L62).
    properties.comments = f"openness-xl: report 2025, L62 (the roadmap rule); methodology {roadmap.year}"
    return document


def _standing(document, roadmap: Roadmap) -> None:
    """The heading, the body's index, rating and place (or what is missing), and the goal."""
    r = roadmap.result
    document.add_heading(_words("heading"), level=1)
    document.add_paragraph(_words("draft", name=roadmap.name, body=roadmap.body, year=roadmap.year))
    group = _words(f"group_{roadmap.body_type}")
    if r.index is None:  # incomplete data: say what is missing, never «None»
        orders = order_ranges([roadmap.methodology.indicator(i).order for i in r.missing])
        document.add_paragraph(_words("standing_no_index", orders=orders))
    elif r.rank is None:
        document.add_paragraph(_words("standing_no_rank", index=_number(r.index), rating=r.rating, group=group))
    else:
        document.add_paragraph(_words("standing", index=_number(r.index), rating=r.rating, rank=r.rank,
                                      size=roadmap.group_size, group=group))
    if not roadmap.required:
        document.add_paragraph(_words("not_required", rating=r.rating, below=roadmap.methodology.roadmap_below_rating))
    if roadmap.goal is not None:
        g = roadmap.goal
        document.add_paragraph(_words("goal" if g.reached else "goal_unreached", rating=g.rating, points=_number(g.need),
                                      reached=_number(g.reached_index), reached_rating=g.reached_rating))


def _criteria_table(document, roadmap: Roadmap) -> None:
    """Each criterion's score out of its maximum, and its letter."""
    document.add_heading(_words("criteria"), level=2)
    criteria = document.add_table(rows=1, cols=3)
    criteria.style = "Table Grid"
    for cell, key in zip(criteria.rows[0].cells, ("criterion", "score", "grade")):
        cell.text = _words(key)
    for criterion in roadmap.methodology.criteria:
        item = roadmap.result.criteria[criterion.id]
        cells = criteria.add_row().cells
        cells[0].text = criterion.text()
        cells[1].text = (_words("out_of", score=_number(item.score), maximum=_number(criterion.maximum))
                         if item.score is not None else "—")
        cells[2].text = item.grade or "—"


def _weak_table(document, roadmap: Roadmap) -> None:
    """The indicators below the best tier: target, change, effect, and the body's columns to fill."""
    tier = roadmap.methodology.tier_label
    document.add_heading(_words("weak"), level=2)
    document.add_paragraph(_words("explained"))
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, key in zip(table.rows[0].cells, COLUMNS):
        cell.text = _words(key)
    _repeat_as_header(table.rows[0])
    for number, weak in enumerate(roadmap.weak, start=1):
        row = table.add_row()
        _keep_whole(row)
        cells = row.cells
        cells[0].text = str(number)
        cells[1].text = weak.name
        cells[2].text = f"{_words('out_of', score=_number(weak.score), maximum=_number(weak.maximum))} ({tier(weak.tier)})"
        cells[3].text = f"{_number(weak.target)} ({tier(weak.target_tier)})"
        cells[4].text = "; ".join(weak.changes)
        cells[5].text = "+" + _number(weak.effect)
        for blank in cells[6:]:
            blank.text = ""
    table.autofit = False
    for column, width in zip(table.columns, WIDTHS_CM):  # the grid LibreOffice reads
        column.width = Cm(width)
    for row in table.rows:  # and the cells Word reads
        for cell, width in zip(row.cells, WIDTHS_CM):
            cell.width = Cm(width)
    if not roadmap.weak:
        document.add_paragraph(_words("all_high"))


def _approval(document) -> None:
    """The approval block at the top right, its blanks to be filled by hand."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for key in ("approve", None, "approve_position", None, "approve_name", "approve_date"):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.space_after = Pt(0)
        if key is None:
            paragraph.add_run("_" * 36)
        else:
            run = paragraph.add_run(_words(key))
            run.bold = key == "approve"
            run.font.size = Pt(10 if key in ("approve", "approve_date") else 8)


def _repeat_as_header(row) -> None:
    """Mark a table's first row to be repeated at the top of every page (w:tblHeader)."""
    from docx.oxml import OxmlElement

    # No w:val: the element alone means on (the strict schema knows only on/off, not true).
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _keep_whole(row) -> None:
    """A row is never split across two pages (w:cantSplit)."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


# python-docx's template carries word/stylesWithEffects.xml, a Word 2010 copy of the styles
# that no longer matches them (an OOXML validator reports two errors; Word may offer to repair
# the file): the part, its relationship and its content type are left out.
DROPPED_PART = "word/stylesWithEffects.xml"


def _fixed_zip(data: bytes) -> bytes:
    """The .docx with every member dated the same, so that equal content is equal bytes, and
    without the stale styles part (DROPPED_PART)."""
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename == DROPPED_PART:
                continue
            content = source.read(item.filename)
            if item.filename == "word/_rels/document.xml.rels":
                content = re.sub(rb'<Relationship [^>]*Target="stylesWithEffects.xml"[^>]*/>', b"", content)
            elif item.filename == "[Content_Types].xml":
                content = re.sub(rb'<Override [^>]*PartName="/word/stylesWithEffects.xml"[^>]*/>', b"", content)
            info = zipfile.ZipInfo(item.filename, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content)
    return out.getvalue()
