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
