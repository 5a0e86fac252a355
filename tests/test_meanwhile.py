"""Work done meanwhile in a forked process (`meanwhile.Forked`): the same answer as in line,
whatever happens to the child."""
import os
import subprocess
import sys
import textwrap
import threading

import pytest

from openness_xl import meanwhile

ON_LINUX = sys.platform.startswith("linux")


def _run(script: str) -> str:
    """A fresh interpreter (one thread, as the command line has) runs `script`; its output."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.skipif(not ON_LINUX, reason="forks on Linux only")
def test_the_work_is_done_in_a_child_and_its_result_handed_back():
    out = _run("""
        import os
        from fractions import Fraction
        from openness_xl.meanwhile import Forked

        with Forked(lambda n: (os.getpid(), [Fraction(k, 3) for k in range(n)]), 5) as work:
            print(work.forked)
            pid, values = work.result()
        print(pid != os.getpid(), values == [Fraction(k, 3) for k in range(5)])
    """)
    assert out.split() == ["True", "True", "True"]


@pytest.mark.skipif(not ON_LINUX, reason="forks on Linux only")
def test_a_child_that_fails_or_dies_leaves_the_work_to_be_done_in_line():
    """An error is raised in the caller, from the function run there (its own traceback); a
    child killed, or a result that cannot be pickled, gives the answer computed in line."""
    out = _run("""
        import os, signal
        from openness_xl.meanwhile import Forked

        parent = os.getpid()
        calls = []

        def fails():
            calls.append(os.getpid())
            raise ValueError("no score for МФ")

        try:
            Forked(fails).result()
        except ValueError as error:
            print("raised:", error, calls == [parent])

        def dies():
            if os.getpid() != parent:
                os.kill(os.getpid(), signal.SIGKILL)
            return "in line"

        print(Forked(dies).result())
        print(Forked(lambda: (lambda: 1)).result()())  # a lambda does not pickle
    """)
    assert out.splitlines() == ["raised: no score for МФ True", "in line", "1"]


@pytest.mark.skipif(not ON_LINUX, reason="forks on Linux only")
def test_no_child_to_be_had_leaves_the_work_to_be_done_in_line():
    """A fork refused (too many processes, no memory) is no error: the work is done in line,
    and the pipe made for the child is closed."""
    out = _run("""
        import errno, os
        from openness_xl import meanwhile

        def refused():
            raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

        os.fork = refused
        before = len(os.listdir("/proc/self/fd"))
        work = meanwhile.Forked(sum, [1, 2])
        print(work.forked, work.result(), len(os.listdir("/proc/self/fd")) == before)
    """)
    assert out.split() == ["False", "3", "True"]


@pytest.mark.skipif(not ON_LINUX, reason="forks on Linux only")
def test_a_child_whose_result_is_never_asked_for_is_still_waited_for():
    out = _run("""
        import os
        from openness_xl.meanwhile import Forked

        try:
            with Forked(sum, [1, 2]) as work:
                pid = work._pid
                raise KeyError("the caller's own error")
        except KeyError:
            pass
        try:
            os.waitpid(pid, os.WNOHANG)
            print("left")
        except ChildProcessError:
            print("reaped")
    """)
    assert out.split() == ["reaped"]


@pytest.mark.skipif(not ON_LINUX, reason="forks on Linux only")
def test_no_fork_while_a_native_library_runs_threads_of_its_own():
    """DuckDB's workers are no Python threads: `threading` counts one, the kernel more."""
    out = _run("""
        import threading
        import duckdb
        from openness_xl.meanwhile import can_fork

        print(can_fork())
        connection = duckdb.connect(config={"threads": 4})
        connection.execute("SELECT 1").fetchall()
        print(threading.active_count(), can_fork())
    """)
    assert out.split() == ["True", "1", "False"]


def test_a_process_that_stops_while_work_goes_on_meanwhile_ends_as_it_says():
    """`aggregate` may stop at a bad file while the calendar is still being made. A daemon
    thread then inside NumPy's `unique` (C++) was ended there by the finalizing interpreter,
    and the process aborted ("terminate called without an active exception", exit 134) instead
    of exiting 2: ten runs in ten with daemons, none since the interpreter waits for them."""
    out = subprocess.run([sys.executable, "-c", textwrap.dedent("""
        import sys, time
        import numpy as np
        from openness_xl.meanwhile import Behind, Meanwhile

        values = np.random.default_rng(1).integers(0, 2**40, 20_000)

        def work():
            for _ in range(400):  # short calls, each without the interpreter
                np.unique(values)

        garbage = [{"n": n} for n in range(2_000_000)]  # a long last collection: a wide window
        behind = Behind(print)
        print(Meanwhile(work)._thread.daemon, behind._thread.daemon)
        behind.finish()
        Meanwhile(work)
        time.sleep(0.02)
        sys.exit(3)
    """)], capture_output=True, text=True, timeout=120)
    assert (out.returncode, out.stdout.split()) == (3, ["False", "False"]), out.stderr


def test_no_fork_while_another_thread_runs():
    """A fork copies the calling thread alone: with another running, the work is done in line."""
    release = threading.Event()
    other = threading.Thread(target=release.wait, daemon=True)
    other.start()
    try:
        assert not meanwhile.can_fork()
        work = meanwhile.Forked(os.getpid)
        assert not work.forked and work.result() == os.getpid()
    finally:
        release.set()
        other.join()
