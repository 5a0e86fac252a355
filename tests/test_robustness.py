"""`openness robustness`: the declared readings, the sampling against single evaluations,
reproducibility, influence, the outputs (text, CSV, PNG, the report's sheets) and the frame."""
import copy
import io
import random
import tomllib
from pathlib import Path
from decimal import Decimal
from fractions import Fraction

import openpyxl
import numpy as np
import pytest

import openness_xl as ox
from openness_xl.analyses import robustness as rb
from openness_xl.analyses import robustness_tables
from openness_xl.io.published import published_submissions
from openness_xl.methodology import HERE, MethodologyError, parse
from openness_xl.core.scoring import DIRECT, RAW, Entry, evaluate
from tests.native_cases import random_inputs
from tests.bundled import METHODOLOGY

PUBLISHED = published_submissions(2025)
RAW_DATA = tomllib.loads((HERE / "2025.toml").read_text("utf-8"), parse_float=Decimal)


def raw_submissions(seed: int, only: tuple[str, ...] | None = None):
    """The 49 bodies with seeded raw inputs (each in its declared range) for every indicator,
    or only for `only`, the published scores given directly for the rest."""
    rng = random.Random(seed)
    out = []
    for code, body_type, entries in PUBLISHED:
        entries = dict(entries)
        for indicator in METHODOLOGY.indicators:
            if only is None or indicator.id in only:
                entries[indicator.id] = Entry(RAW, values=random_inputs(indicator, rng, 60))
        out.append((code, body_type, entries))
    return out


def test_every_provisional_indicator_declares_its_readings_or_says_why_not():
    for indicator in METHODOLOGY.indicators:
        if indicator.provisional:
            assert indicator.uncertainties or indicator.robustness_note, indicator.id
        else:
            assert not indicator.uncertainties, f"{indicator.id} is not provisional: nothing to sample"
    ids = [u.id for u in METHODOLOGY.uncertainties]
    assert len(ids) == len(set(ids))
    assert {"index:ВВ", "index:В", "fb_unaccredited_channels_penalty:per"} <= set(ids)
    per = next(u for u in METHODOLOGY.uncertainties if u.id == "fb_unaccredited_channels_penalty:per")
    assert [o.changes["per"] for o in per.options] == [3, 4, 5] and per.options[per.declared].changes["per"] == 5


def test_the_declared_option_of_every_uncertainty_is_the_methodology_itself():
    declared = METHODOLOGY.variant({u.id: u.declared for u in METHODOLOGY.uncertainties})
    for indicator in METHODOLOGY.indicators:
        assert {k: Fraction(str(v)) if isinstance(v, (int, Decimal)) and not isinstance(v, bool) else v
                for k, v in declared.indicator(indicator.id).params.items()} == {
            k: Fraction(str(v)) if isinstance(v, (int, Decimal)) and not isinstance(v, bool) else v
            for k, v in indicator.params.items()}
    assert [(b.rating, b.lower) for b in declared.ratings] == [(b.rating, b.lower) for b in METHODOLOGY.ratings]


def _with(change) -> dict:
    data = copy.deepcopy(RAW_DATA)
    change(data)
    return data


def _indicator(data, ident):
    return next(i for i in data["indicators"] if i["id"] == ident)


@pytest.mark.parametrize("change, message", [
    (lambda d: _indicator(d, "fb_request_share")["alternatives"]["options"][0]["params"].update(step=3),
     "fb_request_share alternative 1: step is not a declared parameter"),
    (lambda d: _indicator(d, "appk_hearing")["alternatives"]["options"][0]["params"].update(part="required"),
     "appk_hearing alternative 1: an alternative cannot change which inputs are read (part)"),
    (lambda d: _indicator(d, "ic_internal_control")["alternatives"]["options"][0]["params"]["bands"][1].update(
        points=Decimal(12)), "ic_internal_control alternative 1: band points must lie in [0, 9]"),
    (lambda d: _indicator(d, "fb_meetings")["ranges"][0].update({"from": Decimal("0.2"), "to": Decimal("0.4")}),
     "range of 'per_fact': the declared value 0.1 is not one of its steps"),
    (lambda d: d["index"]["rating_ranges"][1].update(to=Decimal(70)),
     "В may reach 70 while ВВ may start at 65; the bands must descend in every sample"),
    (lambda d: d["index"]["rating_ranges"][0].update(rating="ЯЯ"), "index.rating_ranges 'ЯЯ': not a rating"),
    (lambda d: d["robustness"].update(samples=0), "robustness.samples must be a whole number from 1 to 200000, not 0"),
    (lambda d: d["robustness"].update(samples=10**12), "robustness.samples must be a whole number from 1 to 200000"),
])
def test_a_wrong_reading_is_refused_when_the_file_is_loaded(change, message):
    with pytest.raises(MethodologyError) as error:
        parse(_with(change))
    assert message in str(error.value)


def brute_force(submissions, samples: int, seed: int):
    """Every sample evaluated in full by the core, one by one (the choices drawn as `analyse`
    draws them): samples × bodies arrays of ranks (0 unranked) and rating positions."""
    labels = [band.rating for band in METHODOLOGY.ratings]
    choices = rb.draw(METHODOLOGY, samples, seed)
    ranks, ratings = [], []
    for choice in choices:
        plain = rb.evaluate_sample(METHODOLOGY, submissions, choice)
        ranks.append([r.rank or 0 for r in plain])
        ratings.append([labels.index(r.rating) if r.rating else 0 for r in plain])
    return choices, np.array(ranks), np.array(ratings)


def first_order_shares(choices, values, options):
    """The shares computed directly from every sample's value (two passes, floats)."""
    values = values.astype(float)
    mean, variance = values.mean(axis=0), values.var(axis=0)
    shares = np.zeros((len(options), values.shape[1]))
    for k, option_count in enumerate(options):
        between = np.zeros(values.shape[1])
        for option in range(option_count):
            picked = choices[:, k] == option
            if picked.any():
                between += picked.sum() * (values[picked].mean(axis=0) - mean) ** 2
        between /= values.shape[0]
        with np.errstate(divide="ignore", invalid="ignore"):
            shares[k] = np.where(variance > 0, between / variance, 0.0)
    return shares


@pytest.mark.slow
@pytest.mark.parametrize("samples, block", [(60, rb.BLOCK), (101, 16)])
def test_the_tallies_equal_every_sample_evaluated_in_full(samples, block, monkeypatch):
    """The streamed tallies against the core run on every sample, in one block and in seven
    (blocks made small, so that every sample can be evaluated in full): median, 5–95 %
    interval, rating shares and what moves each, as numpy computes them from all the values."""
    monkeypatch.setattr(rb, "BLOCK", block)
    submissions = raw_submissions(11)
    result = rb.analyse(METHODOLOGY, submissions, samples=samples, seed=3)
    choices, ranks, ratings = brute_force(submissions, samples, 3)
    counts = [len(u.options) for u in result.uncertainties]
    rank_shares, rating_shares = first_order_shares(choices, ranks, counts), first_order_shares(choices, ratings, counts)
    declared = {r.body: r for r in evaluate(METHODOLOGY, submissions)}
    for n, body in enumerate(result.bodies):
        assert (body.rank, body.rating) == (declared[body.body].rank, declared[body.body].rating)
        assert body.median_rank == float(np.median(ranks[:, n]))
        assert body.rank_low == int(np.quantile(ranks[:, n], 0.05, method="inverted_cdf"))
        assert body.rank_high == int(np.quantile(ranks[:, n], 0.95, method="inverted_cdf"))
        for p, label in enumerate(result.rating_labels):
            assert body.rating_shares[label] == (ratings[:, n] == p).sum() / samples
        for moved, shares in ((body.rank_moved_by, rank_shares), (body.rating_moved_by, rating_shares)):
            if moved is None:
                assert shares[:, n].max() <= 1e-12
            else:
                k = [u.id for u in result.uncertainties].index(moved[0])
                assert moved[1] == pytest.approx(shares[k, n], abs=1e-9) and shares[k, n] == pytest.approx(shares[:, n].max())


def test_rating_edges_are_drawn_per_sample():
    # Indices set on and next to the sampled ВВ edges: each sample rates them by its own edge.
    edges = next(u for u in METHODOLOGY.uncertainties if u.id == "index:ВВ")
    submissions = []
    for n, option in enumerate(edges.options):
        edge = option.changes["ВВ"]
        for offset, suffix in ((Fraction(0), "on"), (Fraction(-1, 100), "below")):
            entries = {i.id: Entry(DIRECT, score=Fraction(0)) for i in METHODOLOGY.indicators}
            entries["fb_satisfaction"] = Entry(DIRECT, score=Fraction(0))
            entries["og_open_data"] = Entry(DIRECT, score=edge + offset)
            submissions.append((f"B{n}{suffix}", "CGO", entries))
    result = rb.analyse(METHODOLOGY, submissions, samples=300, seed=1)
    _choices, _ranks, ratings = brute_force(submissions, 300, 1)
    for n, body in enumerate(result.bodies):
        assert [body.rating_shares[label] for label in result.rating_labels] == \
            [(ratings[:, n] == p).sum() / 300 for p in range(len(result.rating_labels))]
    assert len({tuple(row) for row in ratings.tolist()}) > 1
    assert any(0 < max(b.rating_shares.values()) < 1 for b in result.bodies)


def test_the_same_seed_gives_the_same_samples_and_another_seed_others():
    submissions = raw_submissions(5)
    one, two = (rb.analyse(METHODOLOGY, submissions, samples=400, seed=9) for _ in range(2))
    assert robustness_tables.render_csv(one) == robustness_tables.render_csv(two)
    assert (rb.draw(METHODOLOGY, 400, 9) == rb.draw(METHODOLOGY, 400, 9)).all()
    assert not (rb.draw(METHODOLOGY, 400, 10) == rb.draw(METHODOLOGY, 400, 9)).all()
    # A sample is the same whatever the count: the first 400 of 20,000 are these 400.
    assert (rb.draw(METHODOLOGY, 20_000, 9)[:400] == rb.draw(METHODOLOGY, 400, 9)).all()


def test_every_option_is_drawn_about_equally_often():
    choices = rb.draw(METHODOLOGY, 6000, 4)
    for k, u in enumerate(METHODOLOGY.uncertainties):
        counts = [int((choices[:, k] == option).sum()) for option in range(len(u.options))]
        expected = 6000 / len(u.options)
        assert all(abs(c - expected) < 5 * expected ** 0.5 for c in counts), (u.id, counts)


def test_the_only_acting_reading_takes_all_the_rank_variance():
    # Raw inputs only for the channels penalty: its step is the one thing that moves ranks.
    submissions = raw_submissions(2, only=("fb_unaccredited_channels_penalty",))
    result = rb.analyse(METHODOLOGY, submissions, samples=3000, seed=2)
    assert set(result.inactive) == {u.id for u in result.uncertainties
                                    if u.target not in ("index", "fb_unaccredited_channels_penalty")}
    moved = [b for b in result.bodies if b.rank_low != b.rank_high]
    assert moved, "some rank must move with the penalty step"
    for body in moved:
        assert body.rank_moved_by[0] == "fb_unaccredited_channels_penalty:per"
        assert body.rank_moved_by[1] == pytest.approx(1.0)


def test_the_published_2025_ranks_and_ratings_hold_under_every_reading():
    # The 2025 scores are given directly, so only the rating edges vary, and their ranges are
    # exactly what the printed ratings allow (§6.3): nothing moves. A finding, not a given:
    # widening a range past the tables makes this fail.
    result = rb.analyse(METHODOLOGY, PUBLISHED)
    assert result.samples == 10000 and result.seed == 2025
    assert set(result.inactive) == {u.id for u in result.uncertainties if u.target != "index"}
    declared = {r.body: r for r in evaluate(METHODOLOGY, PUBLISHED)}
    for body in result.bodies:
        assert body.rank_low == body.rank_high == body.rank == declared[body.body].rank
        assert body.rating_shares[body.rating] == 1.0


@pytest.mark.slow
def test_the_command_writes_the_table_the_csv_and_the_plot(cli, tmp_path):
    inputs = tmp_path / "raw.csv"
    from openness_xl.io.writing import inputs_csv

    inputs.write_text(inputs_csv(METHODOLOGY, raw_submissions(8)), encoding="utf-8")
    code, out, _ = cli("robustness", inputs, "--samples", 800, "--seed", 5)
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "Robustness: 800 samples, seed 5" in out and "U8  fb_unaccredited_channels_penalty:per: 3 options\n" in out
    assert "inactive" not in out
    plot = tmp_path / "ranks.png"
    code, _, err = cli("robustness", inputs, "--samples", 800, "--seed", 5, "--format", "csv",
                       "-o", tmp_path / "r.csv", "--plot", plot)
    assert code == 0 and f"wrote {plot}" in err
    first = plot.read_bytes()
    assert first.startswith(b"\x89PNG")
    cli("robustness", inputs, "--samples", 800, "--seed", 5, "--plot", plot, "--force")
    assert plot.read_bytes() == first
    # The rating shares are drawn beside the intervals, in the language asked for.
    kazakh = tmp_path / "ranks-kk.png"
    assert cli("robustness", inputs, "--samples", 800, "--seed", 5, "--plot", kazakh, "--lang", "kk")[0] == 0
    assert kazakh.read_bytes().startswith(b"\x89PNG") and kazakh.read_bytes() != first
    text = (tmp_path / "r.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("body,body_type,rank,median_rank,rank_p5,rank_p95,rating,share_ААА")
    assert len(text.splitlines()) == 50
    # The text table has the CSV's «moves the rating» column too, one U-number per body that has one.
    import csv as csv_module
    import io as io_module

    rows = {r["body"]: r for r in csv_module.DictReader(io_module.StringIO(text))}
    table = out.splitlines()[[n for n, line in enumerate(out.splitlines()) if line.startswith("body ")][0]:]
    lines = {line.split()[0]: line for line in table if line.strip()}
    assert lines["body"].rstrip().endswith("rank by rating by")
    by_rating = [b for b, r in rows.items() if r["rating_moved_by"]]
    assert by_rating and all(lines[b].rstrip().endswith("%") for b in by_rating)
    code, _, err = cli("robustness", inputs, "-o", inputs)
    assert code == 2 and "raw.csv" in err
    assert inputs.read_text(encoding="utf-8").startswith("body,indicator,field,value")


def test_on_the_embedded_scores_the_command_says_only_the_edges_vary(cli):
    code, out, _ = cli("robustness", "--samples", 500)
    assert code == 0
    assert "49 of 49 bodies ranked keep their rank and rating in every sample." in out
    assert "No provisional indicator is given as raw inputs, so only the rating edges vary" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_bodies_with_missing_indicators_are_named_not_ranked(cli, tmp_path):
    partial = tmp_path / "p.csv"
    partial.write_text("body,indicator,field,value\nМФ,appk_review_timeliness,late,22\n"
                       "МФ,appk_review_timeliness,reviewed,391954\n", encoding="utf-8")
    code, out, _ = cli("robustness", partial, "--samples", 100)
    assert code == 0 and "МФ   ЦГО  not scored (missing indicators)" in out
    assert "1 body not scored: some of their indicators are missing." in out and "ranked keep" not in out


def test_the_frame_is_the_csv_with_numbers(cli):
    code, out, _ = cli("robustness", "--samples", 300, "--seed", 8, "--format", "csv")
    frame = ox.robustness(samples=300, seed=8)
    import csv

    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(frame.columns) == list(rows[0])
    for row, (_, record) in zip(rows, frame.iterrows()):
        assert record["body"] == row["body"] and int(record["rank"]) == int(row["rank"])
        assert float(record["median_rank"]) == float(row["median_rank"])
        assert float(record["share_ВВ"]) == float(row["share_ВВ"])
    assert str(frame["rank"].dtype) == "Int64" and str(frame["share_ВВ"].dtype) == "Float64"


def test_the_report_workbook_has_the_roadmap_and_robustness_sheets(cli, tmp_path):
    output = tmp_path / "report.xlsx"
    assert cli("report", "-o", output)[0] == 0
    book = openpyxl.load_workbook(output, read_only=True)
    assert {"Что нужно", "Устойчивость"} <= set(book.sheetnames)
    roadmap = list(book["Что нужно"].iter_rows(values_only=True))
    assert "Дорожная карта обязательна при рейтинге ниже «ВВВ» (наше прочтение L62): 16 органов" in roadmap[1][0]
    head = next(n for n, r in enumerate(roadmap) if r[0] == "Орган")
    assert roadmap[head][:5] == ("Орган", "Тип", "Место", "Рейтинг", "Дорожная карта обязательна")
    body_rows = [r for r in roadmap[head + 1:] if r[0]]
    must = [r for r in body_rows if r[4] == "да"]
    assert len({r[0] for r in must}) == 16 and body_rows[:len(must)] == must
    almaty = [r for r in body_rows if r[0] == "Алматы"]
    assert almaty[0][5] == "1. Соблюдение сроков рассмотрения заявлений и жалоб"
    assert almaty[0][10] == "балл 2 (балл выставляет КПСиСУ ГП)"
    robust = list(book["Устойчивость"].iter_rows(values_only=True))
    assert robust[1][0].startswith("10\u00a0000 выборок, зерно 2025")
    assert robust[2][0].startswith("Не действуют (ни один орган не дал исходных данных): 9 из 11")
    head = next(n for n, r in enumerate(robust) if r[0] == "Орган")
    assert robust[head][:7] == ("Орган", "Тип", "Место", "Медиана места", "Место: 5 %", "Место: 95 %", "Рейтинг")
    assert len([r for r in robust[head + 1:] if r[0]]) == 49


def test_the_report_is_the_same_whether_its_robustness_sheet_was_made_in_a_child_or_in_line(cli, tmp_path, monkeypatch):
    """The command line makes the robustness sheet in a forked process while it makes the
    roadmap sheet (`workbooks.analyses`): the workbook is byte for byte the one made in line,
    for raw inputs of every body, where the samples are drawn."""
    import subprocess
    import sys

    from openness_xl import meanwhile
    from openness_xl.core.bodies import registry
    from tests import native_cases

    rows = native_cases.long_table_rows(METHODOLOGY, registry(2025), random.Random(4), absent=0.0, direct=0.0, always=())
    given = tmp_path / "raw.csv"
    given.write_text("\n".join(",".join(map(str, row)) for row in rows) + "\n", encoding="utf-8")
    for folder in ("forked", "in_line"):
        (tmp_path / folder).mkdir()
    watched = """if True:
        import sys
        from openness_xl import meanwhile
        made = []
        class Watched(meanwhile.Forked):
            def __init__(self, *args):
                super().__init__(*args)
                made.append(self.forked)
        meanwhile.Forked = Watched
        from openness_xl.cli.app import main
        code = main(sys.argv[1:])
        print("forked:", made)
        sys.exit(code)
    """
    done = subprocess.run([sys.executable, "-c", watched, "report", str(given), "-o", "report.xlsx"],
                          cwd=tmp_path / "forked", capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert ("forked: [True]" if sys.platform.startswith("linux") else "forked: [False]") in done.stdout
    monkeypatch.setattr(meanwhile, "can_fork", lambda: False)
    monkeypatch.chdir(tmp_path / "in_line")
    assert cli("report", given, "-o", "report.xlsx")[0] == 0
    assert (tmp_path / "forked" / "report.xlsx").read_bytes() == (tmp_path / "in_line" / "report.xlsx").read_bytes()
    robust = list(openpyxl.load_workbook(tmp_path / "in_line" / "report.xlsx", read_only=True)["Устойчивость"].values)
    assert not any(str(r[0]).startswith("Не действуют") for r in robust[:4])  # every reading is drawn


@pytest.mark.slow
def test_memory_stays_flat_whatever_the_count():
    """A whole `openness robustness` process at the ceiling of 200,000 samples takes no more
    memory than at 20,000 (the samples are tallied in blocks; it took 467 MB before)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench", Path(__file__).resolve().parent.parent / "benchmarks" / "robustness.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    small, large = bench.peak_memory(20_000), bench.peak_memory(200_000)
    print(f"\npeak memory: {small / 1024:.0f} MB at 20,000 samples, {large / 1024:.0f} MB at 200,000")
    assert large < small + 20 * 1024


def test_the_text_wraps_its_sentences_at_the_width_the_command_line_gives(monkeypatch):
    """Renderers take a width; the command line gives the terminal's, and 80 to a file."""
    import argparse

    from openness_xl.cli.common import text_width

    result = rb.analyse(METHODOLOGY, PUBLISHED, samples=200, seed=4)
    labels = {code: code for code in METHODOLOGY.body_types}
    narrow, wide = (robustness_tables.render_text(METHODOLOGY, result, labels, width) for width in (60, 120))
    intro = lambda text: text.split("\n\n")[0].splitlines()  # noqa: E731
    assert max(map(len, intro(narrow))) <= 60 < max(map(len, intro(wide)))
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.setattr("shutil.get_terminal_size", lambda fallback=None: __import__("os").terminal_size((132, 40)))
    assert text_width(argparse.Namespace(output=None)) == 132
    assert text_width(argparse.Namespace(output="r.txt")) == 80


def _one_body_short():
    """The published scores with one body's open data left out: that body has no index."""
    code, body_type, entries = PUBLISHED[3]
    return [*PUBLISHED[:3], (code, body_type, {i: e for i, e in entries.items() if i != "og_open_data"}), *PUBLISHED[4:]]


def _two_bodies_tied():
    """The published scores with the second body given the first one's: they tie."""
    (_, body_type, entries), (second, second_type, _) = PUBLISHED[0], PUBLISHED[1]
    assert body_type == second_type
    return [PUBLISHED[0], (second, second_type, entries), *PUBLISHED[2:]]


@pytest.mark.parametrize("submissions", [PUBLISHED, _one_body_short(), _two_bodies_tied()],
                         ids=["published", "a body without an index", "two bodies tied"])
def test_a_standing_no_sample_can_move_is_the_one_the_samples_give(submissions, monkeypatch):
    """Where no reading moves a score and no drawn edge falls between a body's possible
    indices, the ranks and ratings found without drawing are those every sample gives: the
    same result as drawing and tallying them."""
    assert rb._fixed_standing(METHODOLOGY, submissions, *rb._indicator_tables(METHODOLOGY, submissions,
                                                                             METHODOLOGY.uncertainties)) is not None
    found = rb.analyse(METHODOLOGY, submissions, samples=3000, seed=5)
    monkeypatch.setattr(rb, "_fixed_standing", lambda *args: None)
    assert rb.analyse(METHODOLOGY, submissions, samples=3000, seed=5) == found


def test_a_standing_a_sample_can_move_is_drawn():
    # Raw inputs for the channels penalty, whose step has readings; and given scores on and
    # beside the sampled ВВ edges: either is enough for the samples to be drawn.
    channels = raw_submissions(2, only=("fb_unaccredited_channels_penalty",))
    assert rb._fixed_standing(METHODOLOGY, channels, *rb._indicator_tables(METHODOLOGY, channels,
                                                                           METHODOLOGY.uncertainties)) is None
    edge = next(u for u in METHODOLOGY.uncertainties if u.id == "index:ВВ").options[0].changes["ВВ"]
    entries = {i.id: Entry(DIRECT, score=Fraction(0)) for i in METHODOLOGY.indicators}
    entries["og_open_data"] = Entry(DIRECT, score=edge)
    on_edge = [("B", "CGO", entries)]
    assert rb._fixed_standing(METHODOLOGY, on_edge, *rb._indicator_tables(METHODOLOGY, on_edge,
                                                                         METHODOLOGY.uncertainties)) is None


def test_the_published_scores_are_analysed_without_numpy():
    """NumPy is imported where samples are drawn: the published scores, which no sample moves,
    never load it (its import was a tenth of a report of them)."""
    import subprocess
    import sys

    code = ("import sys; from openness_xl.analyses.robustness import analyse; "
            "from openness_xl.io.published import published_submissions; from openness_xl.methodology import load; "
            "analyse(load(2025), published_submissions(2025)); print('numpy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
