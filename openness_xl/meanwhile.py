"""Work done while this one goes on: in a thread of its own where the work releases the
interpreter (NumPy's sort, DuckDB's reading), in a forked process where it holds it (Python
arithmetic, NumPy's import)."""
from __future__ import annotations

import contextvars
import os
import sys
import threading
from typing import Any, Callable

# The threads are not daemons: the interpreter waits for them before it shuts down. Python
# 3.11 ends a daemon still running then from inside whatever native code it is in
# (pthread_exit once it asks for the interpreter back), and through a C++ frame that aborts
# the whole process: "terminate called without an active exception", exit 134. Seen when
# `aggregate` stopped at a missing column while the calendar was still being made: a core dump
# showed the calendar's thread in NumPy's `unique` (C++) and the main thread finalizing, in
# about one run in 50–200 on a loaded machine. The threads' work is bounded (a tenth of a
# second), so waiting for it costs an error path no more than that.


class Meanwhile:
    """`function(*args)` started in a thread, in the caller's context (the language its texts
    are written in); `result()` waits for it and raises there what it raised."""

    def __init__(self, function: Callable[..., Any], *args: Any, name: str = "meanwhile"):
        self._outcome: tuple[Any, BaseException | None] = (None, None)
        self._thread = threading.Thread(target=contextvars.copy_context().run, args=(self._run, function, args),
                                        name=name)
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
        self._thread = threading.Thread(target=contextvars.copy_context().run, args=(self._run,), name=name)
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


def can_fork() -> bool:
    """Whether a child forked now is safe: on Linux only (macOS's system libraries are not safe
    after a fork, Windows has none), and only while this process runs one thread. A fork
    copies the calling thread alone, and a lock another thread holds stays held in the child
    for ever: the import lock, or one of a native library's own (DuckDB's ten workers, NumPy's
    BLAS thread), which `threading` does not see — the kernel's count of the process's tasks
    does."""
    if not (sys.platform.startswith("linux") and hasattr(os, "fork")):
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


class Forked:
    """`function(*args)` computed in a child process forked now, while this one goes on; the
    child hands back its result, pickled, through a pipe. `function` must be pure (what it
    printed, warned or changed would stay the child's) and its result picklable. Where forking
    is not safe (`can_fork`) or no child can be made, it runs in line, in `result()`; where
    the child fails (an error, a kill) it runs there again, so that its error is raised in the
    caller with its own traceback. The child has the caller's state as it was at the fork: its
    language, its loaded data. Use it as a context manager, so that a child whose result is
    never asked for is still waited for."""

    def __init__(self, function: Callable[..., Any], *args: Any):
        self._function, self._args = function, args
        self._pid: int | None = None
        if not can_fork():
            return
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # no process to be had (EAGAIN, ENOMEM): the work is done in line
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # the child: compute, hand over, and leave without running the parent's exit work
            try:
                os.close(read)
                import pickle

                try:
                    data = pickle.dumps(function(*args), protocol=pickle.HIGHEST_PROTOCOL)
                except BaseException:  # noqa: B036 — the parent runs it again and raises it there
                    data = b""
                with os.fdopen(write, "wb") as out:
                    out.write(data)
            finally:
                os._exit(0)
        os.close(write)
        self._pid, self._read = pid, read

    @property
    def forked(self) -> bool:
        """Whether the work went to a child process."""
        return self._pid is not None

    def result(self) -> Any:
        """What the function returned: the child's answer, or the function run in line."""
        data = self._collect()
        if not data:
            return self._function(*self._args)
        import pickle

        return pickle.loads(data)  # our own child's bytes

    def _collect(self) -> bytes:
        """The child's bytes (b"" where it failed or none was forked), once; the child is waited for."""
        if self._pid is None:
            return b""
        try:
            with os.fdopen(self._read, "rb") as handle:
                data = handle.read()
        finally:
            _, status = os.waitpid(self._pid, 0)
            self._pid = None
        return data if os.waitstatus_to_exitcode(status) == 0 else b""

    def __enter__(self) -> "Forked":
        return self

    def __exit__(self, *exc) -> None:
        self._collect()
