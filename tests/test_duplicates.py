"""Duplicated ids: the ordered shortcut and the hash sort must give the same exact answer."""
from collections import Counter

import duckdb
import pyarrow as pa
import pytest
from hypothesis import example, given, settings
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


def duplicated(ids, batch_rows, monkeypatch, memory_hashes=duplicates.MEMORY_HASHES):
    monkeypatch.setattr(duplicates, "BATCH_ROWS", batch_rows)
    monkeypatch.setattr(duplicates, "ORDER_BATCH_ROWS", batch_rows)
    monkeypatch.setattr(duplicates, "GLANCE_ROWS", batch_rows)
    monkeypatch.setattr(duplicates, "WHOLE_LOOK_ROWS", 3 * batch_rows)  # longer lists are streamed
    monkeypatch.setattr(duplicates, "MEMORY_HASHES", memory_hashes)
    connection = duckdb.connect()
    connection.register("ids", pa.table({"appeal_id": pa.array(ids, type=pa.string())}))
    if find_duplicates(connection, "ids", 'src."appeal_id"', "dups"):
        return sorted(row[0] for row in connection.execute("SELECT id FROM dups").fetchall())
    return []


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text("AB01", max_size=3)), max_size=40), st.integers(1, 7), st.booleans(),
       st.sampled_from([duplicates.MEMORY_HASHES, 0, 5]))
def test_find_duplicates_equals_counting(ids, batch_rows, sort_first, memory_hashes):
    # Sorted input takes the shortcut whenever the ids are distinct; shuffled input usually the
    # hash sort, in memory or (a budget of 0 or 5 hashes) spilt to files part by part.
    if sort_first:
        ids = sorted(ids, key=lambda i: (i is not None, i or ""))
    expected = sorted(i for i, n in Counter(i for i in ids if i is not None).items() if n > 1)
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert duplicated(ids, batch_rows, monkeypatch, memory_hashes) == expected


def private_temp(monkeypatch, tmp_path):
    """The spill's temporary folders made in a folder of this test's own (other test workers
    spill at the same time into the shared one), to see that none is left."""
    import tempfile

    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_spilt_hashes_find_the_same_duplicates_as_in_memory(monkeypatch, tmp_path):
    """20,000 shuffled ids with 300 repeated, sorted in memory and spilt to the part files
    (a budget of 1,000 hashes, batches of 700): the same 300 ids either way, and no file left."""
    import random

    ids = [f"A{n}" for n in range(20_000)] + [f"A{n}" for n in range(0, 20_000, 66)][:300]
    random.Random(1).shuffle(ids)
    expected = sorted(i for i, n in Counter(ids).items() if n > 1)
    assert len(expected) == 300
    temp = private_temp(monkeypatch, tmp_path)
    assert duplicated(ids, 700, monkeypatch) == expected
    assert duplicated(ids, 700, monkeypatch, memory_hashes=1_000) == expected
    assert not list(temp.iterdir())


def test_ids_that_share_their_hash_are_told_apart_by_the_ids_themselves(monkeypatch):
    """The hash narrows the ids to candidates; only equal ids are duplicates. With a hash of
    four bits, 2,000 distinct ids fall on 16 values, and only the 40 repeated ones are found."""
    import random

    monkeypatch.setattr(duplicates, "HASH", "(hash({id}) >> 60)::UINTEGER")
    ids = [f"B{n}" for n in range(2_000)] + [f"B{n}" for n in range(0, 2_000, 50)]
    random.Random(2).shuffle(ids)
    expected = sorted(i for i, n in Counter(ids).items() if n > 1)
    assert len(expected) == 40
    assert duplicated(ids, 300, monkeypatch) == expected
    assert duplicated(ids, 300, monkeypatch, memory_hashes=100) == expected


def test_the_hashes_sorted_in_two_halves_side_by_side_find_every_repeat():
    """Large enough to sort in two threads: every repeated value found, once, in order, over
    the whole range of hashes and over a narrow one (a spilt part's)."""
    import numpy as np

    rng = np.random.default_rng(5)
    for low, high in ((0, 2**64 - 1), (2**62, 2**62 + 2**40)):
        values = rng.integers(low, high, 3 * duplicates.SPLIT_SORT_FROM, dtype=np.uint64)
        values[:500] = values[-500:]
        distinct, counts = np.unique(values, return_counts=True)
        expected = distinct[counts > 1]
        found, records = duplicates._repeated(values.copy())
        assert found.tolist() == expected.tolist() and len(found) >= 500
        assert records == counts[counts > 1].sum()


def test_both_ways_are_taken(monkeypatch):
    # Past two ids a table is not looked at whole: the glance sees two, the proof then reads
    # them all.
    monkeypatch.setattr(duplicates, "ORDER_BATCH_ROWS", 2)
    monkeypatch.setattr(duplicates, "GLANCE_ROWS", 2)
    monkeypatch.setattr(duplicates, "WHOLE_LOOK_ROWS", 2)
    queries = []
    class Spy:
        def __init__(self, connection):
            self.connection = connection

        def sql(self, query, *args):
            queries.append("hashes" if "hash(" in query else "all ids")
            return self.connection.sql(query, *args)

        def execute(self, query, *args):
            if "lag(" in query:  # a look is one answer, not a stream
                queries.append("first ids" if "LIMIT" in query else "whole look")
            elif query.startswith("SELECT hash("):  # a short table's hashes, fetched at once
                queries.append("hashes")
            return self.connection.execute(query, *args)

        def __getattr__(self, name):
            return getattr(self.connection, name)

    def taken(ids):
        queries.clear()
        connection = duckdb.connect()
        connection.register("ids", pa.table({"appeal_id": pa.array(ids)}))
        return find_duplicates(Spy(connection), "ids", 'src."appeal_id"', "dups"), list(queries)

    for ids, read, found in (
            (["A1", "A2", "A10"], ["first ids", "all ids"], False),
            (["A2", "A10", "A1"], ["first ids", "all ids", "hashes"], False),  # in order by length, then not
            (["A2", "A1", "A3"], ["first ids", "hashes"], False),  # told by the first look alone
            (["A1", "A2", "A2"], ["first ids", "all ids", "hashes"], True),
            (["A1", "A1", "A2"], ["first ids", "hashes"], True)):
        assert taken(ids) == (found, read), ids
    # A table no longer than WHOLE_LOOK_ROWS is proved by one look at every id, after the
    # glance; one no longer than the glance by the glance alone.
    monkeypatch.setattr(duplicates, "WHOLE_LOOK_ROWS", 3)
    for ids, read, found in ((["A1", "A2", "A10"], ["first ids", "whole look"], False),
                             (["A1", "A10", "A2"], ["first ids", "whole look"], False),
                             (["A2", "A1", "A3"], ["first ids", "hashes"], False),  # told by the glance
                             (["A2", "A1", "A2"], ["first ids", "hashes"], True),
                             (["A1", "A2", "A1"], ["first ids", "whole look", "hashes"], True),
                             (["A1", "A2"], ["first ids"], False), (["A1", "A1"], ["first ids", "hashes"], True)):
        assert taken(ids) == (found, read), ids


def test_a_sliced_hash_column_is_read_from_its_offset():
    """A batch may be a slice of a larger buffer: its view starts at the slice's offset."""
    for width in (pa.uint32(), pa.uint64()):
        column = pa.array([5, 6, 7, 8, 9], type=width).slice(2, 2)
        assert duplicates._as_numpy(column).tolist() == [7, 8]


def test_the_work_behind_is_done_in_order_and_its_error_raised_where_it_finishes():
    import threading

    from openness_xl.meanwhile import Behind

    done = []
    behind = Behind(done.append, depth=2)
    for item in range(100):
        behind.put(item)
    behind.finish()
    assert done == list(range(100))

    def fails_at_three(item):
        if item == 3:
            raise ValueError("three")
        done.append(item)

    done.clear()
    behind = Behind(fails_at_three)
    for item in range(10):
        behind.put(item)
    with pytest.raises(ValueError, match="three"):
        behind.finish()
    assert done == [0, 1, 2]  # what came after the error was dropped

    # Bounded: with the worker held, one item in hand and `depth` waiting, the next put waits.
    release = threading.Event()
    behind = Behind(lambda item: release.wait(), depth=2)
    for item in range(3):
        behind.put(item)
    fourth = threading.Thread(target=behind.put, args=(3,))
    fourth.start()
    fourth.join(0.2)
    assert fourth.is_alive()
    release.set()
    fourth.join()
    behind.finish()


def test_a_failing_spill_is_raised_and_leaves_no_file(monkeypatch, tmp_path):
    """An error in the spill thread (a full disk) reaches the caller; the part files go."""
    def full(self, hashes):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(duplicates._Spill, "add", full)
    temp = private_temp(monkeypatch, tmp_path)
    with pytest.raises(OSError, match="No space"):
        duplicated([f"A{n}" for n in range(50, 0, -1)], 7, monkeypatch, memory_hashes=10)
    assert not list(temp.iterdir())


@settings(max_examples=150, deadline=None)
@example(["Б0", "AAA"])  # equal in bytes, not in letters: lengths are counted in bytes
@given(st.lists(st.one_of(st.none(), st.text("AБ019ӘZ", max_size=4)), max_size=30))
def test_the_first_look_judges_as_the_proof_of_order(ids):
    """The look DuckDB takes at the first ids and the proof of order over Arrow batches agree,
    Cyrillic and Kazakh letters, blanks and lengths included (the look only saves time: a
    wrong one would send ids in order to the hash sort)."""
    connection = duckdb.connect()
    connection.register("ids", pa.table({"appeal_id": pa.array(ids, type=pa.string())}))
    look = duplicates._looks_in_order(connection, 'SELECT src."appeal_id" AS id FROM ids AS src')
    assert look is ids_in_order(batches(ids, 7))
