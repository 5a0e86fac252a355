"""Duplicated ids: the ordered shortcut and the hash sort must give the same exact answer."""
from collections import Counter

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openness_xl.records import duplicates
from openness_xl.records.duplicates import find_duplicates, ids_in_order


def batches(ids, size):
    array = pa.array(ids, type=pa.string())
    return [pa.record_batch([array.slice(start, size)], names=["id"]) for start in range(0, len(ids), size)]


@pytest.mark.parametrize("ids, expected", [
    (["A1", "A2", "A9", "A10", "A11"], True),  # by length, then text
    (["A1", "A10", "A100", "A2"], True),  # as text (an export sorted on a text column)
    (["001", "002", "010"], True),
    (["A1", None, "A2", None], True),  # blanks are not ids
    (["A1", "A1"], False),  # equal neighbours are not "greater"
    (["A2", "A1"], False),
    (["A10", "A9", "A100", "A2"], False),  # neither order
    ([], True),
])
def test_ids_in_order(ids, expected):
    for size in (1, 2, 3, 100):
        assert ids_in_order(batches(ids, size)) is expected, size


def duplicated(ids, batch_rows, monkeypatch):
    monkeypatch.setattr(duplicates, "BATCH_ROWS", batch_rows)
    connection = duckdb.connect()
    connection.register("ids", pa.table({"appeal_id": pa.array(ids, type=pa.string())}))
    if find_duplicates(connection, "ids", 'src."appeal_id"', "dups"):
        return sorted(row[0] for row in connection.execute("SELECT id FROM dups").fetchall())
    return []


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text("AB01", max_size=3)), max_size=40), st.integers(1, 7), st.booleans())
def test_find_duplicates_equals_counting(ids, batch_rows, sort_first):
    # Sorted input takes the shortcut whenever the ids are distinct; shuffled input usually the hash sort.
    if sort_first:
        ids = sorted(ids, key=lambda i: (i is not None, i or ""))
    expected = sorted(i for i, n in Counter(i for i in ids if i is not None).items() if n > 1)
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert duplicated(ids, batch_rows, monkeypatch) == expected


def test_both_ways_are_taken():
    sorts = []
    class Spy:
        def __init__(self, connection):
            self.connection = connection

        def execute(self, query, *args):
            if "lag(h)" in query:
                sorts.append(query)
            return self.connection.execute(query, *args)

        def __getattr__(self, name):
            return getattr(self.connection, name)

    for ids, sorted_ in ((["A1", "A2", "A10"], False), (["A2", "A10", "A1"], True), (["A1", "A2", "A2"], True)):
        sorts.clear()
        connection = duckdb.connect()
        connection.register("ids", pa.table({"appeal_id": pa.array(ids)}))
        found = find_duplicates(Spy(connection), "ids", 'src."appeal_id"', "dups")
        assert bool(sorts) is sorted_, ids
        assert found is (ids == ["A1", "A2", "A2"])
