"""Duplicated record ids, found exactly — and without a sort when the ids come in order.

A register's export usually lists records in id order. If every id is greater than the one
before it — as text, or by length then text (so A9 < A10) — no id can occur twice: one
streaming pass over the id column proves it. Otherwise every id's 64-bit hash is sorted and
equal neighbours become candidates, confirmed on the ids themselves (two ids may share a
hash; they may not share an id). Either way the answer is exact; only its cost differs.
"""
from __future__ import annotations

BATCH_ROWS = 1 << 20


def find_duplicates(connection, source: str, id_sql: str, table: str) -> bool:
    """Create TEMP TABLE `table` (id) of every id that occurs more than once; True if there is any.

    `source` is a FROM clause aliased as `src`; `id_sql` the id as text, in terms of `src`.
    Rows without an id are not ids: they are reported as blank elsewhere.
    """
    connection.execute("SELECT 1").fetchall()  # a stream may not start while a result is pending
    reader = connection.sql(f"SELECT {id_sql} AS id FROM {source} AS src").to_arrow_reader(BATCH_ROWS)
    try:
        in_order = ids_in_order(reader)
    finally:
        reader.close()  # it may be left half read
    if in_order:
        return False
    # Sorting the hashes (a window over them) was cheaper here than hashing 6 M keys into a table.
    connection.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table}_candidates AS
        SELECT DISTINCT h FROM (
            SELECT h, lag(h) OVER (ORDER BY h) AS previous
            FROM (SELECT hash({id_sql}) AS h FROM {source} AS src WHERE {id_sql} IS NOT NULL))
        WHERE h = previous
    """)
    if not connection.execute(f"SELECT count(*) FROM {table}_candidates").fetchone()[0]:
        return False
    connection.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        SELECT {id_sql} AS id FROM {source} AS src
        WHERE hash({id_sql}) IN (SELECT h FROM {table}_candidates)
        GROUP BY id HAVING count(*) > 1
    """)
    return bool(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


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
