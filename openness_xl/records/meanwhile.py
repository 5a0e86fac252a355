"""Work run in a thread of its own while this one goes on: NumPy's sort and DuckDB's reading
release the interpreter, so the other thread's work is done meanwhile."""
from __future__ import annotations

import contextvars
import threading
from typing import Any, Callable


class Meanwhile:
    """`function(*args)` started in a thread, in the caller's context (the language its texts
    are written in); `result()` waits for it and raises there what it raised."""

    def __init__(self, function: Callable[..., Any], *args: Any, name: str = "meanwhile"):
        self._outcome: tuple[Any, BaseException | None] = (None, None)
        self._thread = threading.Thread(target=contextvars.copy_context().run, args=(self._run, function, args),
                                        name=name, daemon=True)
        self._thread.start()

    def _run(self, function: Callable[..., Any], args: tuple) -> None:
        try:
            self._outcome = function(*args), None
        except BaseException as error:  # noqa: B036 — raised again by result(), in the thread that asks
            self._outcome = None, error

    def result(self) -> Any:
        """What the function returned, once it has."""
        self._thread.join()
        value, error = self._outcome
        if error is not None:
            raise error
        return value


class Behind:
    """`function(item)` applied in a thread of its own to each item `put`, in order, while the
    caller goes on producing the next; at most `depth` items wait, so memory stays bounded.
    `finish()` waits for the last and raises there what `function` raised; after an error the
    items still put are dropped, not applied."""

    def __init__(self, function: Callable[[Any], Any], depth: int = 2, name: str = "behind"):
        import queue

        self._function, self._items = function, queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=contextvars.copy_context().run, args=(self._run,), name=name,
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (item := self._items.get()) is not _END:
            if self._error is None:
                try:
                    self._function(item)
                except BaseException as error:  # noqa: B036 — raised again by finish(), in the caller
                    self._error = error

    def put(self, item: Any) -> None:
        """Hand `item` over; waits while `depth` items are already waiting."""
        self._items.put(item)

    def finish(self) -> None:
        """Wait until every item put is done; raise what the function raised."""
        self._items.put(_END)
        self._thread.join()
        if self._error is not None:
            raise self._error


_END = object()
