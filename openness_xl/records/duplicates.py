"""Duplicated record ids, found exactly, at much the same cost whatever the ids' order.

If every id is greater than the one before it — as text, or by length then text (so A9 < A10) —
no id can occur twice: one look in DuckDB proves it for an extract of up to `WHOLE_LOOK_ROWS`
ids, a streaming pass over the id column for a longer one, which stops at the first batch out of
order. Otherwise every id's 64-bit hash (DuckDB's `hash`) is fetched — at once as a NumPy array
for up to `WHOLE_LOOK_ROWS` ids (no pyarrow to import), streamed through Arrow for more —,
sorted in NumPy and equal neighbours become candidates, confirmed on the ids themselves (two ids
may share a hash; they may not share an id): by `confirm`, a scan of every id, or by the caller
that reads the candidates' ids anyway (the counts: `normalise.normalised_view`). Up to `MEMORY_HASHES` hashes are sorted in memory;
past that they are spilt to `PARTS` files by their top bits — in a thread behind the reading,
while DuckDB reads and hashes the next batch — and each file sorted alone, two at a time, so
that memory stays flat however long the extract. Either way the answer is exact.

Measured on 5.9 M shuffled ids: DuckDB's sort of the hashes (a window with lag) took 0.49 s,
a hash aggregate 0.68 s, Arrow's value_counts 1.4 s, streaming the hashes and sorting them in
NumPy 0.18–0.24 s (the sort itself 0.05 s in two threads, NumPy imported as `cpu.py` says; 0.22 s
with AVX-512 on the AMD EPYC this was measured on). The upper 32 bits alone sort faster, but
some four thousand distinct ids share them, and confirming those takes a second scan of the
extract (0.12–0.26 s) that 64 bits almost never need. On 59 M shuffled ids the spilt path
took 2.6–3.1 s with the spill in line and each part sorted in two halves, 2.2–2.5 s with the
spill behind the reading and two parts sorted side by side (the proof of order of 59 M ids in
order: 1.4–1.6 s).
"""
from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path

BATCH_ROWS = 1 << 20
# The proof of order reads small batches: shuffled ids are told by the first one (0.04 s
# instead of 0.10–0.24 s with 1 M rows on 5.9 M shuffled ids), ids in order cost the same.
ORDER_BATCH_ROWS = 1 << 16
# Up to this many ids DuckDB proves the order in one look: 0.03 s for 0.6 M ids in order,
# where pyarrow.compute's import and the streamed proof took 0.06 s; 0.25 s for 5.9 M, where
# the stream takes 0.15 s.
WHOLE_LOOK_ROWS = 1 << 20
# The first ids looked at before any proof: shuffled ids are told by a few thousand. A look at
# 4,096 ids took 0.007 s, at 64 K 0.013 s and at all of 0.6 M shuffled ids 0.023 s; ids in
# order pay the glance on top of the proof.
GLANCE_ROWS = 1 << 12
MEMORY_HASHES = 1 << 23  # 64 MB of hashes sorted in memory; more are spilt to files
PART_BITS = 4  # the spill files, by the hashes' top bits: 16 files, 30 MB each for 59 M ids
HASH = "hash({id})"  # UBIGINT
PARTS = 1 << PART_BITS
# Batches of hashes waiting for the spill thread: a few megabytes, however long the extract.
SPILL_DEPTH = 2


def find_duplicates(connection, source: str, id_sql: str, table: str) -> bool:
    """Create TEMP TABLE `table` (id) of every id that occurs more than once; True if there is any.

    `source` is a FROM clause aliased as `src`; `id_sql` the id as text, in terms of `src`.
    Rows without an id are not ids: they are reported as blank elsewhere.
    """
    found = repeated_hashes(connection, source, id_sql)
    return found is not None and confirm(connection, source, id_sql, table, found[0])


def repeated_hashes(connection, source: str, id_sql: str):
    """(the ids' hashes that occur more than once, ascending; how many records bear them), or
    None where no id can repeat: the ids are proved in order, or no hash repeats. Arguments
    as `find_duplicates`'s."""
    connection.execute("SELECT 1").fetchall()  # a stream may not start while a result is pending
    ids = f"SELECT {id_sql} AS id FROM {source} AS src"
    # A glance at the first ids tells most shuffled extracts (a stream left half read would
    # cost 0.035 s of 5.9 M ids). Past it, an extract of up to WHOLE_LOOK_ROWS ids is proved in
    # order, or not, by one look in DuckDB, a longer one by the streamed proof from the start.
    rows = _rows_up_to(connection, ids, WHOLE_LOOK_ROWS + 1)
    if _looks_in_order(connection, f"{ids} LIMIT {GLANCE_ROWS}") and (
            rows <= GLANCE_ROWS or (_looks_in_order(connection, ids) if rows <= WHOLE_LOOK_ROWS
                                    else _in_order(connection, ids))):
        return None
    hashes = f"SELECT {HASH.format(id=id_sql)} AS h FROM {source} AS src WHERE {id_sql} IS NOT NULL"
    if rows <= WHOLE_LOOK_ROWS:  # all in memory, without pyarrow (0.03 s to import)
        candidates, records = _repeated(connection.execute(hashes).fetchnumpy()["h"])
    else:
        candidates, records = _repeated_hashes(connection.sql(hashes).to_arrow_reader(BATCH_ROWS))
    return (candidates, records) if len(candidates) else None


def confirm(connection, source: str, id_sql: str, table: str, candidates) -> bool:
    """Create TEMP TABLE `table` (id) of the ids among those whose hash is one of `candidates`
    that occur more than once (two ids may share a hash; they may not share an id): a scan of
    every id. True if there is any."""
    connection.register(f"{table}_candidates", {"h": candidates})
    connection.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        SELECT {id_sql} AS id FROM {source} AS src
        WHERE {HASH.format(id=id_sql)} IN (SELECT h FROM {table}_candidates)
        GROUP BY id HAVING count(*) > 1
    """)
    return bool(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _rows_up_to(connection, ids: str, limit: int) -> int:
    """How many rows the ids' query has, counting no further than `limit`."""
    return connection.execute(f"SELECT count(*) FROM ({ids} LIMIT {limit})").fetchall()[0][0]


def _looks_in_order(connection, ids: str) -> bool:
    """Whether the ids increase in one of `ids_in_order`'s two orders, judged in DuckDB
    (importing pyarrow.compute took 0.03–0.04 s, a tenth of a small extract's whole run). The
    ids come in DuckDB's order; any order will do, as ids that strictly increase in some order
    are distinct: a look at every id is the proof, a wrong look at a few costs time, never an
    answer."""
    as_text, by_length = connection.execute(f"""
        SELECT bool_and(id > previous),
               bool_and(strlen(id) > strlen(previous) OR (strlen(id) = strlen(previous) AND id > previous))
        FROM (SELECT id, lag(id) OVER () AS previous FROM ({ids}) AS look WHERE id IS NOT NULL) AS pairs
        WHERE previous IS NOT NULL
    """).fetchall()[0]
    return as_text is not False or by_length is not False


def _in_order(connection, query: str) -> bool:
    """`ids_in_order` of a query's rows, streamed."""
    reader = connection.sql(query).to_arrow_reader(ORDER_BATCH_ROWS)
    try:
        return ids_in_order(reader)
    finally:
        reader.close()  # it may be left half read


def _repeated_hashes(batches):
    """The hashes that occur more than once among `batches` (one UBIGINT column), ascending,
    and how many records bear them."""
    import numpy as np

    held, count = [], 0
    for batch in batches:
        held.append(_as_numpy(batch.column(0)))
        count += len(held[-1])
        if count > MEMORY_HASHES:
            return _repeated_spilt(held, batches)
    hashes = np.concatenate(held) if held else np.empty(0, np.uint64)
    held.clear()  # the batches go before the sort: one copy of the hashes at a time
    return _repeated(hashes)


def _repeated_spilt(held: list, batches):
    """`_repeated_hashes` past the memory budget: the hashes held and every batch still to
    come appended to the part files in a thread behind the reading (DuckDB reads and hashes
    the next batch meanwhile), then the parts' repeats."""
    from ..meanwhile import Behind

    with _Spill() as spill:
        behind = Behind(spill.add, depth=SPILL_DEPTH, name="spill")
        try:
            while held:
                behind.put(held.pop(0))
            for batch in batches:
                behind.put(_as_numpy(batch.column(0)))
        finally:
            behind.finish()
        return spill.repeated()


def _as_numpy(column):
    """An unsigned integer column without nulls as a NumPy view of its buffer. Arrow's
    `to_numpy` would import pandas first: 0.3 s of a whole `openness aggregate`."""
    import numpy as np

    width = column.type.bit_width // 8
    return np.frombuffer(column.buffers()[1], dtype=f"u{width}")[column.offset:column.offset + len(column)]


def _repeated(hashes, sort=None) -> tuple:
    """The values that occur more than once in `hashes`, ascending, and how many of `hashes`
    bear them (sorted in place, by `_sort` unless `sort` is given)."""
    import numpy as np

    (sort or _sort)(hashes)
    again = hashes[1:][hashes[1:] == hashes[:-1]]  # each repeated value, once less than it occurs
    values = np.unique(again)
    return values, len(again) + len(values)


# Below this many hashes one sort in one thread is as fast.
SPLIT_SORT_FROM = 1 << 16


def _sort(hashes) -> None:
    """Sort in place, the lower and the upper half of the values side by side in two threads
    (NumPy's sort releases the GIL): a partition around the middle of the values' own range
    (a spilt part's hashes share their top bits) first puts every lower value before every
    upper one. 0.046 s instead of 0.070 s for 5.9 M hashes on two cores (NumPy's AVX2 sort).
    The other half in a plain thread (`meanwhile.py`): importing concurrent.futures took 0.01 s."""
    import numpy as np

    from ..meanwhile import Meanwhile

    low, high = (int(hashes.min()), int(hashes.max())) if len(hashes) >= SPLIT_SORT_FROM else (0, 0)
    if low == high:  # few hashes, or all equal: one sort
        hashes.sort()
        return
    middle = hashes.dtype.type(low + (high - low) // 2 + 1)  # above the lowest, at most the highest
    lower = int(np.count_nonzero(hashes < middle))
    hashes.partition(lower)  # the `lower` smallest values, those under the middle, come first
    upper = Meanwhile(hashes[lower:].sort, name="sort")
    hashes[:lower].sort()
    upper.result()


class _Spill:
    """Hashes appended to PARTS files by their top bits: equal hashes always share a file."""

    def __init__(self):
        self.folder = tempfile.TemporaryDirectory(prefix="openness-ids-")
        self.files = [open(Path(self.folder.name) / f"{k:02d}.hashes", "wb") for k in range(PARTS)]
        self.dtype = None  # the hashes' own: UBIGINT, or narrower where a test narrows them

    def add(self, hashes) -> None:
        import numpy as np

        self.dtype, width = hashes.dtype, hashes.dtype.itemsize * 8
        part = (hashes >> hashes.dtype.type(width - PART_BITS)).astype(np.uint8)
        # A stable argsort of one byte is a radix sort: twice as fast as a mask per file.
        grouped = hashes[np.argsort(part, kind="stable")]
        ends = np.bincount(part, minlength=PARTS).cumsum()
        for handle, start, end in zip(self.files, [0, *ends[:-1]], ends):
            # Not ndarray.tofile: it writes through a C buffer of its own and says nothing when
            # a few bytes cannot be written (a full disk), so that hashes would go missing.
            with _naming(handle.name):
                handle.write(grouped[start:end])

    def repeated(self) -> tuple:
        """The hashes repeated within any part, ascending, and how many records bear them:
        each part read back whole and sorted in one thread, two parts at a time (two parts in
        memory at once)."""
        import numpy as np

        from ..meanwhile import Meanwhile

        for handle in self.files:
            with _naming(handle.name):
                handle.close()  # the last buffered bytes are written here: a full disk too
        names = [handle.name for handle in self.files]

        def repeats(some):
            return [_repeated(np.fromfile(name, dtype=self.dtype or np.uint64), np.ndarray.sort) for name in some]

        odd = Meanwhile(repeats, names[1::2], name="sort")
        try:
            even = repeats(names[0::2])
        finally:
            odd_found = odd.result()  # the files stay until both threads are done with them
        found = [None] * len(names)
        found[0::2], found[1::2] = even, odd_found
        return np.concatenate([values for values, _ in found]), sum(records for _, records in found)

    def __enter__(self) -> "_Spill":
        return self

    def __exit__(self, *exc) -> None:
        for handle in self.files:
            try:
                handle.close()
            except OSError:
                if exc[0] is None:  # else the first error, the one that matters, is on its way
                    raise
        self.folder.cleanup()


@contextmanager
def _naming(name: str):
    """An OSError raised inside names the file `name` if it named none (a buffered write's)."""
    try:
        yield
    except OSError as error:
        if error.filename is not None:
            raise
        raise OSError(error.errno, error.strerror or str(error), name) from None


def ids_in_order(batches) -> bool:
    """True when the text ids, blanks aside, strictly increase in one of the two orders.

    Stops reading at the first batch where neither order holds.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    as_text = by_length = True
    previous = None  # the last id of the batch before, as a one-element array
    for batch in batches:
        ids = batch.column(0).drop_null()
        if previous is not None:
            ids = pa.concat_arrays([previous, ids])
        if len(ids) < 2:
            previous = ids if len(ids) else previous
            continue
        before, after = ids.slice(0, len(ids) - 1), ids.slice(1)
        greater = pc.greater(after, before)
        if as_text:
            as_text = pc.all(greater).as_py()
        if by_length:
            length_before, length_after = pc.binary_length(before), pc.binary_length(after)
            by_length = pc.all(pc.or_(pc.greater(length_after, length_before),
                                      pc.and_(pc.equal(length_after, length_before), greater))).as_py()
        if not (as_text or by_length):
            return False
        previous = ids.slice(len(ids) - 1)
    return True
